"""Every setting the site build reads, typed, with its default and its check, in one model."""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)
from pydantic_core import ErrorDetails

from cucon import urls
from cucon.dates import build_time
from cucon.images import SECTIONS, ImageConfig
from cucon.matching import ALERTS

IMAGE_DEFAULTS = ImageConfig()
"""The images module's own defaults, which the image settings default to."""


class SettingsError(ValueError):
    """A setting of the wrong shape: the message names it, its value and what it expects."""


def setting(name: str, default: Any, expected: str) -> Any:
    """A field read from the Pelican setting ``name``; ``expected`` says what its value must be."""
    return Field(default, alias=name, json_schema_extra={"expected": expected})


def _http_url(url: str) -> str:
    """An http(s) address without a trailing slash.

    >>> _http_url("https://forms.example/")
    'https://forms.example'
    """
    if not url.startswith(("https://", "http://")):
        raise ValueError("not an http(s) URL")
    return url.rstrip("/")


def _moment(value: str) -> str:
    """A build time that :func:`cucon.dates.build_time` reads (ISO 8601 with a UTC offset)."""
    build_time(value)
    return value


def _day(value: str) -> str:
    """An ISO 8601 day, or an empty string for none."""
    if value:
        dt.date.fromisoformat(value)
    return value


def _email(address: str) -> str:
    """A plain e-mail address: one @, a dot in the domain, nothing that could end a link or start markup.

    >>> _email("kulturbuero@hannover.example")
    'kulturbuero@hannover.example'
    >>> _email("x@y.example?subject=hi")
    Traceback (most recent call last):
    ValueError: not a plain e-mail address
    """
    if not re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", address):
        raise ValueError("not a plain e-mail address")
    return address


def _site_path(path: str) -> str:
    """A file on this site's own host: an absolute path, no scheme, no other host, no way up.

    >>> _site_path("/media/dgs.mp4")
    '/media/dgs.mp4'
    >>> _site_path("//video.example/dgs.mp4")
    Traceback (most recent call last):
    ValueError: not a path on this site
    """
    if not re.fullmatch(r"(/[\w.-]+)+", path) or "/../" in path + "/" or path.startswith("//"):
        raise ValueError("not a path on this site")
    return path


def _folder_name(name: str) -> str:
    """One folder name in the output: no path, nothing hidden."""
    if not name or "/" in name or name.startswith("."):
        raise ValueError("not a folder name")
    return name


def _time_zone(name: str) -> str:
    """A time zone name that zoneinfo knows."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError("unknown time zone") from error
    return name


def _exactly(keys: Iterable[str]) -> Callable[[dict], dict]:
    """A check that a dict has a value for each of ``keys`` and nothing else.

    >>> _exactly(["webp", "jpeg"])({"webp": 80})
    Traceback (most recent call last):
    ValueError: expected the keys ['jpeg', 'webp']
    """
    wanted = set(keys)

    def check(found: dict) -> dict:
        if set(found) != wanted:
            raise ValueError(f"expected the keys {sorted(wanted)}")
        return found

    return check


def _sorted_widths(found: dict[str, tuple[int, ...]]) -> dict[str, tuple[int, ...]]:
    """Each type's widths from small to large, each once.

    >>> _sorted_widths({"profile": (640, 160, 160)})
    {'profile': (160, 640)}
    """
    return {kind: tuple(sorted(set(widths))) for kind, widths in found.items()}


PositiveInt = Annotated[StrictInt, Field(ge=1)]
Widths = Annotated[tuple[Annotated[StrictInt, Field(ge=16, le=4096)], ...], Field(min_length=1)]
ImageWidths = Annotated[
    dict[str, Widths],
    AfterValidator(_exactly(SECTIONS)),
    AfterValidator(_sorted_widths),
]
ImageSizes = Annotated[
    dict[str, Annotated[StrictStr, Field(min_length=1)]], AfterValidator(_exactly(SECTIONS))
]
ImageQuality = Annotated[
    dict[str, Annotated[StrictInt, Field(ge=1, le=100)]], AfterValidator(_exactly(["webp", "jpeg"]))
]
HttpUrl = Annotated[StrictStr, AfterValidator(_http_url)]
SitePath = Annotated[StrictStr, AfterValidator(_site_path)]
SignVideo = Annotated[dict[str, SitePath], AfterValidator(_exactly(["video", "captions"]))]
LanguageCode = Annotated[StrictStr, Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")]
FallbackLanguages = dict[LanguageCode, tuple[LanguageCode, ...]]


class SiteSettings(BaseModel):
    """The settings of one site build, read from Pelican's; docs/settings.md describes each."""

    model_config = ConfigDict(frozen=True, extra="ignore")

    languages: Annotated[tuple[StrictStr, ...], Field(min_length=1)] = setting(
        "CUCON_LANGUAGES", urls.LANGUAGES, "a list of str"
    )
    build_time: Annotated[StrictStr, AfterValidator(_moment)] | None = setting(
        "CUCON_BUILD_TIME",
        None,
        'None or an ISO 8601 time with a UTC offset, e.g. "2026-11-27T12:00:00+00:00"',
    )
    sample_dates_anchor: Annotated[StrictStr, AfterValidator(_day)] | None = setting(
        "CUCON_SAMPLE_DATES_ANCHOR", None, 'None or a day, e.g. "2026-11-27"'
    )
    per_page: PositiveInt = setting("CUCON_PER_PAGE", 24, "a positive int")
    image_widths: ImageWidths = setting(
        "CUCON_IMAGE_WIDTHS",
        IMAGE_DEFAULTS.widths,
        '{"profile": [...], "news": [...]} of widths from 16 to 4096',
    )
    image_sizes: ImageSizes = setting(
        "CUCON_IMAGE_SIZES", IMAGE_DEFAULTS.sizes, '{"profile": "...", "news": "..."} of sizes attributes'
    )
    image_quality: ImageQuality = setting(
        "CUCON_IMAGE_QUALITY",
        {"webp": IMAGE_DEFAULTS.webp_quality, "jpeg": IMAGE_DEFAULTS.jpeg_quality},
        '{"webp": 1-100, "jpeg": 1-100}',
    )
    image_workers: PositiveInt | None = setting(
        "CUCON_IMAGE_WORKERS", IMAGE_DEFAULTS.workers, "a positive int or None"
    )
    share_cards: StrictBool = setting("CUCON_SHARE_CARDS", IMAGE_DEFAULTS.share_cards, "a bool")
    bot_url: HttpUrl | None = setting("CUCON_BOT_URL", None, "an http(s) URL or None")
    issues_url: HttpUrl | None = setting("CUCON_ISSUES_URL", None, "an http(s) URL or None")
    office_email: Annotated[StrictStr, AfterValidator(_email)] | None = setting(
        "CUCON_OFFICE_EMAIL", "kulturbuero@hannover-stadt.de", "an e-mail address or None"
    )
    sign_video: SignVideo | None = setting(
        "CUCON_SIGN_VIDEO", None, '{"video": "/path.mp4", "captions": "/path.vtt"} on this site, or None'
    )
    incremental: StrictBool = setting("CUCON_INCREMENTAL", True, "a bool")
    render_workers: PositiveInt | None = setting("CUCON_RENDER_WORKERS", None, "a positive int or None")
    feeds_limit: PositiveInt = setting("CUCON_FEEDS_LIMIT", 50, "a positive int")
    alerts_limit: PositiveInt = setting("CUCON_ALERTS_LIMIT", ALERTS, "a positive int")
    feeds_digest_days: PositiveInt = setting("CUCON_FEEDS_DIGEST_DAYS", 7, "a positive int")
    feeds_digest_ahead: PositiveInt = setting("CUCON_FEEDS_DIGEST_AHEAD", 14, "a positive int")
    fallback_languages: FallbackLanguages | None = setting(
        "CUCON_FALLBACK_LANGUAGES",
        None,
        'None or {"ja": ["en", "de"], ...}: for UI languages of CUCON_LANGUAGES, other languages in order',
    )
    search_index: StrictBool = setting("CUCON_SEARCH_INDEX", True, "a bool")
    search_bundle: Annotated[StrictStr, AfterValidator(_folder_name)] = setting(
        "CUCON_SEARCH_BUNDLE", urls.SEARCH_BUNDLE, "a folder name"
    )
    search_full: StrictBool = setting("CUCON_SEARCH_FULL", False, "a bool")
    search_delta_max: PositiveInt = setting("CUCON_SEARCH_DELTA_MAX", 500, "a positive int")
    search_ballast: Annotated[StrictInt, Field(ge=0)] = setting(
        "CUCON_SEARCH_BALLAST", 300, "an int, 0 or more"
    )
    # Pelican's own settings that the build reads; Pelican gives them (TIMEZONE: pelicanconf.py).
    default_lang: StrictStr = setting("DEFAULT_LANG", ..., "a str")
    siteurl: StrictStr = setting("SITEURL", ..., "a str")
    sitename: StrictStr = setting("SITENAME", ..., "a str")
    timezone: Annotated[StrictStr, AfterValidator(_time_zone)] = setting(
        "TIMEZONE", ..., 'a time zone name, e.g. "Europe/Berlin"'
    )

    @model_validator(mode="after")
    def _default_lang_is_a_ui_language(self) -> SiteSettings:
        """DEFAULT_LANG is one of CUCON_LANGUAGES: its pages are the ones at the top level."""
        if self.default_lang not in self.languages:
            expected = f"one of CUCON_LANGUAGES {list(self.languages)!r}"
            raise ValueError(
                f"cucon: invalid 'DEFAULT_LANG' value {self.default_lang!r}; expected {expected}"
            )
        return self

    @model_validator(mode="after")
    def _fallbacks_are_of_ui_languages(self) -> SiteSettings:
        """Each key of CUCON_FALLBACK_LANGUAGES is a UI language, its list without itself and without repeats."""
        for ui, order in (self.fallback_languages or {}).items():
            if ui not in self.languages or ui in order or len(set(order)) != len(order):
                expected = (
                    f"for UI languages of CUCON_LANGUAGES {list(self.languages)!r}, "
                    "other languages in order, each once"
                )
                value = {ui: list(order)}
                raise ValueError(
                    f"cucon: invalid 'CUCON_FALLBACK_LANGUAGES' value {value!r}; expected {expected}"
                )
        return self

    @property
    def fallbacks(self) -> dict[str, tuple[str, ...]]:
        """Where an item has no version in a UI language, the languages to show it in, in order: the setting,
        else the defaults (:data:`cucon.urls.FALLBACK_LANGUAGES`) of this build's UI languages."""
        if self.fallback_languages is not None:
            return dict(self.fallback_languages)
        return {
            ui: tuple(lang for lang in order if lang in self.languages)
            for ui, order in urls.FALLBACK_LANGUAGES.items()
            if ui in self.languages
        }

    @classmethod
    def from_pelican(cls, settings: Mapping[str, Any]) -> SiteSettings:
        """The build's settings from Pelican's; a setting of the wrong shape raises :class:`SettingsError`."""
        try:
            return cls.model_validate(settings)
        except ValidationError as error:
            raise SettingsError(cls._message(error.errors()[0], settings)) from None

    @classmethod
    def _message(cls, problem: ErrorDetails, settings: Mapping[str, Any]) -> str:
        """One sentence in the style of Pelican's plugins: the setting, its value, what it expects."""
        if not problem["loc"]:  # a rule across settings says it all itself
            return str(problem["ctx"]["error"])
        name = problem["loc"][0]
        field = next(f for f in cls.model_fields.values() if f.alias == name)
        expected = field.json_schema_extra["expected"]
        if name not in settings:
            return f"cucon: no {name!r} setting; expected {expected}"
        return f"cucon: invalid {name!r} value {settings[name]!r}; expected {expected}"

    @property
    def images(self) -> ImageConfig:
        """What the images module needs: widths, sizes, qualities, workers, share cards."""
        return ImageConfig(
            widths=self.image_widths,
            sizes=self.image_sizes,
            webp_quality=self.image_quality["webp"],
            jpeg_quality=self.image_quality["jpeg"],
            workers=self.image_workers,
            share_cards=self.share_cards,
            card_lang=self.default_lang,
        )

    @property
    def render_processes(self) -> int:
        """How many processes render and write: ``CUCON_RENDER_WORKERS``, else every core."""
        return self.render_workers or os.cpu_count() or 1
