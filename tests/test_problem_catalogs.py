"""The cucon catalogs: every problem code and text id has its English template extracted, a German
sentence, and the same placeholders in every language; a catalog that lags behind the code fails here."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from support import REPO

from cucon.catalog import LOCALE, MESSAGES, pair, phrase, po_path, translations
from cucon.codes import ENGLISH
from cucon.phrases import PHRASES
from cucon.problems import ENGLISH_ONLY, placeholders

LANGUAGES = sorted(p.parts[-3] for p in LOCALE.glob("*/LC_MESSAGES/cucon.po"))
"""Every language with a cucon catalog (English, the templates' own language, has none)."""

UNTRANSLATED = {"invalid-value": "pydantic's own English sentence, for an error no form can cause"}
"""Codes no catalog translates, and why."""


def _extracted() -> dict[str, str]:
    """The (msgctxt, msgid) pairs that `make messages` extracts, as code: template."""
    with (LOCALE / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options = parse_mapping_cfg(config)
    return {context: message for _, _, message, _, context in extract_from_dir(REPO, method_map, options)}


def _entries(path: Path, lang: str | None = None) -> dict[str, object]:
    with path.open("rb") as po:
        return {m.context: m for m in read_po(po, locale=lang) if m.id}


def test_the_ui_languages_have_catalogs():
    assert {"de", "fr", "pl", "ja"} <= set(LANGUAGES)


def test_the_extraction_finds_every_code_and_its_whole_template():
    """A template that is not one string literal (or a code outside the table) would be lost here."""
    assert _extracted() == MESSAGES


def test_problem_codes_and_text_ids_are_apart():
    """A text id has a dot, a problem code none: one name never stands for two entries."""
    assert (sorted(ENGLISH.keys() & PHRASES.keys()), [c for c in ENGLISH if "." in c]) == ([], [])
    assert all("." in text_id for text_id in PHRASES)


def test_the_template_catalog_is_current():
    """src/cucon/locale/cucon.pot, the English of the catalogs, is what `make messages` extracts now."""
    assert {code: m.id for code, m in _entries(LOCALE / "cucon.pot").items()} == MESSAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_has_every_code_with_its_current_english(lang):
    """`make messages` has run since the last change of a template: no code is missing or stale."""
    assert {code: m.id for code, m in _entries(po_path(lang), lang).items()} == MESSAGES


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_catalog_translates_every_code(lang):
    """Every problem a form or a comment can show has its sentence in every language with a catalog (and
    every word too), and every text of the service; none is fuzzy (the service skips a fuzzy entry)."""
    entries = _entries(po_path(lang), lang)
    missing = [code for code in MESSAGES if code not in UNTRANSLATED and not entries[code].string]
    fuzzy = [code for code in MESSAGES if entries[code].fuzzy]
    assert (missing, fuzzy) == ([], [])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_translations_keep_the_placeholders(lang):
    """Each translation has exactly the placeholders of its template, conversions and formats included
    (but a problem's sentence may leave out a library's English words, :data:`cucon.problems.ENGLISH_ONLY`)."""
    optional = {"{" + name + "}" for name in ENGLISH_ONLY}
    wrong = {
        code: m.string
        for code, m in _entries(po_path(lang), lang).items()
        if m.string
        and not (
            placeholders(MESSAGES[code]) - (optional if code in ENGLISH else set())
            <= placeholders(m.string)
            <= placeholders(MESSAGES[code])
        )
    }
    assert wrong == {}


def test_every_problem_code_is_used():
    """No code of the table is dead: each stands in the source (a character's body code is made from its kind)."""
    source = "".join(
        path.read_text("utf-8") for path in (REPO / "src" / "cucon").rglob("*.py") if path.name != "codes.py"
    )
    unused = [
        code
        for code in ENGLISH
        if f'"{code}"' not in source
        and not (code.startswith("body-") and f'"{code.removeprefix("body-")}"' in source)
        and not code.startswith("term-")  # made from an item's type: Term(f"term-{type}")
    ]
    assert unused == []


@pytest.mark.parametrize(
    ("lang", "filled"),
    [
        ("de", "Der Link gilt 3 Tage"),
        ("en", "The link works for 3 days"),
        ("fr", "Le lien fonctionne pendant 3 jours"),
        ("pl", "Link działa przez 3 dni"),
        ("ja", "リンクの有効期限は 3 日間です"),
        ("xx", "The link works for 3 days"),  # no catalog: English
    ],
)
def test_a_text_is_filled_in_its_language_or_english(lang, filled):
    """A text with a placeholder comes filled; a language without the text gets the English."""
    assert filled in phrase("mail.then", lang, days=3)


def test_a_value_may_have_any_name():
    """A placeholder named like a parameter (``lang``) is a value like any other."""
    assert pair("summary.translation-of", lang="en", title="`X`") == ("(en) von `X`", "(en) of `X`")


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("{lang}", "{lang}"),  # a placeholder of the same text
        ("{0}", "{0}"),  # a positional field
        ("{url.__class__}", "{url.__class__}"),  # an attribute lookup
        ("{{x}}", "{{x}}"),  # escaped braces
        ("%(x)s", "%(x)s"),  # an old-style field
    ],
)
def test_a_value_is_never_read_as_a_template(typed, kept):
    """What a stranger typed (a title, a name) fills a text as it is: its braces are never a field."""
    assert pair("summary.translation-of", lang="en", title=typed) == (f"(en) von {kept}", f"(en) of {kept}")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_translation_reaches_no_further_than_its_values(lang):
    """A translation's fields are exactly its template's, so none can read an attribute or an index of a
    value (``{url.__class__}``, ``{title[0]}``): every field is a plain name."""
    fields = {
        field
        for text_id, m in _entries(po_path(lang), lang).items()
        if text_id in PHRASES and m.string
        for field in placeholders(m.string)
    }
    assert [f for f in fields if not f[1:-1].replace("_", "").isalnum()] == []


def test_a_stale_text_is_shown_in_english(monkeypatch):
    """A German entry whose msgid is not the current English (not updated yet) is not shown: the text
    comes in its new English rather than in an outdated German."""
    monkeypatch.setitem(PHRASES, "mail.hello", "Hi,")
    translations.cache_clear()
    try:
        assert (phrase("mail.hello", "de"), phrase("mail.hello", "en")) == ("Hi,", "Hi,")
    finally:
        monkeypatch.undo()
        translations.cache_clear()
    assert phrase("mail.hello", "de") == "Guten Tag,"
