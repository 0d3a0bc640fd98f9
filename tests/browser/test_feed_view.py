"""The feed view in a real browser: Chromium runs feed.xsl on a city feed and shows each entry's date
as the site's pages write it in the feed's UI language (Babel's long date), not RFC 822."""

from __future__ import annotations

import urllib.request
from email.utils import parsedate_to_datetime
from xml.etree import ElementTree

import pytest
from support import open_tab

from cucon.i18n import format_day

PREFIXES = {"de": "", "en": "en/"}
"""UI language → URL prefix of the feeds the test opens."""

FEED = "feeds/city/hannover/rss.xml"


@pytest.mark.content
@pytest.mark.parametrize("lang", PREFIXES)
def test_the_feed_view_shows_dates_in_the_ui_language(browser, site_url, lang):
    """Every entry of the RSS feed shows its pubDate's day as ``format_day`` writes it ("2. Dezember 2026",
    "December 2, 2026"), in the feed's order, with the ISO day in <time datetime>."""
    url = f"{site_url}/{PREFIXES[lang]}{FEED}"
    with urllib.request.urlopen(url, timeout=30) as response:
        items = ElementTree.fromstring(response.read()).iterfind("channel/item/pubDate")
        days = [parsedate_to_datetime(item.text).date() for item in items]
    assert days, url
    tab = open_tab(browser, site_url, viewport={"width": 1280, "height": 800})
    try:
        tab.page.goto(url)
        shown = tab.page.eval_on_selector_all(
            ".feed-date time", "times => times.map(t => [t.textContent.trim(), t.getAttribute('datetime')])"
        )
        lang_of_page = tab.page.eval_on_selector("html", "html => html.lang")
    finally:
        tab.context.close()
    assert lang_of_page == lang
    assert shown == [[format_day(day, lang), day.isoformat()] for day in days]
