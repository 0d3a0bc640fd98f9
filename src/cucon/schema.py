"""The content model: the one definition of every content type, used everywhere."""

from __future__ import annotations

import datetime as dt
import difflib
import re
import uuid
import zoneinfo
from decimal import Decimal, InvalidOperation
from functools import cache
from typing import Annotated, Literal, get_args
from urllib.parse import urlsplit

from babel import Locale
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    TypeAdapter,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import ErrorDetails, PydanticCustomError

from cucon.codes import ENGLISH
from cucon.text import LATIN_SCRIPTS, find_forbidden, has_visible_letter, is_slug, normalise, script_of

CONSENT_VERSIONS = ("1",)
"""Versions of the consent text in docs/consent/; a new text gets a new version."""

PELICAN_CONTROL_KEYS = frozenset(
    [
        "save_as",
        "url",
        "template",
        "status",
        "slug",
        "lang_save_as",
        "page_save_as",
        "article_save_as",
        "category",
        "tags",
        "author",
        "authors",
        "modified",
        "path",
        "override_url",
        "page_url",
        "article_url",
        "filename",
        "source_path",
        "private_url",
    ]
)
"""Keys Pelican would obey; refused so a contributed file can never overwrite another page."""


def _models_in(annotation: object) -> list[type[BaseModel]]:
    """The models an annotation can hold: itself, or those inside ``list[...]``, ``X | None``, ``Annotated``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [model for arg in get_args(annotation) for model in _models_in(arg)]


def keys_at(model: type[BaseModel], path: tuple) -> list[str]:
    """The keys a model allows at a key path of a file (list indexes skipped); none where it allows any.

    >>> keys_at(Profile, ("photo",))
    ['file', 'alt', 'focus', 'credit']
    """
    models = [model]
    for part in path:
        if isinstance(part, int):
            continue
        models = [
            inner
            for outer in models
            if part in outer.model_fields
            for inner in _models_in(outer.model_fields[part].annotation)
        ]
    return [key for found in models for key in found.model_fields]


def close_key(model: type[BaseModel], loc: tuple) -> str | None:
    """The allowed key nearest to the unknown last key of ``loc``, if one is close (a misspelling).

    >>> close_key(Profile, ("diciplines",)), close_key(Profile, ("photo", "flie")), close_key(Profile, ("xyz",))
    ('disciplines', 'file', None)
    """
    close = difflib.get_close_matches(str(loc[-1]), keys_at(model, loc[:-1]), n=1, cutoff=0.6)
    return close[0] if close else None


# --- value types ------------------------------------------------------------------------


def refuse(code: str, **values: object) -> PydanticCustomError:
    """A validation error of a problem code, its values as pydantic's context (see :mod:`cucon.codes`)."""
    return PydanticCustomError(code, ENGLISH[code], values)


RULE_KEYS: dict[str, tuple[str, ...]] = {
    "updated-before-consent": ("updated", "consent"),
    "contact-email-without-address": ("contact", "email"),
    "profile-or-name": ("profile", "name"),
    "everyone-or-lists": ("everyone", "cities", "countries"),
    "end-before-start": ("end", "start"),
    "published-after-deadline": ("published", "deadline"),
    "updated-before-published": ("updated", "published"),
    "opens-after-deadline": ("opens", "deadline"),
    "results-before-deadline": ("results", "deadline"),
    "event-needs-start": ("event", "start"),
    "cooperation-needs-two-cities": ("cities",),
    "updated-before-date": ("updated", "date"),
    "member-slug-and-city": ("slug", "city"),
}
"""The keys each rule between values concerns, most to blame first: a form shows the problem at the
first of them it has (:func:`cucon.bot.submission.form_field_of`)."""


def problem_of(error: ErrorDetails) -> tuple[str, dict[str, object]]:
    """The problem code and values of one pydantic error: one of ours (:func:`refuse`), or pydantic's own
    ``type`` and ``ctx`` for its built-in checks (a key that is not allowed, a missing one …)."""
    kind, context = error["type"], dict(error.get("ctx") or {})
    key = error["loc"][-1] if error["loc"] else ""
    if kind in ENGLISH:
        return kind, context
    if kind == "extra_forbidden":
        return ("pelican-key" if key in PELICAN_CONTROL_KEYS else "unknown-key"), {"key": key}
    if kind == "missing":
        return "required", {}
    if kind == "literal_error":
        return "not-one-of", {"value": repr(error["input"]), "expected": context.get("expected", "")}
    if kind in ("too_short", "too_long") and isinstance(error.get("input"), list):
        if kind == "too_long":
            return "too-many-entries", {"limit": context.get("max_length")}
        limit = context.get("min_length")
        return ("needs-an-entry" if limit == 1 else "too-few-entries"), {"limit": limit}
    if kind == "value_error":
        return "invalid-value", {"detail": str(context.get("error", error["msg"]))}
    return "invalid-value", {"detail": error["msg"]}


def _clean(value: str, multiline: bool) -> str:
    if not isinstance(value, str):
        raise refuse("not-text")
    value = normalise(value).strip()
    found = find_forbidden(value, multiline=multiline)
    if found:
        index, kind, code_point = found
        raise refuse(kind, code_point=code_point, position=index + 1)
    if not value:
        raise refuse("empty")
    return value


def _line(value: str) -> str:
    value = _clean(value, multiline=False)
    if "\n" in value or "\r" in value:
        raise refuse("not-one-line")
    if not has_visible_letter(value):
        raise refuse("no-visible-letter")
    return value


def _bounded(max_length: int, min_length: int = 1, multiline: bool = False):
    """A text type: NFC, no control or bidi-override characters (on one line: no invisible ones), within a length."""

    def check(value: str) -> str:
        value = _clean(value, multiline) if multiline else _line(value)
        if len(value) > max_length:
            raise refuse("too-long", length=len(value), limit=max_length)
        if len(value) < min_length:
            raise refuse("too-short", limit=min_length)
        return value

    return Annotated[str, BeforeValidator(check), Field(min_length=min_length, max_length=max_length)]


Name = _bounded(120)
Title = _bounded(150)
WEB_ADDRESS = re.compile(r"(?i)\b(?:https?://|www\.)\S+|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/\S*")
"""A web address in a text: with its scheme, starting with ``www.``, or a host name with a path."""


def _without_address(value: str) -> str:
    """A short description without a web address (links have their own fields).

    >>> _without_address("Cellistin aus Leipzig, z.B. im Duo.")
    'Cellistin aus Leipzig, z.B. im Duo.'
    >>> _without_address("mehr auf mira.example/about")
    Traceback (most recent call last):
    pydantic_core._pydantic_core.PydanticCustomError: the short description must not contain a web address ('mira.example/about'); links have their own fields
    """
    found = WEB_ADDRESS.search(value)
    if found:
        raise refuse("address-in-summary", value=repr(found.group().rstrip(".,;:!?)")))
    return value


Summary = Annotated[_bounded(280), AfterValidator(_without_address)]


def _in_latin_script(value: str) -> str:
    """A name's reading for the A–Z list (``sort_as``): it starts in Latin script or with a digit.

    >>> _in_latin_script("Aioi Sound Lab"), _in_latin_script("4 Hands")
    ('Aioi Sound Lab', '4 Hands')
    >>> _in_latin_script("相生")
    Traceback (most recent call last):
    pydantic_core._pydantic_core.PydanticCustomError: '相生' is not written in Latin letters; give the name as it is read in Latin letters, e.g. 'Aioi Sound Lab' for 相生サウンドラボ
    """
    if script_of(value) not in LATIN_SCRIPTS:
        raise refuse("sort-as-not-latin", value=repr(value))
    return value


LatinName = Annotated[Name, AfterValidator(_in_latin_script)]
"""A name in Latin letters: the reading the A–Z list files a name in another script by."""
AltText = _bounded(300, min_length=3)
ShortText = _bounded(400, multiline=True)
LongText = _bounded(1000, multiline=True)
Address = _bounded(200)


def _slug(value: str) -> str:
    if not isinstance(value, str) or not is_slug(value):
        raise refuse("not-a-slug", value=repr(value))
    return value


Slug = Annotated[str, BeforeValidator(_slug), Field(pattern=r"^[a-z0-9-]{1,80}$")]


def _permanent_id(value: str) -> str:
    try:
        parsed = uuid.UUID(str(value))
    except ValueError:
        raise refuse("not-a-permanent-id", value=repr(value)) from None
    if str(parsed) != value:
        raise refuse("id-not-canonical", id=str(parsed))
    return value


PermanentId = Annotated[
    str,
    BeforeValidator(_permanent_id),
    Field(pattern=r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"),
]


@cache
def known_languages() -> frozenset[str]:
    """ISO 639 language codes that CLDR (through Babel) knows."""
    return frozenset(Locale("en").languages)


def _language(value: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*", value):
        raise refuse("not-a-language-code", value=repr(value))
    if value.split("-")[0] not in known_languages():
        raise refuse("unknown-language", value=repr(value))
    return value


Language = Annotated[str, BeforeValidator(_language), Field(examples=["de", "en", "pl"])]


@cache
def known_countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes that CLDR knows."""
    return frozenset(code for code in Locale("en").territories if re.fullmatch("[A-Z]{2}", code))


def _country(value: str) -> str:
    if not isinstance(value, str) or value.upper() not in known_countries():
        raise refuse("unknown-country", value=repr(value))
    return value.upper()


Country = Annotated[str, BeforeValidator(_country), Field(pattern="^[A-Z]{2}$")]


@cache
def known_currencies() -> frozenset[str]:
    """ISO 4217 currency codes that CLDR knows."""
    return frozenset(Locale("en").currencies)


def _currency(value: str) -> str:
    if not isinstance(value, str) or value.upper() not in known_currencies():
        raise refuse("unknown-currency", value=repr(value))
    return value.upper()


Currency = Annotated[str, BeforeValidator(_currency), Field(pattern="^[A-Z]{3}$")]


def _amount(value: object) -> Decimal:
    """An amount of money: above 0, below ten million, at most two decimals (else the problem).

    >>> _amount(4000), _amount("12.50"), _amount(12.5)
    (Decimal('4000'), Decimal('12.50'), Decimal('12.5'))
    """
    try:
        number = None if isinstance(value, bool) else Decimal(str(value))
    except InvalidOperation:
        number = None
    if number is None or not number.is_finite() or not 0 < number < 10_000_000:
        raise refuse("not-an-amount", value=repr(value))
    if number.normalize().as_tuple().exponent < -2:
        raise refuse("not-an-amount", value=repr(value))
    return number


Amount = Annotated[Decimal, BeforeValidator(_amount), Field(gt=0, max_digits=9, decimal_places=2)]


@cache
def known_timezones() -> frozenset[str]:
    """IANA timezone names."""
    return frozenset(zoneinfo.available_timezones())


def _timezone(value: str) -> str:
    if not isinstance(value, str) or value not in known_timezones():
        raise refuse("unknown-timezone", value=repr(value))
    return value


Timezone = Annotated[str, BeforeValidator(_timezone), Field(examples=["Europe/Berlin"])]


def _date(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    try:
        if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return dt.date.fromisoformat(value)
    except ValueError:
        raise refuse("not-a-date", value=repr(value)) from None


Date = Annotated[
    dt.date,
    BeforeValidator(_date),
    PlainSerializer(lambda d: d.isoformat(), return_type=str),
    WithJsonSchema({"type": "string", "format": "date", "examples": ["2026-12-31"]}),
]


def _local_datetime(value: object) -> dt.datetime:
    if isinstance(value, dt.datetime) and value.tzinfo is None:
        return value
    text = str(value).strip()
    match = re.fullmatch(r"(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2})", text)
    try:
        if not match:
            raise ValueError
        return dt.datetime.fromisoformat(f"{match.group(1)}T{match.group(2)}")
    except ValueError:
        raise refuse("not-a-date-time", value=repr(text)) from None


LocalDateTime = Annotated[
    dt.datetime,
    BeforeValidator(_local_datetime),
    PlainSerializer(lambda d: d.strftime("%Y-%m-%d %H:%M"), return_type=str),
    WithJsonSchema(
        {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}$", "examples": ["2026-12-31 23:59"]}
    ),
]


def _https(value: str) -> str:
    value = _line(value)
    parts = urlsplit(value)
    if parts.scheme != "https" or not parts.netloc or parts.username or parts.password:
        raise refuse("not-https", value=repr(value))
    if any(c.isspace() for c in value):
        raise refuse("link-with-spaces")
    return value


HttpsUrl = Annotated[str, BeforeValidator(_https), Field(pattern="^https://", max_length=500)]

EMAIL = re.compile(r"^[^@\s<>\"',;:()]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9-]+)+$")


def _email(value: str) -> str:
    value = _line(value)
    if not EMAIL.match(value) or len(value) > 254:
        raise refuse("not-an-email", value=repr(value))
    return value


Email = Annotated[str, BeforeValidator(_email), Field(max_length=254)]


def _contact(value: str) -> str:
    value = _line(value)
    if value.lower().startswith("mailto:"):
        _email(value[len("mailto:") :].split("?", 1)[0])
        return value
    if urlsplit(value).scheme != "https":
        raise refuse("not-a-contact", value=repr(value))
    return _https(value)


ContactLink = Annotated[str, BeforeValidator(_contact), Field(pattern="^(https://|mailto:)")]


def _file_name(value: str) -> str:
    value = _line(value)
    if not re.fullmatch(r"[a-z0-9-]{1,80}\.(jpg|jpeg|png|webp)", value):
        raise refuse("not-an-image-name", value=repr(value))
    return value


ImageFile = Annotated[str, BeforeValidator(_file_name)]


def _translated(value: dict) -> dict:
    if not isinstance(value, dict):
        raise refuse("not-texts-by-language")
    missing = [lang for lang in ("de", "en") if lang not in value]
    if missing:
        raise refuse(
            {("de",): "needs-german-text", ("en",): "needs-english-text"}.get(
                tuple(missing), "needs-both-texts"
            )
        )
    return value


Translated = Annotated[dict[Language, _bounded(400, multiline=True)], AfterValidator(_translated)]
TranslatedName = Annotated[dict[Language, Name], AfterValidator(_translated)]


# --- models -------------------------------------------------------------------------------


class Model(BaseModel):
    """Base of every content model: unknown keys are errors."""

    model_config = ConfigDict(extra="forbid", validate_default=True)


class Coordinates(Model):
    """A point on the map, in WGS 84 degrees."""

    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


_NAME = TypeAdapter(Name)


class CityNames(Model):
    """A city's names: German, English, its own name in its own script, and more by language code."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"additionalProperties": {"type": "string", "maxLength": 120}},
    )

    de: Name
    en: Name
    local: Name
    local_latin: Name | None = Field(
        None, description="The local name in Latin script, if the local name is not"
    )

    @model_validator(mode="after")
    def _other_languages(self) -> CityNames:
        for code, value in (self.model_extra or {}).items():
            _language(code)
            self.model_extra[code] = _NAME.validate_python(value)
        return self


RELATION_KINDS = ("partner_city", "unesco_city_of_music")


class CityRelation(Model):
    """A relation of a city to Hannover or to a network, with the year it began."""

    kind: Literal["partner_city", "unesco_city_of_music"]
    since: int = Field(ge=1900, le=2100)


class City(Model):
    """A city of the network (content/cities/<slug>.yaml)."""

    id: PermanentId
    names: CityNames
    country: Country
    timezone: Timezone
    coordinates: Coordinates
    languages: list[Language] = Field(min_length=1)
    relations: list[CityRelation] = Field(default_factory=list)
    description: Translated
    website: HttpsUrl | None = None


class NetworkMember(Model):
    """One member city of a network, with the year it joined."""

    name: Name
    country: Country
    since: int = Field(ge=1900, le=2100)
    city: Slug | None = Field(None, description="The city's slug, when it has a city file of its own")
    slug: Slug | None = Field(
        None,
        description="How content names this member (cities: [...]); defaults to the name as a slug. "
        "Set it when two members would get the same slug",
    )
    coordinates: Coordinates | None = Field(None, description="Where the map shows the member")
    timezone: Timezone | None = Field(
        None, description="Defaults to the first timezone of the country in the time zone database"
    )

    @model_validator(mode="after")
    def _one_reference(self) -> NetworkMember:
        if self.city and self.slug and self.city != self.slug:
            raise refuse("member-slug-and-city", slug=self.slug, city=self.city)
        return self


class Network(Model):
    """A network of cities, such as the UNESCO Cities of Music (content/networks/<slug>.yaml)."""

    id: PermanentId
    name: TranslatedName
    relation: Literal["unesco_city_of_music"]
    description: Translated
    website: HttpsUrl | None = None
    source: HttpsUrl | None = Field(None, description="Where the member list was checked")
    verified: Date | None = Field(None, description="The day the member list was checked against the source")
    members: list[NetworkMember] = Field(min_length=1)


class Discipline(Model):
    """One entry of the controlled list of disciplines."""

    slug: Slug
    names: TranslatedName


class Disciplines(Model):
    """The controlled, bilingual list of disciplines (content/disciplines.yaml)."""

    disciplines: list[Discipline] = Field(min_length=1)


class Focus(Model):
    """The point of a photo that crops keep, from 0 (left/top) to 1 (right/bottom)."""

    x: float = Field(0.5, ge=0, le=1)
    y: float = Field(0.5, ge=0, le=1)


class Photo(Model):
    """A photo beside the content file, with its alternative text."""

    file: ImageFile
    alt: AltText
    focus: Focus | None = None
    credit: Name | None = None


PLATFORM_HOSTS = {
    "instagram": ("instagram.com",),
    "facebook": ("facebook.com", "fb.com"),
    "youtube": ("youtube.com", "youtu.be"),
    "vimeo": ("vimeo.com",),
    "soundcloud": ("soundcloud.com",),
    "bandcamp": ("bandcamp.com",),
    "spotify": ("spotify.com",),
    "linkedin": ("linkedin.com",),
    "tiktok": ("tiktok.com",),
    "bluesky": ("bsky.app",),
}


class Links(Model):
    """A profile's website and pages on common platforms (https only)."""

    website: HttpsUrl | None = None
    instagram: HttpsUrl | None = None
    facebook: HttpsUrl | None = None
    youtube: HttpsUrl | None = None
    vimeo: HttpsUrl | None = None
    soundcloud: HttpsUrl | None = None
    bandcamp: HttpsUrl | None = None
    spotify: HttpsUrl | None = None
    linkedin: HttpsUrl | None = None
    tiktok: HttpsUrl | None = None
    bluesky: HttpsUrl | None = None
    mastodon: HttpsUrl | None = None
    other: list[HttpsUrl] = Field(default_factory=list, max_length=5)

    @model_validator(mode="after")
    def _platform_hosts(self) -> Links:
        for platform, hosts in PLATFORM_HOSTS.items():
            url = getattr(self, platform)
            if url is None or on_hosts(url, tuple(example_stand_in(h) for h in hosts)):
                continue
            right = platform_of(url)
            if right is None:
                raise refuse("wrong-platform", platform=platform, value=repr(url), host=hosts[0])
            if right != platform:
                raise refuse("link-in-wrong-field", platform=platform, value=repr(url), right=right)
        if self.website and (right := platform_of(self.website)):
            raise refuse("link-in-wrong-field", platform="website", value=repr(self.website), right=right)
        return self


def example_stand_in(host: str) -> str:
    """The reserved example name that stands in for a platform's host in sample content.

    >>> example_stand_in("instagram.com"), example_stand_in("bsky.app")
    ('instagram.example', 'bsky.example')
    """
    return host.split(".")[0] + ".example"


def on_hosts(url: str, hosts: tuple[str, ...]) -> bool:
    """Whether an address is on one of the hosts or their subdomains (``www.`` aside).

    >>> on_hosts("https://www.fb.com/x", ("facebook.com", "fb.com")), on_hosts("https://notfb.com/", ("fb.com",))
    (True, False)
    """
    host = (urlsplit(url).hostname or "").removeprefix("www.")
    return any(host == h or host.endswith("." + h) for h in hosts)


def platform_of(url: str) -> str | None:
    """The platform of :data:`PLATFORM_HOSTS` an address is on, or None.

    >>> platform_of("https://www.facebook.com/mira"), platform_of("https://m.youtube.com/x"), platform_of("https://mira.example/")
    ('facebook', 'youtube', None)
    """
    return next((name for name, hosts in PLATFORM_HOSTS.items() if on_hosts(url, hosts)), None)


class Consent(Model):
    """The contributor's consent to publish: when, and which version of the text."""

    date: Date
    version: Literal[CONSENT_VERSIONS]


OFFERS = (
    "residency",
    "commission",
    "venue",
    "co-production",
    "workshop",
    "showcase",
    "funding",
    "mentoring",
    "partner",
    "recording",
    "touring",
    "translation",
)
"""The controlled list of what people offer and look for, and calls offer (their names in every UI
language: the theme's ``offer_name`` and the service's ``label.offer.<slug>``): a residency, a
commission, a venue or space, a co-production, a workshop or teaching, a chance to perform or
exhibit, funding, mentoring, a partner to work with, recording or production, touring, translation."""

Offer = Literal[OFFERS]
Offers = Annotated[
    list[Offer], Field(max_length=len(OFFERS)), AfterValidator(lambda terms: list(dict.fromkeys(terms)))
]
"""Terms of :data:`OFFERS`, at most all of them; a term given twice counts once."""

ProfileKind = Literal["person", "ensemble", "organisation", "venue", "initiative"]
ContactChoice = Literal["form", "email", "none"]
"""How strangers reach a profile's owner: the service's contact form, the published address, or not."""


def contact_choice(contact: object, email: object) -> str:
    """A profile's contact choice; without one, ``email`` where it publishes an address, else ``form``.

    >>> contact_choice(None, "a@example.org"), contact_choice(None, None), contact_choice("none", "a@example.org")
    ('email', 'form', 'none')
    """
    if contact in ("form", "email", "none"):
        return str(contact)
    return "email" if email else "form"


class Profile(Model):
    """A person, ensemble, organisation, venue or initiative (content/profiles/<slug>.md)."""

    id: PermanentId
    name: Name
    sort_as: LatinName | None = Field(
        None,
        description="A Latin-script reading of a name in another script (e.g. Aioi Sound Lab for"
        " 相生サウンドラボ): where the directory files it A–Z; without it, such a name is filed under its script",
    )
    kind: ProfileKind
    cities: list[Slug] = Field(min_length=1, max_length=10)
    disciplines: list[Slug] = Field(min_length=1, max_length=8)
    languages: list[Language] = Field(default_factory=list, max_length=12)
    summary: Summary
    photo: Photo
    links: Links = Field(default_factory=Links)
    email: Email | None = None
    contact: ContactChoice | None = Field(
        None,
        description="How strangers reach the owner: form (the service's contact form), email (the published"
        " address) or none; without it, email where an address is published, else form",
    )
    looking_for: LongText | None = None
    offers: Offers = Field(
        default_factory=list, description="What the profile offers others, from the controlled list"
    )
    seeks: Offers = Field(
        default_factory=list, description="What the profile looks for, from the controlled list"
    )
    consent: Consent
    updated: Date | None = Field(None, description="The last day the profile changed in substance")
    lang: Language

    @model_validator(mode="after")
    def _updated_after_consent(self) -> Profile:
        if self.updated and self.updated < self.consent.date:
            raise refuse("updated-before-consent")
        return self

    @model_validator(mode="after")
    def _contact_by_email_needs_one(self) -> Profile:
        if self.contact == "email" and not self.email:
            raise refuse("contact-email-without-address")
        return self

    @property
    def reach(self) -> str:
        """How strangers reach the owner: form, email or none (see :func:`contact_choice`)."""
        return contact_choice(self.contact, self.email)


class Organiser(Model):
    """Who runs a call: a profile on CuCon, or a name."""

    profile: Slug | None = None
    name: Name | None = None

    @model_validator(mode="after")
    def _one_of(self) -> Organiser:
        if (self.profile is None) == (self.name is None):
            raise refuse("profile-or-name")
        return self


class OpenTo(Model):
    """Who may apply: everyone, or people from some cities or countries."""

    everyone: bool = False
    cities: list[Slug] = Field(default_factory=list)
    countries: list[Country] = Field(default_factory=list)

    @model_validator(mode="after")
    def _everyone_or_lists(self) -> OpenTo:
        if self.everyone == bool(self.cities or self.countries):
            raise refuse("everyone-or-lists")
        return self


class Fee(Model):
    """An application fee."""

    amount: Amount
    currency: Currency


class Period(Model):
    """When an activity runs."""

    start: Date
    end: Date

    @model_validator(mode="after")
    def _ordered(self) -> Period:
        if self.end < self.start:
            raise refuse("end-before-start")
        return self


AwardKind = Literal["fee", "grant", "prize", "budget", "in_kind"]
"""What a call's money is: a fee or commission for work, a grant or stipend, a prize, a budget to
spend on the work, or the value of what is given in kind."""


class Award(Model):
    """What a call pays or gives the people it selects: an amount, its currency and what it is."""

    amount: Amount
    currency: Currency
    kind: AwardKind


CallKind = Literal["open_call", "cooperation", "residency", "funding", "commission"]
Covered = Literal["fee", "travel", "accommodation", "production"]


class Call(Model):
    """An open call, cooperation request, residency, funding or commission (content/calls/)."""

    id: PermanentId
    kind: CallKind
    title: Title
    summary: Summary
    organiser: Organiser
    cities: list[Slug] = Field(min_length=1, max_length=20)
    open_to: OpenTo
    disciplines: list[Slug] = Field(min_length=1, max_length=8)
    published: Date = Field(description="The day the call was published on CuCon")
    updated: Date | None = Field(None, description="The last day the call changed in substance")
    deadline: LocalDateTime
    timezone: Timezone | None = Field(None, description="Defaults to the first city's timezone")
    opens: Date | None = None
    results: Date | None = None
    period: Period | None = None
    fee: Literal["none"] | Fee = Field("none", description="The fee to apply; never the money offered")
    award: Award | None = Field(None, description="The money offered to the people selected, per award")
    covers: list[Covered] = Field(default_factory=list)
    offers: Offers = Field(
        default_factory=list, description="What the call offers applicants, from the controlled list"
    )
    apply: ContactLink
    lang: Language

    @model_validator(mode="after")
    def _dates_in_order(self) -> Call:
        if self.published > self.deadline.date():
            raise refuse("published-after-deadline")
        if self.updated and self.updated < self.published:
            raise refuse("updated-before-published")
        if self.opens and self.opens > self.deadline.date():
            raise refuse("opens-after-deadline")
        if self.results and self.results < self.deadline.date():
            raise refuse("results-before-deadline")
        return self


class Event(Model):
    """When and where an event takes place; times are local to 'timezone'."""

    start: LocalDateTime
    end: LocalDateTime | None = None
    timezone: Timezone | None = Field(None, description="Defaults to the first city's timezone")
    venue: Name | None = None
    address: Address | None = None
    online: HttpsUrl | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Event:
        if self.end and self.end < self.start:
            raise refuse("end-before-start")
        return self


class Image(Model):
    """An image beside the content file, with its alternative text."""

    file: ImageFile
    alt: AltText
    credit: Name | None = None


NewsKind = Literal["news", "event", "cooperation", "knowledge"]


class News(Model):
    """News, an event, a cooperation report or a knowledge post (content/news/)."""

    id: PermanentId
    kind: NewsKind
    title: Title
    date: Date
    updated: Date | None = Field(None, description="The last day the item changed in substance")
    summary: Summary
    cities: list[Slug] = Field(min_length=1, max_length=20)
    disciplines: list[Slug] = Field(default_factory=list, max_length=8)
    profiles: list[Slug] = Field(default_factory=list, max_length=30)
    event: Event | None = None
    image: Image | None = None
    lang: Language

    @model_validator(mode="after")
    def _kind_rules(self) -> News:
        if self.kind == "event" and self.event is None:
            raise refuse("event-needs-start")
        if self.kind == "cooperation" and len(self.cities) < 2:
            raise refuse("cooperation-needs-two-cities")
        if self.updated and self.updated < self.date:
            raise refuse("updated-before-date")
        return self


class Page(Model):
    """A page of the site such as about or imprint (content/pages/<slug>.md)."""

    id: PermanentId
    title: Title
    summary: Summary | None = None
    lang: Language
    translation_of: Slug | None = None
    titles: dict[Language, Title] | None = Field(
        None,
        description="The page's title in languages it has no version in, e.g. {fr: À propos}: the navigation "
        "and footer of those UI languages name it so (read from the original)",
    )


class Translation(Model):
    """Fields every translation has: it names the item it translates and its language."""

    id: PermanentId
    translation_of: Slug
    lang: Language
    updated: Date | None = Field(None, description="The last day the translation changed in substance")


class ProfileTranslation(Translation):
    """A profile's texts in another language; facts come from the original."""

    name: Name | None = None
    summary: Summary
    photo_alt: AltText | None = None
    looking_for: LongText | None = None


class CallTranslation(Translation):
    """A call's texts in another language; facts come from the original."""

    title: Title
    summary: Summary


class NewsTranslation(Translation):
    """A news item's texts in another language; facts come from the original."""

    title: Title
    summary: Summary
    image_alt: AltText | None = None


class Tombstone(Model):
    """An item removed at the person's request: its old address says so and answers 410 Gone."""

    slug: Slug
    type: Literal["profile"]
    removed: Date = Field(description="The day it was removed")
    id: PermanentId = Field(description="The removed item's permanent id; never given to another item")


class Removed(Model):
    """Tombstones that `cucon remove` writes (content/removed.yaml): no names, no reasons."""

    removed: list[Tombstone] = Field(default_factory=list)


MARKDOWN_TYPES = {
    "profile": (Profile, ProfileTranslation),
    "call": (Call, CallTranslation),
    "news": (News, NewsTranslation),
    "page": (Page, Page),
}
"""Markdown content types: the model of an original, and of a translation."""

YAML_TYPES = {"city": City, "network": Network}

JSON_SCHEMA_MODELS = {
    "city": City,
    "network": Network,
    "disciplines": Disciplines,
    "profile": Profile,
    "profile-translation": ProfileTranslation,
    "call": Call,
    "call-translation": CallTranslation,
    "news": News,
    "news-translation": NewsTranslation,
    "page": Page,
    "removed": Removed,
}


def json_schemas() -> dict[str, dict]:
    """The JSON Schema of every content type, for editors' autocompletion."""
    schemas = {}
    for name, model in JSON_SCHEMA_MODELS.items():
        schema = model.model_json_schema(mode="validation")
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["$id"] = f"https://cucon.invalid/schema/{name}.schema.json"
        schemas[name] = schema
    return schemas
