"""Feeds, OPML lists and autodiscovery: real builds of the sample network and the fixture site, read back
with feedparser, lxml and ElementTree."""

from __future__ import annotations

import re
import shutil
import uuid
from pathlib import Path
from xml.etree import ElementTree

import feedparser
import pytest
from lxml import etree
from support import REPO, build_in_process

from cucon.checks import load_site
from cucon.content import Site

FEED_GROUPS = ("city", "discipline", "type")
ATOM_LINK = re.compile(r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" href="([^"]+)">')


def feed_files(output: Path) -> list[Path]:
    """Every feed file of a build, in every UI language."""
    return sorted(p for p in output.rglob("feeds/**/*.xml"))


def parse(path: Path) -> feedparser.FeedParserDict:
    """A feed file read by feedparser, which must find nothing wrong with it."""
    parsed = feedparser.parse(path.read_bytes())
    assert parsed.bozo == 0, f"{path}: {parsed.get('bozo_exception')!r}"
    return parsed


def ids_in(path: Path) -> list[str]:
    """The entry ids of a feed file, in order."""
    return [entry.id for entry in parse(path).entries]


def expected_ids(sample: Site, group: str, key: str) -> set[str]:
    """The ids a city's or discipline's feed must hold, read from the sample's content files."""
    found = set()
    for item in sample.items():
        tags = getattr(item.meta, "cities" if group == "city" else "disciplines", [])
        if item.type in ("profile", "call", "news") and not item.translation_of and key in tags:
            found.add(f"urn:uuid:{item.meta.id}")
    return found


@pytest.fixture(scope="module")
def sample() -> Site:
    """The sample network's content files, read once through the validator (each feed's expected ids)."""
    return load_site(REPO / "content")


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The fixture site built at one address, then retitled and built at another: what must not change."""
    site = tmp_path_factory.mktemp("feeds") / "site"
    shutil.copytree(REPO / "tests" / "fixtures" / "site", site)
    first = build_in_process(site, OUTPUT_PATH=str(site / "first"), SITEURL="https://a.example")
    assert first.returncode == 0, first.log
    call = site / "content" / "calls" / "residency-leipzig.md"
    call.write_text(call.read_text("utf-8").replace("title: Residenz in Leipzig", "title: Neu betitelt"))
    second = build_in_process(site, OUTPUT_PATH=str(site / "second"), SITEURL="https://b.example")
    assert second.returncode == 0, second.log
    return site / "first", site / "second"


@pytest.mark.content
def test_every_feed_of_the_sample_parses_without_errors(sample_site_output: Path):
    """Every Atom and RSS file of the sample network is well-formed to feedparser (bozo 0), in both languages."""
    files = feed_files(sample_site_output)
    assert len(files) >= 2 * 2 * (1 + 8 + 16 + 4)
    for path in files:
        parsed = parse(path)
        assert parsed.feed.title.startswith("CuCon")
        assert len({entry.id for entry in parsed.entries}) == len(parsed.entries), f"{path}: duplicate ids"


@pytest.mark.parametrize("group", ["city", "discipline"])
def test_a_city_or_discipline_feed_holds_exactly_its_items(
    sample_site_output: Path, sample: Site, group: str
):
    """Each city's and discipline's feed (both formats, both languages) holds exactly the items tagged with it."""
    folders = sorted((sample_site_output / "feeds" / group).iterdir())
    assert folders
    for folder in folders:
        expected = expected_ids(sample, group, folder.name)
        assert len(expected) <= 50, "the sample should not reach the feed limit here"
        for path in (folder / "atom.xml", folder / "rss.xml", sample_site_output / "en" / path_in(folder)):
            assert set(ids_in(path)) == expected, path


def path_in(folder: Path) -> Path:
    """A feed folder's Atom file, relative to the output root (for the same feed in English)."""
    return Path("feeds") / folder.parent.name / folder.name / "atom.xml"


def test_entries_carry_content_summary_categories_language_and_dates(sample_site_output: Path):
    """A profile entry has full content, a summary, city/discipline/kind categories, its language and an image."""
    parsed = parse(sample_site_output / "feeds" / "type" / "profiles" / "atom.xml")
    entry = parsed.entries[0]
    assert entry.summary
    assert entry.content[0].value.startswith("<div")
    schemes = {tag.scheme for tag in entry.tags}
    assert schemes == {"urn:cucon:city", "urn:cucon:discipline", "urn:cucon:profile-kind"}
    assert entry.get("dc_language") or entry.get("language")
    assert entry.published_parsed
    assert entry.updated_parsed
    enclosures = [link for link in entry.links if link.rel == "enclosure"]
    assert enclosures
    assert enclosures[0].type == "image/jpeg"
    image = sample_site_output / enclosures[0].href.lstrip("/")
    assert image.is_file()
    assert int(enclosures[0].length) == image.stat().st_size


def test_feeds_are_newest_first_and_capped(site_built_in_process: Path):
    """CUCON_FEEDS_LIMIT caps every feed; the newest publication comes first."""
    result = build_in_process(site_built_in_process, CUCON_FEEDS_LIMIT=2)
    assert result.returncode == 0, result.log
    everything = parse(site_built_in_process / "output" / "feeds" / "all" / "atom.xml")
    assert len(everything.entries) == 2
    dates = [entry.published_parsed for entry in everything.entries]
    assert dates == sorted(dates, reverse=True)
    for path in feed_files(site_built_in_process / "output"):
        assert len(parse(path).entries) <= 2


def test_ids_survive_a_new_title_and_a_new_address(two_builds: tuple[Path, Path]):
    """Entry and feed ids come from permanent ids: retitling an item and moving the site change none."""
    first, second = two_builds
    files = feed_files(first)
    assert files
    for path in files:
        before, after = parse(path), parse(second / path.relative_to(first))
        assert before.feed.get("id") == after.feed.get("id")
        assert path.name == "rss.xml" or before.feed.id.startswith("urn:uuid:")
        assert [e.id for e in before.entries] == [e.id for e in after.entries], path
        assert all(uuid.UUID(e.id.removeprefix("urn:uuid:")) for e in after.entries)
    retitled = parse(second / "feeds" / "type" / "calls" / "atom.xml").entries[0]
    assert retitled.title == "Neu betitelt"
    assert retitled.link.startswith("https://b.example/")


def test_a_deleted_item_leaves_every_feed_calendar_and_digest(site_built_in_process: Path):
    """Deleting a news item (an event) and rebuilding removes it from every feed, calendar and digest."""
    news = site_built_in_process / "content" / "news" / "concert.md"
    item_id = re.search(r"^id: (\S+)", news.read_text("utf-8"), re.M).group(1)
    output = site_built_in_process / "output"
    written = [p for p in output.rglob("*") if p.suffix in (".xml", ".ics", ".txt", ".opml") and p.is_file()]
    assert any(item_id in p.read_text("utf-8") for p in written), "the item should be in a feed first"
    news.unlink()
    result = build_in_process(site_built_in_process)
    assert result.returncode == 0, result.log
    for folder in ("feeds", "calendars", "digests", "en/feeds", "en/calendars", "en/digests"):
        for path in (output / folder).rglob("*"):
            if path.is_file():
                text = path.read_text("utf-8")
                assert item_id not in text, path
                assert "Konzert in Hannover" not in text, path


def test_ready_made_opml_lists_every_city_feed(sample_site_output: Path):
    """feeds/cities.opml is OPML 2.0 with one outline per city feed, each pointing at a feed that exists."""
    for prefix in ("", "en/"):
        root = ElementTree.parse(sample_site_output / prefix / "feeds" / "cities.opml").getroot()
        assert root.tag == "opml"
        assert root.get("version") == "2.0"
        assert root.find("head/title").text
        urls = [o.get("xmlUrl") for o in root.iter("outline")]
        cities = sorted(p.name for p in (sample_site_output / "feeds" / "city").iterdir())
        assert sorted(u.split("/")[-2] for u in urls) == cities
        for outline in root.iter("outline"):
            assert outline.get("type") == "rss"
            assert outline.get("text")
            assert (sample_site_output / outline.get("xmlUrl").lstrip("/")).is_file()


@pytest.mark.parametrize(
    ("page", "feed"),
    [
        ("cities/leipzig/index.html", "/feeds/city/leipzig/atom.xml"),
        ("en/cities/leipzig/index.html", "/en/feeds/city/leipzig/atom.xml"),
        ("disciplines/dance/index.html", "/feeds/discipline/dance/atom.xml"),
        ("profiles/city/leipzig/index.html", "/feeds/city/leipzig/atom.xml"),
        ("calls/index.html", "/feeds/type/calls/atom.xml"),
        ("news/index.html", "/feeds/type/news/atom.xml"),
        ("index.html", "/feeds/all/atom.xml"),
    ],
)
def test_pages_advertise_their_feeds(sample_site_output: Path, page: str, feed: str):
    """Autodiscovery: a page's first feed is its own scope's (a city page → that city's feed)."""
    links = ATOM_LINK.findall((sample_site_output / page).read_text("utf-8"))
    assert links
    assert links[0] == feed
    assert links[-1].endswith("feeds/all/atom.xml")


def test_every_page_has_a_feed_link(sample_site_output: Path):
    """Every HTML page, in every language, links to at least the feed of everything (the 404 page aside)."""
    pages = [
        p for p in sample_site_output.rglob("*.html") if p.name != "404.html" and "digests" not in p.parts
    ]
    assert len(pages) > 100
    for page in pages:
        assert ATOM_LINK.search(page.read_text("utf-8")), page


def test_the_stylesheet_turns_a_feed_into_a_page(sample_site_output: Path):
    """feed.xsl is valid XSLT: applied by a real XSLT processor to an Atom and an RSS feed, it shows their entries."""
    for prefix, heading in (("", "So abonnieren Sie"), ("en/", "How to subscribe")):
        transform = etree.XSLT(etree.parse(str(sample_site_output / prefix / "feeds" / "feed.xsl")))
        for fmt in ("atom", "rss"):
            feed = sample_site_output / prefix / "feeds" / "city" / "hannover" / f"{fmt}.xml"
            assert b'<?xml-stylesheet href="/' + prefix.encode() + b'feeds/feed.xsl"' in feed.read_bytes()
            html = str(transform(etree.parse(str(feed))))
            titles = [entry.title for entry in parse(feed).entries]
            assert heading in html
            assert all(title in html for title in titles[:5])
            assert '<html lang="' + (prefix.rstrip("/") or "de") + '"' in html


def test_an_rss_channel_links_the_page_its_atom_twin_links(sample_site_output: Path):
    """The RSS <link> is the feed's page (feedgen took the last link added: a feed in another language)."""
    feeds = sorted(sample_site_output.rglob("rss.xml"))
    assert feeds
    for rss in feeds:
        page = parse(rss.with_name("atom.xml")).feed.link
        assert parse(rss).feed.link == page, rss
        assert not page.endswith(".xml"), rss


@pytest.mark.parametrize(
    ("prefix", "day"),
    [("", "1. November 2026"), ("en/", "November 1, 2026")],
)
@pytest.mark.parametrize("fmt", ["atom", "rss"])
def test_the_feed_view_writes_dates_in_the_ui_language(fixture_site_built_in_process, prefix, day, fmt):
    """The feed view shows an entry's date as the site's pages do, not RFC 822 nor ISO."""
    output = fixture_site_built_in_process / "output"
    transform = etree.XSLT(etree.parse(str(output / prefix / "feeds" / "feed.xsl")))
    feed = output / prefix / "feeds" / "city" / "hannover" / f"{fmt}.xml"
    page = etree.fromstring(str(transform(etree.parse(str(feed)))).encode(), etree.HTMLParser())
    dates = {
        "".join(p.itertext()).strip(): p.find("time").get("datetime")
        for p in page.iterfind(".//p[@class='feed-date']")
    }
    assert dates[day] == "2026-11-01"
    assert not any("+0" in text or "T" in text for text in dates)


@pytest.mark.parametrize(("prefix", "page"), [("", "/cities/hannover/"), ("en/", "/en/cities/hannover/")])
def test_a_city_feed_links_its_page_in_the_feeds_language(fixture_site_built_in_process, prefix, page):
    """The German RSS channel's <link> is the German city page, the English one's the English page."""
    feeds = fixture_site_built_in_process / "output" / prefix / "feeds" / "city" / "hannover"
    for fmt in ("rss", "atom"):
        assert feedparser.parse(feeds / f"{fmt}.xml").feed.link.endswith(page), fmt
