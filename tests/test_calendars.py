"""iCalendar output: every calendar parses, times carry their timezones, UIDs are stable, builds repeat."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from icalendar import Calendar
from support import BUILD_TIME, FIXTURE_SITE, build_in_process

from cucon.calendars import calendar_ics
from cucon.checks import load_site
from cucon.subscriptions import CalendarFeed, catalog
from cucon.views import Listings, build_listings

TOKYO_ID = "f5f296df-e9d6-41cc-ab1a-c0a8f870ac5d"
BERLIN_ID = "a2275216-8db7-4638-ab54-b999c249329c"
EVENING_ID = "664e1e93-4ba9-40a4-a0dc-7ccd3db49b56"
OPEN_END_ID = "2d8f9c6c-69b1-40d3-8497-632f0828b27f"
LEIPZIG_CALL_ID = "4e7422a2-7445-4afc-a677-85d48ed15304"
"""The permanent ids of the calls and events these tests add (and of the fixture site's call)."""

HOSTILE_TITLE = 'Abend; der Zeichen, mit \\ und "Zitat"'

EVENING = f"""---
id: {EVENING_ID}
kind: event
title: '{HOSTILE_TITLE}'
date: 2026-11-03
updated: 2026-11-20
summary: Lesung und Konzert, danach Gespräche.
cities: [hannover]
event:
  start: 2027-03-27 20:00
  end: 2027-03-28 04:00
  venue: Kulturhof Nordstadt
  address: Schlossereiweg 4, 30167 Hannover
lang: de
---

Ein Abend über die Umstellung auf Sommerzeit hinweg.
"""

EVENING_EN = """---
id: 934322f3-d953-4b0b-ab91-8c51cae4bcd1
translation_of: abend-der-zeichen
lang: en
title: An evening of signs
summary: Readings and a concert, then conversations.
---

An evening across the change to summer time.
"""

OPEN_END = f"""---
id: {OPEN_END_ID}
kind: event
title: Offene Probe online
date: 2026-11-04
summary: Eine Probe zum Zuschauen, ohne festes Ende.
cities: [leipzig]
event:
  start: 2027-02-10 19:00
  online: https://stream.example/probe
lang: de
---

Wir proben, solange es dauert.
"""

TOKYO_EN = """---
id: 04b1395e-b30e-4af6-b2a3-1d44f0cb8e7f
translation_of: frist-tokio
lang: en
title: Residency with a Tokyo deadline
summary: Four weeks of dance in Leipzig; applications close at midnight in Tokyo.
---

Apply online.
"""


def add_call(content: Path, slug: str, permanent_id: str, timezone: str, title: str) -> None:
    """A copy of the fixture site's call with another file name, id, timezone and title."""
    text = (FIXTURE_SITE / "content" / "calls" / "residency-leipzig.md").read_text("utf-8")
    assert "deadline: 2027-01-31 23:59\n" in text
    text = re.sub(r"(?m)^id: .*$", f"id: {permanent_id}", text)
    text = re.sub(r"(?m)^title: .*$", f"title: {title}", text)
    text = text.replace("deadline: 2027-01-31 23:59\n", f"deadline: 2027-01-31 23:59\ntimezone: {timezone}\n")
    (content / "calls" / f"{slug}.md").write_text(text, "utf-8")


def make_calendar_site(site: Path) -> Path:
    """Copy the fixture site to ``site`` and add two deadlines, two events and their translations."""
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    content = site / "content"
    add_call(content, "frist-tokio", TOKYO_ID, "Asia/Tokyo", "Residenz mit Frist in Tokio")
    add_call(content, "frist-berlin", BERLIN_ID, "Europe/Berlin", "Residenz mit Frist in Berlin")
    files = {
        "calls/frist-tokio-en.md": TOKYO_EN,
        "news/abend-der-zeichen.md": EVENING,
        "news/abend-der-zeichen-en.md": EVENING_EN,
        "news/offenes-ende.md": OPEN_END,
    }
    for name, text in files.items():
        (content / name).write_text(text, "utf-8")
    return site


CALENDAR_PATHS = [
    f"{prefix}calendars/{folder}{kind}.ics"
    for prefix in ("", "en/")
    for folder in ("", "city/hannover/", "city/leipzig/")
    for kind in ("events", "deadlines")
]
"""Every calendar the fixture site has: overall and per city, events and deadlines, in both UI languages."""


def calendars_in(output: Path) -> dict[str, bytes]:
    """Every .ics file of a build's output, by path relative to output/."""
    return {p.relative_to(output).as_posix(): p.read_bytes() for p in sorted(output.rglob("*.ics"))}


def vevents(ics: bytes) -> dict[str, object]:
    """The VEVENTs of a calendar by UID."""
    return {str(event["UID"]): event for event in Calendar.from_ical(ics).walk("VEVENT")}


def in_utc(moment: dt.datetime) -> dt.datetime:
    """A parsed aware time in UTC."""
    assert moment.tzinfo is not None
    return moment.astimezone(dt.UTC)


def assert_well_formed(ics: bytes) -> Calendar:
    """Parse a calendar and check what every calendar must carry; return it."""
    calendar = Calendar.from_ical(ics)
    for name in ("VERSION", "PRODID", "CALSCALE", "METHOD", "NAME", "X-WR-CALNAME", "REFRESH-INTERVAL"):
        assert calendar.get(name), name
    assert calendar["METHOD"] == "PUBLISH"
    assert calendar.timezones, "no VTIMEZONE"
    assert calendar.get_used_tzids() - {"UTC"} <= {tz.tz_name for tz in calendar.timezones}
    uids = [str(event["UID"]) for event in calendar.walk("VEVENT")]
    assert len(uids) == len(set(uids)), uids
    # Every unfolded content line is NAME[;PARAM=…]:value: no text broke out of its property.
    unfolded = ics.decode("utf-8").replace("\r\n ", "").split("\r\n")
    assert unfolded[-1] == ""
    for line in unfolded[:-1]:
        assert re.match(r"^[A-Z][A-Z0-9-]*[;:]", line), line
    return calendar


# --- unit tests of calendar_ics, on listings built without Pelican -----------------------------


@pytest.fixture(scope="session")
def calendar_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site with deadlines in Tokyo and Berlin and two events, never built; tests only read it."""
    return make_calendar_site(tmp_path_factory.mktemp("calendar-content") / "site")


@pytest.fixture(scope="session")
def listings(calendar_content: Path) -> Listings:
    """The listings of the calendar site at the tests' build time, the input calendar_ics gets in a build."""
    site = load_site(calendar_content / "content")
    assert not site.problems, site.problems
    return build_listings(site, BUILD_TIME)


def render(calendar: CalendarFeed, ui: str = "en", site_url: str = "https://cucon.example/") -> bytes:
    """A calendar as the feeds plugin writes it, with page URLs under ``site_url``."""
    return calendar_ics(
        calendar,
        title="CuCon: Events (all cities)",
        description="Events in the cities of the network.",
        language=ui,
        version=lambda entry: entry.in_language(ui),
        page_url=lambda entry: site_url + entry.in_language(ui).url(ui, "de"),
        deadline_label="Deadline" if ui == "en" else "Einsendeschluss",
    )


def find(listings: Listings, city: str, kind: str) -> CalendarFeed:
    """One calendar of the catalog."""
    return next(c for c in catalog(listings, 50).calendars if (c.city, c.kind) == (city, kind))


def test_every_calendar_is_well_formed(listings: Listings) -> None:
    """Each calendar of the catalog, in both UI languages, parses and has a VTIMEZONE for each TZID."""
    calendars = catalog(listings, 50).calendars
    assert len(calendars) == 6
    for calendar in calendars:
        for ui in ("de", "en"):
            parsed = assert_well_formed(render(calendar, ui))
            assert len(parsed.walk("VEVENT")) == len(calendar.entries)


def test_an_empty_calendar_is_still_valid() -> None:
    """A city without events still gets a calendar that apps accept, with its own VTIMEZONE."""
    parsed = assert_well_formed(render(CalendarFeed("", "events", ())))
    assert parsed.walk("VEVENT") == []
    assert [tz.tz_name for tz in parsed.timezones] == ["Europe/Berlin"]


def test_tokyo_and_berlin_deadlines_are_eight_hours_apart(listings: Listings) -> None:
    """23:59 in Asia/Tokyo and 23:59 in Europe/Berlin on 31 January are 8 hours apart in UTC."""
    events = vevents(render(find(listings, "", "deadlines")))
    tokyo = events[f"{TOKYO_ID}-deadline@cucon"]["DTSTART"]
    berlin = events[f"{BERLIN_ID}-deadline@cucon"]["DTSTART"]
    assert (tokyo.params["TZID"], berlin.params["TZID"]) == ("Asia/Tokyo", "Europe/Berlin")
    assert tokyo.dt.replace(tzinfo=None) == berlin.dt.replace(tzinfo=None) == dt.datetime(2027, 1, 31, 23, 59)
    assert in_utc(berlin.dt) - in_utc(tokyo.dt) == dt.timedelta(hours=8)


@pytest.mark.parametrize(
    ("city", "kind", "permanent_id", "uid"),
    [
        ("", "deadlines", TOKYO_ID, f"{TOKYO_ID}-deadline@cucon"),
        ("leipzig", "deadlines", LEIPZIG_CALL_ID, f"{LEIPZIG_CALL_ID}-deadline@cucon"),
        ("", "events", EVENING_ID, f"{EVENING_ID}@cucon"),
        ("hannover", "events", EVENING_ID, f"{EVENING_ID}@cucon"),
        ("leipzig", "events", OPEN_END_ID, f"{OPEN_END_ID}@cucon"),
    ],
)
def test_uids_come_from_the_permanent_id_only(listings, city, kind, permanent_id, uid) -> None:
    """The UID is the item's id (plus -deadline), the same in every UI language, city and site address."""
    outputs = [
        render(find(listings, city, kind), ui, site_url)
        for ui in ("de", "en")
        for site_url in ("/", "https://a.example/")
    ]
    for ics in outputs:
        assert uid in vevents(ics)
        assert permanent_id in uid


def test_an_event_shows_its_time_place_and_page(listings: Listings) -> None:
    """An event: local start and end with TZID, the translated title, location, kind and page URL."""
    evening = vevents(render(find(listings, "", "events"), "en"))[f"{EVENING_ID}@cucon"]
    assert str(evening["SUMMARY"]) == "An evening of signs"
    assert evening["DTSTART"].params["TZID"] == evening["DTEND"].params["TZID"] == "Europe/Berlin"
    # Across the switch to summer time: 20:00 CET to 04:00 CEST is 7 hours.
    assert in_utc(evening["DTEND"].dt) - in_utc(evening["DTSTART"].dt) == dt.timedelta(hours=7)
    assert str(evening["LOCATION"]) == "Kulturhof Nordstadt, Schlossereiweg 4, 30167 Hannover"
    assert evening.categories == ["event"]
    url = "https://cucon.example/en/news/abend-der-zeichen-en/"  # the translation's page
    assert str(evening["URL"]) == url
    assert str(evening["DESCRIPTION"]) == f"Readings and a concert, then conversations.\n\n{url}"


def test_an_event_without_end_is_a_moment_at_its_start(listings: Listings) -> None:
    """No invented end: no DTEND or DURATION (RFC 5545 3.6.1), and the online address as location."""
    probe = vevents(render(find(listings, "leipzig", "events")))[f"{OPEN_END_ID}@cucon"]
    assert "DTEND" not in probe
    assert "DURATION" not in probe
    assert probe["DTSTART"].dt == dt.datetime(2027, 2, 10, 19, tzinfo=probe["DTSTART"].dt.tzinfo)
    assert str(probe["LOCATION"]) == "https://stream.example/probe"


@pytest.mark.parametrize(
    ("ui", "summary"),
    [
        ("en", "Deadline: Residency with a Tokyo deadline"),
        ("de", "Einsendeschluss: Residenz mit Frist in Tokio"),
    ],
)
def test_a_deadline_is_a_moment_that_blocks_no_time(listings: Listings, ui: str, summary: str) -> None:
    """A deadline: the label and the title in the UI language, at the deadline itself, transparent."""
    deadline = vevents(render(find(listings, "leipzig", "deadlines"), ui))[f"{TOKYO_ID}-deadline@cucon"]
    assert str(deadline["SUMMARY"]) == summary
    assert "DTEND" not in deadline
    assert deadline["TRANSP"] == "TRANSPARENT"
    assert deadline.categories == ["residency"]


@pytest.mark.parametrize(
    ("site_url", "has_url"), [("https://cucon.example/", True), ("/", False)], ids=["absolute", "relative"]
)
def test_the_url_property_needs_an_absolute_address(listings: Listings, site_url: str, has_url: bool) -> None:
    """A site-relative page address goes only into the description; calendar apps cannot open it."""
    for event in vevents(render(find(listings, "", "events"), "de", site_url)).values():
        assert ("URL" in event) is has_url
        assert str(event["DESCRIPTION"]).rsplit("\n\n", 1)[1].startswith(f"{site_url}news/")


def test_stamps_come_from_the_content_not_the_clock(listings: Listings) -> None:
    """DTSTAMP and LAST-MODIFIED are the item's last update at midnight UTC; rendering twice is identical."""
    ics = render(find(listings, "", "events"), "de")
    assert ics == render(find(listings, "", "events"), "de")
    evening = vevents(ics)[f"{EVENING_ID}@cucon"]
    midnight = dt.datetime(2026, 11, 20, tzinfo=dt.UTC)
    assert evening["DTSTAMP"].dt == evening["LAST-MODIFIED"].dt == midnight


def test_contributed_text_is_escaped(listings: Listings) -> None:
    """Semicolons, commas, backslashes and quotes in a title come back exactly, inside their property."""
    ics = render(find(listings, "hannover", "events"), "de")
    assert str(vevents(ics)[f"{EVENING_ID}@cucon"]["SUMMARY"]) == HOSTILE_TITLE
    assert_well_formed(ics)


def test_calendar_names_are_escaped_and_lose_control_characters() -> None:
    """NAME and the X-WR- texts are TEXT too (icalendar would write them raw); control characters go."""
    ics = calendar_ics(
        CalendarFeed("", "deadlines", ()),
        title="A;\nB,\\C\x00",
        description="Eins;\r\nZwei, \\ Ende\x1b",
        language="de",
        version=lambda entry: entry,
        page_url=lambda entry: "",
        deadline_label="Frist",
    )
    assert_well_formed(ics)
    lines = ics.decode("utf-8").split("\r\n")
    assert "NAME;LANGUAGE=de:A\\; B\\,\\\\C" in lines
    assert "X-WR-CALNAME:A\\; B\\,\\\\C" in lines
    assert "DESCRIPTION;LANGUAGE=de:Eins\\;\\nZwei\\, \\\\ Ende" in lines
    assert "X-WR-CALDESC:Eins\\;\\nZwei\\, \\\\ Ende" in lines


# --- the calendars of real builds ---------------------------------------------------------------


def build(site: Path, **settings: object) -> Path:
    """Build a site in this process (``build_in_process``) and return its output folder."""
    result = build_in_process(site, **settings)
    assert result.returncode == 0, result.log
    return site / "output"


@pytest.fixture(scope="session")
def calendar_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The calendar site built once; the rebuild tests compare their calendars with these."""
    return build(make_calendar_site(tmp_path_factory.mktemp("calendar-build") / "site"))


@pytest.mark.parametrize("which", ["fixture site", "calendar site"])
def test_every_built_calendar_parses_and_carries_vtimezone(request, which: str) -> None:
    """Both builds write every calendar (the fixture site's have no events), all well formed."""
    if which == "fixture site":
        output = request.getfixturevalue("fixture_site_built_in_process") / "output"
    else:
        output = request.getfixturevalue("calendar_build")
    found = calendars_in(output)
    assert set(CALENDAR_PATHS) <= set(found)
    for path, ics in found.items():
        try:
            assert_well_formed(ics)
        except AssertionError as error:
            raise AssertionError(f"{path}: {error}") from error


@pytest.mark.parametrize(
    "path",
    [
        "calendars/deadlines.ics",
        "en/calendars/deadlines.ics",
        "calendars/city/leipzig/deadlines.ics",
        "en/calendars/city/leipzig/deadlines.ics",
    ],
)
def test_built_tokyo_and_berlin_deadlines_are_eight_hours_apart(calendar_build: Path, path: str) -> None:
    """The issue's test: both at 23:59 local time, 8 hours apart in UTC, in every calendar that has them."""
    events = vevents((calendar_build / path).read_bytes())
    tokyo = events[f"{TOKYO_ID}-deadline@cucon"]["DTSTART"].dt
    berlin = events[f"{BERLIN_ID}-deadline@cucon"]["DTSTART"].dt
    assert in_utc(berlin) - in_utc(tokyo) == dt.timedelta(hours=8)


def test_a_second_build_is_byte_identical(calendar_build: Path, tmp_path: Path) -> None:
    """The same content built again, in another folder, gives the same bytes in every calendar."""
    again = build(make_calendar_site(tmp_path / "site"))
    assert calendars_in(again) == calendars_in(calendar_build)


def test_uids_survive_a_new_address_and_new_titles(calendar_build: Path, tmp_path: Path) -> None:
    """With another SITEURL and retitled items every calendar has the same UIDs as before."""
    site = make_calendar_site(tmp_path / "site")
    for name, title in [
        ("calls/frist-tokio.md", "Ganz neuer Titel"),
        ("news/abend-der-zeichen.md", "Umbenannt"),
    ]:
        path = site / "content" / name
        path.write_text(re.sub(r"(?m)^title: .*$", f"title: {title}", path.read_text("utf-8")), "utf-8")
    output = build(site, SITEURL="https://a.example")
    before, after = calendars_in(calendar_build), calendars_in(output)
    assert set(before) == set(after)
    for path in before:
        assert set(vevents(after[path])) == set(vevents(before[path])), path
    summaries = {str(e["SUMMARY"]) for e in vevents(after["calendars/events.ics"]).values()}
    assert "Umbenannt" in summaries


def test_a_deleted_item_leaves_every_feed_and_calendar(calendar_build: Path, tmp_path: Path) -> None:
    """Removing a call and an event, with their translations, drops them from every .ics and feed."""
    site = tmp_path / "site"
    shutil.copytree(calendar_build.parent, site)  # output/ included: the next build writes over it
    gone = {"frist-tokio": TOKYO_ID, "abend-der-zeichen": EVENING_ID}
    before = calendars_in(site / "output")
    assert any(TOKYO_ID.encode() in ics for ics in before.values())
    assert any(EVENING_ID.encode() in ics for ics in before.values())
    for name in ("calls/frist-tokio.md", "calls/frist-tokio-en.md", "news/abend-der-zeichen*.md"):
        for path in (site / "content").glob(name):
            path.unlink()
    output = build(site)
    files = [
        p
        for folder in ("calendars", "en/calendars", "feeds", "en/feeds")
        for p in (output / folder).rglob("*")
    ]
    assert any(p.suffix == ".ics" for p in files)
    for path in (p for p in files if p.is_file()):
        data = path.read_bytes()
        for slug, permanent_id in gone.items():
            assert slug.encode() not in data, path
            assert permanent_id.encode() not in data, path
    assert BERLIN_ID.encode() in (output / "calendars" / "deadlines.ics").read_bytes()


@pytest.mark.parametrize(("prefix", "summary"), [("", HOSTILE_TITLE), ("en/", "An evening of signs")])
def test_each_event_has_its_own_calendar(calendar_build: Path, prefix: str, summary: str) -> None:
    """ "Add to calendar": one .ics per event and UI language, holding the event as the city calendar has it."""
    ics = (calendar_build / f"{prefix}calendars/event/abend-der-zeichen.ics").read_bytes()
    assert_well_formed(ics)
    (uid, event), *others = vevents(ics).items()
    assert others == []
    assert uid == f"{EVENING_ID}@cucon"
    assert str(event["SUMMARY"]) == summary
    assert event["DTSTART"].dt == dt.datetime(2027, 3, 27, 20, tzinfo=ZoneInfo("Europe/Berlin"))
    assert (
        event.to_ical()
        == vevents((calendar_build / f"{prefix}calendars/city/hannover/events.ics").read_bytes())[
            uid
        ].to_ical()
    )
    assert not (calendar_build / f"{prefix}calendars/event/abend-der-zeichen-en.ics").exists()


@pytest.mark.parametrize(
    ("page", "published"),
    [
        ("news/abend-der-zeichen/index.html", "Veröffentlicht"),
        ("en/news/abend-der-zeichen-en/index.html", "Published"),
    ],
)
def test_an_event_page_shows_when_first_and_links_its_calendar(
    calendar_build: Path, page: str, published: str
) -> None:
    """Under the title: the event's start and end; the publication date is a fact at the end; the .ics is linked."""
    html = lxml.html.fromstring((calendar_build / page).read_bytes())
    title = html.xpath("//article//h1")[0]
    when = title.getnext()
    assert when.get("class") == "event-when"
    assert [t.get("datetime") for t in when.iter("time")] == [
        "2027-03-27T20:00:00+01:00",
        "2027-03-28T04:00:00+02:00",
    ]
    assert "2026" not in when.text_content()
    (link,) = html.xpath("//a[@type='text/calendar']")
    prefix = "en/" if page.startswith("en/") else ""
    assert link.get("href").endswith(f"/{prefix}calendars/event/abend-der-zeichen.ics")
    terms = {
        dt_.text_content().strip(): dd.text_content().strip()
        for dt_, dd in zip(html.xpath("//dl/div/dt"), html.xpath("//dl/div/dd"), strict=True)
    }
    assert "2026" in terms[published]
