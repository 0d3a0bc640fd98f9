"""The build's clock: one 'now' per build, and the sample network's moving dates (a call's status is
cucon.calls')."""

from __future__ import annotations

import datetime as dt
import os
from zoneinfo import ZoneInfo


def build_time(setting: str | None = None) -> dt.datetime:
    """The moment the build treats as now: a setting, else SOURCE_DATE_EPOCH, else the clock.

    >>> build_time("2026-11-27T12:00:00+01:00").isoformat()
    '2026-11-27T11:00:00+00:00'
    """
    if setting:
        moment = dt.datetime.fromisoformat(setting)
        if moment.tzinfo is None:
            raise ValueError(f"CUCON_BUILD_TIME {setting!r} needs a UTC offset, e.g. +00:00")
        return moment.astimezone(dt.UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def date_shift(anchor: str | None, now: dt.datetime, timezone: str = "Europe/Berlin") -> dt.timedelta:
    """How far the sample network's dates move so they stay relative to the build day.

    The sample is written as if built on ``anchor``; a real network sets no anchor.

    >>> now = dt.datetime(2026, 12, 4, 9, tzinfo=dt.UTC)
    >>> date_shift("2026-11-27", now).days, date_shift(None, now).days
    (7, 0)
    """
    if not anchor:
        return dt.timedelta(0)
    today = now.astimezone(ZoneInfo(timezone)).date()
    return today - dt.date.fromisoformat(anchor)


def localise(moment: dt.datetime, timezone: str) -> dt.datetime:
    """Attach a timezone to a local (naive) time from content."""
    return moment.replace(tzinfo=ZoneInfo(timezone))
