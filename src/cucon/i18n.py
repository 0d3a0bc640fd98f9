"""UI languages: gettext catalogs for templates, and the helpers templates use per language."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_time, get_timezone_name
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency
from babel.support import NullTranslations, Translations
from jinja2 import Environment, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from cucon import urls
from cucon.markup import resolve_internal_links
from cucon.members import member_slug
from cucon.netmap import network_map
from cucon.seo import json_script, structured_data
from cucon.text import make_slug

SOURCE_LANGUAGE = "en"
"""Templates are written in English; every other UI language has a catalog."""


@cache
def load_catalog(folder: Path, lang: str) -> NullTranslations:
    """The compiled translations of ``folder/<lang>/LC_MESSAGES/messages.po`` (compiled in memory)."""
    po_path = folder / lang / "LC_MESSAGES" / "messages.po"
    if lang == SOURCE_LANGUAGE and not po_path.is_file():
        return NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer)


def install_translations(env: Environment, folder: Path, lang: str) -> None:
    """Make ``{% trans %}`` and ``_()`` in templates speak ``lang``."""
    env.install_gettext_translations(load_catalog(folder, lang), newstyle=True)
    env.globals["_"] = remembering_gettext(env.globals["gettext"])


def remembering_gettext(gettext: Callable) -> Callable:
    """Jinja's newstyle ``_`` for one catalog's ``gettext``, which keeps what a text without variables
    translates to: pages ask for the same labels thousands of times, and each answer costs Jinja
    several calls, a ``Markup`` and a ``%`` (the same answer, as the text and the autoescaping decide it).

    >>> env = Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    >>> env.install_gettext_callables(lambda s: s + "%%", lambda s, p, n: s, newstyle=True)
    >>> env.globals["_"] = remembering_gettext(env.globals["gettext"])
    >>> env.from_string('{{ _("a&b") }} {{ _("a&b") }}').render()
    'a&b% a&b%'
    >>> env.from_string('{{ _("%(x)s", x="<i>") }}').render()
    '&lt;i&gt;%'
    """
    known: dict[tuple[str, bool], str] = {}

    @pass_context
    def translated(context: Context, text: str, **variables: object) -> str:
        if variables:
            return context.call(gettext, text, **variables)
        key = (text, context.eval_ctx.autoescape)
        found = known.get(key)
        if found is None:
            found = known[key] = context.call(gettext, text)
        return found

    return translated


def localised(mapping: dict | object, ui: str) -> str:
    """Pick the text for the UI language from a de/en/… mapping or model, else English.

    >>> localised({"de": "Musik", "en": "Music"}, "de"), localised({"de": "Musik", "en": "Music"}, "pl")
    ('Musik', 'Music')
    """
    if not isinstance(mapping, dict):
        mapping = mapping.model_dump()
    return mapping.get(ui) or mapping.get("en") or next(iter(mapping.values()))


def format_day(day: dt.date, ui: str) -> str:
    """A date written out for the UI language.

    >>> format_day(dt.date(2026, 12, 31), "de"), format_day(dt.date(2026, 12, 31), "en")
    ('31. Dezember 2026', 'December 31, 2026')
    """
    return format_date(day, "long", locale=ui)


def day_parts(month: int, ui: str) -> list[str]:
    """A long date in ``month`` for the UI language as pieces of text, with ``{d}`` and ``{y}`` where
    the day and the year go (for the feed view, whose XSLT cannot call Babel).

    >>> day_parts(12, "de"), day_parts(12, "en"), day_parts(1, "ja")
    (['{d}', '. Dezember ', '{y}'], ['December ', '{d}', ', ', '{y}'], ['{y}', '年1月', '{d}', '日'])
    """
    sample = format_day(dt.date(1999, month, 28), ui)
    pieces = re.split(r"(?<!\d)(28|1999)(?!\d)", sample)
    return [{"28": "{d}", "1999": "{y}"}.get(piece, piece) for piece in pieces if piece]


def format_moment(moment: dt.datetime, ui: str) -> str:
    """A date and time in its own timezone, written out for the UI language.

    >>> from zoneinfo import ZoneInfo
    >>> format_moment(dt.datetime(2026, 12, 31, 23, 59, tzinfo=ZoneInfo("Europe/Berlin")), "de")
    '31. Dezember 2026, 23:59 (Mitteleuropäische Normalzeit)'
    """
    day = format_date(moment.date(), "long", locale=ui)
    clock = format_time(moment, "HH:mm", tzinfo=moment.tzinfo, locale=ui)
    return f"{day}, {clock} ({get_timezone_name(moment, 'long', locale=ui)})"


def language_name(code: str, ui: str) -> str:
    """The name of a language in the UI language, e.g. ``pl`` → ``Polnisch``.

    >>> language_name("pl", "de"), language_name("ja", "en")
    ('Polnisch', 'Japanese')
    """
    return Locale.parse(ui).languages.get(code.split("-")[0], code)


def own_language_name(code: str) -> str:
    """A language's name in that language, as a language switch shows it.

    >>> own_language_name("pl"), own_language_name("ja"), own_language_name("de")
    ('polski', '日本語', 'Deutsch')
    """
    try:
        return Locale.parse(code.replace("-", "_")).get_display_name() or code
    except (ValueError, LookupError):
        return code


def format_fee(amount, currency: str, ui: str) -> str:
    """An amount of money as the UI language writes it.

    >>> from decimal import Decimal
    >>> format_fee(Decimal("150.00"), "EUR", "de"), format_fee(Decimal("12.50"), "GBP", "en")
    ('150\\xa0€', '£12.50')
    """
    pattern = Locale.parse(ui).currency_formats["standard"].pattern
    if amount == int(amount):
        pattern = re.sub(r"\.0+", "", pattern)
    return format_currency(amount, currency, format=pattern, locale=ui, currency_digits=False)


def template_helpers(
    ui: str,
    default_ui: str,
    languages: list[str],
    listings,
    siteurl: str = "",
    hub: str = "hannover",
    extra: dict | None = None,
    fallbacks: Mapping[str, Sequence[str]] | None = None,
) -> dict:
    """Values and functions every template gets for one UI language; ``fallbacks`` gives, per UI language,
    the languages to show an item in where it has no version in that one (``CUCON_FALLBACK_LANGUAGES``)."""
    prefix = urls.lang_prefix(ui, default_ui)
    fallbacks = fallbacks or {}

    def version_for(entry, lang: str):
        """The version of an entry that UI language ``lang`` shows: its own, else the first fallback, else the original."""
        return entry.in_language(lang, fallbacks.get(lang, ()))

    def in_ui(entry):
        """The version of an entry this UI language shows."""
        return version_for(entry, ui)

    def body(entry) -> Markup:
        """The entry's sanitised body, its links to other content files pointing at this UI's pages."""
        html = resolve_internal_links(
            entry.html, lambda path: urls.href(siteurl, entry.linked[path].url(ui, default_ui))
        )
        return Markup(html)

    def link(entry) -> str:
        """URL path of the version of an entry best suited to this UI language."""
        return in_ui(entry).url(ui, default_ui)

    def nav_title(entry) -> dict:
        """A page's title as the navigation and footer name it: the title of the version shown, else (where that
        is in another language) the original's ``titles`` in this UI language; with the language it is in."""
        shown = in_ui(entry)
        titles = getattr((entry.original or entry).meta, "titles", None) or {}
        if shown.lang != ui and ui in titles:
            return {"text": titles[ui], "lang": ui}
        return {"text": shown.title, "lang": shown.lang}

    def alternates(entry) -> list[dict]:
        """The same page in the other UI languages: the version each of them shows."""
        return [
            {
                "lang": other,
                "url": version_for(entry, other).url(other, default_ui),
                "name": own_language_name(other),
            }
            for other in languages
            if other != ui
        ]

    def hreflangs(entry) -> list[dict]:
        """The hreflang links of an entry's page: the version each UI language shows, and x-default (the
        default language's); none on a page of a version this UI language does not show, so that every
        link is answered by the page it names."""
        if in_ui(entry) is not entry:
            return []
        return _with_default(
            [{"lang": lang, "url": version_for(entry, lang).url(lang, default_ui)} for lang in languages]
        )

    def section_hreflangs(path: str) -> list[dict]:
        """The hreflang links of a listing or service page (``path`` without the language's prefix)."""
        return _with_default(
            [{"lang": lang, "url": urls.lang_prefix(lang, default_ui) + path} for lang in languages]
        )

    def _with_default(links: list[dict]) -> list[dict]:
        """The links and x-default, the default UI language's page, for readers of any other language."""
        default = next(link for link in links if link["lang"] == default_ui)
        return [*links, {"lang": "x-default", "url": default["url"]}]

    def json_ld(entry) -> Markup | str:
        """schema.org data of a profile or an event as a JSON-LD script, else nothing."""
        image = None
        responsive = (extra or {}).get("responsive")
        if entry.type == "profile" and responsive and urls.absolute(siteurl, urls.home()):
            image = responsive(entry)["src"]
        data = structured_data(entry, urls.absolute(siteurl, link(entry)), image)
        return json_script(data) if data else ""

    def map_of_network(title: str, description: str, inset_label: str) -> Markup:
        """The network map as inline SVG, names and links in this UI language."""
        svg = network_map(
            listings.of("city"),
            hub,
            lambda city: localised(city.meta.names, ui),
            lambda city: urls.href(siteurl, link(city)),
            title,
            description,
            inset_label,
        )
        return Markup(svg)

    @cache
    def cities_by_name() -> tuple:
        """Every city in the order of its name in this UI language (asked for by thousands of pages)."""
        return tuple(sorted(listings.of("city"), key=lambda city: make_slug(localised(city.meta.names, ui))))

    return {
        **(extra or {}),
        "ui": ui,
        "own_language_name": own_language_name,
        "cities_by_name": lambda: list(cities_by_name()),
        "main_cities_by_name": lambda: [city for city in cities_by_name() if not city.item.member_of],
        "member_cities_by_name": lambda: [city for city in cities_by_name() if city.item.member_of],
        "member_slug": member_slug,
        "money": lambda amount, currency: format_fee(amount, currency, ui),
        "json_ld": json_ld,
        "network_map": map_of_network,
        "absolute": lambda path: urls.absolute(siteurl, path),
        "email_parts": lambda email: dict(zip(("user", "domain"), email.rsplit("@", 1), strict=True)),
        "default_ui": default_ui,
        "ui_languages": languages,
        "prefix": prefix,
        "urls": urls,
        "link": link,
        "body": body,
        "alternates": alternates,
        "hreflangs": hreflangs,
        "section_hreflangs": section_hreflangs,
        "in_ui": in_ui,
        "nav_title": nav_title,
        "section_alternates": lambda path: [
            {
                "lang": other,
                "url": urls.lang_prefix(other, default_ui) + path,
                "name": own_language_name(other),
            }
            for other in languages
            if other != ui
        ],
        "text": lambda mapping: localised(mapping, ui),
        "day": lambda value: format_day(value, ui),
        "moment": lambda value: format_moment(value, ui),
        "language_name": lambda code: language_name(code, ui),
        "country_name": lambda code: Locale.parse(ui).territories.get(code, code),
        "listings": listings,
    }
