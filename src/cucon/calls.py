"""What a call is to a visitor: its status on the build's day, and who may apply to it.

The one definition of both: pages, feeds, calendars (a deadline not open yet says when it opens),
search data, digests and the calls' filter data read :attr:`cucon.views.ShownItem.status` (set by
:func:`call_status`) and :func:`reach`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

CLOSING_SOON_DAYS = 14
"""A call whose deadline is this close is closing soon."""

STATUSES = ("opens-soon", "open", "closing-soon", "closed")
"""Every status of a call, in the order of a call's life."""

ACCEPTING = frozenset({"open", "closing-soon"})
"""The statuses of a call that takes applications now."""

REACHES = ("city", "country", "everyone")
"""Why people from a city may apply to a call: it names the city, the city's country, or everyone."""


def opening(opens: dt.date | None, timezone: str) -> dt.datetime | None:
    """The moment applications open: the start of the opening day in the call's timezone.

    >>> opening(dt.date(2027, 3, 1), "Asia/Tokyo").isoformat(), opening(None, "UTC")
    ('2027-03-01T00:00:00+09:00', None)
    """
    if opens is None:
        return None
    return dt.datetime.combine(opens, dt.time(), ZoneInfo(timezone))


def call_status(
    deadline: dt.datetime,
    now: dt.datetime,
    opens: dt.datetime | None = None,
    soon_days: int = CLOSING_SOON_DAYS,
) -> str:
    """``opens-soon``, ``open``, ``closing-soon`` or ``closed``, for timezone-aware moments.

    A call before its opening moment is ``opens-soon`` however far away its deadline is.

    >>> now = dt.datetime(2026, 11, 27, tzinfo=dt.UTC)
    >>> [call_status(now + dt.timedelta(days=d), now) for d in (-1, 3, 30)]
    ['closed', 'closing-soon', 'open']
    >>> call_status(now + dt.timedelta(days=90), now, opens=now + dt.timedelta(days=1))
    'opens-soon'
    """
    if deadline <= now:
        return "closed"
    if opens is not None and now < opens:
        return "opens-soon"
    if deadline - now <= dt.timedelta(days=soon_days):
        return "closing-soon"
    return "open"


def reach(call, city) -> str | None:
    """Why people from ``city`` may apply to ``call`` (one of :data:`REACHES`), or None if they may not.

    ``call`` is a call's entry (its facts' ``open_to``), ``city`` a city's entry (its ``slug``
    and its meta's ``country``). The narrowest reason wins: a call that names the city and its
    country is open to the city.

    >>> from types import SimpleNamespace as N
    >>> call = lambda **open_to: N(facts=N(open_to=N(**{"everyone": False, "cities": [], "countries": [], **open_to})))
    >>> poznan = N(slug="poznan", meta=N(country="PL"))
    >>> [reach(c, poznan) for c in (call(cities=["poznan"]), call(countries=["PL"]), call(everyone=True))]
    ['city', 'country', 'everyone']
    >>> reach(call(cities=["hannover"], countries=["DE"]), poznan) is None
    True
    """
    open_to = call.facts.open_to
    if city.slug in open_to.cities:
        return "city"
    if city.meta.country in open_to.countries:
        return "country"
    if open_to.everyone:
        return "everyone"
    return None


def may_apply(call, city) -> bool:
    """Whether people from ``city`` may apply to ``call`` (see :func:`reach`)."""
    return reach(call, city) is not None


def is_for(call, profile) -> bool:
    """Whether ``call`` is for ``profile``: not closed (open, closing soon or opening later), open to
    one of the profile's cities (:func:`may_apply`), and sharing a discipline with the profile.

    The one eligibility rule of "calls for you": the profile page, its feed and its calendar use it.

    >>> from types import SimpleNamespace as N
    >>> poznan = N(slug="poznan", meta=N(country="PL"))
    >>> music, dance = N(slug="music"), N(slug="dance")
    >>> call = lambda status, *disciplines: N(status=status, disciplines=list(disciplines),
    ...     facts=N(open_to=N(everyone=False, cities=["poznan"], countries=[])))
    >>> anna = N(cities=[poznan], disciplines=[music])
    >>> [is_for(call(s, music), anna) for s in ("open", "opens-soon", "closed")], is_for(call("open", dance), anna)
    ([True, True, False], False)
    """
    if call.status == "closed":
        return False
    if not {d.slug for d in call.disciplines} & {d.slug for d in profile.disciplines}:
        return False
    return any(may_apply(call, city) for city in profile.cities)


def open_to_city(calls: Iterable, city) -> list:
    """The calls not closed (open, or opening later) that people from ``city`` may apply to, in
    the order given: what the city's filter page lists."""
    return [call for call in calls if call.status != "closed" and may_apply(call, city)]


def filter_data(calls: Iterable, cities: Iterable) -> dict:
    """What the calls page's script filters by (:data:`cucon.urls.CALL_FILTERS`), computed here so
    the script does not define status or who may apply a second time.

    ``calls``: each call's ``slug``, ``kind``, ``status`` and discipline slugs, by index;
    ``everyone``: the indices of the calls whose reach is ``everyone`` (the same for every city,
    so written once); ``cities``: for each city, the indices of the calls open to it by name
    (``city``) and by its country (``country``).
    """
    calls, cities = list(calls), list(cities)
    everyone: dict[int, None] = {}
    found = {city.slug: {"city": [], "country": []} for city in cities}
    for index, call in enumerate(calls):
        for city in cities:
            why = reach(call, city)
            if why == "everyone":
                everyone[index] = None
            elif why is not None:
                found[city.slug][why].append(index)
    return {
        "calls": [
            {
                "slug": c.slug,
                "kind": c.facts.kind,
                "status": c.status,
                "disciplines": [d.slug for d in c.disciplines],
            }
            for c in calls
        ],
        "everyone": list(everyone),
        "cities": found,
    }
