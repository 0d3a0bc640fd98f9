"""The texts of the service's pages in German and English, from the catalogs (``page.*`` in
:mod:`cucon.phrases`; the forms' labels and help: texts.py)."""

from __future__ import annotations

from cucon.catalog import template
from cucon.phrases import PHRASES

LANGS = ("de", "en")


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
