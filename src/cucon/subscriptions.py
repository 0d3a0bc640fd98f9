"""What a reader can subscribe to: every feed and calendar, their addresses, titles and OPML lists."""

from __future__ import annotations

import heapq
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from xml.etree import ElementTree

from cucon import urls
from cucon.views import Listings, ShownItem

FEED_TYPES = ("calls", "events", "news", "profiles")
"""The content types with a feed of their own; events are news items with an event block."""

FEED_FORMATS = {"atom": "application/atom+xml", "rss": "application/rss+xml"}
"""Feed formats and their media types, Atom first (it carries more: updated dates, languages)."""
ALERT_FORMATS = ("atom",)
"""The formats of a profile's own feed of calls for it: Atom only (it is linked from the profile page)."""

CALENDAR_KINDS = ("events", "deadlines")
"""Calendars come in two kinds, kept apart because people subscribe to them for different reasons."""

ID_NAMESPACE = uuid.UUID("6c4e7a0e-51f8-4c57-9d0c-5b2f3f1f2a11")
"""Namespace of the ids of feeds and calendars: stable across titles, domains and builds."""


@dataclass(frozen=True)
class Channel:
    """One feed: every entry, or those of a city, a discipline or a type, newest first."""

    group: str
    """``all``, ``city``, ``discipline`` or ``type``."""
    key: str
    """Empty for ``all``; else a city slug, a discipline slug or one of FEED_TYPES."""
    entries: tuple[ShownItem, ...]

    @property
    def folder(self) -> str:
        """The channel's folder under feeds/, e.g. ``city/hannover``.

        >>> Channel("all", "", ()).folder, Channel("city", "leipzig", ()).folder
        ('all', 'city/leipzig')
        """
        return urls.feed_folder(self.group, self.key)

    def url(self, prefix: str, fmt: str) -> str:
        """The URL path of the feed in one format for one UI language (``prefix`` is ``""`` or ``en/``).

        >>> Channel("type", "calls", ()).url("en/", "atom")
        'en/feeds/type/calls/atom.xml'
        """
        return urls.feed(self.group, self.key, fmt, prefix)

    def feed_id(self, ui: str, stable_key: str | None = None) -> str:
        """The feed's own id: from its scope and language, never from its address or title."""
        return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'feed/{stable_key or self.folder}/{ui}')}"


@dataclass(frozen=True)
class CalendarFeed:
    """One iCalendar file: the events, or the call deadlines, of one city or of the whole network;
    or the deadlines of the calls for one profile."""

    city: str
    """A city slug, or empty for the whole network (and for a profile's calendar)."""
    kind: str
    """``events`` or ``deadlines``."""
    entries: tuple[ShownItem, ...]
    profile: str = ""
    """The slug of the profile whose "calls for you" the calendar holds, if it is one's."""
    event: str = ""
    """The slug of the one event (news item, original) the calendar holds, if it is a single event's."""

    def url(self, prefix: str) -> str:
        """The URL path of the calendar for one UI language.

        >>> CalendarFeed("", "events", ()).url(""), CalendarFeed("rouen", "deadlines", ()).url("en/")
        ('calendars/events.ics', 'en/calendars/city/rouen/deadlines.ics')
        >>> CalendarFeed("", "deadlines", (), profile="anna").url("")
        'calendars/profile/anna/deadlines.ics'
        >>> CalendarFeed("", "events", (), event="konzert").url("")
        'calendars/event/konzert.ics'
        """
        if self.event:
            return urls.event_calendar(self.event, prefix)
        if self.profile:
            return urls.profile_calendar(self.profile, prefix)
        return urls.calendar(self.city, self.kind, prefix)


def published_order(entry: ShownItem) -> tuple:
    """Sort key: the newest publication first, then the latest update, then the slug."""
    return (entry.published, entry.updated, entry.slug)


def feed_entries(listings: Listings, group: str, key: str) -> list[ShownItem]:
    """Every entry a channel shows, in no particular order."""
    if group == "all":
        found = [*listings.of("news"), *listings.of("call"), *listings.of("profile")]
    elif group == "city":
        by_type = listings.by_city.get(key, {})
        found = [*by_type.get("news", []), *by_type.get("call", []), *by_type.get("profile", [])]
    elif group == "discipline":
        by_type = listings.by_discipline.get(key, {})
        found = [*by_type.get("news", []), *by_type.get("call", []), *by_type.get("profile", [])]
    elif key == "calls":
        found = listings.of("call")
    elif key == "events":
        found = [n for n in listings.of("news") if n.event_start]
    elif key == "news":
        found = [n for n in listings.of("news") if n.facts.kind != "event"]
    else:
        found = listings.of("profile")
    return found


def channels(listings: Listings, limit: int) -> list[Channel]:
    """Every feed of the site: all, per city, per discipline, per type; each capped at ``limit``."""
    scopes = [("all", "")]
    scopes += [("city", city.slug) for city in listings.of("city")]
    scopes += [("discipline", discipline.slug) for discipline in listings.disciplines]
    scopes += [("type", kind) for kind in FEED_TYPES]
    found = []
    for group, key in scopes:
        entries = heapq.nlargest(limit, feed_entries(listings, group, key), key=published_order)
        found.append(Channel(group, key, tuple(entries)))
    return found


def calendars(listings: Listings) -> list[CalendarFeed]:
    """Every calendar: events and deadlines for the whole network and for each city.

    Calendars hold every event and deadline (past ones too, so calendar apps keep them).
    """

    def events(news: list[ShownItem]) -> tuple[ShownItem, ...]:
        """The events among news items, the earliest first."""
        return tuple(sorted((n for n in news if n.event_start), key=lambda n: (n.event_start, n.slug)))

    def deadlines(calls: list[ShownItem]) -> tuple[ShownItem, ...]:
        """Calls by deadline, the earliest first."""
        return tuple(sorted(calls, key=lambda c: (c.deadline, c.slug)))

    found = [
        CalendarFeed("", "events", events(listings.of("news"))),
        CalendarFeed("", "deadlines", deadlines(listings.of("call"))),
    ]
    for city in listings.of("city"):
        by_type = listings.by_city.get(city.slug, {})
        found.append(CalendarFeed(city.slug, "events", events(by_type.get("news", []))))
        found.append(CalendarFeed(city.slug, "deadlines", deadlines(by_type.get("call", []))))
    return found


def event_calendars(listings: Listings) -> list[CalendarFeed]:
    """One calendar for each event ("add to calendar"), from the original entry; translations link to it."""
    return [
        CalendarFeed("", "events", (n,), event=n.slug)
        for n in listings.of("news")
        if n.event_start and n.original is None
    ]


def alerts(
    feed_for: Mapping[str, Sequence[ShownItem]], deadlines_for: Mapping[str, Sequence[ShownItem]]
) -> tuple[tuple[Channel, ...], tuple[CalendarFeed, ...]]:
    """Each profile's feed and calendar of "calls for you" (:attr:`cucon.matching.Matches.feed_for`,
    the newest first, and :attr:`~cucon.matching.Matches.deadlines_for`, the nearest deadline first)."""
    feeds = tuple(Channel("profile", slug, tuple(calls)) for slug, calls in feed_for.items())
    calendars = tuple(
        CalendarFeed("", "deadlines", tuple(calls), profile=slug) for slug, calls in deadlines_for.items()
    )
    return feeds, calendars


@dataclass(frozen=True)
class Catalog:
    """Every feed and calendar of a build; templates list them, the feeds plugin writes them."""

    channels: tuple[Channel, ...]
    calendars: tuple[CalendarFeed, ...]
    alerts: tuple[Channel, ...] = ()
    """Each profile's feed of "calls for you" (not listed on the subscribe page: its profile page links it)."""
    alert_calendars: tuple[CalendarFeed, ...] = ()
    """Each profile's calendar of the deadlines of "calls for you"."""
    event_calendars: tuple[CalendarFeed, ...] = ()
    """Each event's own calendar ("add to calendar"; not listed on the subscribe page: its page links it)."""

    @cached_property
    def _by_scope(self) -> dict[tuple[str, str], Channel]:
        """Channels by (group, key), built once: every page looks its feeds up here."""
        return {(c.group, c.key): c for c in self.channels}

    def channel(self, group: str, key: str = "") -> Channel | None:
        """The channel of one scope, if the site has it."""
        return self._by_scope.get((group, key))

    def of_group(self, group: str) -> list[Channel]:
        """The channels of one group, in catalog order."""
        return [c for c in self.channels if c.group == group]

    def calendars_of(self, city: str = "") -> list[CalendarFeed]:
        """The calendars of one city, or of the whole network."""
        return [c for c in self.calendars if c.city == city]

    def for_page(
        self, section: str, entry: ShownItem | None = None, facet: str = "", value: str = ""
    ) -> list:
        """The channels a page advertises for autodiscovery: its own scope's first, then all entries.

        A city page → the city's feed; a discipline page or directory → that discipline's;
        a call, news item or profile (and their sections) → the feed of their type.
        """
        scopes: list[tuple[str, str]] = []
        if entry is not None and entry.type == "city":
            scopes.append(("city", entry.slug))
        elif facet in ("city", "discipline"):
            scopes.append((facet, value))
        elif section == "disciplines" and value:
            scopes.append(("discipline", value))
        kind = entry.type if entry is not None else section
        if kind in ("call", "calls"):
            scopes.append(("type", "calls"))
        elif kind in ("news",):
            is_event = entry is not None and entry.event_start is not None
            scopes.append(("type", "events" if is_event else "news"))
        elif kind in ("profile", "profiles"):
            scopes.append(("type", "profiles"))
        scopes.append(("all", ""))
        return [c for c in (self.channel(group, key) for group, key in scopes) if c is not None]


def catalog(
    listings: Listings,
    limit: int,
    feed_for: Mapping[str, Sequence[ShownItem]] | None = None,
    deadlines_for: Mapping[str, Sequence[ShownItem]] | None = None,
) -> Catalog:
    """The catalog of a build; with each profile's calls (:func:`alerts`), its alerts too."""
    feeds, profile_calendars = alerts(feed_for or {}, deadlines_for or {})
    return Catalog(
        tuple(channels(listings, limit)),
        tuple(calendars(listings)),
        feeds,
        profile_calendars,
        tuple(event_calendars(listings)),
    )


def channel_title(channel: Channel, site: str, name: Callable[[str, str], str], _: Callable) -> str:
    """A feed's title in the UI language; ``name(group, key)`` names a city or discipline, ``_`` translates."""
    if channel.group == "all":
        return _("%(site)s: everything") % {"site": site}
    if channel.group == "profile":
        title = _("Calls for %(name)s") % {"name": name("profile", channel.key)}
    elif channel.group == "type":
        title = {
            "calls": _("Open calls"),
            "events": _("Events"),
            "news": _("News and reports"),
            "profiles": _("New profiles"),
        }[channel.key]
    else:
        title = name(channel.group, channel.key)
    return f"{site}: {title}"


def channel_description(channel: Channel, name: Callable[[str, str], str], _: Callable) -> str:
    """What a feed holds, in one sentence in the UI language."""
    if channel.group == "profile":
        return _("New open calls that %(name)s may apply to, in their disciplines.") % {
            "name": name("profile", channel.key)
        }
    if channel.group == "city":
        return _("News, open calls, events and new profiles from %(city)s.") % {
            "city": name("city", channel.key)
        }
    if channel.group == "discipline":
        return _("News, open calls, events and new profiles in %(discipline)s.") % {
            "discipline": name("discipline", channel.key)
        }
    if channel.group == "type":
        return {
            "calls": _("New open calls, cooperation requests, residencies and funding in the network."),
            "events": _("Events in the cities of the network."),
            "news": _("News from the culture offices and the cities of the network."),
            "profiles": _("People, ensembles and organisations who joined the network."),
        }[channel.key]
    return _("Everything new in the network: news, open calls, events and profiles.")


def calendar_title(calendar: CalendarFeed, site: str, name: Callable[[str, str], str], _: Callable) -> str:
    """A calendar's title in the UI language."""
    if calendar.profile:
        return f"{site}: {_('Deadlines of the calls for %(name)s') % {'name': name('profile', calendar.profile)}}"
    what = _("Events") if calendar.kind == "events" else _("Call deadlines")
    where = name("city", calendar.city) if calendar.city else _("all cities")
    return f"{site}: {what} ({where})"


def opml(title: str, outlines: Iterable[tuple[str, str, str]], date_created: str = "") -> bytes:
    """An OPML 2.0 subscription list: ``outlines`` are (title, feed URL, page URL).

    >>> print(opml("CuCon", [("CuCon: Leipzig", "https://x.example/feeds/city/leipzig/atom.xml", "")]).decode())
    <?xml version='1.0' encoding='utf-8'?>
    <opml version="2.0"><head><title>CuCon</title></head><body><outline type="rss" text="CuCon: Leipzig" title="CuCon: Leipzig" xmlUrl="https://x.example/feeds/city/leipzig/atom.xml" /></body></opml>
    """
    root = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(root, "head")
    ElementTree.SubElement(head, "title").text = title
    if date_created:
        ElementTree.SubElement(head, "dateCreated").text = date_created
    body = ElementTree.SubElement(root, "body")
    for text, xml_url, html_url in outlines:
        attributes = {"type": "rss", "text": text, "title": text, "xmlUrl": xml_url}
        if html_url:
            attributes["htmlUrl"] = html_url
        ElementTree.SubElement(body, "outline", attributes)
    return ElementTree.tostring(root, encoding="utf-8", xml_declaration=True)
