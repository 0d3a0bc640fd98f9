"""RSS 2.0 and Atom files with feedgen: entries with lasting ids, full content, categories and images."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from xml.sax.saxutils import quoteattr

from feedgen.ext.base import BaseEntryExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

GENERATOR = "CuCon"


@dataclass(frozen=True)
class FeedItem:
    """One entry of a feed, ready to write: every value already in the feed's UI language."""

    id: str
    """``urn:uuid:`` + the item's permanent id: never its title, slug, date or the site's address."""
    title: str
    link: str
    summary: str
    content: str
    """Sanitised HTML."""
    published: dt.datetime
    updated: dt.datetime
    language: str
    categories: tuple[tuple[str, str, str], ...] = ()
    """(term, scheme, label) of each city, discipline and kind."""
    enclosure: tuple[str, int, str] | None = None
    """(URL, length in bytes, media type) of the item's picture."""


@dataclass(frozen=True)
class FeedHead:
    """What a feed says about itself."""

    id: str
    title: str
    description: str
    language: str
    self_url: str
    page_url: str
    stylesheet: str = ""
    """URL of the XSLT stylesheet that shows the feed as a page in a browser ("" for none)."""
    alternates: tuple[tuple[str, str], ...] = field(default=())
    """(language, URL) of the same feed in the other UI languages."""


class AtomLinks(BaseEntryExtension):
    """An Atom entry's links with their ``rel``, ``type`` and ``length``.

    feedgen 1.0.0 writes entry links with ``href`` only (its ``atom_entry`` checks the attributes
    of the element it just made instead of the link's): an image enclosure would become a second
    "alternate" link, which Atom forbids. This extension writes the links itself.
    """

    def __init__(self) -> None:
        self.links: list[dict[str, str]] = []

    def extend_atom(self, entry):
        """Append the links to the entry element."""
        for attributes in self.links:
            xml_elem("link", entry, **attributes)
        return entry


def stable_moment(day: dt.date, timezone: dt.tzinfo) -> dt.datetime:
    """A date as the start of that day in the site's timezone: feed dates never carry the clock.

    >>> stable_moment(dt.date(2026, 11, 27), dt.UTC).isoformat()
    '2026-11-27T00:00:00+00:00'
    """
    return dt.datetime.combine(day, dt.time(0, 0), tzinfo=timezone)


ELEMENT = {"atom": (b"  <entry>", b"</feed>"), "rss": (b"    <item>", b"  </channel>")}
"""How an entry begins in a pretty-printed feed, and what closes the entries, by format."""

BARE_HEAD = FeedHead(
    "urn:cucon:entry", "entry", "entry", "en", "https://cucon.invalid/", "https://cucon.invalid/"
)
"""The head of the one-entry feed an entry is cut from (:func:`entry_xml`)."""


def feed_xml(
    head: FeedHead,
    items: list[FeedItem],
    fmt: str,
    fallback_updated: dt.datetime,
    entries: dict[tuple[FeedItem, str, bool], bytes] | None = None,
    full: bool = True,
) -> bytes:
    """The feed as ``atom`` or ``rss`` XML, with the stylesheet instruction for browsers.

    The feed's own date is its newest entry's (``fallback_updated`` when it has none), so
    building the same content twice gives the same bytes. Each entry is written once by feedgen
    (:func:`entry_xml`) and kept in ``entries``, so the many feeds that share an entry (every
    profile's feed of the calls for it) only join bytes. Without ``full``, entries carry their
    summary and link but not their whole text.
    """
    newest = max((item.updated for item in items), default=fallback_updated)
    skeleton = _generated(head, [], fmt, newest)
    memo = {} if entries is None else entries
    written = []
    for item in items:
        key = (item, fmt, full)
        if key not in memo:
            memo[key] = entry_xml(item if full else replace(item, content=""), fmt)
        written.append(memo[key])
    cut = skeleton.rindex(ELEMENT[fmt][1])
    return with_stylesheet(b"".join((skeleton[:cut], *written, skeleton[cut:])), head.stylesheet)


def entry_xml(item: FeedItem, fmt: str) -> bytes:
    """One item as its ``<entry>`` (Atom) or ``<item>`` (RSS), indented as in a feed: cut from a
    feed that holds it alone."""
    xml = _generated(BARE_HEAD, [item], fmt, item.updated)
    start, end = ELEMENT[fmt]
    return xml[xml.index(start) : xml.rindex(end)]


def _generated(head: FeedHead, items: list[FeedItem], fmt: str, newest: dt.datetime) -> bytes:
    """feedgen's pretty-printed feed of some items, newest first, dated ``newest``."""
    generator = FeedGenerator()
    generator.load_extension("dc", atom=True, rss=True)
    generator.id(head.id)
    generator.title(head.title)
    generator.subtitle(head.description)
    generator.language(head.language)
    generator.generator(GENERATOR)
    generator.link(href=head.page_url, rel="alternate", type="text/html")
    generator.link(href=head.self_url, rel="self")
    for lang, url in head.alternates:
        generator.link(href=url, rel="alternate", type=_media_type(fmt), hreflang=lang)
    if fmt == "rss":
        # feedgen makes the last link added the RSS channel's <link>: the page, not a feed.
        generator.link(href=head.page_url, rel="alternate", type="text/html")
    generator.updated(newest)
    generator.lastBuildDate(newest)
    # feedgen puts the first entry added last: add the oldest first so the newest leads.
    for item in reversed(items):
        entry = generator.add_entry()
        entry.id(item.id)
        entry.guid(item.id, permalink=False)
        entry.title(item.title)
        entry.summary(item.summary)
        entry.description(item.summary)
        if item.content:
            entry.content(item.content, type="CDATA" if fmt == "rss" else "html")
        entry.published(item.published)
        entry.updated(item.updated)
        entry.dc.dc_language(item.language)
        for term, scheme, label in item.categories:
            entry.category(term=term, scheme=scheme, label=label)
        if fmt == "atom":
            entry.register_extension("links", AtomLinks, atom=True, rss=False)
            entry.links.links.append({"href": item.link, "rel": "alternate", "type": "text/html"})
            if item.enclosure:
                url, length, media_type = item.enclosure
                entry.links.links.append(
                    {"href": url, "rel": "enclosure", "type": media_type, "length": str(length)}
                )
        else:
            entry.link(href=item.link)
            if item.enclosure:
                entry.enclosure(*(str(value) for value in item.enclosure))
    return generator.atom_str(pretty=True) if fmt == "atom" else generator.rss_str(pretty=True)


def with_stylesheet(xml: bytes, href: str) -> bytes:
    """Insert an ``xml-stylesheet`` instruction after the XML declaration.

    >>> with_stylesheet(b"<?xml version='1.0' encoding='UTF-8'?>\\n<rss/>", "/feeds/feed.xsl")
    b'<?xml version=\\'1.0\\' encoding=\\'UTF-8\\'?>\\n<?xml-stylesheet href="/feeds/feed.xsl" type="text/xsl"?>\\n<rss/>'
    """
    if not href:
        return xml
    declaration, rest = xml.split(b"\n", 1)
    instruction = f'<?xml-stylesheet href={quoteattr(href)} type="text/xsl"?>'.encode()
    return b"\n".join((declaration, instruction, rest))


def _media_type(fmt: str) -> str:
    """The media type of a feed format."""
    return "application/atom+xml" if fmt == "atom" else "application/rss+xml"
