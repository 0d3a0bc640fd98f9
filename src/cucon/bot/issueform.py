"""From a GitHub issue filed with one of the issue forms "New profile / New call / News or event tip
without git" to the files of a pull request.

GitHub renders a filled-in issue form as Markdown: one ``### <label>`` heading per field in the
form's order, then the value; ``_No response_`` for an empty field; ticked checkboxes as
``- [X] <label>``; the options chosen in a multiple dropdown joined by ", ". This module tells the
three forms apart by their headings (:func:`detect`), reads the Markdown back into the mapping a
posted web form gives (:data:`SECTIONS`, :data:`CALL_SECTIONS` and :data:`NEWS_SECTIONS` map the
issue form's ids to the web form's field names; the labels come from the issue form's YAML itself),
downloads the attached photo or image from GitHub, and hands both to
:func:`cucon.bot.submission.submission`: the same validator, the same image cleaning, the same
files as the web form for the same data.

Strict by design: a section whose heading is not a label of the form is ignored and never written;
only the photo section is searched for a URL to download, and only from an allow-listed place
(:data:`GITHUB_ATTACHMENTS`), at most :data:`cucon.images.MAX_BYTES`, within a time limit, with
every redirect checked against the same list.
"""

from __future__ import annotations

import base64
import html
import json
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from datetime import date
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import httpx
import yaml

from cucon import schema
from cucon.bot.checks import CONTEXT, Checks, branch_worktree, report, run_checks
from cucon.bot.githost import BranchCommit, PullRequestHost, validate_change
from cucon.bot.messages import both
from cucon.bot.submission import (
    FORMS,
    LINK_FIELDS,
    FieldProblem,
    Submission,
    SubmissionInvalid,
    form_fields,
    submission,
)
from cucon.bot.texts import label
from cucon.catalog import bilingual, pair
from cucon.i18n import language_name
from cucon.images import MAX_BYTES
from cucon.inert import code
from cucon.problems import english
from cucon.text import normalise

PROFILE_FORM = Path(".github") / "ISSUE_TEMPLATE" / "new-profile.yml"
"""The issue form, relative to the repository root; its labels are the headings of an issue's body."""
CALL_FORM = PROFILE_FORM.with_name("new-call.yml")
NEWS_FORM = PROFILE_FORM.with_name("new-news.yml")
ISSUE_FORMS = {"profile": PROFILE_FORM, "call": CALL_FORM, "news": NEWS_FORM}
"""The issue form of each kind of submission; each sets the label ``new-<kind>``."""

NO_RESPONSE = "_No response_"
"""What GitHub writes for a field left empty."""

SECTIONS = {
    "name": "name",
    "sort-as": "sort_as",
    "kind": "kind",
    "cities": "cities",
    "disciplines": "disciplines",
    "languages": "languages",
    "lang": "lang",
    "summary": "summary",
    "about": "about",
    "photo": "photo",
    "photo-alt": "photo_alt",
    "photo-credit": "photo_credit",
    "links": "links",
    "email": "email",
    "looking-for": "looking_for",
    "offers": "offers",
    "seeks": "seeks",
    "consent": "consent",
}
"""Issue form id → web form field of the profile form (``links``, ``email`` and ``consent`` are
spread over several)."""

CALL_SECTIONS = {
    "kind": "kind",
    "title": "title",
    "summary": "summary",
    "organiser": "organiser",
    "cities": "cities",
    "open-to": "open_to",
    "open-to-cities": "open_to_cities",
    "open-to-countries": "open_to_countries",
    "disciplines": "disciplines",
    "deadline": "deadline",
    "opens": "opens",
    "results": "results",
    "fee-amount": "fee_amount",
    "fee-currency": "fee_currency",
    "award-amount": "award_amount",
    "award-currency": "award_currency",
    "award-kind": "award_kind",
    "covers": "covers",
    "offers": "offers",
    "apply": "apply",
    "lang": "lang",
    "body": "body",
    "consent": "consent",
}
"""Issue form id → web form field of the call form: ``organiser`` is a profile's name (or slug) or
another name, ``open_to`` ticks "everyone", ``deadline`` is a day and a time in one line."""

NEWS_SECTIONS = {
    "kind": "kind",
    "title": "title",
    "summary": "summary",
    "cities": "cities",
    "disciplines": "disciplines",
    "event-start": "event_start",
    "event-end": "event_end",
    "venue": "event_venue",
    "address": "event_address",
    "online": "event_online",
    "image": "image",
    "image-alt": "image_alt",
    "image-credit": "image_credit",
    "lang": "lang",
    "body": "body",
    "consent": "consent",
}
"""Issue form id → web form field of the news form: ``event_start`` and ``event_end`` are a day and a
time in one line each."""

SECTIONS_OF = {"profile": SECTIONS, "call": CALL_SECTIONS, "news": NEWS_SECTIONS}

CHOICE_FIELDS = ("kind", "cities", "disciplines", "languages", "lang")
"""Fields of the profile form whose values are names on the issue form and slugs or codes on the web
form (with the calls' ``open_to_cities`` and ``covers``, what one offers and seeks, and the organiser's profile)."""
CALL_CHOICE_FIELDS = ("award_kind",)
"""The choice fields of the call form alone that take one: what the money offered is."""
LIST_FIELDS = ("cities", "disciplines", "languages", "open_to_cities", "covers", "offers", "seeks")
"""The choice fields that take several."""
WHEN_FIELDS = {"deadline": ("deadline",), "event_start": ("event", "start"), "event_end": ("event", "end")}
"""Fields given as ``YYYY-MM-DD HH:MM`` in one line, as in the file: read back into the web form's day
and time by the form's mapping (:meth:`cucon.bot.formmap.FormMap.values_at`), from their key."""
EVERYONE = "everyone"
"""The value of the "who may apply" option that opens a call to everyone."""

CONSENT_VERSION = "1"
"""The version of the consent text the issue form's consent checkbox quotes ("Version 1")."""

GITHUB_ATTACHMENTS = (
    "https://github.com/user-attachments/assets/",
    "https://github.com/user-attachments/files/",
    "https://user-images.githubusercontent.com/",
    "https://private-user-images.githubusercontent.com/",
    "https://objects.githubusercontent.com/",
)
"""Where GitHub keeps what is dragged into an issue (and where its addresses redirect to)."""

DOWNLOAD_SECONDS = 30.0
"""The longest a photo download may take, redirects included."""

MAX_REDIRECTS = 5

MAX_BODY_CHARS = 65536
"""GitHub's limit for an issue body; a longer text is not one GitHub rendered."""

_HEADING = re.compile(r"^###[ \t]+(.+?)[ \t]*$", re.M)
_TICKED = re.compile(r"^\s*[-*]\s+\[[xX]\]\s+(.+?)\s*$", re.M)
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']+)["'][^>]*>""", re.I)
_IMG_ALT = re.compile(r"""\balt\s*=\s*["']([^"']*)["']""", re.I)
_MD_LINK = re.compile(r"!?\[([^\]]*)\]\(\s*<?(https?://[^\s)>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_BARE_URL = re.compile(r"(?<![(\"'<=])\bhttps?://[^\s<>()\"']+")


class PhotoRefused(Exception):
    """The photo could not be taken from the issue: a problem code (:mod:`cucon.codes`) and its values;
    ``str()`` says why, in plain words."""

    def __init__(self, code: str, /, **values: object):
        self.code = code
        self.values = values
        super().__init__(english(code, values))


# --- the issue form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class IssueForm:
    """The fields of an issue form: label → id, and the option labels of its checkboxes."""

    ids: dict[str, str]
    """Each field's label, whitespace-normalised, to its id."""
    labels: dict[str, str]
    """Each id to its label, as GitHub writes it in the heading."""
    checkboxes: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kind: str = "profile"
    """The web form it stands for: ``new-<kind>`` among the labels it sets."""

    @classmethod
    def load(cls, path: Path) -> IssueForm:
        """Read an issue form's YAML (.github/ISSUE_TEMPLATE/*.yml)."""
        form = yaml.safe_load(Path(path).read_text("utf-8"))
        kinds = [name.removeprefix("new-") for name in form.get("labels", ()) if name.startswith("new-")]
        kind = next((k for k in kinds if k in FORMS), "profile")
        ids, labels, checkboxes = {}, {}, {}
        for element in form["body"]:
            if element["type"] == "markdown":
                continue
            label = " ".join(str(element["attributes"]["label"]).split())
            ids[label] = element["id"]
            labels[element["id"]] = label
            if element["type"] == "checkboxes":
                options = element["attributes"]["options"]
                checkboxes[element["id"]] = tuple(" ".join(str(o["label"]).split()) for o in options)
        return cls(ids, labels, checkboxes, kind)


def load_forms(root: Path) -> list[IssueForm]:
    """The issue forms of the repository at ``root`` that exist there."""
    return [IssueForm.load(root / path) for path in ISSUE_FORMS.values() if (root / path).is_file()]


def detect(body: str, forms: Iterable[IssueForm]) -> IssueForm | None:
    """The form an issue was filed with: the one whose labels head most of its sections.

    >>> a = IssueForm({"Name": "name"}, {"name": "Name"}, kind="profile")
    >>> b = IssueForm({"Titel / Title": "title", "Bewerbungsschluss / Deadline": "deadline"}, {}, kind="call")
    >>> detect("### Titel / Title\\n\\nX\\n\\n### Bewerbungsschluss / Deadline\\n\\n2027-01-01", [a, b]).kind
    'call'
    >>> detect("### Something else\\n\\nX", [a, b]) is None
    True
    """
    counted = [(len(sections(body, form)), index, form) for index, form in enumerate(forms)]
    best = max(counted, default=(0, 0, None), key=lambda c: (c[0], -c[1]))
    return best[2] if best[0] else None


def sections(body: str, form: IssueForm) -> dict[str, str]:
    """The values of an issue's body by issue form id; headings the form does not have are dropped.

    Every ``### `` line starts a section, as GitHub and common issue-form parsers read it. A field
    that appears twice (a body edited by hand) keeps its first value.

    >>> form = IssueForm({"Name": "name", "Links": "links"}, {"name": "Name", "links": "Links"})
    >>> sections("### Name\\n\\nAnna\\n\\n### save_as\\n\\n../x\\n\\n### Links\\n\\n_No response_", form)
    {'name': 'Anna', 'links': ''}
    """
    text = normalise(body).replace("\r\n", "\n").replace("\r", "\n")
    found: dict[str, str] = {}
    headings = list(_HEADING.finditer(text))
    for index, heading in enumerate(headings):
        end = headings[index + 1].start() if index + 1 < len(headings) else len(text)
        element_id = form.ids.get(" ".join(heading[1].split()))
        if element_id is None or element_id in found:
            continue
        value = text[heading.end() : end].strip()
        found[element_id] = "" if value == NO_RESPONSE else value
    return found


# --- names to slugs and codes --------------------------------------------------------------------


def _keys(*names: str | None) -> set[str]:
    return {" ".join(n.split()).casefold() for n in names if n}


def choice_lookup(content_root: Path, kind: str = "profile") -> dict[str, dict[str, str]]:
    """For each choice field of a form, every name an issue may give (value, German, English,
    "de / en", a language's own name, a profile's name) casefolded, to the web form's value."""
    lookup: dict[str, dict[str, str]] = {}
    for spec in form_fields(FORMS[kind], content_root):
        if spec.name not in (*CHOICE_FIELDS, *CALL_CHOICE_FIELDS, *LIST_FIELDS, "organiser_profile"):
            continue
        table = lookup.setdefault(spec.name, {})
        for choice in spec.choices:
            de = choice.de or label(choice.label, "de")
            en = choice.en or label(choice.label, "en")
            names = [choice.value, de, en, f"{de} / {en}"]
            if spec.name in ("languages", "lang"):
                names.append(language_name(choice.value, choice.value))
            for key in _keys(*names):
                table.setdefault(key, choice.value)
    return lookup


def to_value(name: str, table: Mapping[str, str]) -> str:
    """The form value of an option's name: the whole name, else one of its " / " parts; unknown
    names stay as they are, so the validator names them (with a suggestion).

    >>> to_value("Spielstätte / Venue", {"venue": "venue"}), to_value("Mars", {"venue": "venue"})
    ('venue', 'Mars')
    """
    for candidate in (name, *name.split(" / ")):
        for key in _keys(candidate):
            if key in table:
                return table[key]
    return name.strip()


def _split_list(value: str) -> list[str]:
    """The items of a dropdown with several choices, or of a free list (commas, semicolons, lines)."""
    return [part.strip() for part in re.split(r"[,;\n]", value) if part.strip()]


def _links(value: str) -> dict[str, str | list[str]]:
    """The links section (one address a line) as the web form's fields: a platform's address to its
    field, the first other address to ``website``, the rest (and anything not an address) to
    ``other_links``, where the validator checks it."""
    fields: dict[str, str | list[str]] = {}
    other: list[str] = []
    for item in value.split():
        item = item.strip("<>")
        host = urlsplit(item).hostname if "://" in item else None
        platform = schema.platform_of(item) if host else None
        if platform not in LINK_FIELDS:
            platform = None
        if platform and platform not in fields:
            fields[platform] = item
        elif platform is None and host and "website" not in fields:
            fields["website"] = item
        else:
            other.append(item)
    if other:
        fields["other_links"] = "\n".join(other)
    return fields


def _consent_ticked(value: str, options: Iterable[str]) -> bool:
    """True when every option of the consent checkboxes is ticked, with the form's very words."""
    ticked = {" ".join(label.split()) for label in _TICKED.findall(value)}
    options = tuple(options)
    return bool(options) and all(option in ticked for option in options)


def form_values(found: Mapping[str, str], form: IssueForm, content_root: Path) -> dict[str, str | list[str]]:
    """The web form's mapping for the sections of an issue (the photo is fetched separately)."""
    lookup = choice_lookup(content_root, form.kind)
    upload = FORMS[form.kind].image
    mapping = FORMS[form.kind].form_map
    values: dict[str, str | list[str]] = {}
    for element_id, value in found.items():
        name = SECTIONS_OF[form.kind].get(element_id)
        if name is None or name == upload or not value:
            continue
        if name in LIST_FIELDS:
            values[name] = [to_value(item, lookup[name]) for item in _split_list(value)]
        elif name in (*CHOICE_FIELDS, *CALL_CHOICE_FIELDS):
            values[name] = to_value(value, lookup[name])
        elif name in WHEN_FIELDS:
            values |= mapping.values_at(WHEN_FIELDS[name], value)
        elif name == "open_to":
            if to_value(value, {"alle": EVERYONE, "everyone": EVERYONE}) == EVERYONE:
                values |= mapping.values_at(("open_to", "everyone"), True)
        elif name == "organiser":
            profile = to_value(value, lookup["organiser_profile"])
            in_profiles = profile in lookup["organiser_profile"].values()
            values["organiser_profile" if in_profiles else "organiser_name"] = profile
        elif name == "links":
            values |= _links(value)
        elif name == "email":  # the issue form asks for a public address: as in the file
            values |= mapping.values_at(("email",), value)
        elif name == "consent":
            if _consent_ticked(value, form.checkboxes.get(element_id, ())):
                values |= {"consent": "on", "consent_version": CONSENT_VERSION}
        else:
            values[name] = value
    return values


def field_label(name: str, form: IssueForm) -> str:
    """The issue form's label for a web form field, for a comment on the issue."""
    table = SECTIONS_OF[form.kind]
    if form.kind == "profile" and (name in LINK_FIELDS or name == "other_links"):
        element_id = "links"
    elif name == "publish_email":
        element_id = "email"
    else:  # a field of its own, else the one it is part of (deadline_time → deadline …)
        element_id = next((i for i, n in table.items() if n == name), None)
        element_id = element_id or next((i for i, n in table.items() if name.startswith(f"{n}_")), name)
    return form.labels.get(element_id, name)


# --- the photo -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PhotoLink:
    """The address of the photo in the issue, and the name it is shown under."""

    url: str
    name: str


def photo_links(value: str) -> list[PhotoLink]:
    """The addresses in the photo section, in order, each once: ``<img src>``, ``![…](…)``,
    ``[name](…)`` or a bare address (GitHub writes the first or the second for a dragged picture).

    >>> [p.url for p in photo_links('<img width="80" alt="Image" src="https://x.test/a" />\\n![b](https://x.test/a)')]
    ['https://x.test/a']
    """
    found: list[PhotoLink] = []
    for tag in _IMG_SRC.finditer(value):
        alt = _IMG_ALT.search(tag[0])
        found.append(PhotoLink(html.unescape(tag[1]), html.unescape(alt[1]) if alt else ""))
    rest = _IMG_SRC.sub(" ", value)
    for link in _MD_LINK.finditer(rest):
        found.append(PhotoLink(link[2], link[1]))
    for bare in _BARE_URL.finditer(_MD_LINK.sub(" ", rest)):
        found.append(PhotoLink(bare[0], ""))
    unique: dict[str, PhotoLink] = {}
    for link in found:
        unique.setdefault(link.url, link)
    return list(unique.values())


def allowed_url(url: str, allowed: Iterable[str]) -> bool:
    """True when an address lies under one of the allowed prefixes: the same scheme and host (and
    port), a path under the prefix's path, no user name, no ``..`` and no encoded slash or dot.

    >>> ok = ("https://github.com/user-attachments/assets/",)
    >>> [allowed_url(u, ok) for u in ("https://github.com/user-attachments/assets/1-2",
    ...  "https://github.com.evil.test/user-attachments/assets/1", "https://github.com/evil/assets/1",
    ...  "https://x@github.com/user-attachments/assets/1", "https://github.com/user-attachments/assets/../../x",
    ...  "http://github.com/user-attachments/assets/1")]
    [True, False, False, False, False, False]
    """
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return False
    path = parts.path
    if parts.username or parts.password or ".." in path or re.search(r"%2[ef]|%5c|\\", path, re.I):
        return False
    for prefix in allowed:
        want = urlsplit(prefix)
        if (
            parts.scheme == want.scheme
            and (parts.hostname or "") == (want.hostname or "").lower()
            and port == want.port
            and path.startswith(want.path or "/")
        ):
            return True
    return False


def download_photo(
    url: str,
    allowed: Iterable[str] = GITHUB_ATTACHMENTS,
    *,
    max_bytes: int = MAX_BYTES,
    timeout: float = DOWNLOAD_SECONDS,
    client: httpx.Client | None = None,
) -> bytes:
    """Download a photo from an allow-listed place, following at most a few allow-listed redirects,
    reading at most ``max_bytes`` within ``timeout`` seconds; else :class:`PhotoRefused`."""
    allowed = tuple(allowed)
    deadline = time.monotonic() + timeout
    own = client is None
    client = client or httpx.Client(headers={"User-Agent": "cucon (issue form)"})
    try:
        for _ in range(MAX_REDIRECTS + 1):
            if not allowed_url(url, allowed):
                raise PhotoRefused("photo-not-from-github")
            left = deadline - time.monotonic()
            if left <= 0:
                raise PhotoRefused("photo-download-too-slow", seconds=timeout)
            with client.stream("GET", url, follow_redirects=False, timeout=left) as response:
                if response.is_redirect and "location" in response.headers:
                    url = urljoin(url, response.headers["location"])
                    continue
                if response.status_code != 200:
                    raise PhotoRefused("photo-download-refused", status=response.status_code)
                return _read_capped(response, max_bytes, deadline, timeout)
        raise PhotoRefused("photo-too-many-redirects")
    except httpx.HTTPError as exc:
        raise PhotoRefused("photo-download-failed", error=type(exc).__name__) from None
    finally:
        if own:
            client.close()


def _read_capped(response: httpx.Response, max_bytes: int, deadline: float, timeout: float) -> bytes:
    """The body of a response, refused as soon as it is larger than ``max_bytes`` or too slow."""
    megabytes = max_bytes / 2**20
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        raise PhotoRefused("photo-too-large", megabytes=megabytes)
    data = bytearray()
    for chunk in response.iter_bytes():
        data += chunk
        if len(data) > max_bytes:
            raise PhotoRefused("photo-too-large", megabytes=megabytes)
        if time.monotonic() > deadline:
            raise PhotoRefused("photo-download-too-slow", seconds=timeout)
    return bytes(data)


# --- the whole conversion ------------------------------------------------------------------------


def issue_submission(
    body: str,
    form: IssueForm,
    content_root: Path,
    today: date,
    *,
    allowed: Iterable[str] | None = None,
    client: httpx.Client | None = None,
    timeout: float = DOWNLOAD_SECONDS,
) -> Submission:
    """Turn the body of an issue filed with ``form`` into the files of a pull request, as the web form does.

    ``allowed`` lists where the photo may come from (default :data:`GITHUB_ATTACHMENTS`). Raises
    :class:`SubmissionInvalid` with every problem at once, each on a web form field (see
    :func:`field_label` for the issue's words), or :class:`RuntimeError` when the base branch itself
    does not pass the validator.
    """
    kind = FORMS[form.kind]
    if len(body) > MAX_BODY_CHARS:
        raise SubmissionInvalid([FieldProblem.of(kind.title, "issue-too-long")])
    found = sections(body, form)
    values = form_values(found, form, content_root)
    photo, photo_name, photo_problem = None, None, None
    upload = kind.image
    links = photo_links(found.get(upload, "")) if upload else []
    if len(links) > 1:
        photo_problem = FieldProblem.of(upload, "one-photo-only")
    elif links:
        try:
            where = GITHUB_ATTACHMENTS if allowed is None else allowed
            photo = download_photo(links[0].url, where, timeout=timeout, client=client)
            photo_name = links[0].name if "." in links[0].name else urlsplit(links[0].url).path
        except PhotoRefused as refused:
            photo_problem = FieldProblem.at(upload, refused)
    try:
        proposed = submission(kind, values, photo, photo_name, content_root, today)
    except SubmissionInvalid as invalid:
        if photo_problem is None:
            raise
        problems = [photo_problem]
        problems += [p for p in invalid.problems if p.field != upload]
        raise SubmissionInvalid(problems) from None
    if photo_problem is not None:  # an optional image that could not be taken is still a problem
        raise SubmissionInvalid([photo_problem])
    return proposed


# --- answering on the issue ----------------------------------------------------------------------


def thanks(url: str) -> str:
    """The comment on an issue that became a pull request: German, then English."""
    return "\n\n".join([*pair("issue.thanks", url=url), f"⚠️ {bilingual('pr.email-not-verified')}."])


UNKNOWN_FORM = "\n\n".join(pair("issue.unknown-form"))
"""The comment on an issue that matches none of the issue forms."""


def problems_comment(invalid: SubmissionInvalid, form: IssueForm) -> str:
    """The comment that lists an issue's problems, "field: message", with the issue form's labels; each
    message (which may quote what the issue says) is inert code (:func:`cucon.inert.code`)."""
    lines = [f"- **{field_label(p.field, form)}**: {code(both(p))}" for p in invalid.problems]
    return "\n\n".join([*pair("issue.problems"), "\n".join(lines)]) + "\n"


def updated(url: str) -> str:
    """The comment on an issue whose edit moved its pull request along."""
    return "\n\n".join(pair("issue.updated", url=url))


def with_issue(change, issue_number: int):
    """A change whose pull request names the issue it came from, and closes it when merged."""
    note = f"\n{bilingual('issue.from')} #{issue_number}. Closes #{issue_number}\n"
    return replace(change, body=change.body + note)


def issue_branch(issue_number: int) -> str:
    """The branch of an issue's pull request: one per issue, moved along when the issue is edited.

    >>> issue_branch(12)
    'submissions/issue-12'
    """
    return f"submissions/issue-{int(issue_number)}"


def issue_permanent_id(repository: str, issue_number: int) -> str:
    """The permanent id of an issue's entry: the same for every edit of the issue, another for every issue.

    >>> issue_permanent_id("o/r", 1) == issue_permanent_id("o/r", 1) != issue_permanent_id("o/r", 2)
    True
    """
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"https://github.com/{repository}/issues/{int(issue_number)}"))


@dataclass(frozen=True)
class IssueOutcome:
    """What became of an issue: a pull request (``url``), or the problems commented back."""

    url: str | None
    comment: str | None
    created: bool
    updated: bool = False
    state: str | None = None
    """The checks' result on the pull request's head commit (success or failure), if it has one."""


@dataclass(frozen=True)
class Proposal:
    """An issue made ready for the job that may write: the change, checked on ``base``; or the
    comment that answers the issue instead (its problems, or that it matches no form)."""

    issue: int
    base: str | None = None
    change: BranchCommit | None = None
    checks: Checks | None = None
    comment: str | None = None

    def to_json(self) -> str:
        """The proposal as JSON, files in base64."""
        change = None
        if self.change is not None:
            change = asdict(self.change) | {
                "files": {path: base64.b64encode(data).decode() for path, data in self.change.files.items()}
            }
        data = {"issue": self.issue, "base": self.base, "change": change, "comment": self.comment}
        return json.dumps(data | {"checks": self.checks.as_json() if self.checks else None}, indent=1)

    @classmethod
    def from_json(cls, text: str) -> Proposal:
        """A proposal written by :meth:`to_json`; ValueError when it does not read as one."""
        try:
            data = json.loads(text)
            change = data["change"]
            if change is not None:
                files = {
                    str(path): base64.b64decode(encoded, validate=True)
                    for path, encoded in change["files"].items()
                }
                texts = [change[key] for key in ("branch", "message", "title", "body")]
                if not all(
                    isinstance(text, str) for text in [*texts, *change["deletions"], *change["labels"]]
                ):
                    raise TypeError("the change's names and texts must be strings")
                change = BranchCommit(
                    **(change | {"files": files, "deletions": tuple(change["deletions"])})
                    | {"labels": tuple(change["labels"])}
                )
                validate_change(change)
            base = data["base"]
            if base is not None and not re.fullmatch(r"[0-9a-f]{40}", base):
                raise ValueError(f"the base {base!r} is not a commit SHA")
            checks = Checks.from_json(data["checks"]) if data["checks"] is not None else None
            comment = data["comment"] if isinstance(data["comment"], str) else None
            return cls(int(data["issue"]), base, change, checks, comment)
        except (KeyError, TypeError, ValueError) as exc:  # binascii.Error and JSONDecodeError too
            raise ValueError(f"the proposal cannot be read: {exc}") from None


def prepare_issue(
    body: str,
    issue_number: int,
    checkout: Path,
    today: date,
    *,
    repository: str,
    form: IssueForm | None = None,
    allowed: Iterable[str] | None = None,
    client: httpx.Client | None = None,
) -> Proposal:
    """Turn an issue into a checked change, without any token: the entry on the issue's own branch
    (:func:`issue_branch`), committed on the checkout's HEAD in a worktree and checked there as pr.yml
    checks a pull request (:func:`cucon.bot.checks.run_checks`); or the comment that answers it.

    Without ``form``, the issue form is the one of the checkout whose labels head most of the
    issue's sections (:func:`detect`); an issue that matches none gets a comment that says so. The
    entry's permanent id is the issue's (:func:`issue_permanent_id`), so an edit that changes
    nothing the files hold gives the very same files. The e-mail address is not verified on this
    path: the pull request says so, as the service does without SMTP; nor can the owner of a
    profile the call names as organiser be asked: it says "Organiser not confirmed".
    """
    from cucon.bot.approval import organiser_profile
    from cucon.bot.spool import UNCONFIRMED, change_of, staff_checklist, unspooled

    form = form or detect(body, load_forms(checkout))
    if form is None:
        return Proposal(issue_number, comment=UNKNOWN_FORM)
    try:
        submission = issue_submission(body, form, checkout, today, allowed=allowed, client=client)
    except SubmissionInvalid as invalid:
        return Proposal(issue_number, comment=problems_comment(invalid, form))
    stable = issue_permanent_id(repository, issue_number)
    files = {
        path: data.replace(submission.permanent_id.encode(), stable.encode())
        if path.endswith(".md")
        else data
        for path, data in submission.files.items()
    }
    submission = replace(submission, files=files, permanent_id=stable)
    organiser = UNCONFIRMED if organiser_profile(files) is not None else None
    change = with_issue(
        change_of(unspooled(submission), staff_checklist(checkout), organiser=organiser), issue_number
    )
    change = replace(change, branch=issue_branch(issue_number))
    with branch_worktree(checkout, "HEAD", change) as (tree, base, head):
        checks = run_checks(tree, base, head)
    return Proposal(issue_number, base, change, checks)


def publish_proposal(
    proposal: Proposal, issue_number: int, host: PullRequestHost, target_url: str | None = None
) -> IssueOutcome:
    """Answer the issue with a prepared proposal through ``host`` (the only step with a token that
    writes): its branch made or moved to the change, one open pull request made or updated, the
    checks' result as the commit status :data:`~cucon.bot.checks.CONTEXT` on its head (and the
    failed checks' output as a comment on it), and a comment on the issue when something changed."""
    if proposal.issue != issue_number:
        raise ValueError(f"the proposal is for issue #{proposal.issue}, not #{issue_number}")
    if proposal.change is None or proposal.checks is None:
        text = proposal.comment or UNKNOWN_FORM
        host.comment(issue_number, text)
        return IssueOutcome(None, text, created=False)
    if proposal.change.branch != issue_branch(issue_number):
        raise ValueError("the proposal's branch is not the issue's")
    if not all(path.startswith("content/") for path in (*proposal.change.files, *proposal.change.deletions)):
        raise ValueError("the proposal writes outside content/, which an issue form never does")
    result = host.replace(proposal.change, base=proposal.base)
    checks = proposal.checks
    if result.head:
        host.set_status(result.head, checks.state, checks.description, CONTEXT, target_url)
    text = None
    if result.created or result.updated:
        text = (thanks if result.created else updated)(result.url)
        host.comment(issue_number, text)
        if checks.state != "success" and result.number is not None:
            host.comment(result.number, checks_failed(report(checks)))
    return IssueOutcome(result.url, text, result.created, result.updated, checks.state)


def checks_failed(report: str) -> str:
    """The comment on a pull request whose checks failed, with their report."""
    return "\n\n".join([*pair("issue.checks-failed"), report]) + "\n"


def propose_issue(
    body: str,
    issue_number: int,
    host: PullRequestHost,
    checkout: Path,
    today: date,
    *,
    form: IssueForm | None = None,
    allowed: Iterable[str] | None = None,
    client: httpx.Client | None = None,
    repository: str | None = None,
) -> IssueOutcome:
    """:func:`prepare_issue`, then :func:`publish_proposal`, in one process (for a run by hand; the
    workflow runs the two in separate jobs, so the token never meets the issue's content)."""
    repository = repository or getattr(host, "repository", "")
    proposal = prepare_issue(
        body, issue_number, checkout, today, repository=repository, form=form, allowed=allowed, client=client
    )
    return publish_proposal(proposal, issue_number, host)
