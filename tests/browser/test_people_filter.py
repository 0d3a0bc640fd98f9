"""The people directory's combined filters in Chromium, at phone and desktop width: city, discipline
and kind together give the people that the three static pages share; the choice is in the address,
Back undoes it, the count is announced, a choice without matches says so, reset restores the A–Z
pages; without script the static pages stay; names from the data never become markup; axe is clean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from support import Tab, axe_violations, format_violations, open_tab

from cucon import urls

WIDTHS = [375, 1280]
RESULTS = ".people-filtered:not([hidden]) .card-title a"
STATIC_CARDS = ".directory-results .cards li .card-title a"
HREFS = "links => links.map(a => a.getAttribute('href'))"


@pytest.fixture(params=WIDTHS, ids=lambda width: f"{width}px")
def sized_tab(request, browser, site_url) -> Iterator[Tab]:
    """A tab whose window is a phone's or a desktop's width."""
    tab = open_tab(browser, site_url, viewport={"width": request.param, "height": 800})
    yield tab
    tab.context.close()


def static_links(tab: Tab, first: str) -> list[str]:
    """The people a static directory page lists, over every page of its series, in order."""
    found, path = [], "/" + first
    while path:
        tab.open(path)
        found += tab.page.eval_on_selector_all(STATIC_CARDS, HREFS)
        following = tab.page.query_selector(".pagination a[rel=next]")
        path = following.get_attribute("href") if following else ""
    return found


def ready(tab: Tab, path: str) -> None:
    tab.open(path)
    tab.page.wait_for_selector("form.people-filter:not([hidden])")


def state(tab: Tab) -> dict:
    """What the people page shows now: the address's query, the choice, the count and the results."""
    page = tab.page
    return {
        "query": page.evaluate("location.search"),
        "choice": [page.input_value(f"#people-filter-{name}") for name in ("city", "discipline", "kind")],
        "status": page.text_content("form.people-filter [role=status]"),
        "results": page.eval_on_selector_all(RESULTS, HREFS),
        "a-z shown": page.is_visible(".directory-all"),
    }


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_city_discipline_and_kind_combine_into_the_address_and_back_undoes_each(sized_tab: Tab, prefix: str):
    tab, page = sized_tab, sized_tab.page
    hannover = static_links(tab, urls.directory("city", "hannover", prefix))
    music = set(static_links(tab, urls.directory("discipline", "music", prefix)))
    ensembles = set(static_links(tab, urls.directory("kind", "ensemble", prefix)))
    everyone = static_links(tab, urls.listing("profiles", prefix))
    two = [link for link in hannover if link in music]
    three = [link for link in two if link in ensembles]
    assert three
    assert len(three) < len(two) < len(hannover)

    ready(tab, "/" + urls.listing("profiles", prefix))
    assert state(tab)["status"].endswith(f" {len(everyone)}")  # no filter: everyone, the A–Z pages shown
    page.select_option("#people-filter-city", "hannover")
    page.select_option("#people-filter-discipline", "music")
    page.select_option("#people-filter-kind", "ensemble")
    shown = state(tab)
    assert shown["query"] == "?city=hannover&discipline=music&kind=ensemble"
    assert shown["results"] == three  # in the directory's order
    assert shown["status"].endswith(f" {len(three)}")
    assert not shown["a-z shown"]

    page.go_back()
    back = state(tab)
    assert back["status"].endswith(f" {len(two)}")
    assert (back["query"], back["choice"], back["results"]) == (
        "?city=hannover&discipline=music",
        ["hannover", "music", ""],
        two,
    )
    page.go_back()
    assert state(tab)["results"] == hannover
    page.go_back()
    back = state(tab)
    assert (back["query"], back["choice"], back["results"], back["a-z shown"]) == ("", ["", "", ""], [], True)
    page.go_forward()
    assert state(tab)["results"] == hannover


def test_a_shared_address_opens_the_same_choice(sized_tab: Tab):
    """A filtered view's address, opened afresh, shows it; a value the form does not offer counts as any."""
    ready(sized_tab, "/en/profiles/?city=hannover&discipline=music&kind=ensemble")
    first = state(sized_tab)
    assert first["choice"] == ["hannover", "music", "ensemble"]
    assert len(first["results"]) == 3
    ready(sized_tab, "/en/profiles/?city=atlantis&discipline=music")
    assert state(sized_tab)["choice"] == ["", "music", ""]


def test_no_match_says_so_and_reset_by_keyboard_restores_the_directory(sized_tab: Tab):
    tab, page = sized_tab, sized_tab.page
    ready(tab, "/en/profiles/")
    everyone = state(tab)["status"]
    page.select_option("#people-filter-city", "hannover")
    page.select_option("#people-filter-discipline", "music")
    page.select_option("#people-filter-kind", "person")
    none = state(tab)
    assert none["results"] == []
    assert none["status"] == "No profiles match these filters. Choose fewer, or reset them."
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    page.focus("#people-filter-kind")
    page.keyboard.press("Tab")  # from the last select to the reset button
    assert page.evaluate("document.activeElement.type") == "reset"
    page.keyboard.press("Enter")
    page.wait_for_function("!location.search")
    after = state(tab)
    assert after == {
        "query": "",
        "choice": ["", "", ""],
        "status": everyone,
        "results": [],
        "a-z shown": True,
    }


def test_selects_work_by_keyboard_and_the_count_is_a_live_region(sized_tab: Tab):
    tab, page = sized_tab, sized_tab.page
    ready(tab, "/profiles/")
    assert page.get_attribute("form.people-filter [role=status]", "role") == "status"
    page.focus("#people-filter-city")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "people-filter-discipline"
    page.keyboard.press("Tab")
    page.keyboard.press("ArrowDown")  # the first kind
    chosen = state(tab)
    assert chosen["choice"][2] == "person"
    assert chosen["query"] == "?kind=person"
    assert chosen["results"]
    assert chosen["status"].endswith(f" {len(chosen['results'])}")
    for label in page.query_selector_all("form.people-filter label"):
        assert page.is_visible("#" + label.get_attribute("for"))


def test_a_directory_page_starts_from_its_filter_and_sends_the_choice(sized_tab: Tab):
    tab, page = sized_tab, sized_tab.page
    ready(tab, "/" + urls.directory("city", "hannover", "en/"))
    assert state(tab)["choice"] == ["hannover", "", ""]
    assert state(tab)["status"] == "Profiles: 9"
    assert page.locator("[data-page-count]").is_hidden(), "the page's own count and the form's both show"
    page.select_option("#people-filter-discipline", "music")
    assert state(tab)["status"] == "Profiles: 4"
    page.click("form.people-filter button[type=submit]")
    page.wait_for_url("**/en/profiles/?city=hannover&discipline=music")
    page.wait_for_selector(RESULTS)
    assert len(state(tab)["results"]) == 4


def test_matches_come_a_batch_at_a_time_and_show_more_moves_the_focus(sized_tab: Tab):
    """The page's batch (a page of the A–Z list, 24) made 2 here, so the sample's 4 matches need the button."""
    tab, page = sized_tab, sized_tab.page

    def smaller_batches(route) -> None:
        response = route.fetch()
        body = response.text()
        assert 'data-batch="24"' in body
        route.fulfill(response=response, body=body.replace('data-batch="24"', 'data-batch="2"'))

    page.route(lambda url: urlsplit(url).path == "/en/profiles/", smaller_batches)
    ready(tab, "/en/profiles/?city=hannover&discipline=music")
    first = state(tab)
    assert len(first["results"]) == 2
    assert first["status"] == "Profiles: 4"  # the count is of all matches
    assert page.text_content(".people-more") == "Show 2 more"
    page.focus(".people-more")
    page.keyboard.press("Enter")
    after = state(tab)
    assert len(after["results"]) == 4
    assert after["results"][:2] == first["results"]
    assert page.evaluate("document.activeElement.getAttribute('href')") == after["results"][2]
    assert not page.is_visible(".people-more")
    page.select_option("#people-filter-kind", "ensemble")  # a new choice starts from the first batch
    assert len(state(tab)["results"]) == 2
    assert page.text_content(".people-more") == "Show 1 more"


@pytest.mark.parametrize("prefix", ["", "en/", "ja/"])
def test_filtered_people_page_has_no_axe_violations(sized_tab: Tab, prefix: str):
    ready(sized_tab, f"/{prefix}profiles/?city=hannover&discipline=music")
    sized_tab.page.wait_for_selector(RESULTS)
    violations = axe_violations(sized_tab.page)
    assert not violations, format_violations(violations)
    assert (
        sized_tab.page.evaluate("document.documentElement.scrollWidth")
        == sized_tab.page.viewport_size["width"]
    )
    assert not sized_tab.failed, sized_tab.failed


def test_without_script_the_static_filters_stay(browser, site_url):
    tab = open_tab(browser, site_url, java_script_enabled=False)
    try:
        tab.open("/en/profiles/?city=hannover&discipline=music")
        assert not tab.page.is_visible("form.people-filter")
        assert tab.page.is_visible(".directory-all")
        hrefs = tab.page.eval_on_selector_all(".section-nav a", HREFS)
        assert "/" + urls.directory("city", "hannover", "en/") in hrefs
        assert "/" + urls.directory("discipline", "music", "en/") in hrefs
    finally:
        tab.context.close()


HOSTILE_ROWS = [
    pytest.param(["x", '<img src=x onerror="window.owned=1">', "", 0, [0], [0]], id="markup-in-name"),
    pytest.param(["javascript:window.owned=1", "Script link", "", 0, [0], [0]], id="script-url-as-file-name"),
    pytest.param(["../../evil", "Climbs out", "", 0, [0], [0]], id="path-in-file-name"),
    pytest.param(
        ["x", "Quoted lang", '" onmouseover="window.owned=1', 0, [0], [0]], id="attribute-in-language"
    ),
]


@pytest.mark.parametrize("row", HOSTILE_ROWS)
def test_data_never_becomes_markup_or_a_script_link(browser, site_url, row):
    """Whatever the data holds, a name is text, a link stays under the people folder, nothing runs."""
    tab = open_tab(browser, site_url)
    try:
        data = {"kinds": ["person"], "cities": ["hannover"], "disciplines": ["music"], "profiles": [row]}
        tab.page.route(
            "**/en/profiles/filters.json",
            lambda route: route.fulfill(content_type="application/json", body=json.dumps(data)),
        )
        ready(tab, "/en/profiles/?city=hannover")
        link = tab.page.query_selector(RESULTS)
        assert link.text_content() == row[1]
        assert tab.page.query_selector_all(".people-filtered img") == []
        href = tab.page.evaluate("a => new URL(a.href).pathname", link)
        assert href.startswith("/en/profiles/"), href
        assert href.count("/") == 4, href
        link.hover()
        assert tab.page.evaluate("window.owned") is None
    finally:
        tab.context.close()
