"""The summary of a pull request: what its commits change in content/, in plain German and English,
with hints at duplicate profiles. Its words come from the catalogs (``summary.*`` in :mod:`cucon.phrases`)."""

from __future__ import annotations

import contextlib
import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from urllib.parse import urlsplit

from pydantic import ValidationError

from cucon import schema
from cucon.catalog import bilingual, pair, phrase
from cucon.checks import PLACEHOLDER_ALT, PLACEHOLDER_SUMMARIES
from cucon.content import DISCIPLINES_FILE, FOLDERS, IMAGE_SUFFIXES, REMOVED_FILE, YAML_FOLDERS
from cucon.inert import code
from cucon.members import member_slug
from cucon.review.revisions import ChangedFile, Revisions, Version, image_size, parse_version, texts
from cucon.text import make_slug

# --- plain words ------------------------------------------------------------------------------

ACTIONS = {"A": "new", "C": "new", "M": "changed", "T": "changed", "R": "renamed", "D": "deleted"}
"""What git's status letters mean: the action of a change's label (``summary.<action>.<noun>``)."""

ORDER = {"A": 1, "C": 1, "M": 2, "T": 2, "R": 3, "D": 4}
"""Summary lines list additions first, then changes, renames and deletions; unreadable files lead."""

STATUS_WORDS = {"A": "added", "C": "copied", "M": "changed", "T": "changed", "D": "deleted"}
"""What git's status letters mean for a file outside content/ (``summary.status.<word>``)."""


def label(status: str, noun: str) -> tuple[str, str]:
    """The German and English label of a change, e.g. "Neues Profil" and "New profile".

    >>> label("A", "profile"), label("M", "call"), label("D", "image")
    (('Neues Profil', 'New profile'), ('Geänderte Ausschreibung', 'Changed call'), ('Gelöschtes Bild', 'Deleted image'))
    """
    return pair(f"summary.{ACTIONS[status]}.{noun}")


DAY_OR_TIME = re.compile(r"\d{4}-\d\d-\d\d(?: \d\d:\d\d)?")
LANGUAGE = re.compile(r"[a-z]{2,3}")
NUMBER = re.compile(r"\d{1,3}")
"""Shapes of values from content files that are shown as they are; any other value is a code span."""


def shaped(value: object, rule: re.Pattern[str]) -> str:
    """A value from a content file as it is when it has the shape of ``rule`` (a day, a language
    code, a version number), else as inert Markdown code (:func:`cucon.inert.code`).

    >>> shaped("2027-01-31 23:59", DAY_OR_TIME), shaped("de", LANGUAGE), shaped("@org/staff #2", LANGUAGE)
    ('2027-01-31 23:59', 'de', '`@org/staff #2`')
    """
    text = str(value)
    return text if rule.fullmatch(text) else code(text)


def lower_first(text: str) -> str:
    """A name as it reads inside an English sentence: "Music" becomes "music".

    >>> lower_first("Visual arts"), lower_first("")
    ('visual arts', '')
    """
    return text[:1].lower() + text[1:]


def title_of(data: dict, fallback: str) -> str:
    """The name people know an item by: its name or title (German where there are several).

    >>> title_of({"name": "Anna"}, "x"), title_of({"names": {"de": "Köln", "en": "Cologne"}}, "x")
    ('Anna', 'Köln')
    >>> title_of({"title": 42}, "fallback")
    'fallback'
    """
    for key in ("name", "title", "names"):
        value = data.get(key)
        if isinstance(value, dict):
            value = value.get("de") or next(iter(texts(list(value.values()))), None)
        found = texts(value)
        if found:
            return found[0]
    return fallback


def changed_fields(old: dict, new: dict, prefix: str = "") -> list[str]:
    """Front-matter keys whose values differ, nested keys joined with dots, in alphabetical order.

    >>> changed_fields({"a": 1, "b": {"c": 1, "d": 2}, "e": 1}, {"a": 1, "b": {"c": 1, "d": 3}, "f": 1})
    ['b.d', 'e', 'f']
    """
    names = []
    for key in sorted(set(old) | set(new), key=str):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, dict) and isinstance(after, dict):
            names.extend(changed_fields(before, after, f"{prefix}{key}."))
        else:
            names.append(f"{prefix}{key}")
    return names


CONTACT_FIELDS = ("email", "links.")
"""Fields whose old and new values the summary always shows in full: where strangers' messages go."""

SHORT_VALUE = 60
"""Longer old or new values (a summary, say) are named, not shown: the diff shows them."""


def value_at(data: dict, dotted: str) -> object:
    """The value at a dotted key path, or None.

    >>> value_at({"links": {"website": "https://a.example/"}}, "links.website")
    'https://a.example/'
    """
    value: object = data
    for part in dotted.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def old_to_new(key: str, old: dict, new: dict) -> str:
    """A changed field as staff read it: ``key`` with old → new where the values are short or contact data.

    >>> old_to_new("email", {"email": "a@example.org"}, {"email": "b@example.org"})
    '`email` (`a@example.org` → `b@example.org`)'
    >>> old_to_new("summary", {"summary": "x" * 80}, {"summary": "y"})
    '`summary`'
    """
    before, after = value_at(old, key), value_at(new, key)
    shown = [value for value in (before, after) if value is not None]
    if any(isinstance(value, (dict, list)) for value in shown):
        return code(key)
    contact = key == "email" or key.startswith(CONTACT_FIELDS[1])
    if not contact and any(len(str(value)) > SHORT_VALUE for value in shown):
        return code(key)
    return (
        f"{code(key)} ({code('—' if before is None else before)} → {code('—' if after is None else after)})"
    )


def has_placeholder(data: dict) -> bool:
    """True when an item still has a placeholder `cucon new` wrote (see :func:`cucon.checks._placeholders`).

    >>> has_placeholder({"summary": "Anna: one or two sentences for listings."}), has_placeholder({"summary": "Hi."})
    (True, False)
    """
    summary, photo = data.get("summary"), data.get("photo")
    if isinstance(summary, str) and summary.endswith(PLACEHOLDER_SUMMARIES):
        return True
    return isinstance(photo, dict) and photo.get("alt") == f"{PLACEHOLDER_ALT}{data.get('name')}"


def kind_of(relative: str) -> str:
    """What a path inside content/ holds: an item type, ``image``, ``disciplines`` or ``other``.

    >>> [kind_of(p) for p in ("profiles/a.md", "cities/b.yaml", "news/a.jpg", "disciplines.yaml", "x.txt")]
    ['profile', 'city', 'image', 'disciplines', 'other']
    """
    path = PurePosixPath(relative)
    suffix = path.suffix.lower()
    if path.parts == (DISCIPLINES_FILE,):
        return "disciplines"
    if len(path.parts) < 2:
        return "other"
    folder = path.parts[0]
    if folder in FOLDERS and suffix == ".md":
        return FOLDERS[folder]
    if folder in YAML_FOLDERS and suffix in (".yaml", ".yml"):
        return YAML_FOLDERS[folder]
    if folder in (*FOLDERS, *YAML_FOLDERS) and suffix in IMAGE_SUFFIXES:
        return "image"
    return "other"


# --- links ------------------------------------------------------------------------------------

PROFILE_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,99}")
"""A slug that may name a profile file; anything else (a path, a query) is looked up nowhere."""
LINK_KEYS = frozenset(("apply", "website", "online", "links", "other_links"))
"""Front-matter keys whose values (and everything below them) are links."""
BARE = re.compile(
    r"(?:\b(?:https?|ftp)://|\bmailto:|\bjavascript:|\bdata:|\bvbscript:|\bwww\.)[^\s<>\"'`]+", re.IGNORECASE
)
INLINE = re.compile(r"\]\(\s*<?")
REFERENCE = re.compile(r"^ {0,3}\[[^\]]+\]:\s*<?([^\s>]+)", re.MULTILINE)
AUTOLINK = re.compile(r"<([a-z][a-z0-9+.-]{1,31}:[^\s<>]*)>", re.IGNORECASE)


def _trimmed(url: str) -> str:
    """A bare address without the punctuation that ends its sentence (a closing bracket only when unmatched).

    >>> _trimmed("https://a.example/x)."), _trimmed("https://a.example/wiki/X_(y)"), _trimmed("www.a.example,")
    ('https://a.example/x', 'https://a.example/wiki/X_(y)', 'www.a.example')
    """
    while url and url[-1] in ".,;:!?)]*_~'\"":
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def _inline_targets(body: str) -> list[str]:
    """The targets of Markdown links and images, ``[text](target)``, brackets inside them balanced.

    >>> _inline_targets("[a](javascript:alert(1)) ![b](<https://x.example/p.png> 'title')")
    ['javascript:alert(1)', 'https://x.example/p.png']
    """
    found = []
    for match in INLINE.finditer(body):
        depth, end = 0, match.end()
        while end < len(body) and not body[end].isspace() and body[end] != ">":
            if body[end] == "(":
                depth += 1
            elif body[end] == ")":
                if depth == 0:
                    break
                depth -= 1
            end += 1
        if end > match.end():
            found.append(body[match.end() : end])
    return found


def _values(data: object, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    """Every string of a front matter with the keys it stands under.

    >>> _values({"links": {"other": ["https://a.example"]}, "title": "T"})
    [(('links', 'other'), 'https://a.example'), (('title',), 'T')]
    """
    if isinstance(data, dict):
        return [pair for name, value in data.items() for pair in _values(value, (*path, str(name)))]
    if isinstance(data, list):
        return [pair for value in data for pair in _values(value, path)]
    return [(path, data)] if isinstance(data, str) else []


def links_in(data: dict, body: str) -> list[str]:
    """Every link of a content file, in order, each once: the link fields of its front matter
    (:data:`LINK_KEYS`), Markdown links and images, autolinks, reference definitions and bare
    addresses in the body.

    >>> links_in({"apply": "mailto:a@x.example", "links": {"website": "https://a.example"}, "title": "Note: x"},
    ...          "See [here](javascript:alert(1)), <https://b.example> and www.c.example.")
    ['mailto:a@x.example', 'https://a.example', 'javascript:alert(1)', 'https://b.example', 'www.c.example']
    """
    found = [value.strip() for keys, value in _values(data) if LINK_KEYS.intersection(keys)]
    found += _inline_targets(body)
    found += [match.group(1) for pattern in (AUTOLINK, REFERENCE) for match in pattern.finditer(body)]
    found += [_trimmed(match.group(0)) for match in BARE.finditer(body)]
    return list(dict.fromkeys(url for url in found if url))


# --- the summary --------------------------------------------------------------------------------


@dataclass
class Names:
    """City and discipline names at the head revision, in German and English."""

    cities: dict[str, tuple[str, str]] = field(default_factory=dict)
    disciplines: dict[str, tuple[str, str]] = field(default_factory=dict)

    def of(self, table: dict[str, tuple[str, str]], slugs: object) -> tuple[str, str]:
        """Comma-separated German and English names of some slugs, each as inert code; unknown slugs
        stay as they are."""
        found = [table.get(slug, (slug, slug)) for slug in texts(slugs)]
        return ", ".join(code(de) for de, _ in found), ", ".join(code(en) for _, en in found)


def read_names(revisions: Revisions, content: str) -> Names:
    """The names of cities (cities/*.yaml, then the members of networks/*.yaml without a city file)
    and disciplines (disciplines.yaml) at head."""
    names = Names()
    paths = [
        p
        for folder in ("cities", "networks")
        for p in revisions.files(revisions.head, f"{content}/{folder}")
        if kind_of(p[len(content) + 1 :]) in ("city", "network")
    ]
    blobs = revisions.read(revisions.head, [*paths, f"{content}/{DISCIPLINES_FILE}"])
    versions = {path: parse_version(path, blobs.get(path)).data for path in paths}
    for path, data in versions.items():
        city_names = data.get("names")
        if kind_of(path[len(content) + 1 :]) == "city" and isinstance(city_names, dict):
            slug = PurePosixPath(path).name.split(".", 1)[0]
            names.cities[slug] = (str(city_names.get("de", slug)), str(city_names.get("en", slug)))
    for data in versions.values():
        members = data.get("members")
        for member in members if isinstance(members, list) else ():
            with contextlib.suppress(ValidationError):
                valid = schema.NetworkMember.model_validate(member)
                names.cities.setdefault(member_slug(valid), (valid.name, valid.name))
    listed = parse_version(DISCIPLINES_FILE, blobs.get(f"{content}/{DISCIPLINES_FILE}")).data
    for entry in listed.get("disciplines") or []:
        if isinstance(entry, dict) and isinstance(entry.get("names"), dict):
            slug = str(entry.get("slug"))
            de, en = entry["names"].get("de", slug), entry["names"].get("en", slug)
            names.disciplines[slug] = (str(de), lower_first(str(en)))
    return names


@dataclass(frozen=True)
class ProfileFacts:
    """What duplicate hints compare: a profile's name, cities and website, and where it is."""

    path: str
    name: str
    cities: tuple[str, ...]
    website: str | None = None

    @classmethod
    def of(cls, path: str, data: dict) -> ProfileFacts:
        """The facts of a profile's front matter."""
        links = data.get("links") if isinstance(data.get("links"), dict) else {}
        website = next(iter(texts(links.get("website"))), None)
        return cls(path, title_of(data, path), tuple(texts(data.get("cities"))), website)


def similar_names(a: str, b: str) -> bool:
    """True when two names are probably the same: equal slugs, one inside the other, or ratio ≥ 0.85.

    >>> similar_names("Anna Kowalska", "Anna Kowalská"), similar_names("Anna  Kowalska", "anna kowalska")
    (True, True)
    >>> similar_names("Klangwerk Linden", "Klangwerk Linden e.V."), similar_names("Anna Kowalska", "Anna Nowak")
    (True, False)
    """
    x, y = make_slug(a), make_slug(b)
    inside = f"-{x}-" in f"-{y}-" or f"-{y}-" in f"-{x}-"
    return x == y or inside or difflib.SequenceMatcher(None, x, y).ratio() >= 0.85


def website_key(url: str) -> str:
    """A website address without scheme, ``www.``, trailing slash, fragment or upper-case host.

    >>> website_key("https://www.Anna-Kowalska.example/"), website_key("http://anna-kowalska.example")
    ('anna-kowalska.example', 'anna-kowalska.example')
    >>> website_key("https://example.org/anna/?x=1#top"), website_key("https://example.org:8443/")
    ('example.org/anna?x=1', 'example.org:8443')
    """
    try:
        parts = urlsplit(url.strip())
        port = f":{parts.port}" if parts.port and parts.port not in (80, 443) else ""
    except ValueError:
        return url.strip().lower()
    host = (parts.hostname or "").removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{parts.path.rstrip('/')}{query}"


@dataclass(frozen=True)
class Hint:
    """A possible duplicate: the other profile, and whether name (in shared cities) or website match."""

    other: ProfileFacts
    reason: str
    cities: tuple[str, ...] = ()


def duplicate_hints(new: ProfileFacts, existing: Iterable[ProfileFacts]) -> list[Hint]:
    """Profiles that may be the same as a new one: a similar name in a shared city, or the same website.

    The same name in another city is not a hint: the network spans cities far apart, and namesakes
    there are other people far more often than someone who moved.
    """
    hints = []
    website = website_key(new.website) if new.website else None
    for other in existing:
        if other.path == new.path:
            continue
        shared = tuple(city for city in new.cities if city in other.cities)
        if shared and similar_names(new.name, other.name):
            hints.append(Hint(other, "name", shared))
        if website and other.website and website_key(other.website) == website:
            hints.append(Hint(other, "website"))
    return hints


def render_hint(new: ProfileFacts, hint: Hint, names: Names) -> str:
    """One duplicate hint in German and English; names, paths and the address as inert code."""
    name, other = code(new.name), f"{code(hint.other.name)} ({code(hint.other.path)})"
    if hint.reason == "name":
        de, en = names.of(names.cities, hint.cities)
        similar = (
            phrase("summary.similar-name", lang, cities=cities, other=other)
            for lang, cities in (("de", de), ("en", en))
        )
        return f"{name}: {' / '.join(similar)}"
    return f"{name}: {bilingual('summary.same-website', other=other, url=code(new.website))}"


class PullRequestSummary:
    """The Markdown summary of a pull request, built from the changes between two revisions."""

    def __init__(self, revisions: Revisions, content: str = "content"):
        self.revisions = revisions
        self.content = content.strip("/")
        self.names = read_names(revisions, self.content)
        self.lines: list[tuple[int, str, str]] = []
        self.technical: list[str] = []
        self.added_profiles: list[ProfileFacts] = []
        self.explained: set[str] = set()
        """Images an item's line already describes."""

    def relative(self, path: str | None) -> str | None:
        """A path relative to the content folder, or None when it is outside."""
        prefix = f"{self.content}/"
        return path[len(prefix) :] if path and path.startswith(prefix) else None

    def build(self) -> str:
        """Read the changes and render the summary."""
        changes = self.revisions.changes()
        inside = [c for c in changes if self.relative(c.path) or self.relative(c.old_path)]
        self.technical = [self.technical_line(c) for c in changes if c not in inside]
        head = self.revisions.read(self.revisions.head, [c.path for c in inside if c.status != "D"])
        base = self.revisions.read(self.revisions.base, [c.old_path for c in inside if c.old_path])
        items = [c for c in inside if kind_of(self.relative(c.path) or c.path) not in ("image", "other")]
        for change in items:
            self.item_line(change, head.get(change.path), base.get(change.old_path or ""))
        for change in inside:
            if change not in items:
                self.file_line(change, head.get(change.path), base.get(change.old_path or ""))
        return self.render()

    def add(self, order: int, path: str, line: str) -> None:
        """Note one line of the summary."""
        self.lines.append((order, path, line))

    def technical_line(self, change: ChangedFile) -> str:
        """A changed file outside content/, for a developer to look at."""
        if change.status == "R":
            return f"{code(change.path)} ({bilingual('summary.renamed-from')} {code(change.old_path)})"
        word = STATUS_WORDS.get(change.status)
        return f"{code(change.path)} ({bilingual(f'summary.status.{word}') if word else change.status})"

    def item_line(self, change: ChangedFile, new_raw: bytes | None, old_raw: bytes | None) -> None:
        """The line of a content item (or the list of disciplines) that was added, changed or deleted."""
        status = change.status if change.status in ACTIONS else "M"
        kind = kind_of(self.relative(change.path) or change.path)
        new = parse_version(change.path, new_raw) if status != "D" else None
        old = parse_version(change.old_path, old_raw) if change.old_path else Version(change.path)
        if new is not None and new.error:
            message = f"⚠️ {bilingual('summary.unreadable')}: {code(change.path)} — {code(new.error)}"
            self.add(0, change.path, message)
            return
        if kind == "disciplines":
            self.add(ORDER[status], change.path, self.disciplines_line(old, new))
            return
        current = new or old
        slug = PurePosixPath(change.path).name.split(".", 1)[0]
        noun = "event" if kind == "news" and current.data.get("kind") == "event" else kind
        de, en = label(status, "translation" if current.data.get("translation_of") else noun)
        subject_de, subject_en = self.subject(kind, current.data, slug)
        extra_de, extra_en = "", ""
        if status in ("A", "C"):
            extra_de, extra_en = self.details(kind, change.path, current.data)
            if kind == "profile" and not current.data.get("translation_of"):
                self.added_profiles.append(ProfileFacts.of(change.path, current.data))
        elif status == "R":
            moved = f"{code(change.old_path)} → {code(change.path)}"
            extra_de, extra_en = (f" ({moved}, {words})" for words in pair("summary.new-address"))
        if status in ("M", "T", "R") and new is not None:
            fields = [old_to_new(key, old.data, new.data) for key in changed_fields(old.data, new.data)]
            fields += ["text"] if old.body != new.body else []
            if fields:
                changed_de, changed_en = pair("summary.changed-fields", fields=", ".join(fields))
                extra_de, extra_en = f"{extra_de} — {changed_de}", f"{extra_en} — {changed_en}"
            elif status != "R":
                extra_de, extra_en = (f" — {words}" for words in pair("summary.layout-only"))
        warnings = []
        translation = current.data.get("translation_of")
        if status == "D" and kind == "profile" and not translation and slug not in self.tombstoned():
            warnings.append(pair("summary.deleted-without-remove"))
        if new is not None and has_placeholder(new.data):
            warnings.append(pair("summary.placeholder"))
        for warning_de, warning_en in warnings:
            extra_de, extra_en = f"{extra_de} — ⚠️ {warning_de}", f"{extra_en} — ⚠️ {warning_en}"
        line = f"{de}{subject_de}{extra_de} / {en}{subject_en}{extra_en}"
        if kind in ("call", "news") and new is not None:
            line += "".join(f"\n  - {sub}" for sub in self.organiser_and_links(kind, new, old))
        self.add(ORDER[status], change.path, line)

    def tombstoned(self) -> set[str]:
        """Slugs the head's removed.yaml marks as removed by `cucon remove`."""
        path = f"{self.content}/{REMOVED_FILE}"
        raw = self.revisions.read(self.revisions.head, [path]).get(path)
        version = parse_version(path, raw) if raw else None
        if version is None or version.error:
            return set()
        entries = version.data.get("removed") or []
        return {entry.get("slug") for entry in entries if isinstance(entry, dict)}

    def organiser_and_links(self, kind: str, new: Version, old: Version) -> list[str]:
        """What staff check of a call or news item at a glance: who it names as organiser (a call)
        or which profiles (news), and every link the change adds, each value inert."""
        lines = []
        organiser = new.data.get("organiser") if isinstance(new.data.get("organiser"), dict) else {}
        profile, name = texts(organiser.get("profile")), texts(organiser.get("name"))
        if profile:
            lines.append(self.naming("summary.organiser-profile", "profile", profile[:1]))
        elif name:
            lines.append(bilingual("summary.organiser-name", name=code(name[0])))
        if kind == "news" and texts(new.data.get("profiles")):
            lines.append(self.naming("summary.profiles-named", "profiles", texts(new.data.get("profiles"))))
        before = set(links_in(old.data, old.body))
        lines += [bilingual("summary.new-link", url=code(url)) for url in links_in(new.data, new.body)
                  if url not in before]  # fmt: skip
        return lines

    def naming(self, text_id: str, name: str, slugs: list[str]) -> str:
        """A line that names profiles, in German and English: each slug with its name at head
        (inert), or marked as no known profile."""
        names = {slug: self.profile_name(slug) for slug in slugs}
        return " / ".join(
            phrase(
                text_id,
                lang,
                **{name: ", ".join(f"{code(slug)} ({found or phrase('summary.no-such-profile', lang)})"
                                   for slug, found in names.items())},
            )
            for lang in ("de", "en")
        )  # fmt: skip

    def profile_name(self, slug: str) -> str | None:
        """The inert name of the profile a slug names at head, or None when there is none."""
        if not PROFILE_SLUG.fullmatch(slug):
            return None
        folder = f"{self.content}/profiles"
        path = f"{folder}/{slug}.md"
        raw = self.revisions.read(self.revisions.head, [path]).get(path)
        found = parse_version(path, raw) if raw is not None else None
        return None if found is None or found.error else code(title_of(found.data, slug))

    def subject(self, kind: str, data: dict, slug: str) -> tuple[str, str]:
        """What an item is, after its label: ": Anna Kowalska", or " (en) von Anna Kowalska" for a translation."""
        original = data.get("translation_of")
        if not isinstance(original, str) or kind not in FOLDERS.values():
            title = code(title_of(data, slug))
            return f": {title}", f": {title}"
        folder = next(f for f, k in FOLDERS.items() if k == kind)
        path = f"{self.content}/{folder}/{original}.md"
        found = self.revisions.read(self.revisions.head, [path]).get(path)
        if found is None:
            found = self.revisions.read(self.revisions.base, [path]).get(path)
        title = code(title_of(parse_version(path, found).data, original))
        lang = shaped(data.get("lang", "?"), LANGUAGE)
        de, en = pair("summary.translation-of", lang=lang, title=title)
        return f" {de}", f" {en}"

    def details(self, kind: str, path: str, data: dict) -> tuple[str, str]:
        """What staff want to know of a new item: cities, disciplines, photo, consent, deadline."""
        if data.get("translation_of"):
            return "", ""
        cities_de, cities_en = self.names.of(self.names.cities, data.get("cities"))
        if kind == "profile":
            disciplines_de, disciplines_en = self.names.of(self.names.disciplines, data.get("disciplines"))
            photo_de, photo_en = self.picture(path, data.get("photo"), "photo")
            consent = data.get("consent") if isinstance(data.get("consent"), dict) else {}
            version = consent.get("version") or ""
            version = version and shaped(version, NUMBER)
            consent_de, consent_en = (
                pair("summary.consent", version=version) if version else pair("summary.no-consent")
            )
            return (
                f" ({cities_de}; {disciplines_de}) — {photo_de}, {consent_de}",
                f" ({cities_en}; {disciplines_en}) — {photo_en}, {consent_en}",
            )
        if kind == "call":
            deadline = shaped(data.get("deadline", "?"), DAY_OR_TIME)
            deadline_de, deadline_en = pair("summary.deadline", deadline=deadline)
            return f" ({cities_de}; {deadline_de})", f" ({cities_en}; {deadline_en})"
        if kind == "news":
            image_de, image_en = self.picture(path, data.get("image"), "image")
            when = shaped(data.get("date", "?"), DAY_OR_TIME)
            if data.get("image"):
                return f" ({cities_de}; {when}) — {image_de}", f" ({cities_en}; {when}) — {image_en}"
            return f" ({cities_de}; {when})", f" ({cities_en}; {when})"
        return "", ""

    def picture(self, path: str, block: object, kind: str) -> tuple[str, str]:
        """The size of the ``photo`` or ``image`` an item names, read at head: "Foto 640×640"."""
        name = block.get("file") if isinstance(block, dict) else None
        if not isinstance(name, str):
            return pair(f"summary.{kind}.none")
        image = str(PurePosixPath(path).parent / name)
        self.explained.add(image)
        raw = self.revisions.read(self.revisions.head, [image]).get(image)
        size = image_size(raw, name)
        if size:
            return pair(f"summary.{kind}.size", size=size)
        return pair(f"summary.{kind}.{'missing' if raw is None else 'unusable'}", name=code(name))

    def disciplines_line(self, old: Version, new: Version | None) -> str:
        """The change of the list of disciplines: which slugs came and went."""

        def slugs(version: Version | None) -> list[str]:
            entries = version.data.get("disciplines") if version else None
            return [str(e.get("slug")) for e in entries or [] if isinstance(e, dict)]

        before, after = slugs(old), slugs(new)
        added = ", ".join(code(s) for s in after if s not in before)
        removed = ", ".join(code(s) for s in before if s not in after)
        parts = [pair("summary.disciplines-added", slugs=added)] if added else []
        if removed:
            parts.append(pair("summary.disciplines-removed", slugs=removed))
        de, en = (
            ("; ".join(words) for words in zip(*parts, strict=True))
            if parts
            else pair("summary.disciplines-names")
        )
        return f"{phrase('summary.disciplines', 'de', change=de)} / {phrase('summary.disciplines', 'en', change=en)}"

    def file_line(self, change: ChangedFile, new_raw: bytes | None, old_raw: bytes | None) -> None:
        """The line of an image (unless an item's line names it) or of another file in content/."""
        kind = kind_of(self.relative(change.path) or change.path)
        status = change.status if change.status in ACTIONS else "M"
        if kind == "image" and status in ("A", "C") and change.path in self.explained:
            return
        de, en = label(status, kind)
        where = f"{code(change.old_path)} → {code(change.path)}" if status == "R" else code(change.path)
        name = PurePosixPath(change.path).name
        note = ""
        if kind == "image" and status in ("M", "T"):
            note = f" ({image_size(old_raw, name) or '?'} → {image_size(new_raw, name) or '?'})"
        elif kind == "image" and status != "D":
            note = f" ({image_size(new_raw, name) or '?'})"
        self.add(ORDER[status], change.path, f"{de}: {where}{note} / {en}: {where}{note}")

    def duplicate_lines(self) -> list[str]:
        """Hints for every added profile, against every profile at head."""
        if not self.added_profiles:
            return []
        folder = f"{self.content}/profiles"
        paths = [p for p in self.revisions.files(self.revisions.head, folder) if p.endswith(".md")]
        profiles = []
        for path, raw in self.revisions.read(self.revisions.head, paths).items():
            version = parse_version(path, raw)
            if not version.error and not version.data.get("translation_of"):
                profiles.append(ProfileFacts.of(path, version.data))
        lines, seen = [], set()
        for new in self.added_profiles:
            for hint in duplicate_hints(new, profiles):
                key = (frozenset((new.path, hint.other.path)), hint.reason)
                if key not in seen:
                    seen.add(key)
                    lines.append(f"- {render_hint(new, hint, self.names)}")
        if not lines:
            return [bilingual("summary.no-hints")]
        return [bilingual("summary.hints-only"), "", *lines]

    def render(self) -> str:
        """The Markdown text."""
        out = [f"## {bilingual('summary.title')}", ""]
        if self.lines:
            out += [f"- {line}" for _, _, line in sorted(self.lines)]
        else:
            out.append(bilingual("summary.no-changes"))
        duplicates = self.duplicate_lines()
        if duplicates:
            out += ["", f"### {bilingual('summary.duplicates')}", "", *duplicates]
        if self.technical:
            out += ["", f"### {bilingual('summary.technical')}", "", bilingual("summary.technical-note")]
            out += ["", *(f"- {line}" for line in self.technical)]
        return "\n".join([*out, "", bilingual("summary.check-note")]) + "\n"


def summarise(repo: Path, base: str, head: str, content: str = "content") -> str:
    """The Markdown summary of what the commits from ``base`` to ``head`` change."""
    return PullRequestSummary(Revisions(repo, base, head), content).build()
