"""The UI languages: every catalog is complete and keeps its placeholders, and a real build speaks each one."""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from support import FIXTURE_SITE, build_in_process, template_messages

TRANSLATIONS = Path(__file__).resolve().parent.parent / "theme" / "translations"
CATALOG_LANGUAGES = sorted(p.parts[-3] for p in TRANSLATIONS.glob("*/LC_MESSAGES/messages.po"))
"""Every UI language with a catalog (English, the templates' own language, has none)."""

BUILT_LANGUAGES = ["de", "en", "fr", "pl", "ja"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s")
STRAY_PERCENT = re.compile(r"%(?!\(\w+\)s|%)")


def _catalog(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
        return read_po(po, locale=lang)


def _forms(value: str | tuple) -> tuple[str, ...]:
    """The msgid and msgid_plural of a message, or the forms of its translation."""
    return value if isinstance(value, tuple) else (value,)


def _translated(message: Message) -> bool:
    """Filled in every plural form, and not fuzzy (the build, like msgfmt, drops fuzzy entries)."""
    return all(_forms(message.string)) and not message.fuzzy


def test_the_expected_catalogs_exist():
    assert {"de", "fr", "pl", "ja"} <= set(CATALOG_LANGUAGES)


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_catalog_translates_every_template_string(lang):
    """theme/translations/<lang> has a translation for every string the templates use."""
    translated = {_forms(m.id)[0] for m in _catalog(lang) if m.id and _translated(m)}
    missing = template_messages() - translated
    assert not missing, f"{lang}: untranslated: {sorted(missing)}"


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_catalog_has_every_entry_of_the_template_catalog_translated(lang):
    """Every msgid of messages.pot is in the catalog (the .pot is kept by hand and holds strings the
    extraction cannot see, such as one inside an f-string), and no entry is empty in a plural form or fuzzy."""
    with (TRANSLATIONS / "messages.pot").open("rb") as pot:
        template = read_po(pot)
    catalog = _catalog(lang)
    absent = [m.id for m in template if m.id and catalog.get(m.id) is None]
    untranslated = [m.id for m in catalog if m.id and not _translated(m)]
    assert (absent, untranslated) == ([], [])


@pytest.mark.parametrize("lang", CATALOG_LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    """Each translation (each plural form) has exactly the %(name)s placeholders of its msgid.

    The templates use newstyle gettext, which always %-formats the translation: a lost or renamed
    placeholder breaks the page, and so does a lone % that is not %%.
    """
    problems = []
    for m in _catalog(lang):
        if not m.id:
            continue
        expected = {name for source in _forms(m.id) for name in PLACEHOLDER.findall(source)}
        for form in _forms(m.string):
            if form and set(PLACEHOLDER.findall(form)) != expected:
                problems.append(f"{_forms(m.id)[0]!r}: {form!r} has not exactly {sorted(expected)}")
            if STRAY_PERCENT.search(form):
                problems.append(f"{_forms(m.id)[0]!r}: {form!r} has a % that is no placeholder")
    assert not problems, f"{lang}:\n" + "\n".join(problems)


@pytest.fixture(scope="module")
def output(tmp_path_factory) -> Path:
    """The fixture site built once in all five UI languages, warnings failing it (build_in_process)."""
    site = tmp_path_factory.mktemp("ui-languages") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    result = build_in_process(site, CUCON_LANGUAGES=BUILT_LANGUAGES)
    assert result.returncode == 0, result.log
    return site / "output"


def _page(output: Path, lang: str, path: str = "") -> str:
    prefix = "" if lang == "de" else f"{lang}/"
    return (output / prefix / path / "index.html").read_text("utf-8")


def _ui(lang: str, msgid: str) -> str:
    """The UI string as the build should show it in ``lang``."""
    return msgid if lang == "en" else _catalog(lang).get(msgid).string


NEWS_DATE = {
    "de": "1. November 2026",
    "en": "November 1, 2026",
    "fr": "1 novembre 2026",
    "pl": "1 listopada 2026",
    "ja": "2026年11月1日",
}
"""The fixture news item's date (2026-11-01) as Babel writes it in each UI language."""


@pytest.mark.parametrize("lang", BUILT_LANGUAGES)
def test_home_page_speaks_the_ui_language(output, lang):
    """<html lang>, a UI string from the catalog and a date written out in the language."""
    html = _page(output, lang)
    assert f'<html lang="{lang}">' in html
    assert f'<a class="skip-link" href="#main">{_ui(lang, "Skip to main content")}</a>' in html
    if lang != "en":
        assert "Skip to main content" not in html
    assert f'<time datetime="2026-11-01">{NEWS_DATE[lang]}</time>' in html


class _LanguageSwitch(HTMLParser):
    """The aria-label and the links of <nav class="language-switch">."""

    def __init__(self, html: str):
        super().__init__()
        self.label: str | None = None
        self.links: list[dict] = []
        self._inside = self._link = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "nav" and "language-switch" in (attrs.get("class") or "").split():
            self._inside, self.label = True, attrs.get("aria-label")
        elif tag == "a" and self._inside:
            self._link = True
            self.links.append({"href": attrs.get("href"), "hreflang": attrs.get("hreflang"),
                               "lang": attrs.get("lang"), "text": ""})  # fmt: skip

    def handle_endtag(self, tag):
        if tag == "nav":
            self._inside = False
        elif tag == "a":
            self._link = False

    def handle_data(self, data):
        if self._link:
            self.links[-1]["text"] += data.strip()


@pytest.mark.parametrize(
    "path", ["", "calls/", "calls/residency-leipzig/", "profiles/anna-kowalska/", "cities/leipzig/"]
)
def test_language_switch_on_a_french_page_links_to_the_other_versions(output, path):
    """Each other UI language once, German at the top level, the others under /<lang>/."""
    switch = _LanguageSwitch(_page(output, "fr", path))
    assert switch.label == _ui("fr", "Language")
    expected = {"de": f"/{path}", "en": f"/en/{path}", "pl": f"/pl/{path}", "ja": f"/ja/{path}"}
    assert {link["hreflang"]: link["href"] for link in switch.links} == expected
    assert len(switch.links) == len(expected)
    assert all(link["lang"] == link["hreflang"] for link in switch.links)


def test_language_switch_names_each_language_in_itself(output):
    """As components/language-switch/component.yaml describes: "Deutsch", "English", "polski", "日本語"."""
    switch = _LanguageSwitch(_page(output, "fr"))
    assert [link["text"] for link in switch.links] == ["Deutsch", "English", "polski", "日本語"]


@pytest.mark.parametrize(("lang", "name"), [("fr", "Hanovre"), ("ja", "ハノーファー"), ("pl", "Hannover")])
def test_city_pages_use_the_name_in_the_ui_language(output, lang, name):
    """A city's name in the UI language where the city file gives one, else the English name."""
    html = _page(output, lang, "cities/hannover/")
    assert re.search(rf"<h1[^>]*>{name}\b", html), html[html.index("<h1") : html.index("</h1>") + 5]
