"""The template context of one UI language (cucon.site.context), in-process: a fixture site read with
cucon.checks.load_site, no Pelican run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from support import BUILD_TIME, FIXTURE_SITE, REPO

from cucon.checks import load_site
from cucon.images import image_helpers
from cucon.incremental import STATE_FOLDER, IncrementalBuild, load_saved
from cucon.search import SearchTerms
from cucon.site.context import SiteContext
from cucon.site.search import WORDS_FILE, WORDS_VERSION, search_terms
from cucon.site.settings import SiteSettings
from cucon.subscriptions import catalog
from cucon.views import build_listings

PELICAN = {
    "DEFAULT_LANG": "de",
    "SITEURL": "https://cucon.example",
    "SITENAME": "CuCon",
    "TIMEZONE": "Europe/Berlin",
    "CUCON_BUILD_TIME": BUILD_TIME,
    "CUCON_SAMPLE_DATES_ANCHOR": None,
    "CUCON_BOT_URL": "https://forms.cucon.example/",
}
"""The settings of a build of the fixture site under an absolute address, with the submission service."""


def site_context(**changed) -> SiteContext:
    """The context of the fixture site, read and checked as the build does, under ``PELICAN | changed``."""
    settings = SiteSettings.from_pelican(PELICAN | changed)
    site = load_site(FIXTURE_SITE / "content", languages=settings.languages)
    assert not site.problems
    listings = build_listings(site, settings.build_time, settings.sample_dates_anchor)
    return SiteContext(
        settings,
        listings,
        catalog(listings, settings.feeds_limit),
        REPO / "theme" / "translations",
        SearchTerms(listings.entries.values()).of,
        image_helpers(settings.images, settings.siteurl),
    )


@pytest.fixture(scope="module")
def context() -> SiteContext:
    """The fixture site's context under an absolute SITEURL."""
    return site_context()


def profile(context: SiteContext):
    """Anna Kowalska's profile, written in German."""
    return context.listings.entries[("profile", "anna-kowalska")]


@pytest.mark.parametrize(
    ("ui", "prefix", "link", "other", "other_link"),
    [
        ("de", "", "profiles/anna-kowalska/", "en", "en/profiles/anna-kowalska/"),
        ("en", "en/", "en/profiles/anna-kowalska/", "de", "profiles/anna-kowalska/"),
    ],
)
def test_addresses_follow_the_ui_language(context, ui, prefix, link, other, other_link):
    """The default language's pages are at the top, the other's below its prefix; each names the other."""
    values = context.of(ui)
    assert (values["ui"], values["prefix"], values["default_ui"]) == (ui, prefix, "de")
    assert values["link"](profile(context)) == link
    assert values["alternates"](profile(context)) == [
        {"lang": other, "url": other_link, "name": {"de": "Deutsch", "en": "English"}[other]}
    ]
    assert values["section_alternates"]("profiles/") == [
        {
            "lang": other,
            "url": ("" if other == "de" else "en/") + "profiles/",
            "name": values["own_language_name"](other),
        }
    ]
    assert values["absolute"](link) == f"https://cucon.example/{link}"


@pytest.mark.parametrize(
    ("ui", "feed", "calendar", "title"),
    [
        (
            "de",
            "https://cucon.example/feeds/city/hannover/atom.xml",
            "webcal://cucon.example/calendars/events.ics",
            "CuCon: Hannover",
        ),
        (
            "en",
            "https://cucon.example/en/feeds/city/hannover/atom.xml",
            "webcal://cucon.example/en/calendars/events.ics",
            "CuCon: Hannover",
        ),
    ],
)
def test_feed_links_are_the_feeds_of_the_ui_language(context, ui, feed, calendar, title):
    """A city's feed, the site's event calendar and the OPML list, addressed in the page's language."""
    values = context.of(ui)
    channel = values["subscriptions"].channel("city", "hannover")
    assert values["feed_href"](channel) == feed
    assert values["feed_href"](channel, "rss") == feed.replace("atom.xml", "rss.xml")
    assert values["channel_title"](channel) == title
    events = next(c for c in values["subscriptions"].calendars if not c.city and c.kind == "events")
    assert values["webcal_href"](events) == calendar
    assert values["opml_href"] == f"https://cucon.example/{values['prefix']}feeds/cities.opml"


def test_dates_money_and_names_are_written_in_the_ui_language(context):
    """The same day, fee and discipline name, in German and in English."""
    german, english = context.of("de"), context.of("en")
    day = dt.date(2026, 12, 31)
    assert (german["day"](day), english["day"](day)) == ("31. Dezember 2026", "December 31, 2026")
    assert (german["money"](Decimal("150"), "EUR"), english["money"](Decimal("150"), "EUR")) == (
        "150\xa0€",
        "€150",
    )
    assert (german["language_name"]("pl"), english["language_name"]("pl")) == ("Polnisch", "Polish")
    music = next(d for d in context.listings.disciplines if d.slug == "music")
    assert german["text"](music.names) != english["text"](music.names)


def test_pages_get_the_search_data_and_files_do_not(context):
    """Pages carry the search terms and the bundle's address; feed entries and digests are not indexed."""
    page, files = context.of("en"), context.of_files("en")
    assert page["search_bundle"] == "https://cucon.example/pagefind/"
    assert page["search_terms"] is context.search_terms
    assert set(page) - set(files) == {"search_terms", "search_bundle"}


def test_the_forms_address_and_the_pictures_come_from_the_settings(context):
    """CUCON_BOT_URL (without its trailing slash) and the photo's renditions under the site's address."""
    values = context.of("de")
    assert (values["CUCON_BOT_URL"], values["CUCON_ISSUES_URL"]) == ("https://forms.cucon.example", None)
    picture = values["responsive"](profile(context))
    assert picture["src"] == "https://cucon.example/media/profiles/anna-kowalska-64.jpg"


def test_a_relative_site_links_by_path():
    """Without an absolute SITEURL the search bundle and the feeds are linked by their path, and no
    calendar has a webcal:// address."""
    values = site_context(SITEURL="").of("en")
    channel = values["subscriptions"].channel("city", "hannover")
    assert values["search_bundle"] == "/pagefind/"
    assert values["feed_href"](channel) == "/en/feeds/city/hannover/atom.xml"
    assert values["webcal_href"](values["subscriptions"].calendars[0]) is None


def test_search_terms_keep_the_words_of_live_entries(tmp_path: Path, context):
    """The word cache holds the words of every entry of this build, and a page notes what it asked for."""
    settings = {"OUTPUT_PATH": str(tmp_path / "output"), "CACHE_PATH": str(tmp_path / "cache")}
    settings["THEME"] = str(REPO / "theme")
    site = load_site(FIXTURE_SITE / "content")
    build = IncrementalBuild(settings, site, context.listings)
    terms = search_terms(context.listings, build)
    saved = load_saved(tmp_path / "cache" / STATE_FOLDER / WORDS_FILE, WORDS_VERSION)["words"]
    assert set(saved) == {(e.item.digest, e.title) for e in context.listings.entries.values()}
    build.recorder.start()
    assert terms(profile(context)) == context.search_terms(profile(context))
    assert build.recorder.stop() == {("s", "profile", "anna-kowalska")}
