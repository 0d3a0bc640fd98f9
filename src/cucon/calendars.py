"""iCalendar files: the events, or the call deadlines, of one city or of the whole network."""

from __future__ import annotations

import datetime as dt
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from functools import cache

from icalendar import Calendar, Event, Timezone, vDuration, vText

from cucon.subscriptions import ID_NAMESPACE, CalendarFeed
from cucon.views import ShownItem

log = logging.getLogger(__name__)

PRODID = "-//Kulturbuero Hannover//CuCon//EN"
HOME_TIMEZONE = "Europe/Berlin"
"""The network's home (Hannover): the timezone of calendars that have no city, or no entries yet."""

REFRESH = dt.timedelta(days=1)
"""How often calendar apps should fetch a calendar again; the site is rebuilt at most daily."""

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES = re.compile(r"\r\n|[\r\u2028\u2029]")


def plain_text(value: str) -> str:
    """Text safe for an iCalendar value: line breaks made ``\\n``, other control characters dropped.

    >>> plain_text("a\\r\\nb\\x00c\\u2028d\\te")
    'a\\nbc\\nd\\te'
    """
    return _CONTROL.sub("", _NEWLINES.sub("\n", value))


def one_line(value: str) -> str:
    """Text for a one-line value such as SUMMARY: line breaks and runs of spaces become one space.

    >>> one_line(" Konzert\\n in\\tHannover ")
    'Konzert in Hannover'
    """
    return " ".join(plain_text(value).split())


def is_absolute(url: str) -> bool:
    """Whether a URL can stand on its own in a calendar app (the URL property).

    >>> is_absolute("https://cucon.example/calls/x/"), is_absolute("/calls/x/")
    (True, False)
    """
    return url.startswith(("https://", "http://"))


def midnight_utc(day: dt.date) -> dt.datetime:
    """A day as a UTC moment, for DTSTAMP and LAST-MODIFIED: the content's dates, never the clock.

    >>> midnight_utc(dt.date(2026, 11, 2)).isoformat()
    '2026-11-02T00:00:00+00:00'
    """
    return dt.datetime(day.year, day.month, day.day, tzinfo=dt.UTC)


def event_uid(entry: ShownItem, kind: str) -> str:
    """The VEVENT's UID: from the item's permanent id only, so titles, slugs, dates and domains can change."""
    suffix = "-deadline" if kind == "deadlines" else ""
    return f"{entry.facts.id}{suffix}@cucon"


@cache
def _vtimezone(tzid: str, first: dt.date, last: dt.date) -> bytes:
    """A VTIMEZONE as iCalendar text, computed once per build for each timezone and span (it is
    slow); calendars share it."""
    return Timezone.from_tzid(tzid, first_date=first, last_date=last).to_ical()


def _timezones(tzids: Iterable[str], moments: list[dt.datetime], today: dt.date | None) -> list[bytes]:
    """One VTIMEZONE per TZID, sorted by name, covering the years of the moments."""
    first, last = Timezone.DEFAULT_FIRST_DATE, Timezone.DEFAULT_LAST_DATE
    years = [m.year for m in moments] or ([today.year] if today else [])
    if years:
        # From New Year before the first moment to two New Years after the last, so every moment
        # falls inside the transitions the component lists; an empty calendar covers the build's
        # year and the next (without a build day: icalendar's default span, 1970 to 2038).
        first = dt.date(min(years), 1, 1)
        last = dt.date(max(years) + 2, 1, 1)
    return [_vtimezone(tzid, first, last) for tzid in sorted(tzids)]


END = b"END:VCALENDAR\r\n"


def _properties(component: Calendar) -> bytes:
    """A calendar's properties as iCalendar lines, without its BEGIN and END lines."""
    return component.to_ical()[len(b"BEGIN:VCALENDAR\r\n") : -len(END)]


@cache
def _opening() -> bytes:
    """What every calendar begins with: BEGIN and the properties that never change."""
    ical = Calendar()
    ical.add("prodid", PRODID)
    ical.add("version", "2.0")
    ical.add("calscale", "GREGORIAN")
    ical.add("method", "PUBLISH")
    return b"BEGIN:VCALENDAR\r\n" + _properties(ical)


@cache
def _closing_properties(timezone: str) -> bytes:
    """A calendar's last properties: its timezone and how often apps fetch it again."""
    ical = Calendar()
    ical.add("x-wr-timezone", timezone)
    ical.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    ical.add("x-published-ttl", vDuration(REFRESH))
    return _properties(ical)


def _calendar_timezone(calendar: CalendarFeed, timezone: str | None) -> str:
    """The calendar's own timezone: given, else its city's (found on its entries), else the network's home."""
    if timezone:
        return timezone
    cities = (city for entry in calendar.entries for city in entry.cities if city.slug == calendar.city)
    return next((city.meta.timezone for city in cities), HOME_TIMEZONE)


def _location(entry: ShownItem) -> str:
    """Where an event takes place: venue and address, else its online address."""
    event = entry.facts.event
    place = ", ".join(one_line(part) for part in (event.venue, event.address) if part)
    return place or (event.online or "")


def _vevent(
    entry: ShownItem,
    kind: str,
    version: ShownItem,
    url: str,
    deadline_label: str,
    opens_label: Callable[[dt.datetime], str] | None = None,
    money_label: Callable[[ShownItem], str] | None = None,
) -> Event:
    """One VEVENT: an event at its time and place, or a call's deadline as a moment (with the day
    applications open, for a call not open yet: ``opens_label`` writes it; and the money it offers
    and the fee to apply, in ``money_label``'s words)."""
    vevent = Event()
    title = one_line(version.title)
    changed = midnight_utc(max(day for day in (entry.updated, version.updated) if day))
    vevent.add("uid", event_uid(entry, kind))
    vevent.add("dtstamp", changed)
    vevent.add("last-modified", changed)
    # No DTEND: RFC 5545 (3.6.1) says such an event ends when it starts. A deadline is a moment,
    # and an event whose end the content does not give gets no invented one. Calendar apps show
    # both at their start time; a made-up hour after a deadline at 23:59 would spill into the next day.
    if kind == "deadlines":
        vevent.add("summary", f"{one_line(deadline_label)}: {title}")  # two languages: no LANGUAGE
        vevent.add("dtstart", entry.deadline)
        vevent.add("transp", "TRANSPARENT")  # a deadline does not make anyone busy
    else:
        vevent.add("summary", title, parameters={"LANGUAGE": version.lang})
        vevent.add("dtstart", entry.event_start)
        if entry.event_end and entry.event_end > entry.event_start:
            vevent.add("dtend", entry.event_end)
        location = _location(entry)
        if location:
            vevent.add("location", location)
    opens = opens_label(entry.opens) if opens_label and entry.status == "opens-soon" else ""
    money = money_label(entry) if money_label and kind == "deadlines" else ""
    summary = plain_text(version.summary).strip()
    description = "\n\n".join(part for part in (opens, money, summary, url) if part)
    vevent.add("description", description, parameters={"LANGUAGE": version.lang})
    if is_absolute(url):
        vevent.add("url", url)
    vevent.add("categories", [entry.facts.kind])
    return vevent


def calendar_ics(
    calendar: CalendarFeed,
    *,
    title: str,
    description: str,
    language: str,
    version: Callable[[ShownItem], ShownItem],
    page_url: Callable[[ShownItem], str],
    deadline_label: str,
    opens_label: Callable[[dt.datetime], str] | None = None,
    money_label: Callable[[ShownItem], str] | None = None,
    timezone: str | None = None,
    today: dt.date | None = None,
    events: dict[tuple[int, str], tuple[bytes, set[str]]] | None = None,
) -> bytes:
    """The iCalendar file of one calendar in one UI language; the same input gives the same bytes.

    A call's deadline that is not open yet (status ``opens-soon``, :mod:`cucon.calls`) says when it
    opens, in ``opens_label``'s words, and every deadline the call's money, in ``money_label``'s.
    Each event is written once by icalendar and kept, with the timezones it uses, in ``events`` (by
    entry and kind, for one UI language), so the many calendars that share an event (every profile's calendar of the calls for it) only join bytes.
    """
    # RFC 7986 properties, and the older X-WR- ones that Apple, Google and Outlook read. NAME and
    # X- values are TEXT, but icalendar writes them raw unless given as vText: so escape them.
    scope = f"profile/{calendar.profile}" if calendar.profile else calendar.city
    if calendar.event:
        scope = f"event/{calendar.entries[0].facts.id}"
    own = Calendar()
    own.add("uid", str(uuid.uuid5(ID_NAMESPACE, f"calendar/{scope}/{calendar.kind}/{language}")))
    own.add("name", vText(one_line(title)), parameters={"LANGUAGE": language})
    own.add("x-wr-calname", vText(one_line(title)))
    own.add("description", plain_text(description), parameters={"LANGUAGE": language})
    own.add("x-wr-caldesc", vText(plain_text(description)))
    timezone = _calendar_timezone(calendar, timezone)
    memo = {} if events is None else events
    written = []
    for entry in calendar.entries:
        key = (id(entry), calendar.kind)
        if key not in memo:
            vevent = _vevent(
                entry,
                calendar.kind,
                version(entry),
                page_url(entry),
                deadline_label,
                opens_label,
                money_label,
            )
            alone = Calendar()
            alone.add_component(vevent)
            memo[key] = (vevent.to_ical(), alone.get_used_tzids())
        written.append(memo[key])
    # A VTIMEZONE for every TZID used, and for the calendar's own timezone, so even an empty
    # calendar has one; they go first, before the events that refer to them.
    tzids = set().union(*(used for _text, used in written)) - {"UTC"} | {timezone}
    moments = [m for e in calendar.entries for m in (e.deadline, e.event_start, e.event_end) if m]
    log.debug(
        "calendar %s/%s (%s): %d entries", calendar.city or "all", calendar.kind, language, len(written)
    )
    zones = _timezones(tzids, moments, today)
    events_text = (text for text, _used in written)
    return b"".join((_opening(), _properties(own), _closing_properties(timezone), *zones, *events_text, END))
