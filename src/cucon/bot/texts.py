"""The words of the submission forms in a language: labels, help texts and the consent text, from the
catalogs (``label.*`` and ``help.*`` in :mod:`cucon.phrases`).

Label keys are the ``label`` of each :class:`~cucon.bot.submission.FormField` and
:class:`~cucon.bot.submission.Choice` (``field.name``, ``kind.person`` …), and ``group.<name>`` for
the legend of a group of fields; help keys are field names, and ``group.<name>`` under a legend. A
form's own words come first: ``label.call.field.title`` before ``label.field.title``, help
``help.news.summary`` before ``help.summary``. The consent texts are those of version 1;
``email_confirm`` stands in for ``email`` when the e-mail check is on (CUCON_BOT_SMTP_HOST). A key
without an entry is shown as the field's name, and a test checks that none is missing.
"""

from __future__ import annotations

from cucon.catalog import phrase
from cucon.phrases import PHRASES


def _own_first(kind: str, key: str, lang: str, form: str | None) -> str | None:
    """The text of a key (a form's own first) in a language, or None where there is none."""
    for text_id in (f"{kind}.{form}.{key}", f"{kind}.{key}"):
        if text_id in PHRASES:
            return phrase(text_id, lang)
    return None


def label(key: str, lang: str, form: str | None = None) -> str:
    """The label of a key in a language (a form's own first); the key's last part when there is none.

    >>> label("field.kind", "en", "call"), label("field.kind", "de"), label("field.x", "de")
    ('Kind of call', 'Art des Profils', 'x')
    """
    return _own_first("label", key, lang, form) or key.rpartition(".")[2]


def help_text(name: str, lang: str, form: str | None = None) -> str | None:
    """The help text under a field (a form's own first), or None.

    >>> help_text("summary", "de", "news"), help_text("website", "en")
    ('Ein, zwei Sätze: worum es geht.', None)
    """
    return _own_first("help", name, lang, form)


def choice_name(choice, lang: str) -> str:
    """The name of a choice in a language: from content or CLDR when it has one, else from the labels."""
    named = choice.de if lang == "de" else choice.en
    return named or label(choice.label, lang)
