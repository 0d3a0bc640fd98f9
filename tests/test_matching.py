"""Matches, with reasons, and alerts: a real build of a small network with known answers.

Who may apply (a city, a country, everyone), a call not open yet, a closed call, a Japanese
profile and a Japanese call, a profile whose discipline no call shares, and two profiles that only
the controlled list of what people offer and seek connects (no shared discipline, language or word). The lists are read
from the built pages; each profile's feed is read with feedparser and its calendar with icalendar.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import feedparser
import pytest
from icalendar import Calendar
from support import FIXTURE_SITE, REPO, build_in_process

from cucon import urls
from cucon.calls import REACHES, is_for, reach
from cucon.checks import load_site
from cucon.matching import (
    MAX_MATCHES,
    VISITS,
    WEIGHTS,
    Features,
    Index,
    drop_common_words,
    feature_keys,
    features,
    fit,
    match,
    words,
)
from cucon.subscriptions import published_order
from cucon.views import build_listings

CALL = """---
id: 9a1b2c3d-0000-4000-8000-{number:012d}
kind: {kind}
title: "{title}"
summary: "{summary}"
organiser:
  name: Kulturbüro Leipzig
cities: [leipzig]
open_to:
{open_to}
disciplines: [{discipline}]
published: 2026-11-0{day}
deadline: {deadline}
{extra}apply: https://example.org/apply
lang: {lang}
---

Apply online.
"""

CALLS = {
    # slug: (kind, open_to, discipline, deadline, extra, lang, title, summary)
    "jazz-for-poznan": ("residency", "  cities: [poznan]", "music", "2027-02-01 23:59", "", "en",
                        "Jazz residency", "A residency for jazz musicians from Poznan."),
    "music-for-poland": ("funding", "  countries: [PL]", "music", "2027-03-01 23:59", "", "en",
                         "Travel grants", "Travel grants for musicians from Poland."),
    "music-for-everyone": ("open_call", "  everyone: true", "music", "2027-03-01 23:59", "", "en",
                           "Festival stage", "A festival stage for bands."),
    "music-later": ("open_call", "  everyone: true", "music", "2027-06-30 18:00", "opens: 2027-03-01\n", "en",
                    "Summer concerts", "Concerts in summer."),
    "music-closed": ("open_call", "  everyone: true", "music", "2026-11-20 12:00", "", "en",
                     "Past call", "A call that has closed."),
    "music-for-hannover": ("commission", "  cities: [hannover]", "music", "2027-03-01 23:59", "", "en",
                           "Hannover commission", "A commission for Hannover."),
    "onkyo-ishoku": ("commission", "  everyone: true", "music", "2027-03-01 23:59",
                     "offers: [commission, recording]\n", "ja",
                     "電子音響作品の委嘱", "ライプツィヒの劇場が電子音響作品を委嘱します。"),
}  # fmt: skip
"""With the fixture's residency-leipzig (dance, open to everyone)."""

PROFILE = """---
id: 5e6f7a8b-0000-4000-8000-{number:012d}
name: {name}
kind: person
cities: [{city}]
disciplines: [{discipline}]
languages: [{languages}]
summary: "{summary}"
looking_for: "{looking_for}"
{terms}photo:
  file: {slug}.jpg
  alt: A blue square
consent:
  date: 2026-04-02
  version: "1"
lang: {lang}
---
"""

PROFILES = {
    # slug: (name, city, discipline, languages, summary, looking_for, lang)
    "ola-nowak": ("Ola Nowak", "poznan", "music", "pl, en", "Jazz singer from Poznan.",
                  "A residency for jazz.", "en"),
    "kenji-sato": ("佐藤健二", "hiroshima", "music", "ja", "広島の電子音響の作曲家です。",
                   "電子音響作品の委嘱", "ja"),
    "jan-film": ("Jan Film", "poznan", "film", "", "Filmmaker.", "Nothing.", "cs"),
    "hana-mori": ("森はな", "hiroshima", "dance", "ja", "広島の舞踏家です。", "稽古と公演ができる場所。", "ja"),
    "scena-wilda": ("Scena Wilda", "poznan", "theatre", "pl", "Mała scena teatralna na Wildzie.",
                    "Zespoły z zagranicy.", "pl"),
}  # fmt: skip

TERMS = {
    "kenji-sato": "seeks: [commission]\n",
    "hana-mori": "seeks: [venue, residency]\n",
    "scena-wilda": "offers: [venue, showcase]\nseeks: [co-production]\n",
}
"""What some profiles offer and seek (cucon.schema.OFFERS): Hana (Hiroshima, dance, Japanese) seeks
a venue that Scena Wilda (Poznań, theatre, Polish) offers; nothing else of theirs meets."""

POZNAN_MUSIC = {"jazz-for-poznan", "music-for-poland", "music-for-everyone", "music-later", "onkyo-ishoku"}
"""The calls for Ola (Poznań, music): open to Poznań, to Poland and to everyone, one not open yet."""


@pytest.fixture(scope="module")
def network(tmp_path_factory) -> Path:
    """The fixture site with Poznań, Hiroshima, a film discipline, CALLS and PROFILES, built once."""
    site = tmp_path_factory.mktemp("matching") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__", "cache"))
    content = site / "content"
    for city in ("poznan", "hiroshima"):
        shutil.copy(REPO / "content" / "cities" / f"{city}.yaml", content / "cities" / f"{city}.yaml")
    disciplines = content / "disciplines.yaml"
    disciplines.write_text(
        disciplines.read_text("utf-8") + "  - slug: film\n    names: {de: Film, en: Film}\n", "utf-8"
    )
    for number, (slug, (kind, open_to, discipline, deadline, extra, lang, title, summary)) in enumerate(
        CALLS.items()
    ):
        (content / "calls" / f"{slug}.md").write_text(
            CALL.format(
                number=number,
                kind=kind,
                open_to=open_to,
                discipline=discipline,
                deadline=deadline,
                extra=extra,
                lang=lang,
                title=title,
                summary=summary,
                day=number % 9 + 1,
            ),
            "utf-8",
        )
    for number, (slug, (name, city, discipline, languages, summary, looking, lang)) in enumerate(
        PROFILES.items()
    ):
        profiles = content / "profiles"
        shutil.copy(profiles / "anna-kowalska.jpg", profiles / f"{slug}.jpg")
        (profiles / f"{slug}.md").write_text(
            PROFILE.format(
                number=number,
                slug=slug,
                name=name,
                city=city,
                discipline=discipline,
                languages=languages,
                summary=summary,
                looking_for=looking,
                terms=TERMS.get(slug, ""),
                lang=lang,
            ),
            "utf-8",
        )
    result = build_in_process(site, SITEURL="https://cucon.example", CUCON_SEARCH_INDEX=False)
    assert result.returncode == 0, result.log
    return site


def listed(output: Path, url: str, section: str) -> list[str]:
    """The slugs a page's match list (by its heading's id) links to, in order."""
    html = (output / urls.save_as(url)).read_text("utf-8")
    found = re.search(rf'aria-labelledby="{section}">(.*?)</section>', html, re.S)
    assert found, f"{url} has no {section}"
    return re.findall(r'<li class="match" data-slug="([^"]+)">', found.group(1))


def test_calls_for_you_are_exactly_the_calls_one_may_apply_to_in_ones_disciplines(network):
    output = network / "output"
    assert set(listed(output, urls.entry("profile", "ola-nowak", "en/"), "calls-for-you")) == POZNAN_MUSIC
    # Anna (Hannover, Leipzig; music) may not apply to the calls for Poznań or Poland.
    anna = listed(output, urls.entry("profile", "anna-kowalska", "en/"), "calls-for-you")
    assert set(anna) == {"music-for-everyone", "music-later", "music-for-hannover", "onkyo-ishoku"}
    # The dance ensemble gets the dance residency only; the film maker shares no discipline: nothing.
    assert listed(output, urls.entry("profile", "tanz-kollektiv", "en/"), "calls-for-you") == [
        "residency-leipzig"
    ]
    assert listed(output, urls.entry("profile", "jan-film", ""), "calls-for-you") == []


def test_the_narrowest_call_ranks_first_and_the_reason_says_why(network):
    html = (network / "output" / urls.save_as(urls.entry("profile", "ola-nowak", "en/"))).read_text("utf-8")
    ola = listed(network / "output", urls.entry("profile", "ola-nowak", "en/"), "calls-for-you")
    assert ola[0] == "jazz-for-poznan"
    first = html.split('data-slug="jazz-for-poznan">', 1)[1].split("</li>", 1)[0]
    assert "open to people from your city" in first
    assert "for Music" in first
    assert "shared words: " in first
    assert "jazz" in first
    assert re.search(r"fit (\d+) of 100", first)
    german = (network / "output" / urls.save_as(urls.entry("profile", "ola-nowak", ""))).read_text("utf-8")
    first = german.split('data-slug="jazz-for-poznan">', 1)[1].split("</li>", 1)[0]
    assert "offen für Menschen aus deiner Stadt" in first
    assert "für Musik" in first


def test_a_japanese_profile_meets_a_japanese_call(network):
    output = network / "output"
    assert listed(output, urls.entry("profile", "kenji-sato", "en/"), "calls-for-you")[0] == "onkyo-ishoku"
    answers = listed(output, urls.entry("call", "onkyo-ishoku", "en/"), "who-might-answer")
    assert answers[0] == "kenji-sato"
    html = (output / urls.save_as(urls.entry("call", "onkyo-ishoku", "en/"))).read_text("utf-8")
    reason = html.split('data-slug="kenji-sato">', 1)[1].split("</li>", 1)[0]
    assert "電子" in reason or "音響" in reason
    assert "also works in Music" in reason
    assert "speaks Japanese" in reason


def test_the_controlled_list_connects_people_whose_words_never_meet(network):
    """Japanese and Polish, dance and theatre: only "seeks: venue" meets "offers: venue", and the
    reason line says so in the UI language, both ways round."""
    output = network / "output"
    site = load_site(network / "content")
    listings = build_listings(site, "2026-11-27T12:00:00+00:00")
    entries = {p.slug: p for p in listings.of("profile")}
    hana, scena = features(entries["hana-mori"]), features(entries["scena-wilda"])
    assert hana.disciplines.isdisjoint(scena.disciplines)
    assert hana.languages.isdisjoint(scena.languages)
    assert hana.offers.isdisjoint(scena.wants)
    assert hana.wants.isdisjoint(scena.offers)
    assert "scena-wilda" in listed(output, urls.entry("profile", "hana-mori", "en/"), "people-for-you")
    assert "hana-mori" in listed(output, urls.entry("profile", "scena-wilda", "en/"), "people-for-you")
    html = (output / urls.save_as(urls.entry("profile", "hana-mori", "en/"))).read_text("utf-8")
    reason = html.split('data-slug="scena-wilda">', 1)[1].split("</li>", 1)[0]
    assert "offers: Venue or space" in reason
    assert "Residency" not in reason  # Scena offers no residency
    # Nobody else offers a residency: the venue is all that could meet, and meets.
    assert int(re.search(r"fit (\d+) of 100", reason).group(1)) == WEIGHTS["terms"]
    german = (output / urls.save_as(urls.entry("profile", "scena-wilda", ""))).read_text("utf-8")
    reason = german.split('data-slug="hana-mori">', 1)[1].split("</li>", 1)[0]
    assert "sucht: Ort oder Raum" in reason
    # Both pages list the terms as a labelled list in the UI language.
    assert re.search(
        r"<dt>Seeks</dt><dd><ul class=\"terms\"><li>Venue or space</li><li>Residency</li></ul>", html
    )
    assert '<dt>Bietet</dt><dd><ul class="terms"><li>Ort oder Raum</li>' in german


def test_a_call_offers_what_a_profile_seeks(network):
    output = network / "output"
    html = (output / urls.save_as(urls.entry("profile", "kenji-sato", "en/"))).read_text("utf-8")
    reason = html.split('data-slug="onkyo-ishoku">', 1)[1].split("</li>", 1)[0]
    assert "offers: Commission" in reason
    html = (output / urls.save_as(urls.entry("call", "onkyo-ishoku", "en/"))).read_text("utf-8")
    reason = html.split('data-slug="kenji-sato">', 1)[1].split("</li>", 1)[0]
    assert "looking for: Commission" in reason
    assert "<dt>Offers</dt>" in html


def test_who_might_answer_holds_only_people_elsewhere_who_may_apply(network):
    output = network / "output"
    assert listed(output, urls.entry("call", "jazz-for-poznan", "en/"), "who-might-answer") == ["ola-nowak"]
    # Open to Hannover only: Anna may apply, but she lives in Leipzig too, the call's home.
    assert listed(output, urls.entry("call", "music-for-hannover", "en/"), "who-might-answer") == []
    everyone = listed(output, urls.entry("call", "music-for-everyone", "en/"), "who-might-answer")
    assert set(everyone) == {"ola-nowak", "kenji-sato"}
    closed = output / urls.save_as(urls.entry("call", "music-closed", "en/"))
    assert 'id="who-might-answer"' not in closed.read_text("utf-8")


def test_people_to_work_with_live_in_other_cities(network):
    output = network / "output"
    ola = listed(output, urls.entry("profile", "ola-nowak", "en/"), "people-for-you")
    assert "jan-film" not in ola  # the same city
    assert set(ola) == {"anna-kowalska", "kenji-sato"}  # music
    assert listed(output, urls.entry("profile", "jan-film", "en/"), "people-for-you") == []


@pytest.mark.parametrize("limit", [1, 2, 3, 50])
def test_lists_are_short_sorted_and_built_from_the_one_eligibility_rule(network, limit):
    """Every list comes from postings, never from a loop over all calls: checked here against that
    loop. With ``limit`` below the number of calls for a profile, its feed holds exactly the newest
    and its calendar the nearest deadlines of the calls :func:`is_for` it, and every reason is
    :func:`reach`'s."""
    site = load_site(network / "content")
    listings = build_listings(site, "2026-11-27T12:00:00+00:00")
    found = match(listings, limit)
    profiles = {p.slug: p for p in listings.of("profile")}
    for slug, matches in found.calls_for.items():
        assert len(matches) <= MAX_MATCHES
        assert [(-m.score, m.entry.slug) for m in matches] == sorted(
            (-m.score, m.entry.slug) for m in matches
        )
        assert all(0 <= m.score <= 100 for m in matches)
        eligible = [c for c in listings.of("call") if is_for(c, profiles[slug])]
        assert {m.entry.slug for m in matches} <= {c.slug for c in eligible}
        for m in matches:
            reasons = {reach(m.entry, city) for city in profiles[slug].cities} - {None}
            assert m.reach == min(reasons, key=REACHES.index)
        newest = sorted(eligible, key=published_order, reverse=True)[:limit]
        assert [c.slug for c in found.feed_for[slug]] == [c.slug for c in newest]
        soonest = sorted(eligible, key=lambda c: (c.deadline, c.slug))[:limit]
        assert [c.slug for c in found.deadlines_for[slug]] == [c.slug for c in soonest]
    assert {c.slug for c in match(listings).feed_for["ola-nowak"]} == POZNAN_MUSIC
    assert match(listings, limit) == found  # deterministic


def test_each_profile_feed_holds_exactly_its_calls(network):
    output = network / "output"
    ids = {f"urn:uuid:9a1b2c3d-0000-4000-8000-{number:012d}": slug for number, slug in enumerate(CALLS)}
    for prefix in ("", "en/"):
        parsed = feedparser.parse((output / urls.feed("profile", "ola-nowak", "atom", prefix)).read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
        assert {ids[e.id] for e in parsed.entries} == POZNAN_MUSIC
        # An alert: each call's summary and link, not its whole text (the network's feeds carry it).
        assert all(
            e.summary and e.link and [c.value for c in e.content] == [e.summary] for e in parsed.entries
        )
    empty = feedparser.parse((output / urls.feed("profile", "jan-film", "atom", "en/")).read_bytes())
    assert empty.bozo == 0
    assert empty.entries == []
    assert not (output / urls.feed("profile", "jan-film", "rss", "en/")).exists()  # Atom only
    calendar = Calendar.from_ical((output / urls.profile_calendar("ola-nowak", "en/")).read_bytes())
    summaries = [str(event["SUMMARY"]) for event in calendar.walk("VEVENT")]
    assert len(summaries) == len(POZNAN_MUSIC)
    assert any("Jazz residency" in s for s in summaries)
    # Each calendar is its own: a profile's is not the network's deadlines calendar.
    network_calendar = Calendar.from_ical((output / urls.calendar("", "deadlines", "en/")).read_bytes())
    assert str(calendar["UID"]) != str(network_calendar["UID"])


def test_profile_and_subscribe_pages_link_the_alerts(network):
    output = network / "output"
    html = (output / urls.save_as(urls.entry("profile", "ola-nowak", "en/"))).read_text("utf-8")
    assert f'href="https://cucon.example/{urls.feed("profile", "ola-nowak", "atom", "en/")}"' in html
    assert f'href="https://cucon.example/{urls.profile_calendar("ola-nowak", "en/")}"' in html


# --- hostile input: what a contributor's text can do to matching ----------------------------------

WORDS_TABLE = [
    # (text a contributor wrote, the words matching takes from it)
    ('<img src=x onerror="alert(1)">', {"img", "src", "onerror", "alert"}),  # markup: words only, no < > " =
    ("@everyone please #42 `rm -rf`", {"everyone", "please"}),  # mentions, issue numbers, code: plain words
    ("Klang-Kunst und Klang", {"klang", "kunst", "und"}),  # a word repeated counts once
    ("音" * 10_000, {"音音"}),  # a long run without spaces: its bigrams, linear in its length
    ("a b 12 x_y", set()),  # too short, digits, underscores: nothing
]


@pytest.mark.parametrize(("text", "expected"), WORDS_TABLE)
def test_words_of_hostile_text(text, expected):
    assert words(text) == expected


def test_stuffing_looking_for_buys_at_most_the_words_share():
    """A profile that copies another's every word into its "looking for" gains at most the words'
    points: the controlled facts (disciplines, languages) carry the rest of a score."""
    index = Index()
    mine = Features(
        frozenset({"music"}), frozenset({"de"}), frozenset({"hannover"}), frozenset({"jazz", "quartet"})
    )
    honest = Features(frozenset({"dance"}), frozenset({"ja"}), frozenset({"hiroshima"}), frozenset({"butoh"}))
    stuffer = Features(
        frozenset({"dance"}), frozenset({"ja"}), frozenset({"tokyo"}), frozenset({"butoh"}), wants=mine.offers
    )
    for slug, feats in (("mine", mine), ("honest", honest), ("stuffer", stuffer)):
        index.add(slug, [*feature_keys(feats, offers=True, wants=True)])
    index.finish()
    assert fit(mine, honest, index, asks=False)[0] == 0
    assert fit(mine, stuffer, index, asks=False)[0] <= WEIGHTS["words"]


def test_a_huge_discipline_visits_a_bounded_number_of_postings():
    """However many profiles share a discipline, a list looks at no more than VISITS of them."""
    index = Index()
    for number in range(VISITS * 3):
        index.add(f"p{number:05d}", [("discipline", "music")])
    found = index.candidates([("discipline", "music"), ("language", "de")])
    assert len(found) == VISITS
    assert found == sorted(found)  # the same ones every build: the first in slug order


def test_words_in_most_entries_are_left_out():
    """A word most entries have ("and") neither scores nor stands in a reason; a rare one stays."""
    feats = {
        ("profile", f"p{n}"): Features(frozenset(), frozenset(), frozenset(), frozenset({"and", f"rare{n}"}))
        for n in range(10)
    }
    drop_common_words(feats)
    assert all(f.offers == {f"rare{n}"} for n, f in enumerate(feats.values()))
