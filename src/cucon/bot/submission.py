"""From a posted form to the content files of a pull request, validated by the same validator as CI.

Three forms share this pipeline: a new profile (:data:`PROFILE`), a new call (:data:`CALL`) and a
news or event tip (:data:`NEWS`); a :class:`FormKind` holds what differs between them. The
pipeline of one submission, before anything is pushed:

1. Read only the known fields of the form (e.g. :data:`PROFILE_FIELDS`); anything else, such as
   ``save_as``, ``template``, ``slug`` or ``../x``, is ignored and never written. Values are
   normalised with the shared text rules (NFC, one line where the schema wants one line).
2. Clean the photo or image with the shared image module (:func:`cucon.images.clean_upload`): a JPEG
   encoded anew from pixels, so no EXIF, GPS position or camera serial number ever reaches a branch.
3. Derive the slug from the name or title (``-2``, ``-3`` … when taken or reserved), mint the permanent id
   and write the front matter from each field's key (:mod:`cucon.bot.formmap`, the same mapping that
   reads a file back into the form) with the YAML dumper, never by pasting user text into YAML.
4. Validate with :func:`cucon.checks.load_site`, the validator of ``cucon check`` and CI, on a
   mirror of ``content/`` plus the new files, and report each problem next to its form field.
   Checks the schema cannot make (the consent box, the private e-mail address, the length of the
   body) are the form's own.
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

from pydantic import BaseModel, TypeAdapter, ValidationError

from cucon import schema
from cucon.bot.formmap import BODY_KEY, Choice, FormField, FormMap
from cucon.bot.languages import LANGS
from cucon.catalog import bilingual
from cucon.checks import RESERVED_ITEM_SLUGS, RESERVED_PAGE_SLUGS, Suggester, load_site
from cucon.content import (
    DISCIPLINES_FILE,
    IMAGE_SUFFIXES,
    MAX_YAML_BYTES,
    REMOVED_FILE,
    Site,
    problems_in,
    read_item,
    read_text,
)
from cucon.frontmatter import dump_yaml, read_document
from cucon.i18n import language_name
from cucon.images import MAX_BYTES, ImageRefused, clean_upload
from cucon.members import member_slug
from cucon.problems import ContentError, ContentProblem, english
from cucon.review.pr_summary import PullRequestSummary
from cucon.review.revisions import ChangedFile
from cucon.scaffold import mint_id
from cucon.text import LATIN_SCRIPTS, make_slug, normalise, script_of

CONTENT = "content"
PROFILES = f"{CONTENT}/profiles"
CALLS = f"{CONTENT}/calls"
NEWS_FOLDER = f"{CONTENT}/news"

ABOUT_MAX_LENGTH = 5000
"""The longest text (the Markdown body) the forms take; the schema caps only the file."""

TRUE_VALUES = frozenset({"on", "true", "1", "yes"})
"""What browsers and the issue-form converter send for a ticked checkbox."""

ACCEPTED_PHOTOS = "image/jpeg,image/png,image/webp"

DEFAULT_DEADLINE_TIME = "23:59"
"""The time of a call's deadline when the form gives only its day."""


# --- the form -----------------------------------------------------------------------------------


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
    model: type[BaseModel],
    name: str,
    form_name: str,
    type_: str,
    key: tuple[str, ...],
    *,
    choice_label: str | None = None,
    **extra,
) -> FormField:
    """A form field whose limits, choices and example are those of a model's field (choices are
    named ``<choice_label>.<value>``, by default after the form field)."""
    spec = _property(model, name)
    items = spec.get("items", {})
    examples = spec.get("examples") or items.get("examples") or [None]
    prefix = choice_label or form_name
    choices = tuple(Choice(value, f"{prefix}.{value}") for value in spec.get("enum", items.get("enum", ())))
    if type_ == "multi-select":
        extra.setdefault("separator", ",")
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


def _top(model: type[BaseModel], type_by_name: dict[str, str], **extra) -> tuple[FormField, ...]:
    """Fields named and keyed like the model's own top-level fields."""
    return tuple(_field(model, name, name, type_, (name,), **extra) for name, type_ in type_by_name.items())


def _profile(name: str, type_: str, **extra) -> FormField:
    return _field(schema.Profile, name, name, type_, (name,), **extra)


def _link(name: str) -> FormField:
    return _field(schema.Links, name, name, "url", ("links", name))


def _image(name: str, required: bool, model: type[BaseModel]) -> tuple[FormField, ...]:
    """An upload with its alternative text and credit, under the key of its name (``photo`` or ``image``)."""
    upload = FormField(
        name,
        "file",
        required=required,
        label=f"field.{name}",
        accept=ACCEPTED_PHOTOS,
        max_bytes=MAX_BYTES,
        key=(name, "file"),
        group=name,
    )
    alt = _field(model, "alt", f"{name}_alt", "text", (name, "alt"), group=name)
    credit = _field(model, "credit", f"{name}_credit", "text", (name, "credit"), group=name)
    return (upload, replace(alt, required=required), credit)


def _body(name: str) -> FormField:
    """The Markdown body: several lines, optional, at most :data:`ABOUT_MAX_LENGTH` characters."""
    return FormField(
        name, "textarea", required=False, label=f"field.{name}", max_length=ABOUT_MAX_LENGTH,
        multiline=True, key=BODY_KEY,
    )  # fmt: skip


def _contact_and_consent(publish_email: bool, consent_in_file: bool) -> tuple[FormField, ...]:
    """The private e-mail address for the e-mail check, and the consent box with its version (in the
    file's ``consent`` block where the schema keeps one: ticking the box dates it)."""
    email = FormField("email", "email", required=False, label="field.email", max_length=254)
    if publish_email:
        email = _profile("email", "email")
    shown = (FormField("publish_email", "checkbox", required=False, label="field.publish_email"),)
    return (
        email,
        *(shown if publish_email else ()),
        FormField(
            "consent",
            "checkbox",
            required=True,
            label="field.consent",
            key=("consent", "date") if consent_in_file else (),
        ),
        FormField(
            "consent_version",
            "hidden",
            required=True,
            label="field.consent_version",
            choices=tuple(Choice(v, f"consent_version.{v}") for v in schema.CONSENT_VERSIONS),
            default=schema.CONSENT_VERSIONS[-1],
            key=("consent", "version") if consent_in_file else (),
        ),
    )


LINK_FIELDS = tuple(name for name in schema.Links.model_fields if name != "other")

SORT_AS_ASKED = "sort_as_asked"
"""The hidden field that carries the name the form asked a Latin-script reading for (:func:`reading_wanted`)."""

PROFILE_FIELDS: tuple[FormField, ...] = (
    _profile("name", "text"),
    _profile("sort_as", "text"),
    FormField(SORT_AS_ASKED, "hidden", required=False, label=f"field.{SORT_AS_ASKED}"),
    _profile("kind", "select"),
    _profile("cities", "multi-select"),
    _profile("disciplines", "multi-select"),
    _profile("languages", "multi-select"),
    _profile("lang", "select"),
    _profile("summary", "textarea"),
    *(replace(f, group=None) for f in _image("photo", True, schema.Photo)),
    _body("about"),
    _profile("looking_for", "textarea", multiline=True),
    _profile("offers", "multi-select", choice_label="offer"),
    _profile("seeks", "multi-select", choice_label="offer"),
    *(_link(name) for name in LINK_FIELDS),
    _field(
        schema.Links, "other", "other_links", "textarea", ("links", "other"), multiline=True, separator="\n"
    ),
    _profile("contact", "select", default="form"),
    *_contact_and_consent(publish_email=True, consent_in_file=True),
)
"""The fields of the new-profile form, in the order the form shows them (choices from content: see
:func:`form_fields`). ``email`` is the private address for the e-mail check; it is written to the
profile only when ``publish_email`` is ticked. ``other_links`` takes one address a line. ``sort_as``,
the name in Latin letters, is optional: the form asks for it once for a name in another script."""

FIELDS_BY_NAME = {f.name: f for f in PROFILE_FIELDS}


def _event(name: str, form_name: str, type_: str) -> FormField:
    return _field(schema.Event, name, form_name, type_, ("event", name), group="event")


CALL_FIELDS: tuple[FormField, ...] = (
    *_top(schema.Call, {"kind": "select"}, choice_label="call_kind"),
    *_top(schema.Call, {"title": "text", "summary": "textarea"}),
    _field(schema.Organiser, "profile", "organiser_profile", "select", ("organiser", "profile"), group="organiser"),
    _field(schema.Organiser, "name", "organiser_name", "text", ("organiser", "name"), group="organiser"),
    *_top(schema.Call, {"cities": "multi-select", "disciplines": "multi-select"}),
    _field(schema.OpenTo, "everyone", "open_to_everyone", "checkbox", ("open_to", "everyone"), group="open_to"),
    _field(schema.OpenTo, "cities", "open_to_cities", "multi-select", ("open_to", "cities"), group="open_to"),
    replace(
        _field(schema.OpenTo, "countries", "open_to_countries", "text", ("open_to", "countries"), separator=",",
               group="open_to"),
        example="DE, PL",
    ),
    replace(_field(schema.Call, "deadline", "deadline_date", "date", ("deadline",), group="deadline"), example=None),
    FormField(
        "deadline_time", "time", required=False, label="field.deadline_time", default=DEFAULT_DEADLINE_TIME,
        key=("deadline",), group="deadline",
    ),
    *_top(schema.Call, {"opens": "date", "results": "date"}),
    replace(_field(schema.Fee, "amount", "fee_amount", "text", ("fee", "amount"), group="fee"),
            required=False, example="25"),
    replace(_field(schema.Fee, "currency", "fee_currency", "text", ("fee", "currency"), group="fee"),
            required=False, default="EUR", max_length=3),
    replace(_field(schema.Award, "amount", "award_amount", "text", ("award", "amount"), group="award"),
            required=False, example="4000"),
    replace(_field(schema.Award, "currency", "award_currency", "text", ("award", "currency"), group="award"),
            required=False, default="EUR", max_length=3),
    replace(_field(schema.Award, "kind", "award_kind", "select", ("award", "kind"), group="award"),
            required=False),
    *_top(schema.Call, {"covers": "multi-select"}, choice_label="covers"),
    *_top(schema.Call, {"offers": "multi-select"}, choice_label="offer"),
    *_top(schema.Call, {"apply": "text", "lang": "select"}),
    _body("body"),
    *_contact_and_consent(publish_email=False, consent_in_file=False),
)  # fmt: skip
"""The fields of the new-call form. The organiser is a profile or a name; who may apply is everyone,
or cities and countries (ISO codes, separated by commas); the deadline is a day and a local time
(:data:`DEFAULT_DEADLINE_TIME` without one); a fee is an amount and a currency (none without an
amount); the money offered (``award``) an amount, a currency and a kind (none without an amount or a kind). ``published`` is the day of the post, set by the service."""

NEWS_FIELDS: tuple[FormField, ...] = (
    *_top(schema.News, {"kind": "select"}, choice_label="news_kind"),
    *_top(schema.News, {"title": "text", "summary": "textarea", "cities": "multi-select"}),
    *_top(schema.News, {"disciplines": "multi-select"}),
    replace(_event("start", "event_start_date", "date"), required=False, example=None),
    FormField("event_start_time", "time", required=False, label="field.event_start_time", key=("event", "start"),
              group="event"),
    replace(_event("end", "event_end_date", "date"), example=None),
    FormField("event_end_time", "time", required=False, label="field.event_end_time", key=("event", "end"),
              group="event"),
    _event("venue", "event_venue", "text"),
    _event("address", "event_address", "text"),
    _event("online", "event_online", "url"),
    *_image("image", False, schema.Image),
    *_top(schema.News, {"lang": "select"}),
    _body("body"),
    *_contact_and_consent(publish_email=False, consent_in_file=False),
)  # fmt: skip
"""The fields of the news form. The event fields (a day and a time for the start and the end, the
venue, the address, an online address) are needed when the kind is an event; the image is optional,
and with it its alternative text. ``date`` is the day of the post, set by the service."""


def _named(
    values: Mapping[str, tuple[str | None, str | None]],
    ui_label: str,
    more: Mapping[str, Mapping[str, str]] | None = None,
) -> tuple[Choice, ...]:
    """Choices from slugs and their German and English names (and names in ``more`` languages by
    slug), sorted by the English name."""
    ordered = sorted(values.items(), key=lambda pair: ((pair[1][1] or pair[0]).casefold(), pair[0]))
    return tuple(
        Choice(slug, f"{ui_label}.{slug}", de, en, tuple(sorted((more or {}).get(slug, {}).items())))
        for slug, (de, en) in ordered
    )


def _content_choices(content: Path) -> tuple[dict, dict, set[str], dict]:
    """Cities and disciplines with their names, the languages of the cities, and the names of cities and
    disciplines in further languages by kind and slug, read from content/."""
    cities: dict[str, tuple[str, str]] = {}
    more: dict[str, dict[str, dict[str, str]]] = {"cities": {}, "disciplines": {}}  # by kind and slug
    languages = {"de", "en"}
    for path in sorted((content / "cities").glob("*.yaml")):
        item, _ = read_item(path, "city")
        if item is not None:  # an invalid city is the base branch's problem, not the form's
            cities[item.slug] = (item.meta.names.de, item.meta.names.en)
            more["cities"][item.slug] = dict(item.meta.names.model_extra or {})
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
        more["disciplines"][entry.slug] = dict(entry.names)
    return cities, disciplines, languages, more


def _member_choices(content: Path, cities: Mapping[str, tuple[str, str]]) -> dict[str, tuple[str, str]]:
    """The members of the networks without a city file (:mod:`cucon.members`), by the slug content names them by."""
    members: dict[str, tuple[str, str]] = {}
    for path in sorted((content / "networks").glob("*.yaml")):
        item, _ = read_item(path, "network")
        for member in item.meta.members if item is not None else ():
            slug = member_slug(member)
            if slug not in cities:
                members.setdefault(slug, (member.name, member.name))
    return members


_PROFILE_NAMES: dict[Path, tuple[tuple[int, int], str | None]] = {}
"""The name read from each profile file, with the file's (mtime, size) when it was read: the call
form lists every profile, and reads again only the files that changed since."""


def profile_names(content: Path) -> dict[str, tuple[str, str]]:
    """The published profiles (not translations) by slug, with their name (the same in both languages)."""
    names: dict[str, tuple[str, str]] = {}
    folder = content / "profiles"
    seen = set()
    for path in sorted(folder.rglob("*.md")):
        if "." in path.stem or path.is_symlink():
            continue
        seen.add(path)
        name = _profile_name(path)
        if name is not None:
            names[path.stem] = (name, name)
    for gone in [path for path in _PROFILE_NAMES if path not in seen and path.is_relative_to(folder)]:
        del _PROFILE_NAMES[gone]
    return names


def _profile_name(path: Path) -> str | None:
    """The name of a profile file, read again only when the file changed."""
    try:
        stat = path.stat()
    except OSError:
        return None
    stamp = (stat.st_mtime_ns, stat.st_size)
    known = _PROFILE_NAMES.get(path)
    if known and known[0] == stamp:
        return known[1]
    try:
        data = read_document(path.read_text("utf-8-sig"), with_body=True).data
    except (ContentError, UnicodeDecodeError, OSError):
        data = None
    name = data.get("name") if isinstance(data, dict) else None
    _PROFILE_NAMES[path] = (stamp, name if isinstance(name, str) else None)
    return _PROFILE_NAMES[path][1]


def form_fields(kind: FormKind, content_root: Path) -> list[FormField]:
    """The fields of a form, with the cities, disciplines, languages (and profiles) of content/."""
    content = Path(content_root) / CONTENT
    cities, disciplines, languages, more = _content_choices(content)
    # The cities with a file of their own first, then the other members of the networks.
    city_choices = _named(cities, "cities", more["cities"]) + _named(
        _member_choices(content, cities), "cities"
    )
    names = {code: (language_name(code, "de"), language_name(code, "en")) for code in languages}
    more["languages"] = {code: {ui: language_name(code, ui) for ui in LANGS} for code in languages}
    filled = {
        "cities": city_choices,
        "open_to_cities": city_choices,
        "disciplines": _named(disciplines, "disciplines", more["disciplines"]),
        "languages": _named(names, "languages", more["languages"]),
        "lang": _named(names, "languages", more["languages"]),
    }
    if any(f.name == "organiser_profile" for f in kind.fields):
        filled["organiser_profile"] = _named(profile_names(content), "profiles")
    return [replace(f, choices=filled[f.name]) if f.name in filled else f for f in kind.fields]


def profile_fields(content_root: Path) -> list[FormField]:
    """The fields of the new-profile form, with the cities, disciplines and languages of content/."""
    return form_fields(PROFILE, content_root)


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldProblem:
    """A problem with one form field, shown next to the field: its English ``message``, and the
    ``code`` and ``values`` that give it in the form's language (:mod:`cucon.catalog`)."""

    field: str
    message: str
    code: str = ""
    values: Mapping[str, object] = field(default_factory=dict, compare=False, hash=False)

    @classmethod
    def of(cls, name: str, code: str, /, **values: object) -> FieldProblem:
        """A problem of a kind (:mod:`cucon.codes`) at the form field ``name``.

        >>> FieldProblem.of("title", "required")
        FieldProblem(field='title', message='this field is required', code='required', values={})
        """
        return cls(name, english(code, values), code, values)

    @classmethod
    def at(cls, name: str, problem: ContentProblem | ImageRefused) -> FieldProblem:
        """The validator's problem (or an image's refusal) at the form field ``name``."""
        return cls.of(name, problem.code, **problem.values)


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
    """A published profile that an update keeps the slug, the permanent id, (without a new upload)
    the photo file, and the fields the form does not show of."""

    slug: str
    permanent_id: str
    photo_file: str | None = None
    data: Mapping = field(default_factory=dict, compare=False, repr=False)
    """Its front matter as published."""


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

    def items(self, name: str) -> list[str] | None:
        value = self.values.get(name)
        return value if isinstance(value, list) and value else None


def _read_form(form: Mapping[str, object], fields: tuple[FormField, ...]) -> _Form:
    """Read only the known fields; a field that should hold one value and holds more is a problem."""
    read = _Form()
    for spec in fields:
        if spec.type == "file":
            continue
        raw = form.get(spec.name)
        if spec.type == "checkbox":
            read.values[spec.name] = is_ticked(raw)
            continue
        values = [_tidy(v, spec.multiline) for v in _texts(raw)]
        if spec.separator:
            read.values[spec.name] = [
                part.strip() for v in values for part in v.split(spec.separator) if part.strip()
            ]
        elif len([v for v in values if v]) > 1:
            read.problems.append(FieldProblem.of(spec.name, "one-value-only"))
        else:
            read.values[spec.name] = next((v for v in values if v), None)
    return read


def _schema_problem(name: str, exc: ValidationError) -> FieldProblem:
    """The first error of a value checked with a schema type, at the form field ``name``."""
    code, values = schema.problem_of(exc.errors(include_url=False)[0])
    return FieldProblem.of(name, code, **values)


_EMAIL = TypeAdapter(schema.Email)


def _check_form(read: _Form, body: str) -> None:
    """What the validator cannot see: consent and the version of its text, the private e-mail
    address, the length of the body."""
    if not read.values.get("consent"):
        read.problems.append(FieldProblem.of("consent", "consent-needed"))
    if consent_version(read) is None:  # not one of cucon.schema.CONSENT_VERSIONS
        read.problems.append(FieldProblem.of("consent_version", "unknown-consent-version"))
    email = read.text("email")
    if email:
        try:
            _EMAIL.validate_python(email)
        except ValidationError as exc:
            read.problems.append(_schema_problem("email", exc))
    elif read.values.get("publish_email"):
        read.problems.append(FieldProblem.of("email", "email-to-publish"))
    text = read.text(body) or ""
    if len(text) > ABOUT_MAX_LENGTH:
        read.problems.append(FieldProblem.of(body, "too-long", length=len(text), limit=ABOUT_MAX_LENGTH))


def needs_reading(name: object) -> bool:
    """Whether the A–Z list files a name under its own script unless it has a Latin-script reading
    (``sort_as``): a name that does not start in Latin script or with a digit.

    >>> needs_reading("劇団かきつばた"), needs_reading("Żuraw"), needs_reading("4 Hands"), needs_reading(" "), needs_reading(None)
    (True, False, False, False, False)
    """
    return isinstance(name, str) and script_of(name) not in (*LATIN_SCRIPTS, "")


def reading_wanted(values: Mapping[str, object]) -> FieldProblem | None:
    """The profile form's question for the name in Latin letters (``sort_as``), asked once for a name not
    in Latin script: None when the name is in Latin script, has a reading, or was asked about when the
    form came back (its hidden :data:`SORT_AS_ASKED` holds the name), so the form sent again is taken.

    >>> reading_wanted({"name": "相生サウンドラボ"}).code, reading_wanted({"name": "相生サウンドラボ", "sort_as": "Aioi"})
    ('sort-as-wanted', None)
    >>> reading_wanted({"name": "相生サウンドラボ", SORT_AS_ASKED: "相生サウンドラボ"}), reading_wanted({"name": "Aioi"})
    (None, None)
    """
    name, reading, asked = (values.get(key) for key in ("name", "sort_as", SORT_AS_ASKED))
    if not needs_reading(name) or (isinstance(reading, str) and reading.strip()):
        return None
    if isinstance(asked, str) and normalise(asked).strip() == normalise(name).strip():
        return None
    return FieldProblem.of("sort_as", "sort-as-wanted")


def consent_version(read: _Form) -> str | None:
    """The version of the consent text the form was sent with, taken from the allow-list
    :data:`cucon.schema.CONSENT_VERSIONS`; None for any other value, which is never repeated."""
    sent = read.text("consent_version")
    return next((version for version in schema.CONSENT_VERSIONS if version == sent), None)


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
    read: _Form, photo: bytes | None, photo_name: str | None, optional: bool = False, name: str = "photo"
) -> bytes | None:
    """The photo (or image) as a clean JPEG without metadata, or None with a problem on its field
    (none when it is ``optional`` and missing)."""
    if photo is None and optional:
        return None
    if photo is None:
        read.problems.append(FieldProblem.of(name, "photo-required"))
        return None
    try:
        return clean_upload(photo, _display_name(photo_name))
    except ImageRefused as refused:
        read.problems.append(FieldProblem.at(name, refused))
        return None


# --- writing the files --------------------------------------------------------------------------


def taken_slugs(content: Path, folder: str = "profiles", item_type: str = "profile") -> set[str]:
    """Slugs a new item may not take: those of the files in its folder, tombstones, reserved paths."""
    taken = set(RESERVED_ITEM_SLUGS | RESERVED_PAGE_SLUGS)
    items = content / folder
    if items.is_dir():
        taken.update(p.name.split(".", 1)[0] for p in items.rglob("*") if not p.is_dir())
    removed = content / REMOVED_FILE
    if removed.is_file():
        try:
            data = read_document(removed.read_text("utf-8-sig"), with_body=False).data
        except (ContentError, UnicodeDecodeError):
            data = {}
        entries = data.get("removed") if isinstance(data.get("removed"), list) else []
        taken.update(
            str(e.get("slug")) for e in entries if isinstance(e, dict) and e.get("type") == item_type
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
    """A Markdown content file: the YAML front matter (strings that look like numbers quoted), then the body."""
    front = dump_yaml(data)
    return f"---\n{front}---\n{body}".encode()


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


# --- the three forms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class FormKind:
    """What differs between the forms: the content type, its fields and the schema of its files."""

    name: str
    """The content type and the kind of the submission: profile, call or news."""
    folder: str
    """Where its files go, e.g. content/profiles."""
    fields: tuple[FormField, ...]
    title: str
    """The field the slug and the pull request's title come from."""
    model: type[BaseModel]
    """The schema of its files."""
    image: str | None = None
    """The file field, if the form has one."""
    body: str = "body"
    dated: str | None = None
    """The key that takes the day of the submission (see :attr:`FormMap.dated`)."""

    @property
    def consent_in_file(self) -> bool:
        """False: the schema has no consent field; the pull request names the version instead."""
        return any(spec.key[:1] == ("consent",) for spec in self.fields)

    @property
    def form_map(self) -> FormMap:
        """The mapping between the form and the front matter of its files."""
        return FormMap(self.fields, self.model, self.dated)

    def field_of(self, name: str) -> FormField:
        return next(f for f in self.fields if f.name == name)


PROFILE = FormKind("profile", PROFILES, PROFILE_FIELDS, "name", schema.Profile, image="photo", body="about")
CALL = FormKind("call", CALLS, CALL_FIELDS, "title", schema.Call, dated="published")
NEWS = FormKind("news", NEWS_FOLDER, NEWS_FIELDS, "title", schema.News, image="image", dated="date")
FORMS = {kind.name: kind for kind in (PROFILE, CALL, NEWS)}
"""The forms by the kind of their submission."""


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
                continue  # never followed, and not what a new item's validity depends on
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


def form_field_of(problem: ContentProblem, fields: tuple[FormField, ...] = PROFILE_FIELDS) -> str | None:
    """The form field a problem in the new file concerns, or None when no field does.

    The field comes from the problem's ``field`` path and :attr:`FormField.key`, never from its
    sentence. A problem of a rule between fields (the whole file's, such as a deadline before the day
    of publication, or a block's, such as an event's end before its start) goes to the first field
    under it of the keys the rule concerns (:data:`cucon.schema.RULE_KEYS`); the check of platform
    hosts, to the platform's field.

    >>> form_field_of(ContentProblem.of("p.md", 9, "photo.alt", "too-short", limit=3))
    'photo_alt'
    >>> form_field_of(ContentProblem.of("p.md", 12, "links", "wrong-platform", platform="instagram", value="'x'", host="instagram.com"))
    'instagram'
    >>> form_field_of(ContentProblem("p.md", 4, "cities[1]")), form_field_of(ContentProblem())
    ('cities', None)
    >>> form_field_of(ContentProblem.of("c.md", 1, "(file)", "published-after-deadline"), CALL_FIELDS)
    'deadline_date'
    >>> form_field_of(ContentProblem.of("c.md", 9, "published", "published-after-deadline"), CALL_FIELDS)
    'deadline_date'
    >>> form_field_of(ContentProblem.of("n.md", 9, "event", "end-before-start"), NEWS_FIELDS)
    'event_end_date'
    """
    path = _key_path(problem.field)
    if path == ("links",) and "platform" in problem.values:
        path = (*path, str(problem.values["platform"]))
    if not any(spec.key == path for spec in fields):
        keys = schema.RULE_KEYS.get(problem.code, ())
        # a rule's problem stands at one of its keys (or at the file when it has none of them): the
        # form field is looked for among all of them, under the block the rule belongs to
        base = () if path == ("(file)",) else path[:-1] if path and path[-1] in keys else path
        named = [k for k in keys if any(f.key[: len(base) + 1] == (*base, k) for f in fields)]
        path = (*base, named[0]) if named else path
    for end in range(len(path), 0, -1):
        for spec in fields:
            if spec.key == path[:end]:
                return spec.name
    under = [spec.name for spec in fields if path and spec.key[: len(path)] == path]
    return under[0] if under else None


class _FolderRevisions:
    """The reads of :class:`cucon.review.revisions.Revisions` that the summary makes, served from a folder."""

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
    summary = PullRequestSummary(_FolderRevisions(site_root), CONTENT)
    summary.item_line(ChangedFile("A", path), raw, None)
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
                code, words = suggest.unknown(kind, value, known)
                problems.append(ContentProblem.of("", 1, f"{name}[{index}]", code, **words))
    return problems


RENDERED_BODIES_MAX = 50_000
"""How many bodies' HTML :data:`_RENDERED_BODIES` keeps before it starts afresh."""

_RENDERED_BODIES: dict[str, str] = {}
"""The HTML of the base branch's bodies by digest, kept between posts, so that a post renders only
its own body within the render budget, not every body of the network again. A post's own files
never go in: what a stranger sent is not kept."""


def _validate(content_root: Path, kind: FormKind, slug: str, files: Mapping[str, bytes], read: _Form) -> str:
    """Run the validator on content/ with the new files; return the summary line, or raise."""
    with tempfile.TemporaryDirectory(prefix="cucon-submission-") as folder:
        site_root = Path(folder) / "site"
        mirror_content(Path(content_root) / CONTENT, site_root / CONTENT)
        for path, data in files.items():
            (site_root / path).parent.mkdir(parents=True, exist_ok=True)
            (site_root / path).write_bytes(data)
        rendered = dict(_RENDERED_BODIES)  # a copy: posts may be validated in several threads at once
        site = load_site(site_root / CONTENT, rendered=rendered)
        _keep_rendered(site, rendered, {site_root / path for path in files})
        _add_problems(site, [site_root / path for path in files], kind, slug, read)
        if read.problems:
            raise SubmissionInvalid(_ordered(read.problems, kind.fields))
        markdown = f"{kind.folder}/{slug}.md"
        return summary_line(site_root, markdown, files[markdown])


def _keep_rendered(site: Site, rendered: dict[str, str], new: set[Path]) -> None:
    """Keep the HTML of the base branch's bodies for the next post (not the post's own files)."""
    if len(_RENDERED_BODIES) > RENDERED_BODIES_MAX:
        _RENDERED_BODIES.clear()
    for item in site.items():
        if item.digest in rendered and item.source not in new:
            _RENDERED_BODIES[item.digest] = rendered[item.digest]


def _add_problems(site: Site, new: list[Path], kind: FormKind, slug: str, read: _Form) -> None:
    """Add the validator's problems with the new files to the form's, each at its field."""
    ours = problems_in(site.problems, new)
    others = [p for p in site.problems if p not in ours]
    if others:
        listed = "; ".join(p.format_text() for p in sorted(others)[:20])
        raise RuntimeError(f"the content of the base branch has {len(others)} problem(s): {listed}")
    if (kind.name, slug) in site.invalid:
        ours += _unresolved(read, site)
    flagged = {p.field for p in read.problems}
    fields = {p.field for p in ours}
    for problem in ours:
        if any(other.startswith(f"{problem.field}.") for other in fields):
            continue  # a value no option of a union took: the option it was meant for says more
        name = form_field_of(problem, kind.fields)
        if name is None:
            raise RuntimeError(f"the bot wrote a file the validator refuses: {problem.format_text()}")
        if name not in flagged:
            read.problems.append(FieldProblem.at(name, problem))


def _ordered(
    problems: list[FieldProblem], fields: tuple[FormField, ...] = PROFILE_FIELDS
) -> list[FieldProblem]:
    """Problems in the order of the form's fields, each once."""
    order = {spec.name: index for index, spec in enumerate(fields)}
    unique = list(dict.fromkeys(problems))
    return sorted(unique, key=lambda p: order.get(p.field, len(order)))


def _files(kind: FormKind, slug: str, markdown: bytes, image: bytes | None) -> dict[str, bytes]:
    files = {f"{kind.folder}/{slug}.md": markdown}
    if image is not None:
        files[f"{kind.folder}/{slug}.jpg"] = image
    return files


def _kept_on_update(kind: FormKind, published: Mapping, data: dict, *, new_image: bool, today: date) -> dict:
    """The front matter of an update: what the form wrote, the published fields it does not show (not
    a focus point of a photo it replaces), and ``updated`` set to the day of the edit."""
    published = dict(published)
    image = published.get(kind.image) if kind.image else None
    if new_image and isinstance(image, dict):  # the focus point was the old photo's
        published[kind.image] = {key: value for key, value in image.items() if key != "focus"}
    if "updated" in kind.form_map.model.model_fields:
        published["updated"] = today.isoformat()
    return kind.form_map.keep_unshown(published, data)


def submission(
    kind: FormKind,
    form: Mapping[str, str | list[str]],
    image: bytes | None,
    image_name: str | None,
    content_root: Path,
    today: date,
    *,
    keep: Published | None = None,
) -> Submission:
    """Turn a posted form (and its upload, if the form has one) into the files of a pull request.

    ``content_root`` is a checkout of the base branch (it holds ``content/``). Raises
    :class:`SubmissionInvalid` with every problem of the form at once, or :class:`RuntimeError`
    when the base branch itself does not pass the validator. With ``keep`` the form updates that
    published item: its slug and permanent id stay, and without an upload its image stays too.
    """
    read = _read_form(form, kind.fields)
    _check_form(read, kind.body)
    clean = None
    if kind.image is not None:
        optional = not kind.field_of(kind.image).required or (
            keep is not None and keep.photo_file is not None
        )
        clean = _clean_photo(read, image, image_name, optional=optional, name=kind.image)
        read.values[f"{kind.image}_file"] = clean is not None
    if keep is None:
        taken = taken_slugs(Path(content_root) / CONTENT, kind.folder.removeprefix(f"{CONTENT}/"), kind.name)
        slug = free_slug(read.text(kind.title) or "", taken)
    else:
        slug = keep.slug
    data, problems = kind.form_map.front_matter(read.values, slug, today)
    read.problems.extend(FieldProblem.of(name, code) for name, code in problems)
    if keep is not None and clean is None and kind.image in data:
        data[kind.image]["file"] = keep.photo_file
    if keep is not None:
        data = _kept_on_update(kind, keep.data, data, new_image=clean is not None, today=today)
    text = read.text(kind.body)
    body = f"\n{text}\n" if text else ""
    hashed = _files(kind, slug, markdown_file(data, body), clean)
    permanent_id = mint_id() if keep is None else keep.permanent_id
    files = _files(kind, slug, markdown_file({**data, "id": permanent_id}, body), clean)
    line = _validate(content_root, kind, slug, files, read)
    if not kind.consent_in_file:  # the schema keeps no consent: the pull request names its version
        line += f"\n\n{bilingual('pr.consent')}: v{consent_version(read)}, {today.isoformat()} ({bilingual('pr.form')})"
    return Submission(
        kind=kind.name if keep is None else "update",
        slug=slug,
        files=files,
        title=str(data.get(kind.title)),
        summary_line=line,
        contact_email=read.text("email"),
        content_hash=content_hash(hashed),
        permanent_id=permanent_id,
    )


def profile_submission(
    form: Mapping[str, str | list[str]],
    photo: bytes | None,
    photo_name: str | None,
    content_root: Path,
    today: date,
    *,
    keep: Published | None = None,
) -> Submission:
    """Turn a posted new-profile form and its photo into the files of a pull request (see :func:`submission`)."""
    return submission(PROFILE, form, photo, photo_name, content_root, today, keep=keep)


def call_submission(form: Mapping[str, str | list[str]], content_root: Path, today: date) -> Submission:
    """Turn a posted new-call form into the file of a pull request; ``published`` is ``today``."""
    return submission(CALL, form, None, None, content_root, today)


def news_submission(
    form: Mapping[str, str | list[str]],
    image: bytes | None,
    image_name: str | None,
    content_root: Path,
    today: date,
) -> Submission:
    """Turn a posted news form and its optional image into the files of a pull request; ``date`` is ``today``."""
    return submission(NEWS, form, image, image_name, content_root, today)
