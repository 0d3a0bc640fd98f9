"""The calls page's combined filters in Chromium give the same calls as the static filter pages, accessibly."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import Tab, axe_violations, format_violations

from cucon import urls

REPO = Path(__file__).resolve().parents[2]
CITIES = sorted(path.stem for path in (REPO / "content" / "cities").glob("*.yaml"))
KINDS = ("open_call", "cooperation", "residency", "funding", "commission")
CARD_LINKS = ".cards li:not([hidden]) .card-title a"


def static_links(tab: Tab, path: str) -> list[str]:
    """The calls a static page lists: the links of its cards, over every page of the series."""
    found: list[str] = []
    while path:
        tab.open(path)
        found += tab.page.eval_on_selector_all(CARD_LINKS, "links => links.map(a => a.getAttribute('href'))")
        following = tab.page.query_selector(".pagination a[rel=next]")
        path = following.get_attribute("href") if following else ""
    return found


def filtered(tab: Tab, prefix: str, city: str = "", kind: str = "", discipline: str = "") -> list[str]:
    """The calls the calls page shows with the script's filters set: calls not closed, and a city,
    a kind or a discipline if given."""
    page = tab.page
    tab.open("/" + urls.listing("calls", prefix))
    page.wait_for_selector("form.calls-filter:not([hidden])")
    page.uncheck("input[name=status][value=closed]")
    if city:
        page.select_option("#calls-filter-city", city)
    if discipline:
        page.select_option("#calls-filter-discipline", discipline)
    if kind:
        for other in KINDS:
            if other != kind:
                page.uncheck(f"input[name=kind][value={other}]")
    shown = page.eval_on_selector_all(CARD_LINKS, "links => links.map(a => a.getAttribute('href'))")
    status = page.text_content("form.calls-filter [role=status]")
    assert status.endswith(f" {len(shown)}"), status  # the live region says how many match
    for section in page.query_selector_all(".directory-results section:not([hidden])"):
        left = section.query_selector_all("li[data-slug]:not([hidden])")
        assert section.query_selector(".section-count").text_content() == str(len(left))
    return shown


@pytest.mark.parametrize("prefix", ["", "en/"])
@pytest.mark.parametrize("city", CITIES)
def test_city_filter_gives_the_calls_of_the_static_page(tab: Tab, city: str, prefix: str):
    expected = static_links(tab, "/" + urls.calls_open_to(city, prefix))
    assert expected  # every city of the sample may apply to some call
    assert sorted(filtered(tab, prefix, city=city)) == sorted(expected)


@pytest.mark.parametrize("kind", ["open_call", "residency", "commission"])
def test_kind_filter_gives_the_calls_of_the_static_page(tab: Tab, kind: str):
    expected = static_links(tab, "/" + urls.calls_of_kind(kind, "en/"))
    assert expected
    assert sorted(filtered(tab, "en/", kind=kind)) == sorted(expected)


def test_combined_filters_are_the_intersection_of_the_static_pages(tab: Tab):
    """People from Poznań, music: the Poznań page's calls that are on the music page too."""
    for_poznan = set(static_links(tab, "/" + urls.calls_open_to("poznan", "en/")))
    tab.open("/" + urls.discipline("music", "en/"))
    music = set(
        tab.page.eval_on_selector_all(
            "#discipline-calls ~ .cards .card-title a", "a => a.map(x => x.getAttribute('href'))"
        )
    )
    expected = for_poznan & music
    assert expected
    assert expected != for_poznan
    assert sorted(filtered(tab, "en/", city="poznan", discipline="music")) == sorted(expected)


def test_the_reach_boxes_split_the_city_page(tab: Tab):
    """Unticking "for everyone" leaves the calls for Poznań by name or by Poland only."""
    everything = filtered(tab, "en/", city="poznan")
    tab.page.uncheck("input[name=reach][value=everyone]")
    narrower = tab.page.eval_on_selector_all(CARD_LINKS, "links => links.map(a => a.getAttribute('href'))")
    assert narrower
    assert set(narrower) < set(everything)


@pytest.mark.parametrize("prefix", ["", "en/"])
def test_filtered_calls_page_has_no_axe_violations(tab: Tab, prefix: str):
    filtered(tab, prefix, city="poznan", discipline="music")
    violations = axe_violations(tab.page)
    assert not violations, format_violations(violations)
    assert not tab.failed, tab.failed


@pytest.mark.parametrize(
    "path", ["/" + urls.calls_open_to("poznan"), "/" + urls.calls_of_kind("residency", "en/")]
)
def test_static_filter_page_has_no_axe_violations(tab: Tab, path: str):
    tab.open(path)
    violations = axe_violations(tab.page)
    assert not violations, format_violations(violations)
