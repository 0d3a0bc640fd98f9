"""The sentences of problems and the texts of the service in every UI language, from the ``cucon``
gettext catalogs.

``src/cucon/locale/<lang>/LC_MESSAGES/cucon.po`` holds one entry per code or text id: the code or id is
the msgctxt, the English template (:data:`cucon.codes.ENGLISH`, :data:`cucon.phrases.PHRASES`) the msgid. The catalogs are read as they are, at
run time (no compiled ``.mo`` that could go stale); a fuzzy or empty entry counts as untranslated,
and a problem whose sentence or any of whose words is untranslated is shown in English, as is a text.
"""

from __future__ import annotations

from collections import ChainMap
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Protocol

from babel.messages.pofile import read_po

from cucon.codes import ENGLISH
from cucon.phrases import PHRASES
from cucon.problems import Term, fill

LOCALE = Path(__file__).resolve().parent / "locale"
DOMAIN = "cucon"
SOURCE_LANGUAGE = "en"
"""The templates' own language: it has no catalog of its own, :data:`MESSAGES` is it."""
LANGUAGES = (SOURCE_LANGUAGE, *sorted(path.parts[-3] for path in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po")))
"""The templates' language and every language with a catalog."""
MESSAGES: Mapping[str, str] = ChainMap(ENGLISH, PHRASES)
"""The English of every msgctxt of the catalogs: the problem codes, then the texts' ids (a view of both)."""


class Worded(Protocol):
    """Anything with a problem's code, values and English sentence (a content or a form problem)."""

    code: str
    values: Mapping[str, object]
    message: str


def po_path(lang: str) -> Path:
    """Where the catalog of a language lies."""
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> dict[str, str]:
    """The translated templates of a language by code or id: non-empty, not fuzzy, of a current English one."""
    path = po_path(lang)
    if lang == SOURCE_LANGUAGE or not path.is_file():
        return dict(MESSAGES) if lang == SOURCE_LANGUAGE else {}
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang)
    return {
        message.context: message.string
        for message in catalog
        if message.context in MESSAGES
        and message.id == MESSAGES[message.context]
        and message.string
        and not message.fuzzy
    }


def sentence(code: str, values: Mapping[str, object], lang: str) -> str | None:
    """The sentence of a code in a language, or None where it (or a word in it) is untranslated.

    >>> sentence("too-long", {"length": 130, "limit": 120}, "de")
    'Ist 130 Zeichen lang; höchstens 120 sind erlaubt.'
    >>> sentence("unknown-reference", {"thing": Term("term-city"), "value": "x"}, "de")
    'Unbekannt (Stadt): „x“.'
    >>> sentence("too-long", {"length": 130, "limit": 120}, "xx") is None
    True
    """
    known = translations(lang)
    words = [code, *(v for v in values.values() if isinstance(v, Term))]
    if not all(word in known for word in words):
        return None
    return fill(known[code], values, known.__getitem__)


def text_of(problem: Worded, lang: str) -> tuple[str, str]:
    """The text of a problem in a language, and the language it is in: English where untranslated.

    >>> from cucon.problems import ContentProblem
    >>> text_of(ContentProblem.of("", 1, "name", "empty"), "pl")
    ('Nie może być puste.', 'pl')
    """
    found = sentence(problem.code, problem.values, lang) if problem.code else None
    return (found, lang) if found is not None else (problem.message, SOURCE_LANGUAGE)


def template(text_id: str, lang: str) -> str:
    """A text of the service in a language, its ``{name}`` not filled yet: English where untranslated.

    >>> template("page.too_large", "de")[-31:], template("page.send", "fr"), template("page.send", "xx")
    ('höchstens {limit} MB groß sein.', 'Envoyer', 'Send')
    """
    return translations(lang).get(text_id) or PHRASES[text_id]


def phrase(text_id: str, lang: str, /, **values: object) -> str:
    """A text of the service in a language, its ``{name}`` filled with ``values``: English where untranslated.

    >>> phrase("mail.then", "de", days=7)[:40], phrase("mail.hello", "ja"), phrase("mail.hello", "xx")
    ('Erst dann geht der Vorschlag an das Kult', 'こんにちは。', 'Hello,')
    """
    return template(text_id, lang).format(**values)


def pair(text_id: str, /, **values: object) -> tuple[str, str]:
    """A text in German and in English, for what both read (a pull request, an issue comment).

    >>> pair("summary.deadline", deadline="2027-01-31")
    ('Frist 2027-01-31', 'deadline 2027-01-31')
    """
    return phrase(text_id, "de", **values), phrase(text_id, "en", **values)


def bilingual(text_id: str, /, **values: object) -> str:
    """A text as ``German / English``.

    >>> bilingual("summary.no-hints")
    'Keine Hinweise. / No hints.'
    """
    return " / ".join(pair(text_id, **values))
