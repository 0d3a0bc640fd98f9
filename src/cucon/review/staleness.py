"""The maintenance report: profiles not updated for two years, and calls and news to archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from cucon.catalog import bilingual
from cucon.content import Site
from cucon.inert import code
from cucon.review.markdown import markdown_table


def years_before(day: dt.date, years: int) -> dt.date:
    """The same day ``years`` earlier (28 February for 29 February).

    >>> years_before(dt.date(2028, 2, 29), 2), years_before(dt.date(2026, 11, 27), 1)
    (datetime.date(2026, 2, 28), datetime.date(2025, 11, 27))
    """
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Stale:
    """An item staff might update or archive: where it is, what it is called, and the day that counts."""

    path: str
    title: str
    day: dt.date
    note: str = ""


def stale_items(site: Site, today: dt.date) -> dict[str, list[Stale]]:
    """Profiles not updated for two years; calls and events over long ago (originals only)."""
    two_years, one_year = years_before(today, 2), years_before(today, 1)
    profiles, calls, news = [], [], []
    for item in site.profiles.values():
        if item.translation_of:
            continue
        meta = item.meta
        day = meta.updated or meta.consent.date
        if day < two_years:
            note = "" if meta.updated else f" ({bilingual('report.consent')})"
            profiles.append(Stale(item.path, meta.name, day, note))
    for item in site.calls.values():
        if not item.translation_of and item.meta.deadline.date() < one_year:
            calls.append(Stale(item.path, item.meta.title, item.meta.deadline.date()))
    for item in site.news.values():
        if item.translation_of or item.meta.date >= two_years:
            continue
        event = item.meta.event
        if event is None or (event.end or event.start).date() < today:
            news.append(Stale(item.path, item.meta.title, item.meta.date))
    found = {"profiles": profiles, "calls": calls, "news": news}
    return {key: sorted(items, key=lambda s: (s.day, s.path)) for key, items in found.items()}


REPORT_SECTIONS = ("profiles", "calls", "news")
"""The report's sections, in order; each has a heading, a note and a date column (``report.<key>.*``)."""


def render_report(found: dict[str, list[Stale]], today: dt.date, fmt: str, problems: int = 0) -> str:
    """The staleness report as Markdown tables or plain text."""
    markdown = fmt == "markdown"
    title = f"{bilingual('report.title')}, {today.isoformat()}"
    out = [f"## {title}" if markdown else title]
    for key in REPORT_SECTIONS:
        heading, note, when = (bilingual(f"report.{key}.{part}") for part in ("heading", "note", "when"))
        items = found[key]
        out += ["", f"### {heading} ({len(items)})" if markdown else f"{heading} ({len(items)})", note]
        if not items:
            out.append(bilingual("report.none"))
        elif markdown:
            rows = [(code(s.title), f"{s.day.isoformat()}{s.note}", code(s.path)) for s in items]
            columns = (bilingual("report.column.title"), when, bilingual("report.column.file"))
            out += ["", *markdown_table(columns, rows)]
        else:
            out += [f"  {s.path}: {s.title} — {s.day.isoformat()}{s.note}" for s in items]
    if problems:
        out += ["", bilingual("report.problems", count=problems)]
    return "\n".join(out) + "\n"
