"""Pages fit a phone: at 375 px and at 1280 px no page of the directory or the search is wider than the
window, in every UI language (the German sort menu once made the search page 407 px wide)."""

from __future__ import annotations

import pytest
from support import open_tab

PREFIXES = {"de": "", "en": "en/", "fr": "fr/", "pl": "pl/", "ja": "ja/"}
"""UI language → URL prefix."""

PATHS = ["", "search/", "profiles/", "cities/", "networks/unesco-cities-of-music/"]


@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", PREFIXES)
def test_pages_are_no_wider_than_the_window(browser, site_url, lang, width):
    tab = open_tab(browser, site_url, viewport={"width": width, "height": 800})
    try:
        widths = {}
        for path in PATHS:
            response = tab.page.goto(f"{site_url}/{PREFIXES[lang]}{path}")
            assert response is not None, path
            assert response.ok, path
            widths[path] = tab.page.evaluate("document.documentElement.scrollWidth")
    finally:
        tab.context.close()
    assert widths == dict.fromkeys(PATHS, width)


@pytest.mark.parametrize("width", [375, 1280])
def test_map_labels_read_at_desktop_size_on_a_phone(browser, site_url, width):
    """The map's city names are drawn at least 14 px high at any width (6 px on a phone before)."""
    tab = open_tab(browser, site_url, viewport={"width": width, "height": 800})
    try:
        tab.page.goto(f"{site_url}/cities/")
        heights = tab.page.evaluate(
            "[...document.querySelectorAll('.map-city text')].map(t => t.getBoundingClientRect().height)"
        )
        width_of_page = tab.page.evaluate("document.documentElement.scrollWidth")
    finally:
        tab.context.close()
    assert len(heights) >= 5
    assert min(heights) >= 14
    assert width_of_page == width
