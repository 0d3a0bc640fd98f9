"""The site's one address scheme: where every page, listing, feed, calendar and file of a build lives.

Every address is a URL path relative to the site's root (``en/profiles/anna/``); the file a build
writes for it is :func:`save_as` of it (``en/profiles/anna/index.html``). The default UI language
(``DEFAULT_LANG``) lives at the root, every other one under its own folder (:func:`lang_prefix`); which
languages there are is a setting (``CUCON_LANGUAGES``). The slugs content may not take are derived
from the same data (:func:`reserved_page_slugs`, :data:`LISTING_SEGMENTS`). Templates get this module
as ``urls`` and call it with their ``prefix``: ``{{ SITEURL }}/{{ urls.listing("calls", prefix) }}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from urllib.parse import urlsplit

LANGUAGES = ("de", "en")
"""The default of the ``CUCON_LANGUAGES`` setting: the UI languages, the default one first."""

FALLBACK_LANGUAGES = {"fr": ("en", "de"), "pl": ("en", "de"), "ja": ("en", "de")}
"""The default of the ``CUCON_FALLBACK_LANGUAGES`` setting, for the UI languages a build has: where an
item has no version in a UI language, the first of these it has; else (and for a UI language not named
here) its original."""

SECTIONS = {
    "profile": "profiles",
    "call": "calls",
    "news": "news",
    "city": "cities",
    "network": "networks",
    "page": "",
}
"""The folder of each type of entry; pages live at the top level."""

LISTINGS = ("profiles", "calls", "news", "cities", "disciplines", "subscribe", "search")
"""The listings and service pages of each UI language, one folder each."""

FACETS = ("city", "discipline", "kind")
"""The ways the profile directory is split (``profiles/<facet>/<value>/``)."""

OPEN_TO = "open-to"
"""The folder of the calls open to people from each city (``calls/open-to/<city>/``)."""

CALL_FILTERS = "calls/filters.json"
"""What the calls page's script filters by, one file for every UI language (:func:`cucon.calls.filter_data`)."""

PEOPLE_FILTERS = "filters.json"
"""What the people directory's script filters by, in each UI language's ``profiles/`` folder
(:func:`cucon.views.people_filter_data`; its address is :func:`people_filters`)."""

PAGINATION = "page"
"""The folder of a listing's further pages (``<listing>/page/2/``)."""

PAGINATION_PATTERNS = (
    (1, "{url}", "{save_as}"),
    (2, f"{{base_name}}/{PAGINATION}/{{number}}/", f"{{base_name}}/{PAGINATION}/{{number}}/index.html"),
)
"""Pelican's PAGINATION_PATTERNS for the same addresses as :func:`listing_page` (pelicanconf.py uses it)."""

SEARCH_BUNDLE = "pagefind"
"""The default of the ``CUCON_SEARCH_BUNDLE`` setting: the folder of the search index."""

FEEDS = "feeds"
CALENDARS = "calendars"
DIGESTS = "digests"
MEDIA = "media"
NOT_FOUND = "404.html"
SITEMAP = "sitemap.xml"
ROBOTS = "robots.txt"
GONE_RULES = ("_redirects", "gone.nginx.map")
"""The files of 410 rules that every build writes into the output folder."""

TOP_LEVEL = frozenset(
    {
        *(section for section in SECTIONS.values() if section),
        *LISTINGS,
        FEEDS,
        CALENDARS,
        DIGESTS,
        MEDIA,
        "theme",
        "static",
        "index",
        NOT_FOUND.removesuffix(".html"),
        SITEMAP.removesuffix(".xml"),
    }
)
"""First path segments the site's own outputs (and the theme's static files) use."""

LISTING_SEGMENTS = frozenset({PAGINATION, *FACETS, OPEN_TO, FEEDS, CALENDARS})
"""Path segments inside a section that listings use or keep (page 2, the directory by city …)."""


def reserved_page_slugs(
    languages: Iterable[str] = LANGUAGES, search_bundle: str = SEARCH_BUNDLE
) -> frozenset[str]:
    """The top-level names a page may not take: the site's own folders, the UI languages' prefixes
    and the search index's folders (the main one and its delta).

    >>> sorted(reserved_page_slugs(["de", "en", "pl"], "suche") - TOP_LEVEL)
    ['de', 'en', 'pl', 'suche', 'suche-delta']
    """
    return TOP_LEVEL | frozenset(languages) | {search_bundle, search_delta(search_bundle)}


def lang_prefix(ui: str, default: str) -> str:
    """The folder of one UI language: none for the default language.

    >>> lang_prefix("de", "de"), lang_prefix("en", "de")
    ('', 'en/')
    """
    return "" if ui == default else f"{ui}/"


def save_as(url: str) -> str:
    """The output file of an address: a folder's ``index.html``, else the file itself.

    >>> save_as("en/profiles/anna/"), save_as(""), save_as("feeds/all/atom.xml")
    ('en/profiles/anna/index.html', 'index.html', 'feeds/all/atom.xml')
    """
    return f"{url}index.html" if url == "" or url.endswith("/") else url


def entry_page_patterns(prefix: str) -> list[str]:
    """Glob patterns of the pages of entries in one UI language (``prefix``: :func:`lang_prefix`): each
    section's entries one folder down, pages at the top.

    >>> entry_page_patterns("en/")[0], entry_page_patterns("")[-1]
    ('en/profiles/*/index.html', '*/index.html')
    """
    sections = [f"{prefix}{section}/*/" for section in SECTIONS.values() if section]
    return [save_as(url) for url in (*sections, f"{prefix}*/")]


def url_of(output: str) -> str:
    """The address of an output file, the inverse of :func:`save_as`.

    >>> url_of("en/profiles/anna/index.html"), url_of("404.html")
    ('en/profiles/anna/', '404.html')
    """
    return output.removesuffix("index.html")


def href(siteurl: str, path: str) -> str:
    """A site path as pages link to it: under SITEURL (absolute where SITEURL is).

    >>> href("", "en/calls/"), href("https://cucon.example", "calls/")
    ('/en/calls/', 'https://cucon.example/calls/')
    """
    return f"{siteurl}/{path}"


def absolute(siteurl: str, path: str) -> str | None:
    """An absolute URL for a site path, or None when the build has no absolute SITEURL.

    A local build (SITEURL "") must not advertise an address such as localhost as canonical.

    >>> absolute("", "en/") is None, absolute("https://cucon.example", "calls/x/")
    (True, 'https://cucon.example/calls/x/')
    """
    if not siteurl.startswith(("https://", "http://")):
        return None
    return href(siteurl, path)


def site_path(siteurl: str, link: str) -> str:
    """The site path of a link :func:`href` made, the inverse of it.

    >>> site_path("https://cucon.example", "https://cucon.example/media/cards/city-rouen.png")
    'media/cards/city-rouen.png'
    """
    return link.removeprefix(siteurl).lstrip("/")


def webcal(url: str) -> str:
    """The ``webcal://`` address of an absolute calendar URL, which calendar apps subscribe to.

    >>> webcal("https://cucon.example/calendars/events.ics")
    'webcal://cucon.example/calendars/events.ics'
    """
    return "webcal://" + url.split("://", 1)[1]


def from_host_root(siteurl: str, path: str) -> str:
    """A site path as seen from the host's root, as server rules name it.

    >>> from_host_root("https://example.org/cucon/", "profiles/anna/"), from_host_root("", "en/")
    ('/cucon/profiles/anna/', '/en/')
    """
    return f"{urlsplit(siteurl).path.rstrip('/')}/{path}"


def home(prefix: str = "") -> str:
    """The home page of a UI language (``prefix`` is a :func:`lang_prefix`, as in every function below).

    >>> home(), home("en/")
    ('', 'en/')
    """
    return prefix


def entry(kind: str, slug: str, prefix: str = "") -> str:
    """The page of an entry (or, once it is removed, its tombstone).

    >>> entry("profile", "anna", "en/"), entry("page", "about")
    ('en/profiles/anna/', 'about/')
    """
    section = SECTIONS[kind]
    return f"{prefix}{section}/{slug}/" if section else f"{prefix}{slug}/"


def listing(name: str, prefix: str = "") -> str:
    """The first page of a listing or service page (one of :data:`LISTINGS`).

    >>> listing("calls", "en/")
    'en/calls/'
    """
    if name not in LISTINGS:
        raise ValueError(f"urls: unknown listing {name!r}; expected one of {', '.join(LISTINGS)}")
    return f"{prefix}{name}/"


def listing_page(first: str, number: int) -> str:
    """Page ``number`` of a listing whose first page is ``first``.

    >>> listing_page("profiles/", 1), listing_page("en/profiles/", 3)
    ('profiles/', 'en/profiles/page/3/')
    """
    return first if number == 1 else f"{first}{PAGINATION}/{number}/"


def discipline(slug: str, prefix: str = "") -> str:
    """The page of a discipline.

    >>> discipline("circus", "en/")
    'en/disciplines/circus/'
    """
    return f"{prefix}disciplines/{slug}/"


def directory(facet: str, value: str, prefix: str = "") -> str:
    """The profile directory of one city, discipline or kind.

    >>> directory("city", "leipzig")
    'profiles/city/leipzig/'
    """
    return f"{listing('profiles', prefix)}{facet}/{value}/"


def calls_open_to(city: str, prefix: str = "") -> str:
    """The calls that people from a city may apply to.

    >>> calls_open_to("poznan", "en/")
    'en/calls/open-to/poznan/'
    """
    return f"{listing('calls', prefix)}{OPEN_TO}/{city}/"


def calls_of_kind(kind: str, prefix: str = "") -> str:
    """The calls of one kind (residency, funding …).

    >>> calls_of_kind("residency")
    'calls/kind/residency/'
    """
    return f"{listing('calls', prefix)}kind/{kind}/"


def feed_folder(group: str, key: str) -> str:
    """A feed's folder under feeds/, from its scope: ``all``, or a city, discipline, type or profile.

    >>> feed_folder("all", ""), feed_folder("city", "leipzig"), feed_folder("profile", "anna")
    ('all', 'city/leipzig', 'profile/anna')
    """
    return "all" if group == "all" else f"{group}/{key}"


def feed(group: str, key: str, fmt: str, prefix: str = "") -> str:
    """A feed in one format (``atom`` or ``rss``).

    >>> feed("type", "calls", "atom", "en/")
    'en/feeds/type/calls/atom.xml'
    """
    return f"{prefix}{FEEDS}/{feed_folder(group, key)}/{fmt}.xml"


def feed_stylesheet(prefix: str = "") -> str:
    """The XSLT view that browsers show feeds with.

    >>> feed_stylesheet("en/")
    'en/feeds/feed.xsl'
    """
    return f"{prefix}{FEEDS}/feed.xsl"


def opml(prefix: str = "") -> str:
    """The OPML list of every city's feed.

    >>> opml()
    'feeds/cities.opml'
    """
    return f"{prefix}{FEEDS}/cities.opml"


def calendar(city: str, kind: str, prefix: str = "") -> str:
    """A calendar of ``events`` or ``deadlines``, of one city or (``city`` empty) of the network.

    >>> calendar("", "events"), calendar("rouen", "deadlines", "en/")
    ('calendars/events.ics', 'en/calendars/city/rouen/deadlines.ics')
    """
    folder = f"city/{city}/" if city else ""
    return f"{prefix}{CALENDARS}/{folder}{kind}.ics"


def profile_calendar(profile: str, prefix: str = "") -> str:
    """The calendar of the deadlines of the calls for one profile ("calls for you").

    >>> profile_calendar("anna-kowalska", "en/")
    'en/calendars/profile/anna-kowalska/deadlines.ics'
    """
    return f"{prefix}{CALENDARS}/profile/{profile}/deadlines.ics"


def event_calendar(event: str, prefix: str = "") -> str:
    """The iCalendar file of one event ("add to calendar"), by the slug of the event's original.

    >>> event_calendar("konzert", "en/")
    'en/calendars/event/konzert.ics'
    """
    return f"{prefix}{CALENDARS}/event/{event}.ics"


def digest(city: str, fmt: str, prefix: str = "") -> str:
    """A city's weekly digest as ``html`` or ``txt``.

    >>> digest("leipzig", "txt", "en/")
    'en/digests/leipzig.txt'
    """
    return f"{digest_stem(city, prefix)}.{fmt}"


def digest_stem(city: str, prefix: str = "") -> str:
    """A city's digest without its suffix: what the incremental build names its pair of files by.

    >>> digest_stem("leipzig")
    'digests/leipzig'
    """
    return f"{prefix}{DIGESTS}/{city}"


def feed_page(group: str, key: str, prefix: str = "") -> str:
    """The page that shows what a feed holds.

    >>> feed_page("city", "leipzig"), feed_page("type", "events", "en/"), feed_page("all", "")
    ('cities/leipzig/', 'en/news/', '')
    """
    if group == "city":
        return entry("city", key, prefix)
    if group == "discipline":
        return discipline(key, prefix)
    if group == "profile":
        return entry("profile", key, prefix)
    if group == "type":
        return listing({"calls": "calls", "profiles": "profiles"}.get(key, "news"), prefix)
    return home(prefix)


def rendition(kind: str, slug: str, width: int, suffix: str) -> str:
    """One width of an entry's photo or image.

    >>> rendition("profile", "anna", 320, "webp")
    'media/profiles/anna-320.webp'
    """
    return f"{MEDIA}/{SECTIONS[kind]}/{slug}-{width}.{suffix}"


def share_card(kind: str, slug: str) -> str:
    """The share card (Open Graph image) of a profile, call or city.

    >>> share_card("city", "leipzig")
    'media/cards/city-leipzig.png'
    """
    return f"{MEDIA}/cards/{kind}-{slug}.png"


def search_delta(bundle: str) -> str:
    """The folder of the search index's delta, beside the main one (not inside: Pagefind's
    ``mergeIndex`` skips a bundle whose path starts the main one's).

    >>> search_delta("pagefind")
    'pagefind-delta'
    """
    return f"{bundle}-delta"


def search_bundle(bundle: str) -> str:
    """The folder of the search index (``CUCON_SEARCH_BUNDLE``).

    >>> search_bundle("pagefind")
    'pagefind/'
    """
    return f"{bundle}/"


def people_filters(prefix: str = "") -> str:
    """The people directory's filter data of one UI language.

    >>> people_filters(), people_filters("en/")
    ('profiles/filters.json', 'en/profiles/filters.json')
    """
    return f"{listing('profiles', prefix)}{PEOPLE_FILTERS}"
