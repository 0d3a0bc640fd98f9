"""The build's settings model, in-process: each bad value's message, the defaults, the rules across
settings and the docs; one real build shows that a bad setting stops it."""

from __future__ import annotations

import ast
import os
import re
from pathlib import Path

import pytest
from pydantic import ValidationError
from support import REPO, build_in_process

from cucon.images import ImageConfig
from cucon.site.settings import SettingsError, SiteSettings

PELICAN = {"DEFAULT_LANG": "de", "SITEURL": "", "SITENAME": "CuCon", "TIMEZONE": "Europe/Berlin"}
"""The Pelican settings the model reads, as pelicanconf.py gives them."""

POSITIVE = "a positive int"
WORKERS = "a positive int or None"
BOOL = "a bool"
URL = "an http(s) URL or None"
WIDTHS = '{"profile": [...], "news": [...]} of widths from 16 to 4096'
SIZES = '{"profile": "...", "news": "..."} of sizes attributes'
QUALITY = '{"webp": 1-100, "jpeg": 1-100}'
MOMENT = 'None or an ISO 8601 time with a UTC offset, e.g. "2026-11-27T12:00:00+00:00"'
DAY = 'None or a day, e.g. "2026-11-27"'
EMAIL = "an e-mail address or None"
VIDEO = '{"video": "/path.mp4", "captions": "/path.vtt"} on this site, or None'
FALLBACK = 'None or {"ja": ["en", "de"], ...}: for UI languages of CUCON_LANGUAGES, other languages in order'

BAD_SETTINGS = [
    ("CUCON_LANGUAGES", [], "a list of str"),
    ("CUCON_LANGUAGES", "de", "a list of str"),
    ("CUCON_LANGUAGES", ["de", 1], "a list of str"),
    ("CUCON_LANGUAGES", None, "a list of str"),
    ("CUCON_BUILD_TIME", "2026-11-27T12:00:00", MOMENT),
    ("CUCON_BUILD_TIME", "tomorrow", MOMENT),
    ("CUCON_BUILD_TIME", 5, MOMENT),
    ("CUCON_SAMPLE_DATES_ANCHOR", "27.11.2026", DAY),
    ("CUCON_SAMPLE_DATES_ANCHOR", 20261127, DAY),
    ("CUCON_PER_PAGE", 0, POSITIVE),
    ("CUCON_PER_PAGE", -1, POSITIVE),
    ("CUCON_PER_PAGE", "24", POSITIVE),
    ("CUCON_PER_PAGE", True, POSITIVE),
    ("CUCON_PER_PAGE", 2.5, POSITIVE),
    ("CUCON_IMAGE_WIDTHS", [160, 320], WIDTHS),
    ("CUCON_IMAGE_WIDTHS", {"profile": [0], "news": [320]}, WIDTHS),
    ("CUCON_IMAGE_WIDTHS", {"profile": [160, 5000], "news": [320]}, WIDTHS),
    ("CUCON_IMAGE_WIDTHS", {"profile": [160]}, WIDTHS),
    ("CUCON_IMAGE_WIDTHS", {"profile": [], "news": [320]}, WIDTHS),
    ("CUCON_IMAGE_WIDTHS", {"profile": [160], "news": [320], "banner": [640]}, WIDTHS),
    ("CUCON_IMAGE_SIZES", {"profile": ""}, SIZES),
    ("CUCON_IMAGE_SIZES", {"profile": "", "news": "100vw"}, SIZES),
    ("CUCON_IMAGE_SIZES", "100vw", SIZES),
    ("CUCON_IMAGE_QUALITY", {"webp": 101, "jpeg": 80}, QUALITY),
    ("CUCON_IMAGE_QUALITY", {"webp": 80}, QUALITY),
    ("CUCON_IMAGE_QUALITY", {"webp": True, "jpeg": 80}, QUALITY),
    ("CUCON_IMAGE_WORKERS", 0, WORKERS),
    ("CUCON_IMAGE_WORKERS", "4", WORKERS),
    ("CUCON_IMAGE_WORKERS", True, WORKERS),
    ("CUCON_SHARE_CARDS", "yes", BOOL),
    ("CUCON_SHARE_CARDS", 1, BOOL),
    ("CUCON_BOT_URL", "forms.example", URL),
    ("CUCON_BOT_URL", "", URL),
    ("CUCON_BOT_URL", "javascript:alert(1)", URL),
    ("CUCON_BOT_URL", 5, URL),
    ("CUCON_ISSUES_URL", "ftp://example.org/issues", URL),
    ("CUCON_OFFICE_EMAIL", "kulturbuero", EMAIL),
    ("CUCON_OFFICE_EMAIL", "a@b.example?subject=x", EMAIL),
    ("CUCON_OFFICE_EMAIL", '"><script>alert(1)</script>@x.example', EMAIL),
    ("CUCON_OFFICE_EMAIL", "", EMAIL),
    ("CUCON_SIGN_VIDEO", {"video": "https://video.example/dgs.mp4", "captions": "/dgs.vtt"}, VIDEO),
    ("CUCON_SIGN_VIDEO", {"video": "//video.example/dgs.mp4", "captions": "/dgs.vtt"}, VIDEO),
    ("CUCON_SIGN_VIDEO", {"video": "/media/../../etc/passwd", "captions": "/dgs.vtt"}, VIDEO),
    ("CUCON_SIGN_VIDEO", {"video": '/dgs.mp4" onerror="alert(1)', "captions": "/dgs.vtt"}, VIDEO),
    ("CUCON_SIGN_VIDEO", {"video": "/dgs.mp4"}, VIDEO),
    ("CUCON_SIGN_VIDEO", "/dgs.mp4", VIDEO),
    ("CUCON_INCREMENTAL", "false", BOOL),
    ("CUCON_INCREMENTAL", 0, BOOL),
    ("CUCON_RENDER_WORKERS", 0, WORKERS),
    ("CUCON_RENDER_WORKERS", True, WORKERS),
    ("CUCON_RENDER_WORKERS", "2", WORKERS),
    ("CUCON_FEEDS_LIMIT", 0, POSITIVE),
    ("CUCON_FEEDS_LIMIT", True, POSITIVE),
    ("CUCON_ALERTS_LIMIT", 0, POSITIVE),
    ("CUCON_FEEDS_DIGEST_DAYS", -1, POSITIVE),
    ("CUCON_FEEDS_DIGEST_AHEAD", "14", POSITIVE),
    ("CUCON_SEARCH_INDEX", 1, BOOL),
    ("CUCON_SEARCH_BUNDLE", "../x", "a folder name"),
    ("CUCON_SEARCH_BUNDLE", "", "a folder name"),
    ("CUCON_SEARCH_BUNDLE", ".hidden", "a folder name"),
    ("CUCON_SEARCH_BUNDLE", "a/b", "a folder name"),
    ("CUCON_SEARCH_BUNDLE", 5, "a folder name"),
    ("DEFAULT_LANG", 5, "a str"),
    ("SITEURL", 5, "a str"),
    ("SITENAME", None, "a str"),
    ("TIMEZONE", "Mars/Olympus", 'a time zone name, e.g. "Europe/Berlin"'),
    ("CUCON_FALLBACK_LANGUAGES", ["en", "de"], FALLBACK),
    ("CUCON_FALLBACK_LANGUAGES", {"en": "de"}, FALLBACK),
    ("CUCON_FALLBACK_LANGUAGES", {"en": ["<script>"]}, FALLBACK),
    ("CUCON_FALLBACK_LANGUAGES", {"en": [1]}, FALLBACK),
]


@pytest.mark.parametrize(
    ("name", "value", "expected"), BAD_SETTINGS, ids=[f"{name}={value!r}" for name, value, _ in BAD_SETTINGS]
)
def test_a_bad_setting_names_itself_its_value_and_what_it_expects(name: str, value, expected: str):
    """Each setting of the wrong shape is refused in one sentence, in the style of Pelican's plugins."""
    with pytest.raises(SettingsError) as raised:
        SiteSettings.from_pelican({**PELICAN, name: value})
    assert str(raised.value) == f"cucon: invalid {name!r} value {value!r}; expected {expected}"


def test_a_missing_pelican_setting_is_named():
    """A Pelican setting the build reads and Pelican does not default (TIMEZONE) must be there."""
    settings = {key: value for key, value in PELICAN.items() if key != "TIMEZONE"}
    with pytest.raises(SettingsError, match=r"^cucon: no 'TIMEZONE' setting; expected a time zone name"):
        SiteSettings.from_pelican(settings)


CROSS = [
    (
        {"DEFAULT_LANG": "fr"},
        "cucon: invalid 'DEFAULT_LANG' value 'fr'; expected one of CUCON_LANGUAGES ['de', 'en']",
    ),
    (
        {"DEFAULT_LANG": "en", "CUCON_LANGUAGES": ["de"]},
        "cucon: invalid 'DEFAULT_LANG' value 'en'; expected one of CUCON_LANGUAGES ['de']",
    ),
    ({"DEFAULT_LANG": "fr", "CUCON_LANGUAGES": ["fr", "de"]}, None),
    (
        {"CUCON_FALLBACK_LANGUAGES": {"ja": ["en"]}},
        "cucon: invalid 'CUCON_FALLBACK_LANGUAGES' value {'ja': ['en']}; "
        "expected for UI languages of CUCON_LANGUAGES ['de', 'en'], other languages in order, each once",
    ),
    (
        {"CUCON_FALLBACK_LANGUAGES": {"en": ["en", "de"]}},
        "cucon: invalid 'CUCON_FALLBACK_LANGUAGES' value {'en': ['en', 'de']}; "
        "expected for UI languages of CUCON_LANGUAGES ['de', 'en'], other languages in order, each once",
    ),
    (
        {"CUCON_FALLBACK_LANGUAGES": {"en": ["de", "de"]}},
        "cucon: invalid 'CUCON_FALLBACK_LANGUAGES' value {'en': ['de', 'de']}; "
        "expected for UI languages of CUCON_LANGUAGES ['de', 'en'], other languages in order, each once",
    ),
]


@pytest.mark.parametrize(("given", "message"), CROSS)
def test_the_default_language_is_one_of_the_ui_languages(given: dict, message: str | None):
    """DEFAULT_LANG's pages are the top level: it must be a UI language; any UI language may be it."""
    if message is None:
        assert SiteSettings.from_pelican({**PELICAN, **given}).default_lang == given["DEFAULT_LANG"]
        return
    with pytest.raises(SettingsError) as raised:
        SiteSettings.from_pelican({**PELICAN, **given})
    assert str(raised.value) == message


DEFAULTS = {
    "languages": ("de", "en"),
    "build_time": None,
    "sample_dates_anchor": None,
    "per_page": 24,
    "image_widths": {"profile": (160, 320, 640), "news": (320, 640, 1280)},
    "image_sizes": {"profile": "(min-width: 20rem) 18rem, 100vw", "news": "(min-width: 48rem) 46rem, 100vw"},
    "image_quality": {"webp": 80, "jpeg": 82},
    "image_workers": None,
    "share_cards": True,
    "bot_url": None,
    "issues_url": None,
    "office_email": "kulturbuero@hannover-stadt.de",
    "sign_video": None,
    "incremental": True,
    "render_workers": None,
    "feeds_limit": 50,
    "alerts_limit": 20,
    "feeds_digest_days": 7,
    "feeds_digest_ahead": 14,
    "fallback_languages": None,
    "search_index": True,
    "search_bundle": "pagefind",
    "search_full": False,
    "search_delta_max": 500,
    "search_ballast": 300,
    "default_lang": "de",
    "siteurl": "",
    "sitename": "CuCon",
    "timezone": "Europe/Berlin",
}


def test_defaults():
    """Without CUCON_* settings every field has its documented default; the Pelican ones are read."""
    settings = SiteSettings.from_pelican(PELICAN)
    assert settings.model_dump() == DEFAULTS
    assert settings.images == ImageConfig()
    assert settings.render_processes == (os.cpu_count() or 1)


GOOD = [
    ("CUCON_LANGUAGES", ["de", "en", "fr"], "languages", ("de", "en", "fr")),
    ("CUCON_BOT_URL", "https://forms.example/", "bot_url", "https://forms.example"),
    ("CUCON_ISSUES_URL", "http://git.example/o/r/issues/new", "issues_url", "http://git.example/o/r/issues/new"),
    ("CUCON_IMAGE_WIDTHS", {"profile": [640, 160, 160], "news": [320]}, "image_widths", {"profile": (160, 640), "news": (320,)}),
    ("CUCON_BUILD_TIME", "2026-11-27T12:00:00+01:00", "build_time", "2026-11-27T12:00:00+01:00"),
    ("CUCON_SAMPLE_DATES_ANCHOR", "2026-11-27", "sample_dates_anchor", "2026-11-27"),
    ("CUCON_RENDER_WORKERS", 3, "render_processes", 3),
    ("CUCON_SEARCH_BUNDLE", "search-index", "search_bundle", "search-index"),
]  # fmt: skip


FALLBACKS = [
    ({}, {}),
    ({"CUCON_LANGUAGES": ["de", "en", "fr", "pl", "ja"]}, {"fr": ("en", "de"), "pl": ("en", "de"), "ja": ("en", "de")}),
    ({"CUCON_LANGUAGES": ["de", "ja"]}, {"ja": ("de",)}),
    ({"CUCON_LANGUAGES": ["de", "en", "ja"], "CUCON_FALLBACK_LANGUAGES": {"de": ["en"]}}, {"de": ("en",)}),
    ({"CUCON_FALLBACK_LANGUAGES": {"de": ["pl", "en"]}}, {"de": ("pl", "en")}),
]  # fmt: skip


@pytest.mark.parametrize(("given", "fallbacks"), FALLBACKS)
def test_the_fallback_order_is_the_setting_else_the_defaults_of_the_built_languages(
    given: dict, fallbacks: dict
):
    """Without CUCON_FALLBACK_LANGUAGES fr, pl and ja fall back to English, then German, where the build has
    them; the setting replaces the defaults whole, and may name a content language that is no UI language."""
    assert SiteSettings.from_pelican({**PELICAN, **given}).fallbacks == fallbacks


@pytest.mark.parametrize(("name", "value", "field", "read"), GOOD, ids=[row[0] for row in GOOD])
def test_good_values_are_read_as_typed_fields(name: str, value, field: str, read):
    """Lists become tuples, addresses lose a trailing slash, widths are sorted without repeats."""
    assert getattr(SiteSettings.from_pelican({**PELICAN, name: value}), field) == read


def test_the_image_settings_reach_the_images_module():
    """ImageConfig gets every image setting, and DEFAULT_LANG as the share cards' language."""
    given = {
        "DEFAULT_LANG": "en",
        "CUCON_IMAGE_WIDTHS": {"profile": [100], "news": [200, 300]},
        "CUCON_IMAGE_SIZES": {"profile": "10rem", "news": "20rem"},
        "CUCON_IMAGE_QUALITY": {"webp": 70, "jpeg": 90},
        "CUCON_IMAGE_WORKERS": 2,
        "CUCON_SHARE_CARDS": False,
    }
    assert SiteSettings.from_pelican({**PELICAN, **given}).images == ImageConfig(
        widths={"profile": (100,), "news": (200, 300)},
        sizes={"profile": "10rem", "news": "20rem"},
        webp_quality=70,
        jpeg_quality=90,
        workers=2,
        share_cards=False,
        card_lang="en",
    )


def test_the_settings_are_frozen():
    """A build cannot change its settings half-way through."""
    settings = SiteSettings.from_pelican(PELICAN)
    with pytest.raises(ValidationError, match="frozen"):
        settings.per_page = 2


ROW = re.compile(r"^\| `([A-Z_]+)` \| `?(.*?)`? \|", re.M)


def test_every_setting_is_documented_with_its_default():
    """docs/settings.md has a row for each field with the model's default, and no row the model lacks."""
    rows = dict(ROW.findall((REPO / "docs" / "settings.md").read_text("utf-8")))
    defaults = SiteSettings.from_pelican(PELICAN).model_dump(mode="json", by_alias=True)
    for field in SiteSettings.model_fields.values():
        assert field.alias in rows, f"docs/settings.md has no row for {field.alias}"
        if not field.is_required():
            assert ast.literal_eval(rows[field.alias]) == defaults[field.alias], field.alias
    documented = {name for name in rows if name.startswith("CUCON_")}
    assert documented <= {field.alias for field in SiteSettings.model_fields.values()}


def test_a_bad_setting_stops_the_build_and_keeps_the_site(site_built_in_process: Path):
    """A real build refuses a bad setting with its sentence before it writes anything."""
    before = (site_built_in_process / "output" / "index.html").read_bytes()
    result = build_in_process(site_built_in_process, CUCON_FEEDS_LIMIT=0)
    assert result.returncode != 0
    assert "cucon: invalid 'CUCON_FEEDS_LIMIT' value 0; expected a positive int" in result.log
    assert (site_built_in_process / "output" / "index.html").read_bytes() == before
