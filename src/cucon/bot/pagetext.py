"""The texts of the service's pages in its languages (:data:`~cucon.bot.languages.LANGS`), from the
catalogs (``page.*`` in :mod:`cucon.phrases`; the forms' labels and help: texts.py)."""

from __future__ import annotations

from cucon.bot.languages import LANGS
from cucon.catalog import template
from cucon.phrases import PHRASES


def page_texts(lang: str) -> dict[str, str]:
    """The pages' texts of a language by key (the id without ``page.``), from its catalog.

    >>> page_texts("de")["landing_heading"], page_texts("en")["landing_heading"]
    ('Bei CuCon mitmachen', 'Join CuCon')
    """
    return {
        text_id.removeprefix("page."): template(text_id, lang)
        for text_id in PHRASES
        if text_id.startswith("page.")
    }


TEXT: dict[str, dict[str, str]] = {lang: page_texts(lang) for lang in LANGS}
"""The pages' texts by key and language; a ``{name}`` in one is filled where it is shown."""

OWN_NAMES: dict[str, str] = {lang: TEXT[lang]["landing_language"] for lang in LANGS}
"""Each language named in itself, for the language switch."""
