"""From a posted form to the content files of a pull request, validated by the same validator as CI.

The pipeline of one submission, before anything is pushed:

1. Read only the known fields of the form (:data:`PROFILE_FIELDS`); anything else, such as
   ``save_as``, ``template``, ``slug`` or ``../x``, is ignored and never written. Values are
   normalised with the shared text rules (NFC, one line where the schema wants one line).
2. Clean the photo with the shared image module (:func:`cucon.images.clean_upload`): a JPEG encoded
   anew from pixels, so no EXIF, GPS position or camera serial number ever reaches a branch.
3. Derive the slug from the name (``-2``, ``-3`` … when taken or reserved), mint the permanent id
   and write the front matter with the YAML dumper, never by pasting user text into YAML.
4. Validate with :func:`cucon.content.load_site`, the validator of ``cucon check`` and CI, on a
   mirror of ``content/`` plus the new files, and report each problem next to its form field.
   Problems in other files mean the base branch is broken, not the form: a :class:`RuntimeError`.

The form's fields, limits and messages come from :mod:`cucon.schema`; no limit is repeated here.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from cucon import schema
from cucon.content import (
    DISCIPLINES_FILE,
    IMAGE_SUFFIXES,
    MAX_YAML_BYTES,
    REMOVED_FILE,
    Site,
    load_site,
    problems_in,
    read_item,
    read_text,
)
from cucon.frontmatter import read_document
from cucon.i18n import language_name
from cucon.images import MAX_BYTES, ImageRefused, clean_upload
from cucon.problems import ContentError, ContentProblem
from cucon.references import RESERVED_ITEM_SLUGS, RESERVED_PAGE_SLUGS, Suggester
from cucon.review import Change, Summary
from cucon.scaffold import mint_id
from cucon.text import make_slug, normalise

CONTENT = "content"
PROFILES = f"{CONTENT}/profiles"

ABOUT_MAX_LENGTH = 5000
"""The longest text about oneself (the Markdown body) the form takes; the schema caps only the file."""

TRUE_VALUES = frozenset({"on", "true", "1", "yes"})
"""What browsers and the issue-form converter send for a ticked checkbox."""

ID_PLACEHOLDER = "00000000-0000-4000-8000-000000000000"
"""Stands in for the minted id in the content hash, so identical forms hash alike."""

ACCEPTED_PHOTOS = "image/jpeg,image/png,image/webp"


# --- the form -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Choice:
    """One option of a select field: a value, and its German and English names.

    Names come from content (cities, disciplines) or from CLDR (languages); where they are None
    (the kinds of profile), the app's catalog names the option by ``label``.
    """

    value: str
    label: str
    de: str | None = None
    en: str | None = None


@dataclass(frozen=True)
class FormField:
    """One field of a form, as the app renders it and as :func:`profile_submission` reads it."""

    name: str
    type: str
    """text, textarea, select, multi-select, checkbox, email, url, file or hidden."""
    required: bool
    label: str
    """Key of the field's label in the app's German and English texts, e.g. ``field.name``."""
    max_length: int | None = None
    min_length: int | None = None
    max_items: int | None = None
    min_items: int | None = None
    choices: tuple[Choice, ...] = ()
    default: str | None = None
    example: str | None = None
    accept: str | None = None
    """For a file field: the media types the form offers to upload."""
    max_bytes: int | None = None
    multiline: bool = False
    """False: line breaks become spaces, because the schema wants one line."""
    key: tuple[str, ...] = ()
    """Where the value goes in the front matter; empty for the body and for form-only fields."""


@cache
def _json_schema(model: type[BaseModel]) -> dict:
    return model.model_json_schema(mode="validation")


def _property(model: type[BaseModel], name: str) -> dict:
    """A property of a model's JSON Schema; of an optional value, the schema of the value."""
    found = _json_schema(model)["properties"][name]
    for option in found.get("anyOf", ()):
        if option.get("type") != "null":
            return option
    return found


def _field(
    model: type[BaseModel], name: str, form_name: str, type_: str, key: tuple[str, ...], **extra
) -> FormField:
    """A form field whose limits, choices and example are those of a model's field."""
    spec = _property(model, name)
    examples = spec.get("examples") or spec.get("items", {}).get("examples") or [None]
    choices = tuple(Choice(value, f"{form_name}.{value}") for value in spec.get("enum", ()))
    return FormField(
        name=form_name,
        type=type_,
        required=name in _json_schema(model).get("required", ()),
        label=f"field.{form_name}",
        max_length=spec.get("maxLength"),
        min_length=spec.get("minLength"),
        max_items=spec.get("maxItems"),
        min_items=spec.get("minItems"),
        choices=choices,
        example=examples[0],
        key=key,
        **extra,
    )


def _profile(name: str, type_: str, **extra) -> FormField:
    return _field(schema.Profile, name, name, type_, (name,), **extra)


def _link(name: str) -> FormField:
    return _field(schema.Links, name, name, "url", ("links", name))


LINK_FIELDS = tuple(name for name in schema.Links.model_fields if name != "other")

PROFILE_FIELDS: tuple[FormField, ...] = (
    _profile("name", "text"),
    _profile("kind", "select"),
    _profile("cities", "multi-select"),
    _profile("disciplines", "multi-select"),
    _profile("languages", "multi-select"),
    _profile("lang", "select"),
    _profile("summary", "textarea"),
    FormField(
        "photo",
        "file",
        required=True,
        label="field.photo",
        accept=ACCEPTED_PHOTOS,
        max_bytes=MAX_BYTES,
        key=("photo", "file"),
    ),
    _field(schema.Photo, "alt", "photo_alt", "text", ("photo", "alt")),
    _field(schema.Photo, "credit", "photo_credit", "text", ("photo", "credit")),
    FormField(
        "about", "textarea", required=False, label="field.about", max_length=ABOUT_MAX_LENGTH, multiline=True
    ),
    _profile("looking_for", "textarea", multiline=True),
    *(_link(name) for name in LINK_FIELDS),
    _field(schema.Links, "other", "other_links", "textarea", ("links", "other"), multiline=True),
    _profile("email", "email"),
    FormField("publish_email", "checkbox", required=False, label="field.publish_email"),
    FormField("consent", "checkbox", required=True, label="field.consent", key=("consent",)),
    FormField(
        "consent_version",
        "hidden",
        required=True,
        label="field.consent_version",
        choices=tuple(Choice(v, f"consent_version.{v}") for v in schema.CONSENT_VERSIONS),
        default=schema.CONSENT_VERSIONS[-1],
        key=("consent", "version"),
    ),
)
"""The fields of the new-profile form, in the order the form shows them (choices from content: see
:func:`profile_fields`). ``email`` is the private address for the e-mail check; it is written to the
profile only when ``publish_email`` is ticked. ``other_links`` takes one address a line."""

FIELDS_BY_NAME = {f.name: f for f in PROFILE_FIELDS}


def _named(values: Mapping[str, tuple[str | None, str | None]], ui_label: str) -> tuple[Choice, ...]:
    """Choices from slugs and their German and English names, sorted by the English name."""
    ordered = sorted(values.items(), key=lambda pair: ((pair[1][1] or pair[0]).casefold(), pair[0]))
    return tuple(Choice(slug, f"{ui_label}.{slug}", de, en) for slug, (de, en) in ordered)


def _content_choices(content: Path) -> tuple[dict, dict, set[str]]:
    """Cities and disciplines with their names, and the languages of the cities, read from content/."""
    cities: dict[str, tuple[str, str]] = {}
    languages = {"de", "en"}
    for path in sorted((content / "cities").glob("*.yaml")):
        item, _ = read_item(path, "city")
        if item is not None:  # an invalid city is the base branch's problem, not the form's
            cities[item.slug] = (item.meta.names.de, item.meta.names.en)
            languages.update(item.meta.languages)
    disciplines: dict[str, tuple[str, str]] = {}
    path = content / DISCIPLINES_FILE
    text = read_text(path, str(path), MAX_YAML_BYTES)[0] if path.is_file() else None
    try:
        listed = (
            schema.Disciplines.model_validate(read_document(text, with_body=False).data) if text else None
        )
    except (ContentError, ValidationError):
        listed = None
    for entry in listed.disciplines if listed else ():
        disciplines[entry.slug] = (entry.names.get("de"), entry.names.get("en"))
    return cities, disciplines, languages


def profile_fields(content_root: Path) -> list[FormField]:
    """The fields of the new-profile form, with the cities, disciplines and languages of content/."""
    cities, disciplines, languages = _content_choices(Path(content_root) / CONTENT)
    names = {code: (language_name(code, "de"), language_name(code, "en")) for code in languages}
    filled = {
        "cities": _named(cities, "cities"),
        "disciplines": _named(disciplines, "disciplines"),
        "languages": _named(names, "languages"),
        "lang": _named(names, "languages"),
    }
    return [replace(f, choices=filled[f.name]) if f.name in filled else f for f in PROFILE_FIELDS]


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one form field, in the validator's words, shown next to the field."""

    field: str
    message: str


class SubmissionInvalid(Exception):
    """The form has problems the submitter can fix; each names its field."""

    def __init__(self, problems: list[FieldProblem]):
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


@dataclass(frozen=True)
class Submission:
    """The content files of one accepted submission, and what the pull request says about them."""

    kind: str
    slug: str
    files: dict[str, bytes]
    """Repository-relative paths, e.g. content/profiles/<slug>.md and content/profiles/<slug>.jpg."""
    title: str
    summary_line: str
    """One line in German and English, as ``cucon summary`` writes it."""
    contact_email: str | None
    """The private address for the e-mail check; in ``files`` only when the person chose to publish it."""
    content_hash: str
    """SHA-256 over the files' paths and bytes with the id left out: identical forms hash alike."""
    permanent_id: str
    deletions: tuple[str, ...] = ()
    """Files the pull request deletes (a withdrawal)."""


@dataclass(frozen=True)
class Published:
    """A published profile that an update keeps the slug, the permanent id and (without a new upload)
    the photo file of."""

    slug: str
    permanent_id: str
    photo_file: str | None = None


# --- reading the form ---------------------------------------------------------------------------


def _texts(value: object) -> list[str]:
    """The strings a form value holds (one, or a list; anything else, such as an upload, is none)."""
    values = value if isinstance(value, list | tuple) else [value]
    return [v for v in values if isinstance(v, str)]


def _tidy(text: str, multiline: bool) -> str:
    """A value in NFC without surrounding blanks; on one line unless the field takes several.

    >>> _tidy(" Anna\\r\\n  Kowalska ", False), _tidy("a\\r\\nb ", True)
    ('Anna Kowalska', 'a\\nb')
    """
    text = normalise(text).replace("\r\n", "\n").replace("\r", "\n").strip()
    return text if multiline else " ".join(text.split())


def is_ticked(value: object) -> bool:
    """True when a checkbox was ticked.

    >>> is_ticked("on"), is_ticked(["", "true"]), is_ticked(None), is_ticked("off")
    (True, True, False, False)
    """
    return any(v.strip().lower() in TRUE_VALUES for v in _texts(value))


@dataclass
class _Form:
    """The known fields of a posted form, tidied; the problems found before validation."""

    values: dict[str, str | list[str] | bool | None] = field(default_factory=dict)
    problems: list[FieldProblem] = field(default_factory=list)

    def text(self, name: str) -> str | None:
        value = self.values.get(name)
        return value if isinstance(value, str) and value else None


def _read_form(form: Mapping[str, object]) -> _Form:
    """Read only the known fields; a field that should hold one value and holds more is a problem."""
    read = _Form()
    for spec in PROFILE_FIELDS:
        if spec.type == "file":
            continue
        raw = form.get(spec.name)
        if spec.type == "checkbox":
            read.values[spec.name] = is_ticked(raw)
            continue
        values = [_tidy(v, spec.multiline) for v in _texts(raw)]
        if spec.type == "multi-select":
            read.values[spec.name] = [part.strip() for v in values for part in v.split(",") if part.strip()]
        elif spec.name == "other_links":
            read.values[spec.name] = [line.strip() for v in values for line in v.split("\n") if line.strip()]
        elif len([v for v in values if v]) > 1:
            read.problems.append(FieldProblem(spec.name, "give one value only"))
        else:
            read.values[spec.name] = next((v for v in values if v), None)
    return read


def _schema_message(exc: ValidationError) -> str:
    """The plain message of the first error of a value checked with a schema type."""
    error = exc.errors(include_url=False)[0]
    return str(error.get("ctx", {}).get("error", error["msg"]))


_EMAIL = TypeAdapter(schema.Email)


def _check_form(read: _Form) -> None:
    """What the validator cannot see: consent, the private e-mail address, the length of the body."""
    if not read.values.get("consent"):
        read.problems.append(
            FieldProblem("consent", "please agree to the consent text; without it nothing can be published")
        )
    email = read.text("email")
    if email:
        try:
            _EMAIL.validate_python(email)
        except ValidationError as exc:
            read.problems.append(FieldProblem("email", _schema_message(exc)))
    elif read.values.get("publish_email"):
        read.problems.append(FieldProblem("email", "give the e-mail address to publish"))
    about = read.text("about") or ""
    if len(about) > ABOUT_MAX_LENGTH:
        read.problems.append(
            FieldProblem("about", f"is {len(about)} characters long; at most {ABOUT_MAX_LENGTH} allowed")
        )


def _display_name(name: str | None) -> str:
    """An uploaded file's name, safe to repeat in a message: its last part, printable, short.

    >>> _display_name("C:\\\\Users\\\\x\\\\Bild 1.PNG"), _display_name(None), _display_name("a\\u202eb.jpg")
    ('Bild 1.PNG', 'photo', 'ab.jpg')
    """
    base = re.split(r"[/\\]", name or "")[-1]
    base = "".join(
        c for c in normalise(base) if c.isprintable() and c not in "\u202a\u202b\u202c\u202d\u202e"
    )
    return base[:80].strip() or "photo"


def _clean_photo(
    read: _Form, photo: bytes | None, photo_name: str | None, optional: bool = False
) -> bytes | None:
    """The photo as a clean JPEG without metadata, or None with a problem on the photo field (none
    when the photo is ``optional`` and missing)."""
    if photo is None and optional:
        return None
    if photo is None:
        read.problems.append(FieldProblem("photo", "a photo is required: a JPEG, PNG or WebP picture"))
        return None
    try:
        return clean_upload(photo, _display_name(photo_name))
    except ImageRefused as refused:
        read.problems.append(FieldProblem("photo", str(refused)))
        return None


# --- writing the files --------------------------------------------------------------------------


def taken_slugs(content: Path) -> set[str]:
    """Slugs a new profile may not take: those of profile files and photos, tombstones, reserved paths."""
    taken = set(RESERVED_ITEM_SLUGS | RESERVED_PAGE_SLUGS)
    folder = content / "profiles"
    if folder.is_dir():
        taken.update(p.name.split(".", 1)[0] for p in folder.rglob("*") if not p.is_dir())
    removed = content / REMOVED_FILE
    if removed.is_file():
        try:
            data = read_document(removed.read_text("utf-8-sig"), with_body=False).data
        except (ContentError, UnicodeDecodeError):
            data = {}
        entries = data.get("removed") if isinstance(data.get("removed"), list) else []
        taken.update(
            str(e.get("slug")) for e in entries if isinstance(e, dict) and e.get("type") == "profile"
        )
    return taken


def free_slug(name: str, taken: set[str]) -> str:
    """The slug of a name, with ``-2``, ``-3`` … until it is free, and never longer than the slug rule.

    >>> free_slug("Anna Kowalska", {"anna-kowalska", "anna-kowalska-2"}), free_slug("Page", {"page"})
    ('anna-kowalska-3', 'page-2')
    """
    base = make_slug(name)
    slug, number = base, 1
    while slug in taken:
        number += 1
        suffix = f"-{number}"
        slug = f"{base[: 80 - len(suffix)].rstrip('-')}{suffix}"
    return slug


def markdown_file(data: dict, body: str) -> bytes:
    """A Markdown content file: the YAML front matter written by the YAML dumper, then the body."""
    front = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    return f"---\n{front}---\n{body}".encode()


def _front_matter(read: _Form, slug: str, today: date) -> dict:
    """The profile's front matter; a missing required value is left out, for the validator to name."""
    values = read.values
    email = read.text("email") if values.get("publish_email") else None
    photo = {"file": f"{slug}.jpg", "alt": read.text("photo_alt"), "credit": read.text("photo_credit")}
    links = {name: read.text(name) for name in LINK_FIELDS}
    links["other"] = values.get("other_links") or None
    data = {
        "id": ID_PLACEHOLDER,
        "name": read.text("name"),
        "kind": read.text("kind"),
        "cities": values.get("cities") or None,
        "disciplines": values.get("disciplines") or None,
        "languages": values.get("languages") or None,
        "summary": read.text("summary"),
        "photo": {k: v for k, v in photo.items() if v is not None},
        "links": {k: v for k, v in links.items() if v is not None},
        "email": email,
        "looking_for": read.text("looking_for"),
        "consent": {"date": today.isoformat(), "version": read.text("consent_version")},
        "lang": read.text("lang"),
    }
    if data["consent"]["version"] is None:
        del data["consent"]["version"]
    return {k: v for k, v in data.items() if v is not None}


def content_hash(files: Mapping[str, bytes]) -> str:
    """SHA-256 over the sorted paths and bytes of some files.

    >>> content_hash({"b": b"2", "a": b"1"}) == content_hash({"a": b"1", "b": b"2"})
    True
    """
    digest = hashlib.sha256()
    for path in sorted(files):
        data = files[path]
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


# --- validating with the validator of CI --------------------------------------------------------

MIRRORED_SUFFIXES = (".md", ".yaml", ".yml")


@cache
def _stand_in() -> bytes:
    """A tiny valid JPEG that takes the place of every existing image in the mirror."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (128, 128, 128)).save(buffer, "JPEG")
    return buffer.getvalue()


def mirror_content(content: Path, target: Path) -> None:
    """Mirror ``content`` into ``target`` for the validator: text files copied, images stood in for.

    Every item, city, network and tombstone is there, so slugs, ids, references and internal links
    are checked as CI checks them; each existing image is a hard link to one small stand-in (their
    pixels are the base branch's business), so the cost is one small copy per text file.
    """
    target.mkdir(parents=True)
    stand_in = target.parent / "stand-in.jpg"
    stand_in.write_bytes(_stand_in())
    for folder, _, names in os.walk(content):
        for name in names:
            source = Path(folder) / name
            suffix = source.suffix.lower()
            if source.is_symlink() or suffix not in (*MIRRORED_SUFFIXES, *IMAGE_SUFFIXES):
                continue  # never followed, and not what a new profile's validity depends on
            copy = target / source.relative_to(content)
            copy.parent.mkdir(parents=True, exist_ok=True)
            if suffix in MIRRORED_SUFFIXES:
                shutil.copyfile(source, copy)
            else:
                try:
                    os.link(stand_in, copy)
                except OSError:
                    shutil.copyfile(stand_in, copy)


def _key_path(field_name: str) -> tuple[str, ...]:
    """A problem's field as a key path without list positions.

    >>> _key_path("links.other[2]"), _key_path("photo.alt"), _key_path("(body)")
    (('links', 'other'), ('photo', 'alt'), ('(body)',))
    """
    return tuple(part for part in re.findall(r"[^.\[\]]+", field_name) if not part.isdigit())


def form_field_of(problem: ContentProblem) -> str | None:
    """The form field a problem in the new profile concerns, or None when no field does.

    >>> form_field_of(ContentProblem("p.md", 9, "photo.alt", "too short"))
    'photo_alt'
    >>> form_field_of(ContentProblem("p.md", 12, "links", "instagram: 'x' is not an address on instagram.com"))
    'instagram'
    >>> form_field_of(ContentProblem("p.md", 4, "cities[1]", "unknown city")), form_field_of(ContentProblem())
    ('cities', None)
    """
    if problem.field == "(body)":
        return "about"
    path = _key_path(problem.field)
    if path == ("links",):  # the check of platform hosts names the platform first
        path = (*path, problem.message.split(":", 1)[0])
    for end in range(len(path), 0, -1):
        for spec in PROFILE_FIELDS:
            if spec.key == path[:end]:
                return spec.name
    under = [spec.name for spec in PROFILE_FIELDS if path and spec.key[: len(path)] == path]
    return under[0] if under else None


class _FolderRevisions:
    """The reads of :class:`cucon.review.Revisions` that the summary makes, served from a folder."""

    base = head = "HEAD"

    def __init__(self, root: Path):
        self.root = root

    def files(self, rev: str, folder: str) -> list[str]:
        start = self.root / folder
        return sorted(p.relative_to(self.root).as_posix() for p in start.rglob("*") if p.is_file())

    def read(self, rev: str, paths: list[str]) -> dict[str, bytes | None]:
        return {p: (self.root / p).read_bytes() if (self.root / p).is_file() else None for p in paths}


def summary_line(site_root: Path, path: str, raw: bytes) -> str:
    """The line ``cucon summary`` writes for a new file of the site at ``site_root``."""
    summary = Summary(_FolderRevisions(site_root), CONTENT)
    summary.item_line(Change("A", path), raw, None)
    return summary.lines[0][2]


def _unresolved(read: _Form, site: Site) -> list[ContentProblem]:
    """Unknown cities and disciplines, in the validator's words, for a file it refused before it
    looked at references: so the form hears of every problem at once, not one round after another."""
    suggest = Suggester()
    problems = []
    for name, kind, known in (
        ("cities", "city", site.cities),
        ("disciplines", "discipline", site.disciplines),
    ):
        values = read.values.get(name) or []
        for index, value in enumerate(values):
            if value not in known:
                problems.append(
                    ContentProblem("", 1, f"{name}[{index}]", suggest.unknown(kind, value, known))
                )
    return problems


def _validate(content_root: Path, slug: str, files: Mapping[str, bytes], read: _Form) -> str:
    """Run the validator on content/ with the new files; return the summary line, or raise."""
    with tempfile.TemporaryDirectory(prefix="cucon-submission-") as folder:
        site_root = Path(folder) / "site"
        mirror_content(Path(content_root) / CONTENT, site_root / CONTENT)
        for path, data in files.items():
            (site_root / path).write_bytes(data)
        site = load_site(site_root / CONTENT)
        _add_problems(site, [site_root / path for path in files], slug, read)
        if read.problems:
            raise SubmissionInvalid(_ordered(read.problems))
        markdown = f"{PROFILES}/{slug}.md"
        return summary_line(site_root, markdown, files[markdown])


def _add_problems(site: Site, new: list[Path], slug: str, read: _Form) -> None:
    """Add the validator's problems with the new files to the form's, each at its field."""
    ours = problems_in(site.problems, new)
    others = [p for p in site.problems if p not in ours]
    if others:
        listed = "; ".join(p.format_text() for p in sorted(others)[:20])
        raise RuntimeError(f"the content of the base branch has {len(others)} problem(s): {listed}")
    if ("profile", slug) in site.invalid:
        ours += _unresolved(read, site)
    flagged = {p.field for p in read.problems}
    for problem in ours:
        name = form_field_of(problem)
        if name is None:
            raise RuntimeError(f"the bot wrote a file the validator refuses: {problem.format_text()}")
        if name not in flagged:
            read.problems.append(FieldProblem(name, problem.message))


def _ordered(problems: list[FieldProblem]) -> list[FieldProblem]:
    """Problems in the order of the form's fields, each once."""
    order = {spec.name: index for index, spec in enumerate(PROFILE_FIELDS)}
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: order.get(p.field, len(order)))


def _files(slug: str, markdown: bytes, photo: bytes | None) -> dict[str, bytes]:
    files = {f"{PROFILES}/{slug}.md": markdown}
    if photo is not None:
        files[f"{PROFILES}/{slug}.jpg"] = photo
    return files


def profile_submission(
    form: Mapping[str, str | list[str]],
    photo: bytes | None,
    photo_name: str | None,
    content_root: Path,
    today: date,
    *,
    keep: Published | None = None,
) -> Submission:
    """Turn a posted new-profile form and its photo into the files of a pull request.

    ``content_root`` is a checkout of the base branch (it holds ``content/``). Raises
    :class:`SubmissionInvalid` with every problem of the form at once, or :class:`RuntimeError`
    when the base branch itself does not pass the validator. With ``keep`` the form updates that
    published profile: its slug and permanent id stay, and without an upload its photo stays too.
    """
    read = _read_form(form)
    _check_form(read)
    clean = _clean_photo(read, photo, photo_name, optional=keep is not None and keep.photo_file is not None)
    if keep is None:
        slug = free_slug(read.text("name") or "", taken_slugs(Path(content_root) / CONTENT))
    else:
        slug = keep.slug
    data = _front_matter(read, slug, today)
    if keep is not None and clean is None:
        data["photo"]["file"] = keep.photo_file
    about = read.text("about")
    body = f"\n{about}\n" if about else ""
    hashed = _files(slug, markdown_file(data, body), clean)
    permanent_id = mint_id() if keep is None else keep.permanent_id
    files = _files(slug, markdown_file({**data, "id": permanent_id}, body), clean)
    line = _validate(content_root, slug, files, read)
    return Submission(
        kind="profile" if keep is None else "update",
        slug=slug,
        files=files,
        title=str(data["name"]),
        summary_line=line,
        contact_email=read.text("email"),
        content_hash=content_hash(hashed),
        permanent_id=permanent_id,
    )
