"""The weekly mail digest of a city: what it picks, and that its HTML and text are fit for e-mail."""

from __future__ import annotations

import datetime as dt
import re
import shutil
import uuid
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from jinja2 import Environment, FileSystemLoader, select_autoescape
from support import BUILD_TIME, REPO

from cucon.checks import load_site
from cucon.digest import Digest, weekly_digest
from cucon.i18n import install_translations, template_helpers
from cucon.views import Listings, build_listings

SITEURL = "https://cucon.example"
SECTIONS = ("news", "calls", "profiles", "upcoming_events", "closing_calls")

# The fixture site's clock is 2026-11-27 12:00 UTC (13:00 in Hannover): the week is 21–27 November,
# and "the next 14 days" end with 11 December in Hannover.
NEWS = {
    "week-first-day": ("news", "2026-11-21", ["hannover"]),
    "build-day": ("news", "2026-11-27", ["hannover"]),
    "day-before-week": ("news", "2026-11-20", ["hannover"]),
    "only-leipzig": ("knowledge", "2026-11-25", ["leipzig"]),
    "both-cities": ("cooperation", "2026-11-24", ["leipzig", "hannover"]),
}
"""Extra news items: slug → (kind, date, cities)."""

EVENTS = {
    "starts-at-horizon": ("2026-11-22", "2026-12-11 23:59", None),
    "starts-after-horizon": ("2026-11-22", "2026-12-12 00:00", None),
    "running-now": ("2026-11-01", "2026-11-20 10:00", "2026-11-30 18:00"),
    "ended-this-morning": ("2026-11-23", "2026-11-27 09:00", "2026-11-27 11:00"),
    "tomorrow": ("2026-11-10", "2026-11-28 19:30", None),
    "announced-before-far-off": ("2026-11-20", "2027-01-29 19:00", None),
}
"""Extra events in Hannover: slug → (date, start, end), local times."""

CALLS = {
    "closes-in-a-week": ("2026-11-22", "2026-12-04 23:59"),
    "closed-yesterday": ("2026-11-23", "2026-11-26 23:59"),
    "closes-after-horizon": ("2026-10-01", "2026-12-12 00:00"),
    "closes-at-horizon": ("2026-10-01", "2026-12-11 23:59"),
}
"""Extra calls in Hannover: slug → (published, deadline)."""

PROFILES = {"joined-this-week": "2026-11-26", "joined-last-week": "2026-11-19"}
"""Extra profiles in Hannover: slug → consent date."""


def _id(slug: str) -> str:
    """A stable id for an extra item."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"digest-test/{slug}"))


def _write(path: Path, front: str, body: str = "Text.") -> None:
    """Write one content file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{front.strip()}\n---\n\n{body}\n", "utf-8")


def _add_items(content: Path) -> None:
    """Add the NEWS, EVENTS, CALLS and PROFILES above to a copy of the fixture content."""
    for slug, (kind, date, cities) in NEWS.items():
        _write(
            content / "news" / f"{slug}.md",
            f"id: {_id(slug)}\nkind: {kind}\ntitle: Klang & Raum {slug}\ndate: {date}\n"
            f"summary: Worum es bei {slug} geht.\ncities: [{', '.join(cities)}]\nlang: de",
        )
    for slug, (date, start, end) in EVENTS.items():
        ends = f'\n  end: "{end}"' if end else ""
        _write(
            content / "news" / f"{slug}.md",
            f"id: {_id(slug)}\nkind: event\ntitle: Event {slug}\ndate: {date}\nsummary: Ein Abend.\n"
            f'cities: [hannover]\nevent:\n  start: "{start}"{ends}\n  venue: Saal <1>\nlang: de',
        )
    for slug, (published, deadline) in CALLS.items():
        _write(
            content / "calls" / f"{slug}.md",
            f"id: {_id(slug)}\nkind: open_call\ntitle: Call {slug}\nsummary: Bitte bewerben.\n"
            f"organiser:\n  name: Kulturbüro\ncities: [hannover]\nopen_to:\n  everyone: true\n"
            f'disciplines: [music]\npublished: {published}\ndeadline: "{deadline}"\n'
            f"apply: https://www.hannover.de/\nlang: de",
        )
    for slug, consent in PROFILES.items():
        shutil.copy(content / "profiles" / "anna-kowalska.jpg", content / "profiles" / f"{slug}.jpg")
        _write(
            content / "profiles" / f"{slug}.md",
            f"id: {_id(slug)}\nname: Profile {slug}\nkind: person\ncities: [hannover]\n"
            f"disciplines: [music]\nsummary: Spielt Musik.\nphoto:\n  file: {slug}.jpg\n"
            f'  alt: Ein blaues Quadrat\nconsent:\n  date: {consent}\n  version: "1"\nlang: de',
        )


@pytest.fixture
def listings(fixture_site: Path) -> Listings:
    """The fixture site plus items on both sides of every edge of the digest's windows."""
    _add_items(fixture_site / "content")
    site = load_site(fixture_site / "content")
    assert not site.problems, site.problems
    return build_listings(site, BUILD_TIME)


@pytest.fixture
def hannover(listings: Listings) -> Digest:
    """Hannover's digest of the extended fixture site, with the default windows."""
    return weekly_digest(listings, "hannover")


@pytest.fixture(scope="module")
def sample() -> Listings:
    """The sample network of content/, its dates moved to the build day as `make html` does."""
    return build_listings(load_site(REPO / "content"), BUILD_TIME, "2026-11-27")


def slugs(entries) -> list[str]:
    """The slugs of a list of entries, in order."""
    return [e.slug for e in entries]


def test_the_week_ends_on_the_build_day_in_hannover(hannover):
    """Seven days up to and including the build day."""
    assert (hannover.start, hannover.end) == (dt.date(2026, 11, 21), dt.date(2026, 11, 27))
    assert hannover.city.slug == "hannover"


def test_the_build_day_is_hannovers_day_not_utc(fixture_site):
    """At 23:30 UTC it is already the next day in Hannover, and so is the digest's week."""
    site = load_site(fixture_site / "content")
    digest = weekly_digest(build_listings(site, "2026-11-27T23:30:00+00:00"), "leipzig", days=3)
    assert (digest.start, digest.end) == (dt.date(2026, 11, 26), dt.date(2026, 11, 28))


@pytest.mark.parametrize(
    ("slug", "section", "listed"),
    [
        ("week-first-day", "news", True),
        ("build-day", "news", True),
        ("day-before-week", "news", False),
        ("only-leipzig", "news", False),
        ("both-cities", "news", True),
        ("concert", "news", False),  # the fixture's own news item, from 1 November
        ("starts-at-horizon", "news", False),  # events are never news, however new
        ("starts-at-horizon", "upcoming_events", True),
        ("starts-after-horizon", "upcoming_events", True),  # announced this week: news this week
        ("announced-before-far-off", "upcoming_events", False),
        ("running-now", "upcoming_events", True),
        ("ended-this-morning", "upcoming_events", False),
        ("tomorrow", "upcoming_events", True),
        ("closes-in-a-week", "calls", True),
        ("closed-yesterday", "calls", True),  # new this week, though already closed
        ("closes-after-horizon", "calls", False),
        ("closes-in-a-week", "closing_calls", True),
        ("closed-yesterday", "closing_calls", False),
        ("closes-after-horizon", "closing_calls", False),
        ("closes-at-horizon", "closing_calls", True),
        ("residency-leipzig", "closing_calls", False),  # Leipzig's, and open until January
        ("joined-this-week", "profiles", True),
        ("joined-last-week", "profiles", False),
        ("tanz-kollektiv", "profiles", False),
    ],
)
def test_what_hannovers_digest_lists(hannover, slug, section, listed):
    """Each item is in a section exactly when its date falls in that section's window."""
    assert (slug in slugs(getattr(hannover, section))) is listed


def test_sections_are_ordered(hannover):
    """New items newest first; events soonest first; deadlines nearest first."""
    assert slugs(hannover.news) == ["build-day", "both-cities", "week-first-day"]
    assert slugs(hannover.upcoming_events) == [
        "running-now",
        "tomorrow",
        "starts-at-horizon",
        "starts-after-horizon",
    ]
    assert slugs(hannover.calls) == ["closed-yesterday", "closes-in-a-week"]
    assert slugs(hannover.closing_calls) == ["closes-in-a-week", "closes-at-horizon"]


def test_windows_follow_days_and_ahead(listings):
    """A longer week takes older items in; a shorter look ahead leaves later events out, unless announced."""
    digest = weekly_digest(listings, "hannover", days=8, ahead=1)
    assert "day-before-week" in slugs(digest.news)
    assert slugs(digest.upcoming_events) == [
        "running-now",
        "tomorrow",
        "starts-at-horizon",
        "starts-after-horizon",
        "announced-before-far-off",
    ]
    assert slugs(weekly_digest(listings, "hannover", days=1, ahead=1).upcoming_events) == [
        "running-now",
        "tomorrow",
    ]
    assert slugs(digest.closing_calls) == []


def test_a_cooperation_with_an_upcoming_event_is_listed_once(fixture_site):
    """A news item that is not an event but has an event block soon shows under events only."""
    _write(
        fixture_site / "content" / "news" / "joint-rehearsal.md",
        f"id: {_id('joint-rehearsal')}\nkind: cooperation\ntitle: Probe\ndate: 2026-11-26\n"
        'summary: Gemeinsam.\ncities: [hannover, leipzig]\nevent:\n  start: "2026-12-01 18:00"\nlang: de',
    )
    digest = weekly_digest(build_listings(load_site(fixture_site / "content"), BUILD_TIME), "leipzig")
    assert slugs(digest.upcoming_events) == ["joint-rehearsal"]
    assert slugs(digest.news) == []


def test_unknown_city_and_bad_windows_are_refused(listings):
    """A typo in a city slug, or a window of no days, is an error and not an empty digest."""
    with pytest.raises(KeyError, match="hamburg"):
        weekly_digest(listings, "hamburg")
    with pytest.raises(ValueError, match="at least one day"):
        weekly_digest(listings, "hannover", days=0)
    with pytest.raises(ValueError, match="negative"):
        weekly_digest(listings, "hannover", ahead=-1)


def test_a_quiet_week_is_empty(fixture_site):
    """Years after the fixture's dates nothing is new, coming up or closing."""
    site = load_site(fixture_site / "content")
    digest = weekly_digest(build_listings(site, "2031-01-01T12:00:00+00:00"), "hannover")
    assert digest.empty
    assert all(getattr(digest, section) == [] for section in SECTIONS)


@pytest.mark.parametrize("city", ["blantyre", "bristol", "hannover", "hiroshima", "leipzig", "rouen"])
def test_sample_digests_hold_only_their_citys_originals(sample, city):
    """Over the sample network: every entry belongs to the city, is no translation, and fits its window."""
    digest = weekly_digest(sample, city)
    city_entry = sample.entries[("city", city)]
    for section in SECTIONS:
        for entry in getattr(digest, section):
            assert city_entry in entry.cities, (section, entry.slug)
            assert entry.original is None, (section, entry.slug)
    for entry in digest.news + digest.calls + digest.profiles:
        assert digest.start <= entry.published <= digest.end
    for entry in digest.upcoming_events:
        assert sample.now <= (entry.event_end or entry.event_start)
        soon = entry.event_start.astimezone(ZoneInfo("Europe/Berlin")).date() <= digest.end + dt.timedelta(14)
        assert soon or digest.start <= entry.published <= digest.end, entry.slug
    assert all(c.status != "closed" for c in digest.closing_calls)


def test_sample_hannover_has_events_and_deadlines(sample):
    """The sample network's Hannover digest is not empty: the templates get something to show."""
    digest = weekly_digest(sample, "hannover")
    assert digest.upcoming_events
    assert digest.closing_calls


# Rendering


def environment(ui: str) -> Environment:
    """The theme's templates as the plugin renders them: Pelican's whitespace, .txt unescaped."""
    env = Environment(
        loader=FileSystemLoader(REPO / "theme" / "templates"),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.add_extension("jinja2.ext.i18n")
    install_translations(env, REPO / "theme" / "translations", ui)
    return env


def render(listings: Listings, city: str, ui: str = "en", env: Environment | None = None) -> tuple[str, str]:
    """The HTML and the text of one city's digest, as a build with an absolute SITEURL writes them."""
    env = env or environment(ui)
    helpers = template_helpers(ui, "de", ["de", "en"], listings, SITEURL)
    digest = weekly_digest(listings, city)
    context = {
        **helpers,
        "digest": digest,
        "city": digest.city,
        "SITEURL": SITEURL,
        "SITENAME": "CuCon",
        "feed_url": f"{SITEURL}/{helpers['prefix']}feeds/city/{city}/atom.xml",
    }
    return env.get_template("digest.html").render(context), env.get_template("digest.txt").render(context)


class Mail(HTMLParser):
    """Collects the tags and URLs of an HTML mail, and the text with the colours it is drawn in."""

    VOID = frozenset({"meta", "br", "hr", "img", "link"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[str] = []
        self.texts: list[tuple[str, str, str]] = []
        self.stack: list[tuple[str, dict[str, str], bool]] = []

    def handle_starttag(self, tag, attrs):
        """Note the tag, its URLs and its colours."""
        self.tags.append(tag)
        attrs = dict(attrs)
        self.urls += [value for name, value in attrs.items() if name in ("href", "src", "srcset")]
        if tag not in self.VOID:
            style = dict(
                (part.split(":", 1)[0].strip(), part.split(":", 1)[1].strip())
                for part in (attrs.get("style") or "").split(";")
                if ":" in part
            )
            hidden = style.get("display") == "none" or any(h for _, _, h in self.stack)
            self.stack.append((tag, style, hidden))

    def handle_endtag(self, tag):
        """Close the innermost element of that name."""
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        """Note visible text with its colour and background."""
        if data.strip() and self.stack and not self.stack[-1][2]:
            styles = [style for _, style, _ in reversed(self.stack)]
            colour = next((s["color"] for s in styles if "color" in s), "#000000")
            background = next((s["background-color"] for s in styles if "background-color" in s), "#ffffff")
            self.texts.append((data.strip(), colour, background))


def contrast(one: str, two: str) -> float:
    """The WCAG contrast ratio of two #rrggbb colours.

    >>> round(contrast("#000000", "#ffffff"), 1), contrast("#777777", "#777777")
    (21.0, 1.0)
    """

    def luminance(colour: str) -> float:
        """The relative luminance of a colour."""
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted((luminance(one), luminance(two)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("ui", ["de", "en"])
def test_html_is_a_self_contained_mail(listings, ui):
    """No scripts or resources; every link absolute on the site; lang set; headings per section."""
    html, _ = render(listings, "hannover", ui)
    mail = Mail()
    mail.feed(html)
    assert f'<html lang="{ui}">' in html
    assert not {"script", "img", "link", "iframe", "object", "style", "form"} & set(mail.tags)
    assert mail.urls
    assert all(url.startswith(f"{SITEURL}/") for url in mail.urls), mail.urls
    prefix = "" if ui == "de" else "en/"
    for path in ("cities/hannover/", "feeds/city/hannover/atom.xml", "subscribe/", "news/build-day/"):
        assert f'href="{SITEURL}/{prefix}{path}"' in html
    assert mail.tags.count("h2") == 5
    assert mail.tags.count("h1") == 1
    assert "Klang &amp; Raum" in html
    assert "Saal &lt;1&gt;" in html
    assert "Nothing new this week" not in html
    if ui == "en":
        assert html.count("(Closed)") == 1  # the one call that is new and already closed


def test_html_text_meets_wcag_aa_contrast(listings):
    """Every visible piece of text is drawn at a contrast of at least 4.5:1 on its background."""
    mail = Mail()
    mail.feed(render(listings, "hannover")[0])
    assert mail.texts
    for text, colour, background in mail.texts:
        assert contrast(colour, background) >= 4.5, (text, colour, background)


def test_html_layout_is_600px_tables():
    """The mail's frame is a table at most 600 pixels wide, as mail clients need."""
    source = (REPO / "theme" / "templates" / "digest.html").read_text("utf-8")
    assert "max-width:600px" in source
    assert 'role="presentation"' in source
    assert "{% extends" not in source


@pytest.mark.parametrize("autoescape", [False, True])
def test_text_is_plain(listings, autoescape):
    """The text version has no tags and no entities, even in an environment that escapes."""
    env = environment("en")
    env.autoescape = autoescape
    _, text = render(listings, "hannover", env=env)
    assert not re.search(r"</?[a-zA-Z]", text.replace("Saal <1>", ""))
    assert not re.search(r"&[#a-zA-Z0-9]+;", text)
    assert "Klang & Raum build-day\nNovember 27, 2026\nWorum es bei build-day geht.\n" in text
    assert (
        "Call closed-yesterday\nDeadline: November 26, 2026, 23:59 (Central European Standard Time) (Closed)\n"
        in text
    )
    assert f"{SITEURL}/en/news/build-day/\n" in text
    assert "Saal <1>" in text
    for heading in ("News", "Upcoming events", "New open calls", "Closing soon", "New profiles"):
        assert f"\n{heading}\n{'-' * len(heading)}\n" in text
    assert f"{SITEURL}/en/subscribe/" in text
    assert f"{SITEURL}/en/cities/hannover/" in text
    urls = re.findall(r"https?://\S+", text)
    assert all(url.startswith(f"{SITEURL}/") for url in urls), urls


def test_an_empty_digest_says_so_politely(fixture_site):
    """No sections, one friendly sentence, and the footer links still there."""
    site = load_site(fixture_site / "content")
    html, text = render(build_listings(site, "2031-01-01T12:00:00+00:00"), "leipzig")
    for version in (html, text):
        assert "Nothing new this week from Leipzig." in version
        assert f"{SITEURL}/en/feeds/city/leipzig/atom.xml" in version
    assert "<h2" not in html
    assert "-----" not in text


def test_sample_digests_render_for_every_city(sample):
    """Every city of the sample network gets a digest in both UI languages without errors."""
    for ui in ("de", "en"):
        env = environment(ui)
        for city in sample.of("city"):
            html, text = render(sample, city.slug, ui, env)
            assert html.startswith("<!doctype html>")
            assert text.startswith("CuCon: ")


# The build


@pytest.mark.parametrize(("prefix", "lang"), [("", "de"), ("en/", "en")])
@pytest.mark.parametrize("city", ["hannover", "leipzig"])
def test_build_writes_each_citys_digest(fixture_site_built_in_process, prefix, lang, city):
    """The feeds plugin writes digests/<city>.html and .txt per UI language, fit for e-mail."""
    folder = fixture_site_built_in_process / "output" / prefix / "digests"
    html = (folder / f"{city}.html").read_text("utf-8")
    text = (folder / f"{city}.txt").read_text("utf-8")
    mail = Mail()
    mail.feed(html)
    assert html.startswith("<!doctype html>")
    assert f'<html lang="{lang}">' in html
    assert not {"script", "img", "link", "style"} & set(mail.tags)
    # The fixture build has no absolute SITEURL: every link is at least rooted at the site.
    assert all(url.startswith("/") and not url.startswith("//") for url in mail.urls), mail.urls
    assert f'href="/{prefix}feeds/city/{city}/atom.xml"' in html
    assert f"/{prefix}subscribe/" in text
    assert not re.search(r"</?[a-zA-Z]|&[#a-zA-Z0-9]+;", text)
