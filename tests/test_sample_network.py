"""The sample network in content/: valid, complete, and built into a page for every item."""

import datetime as dt
import re
import subprocess
import sys
from collections import Counter

import pytest
from support import REPO

from cucon.checks import load_site
from cucon.views import build_listings

CONTENT = REPO / "content"
ANCHOR = "2026-11-27"
PARTNER_CITIES = {"blantyre", "bristol", "hiroshima", "leipzig", "perpignan", "poznan", "rouen"}


@pytest.fixture(scope="module")
def sample():
    """The sample network, read once through the validator."""
    return load_site(CONTENT)


@pytest.fixture(scope="module")
def sample_output(sample_site_output):
    """The sample network built once per session (conftest), as `make html` does."""
    return sample_site_output


def test_cucon_check_passes_on_the_sample():
    """`cucon check` accepts the shipped content and says so."""
    result = subprocess.run(
        [sys.executable, "-m", "cucon.cli", "check"], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "content is valid" in result.stderr


def test_sample_has_no_problems(sample):
    """The validator finds nothing wrong in the sample network."""
    assert [p.format_text() for p in sample.problems] == []


def test_sample_cities_are_hannover_and_its_seven_partners(sample):
    """All eight cities with a city file, the partners with their partnership year; Hamamatsu, a City of Music
    without one, is a city of the site through its member profile (cucon.members)."""
    files = {slug for slug, city in sample.cities.items() if not city.member_of}
    assert files == PARTNER_CITIES | {"hannover"}
    assert set(sample.cities) - files == {"hamamatsu"}
    for slug in PARTNER_CITIES:
        relations = {r.kind for r in sample.cities[slug].meta.relations}
        assert "partner_city" in relations, slug
    hannover = {r.kind: r.since for r in sample.cities["hannover"].meta.relations}
    assert hannover == {"unesco_city_of_music": 2014}


def test_sample_lists_the_unesco_cities_of_music(sample):
    """The network file has 60+ members, each with a country and a year of designation."""
    network = sample.networks["unesco-cities-of-music"].meta
    assert len(network.members) >= 60
    names = {m.name for m in network.members}
    assert {"Hannover", "Bologna", "Glasgow", "Mannheim", "Katowice"} <= names
    assert all(2006 <= m.since <= 2026 for m in network.members)


def test_sample_profiles_cover_cities_disciplines_and_languages(sample):
    """At least 30 profiles over all 8 cities, 8+ disciplines and 4+ languages, each with a photo."""
    originals = [p for p in sample.profiles.values() if not p.translation_of]
    assert len(originals) >= 30
    assert {c for p in originals for c in p.meta.cities} == set(sample.cities)
    assert len({d for p in originals for d in p.meta.disciplines}) >= 8
    languages = {p.lang for p in sample.profiles.values()}
    assert {"de", "en"} <= languages
    assert len(languages) >= 4
    assert {p.meta.kind for p in originals} == {"person", "ensemble", "organisation", "venue", "initiative"}
    for profile in originals:
        assert (profile.source.parent / profile.meta.photo.file).is_file()


def test_sample_calls_and_news_cover_every_kind(sample):
    """At least 12 calls and 12 news items, with every kind of each."""
    calls = [c for c in sample.calls.values() if not c.translation_of]
    news = [n for n in sample.news.values() if not n.translation_of]
    assert len(calls) >= 12
    assert len(news) >= 12
    assert {c.meta.kind for c in calls} == {"open_call", "cooperation", "residency", "funding", "commission"}
    assert {n.meta.kind for n in news} == {"news", "event", "cooperation", "knowledge"}
    assert any(set(n.meta.cities) >= {"hannover"} and len(n.meta.cities) > 1 for n in news)


def test_sample_pages_exist_in_german_and_english(sample):
    """About, contribute, imprint, privacy, accessibility statement, Leichte Sprache and DGS, each in de and en."""
    for slug in (
        "about",
        "contribute",
        "imprint",
        "privacy",
        "accessibility",
        "leichte-sprache",
        "gebaerdensprache",
    ):
        page = sample.pages[slug]
        assert page.lang == "de"
        assert {t.lang for t in sample.pages.values() if t.translation_of == slug} == {"en"}


@pytest.mark.parametrize("days_after_anchor", [0, 45, 400, 3 * 365])
def test_sample_always_has_open_and_closed_calls(sample, days_after_anchor):
    """Whenever the sample is built, some calls are open and some closed."""
    when = dt.datetime.fromisoformat(ANCHOR).replace(tzinfo=dt.UTC) + dt.timedelta(
        days=days_after_anchor, hours=12
    )
    listings = build_listings(sample, when.isoformat(), ANCHOR)
    statuses = Counter(c.status for c in listings.of("call"))
    assert statuses["closed"] >= 2
    assert statuses["open"] + statuses["closing-soon"] >= 4


@pytest.mark.content
def test_every_item_has_a_page_in_every_ui_language(sample, sample_output):
    """Each profile, call, news item, city, network and page is written in German and English."""
    missing = []
    for item in sample.items():
        section = {
            "profile": "profiles",
            "call": "calls",
            "news": "news",
            "city": "cities",
            "network": "networks",
            "page": "",
        }[item.type]
        for prefix in ("", "en/"):
            path = sample_output / prefix / section / item.slug / "index.html"
            if not path.is_file():
                missing.append(str(path.relative_to(sample_output)))
    assert missing == []
    for discipline in sample.disciplines:
        assert (sample_output / "disciplines" / discipline / "index.html").is_file()


def _links(html: str) -> set[str]:
    """The href values of a page."""
    return set(re.findall(r'href="([^"]+)"', html))


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_every_city_page_lists_its_profiles_calls_and_news(sample, sample_output, prefix):
    """A city page links every call and news item of the city, and its people directory every profile."""
    listings = build_listings(sample, "2026-11-27T12:00:00+00:00", ANCHOR)
    ui = prefix.strip("/") or "de"
    for slug in sample.cities:
        links = _links((sample_output / prefix / "cities" / slug / "index.html").read_text("utf-8"))
        directory = sample_output / prefix / "profiles" / "city" / slug
        assert f"/{prefix}profiles/city/{slug}/" in links
        directory_links = set().union(*(_links(p.read_text("utf-8")) for p in directory.rglob("index.html")))
        for entry in listings.by_city[slug]["profile"]:
            assert "/" + entry.in_language(ui).url(ui) in directory_links, (slug, entry.slug)
        for item_type in ("call", "news"):
            for entry in listings.by_city[slug][item_type]:
                assert "/" + entry.in_language(ui).url(ui) in links, (slug, entry.slug)


def test_pages_link_the_imprint_privacy_and_accessibility_statement(sample_output):
    """Every page's footer links the legal pages, the easy-to-read and the sign language page: German pages
    the German ones, the other UI languages the English ones (their own, or their fallback)."""
    pages = [p.relative_to(sample_output).as_posix() for p in sample_output.rglob("index.html")]
    assert len(pages) > 100
    for page in pages:
        links = _links((sample_output / page).read_text("utf-8"))
        ui = page.split("/")[0] if page.split("/")[0] in ("en", "fr", "pl", "ja") else "de"
        prefix = "/" if ui == "de" else f"/{ui}/"
        for legal in ("imprint", "privacy", "accessibility", "leichte-sprache", "gebaerdensprache"):
            slug = legal + ("" if ui == "de" else "-en")
            assert f"{prefix}{slug}/" in links, (page, legal)


def test_what_people_offer_and_seek_connects_pairs_words_do_not():
    """The sample's controlled terms (offers, seeks) meet across languages where no word does, between
    profiles in different cities and between profiles and calls they may apply to (the figures in
    docs/content-model.md come from this tool)."""
    result = subprocess.run(
        [sys.executable, "tools/offers_reach.py", "--now", f"{ANCHOR}T12:00:00+00:00"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    found = dict(
        re.findall(r"^(profile-\w+): .*terms only \(no shared word\) in (\d+)$", result.stdout, re.M)
    )
    assert set(found) == {"profile-profile", "profile-call"}, result.stdout
    assert all(int(count) > 0 for count in found.values()), result.stdout
