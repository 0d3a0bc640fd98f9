"""What the site shows: entries with their derived facts, and the listings built from them."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from cucon import urls
from cucon.calls import ACCEPTING, call_status, open_to_city, opening
from cucon.content import Item, Site, normalised
from cucon.dates import build_time, date_shift, localise
from cucon.markup import internal_targets, render_markdown
from cucon.schema import Discipline
from cucon.text import LATIN_SCRIPTS, make_slug, normalise, script_of


@dataclass(eq=False)
class ShownItem:
    """One item as the site shows it: texts, rendered body, resolved references, dates."""

    item: Item
    html: str = ""
    original: ShownItem | None = None
    translations: list[ShownItem] = field(default_factory=list)
    cities: list[ShownItem] = field(default_factory=list)
    disciplines: list[Discipline] = field(default_factory=list)
    profiles: list[ShownItem] = field(default_factory=list)
    organiser: ShownItem | None = None
    deadline: dt.datetime | None = None
    opens: dt.datetime | None = None
    status: str | None = None
    date: dt.date | None = None
    published: dt.date | None = None
    updated: dt.date | None = None
    event_start: dt.datetime | None = None
    event_end: dt.datetime | None = None
    sort_key: str = ""
    group: str = ""
    shift: dt.timedelta = dt.timedelta(0)
    linked: dict[str, ShownItem] = field(default_factory=dict)

    @property
    def type(self) -> str:
        """The content type."""
        return self.item.type

    @property
    def slug(self) -> str:
        """The slug, from the file name."""
        return self.item.slug

    @property
    def meta(self) -> object:
        """The item's own validated fields."""
        return self.item.meta

    @property
    def facts(self) -> object:
        """The fields that translations take from their original."""
        return (self.original or self).item.meta

    @property
    def lang(self) -> str | None:
        """The language of the text."""
        return self.item.lang

    @property
    def title(self) -> str:
        """Name or title, in the item's own language."""
        meta = self.meta
        if self.type == "city":
            return meta.names.local
        if self.type == "network":
            return meta.name["en"]
        return getattr(meta, "name", None) or getattr(meta, "title", None) or self.facts.name

    @property
    def summary(self) -> str:
        """The short description for listings."""
        return getattr(self.meta, "summary", None) or ""

    def url(self, ui: str, default_ui: str = "de") -> str:
        """The page's URL path for one UI language, e.g. ``en/profiles/anna/``."""
        return urls.entry(self.type, self.slug, urls.lang_prefix(ui, default_ui))

    def moved(self, day: dt.date | None) -> dt.date | None:
        """A date from the content, moved with the sample network's dates."""
        return day + self.shift if day else None

    def in_language(self, lang: str, fallback: Sequence[str] = ()) -> ShownItem:
        """The version in ``lang`` if there is one, else in the first of ``fallback`` there is, else the original."""
        base = self.original or self
        for wanted in (lang, *fallback):
            found = next((version for version in base.versions() if version.lang == wanted), None)
            if found is not None:
                return found
        return base

    def versions(self) -> list[ShownItem]:
        """The original and all its translations."""
        base = self.original or self
        return [base, *base.translations]


@dataclass
class Listings:
    """Every entry, and the lists the pages need, built in one pass over the content."""

    now: dt.datetime
    entries: dict[tuple[str, str], ShownItem] = field(default_factory=dict)
    by_type: dict[str, list[ShownItem]] = field(default_factory=lambda: defaultdict(list))
    by_city: dict[str, dict[str, list[ShownItem]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    by_discipline: dict[str, dict[str, list[ShownItem]]] = field(
        default_factory=lambda: defaultdict(lambda: defaultdict(list))
    )
    disciplines: list[Discipline] = field(default_factory=list)

    def of(self, item_type: str) -> list[ShownItem]:
        """Originals of one type, in the type's listing order."""
        return self.by_type.get(item_type, [])

    def open_calls(self) -> list[ShownItem]:
        """Calls that take applications now, the nearest deadline first."""
        return sorted(
            (c for c in self.of("call") if c.status in ACCEPTING), key=lambda c: (c.deadline, c.slug)
        )

    def upcoming_calls(self) -> list[ShownItem]:
        """Calls whose applications have not opened yet, the soonest opening first."""
        return sorted(
            (c for c in self.of("call") if c.status == "opens-soon"),
            key=lambda c: (c.opens, c.deadline, c.slug),
        )

    def closed_calls(self) -> list[ShownItem]:
        """Closed calls, the latest deadline first."""
        return sorted(
            (c for c in self.of("call") if c.status == "closed"),
            key=lambda c: (c.deadline, c.slug),
            reverse=True,
        )

    @cached_property
    def calls_open_to(self) -> dict[str, list[ShownItem]]:
        """For each city, the calls not closed that its people may apply to (cucon.calls.reach), by deadline."""
        calls = self.of("call")
        return {city.slug: open_to_city(calls, city) for city in self.of("city")}

    @cached_property
    def calls_by_kind(self) -> dict[str, list[ShownItem]]:
        """Calls not closed of each kind there is, by deadline."""
        found: dict[str, list[ShownItem]] = defaultdict(list)
        for call in self.of("call"):
            if call.status != "closed":
                found[call.facts.kind].append(call)
        return dict(sorted(found.items()))

    @cached_property
    def call_counts(self) -> dict[str, dict[str, int]]:
        """What the calls' filters count, once per build: calls by status (``open`` taking
        applications, ``opens-soon``, ``closed``), and of the calls not closed those by kind, by
        discipline and by the city whose people may apply."""
        calls = self.of("call")
        by_status = Counter("open" if c.status in ACCEPTING else c.status for c in calls)
        return {
            "status": {status: by_status[status] for status in ("open", "opens-soon", "closed")},
            "kind": {kind: len(found) for kind, found in self.calls_by_kind.items()},
            "discipline": dict(
                sorted(Counter(d.slug for c in calls if c.status != "closed" for d in c.disciplines).items())
            ),
            "open_to": {city: len(found) for city, found in sorted(self.calls_open_to.items())},
        }

    def upcoming_events(self) -> list[ShownItem]:
        """Events that have not ended, the soonest first."""
        events = (n for n in self.of("news") if n.event_start and (n.event_end or n.event_start) >= self.now)
        return sorted(events, key=lambda n: (n.event_start, n.slug))

    def past_events(self) -> list[ShownItem]:
        """Events that have ended, the latest first."""
        events = (n for n in self.of("news") if n.event_start and (n.event_end or n.event_start) < self.now)
        return sorted(events, key=lambda n: (n.event_start, n.slug), reverse=True)

    def profile_facets(self) -> Iterator[tuple[str, str, list[ShownItem]]]:
        """(facet, value, profiles) for the directory by city, by discipline and by kind, A–Z."""
        for slug, found in sorted(self.by_city.items()):
            if found["profile"]:
                yield "city", slug, found["profile"]
        for slug, found in sorted(self.by_discipline.items()):
            if found["profile"]:
                yield "discipline", slug, found["profile"]
        by_kind: dict[str, list[ShownItem]] = defaultdict(list)
        for profile in self.of("profile"):
            by_kind[profile.facts.kind].append(profile)
        yield from (("kind", kind, profiles) for kind, profiles in sorted(by_kind.items()))

    @cached_property
    def kind_counts(self) -> dict[str, int]:
        """Number of profiles of each kind, counted once per build."""
        return dict(Counter(profile.facts.kind for profile in self.of("profile")))

    def new_profiles(self) -> list[ShownItem]:
        """Profiles by the date they were published (consent), the newest first."""
        return sorted(self.of("profile"), key=lambda p: (p.facts.consent.date, p.slug), reverse=True)


SCRIPT_GROUPS = {"CJK": "漢字・かな", "HIRAGANA": "漢字・かな", "KATAKANA": "漢字・かな"}
"""Scripts filed together under one heading: Japanese mixes kanji (CJK) and kana in one name."""


def directory_order(name: str, sort_as: str | None = None) -> tuple[str, str]:
    """Where a name is filed A–Z: (group heading, sort key). A name in Latin script by itself, else by its
    Latin-script reading (``sort_as``), else under its own script, after Z, in the name's own order.

    >>> directory_order("Aioi Sound Lab"), directory_order("相生サウンドラボ", "Aioi Sound Lab")
    (('A', 'aioi-sound-lab'), ('A', 'aioi-sound-lab'))
    >>> directory_order("劇団かきつばた"), directory_order("4 Hands")
    (('漢字・かな', '~漢字・かな 劇団かきつばた'), ('#', '4-hands'))
    """
    if script_of(name) not in LATIN_SCRIPTS and sort_as and script_of(sort_as) in LATIN_SCRIPTS:
        name = sort_as
    script = script_of(name)
    if script in LATIN_SCRIPTS or not script:
        key = make_slug(name)
        first = key[:1].upper()
        return (first if first.isalpha() else "#"), key
    group = SCRIPT_GROUPS.get(script, script.title())
    return group, f"~{group} {normalise(name).casefold()}"


def initial(entry: ShownItem) -> str:
    """The A–Z letter (or script) an entry is filed under: its group, else its sort key's first character.

    >>> initial(ShownItem(item=None, sort_key="zofia-nowak zofia")), initial(ShownItem(item=None, sort_key="4-hands x"))
    ('Z', '#')
    """
    if entry.group:
        return entry.group
    first = entry.sort_key[:1].upper()
    return first if first.isalpha() else "#"


def group_anchor(group: str) -> str:
    """The fragment id of a group's heading: its letter, num for digits, else the script's slug.

    >>> group_anchor("A"), group_anchor("#"), group_anchor("漢字・かな")
    ('letter-a', 'letter-num', 'letter-script-han-zi-kana')
    """
    if group == "#":
        return "letter-num"
    if len(group) == 1 and group.isascii():
        return f"letter-{group.lower()}"
    return f"letter-script-{make_slug(group)}"


def letter_index(entries: list[ShownItem], base_url: str, per_page: int) -> list[dict]:
    """For an A–Z listing: each letter present and the URL of the page where it starts."""
    letters: dict[str, str] = {}
    for index, entry in enumerate(entries):
        letter = initial(entry)
        if letter not in letters:
            letters[letter] = urls.listing_page(base_url, index // per_page + 1)
    return [{"letter": letter, "url": url, "anchor": group_anchor(letter)} for letter, url in letters.items()]


def _timezone_of(entry: ShownItem, explicit: str | None) -> str:
    """An explicit timezone, else the first city's."""
    if explicit:
        return explicit
    return entry.cities[0].meta.timezone if entry.cities else "Europe/Berlin"


def build_listings(
    site: Site,
    now_setting: str | None = None,
    sample_anchor: str | None = None,
    rendered: dict[str, str] | None = None,
) -> Listings:
    """Turn a validated site into entries and listings; linear in the amount of content.

    ``rendered`` maps an item's digest to its body's HTML from an earlier build: bodies found
    there are not rendered again, and it gains every body rendered now.
    """
    now = build_time(now_setting)
    shift = date_shift(sample_anchor, now)
    listings = Listings(now=now, disciplines=list(site.disciplines.values()))
    entries = listings.entries
    rendered = {} if rendered is None else rendered
    for item in site.items():
        html = rendered.get(item.digest) if item.digest else None
        if html is None:
            html = render_markdown(item.body) if item.body.strip() else ""
            if item.digest:
                rendered[item.digest] = html
        entries[(item.type, item.slug)] = ShownItem(item=item, html=html)
    by_source = {entry.item.source: entry for entry in entries.values() if entry.item.source}
    for entry in entries.values():
        for target in internal_targets(entry.html):
            entry.linked[target] = by_source[normalised(entry.item.source.parent / target)]
    for entry in entries.values():
        if entry.item.translation_of:
            entry.original = entries[(entry.type, entry.item.translation_of)]
            entry.original.translations.append(entry)
    for entry in entries.values():
        _resolve(entry, site, entries, now, shift)
    for entry in entries.values():
        if entry.original is None:
            listings.by_type[entry.type].append(entry)
            for city in entry.cities:
                listings.by_city[city.slug][entry.type].append(entry)
            for discipline in entry.disciplines:
                listings.by_discipline[discipline.slug][entry.type].append(entry)
    for group in (listings.by_type, *listings.by_city.values(), *listings.by_discipline.values()):
        for entries_of_type in group.values():
            entries_of_type.sort(key=lambda e: e.sort_key)
    for entry in entries.values():
        entry.translations.sort(key=lambda t: t.lang)
    return listings


PUBLISHED = {
    "profile": lambda facts: facts.consent.date,
    "call": lambda facts: facts.published,
    "news": lambda facts: facts.date,
}
"""The day each type of item counts as published: what feeds order by."""


def _resolve(entry: ShownItem, site: Site, entries: dict, now: dt.datetime, shift: dt.timedelta) -> None:
    """Resolve an entry's references and compute its dates and sort key."""
    facts = entry.facts
    entry.shift = shift
    if entry.type in PUBLISHED:
        entry.published = entry.moved(PUBLISHED[entry.type](facts))
        changes = (facts.updated, getattr(entry.meta, "updated", None))
        entry.updated = max([entry.published, *(entry.moved(day) for day in changes if day)])
    entry.cities = [entries[("city", slug)] for slug in getattr(facts, "cities", [])]
    entry.disciplines = [site.disciplines[slug] for slug in getattr(facts, "disciplines", [])]
    entry.profiles = [entries[("profile", slug)] for slug in getattr(facts, "profiles", [])]
    if entry.type == "call":
        if facts.organiser.profile:
            entry.organiser = entries[("profile", facts.organiser.profile)]
        timezone = _timezone_of(entry, facts.timezone)
        entry.deadline = localise(facts.deadline + shift, timezone)
        entry.opens = opening(entry.moved(facts.opens), timezone)
        entry.status = call_status(entry.deadline, now, entry.opens)
        entry.sort_key = f"{entry.deadline.astimezone(dt.UTC).isoformat()} {entry.slug}"
    elif entry.type == "news":
        entry.date = facts.date + shift
        if facts.event:
            timezone = _timezone_of(entry, facts.event.timezone)
            entry.event_start = localise(facts.event.start + shift, timezone)
            entry.event_end = localise(facts.event.end + shift, timezone) if facts.event.end else None
        # Newest first: invert the date's ordinal so an ascending sort does it.
        entry.sort_key = f"{10**7 - entry.date.toordinal():08d} {entry.slug}"
    elif entry.type == "profile":
        entry.group, key = directory_order(entry.title, facts.sort_as)
        entry.sort_key = f"{key} {entry.slug}"
    elif entry.type in ("page", "city", "network"):
        entry.sort_key = f"{make_slug(entry.title)} {entry.slug}"


def people_filter_data(profiles: Iterable[ShownItem], ui: str, fallback: Sequence[str] = ()) -> dict:
    """What the people directory's script filters by in UI language ``ui`` (:func:`cucon.urls.people_filters`):
    one row per profile, in the directory's order, with what a result card shows.

    ``profiles``: rows ``[slug, name, lang, kind, cities, disciplines]``: the file name and name of
    the version this UI language shows, its language where it is not ``ui`` (else ""), and indices
    into ``kinds``, ``cities`` and ``disciplines``, which list the slugs once each, so a row stays
    short however many profiles there are. Labels are not here: the page's form has them.
    """
    kinds: dict[str, int] = {}
    cities: dict[str, int] = {}
    disciplines: dict[str, int] = {}
    rows = []
    for profile in profiles:
        shown = profile.in_language(ui, fallback)
        rows.append(
            [
                shown.slug,
                shown.title,
                shown.lang if shown.lang and shown.lang != ui else "",
                kinds.setdefault(profile.facts.kind, len(kinds)),
                [cities.setdefault(c.slug, len(cities)) for c in shown.cities],
                [disciplines.setdefault(d.slug, len(disciplines)) for d in shown.disciplines],
            ]
        )
    return {"kinds": list(kinds), "cities": list(cities), "disciplines": list(disciplines), "profiles": rows}
