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


def choice_name(choice, order: tuple[str, ...]) -> str:
    """The name of a choice for a reader of ``order[0]``: from content or CLDR in the first language of
    ``order`` (the page's, then those it falls back to) that has one, else from the page's labels.

    >>> from cucon.bot.formmap import Choice
    >>> city = Choice("lviv", "cities.lviv", "Lemberg", "Lviv", (("pl", "Lwów"),))
    >>> choice_name(city, ("pl", "en")), choice_name(city, ("ja", "en", "de")), choice_name(city, ("de",))
    ('Lwów', 'Lviv', 'Lemberg')
    >>> choice_name(Choice("person", "kind.person"), ("fr", "en"))
    'Personne'
    """
    names = {"de": choice.de, "en": choice.en, **dict(choice.more)}
    named = next((names[code] for code in order if names.get(code)), None)
    return named or label(choice.label, order[0])
