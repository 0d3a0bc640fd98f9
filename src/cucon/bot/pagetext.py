"""The texts of the service's pages in German and English, from the catalogs (``page.*`` in
:mod:`cucon.phrases`; the forms' labels and help: texts.py)."""

from __future__ import annotations

from cucon.catalog import template
from cucon.phrases import PHRASES

LANGS = ("de", "en")

TEXT: dict[str, dict[str, str]] = {
    lang: {
        text_id.removeprefix("page."): template(text_id, lang)
        for text_id in PHRASES
        if text_id.startswith("page.")
    }
    for lang in LANGS
}
"""The pages' texts by key (the id without ``page.``) and language; a ``{name}`` in one is filled where
it is shown."""
