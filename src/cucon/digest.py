"""The weekly mail digest of a city: what is new this week, which events come up, which calls close."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from cucon.calls import ACCEPTING
from cucon.subscriptions import published_order
from cucon.views import Listings, ShownItem

DIGEST_TIMEZONE = "Europe/Berlin"
"""The build day is the culture office's day (as for the sample dates): one week for every city."""


@dataclass
class Digest:
    """One city's digest: the week up to the build day, and what is coming in the days after it."""

    city: ShownItem
    start: dt.date
    """The first day of the week covered (inclusive)."""
    end: dt.date
    """The build day (inclusive)."""
    news: list[ShownItem]
    """News items of the city published in the week (not events, nor items listed as upcoming events)."""
    calls: list[ShownItem]
    """Calls of the city published in the week, newest first."""
    profiles: list[ShownItem]
    """Profiles of the city published (consent given) in the week, newest first."""
    upcoming_events: list[ShownItem]
    """Events of the city that have not ended and start by the end of the ``ahead``-th day after ``end``
    or were announced (published) in the week, whatever their date: an event announced this week is news."""
    closing_calls: list[ShownItem]
    """Calls of the city taking applications whose deadline falls by that same day, nearest first."""

    @property
    def empty(self) -> bool:
        """Whether there is nothing at all to tell."""
        return not (self.news or self.calls or self.profiles or self.upcoming_events or self.closing_calls)


def week_ending(day: dt.date, days: int = 7) -> tuple[dt.date, dt.date]:
    """The first and the last day of the ``days`` days that end on ``day``, both inclusive.

    >>> week_ending(dt.date(2026, 11, 27))
    (datetime.date(2026, 11, 21), datetime.date(2026, 11, 27))
    >>> week_ending(dt.date(2026, 11, 27), 1)
    (datetime.date(2026, 11, 27), datetime.date(2026, 11, 27))
    """
    if days < 1:
        raise ValueError(f"a digest covers at least one day, not {days}")
    return day - dt.timedelta(days=days - 1), day


def published_between(entries: Iterable[ShownItem], start: dt.date, end: dt.date) -> list[ShownItem]:
    """The entries published from ``start`` to ``end`` (inclusive), the newest first.

    >>> from types import SimpleNamespace as Item
    >>> found = [Item(published=dt.date(2026, 11, d), updated=None, slug=f"n{d}") for d in (20, 21, 27, 28)]
    >>> [e.slug for e in published_between(found, dt.date(2026, 11, 21), dt.date(2026, 11, 27))]
    ['n27', 'n21']
    """
    found = [e for e in entries if e.published is not None and start <= e.published <= end]
    return sorted(found, key=published_order, reverse=True)


def weekly_digest(listings: Listings, city: str, days: int = 7, ahead: int = 14) -> Digest:
    """The digest of the city with slug ``city``: the ``days`` days up to the build day, ``ahead`` days on.

    Days are whole days in Hannover: with the defaults, a build on Friday 27 November covers 21–27
    November and looks ahead to the end of 11 December. Reads only the city's own (original)
    entries, so it is linear in the city's content.
    """
    city_entry = listings.entries.get(("city", city))
    if city_entry is None:
        raise KeyError(f"no city with the slug {city!r}")
    if ahead < 0:
        raise ValueError(f"'ahead' counts days from now and cannot be negative, not {ahead}")
    now, zone = listings.now, ZoneInfo(DIGEST_TIMEZONE)
    start, end = week_ending(now.astimezone(zone).date(), days)
    horizon = dt.datetime.combine(end + dt.timedelta(days=ahead + 1), dt.time(), zone)
    found = listings.by_city.get(city, {})
    news_items, calls = found.get("news", []), found.get("call", [])
    upcoming = sorted(
        (
            n
            for n in news_items
            if n.event_start
            and (n.event_end or n.event_start) >= now
            and (n.event_start < horizon or (n.published is not None and start <= n.published <= end))
        ),
        key=lambda n: (n.event_start, n.slug),
    )
    listed = set(upcoming)
    return Digest(
        city=city_entry,
        start=start,
        end=end,
        news=published_between(
            (n for n in news_items if n.facts.kind != "event" and n not in listed), start, end
        ),
        calls=published_between(calls, start, end),
        profiles=published_between(found.get("profile", []), start, end),
        upcoming_events=upcoming,
        closing_calls=sorted(
            (c for c in calls if c.status in ACCEPTING and c.deadline < horizon),
            key=lambda c: (c.deadline, c.slug),
        ),
    )
