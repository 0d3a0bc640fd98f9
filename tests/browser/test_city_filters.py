"""Every city page's calls filters in Chromium: each combination gives exactly the calls of cucon.calls
and of the static filter pages, no request leaves 127.0.0.1, and axe finds nothing."""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest
from pelican.settings import read_settings
from playwright.sync_api import Browser
from support import BUILD_TIME, REPO, Tab, axe_violations, format_violations, open_tab, origin_of

from cucon import urls
from cucon.calls import REACHES, STATUSES, reach
from cucon.checks import load_site
from cucon.views import Listings, build_listings

CITIES = sorted(path.stem for path in (REPO / "content" / "cities").glob("*.yaml"))
KINDS = ("open_call", "cooperation", "residency", "funding", "commission")
NOT_CLOSED = tuple(status for status in STATUSES if status != "closed")
SHOWN = "li[data-slug]:not([hidden])"


@pytest.fixture(scope="module")
def listings(sample_site_output: Path) -> Listings:
    """The sample network as the browser's build saw it: content/, at the tests' build time, its dates
    anchored as pelicanconf.py says."""
    anchor = read_settings(str(REPO / "pelicanconf.py"))["CUCON_SAMPLE_DATES_ANCHOR"]
    return build_listings(load_site(REPO / "content"), BUILD_TIME, anchor)


@dataclass(frozen=True)
class Choice:
    """One combination of the calls filters: the city lived in (or ""), and what is ticked."""

    city: str
    reaches: tuple[str, ...] = REACHES
    kinds: tuple[str, ...] = KINDS
    statuses: tuple[str, ...] = NOT_CLOSED
    discipline: str = ""

    def expected(self, listings: Listings) -> set[str]:
        """The calls that fit, by cucon.calls: status, who may apply, kind and discipline."""
        city = listings.entries[("city", self.city)] if self.city else None
        return {
            call.slug
            for call in listings.of("call")
            if call.status in self.statuses
            and call.facts.kind in self.kinds
            and (not self.discipline or self.discipline in {d.slug for d in call.disciplines})
            and (city is None or reach(call, city) in self.reaches)
        }


def apply(tab: Tab, choice: Choice) -> None:
    """Set the filter form of the page open in ``tab`` to ``choice``, once its script has shown the form."""
    page = tab.page
    page.wait_for_selector("form.calls-filter:not([hidden])")
    page.select_option("#calls-filter-city", choice.city)
    page.select_option("#calls-filter-discipline", choice.discipline)
    for name, values in (("reach", choice.reaches), ("kind", choice.kinds), ("status", choice.statuses)):
        for box in page.query_selector_all(f"form.calls-filter input[name={name}]"):
            if box.is_disabled():
                continue
            box.set_checked(box.get_attribute("value") in values)


def shown_on_calls_page(tab: Tab, choice: Choice, prefix: str) -> set[str]:
    """Submit a city page's form set to ``choice``; the calls the calls page then shows (it says how many, and
    its form holds the same choice)."""
    page = tab.page
    counted = page.text_content("form.calls-filter [role=status]")
    with page.expect_navigation():
        page.click("form.calls-filter button[type=submit]")
    assert page.url.split("?")[0] == tab.origin + "/" + urls.listing("calls", prefix)
    page.wait_for_selector("form.calls-filter:not([hidden])")
    shown = set(page.eval_on_selector_all(SHOWN, "items => items.map(li => li.dataset.slug)"))
    # The city page's count and the calls page's say the same number.
    assert counted.endswith(f" {len(shown)}"), (counted, shown)
    assert page.text_content("form.calls-filter [role=status]") == counted
    assert page.input_value("#calls-filter-city") == choice.city
    assert page.input_value("#calls-filter-discipline") == choice.discipline
    for name, values in (("kind", choice.kinds), ("status", choice.statuses)):
        ticked = page.eval_on_selector_all(f"input[name={name}]:checked", "boxes => boxes.map(b => b.value)")
        assert set(ticked) == set(values), (name, ticked)
    return shown


def shown_links(tab: Tab) -> set[str]:
    """The links of the calls the calls page shows now."""
    return set(
        tab.page.eval_on_selector_all(
            f"{SHOWN} .card-title a", "links => links.map(a => a.getAttribute('href'))"
        )
    )


def static_links(tab: Tab, path: str) -> set[str]:
    """The links of the calls a static filter page lists, over every page of its series."""
    found: set[str] = set()
    while path:
        tab.open(path)
        found |= set(
            tab.page.eval_on_selector_all(
                ".cards .card-title a", "links => links.map(a => a.getAttribute('href'))"
            )
        )
        following = tab.page.query_selector(".pagination a[rel=next]")
        path = following.get_attribute("href") if following else ""
    return found


def assert_stayed_home(tab: Tab) -> None:
    """Every request went to the test server at 127.0.0.1 and none failed (a load that the next page
    broke off, such as the favicon's when the form is sent at once, is no failure)."""
    assert tab.origin.startswith("http://127.0.0.1:")
    assert {origin_of(url) for url in tab.requests} == {tab.origin}, tab.requests
    failed = [failure for failure in tab.failed if not failure.endswith("(net::ERR_ABORTED)")]
    assert not failed, failed


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("city", CITIES)
def test_a_city_page_preset_gives_the_calls_open_to_its_people(
    tab: Tab, listings: Listings, city: str, prefix: str
):
    """Untouched, a city's filters show what its static page lists: calls not closed that its people may apply to."""
    tab.open("/" + urls.entry("city", city, prefix))
    tab.page.wait_for_selector("form.calls-filter:not([hidden])")
    assert tab.page.input_value("#calls-filter-city") == city
    expected = Choice(city).expected(listings)
    assert expected  # every city of the sample may apply to some call
    assert shown_on_calls_page(tab, Choice(city), prefix) == expected
    assert shown_links(tab) == static_links(tab, "/" + urls.calls_open_to(city, prefix))
    assert_stayed_home(tab)


def one_group_alone(listings: Listings) -> list[Choice]:
    """Poznań (open to it by name, by Poland and as everyone) with one value of one group at a time."""
    disciplines = sorted({d.slug for call in listings.of("call") for d in call.disciplines})
    return [
        *(Choice("poznan", reaches=(r,)) for r in REACHES),
        *(Choice("poznan", kinds=(k,)) for k in KINDS),
        *(Choice("poznan", statuses=(s,)) for s in STATUSES),
        *(Choice("poznan", discipline=d) for d in disciplines),
        Choice("poznan", reaches=()),
        Choice("poznan", statuses=()),
        Choice("", statuses=STATUSES),  # any city, every status: every call
    ]


def mixed(listings: Listings, count: int) -> list[Choice]:
    """``count`` combinations of every group at once, drawn with a fixed seed (the same on every run)."""
    draw = random.Random(17)
    disciplines = sorted({d.slug for call in listings.of("call") for d in call.disciplines})

    def some(values: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v for v in values if draw.random() < 0.6) or (draw.choice(values),)

    return [
        Choice(
            draw.choice(["", *CITIES]),
            reaches=some(REACHES),
            kinds=some(KINDS),
            statuses=some(STATUSES),
            discipline=draw.choice(["", *disciplines]),
        )
        for _ in range(count)
    ]


def test_each_combination_on_a_city_page_gives_the_calls_of_cucon_calls(
    browser: Browser, site_url: str, listings
):
    """One group at a time, then mixed combinations across cities: the calls page shows exactly cucon.calls' set."""
    checked = []
    for n, choice in enumerate(one_group_alone(listings) + mixed(listings, 12)):
        tab = open_tab(browser, site_url)
        try:
            city_page = CITIES[n % len(CITIES)]  # the form is the same on every city's page
            prefix = ("", "en/")[n % 2]
            tab.open("/" + urls.entry("city", city_page, prefix))
            apply(tab, choice)
            shown = shown_on_calls_page(tab, choice, prefix)
            assert shown == choice.expected(listings), choice
            assert_stayed_home(tab)
            checked.append(len(shown))
        finally:
            tab.context.close()
    # The table is not trivial: it has empty sets, small ones and every call.
    assert 0 in checked, checked
    assert len(listings.of("call")) in checked, checked
    assert len(set(checked)) > 4, checked


def test_combined_filters_are_the_intersection_of_the_static_pages(tab: Tab):
    """From Poznań's page: residencies (or music) open to people from Poznań are the calls of the Poznań page that
    are on the residencies' page (the music page) too."""
    for_poznan = static_links(tab, "/" + urls.calls_open_to("poznan", "en/"))
    residencies = static_links(tab, "/" + urls.calls_of_kind("residency", "en/"))
    tab.open("/" + urls.entry("city", "poznan", "en/"))
    apply(tab, Choice("poznan", kinds=("residency",)))
    shown_on_calls_page(tab, Choice("poznan", kinds=("residency",)), "en/")
    shown = shown_links(tab)
    assert shown == for_poznan & residencies
    assert shown
    assert shown != for_poznan
    tab.open("/" + urls.discipline("music", "en/"))
    music = set(
        tab.page.eval_on_selector_all(
            "#discipline-calls ~ .cards .card-title a", "a => a.map(x => x.getAttribute('href'))"
        )
    )
    tab.open("/" + urls.entry("city", "poznan", "en/"))
    apply(tab, Choice("poznan", discipline="music"))
    shown_on_calls_page(tab, Choice("poznan", discipline="music"), "en/")
    assert shown_links(tab) == for_poznan & music
    assert for_poznan & music
    assert for_poznan & music != for_poznan


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_city_page_has_no_axe_violations_with_filters_and_without(tab: Tab, prefix: str):
    tab.open("/" + urls.entry("city", "poznan", prefix))
    tab.page.wait_for_selector("form.calls-filter:not([hidden])")
    violations = axe_violations(tab.page)
    assert not violations, format_violations(violations)
    apply(tab, Choice("poznan", reaches=("city", "country"), discipline="music"))
    assert tab.page.text_content("form.calls-filter [role=status]")  # the filters are applied and counted
    violations = axe_violations(tab.page)
    assert not violations, format_violations(violations)
    shown_on_calls_page(tab, Choice("poznan", reaches=("city", "country"), discipline="music"), prefix)
    violations = axe_violations(tab.page)  # the calls page as the city page's filters left it
    assert not violations, format_violations(violations)
    assert_stayed_home(tab)


def test_without_script_a_city_page_links_the_static_filter_pages(browser: Browser, site_url: str, listings):
    """No script: the form stays hidden, and the links to the pages of calls by city and kind answer with those calls."""
    tab = open_tab(browser, site_url, java_script_enabled=False)
    try:
        tab.open("/" + urls.entry("city", "poznan", "en/"))
        assert not tab.page.is_visible("form.calls-filter")
        links = tab.page.eval_on_selector_all(
            "#city-calls ~ nav a", "links => links.map(a => a.getAttribute('href'))"
        )
        assert "/" + urls.calls_open_to("poznan", "en/") in links
        assert {"/" + urls.calls_of_kind(k, "en/") for k in KINDS} <= set(links)
        for href in links:
            tab.open(href.split("#")[0])
        assert len(static_links(tab, "/" + urls.calls_open_to("poznan", "en/"))) == len(
            listings.calls_open_to["poznan"]
        )
        assert_stayed_home(tab)  # and every link answered: Tab.open checks it
    finally:
        tab.context.close()


BAD_QUERIES = [
    # (the calls page's query as a stranger may link it; the city, discipline and kinds the form then holds)
    (
        "?city=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&discipline=music",
        "",
        "music",
        KINDS,
    ),  # markup: no such city
    ("?city=poznan&discipline=%22%3E%3Cscript%3Ealert(1)%3C/script%3E", "poznan", "", KINDS),
    (
        "?kind=residency&kind=%3Cb%3Ealert(1)%3C/b%3E",
        "",
        "",
        ("residency",),
    ),  # a group named: exactly its values
    ("?filtered=1&city=poznan&kind=%3Cb%3Eopen_call%3C/b%3E&reach=city&status=open", "poznan", "", ()),
    (
        "?filtered=1&city=poznan&city=rouen&kind=residency&kind=residency&reach=city",
        "poznan",
        "",
        ("residency",),
    ),
    ("?city=" + "x" * 5000 + "&alert(1)", "", "", KINDS),
]


@pytest.mark.parametrize(("query", "city", "discipline", "kinds"), BAD_QUERIES)
def test_a_strangers_query_only_picks_existing_choices(tab: Tab, query, city, discipline, kinds):
    """The calls page takes from its address only values its form offers; nothing there becomes markup or runs."""
    dialogs: list[str] = []
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.open("/" + urls.listing("calls", "en/") + query)
    page = tab.page
    page.wait_for_selector("form.calls-filter:not([hidden])")
    assert page.input_value("#calls-filter-city") == city
    assert page.input_value("#calls-filter-discipline") == discipline
    ticked = page.eval_on_selector_all("input[name=kind]:checked", "boxes => boxes.map(b => b.value)")
    assert tuple(ticked) == tuple(k for k in KINDS if k in kinds)
    shown = page.eval_on_selector_all(SHOWN, "items => items.length")
    assert page.text_content("form.calls-filter [role=status]").endswith(f" {shown}")
    assert not dialogs
    assert "alert(1)" not in page.content()  # nothing of the query entered the page, not even as text
    assert_stayed_home(tab)
