"""The service's languages: which ones it speaks, how a page's language is chosen, and what each
falls back to (``CUCON_BOT_FALLBACK``).

A page's language is the ``lang`` of its URL or the ``ui`` field of its form where that is one of
:data:`LANGS`, else the first of :data:`LANGS` the browser's ``Accept-Language`` asks for, else German.
Anything else (``lang=../../x``, ``lang=<script>``) is ignored, never echoed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType

from cucon import urls

LANGS = ("de", "en", "fr", "pl", "ja")
"""The languages of the service's pages and mails, German (the default) first."""
DEFAULT_LANG = "de"
FALLBACK: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {"de": ("en",), "en": ("de",), **urls.FALLBACK_LANGUAGES}
)
"""The default of ``CUCON_BOT_FALLBACK``: the languages a reader of each language is offered next, in order;
French, Polish and Japanese as the site falls back (``CUCON_FALLBACK_LANGUAGES``'s default)."""


def known(value: object) -> str | None:
    """``value`` if it is one of the service's languages, else None.

    >>> known("ja"), known("JA"), known("../../x"), known(None)
    ('ja', None, None, None)
    """
    return value if isinstance(value, str) and value in LANGS else None


def accepted(header: str | None) -> str | None:
    """The first of the service's languages an ``Accept-Language`` header asks for (by weight), or None.

    >>> accepted("ja-JP,ja;q=0.9,en;q=0.8"), accepted("es, pl;q=0.5, fr;q=0.7"), accepted("es, *")
    ('ja', 'fr', None)
    >>> accepted("en;q=0, de;q=0.1"), accepted("fr;q=x, pl"), accepted(None)
    ('de', 'pl', None)
    """
    asked: list[tuple[float, str]] = []
    for item in (header or "")[:500].split(","):
        tag, _, weight = item.partition(";")
        try:
            quality = float(weight.strip().removeprefix("q=")) if weight else 1.0
        except ValueError:
            continue
        primary = tag.strip().partition("-")[0].lower()
        if quality > 0 and primary in LANGS:
            asked.append((quality, primary))
    return max(asked, key=lambda pair: pair[0])[1] if asked else None


def language(value: object, header: str | None = None) -> str:
    """The language of a page: ``value`` (from the URL or the form) if known, else ``Accept-Language``'s,
    else German.

    >>> language("pl", "ja"), language("<script>", "ja,en"), language("../../x")
    ('pl', 'ja', 'de')
    """
    return known(value) or accepted(header) or DEFAULT_LANG


def in_order(lang: str, fallback: Mapping[str, tuple[str, ...]] = FALLBACK) -> tuple[str, ...]:
    """``lang`` (German where it is not a language of the service), then its fallback languages.

    >>> in_order("ja"), in_order("de"), in_order("xx"), in_order("pl", {"pl": ("de",)})
    (('ja', 'en', 'de'), ('de', 'en'), ('de', 'en'), ('pl', 'de'))
    """
    lang = known(lang) or DEFAULT_LANG
    return tuple(dict.fromkeys((lang, *fallback.get(lang, FALLBACK[lang]))))


def mail_languages(lang: str, fallback: Mapping[str, tuple[str, ...]] = FALLBACK) -> tuple[str, ...]:
    """The languages of a mail: the one its reader used, then the first of its fallback order. A stored
    language the service does not know (a record from before, a hand-edited row) reads as German.

    >>> mail_languages("ja"), mail_languages("en"), mail_languages("de"), mail_languages("")
    (('ja', 'en'), ('en', 'de'), ('de', 'en'), ('de', 'en'))
    """
    return in_order(lang, fallback)[:2]


def fallback_setting(text: str | None) -> Mapping[str, tuple[str, ...]]:
    """The fallback orders a ``CUCON_BOT_FALLBACK`` value (a JSON object, language to list of languages)
    sets, over :data:`FALLBACK` for the languages it leaves out; ValueError names what is wrong.

    >>> fallback_setting('{"ja": ["de"]}')["ja"], fallback_setting(None)["fr"]
    (('de',), ('en', 'de'))
    >>> fallback_setting('{"ja": ["en", "es"]}')
    Traceback (most recent call last):
    ValueError: 'es' is not a language of the service (de, en, fr, pl, ja)
    """
    orders = dict(FALLBACK)
    if not text:
        return orders
    try:
        given = json.loads(text)
    except json.JSONDecodeError:
        raise ValueError(f'must be a JSON object such as {{"ja": ["en", "de"]}}, not {text!r}') from None
    if not isinstance(given, dict):
        raise ValueError(f'must be a JSON object such as {{"ja": ["en", "de"]}}, not {text!r}')
    for lang, order in given.items():
        if not isinstance(order, list) or not all(isinstance(code, str) for code in order):
            raise ValueError(f"{lang!r}: the fallback order must be a list of language codes, not {order!r}")
        for code in (lang, *order):
            if code not in LANGS:
                raise ValueError(f"{code!r} is not a language of the service ({', '.join(LANGS)})")
        orders[lang] = tuple(code for code in dict.fromkeys(order) if code != lang)
    return MappingProxyType(orders)
