"""The outputs of a build as data: each page (which template writes which file with which values) and
each other file (its name, what it shows, and how its bytes are made)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field

from cucon import schema, urls
from cucon.matching import Matches
from cucon.views import Listings, ShownItem, letter_index


@dataclass(frozen=True)
class PageOutput:
    """One page (or one series of pages) to write: its template, its file, and what it shows."""

    template: str
    """The theme's template, without extension."""
    save_as: str
    """The file under the output folder; a series' first page."""
    values: Mapping[str, object] = field(default_factory=dict)
    """What the template gets besides the language's context."""
    series: tuple[str, Sequence[ShownItem]] | None = None
    """(name, entries) of a series split into pages (``<name>_page``, ``<name>_paginator`` …), if any."""

    @property
    def url(self) -> str:
        """The page's address under the site."""
        return urls.url_of(self.save_as)

    @property
    def findable(self) -> bool:
        """Whether the page belongs in the sitemap: neither the 404 page nor a removed profile's page."""
        return self.template not in ("404", "removed")


@dataclass(frozen=True)
class FileOutput:
    """Files made together (a feed; a digest's HTML and text), planned as one unit of the incremental build."""

    name: str
    """The unit's name in the incremental state: the file's path, or the common stem of its files."""
    values: object
    """What the files show besides what their templates read (part of the unit's key)."""
    render: Callable[[], Mapping[str, bytes]]
    """Makes the files: their bytes by path under the output folder."""


def page_outputs(
    listings: Listings,
    removed: Sequence[schema.Tombstone],
    ui: str,
    default: str,
    per_page: int,
    matches: Matches,
) -> Iterator[PageOutput]:
    """Every page of one UI language, in the order they are written."""
    prefix = urls.lang_prefix(ui, default)
    yield PageOutput("home", urls.save_as(urls.home(prefix)))
    for entry in listings.entries.values():
        yield PageOutput(
            entry.type, urls.save_as(entry.url(ui, default)), {"entry": entry, **matches.of(entry)}
        )
    for discipline in listings.disciplines:
        found = listings.by_discipline[discipline.slug]
        values = {"discipline": discipline, "found": found}
        yield PageOutput("discipline", urls.save_as(urls.discipline(discipline.slug, prefix)), values)
    profiles = listings.of("profile")
    first = urls.listing("profiles", prefix)
    letters = {"letters": letter_index(profiles, first, per_page)}
    yield PageOutput("profiles", urls.save_as(first), letters, ("entries", profiles))
    for facet, value, entries in listings.profile_facets():
        save_as = urls.save_as(urls.directory(facet, value, prefix))
        yield PageOutput("directory", save_as, {"facet": facet, "facet_value": value}, ("entries", entries))
    yield PageOutput("calls", urls.save_as(urls.listing("calls", prefix)))
    for city in listings.of("city"):
        save_as = urls.save_as(urls.calls_open_to(city.slug, prefix))
        calls = listings.calls_open_to[city.slug]
        yield PageOutput(
            "calls_filter", save_as, {"facet": "open-to", "facet_value": city.slug}, ("entries", calls)
        )
    for kind, calls in listings.calls_by_kind.items():
        save_as = urls.save_as(urls.calls_of_kind(kind, prefix))
        yield PageOutput("calls_filter", save_as, {"facet": "kind", "facet_value": kind}, ("entries", calls))
    yield PageOutput(
        "news_index", urls.save_as(urls.listing("news", prefix)), {}, ("entries", listings.of("news"))
    )
    for template in ("cities", "disciplines", "subscribe", "search"):
        yield PageOutput(template, urls.save_as(urls.listing(template, prefix)))
    # A removed profile's old address says it was removed (content/removed.yaml; cucon remove).
    for tombstone in removed:
        yield PageOutput("removed", urls.save_as(urls.entry(tombstone.type, tombstone.slug, prefix)))
    if ui == default:
        yield PageOutput("404", urls.NOT_FOUND)
