"""Search in every UI language finds every original, Japanese words inside Japanese sentences too:
the sample network (built in five UI languages by pelicanconf.py), searched with Pagefind's own script in Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page
from support import open_tab

LANGUAGES = {"de": "", "en": "en/", "fr": "fr/", "pl": "pl/", "ja": "ja/"}
"""UI language → URL prefix."""

SEARCH = """async word => {
    const pagefind = await import("/pagefind/pagefind.js");
    await pagefind.init();
    const search = await pagefind.search(word);
    return (await Promise.all(search.results.map(result => result.data()))).map(data => data.url);
}"""
"""The URLs of every result of a query, from the index of the page's <html lang>, as the search page asks."""

TANABE = {"de": "profiles/mizuki-tanabe/", "en": "profiles/mizuki-tanabe-en/"}
"""The profile whose Japanese original (name and summary with 熊野筆, 広島) has an English translation."""


@pytest.fixture(scope="module")
def five_languages(site_url: str, sample_site_output: Path) -> str:
    """The sample network as pelicanconf.py builds it, in the five UI languages, served at 127.0.0.1."""
    assert all((sample_site_output / prefix / "index.html").is_file() for prefix in LANGUAGES.values())
    return site_url


@pytest.fixture(scope="module")
def pages(browser: Browser, five_languages: str) -> Iterator[dict[str, Page]]:
    """One tab per UI language on its home page, whose <html lang> picks Pagefind's index."""
    tab = open_tab(browser, five_languages)
    found = {}
    for lang, prefix in LANGUAGES.items():
        found[lang] = tab.context.new_page()
        found[lang].goto(f"{five_languages}/{prefix}")
    yield found
    tab.context.close()


def _search(page: Page, word: str) -> list[str]:
    """The URL paths of every result of ``word`` in the index of the page's UI language."""
    return page.evaluate(SEARCH, word)


def _in(lang: str, path: str) -> str:
    """The URL path of a page in one UI language."""
    return f"/{LANGUAGES[lang]}{path}"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("word", ["広島", "熊野筆"])
def test_japanese_words_inside_sentences_are_found_in_every_ui_language(pages, lang: str, word: str):
    """広島 (in "広島を拠点とする…") and 熊野筆 (after "。" in a summary) find the Japanese profile, once,
    as its page in the UI language: its English translation in the English UI, else the original."""
    results = _search(pages[lang], word)
    versions = [_in(lang, path) for path in TANABE.values()]
    assert [url for url in results if url in versions] == [_in(lang, TANABE.get(lang, TANABE["de"]))], results


@pytest.mark.parametrize(
    ("lang", "word", "expected", "other"),
    [
        ("en", "Druckerei", "profiles/klangwerk-linden-en/", "profiles/klangwerk-linden/"),
        ("de", "backyards", "profiles/klangwerk-linden/", "profiles/klangwerk-linden-en/"),
        ("fr", "backyards", "profiles/klangwerk-linden/", "profiles/klangwerk-linden-en/"),
        ("ja", "Druckerei", "profiles/klangwerk-linden/", "profiles/klangwerk-linden-en/"),
    ],
)
def test_a_word_of_one_version_finds_the_item_in_another_ui_language(pages, lang, word, expected, other):
    """A word only the German original has finds the English translation's page in the English UI,
    and a word only the translation has finds the original in the UIs that show the original."""
    results = _search(pages[lang], word)
    assert _in(lang, expected) in results, results
    assert _in(lang, other) not in results, results
