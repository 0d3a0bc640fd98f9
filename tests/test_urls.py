"""The address scheme (cucon.urls) decides which slugs content may take, with the UI languages of the settings."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import build_in_process

from cucon import urls
from cucon.checks import RESERVED_ITEM_SLUGS, RESERVED_PAGE_SLUGS, load_site

PAGE = """\
---
id: 5b7d0c52-8f0e-4a55-9a43-3f0c1d2e9b61
title: Eine Seite
summary: Eine Seite.
lang: de
---

Text.
"""


def _with_page(site: Path, slug: str) -> Path:
    """The fixture site's content with one more page, named ``slug``."""
    (site / "content" / "pages" / f"{slug}.md").write_text(PAGE, "utf-8")
    return site / "content"


def _slug_problems(content: Path, languages) -> list[str]:
    """The messages about slugs that the check of a content folder reports."""
    return [p.message for p in load_site(content, languages=languages).problems if p.field == "(file name)"]


@pytest.mark.parametrize(
    ("slug", "languages", "refused"),
    [
        ("pl", urls.LANGUAGES, False),
        ("pl", ("de", "en", "pl"), True),
        ("en", urls.LANGUAGES, True),
        ("en", ("de",), False),
        ("feeds", urls.LANGUAGES, True),
        ("digests", ("de",), True),
        ("about-us", ("de", "en", "pl"), False),
        ("pagefind", urls.LANGUAGES, True),
    ],
)
def test_a_page_may_not_take_a_language_or_a_folder_of_the_site(fixture_site, slug, languages, refused):
    """A page's slug is refused exactly when it is a UI language of the site or one of its own folders."""
    found = _slug_problems(_with_page(fixture_site, slug), languages)
    expected = [f"'{slug}' is a section of the site; name the page differently"] if refused else []
    assert found == expected


def test_the_slugs_the_bot_and_scaffold_avoid_come_from_the_address_scheme():
    """The reserved lists are the scheme's folders, the default languages and the Windows device names."""
    assert {
        "profiles",
        "feeds",
        "calendars",
        "digests",
        "media",
        "pagefind",
        "de",
        "en",
        "con",
    } <= RESERVED_PAGE_SLUGS
    assert {"page", "city", "discipline", "kind", "nul"} <= RESERVED_ITEM_SLUGS
    assert "fr" not in RESERVED_PAGE_SLUGS  # not a UI language by default


def test_the_build_refuses_a_page_named_after_one_of_its_languages(fixture_site):
    """The build checks with its own CUCON_LANGUAGES: a page 'pl' passes with de/en and fails with pl."""
    _with_page(fixture_site, "pl")
    result = build_in_process(fixture_site, CUCON_LANGUAGES=["de", "en", "pl"])
    assert result.returncode != 0
    assert "content/pages/pl.md:1: (file name): 'pl' is a section of the site" in result.log
    assert not (fixture_site / "output" / "pl" / "index.html").exists()


@pytest.mark.parametrize(
    "url",
    [
        urls.entry("profile", "anna", "en/"),
        urls.entry("page", "about"),
        urls.home(),
        urls.listing_page(urls.listing("profiles", "en/"), 2),
        urls.directory("kind", "person", "en/"),
        urls.discipline("circus"),
    ],
)
def test_every_page_address_is_a_folder_with_an_index(url):
    """A page's address ends in / and its file is that folder's index.html, and back."""
    assert url == "" or url.endswith("/")
    assert urls.save_as(url).endswith("index.html")
    assert urls.url_of(urls.save_as(url)) == url


def test_an_unknown_listing_is_refused():
    """Asking for a listing the site has not is a programming error, said plainly."""
    with pytest.raises(ValueError, match="unknown listing 'events'"):
        urls.listing("events")
