"""The site in five UI languages, built for real: the fallback order of CUCON_FALLBACK_LANGUAGES, the original marked
as such with its translations linked, the site's own pages titled in every UI language, and hreflang links that
every page they name answers."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pelican.settings import get_settings_from_file
from support import FIXTURE_SITE, REPO, build_in_process

LANGUAGES = ["de", "en", "fr", "pl", "ja"]
FALLBACKS = {"ja": ["pl", "en"], "fr": ["en", "de"]}
"""Japanese tries Polish before English, so the test sees the order, not only the first fallback; Polish, English
and German show their own version or the original."""

ANNA_EN = """---
id: 6f1c0d6e-3b8a-4c1e-9d2f-7a5b4c3d2e10
translation_of: anna-kowalska
summary: Violinist between Hannover and Leipzig.
lang: en
---

Anna Kowalska plays the violin.
"""
ANNA_PL = """---
id: 0e9d8c7b-6a5f-4e3d-8c2b-1a0f9e8d7c6b
translation_of: anna-kowalska
summary: Skrzypaczka między Hanowerem a Lipskiem.
lang: pl
---

Anna Kowalska gra na skrzypcach.
"""
SERVICE = "https://forms.cucon.example"
"""The submission service, which speaks the five UI languages too."""
ABOUT_TITLES = "titles:\n  ja: CuConについて\n  fr: À propos <b>de</b> CuCon\n"
"""Titles for the about page's navigation entry; the French one has markup, which must stay text."""


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """The fixture site with an English and a Polish version of Anna's profile and titles for the about page,
    built once in five UI languages with the fallback order above, with an absolute SITEURL (for the sitemap)
    and the service's URL (for the links to its forms)."""
    site = tmp_path_factory.mktemp("site-languages") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    profiles = site / "content" / "profiles"
    (profiles / "anna-kowalska-en.md").write_text(ANNA_EN, "utf-8")
    (profiles / "anna-kowalska-pl.md").write_text(ANNA_PL, "utf-8")
    about = site / "content" / "pages" / "about.md"
    about.write_text(about.read_text("utf-8").replace("lang: de\n", "lang: de\n" + ABOUT_TITLES, 1), "utf-8")
    result = build_in_process(
        site,
        CUCON_LANGUAGES=LANGUAGES,
        CUCON_FALLBACK_LANGUAGES=FALLBACKS,
        SITEURL="https://cucon.example",
        CUCON_SEARCH_INDEX=False,
        CUCON_BOT_URL=SERVICE,
    )
    assert result.returncode == 0, result.log
    return site / "output"


def _page(output: Path, lang: str, path: str = "") -> str:
    prefix = "" if lang == "de" else f"{lang}/"
    return (output / prefix / path / "index.html").read_text("utf-8")


class _Links(HTMLParser):
    """Every <a> (href, hreflang, lang, text) and every <link rel="alternate" hreflang> of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.anchors: list[dict] = []
        self.hreflangs: dict[str, str] = {}
        self._open: dict | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link" and attrs.get("rel") == "alternate" and attrs.get("hreflang"):
            assert attrs["hreflang"] not in self.hreflangs, f"hreflang {attrs['hreflang']} twice"
            self.hreflangs[attrs["hreflang"]] = attrs["href"]
        elif tag == "a":
            self._open = {**attrs, "text": ""}
            self.anchors.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open["text"] += data


def _card_links(html: str, slug_start: str) -> list[dict]:
    """The links of a listing to some version of a profile."""
    return [
        a for a in _Links(html).anchors if re.search(rf"/profiles/{slug_start}(-\w+)?/$", a.get("href") or "")
    ]


@pytest.mark.parametrize(
    ("lang", "shown", "text_lang"),
    [
        ("de", "anna-kowalska", None),
        ("en", "anna-kowalska-en", None),
        ("pl", "anna-kowalska-pl", None),
        ("fr", "anna-kowalska-en", "en"),
        ("ja", "anna-kowalska-pl", "pl"),
    ],
)
def test_listings_show_the_version_of_the_ui_language_else_the_first_fallback(output, lang, shown, text_lang):
    """The directory links the UI language's own version, else the first of its fallback languages that the
    profile has (ja: Polish before English), marked with its language so a screen reader switches voice."""
    prefix = "" if lang == "de" else f"{lang}/"
    links = _card_links(_page(output, lang, "profiles"), "anna-kowalska")
    assert links, "no link to Anna's profile in the directory"
    assert {a["href"] for a in links} == {f"https://cucon.example/{prefix}profiles/{shown}/"}
    summary = {
        "anna-kowalska": "Geigerin",
        "anna-kowalska-en": "Violinist",
        "anna-kowalska-pl": "Skrzypaczka",
    }[shown]
    html = _page(output, lang, "profiles")
    assert summary in html
    if text_lang:
        assert f'<p class="card-summary" lang="{text_lang}">{summary}' in html
    else:
        assert f'<p class="card-summary">{summary}' in html


def test_without_a_fallback_setting_for_it_a_ui_language_shows_the_original(output):
    """German has no fallback order here and no version of the about page's English translation matters: a
    profile without a German version would show its original; Anna's German original is shown in German."""
    page = _page(output, "de", "profiles/anna-kowalska")
    assert '<html lang="de">' in page
    assert "Geigerin zwischen Hannover und Leipzig." in page


def test_a_fallback_version_names_the_original_as_such_and_links_every_version(output):
    """The Japanese UI's version of Anna (Polish) lists the other versions, each in its own language, and marks
    the German one as the original in the UI language; the original's own page in the Japanese UI exists."""
    html = _page(output, "ja", "profiles/anna-kowalska-pl")
    versions = html[html.index('<aside class="versions"') : html.index("</aside>")]
    assert (
        '<a href="https://cucon.example/ja/profiles/anna-kowalska/" hreflang="de" lang="de">Deutsch</a> (原文)'
        in versions
    )
    assert 'hreflang="en" lang="en">English</a></li>' in versions
    assert '<article class="profile" lang="pl"' in html
    original = _page(output, "ja", "profiles/anna-kowalska")
    assert '<article class="profile" lang="de"' in original


def test_site_pages_are_named_in_every_ui_language_in_navigation_and_footer(output):
    """The about page has no Japanese or French version: the navigation names it with its `titles` in the UI
    language and opens the fallback version (English), the link's hreflang saying so; Polish has no title, no
    version and (here) no fallback: it shows the German original's title, marked German; the page says it is
    not in the UI language."""
    ja = _Links(_page(output, "ja")).anchors
    assert {"href": "https://cucon.example/ja/about-en/", "hreflang": "en", "text": "CuConについて"} in [
        {k: a.get(k) for k in ("href", "hreflang", "text")} for a in ja
    ]
    assert not [a for a in ja if a["text"] == "CuConについて" and a.get("lang")]
    pl = [
        a for a in _Links(_page(output, "pl")).anchors if a.get("href") == "https://cucon.example/pl/about/"
    ]
    assert pl
    assert all(a["text"] == "Über CuCon" and a.get("lang") == "de" and a.get("hreflang") == "de" for a in pl)
    fr = _page(output, "fr")
    assert 'hreflang="en">À propos &lt;b&gt;de&lt;/b&gt; CuCon</a>' in fr
    assert "<b>de</b>" not in fr
    note = _page(output, "ja", "about-en")
    assert '<p class="notice">このページはこの言語では提供されていません。英語で表示しています。</p>' in note


def test_every_hreflang_link_is_answered_by_the_page_it_names(output):
    """On every page, each hreflang link (the five UI languages and x-default) leads to a page of the output,
    which names the same pages back: the set is the same on every page of it, so search engines accept it."""
    pages = {}
    for path in output.rglob("index.html"):
        links = _Links(path.read_text("utf-8")).hreflangs
        pages["https://cucon.example/" + path.relative_to(output).as_posix().removesuffix("index.html")] = (
            links
        )
    checked = 0
    for url, links in pages.items():
        if not links:
            continue
        assert set(links) == {*LANGUAGES, "x-default"}, url
        assert url in links.values(), f"{url} does not name itself"
        assert links["x-default"] == links["de"], url
        for lang, target in links.items():
            assert target in pages, f"{url}: hreflang {lang} names {target}, which the build did not write"
            assert pages[target] == links, f"{url}: {target} does not name the same versions back"
        checked += 1
    assert checked > 100
    # Anna's original in the Japanese UI is not the version Japanese shows: it names no hreflang versions.
    assert pages["https://cucon.example/ja/profiles/anna-kowalska/"] == {}
    assert pages["https://cucon.example/ja/profiles/anna-kowalska-pl/"]["fr"] == (
        "https://cucon.example/fr/profiles/anna-kowalska-en/"
    )


@pytest.mark.parametrize("conf", ["pelicanconf.py", "publishconf.py"])
def test_the_sample_and_the_published_site_are_built_in_five_languages(conf):
    """`make html` and the production build both build German, English, French, Polish and Japanese."""
    assert get_settings_from_file(str(REPO / conf))["CUCON_LANGUAGES"] == LANGUAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_links_to_the_service_ask_for_its_page_in_the_ui_language(output, lang):
    """The service speaks the five UI languages: a Japanese reader's newsletter and manage links open its
    Japanese pages, not German or English ones."""
    wanted = {
        f"{SERVICE}/newsletter?lang={lang}": "subscribe",
        f"{SERVICE}/manage?lang={lang}": "profiles/anna-kowalska",
    }
    for href, path in wanted.items():
        anchors = [a for a in _Links(_page(output, lang, path)).anchors if a.get("href") == href]
        assert anchors, f"{lang}/{path} has no link to {href}"
        assert all(a.get("hreflang") == lang for a in anchors)
