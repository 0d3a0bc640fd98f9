"""Calls open to me: one status of a call, one answer to "who may apply", and the filter pages built from them.

The status and who may apply are tables against cucon.calls; the pages are a real build of a
small network with known answers (the fixture site, Poznań, and calls open to a city, to a
country, to everyone, not yet open and closed).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar
from support import BUILD_TIME, FIXTURE_SITE, REPO, build_in_process

from cucon import urls
from cucon.calls import REACHES, STATUSES, call_status, may_apply, opening, reach
from cucon.schema import OpenTo

NOW = dt.datetime.fromisoformat(BUILD_TIME)  # Friday 27 November 2026, 12:00 UTC


def at(text: str, zone: str) -> dt.datetime:
    """A local time in a timezone, as a call's deadline is."""
    return dt.datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


STATUS_TABLE = [
    # (deadline, its timezone, opening day or None, expected status at NOW)
    ("2026-11-27 12:59", "Europe/Berlin", None, "closed"),  # 11:59 UTC: a minute ago
    ("2026-11-27 13:01", "Europe/Berlin", None, "closing-soon"),  # 12:01 UTC
    ("2026-11-27 20:59", "Asia/Tokyo", None, "closed"),  # 11:59 UTC: later on the clock, yet passed
    ("2026-11-27 21:01", "Asia/Tokyo", None, "closing-soon"),
    (
        "2026-11-27 07:01",
        "America/New_York",
        None,
        "closing-soon",
    ),  # 12:01 UTC: earlier on the clock, yet to come
    ("2026-11-27 07:00", "America/New_York", None, "closed"),  # exactly now: the deadline has passed
    ("2026-12-11 12:00", "UTC", None, "closing-soon"),  # exactly 14 days
    ("2026-12-11 12:01", "UTC", None, "open"),
    ("2027-01-31 23:59", "Europe/Berlin", "2026-11-01", "open"),  # opened earlier
    ("2027-01-31 23:59", "Europe/Berlin", "2026-11-27", "open"),  # opens today, 00:00 Berlin is past
    ("2027-01-31 23:59", "Europe/Berlin", "2026-11-28", "opens-soon"),  # tomorrow
    ("2027-01-31 23:59", "Pacific/Kiritimati", "2026-11-28", "open"),  # UTC+14: it is the 28th there
    ("2027-01-31 23:59", "Pacific/Honolulu", "2026-11-27", "open"),  # 02:00 on the 27th there: opened
    ("2027-01-31 23:59", "Pacific/Honolulu", "2026-11-28", "opens-soon"),
    ("2027-07-15 12:00", "Europe/Berlin", "2027-03-01", "opens-soon"),  # never "open" months early
    ("2026-12-01 12:00", "Europe/Berlin", "2026-11-30", "opens-soon"),  # not open yet beats closing soon
    ("2026-11-20 12:00", "Europe/Berlin", "2026-11-10", "closed"),
]


@pytest.mark.parametrize(("deadline", "zone", "opens", "expected"), STATUS_TABLE)
def test_status_of_a_call(deadline, zone, opens, expected):
    """The status against deadlines and opening days in their own timezones."""
    opened = opening(dt.date.fromisoformat(opens) if opens else None, zone)
    assert call_status(at(deadline, zone), NOW, opened) == expected
    assert expected in STATUSES


def test_status_table_covers_every_status():
    assert {row[-1] for row in STATUS_TABLE} == set(STATUSES)


POZNAN = SimpleNamespace(slug="poznan", meta=SimpleNamespace(country="PL"))
WARSZAWA = SimpleNamespace(slug="warszawa", meta=SimpleNamespace(country="PL"))
HANNOVER = SimpleNamespace(slug="hannover", meta=SimpleNamespace(country="DE"))

REACH_TABLE = [
    # (open_to, city, expected reach)
    ({"everyone": True}, POZNAN, "everyone"),
    ({"cities": ["poznan"]}, POZNAN, "city"),
    ({"cities": ["poznan"]}, WARSZAWA, None),
    ({"countries": ["PL"]}, WARSZAWA, "country"),
    ({"countries": ["PL"]}, HANNOVER, None),
    ({"cities": ["poznan"], "countries": ["PL"]}, POZNAN, "city"),  # the narrowest reason
    ({"cities": ["poznan"], "countries": ["PL"]}, WARSZAWA, "country"),
    ({"cities": ["hannover"], "countries": ["DE"]}, POZNAN, None),
]


def test_reach_table_covers_every_reach():
    assert {row[-1] for row in REACH_TABLE} == {*REACHES, None}


@pytest.mark.parametrize(("open_to", "city", "expected"), REACH_TABLE)
def test_who_may_apply(open_to, city, expected):
    """may_apply and its reason, from a validated open_to and a city that knows its country."""
    call = SimpleNamespace(facts=SimpleNamespace(open_to=OpenTo(**open_to)))
    assert reach(call, city) == expected
    assert may_apply(call, city) is (expected is not None)


# --- a network with known answers -----------------------------------------------------------------

CALL = """---
id: {id}
kind: {kind}
title: {title}
summary: A call of the test network.
organiser:
  name: Kulturbüro Hannover
cities: [{city}]
open_to:
{open_to}
disciplines: [{discipline}]
published: 2026-11-01
deadline: {deadline}
{extra}apply: https://example.org/apply
lang: en
---

Apply online.
"""

CALLS = {
    # slug: (kind, city, open_to, discipline, deadline, extra)
    "for-poznan": ("residency", "leipzig", "  cities: [poznan]", "dance", "2027-02-01 23:59", ""),
    "for-poland": (
        "funding",
        "hannover",
        "  countries: [PL]",
        "music",
        "2027-03-01 23:59",
        "fee:\n  amount: 15\n  currency: EUR\naward:\n  amount: 4000\n  currency: EUR\n  kind: fee\n",
    ),
    "for-hannover": ("commission", "hannover", "  cities: [hannover]", "music", "2027-03-01 23:59", ""),
    "for-germany": ("open_call", "poznan", "  countries: [DE]", "dance", "2027-03-01 23:59", ""),
    "later-for-everyone": (
        "open_call",
        "poznan",
        "  everyone: true",
        "music",
        "2027-06-30 18:00",
        "opens: 2027-03-01\n",
    ),
    "closed-for-poznan": ("cooperation", "poznan", "  cities: [poznan]", "dance", "2026-11-20 12:00", ""),
    "closing-in-leipzig": ("open_call", "leipzig", "  cities: [leipzig]", "dance", "2026-12-05 12:00", ""),
    "soon-in-leipzig": (
        "open_call",
        "leipzig",
        "  cities: [leipzig]",
        "dance",
        "2026-12-05 12:00",
        "opens: 2026-11-30\n",
    ),
}
"""With the fixture's residency-leipzig (open to everyone, dance, deadline 31 January 2027)."""

EXPECTED = {
    # city: calls its filter page lists, the nearest deadline first
    "poznan": ["residency-leipzig", "for-poznan", "for-poland", "later-for-everyone"],
    "hannover": ["residency-leipzig", "for-germany", "for-hannover", "later-for-everyone"],  # ties by slug
    "leipzig": [
        "closing-in-leipzig",
        "soon-in-leipzig",
        "residency-leipzig",
        "for-germany",
        "later-for-everyone",
    ],
}
HOSTILE_ALT = '"><script>alert("alt")</script>'


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    """The fixture site with Poznań and the calls of CALLS, built once in process with an absolute
    SITEURL (for the sitemap) and the search index off; a profile's photo alt text tries markup."""
    site = tmp_path_factory.mktemp("calls") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__", "cache"))
    content = site / "content"
    shutil.copy(REPO / "content" / "cities" / "poznan.yaml", content / "cities" / "poznan.yaml")
    for number, (slug, (kind, city, open_to, discipline, deadline, extra)) in enumerate(CALLS.items()):
        text = CALL.format(
            id=f"7d3c1a52-0000-4000-8000-{number:012d}",
            kind=kind,
            title=slug.replace("-", " ").capitalize(),
            city=city,
            open_to=open_to,
            discipline=discipline,
            deadline=deadline,
            extra=extra,
        )
        (content / "calls" / f"{slug}.md").write_text(text, "utf-8")
    profile = content / "profiles" / "anna-kowalska.md"
    profile.write_text(
        profile.read_text("utf-8").replace("alt: Ein blaues Quadrat", f"alt: '{HOSTILE_ALT}'"), "utf-8"
    )
    result = build_in_process(site, SITEURL="https://cucon.example", CUCON_SEARCH_INDEX=False)
    assert result.returncode == 0, result.log
    return site / "output"


def card_slugs(html: str) -> list[str]:
    """The calls a page's cards link to, in order."""
    return re.findall(r'class="card-title"><a href="https://cucon\.example/(?:en/)?calls/([^/"]+)/"', html)


def read(output: Path, url: str) -> str:
    return (output / urls.save_as(url)).read_text("utf-8")


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("city", EXPECTED)
def test_filter_page_holds_exactly_the_calls_its_people_may_apply_to(network, city, prefix):
    html = read(network, urls.calls_open_to(city, prefix))
    assert card_slugs(html) == EXPECTED[city]


def test_filter_pages_are_in_the_sitemap_in_every_language(network):
    sitemap = (network / urls.SITEMAP).read_text("utf-8")
    for city in ("poznan", "hannover", "leipzig"):
        for prefix in ("", "en/"):
            assert f"<loc>https://cucon.example/{urls.calls_open_to(city, prefix)}</loc>" in sitemap


def test_city_page_tells_calls_held_there_from_calls_open_to_its_people(network):
    html = read(network, urls.entry("city", "poznan", "en/"))
    held = html[html.index('id="city-calls-held"') : html.index('id="city-calls-open-to"')]
    open_to = html[
        html.index('id="city-calls-open-to"') : html.index(
            "</section>", html.index('id="city-calls-open-to"')
        )
    ]
    assert card_slugs(held) == ["for-germany", "later-for-everyone"]  # closed-for-poznan is in the archive
    assert card_slugs(open_to) == EXPECTED["poznan"]
    assert f'href="https://cucon.example/{urls.calls_open_to("poznan", "en/")}"' in open_to


@pytest.mark.parametrize("page", [urls.listing("calls", "en/"), urls.calls_open_to("leipzig", "en/")])
def test_calls_pages_link_every_city_filter_page(network, page):
    html = read(network, page)
    for city in ("poznan", "hannover", "leipzig"):
        assert f'href="https://cucon.example/{urls.calls_open_to(city, "en/")}"' in html


def test_a_call_not_yet_open_says_when_it_opens_never_open(network):
    """On the calls page, the filter pages, its own page and in the feed of calls."""
    for page in (urls.listing("calls", "en/"), urls.calls_open_to("poznan", "en/")):
        html = read(network, page)
        start = html.index('class="card-title"><a href="https://cucon.example/en/calls/later-for-everyone/"')
        card = html[start : html.index("</li>", start)]
        assert "tag-opens-soon" in card
        assert ">Opens March 1, 2027</span>" in card
        assert "tag-open" not in card.replace("tag-opens-soon", "")
    html = read(network, urls.entry("call", "later-for-everyone", "en/"))
    status = html[
        html.index('<div class="call-status') : html.index("</div>", html.index('<div class="call-status'))
    ]
    assert 'class="call-status call-status-opens-soon"' in status
    assert ">Opens March 1, 2027</span>" in status
    assert "Applications open on March 1, 2027; until then the organiser accepts none." in html
    feed = (network / urls.feed("type", "calls", "atom", "en/")).read_text("utf-8")
    (entry,) = [e for e in feed.split("<entry")[1:] if "/calls/later-for-everyone/" in e]
    assert "Opens March 1, 2027" in entry


def test_calls_page_sections_by_status(network):
    html = read(network, urls.listing("calls", "en/"))
    sections = {
        name: card_slugs(
            html[
                html.index(f'id="calls-{name}"') : html.index("</section>", html.index(f'id="calls-{name}"'))
            ]
        )
        for name in ("open", "soon", "closed")
    }
    assert sections == {
        "open": [
            "closing-in-leipzig",
            "residency-leipzig",
            "for-poznan",
            "for-germany",
            "for-hannover",
            "for-poland",
        ],
        "soon": ["soon-in-leipzig", "later-for-everyone"],  # the soonest opening first
        "closed": ["closed-for-poznan"],
    }


def test_cards_say_who_may_apply_and_the_deadline_with_its_timezone(network):
    html = read(network, urls.calls_open_to("poznan", "en/"))
    start = html.index("/calls/for-poland/")
    card = html[start : html.index("</li>", start)]
    assert '<p class="card-who">Who may apply: People from Poland</p>' in card
    assert (
        '<time datetime="2027-03-01T23:59:00+01:00">March 1, 2027, 23:59 (Central European Standard Time)</time>'
        in card
    )
    start = html.index("/calls/residency-leipzig/")
    assert "Who may apply: Everyone" in html[start : html.index("</li>", start)]


@pytest.mark.parametrize(
    ("page", "money", "language"),
    [
        (urls.calls_open_to("poznan", "en/"), "Fee or commission: €4,000 · Application fee: €15", None),
        (urls.calls_open_to("poznan"), "Honorar: 4.000\xa0€ · Bewerbungsgebühr: 15\xa0€", "Auf Englisch"),
    ],
)
def test_call_cards_label_the_money_offered_apart_from_the_fee_and_name_a_foreign_language(
    network, page, money, language
):
    html = read(network, page)
    start = html.index("/calls/for-poland/")
    card = html[start : html.index("</li>", start)]
    assert f'<p class="card-money">{money}</p>' in card
    if language:
        assert f'<span class="card-language">{language}</span>' in card
    else:
        assert "card-language" not in card
    start = html.index("/calls/residency-leipzig/")  # no award: the fee alone, never an empty label
    other = html[start : html.index("</li>", start)]
    assert re.search(r'<p class="card-money">[^<:]+: [^<·]+</p>', other), other


def test_call_page_and_feed_entry_show_award_and_fee_labelled(network):
    page = read(network, "en/calls/for-poland/")
    assert re.search(r"<dt>Money offered</dt>\s*<dd[^>]*>Fee or commission: €4,000</dd>", page), page
    assert re.search(r"<dt>Application fee</dt>\s*<dd[^>]*>€15</dd>", page)
    feed = read(network, urls.feed("type", "calls", "atom", "en/"))
    assert "Fee or commission: €4,000 · Application fee: €15" in feed


def test_filter_data_matches_the_filter_pages(network):
    """calls/filters.json, which the calls page's script reads, gives the same sets as the pages."""
    data = json.loads((network / urls.CALL_FILTERS).read_text("utf-8"))
    slugs = [call["slug"] for call in data["calls"]]
    for city, expected in EXPECTED.items():
        lists = data["cities"][city]
        found = {slugs[i] for i in [*lists["city"], *lists["country"], *data["everyone"]]}
        found = {slug for slug in found if data["calls"][slugs.index(slug)]["status"] != "closed"}
        assert found == set(expected), city
    statuses = {call["slug"]: call["status"] for call in data["calls"]}
    assert statuses["later-for-everyone"] == "opens-soon"
    assert statuses["closed-for-poznan"] == "closed"


def test_kind_pages_hold_the_calls_of_their_kind(network):
    assert card_slugs(read(network, urls.calls_of_kind("open_call", "en/"))) == [
        "closing-in-leipzig",
        "soon-in-leipzig",
        "for-germany",
        "later-for-everyone",
    ]
    assert card_slugs(read(network, urls.calls_of_kind("residency"))) == ["residency-leipzig", "for-poznan"]
    assert not (network / urls.save_as(urls.calls_of_kind("cooperation"))).exists()  # only closed ones


@pytest.mark.parametrize("page", [urls.listing("profiles"), urls.directory("city", "hannover", "en/")])
def test_people_cards_show_the_small_picture_lazily_with_escaped_alt(network, page):
    html = read(network, page)
    pictures = re.findall(r'<img class="card-picture"[^>]*>', html)
    assert len(pictures) == 2, pictures  # both profiles of the fixture site
    for picture in pictures:
        assert 'loading="lazy"' in picture
        # The smallest WebP the build writes (the fixture's photos are 64 px): its own size, so nothing shifts.
        width = re.search(r'src="https://cucon\.example/media/profiles/[a-z-]+-(\d+)\.webp"', picture).group(
            1
        )
        assert f'width="{width}" height="{width}"' in picture
    anna = next(p for p in pictures if "anna-kowalska" in p)
    assert "<script" not in anna
    assert 'alt="&#34;&gt;&lt;script&gt;alert(&#34;alt&#34;)&lt;/script&gt;"' in anna


def test_digest_tells_only_calls_taking_applications_as_closing_soon(network):
    """A call whose deadline is near but which has not opened yet is no reminder to apply."""
    digest = (network / urls.digest("leipzig", "txt", "en/")).read_text("utf-8")
    closing = digest[digest.index("Closing soon\n") :]
    assert "Closing in leipzig" in closing
    assert "Soon in leipzig" not in digest


def test_deadline_calendar_says_when_a_call_not_yet_open_opens(network):
    calendar = Calendar.from_ical((network / urls.calendar("", "deadlines", "en/")).read_bytes())
    descriptions = {
        str(event["url"]).rstrip("/").rsplit("/", 1)[1]: str(event["description"])
        for event in calendar.walk("VEVENT")
    }
    assert descriptions["later-for-everyone"].startswith("Opens March 1, 2027\n\n")
    assert "Opens" not in descriptions["residency-leipzig"]


@pytest.mark.parametrize(
    ("prefix", "money"),
    [
        ("en/", "Fee or commission: €4,000 · Application fee: €15\n\n"),
        ("", "Honorar: 4.000\xa0€ · Bewerbungsgebühr: 15\xa0€\n\n"),
    ],
)
def test_deadline_calendar_labels_the_money_offered_apart_from_the_fee(network, prefix, money):
    calendar = Calendar.from_ical((network / urls.calendar("", "deadlines", prefix)).read_bytes())
    descriptions = {
        str(event["url"]).rstrip("/").rsplit("/", 1)[1]: str(event["description"])
        for event in calendar.walk("VEVENT")
    }
    assert descriptions["for-poland"].startswith(money), descriptions["for-poland"]
    assert descriptions["residency-leipzig"].startswith(money.split(" · ")[1].split(":")[0] + ":")
