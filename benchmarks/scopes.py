"""The search indexer measured alone, and the written site indexed a second way: one bundle per city.

The indexer: the clean build's output indexed again as ``cucon.site.search_index`` indexes it, one
Pagefind run per UI language (the same binary, globs and flags) into a scratch folder, each run a
child measured for wall time and peak resident memory; the largest peak is issue 20's "search
indexer peak".

Per-city bundles (``--city-bundles``): issue 20 asks to measure a bundle per city as the default
scope of the search against the one bundle of the site. The pages of the default UI language that a
city's filter names (its people, calls, news and events, and the city itself) are hard-linked into a
scratch folder per city and indexed there, one Pagefind run per city; the site's output is not
touched. Then, in Chromium on Pagefind's JS API (the page cannot load a city's bundle), the same
queries ask three scopes of the largest city: the one bundle without a filter, the one bundle with
the city's filter (the same scope from one bundle), and the city's own bundle. For each: the index
data a cold first query fetches and the median of the warm queries.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import statistics
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from benchmarks import REPO
from benchmarks.runners import run_child
from benchmarks.search import (
    API_JS,
    FIRST_QUERY,
    FIRST_RESULTS,
    SEARCH_BUNDLE,
    NetworkLog,
    _cold_context,
    chromium,
    query_words,
    request_kind,
)
from cucon.site.search_index import entry_globs
from cucon.text import make_slug

logger = logging.getLogger(__name__)

SCRATCH = "search-scratch"
"""The benchmark's folder (in its site folder, beside output/) for the indexes it makes itself."""


def pagefind_command(site: Path, bundle: Path, glob: str) -> list[str]:
    """The Pagefind run of cucon.site.search_index.build_index: ``site``'s pages matching ``glob`` into ``bundle``."""
    from pagefind.service import get_executable

    executable = get_executable()
    if executable is None:
        raise RuntimeError("the Pagefind binary is missing; install pagefind-bin-extended")
    return [
        str(executable),
        "--site",
        str(site.resolve()),
        "--output-path",
        str(bundle.resolve()),
        "--glob",
        glob,
    ]


def _index(site: Path, bundle: Path, glob: str, cwd: Path, log_path: Path, what: str):
    """Run Pagefind over ``site``'s pages matching ``glob`` into ``bundle``, as the build does (no
    ``PAGEFIND_*`` variable); the finished run (seconds, peak MiB); RuntimeError naming ``what`` if it failed."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PAGEFIND_")}
    run = run_child(pagefind_command(site, bundle, glob), cwd=cwd, env=env, log_path=log_path)
    if run.returncode != 0:
        raise RuntimeError(f"Pagefind failed on {what} (exit {run.returncode}): {run.output[-2000:]}")
    return run


@dataclass
class IndexerFigures:
    """Each UI language's Pagefind run: wall seconds and peak MiB."""

    seconds: dict[str, float]
    peaks: dict[str, float]

    @property
    def peak(self) -> tuple[str, float]:
        """The language whose run had the largest peak, and that peak."""
        lang = max(self.peaks, key=self.peaks.__getitem__)
        return lang, self.peaks[lang]

    def where(self) -> str:
        """Which run the peak is, for the report.

        >>> IndexerFigures({"de": 2.0, "ja": 3.0}, {"de": 120.0, "ja": 410.0}).where()
        'ja, largest of 2 language runs'
        """
        return f"{self.peak[0]}, largest of {len(self.peaks)} language runs"


def measure_indexer(output: Path, languages: tuple[str, ...], scratch: Path) -> IndexerFigures:
    """Index ``output`` again as the build does, one Pagefind run per UI language into ``scratch``, each measured."""
    shutil.rmtree(scratch, ignore_errors=True)
    work = scratch / "cwd"
    work.mkdir(parents=True)  # an empty working folder: no pagefind.json reaches the run
    globs = entry_globs(languages, languages[0])
    seconds, peaks = {}, {}
    for lang, glob in globs.items():
        run = _index(
            output,
            scratch / f"bundle-{lang}",
            glob,
            work,
            scratch / f"pagefind-{lang}.log",
            f"the {lang} pages",
        )
        seconds[lang], peaks[lang] = run.seconds, run.peak_mib
        logger.info("search indexer %s: %.1f s, peak %.0f MiB", lang, run.seconds, run.peak_mib)
    return IndexerFigures(seconds, peaks)


FILTER_SPAN = re.compile(
    r'data-pagefind-filter="(?P<name>[^"\[]+)\[data-value\]" data-value="(?P<value>[^"]*)"'
)
"""A filter value of a page (theme/templates/_macros.html, ``search_data``)."""


def city_filter_name(lang: str) -> str:
    """The name of the City filter in a UI language, as the theme's catalog translates it.

    >>> city_filter_name("de"), city_filter_name("en")
    ('Stadt', 'City')
    """
    catalog = REPO / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    if not catalog.is_file():
        return "City"
    with catalog.open("rb") as po:
        message = read_po(po).get("City")
    return message.string if message and message.string else "City"


def pages_by_city(output: Path, lang: str, languages: tuple[str, ...]) -> dict[str, list[str]]:
    """The indexed pages of UI language ``lang`` by the cities their City filter names: paths below ``output``."""
    name = city_filter_name(lang)
    glob = entry_globs(languages, languages[0])[lang]
    patterns = glob.strip("{}").split(",")
    cities: dict[str, list[str]] = {}
    for pattern in patterns:
        for page in sorted(output.glob(pattern)):
            html = page.read_text("utf-8", errors="replace")
            if "data-pagefind-body" not in html:
                continue
            for match in FILTER_SPAN.finditer(html):
                if match.group("name") == name:
                    cities.setdefault(match.group("value"), []).append(page.relative_to(output).as_posix())
    return cities


@dataclass
class ScopeFigures:
    """One scope's first query (index data bytes, cold) and warm queries (median ms) on Pagefind's JS API."""

    scope: str
    bundle: str
    first_kb: float
    first_results: int
    median_ms: float
    results: list[int]


@dataclass
class CityBundles:
    """The per-city experiment: what indexing every city cost, and the three scopes measured."""

    lang: str
    cities: int
    city: str
    city_pages: int
    pages: int
    """Pages of the one bundle in ``lang``."""
    seconds: float
    """Wall seconds of all the cities' Pagefind runs."""
    one_seconds: float
    """Wall seconds of the one bundle's Pagefind run in ``lang``."""
    city_bytes: int
    """Bytes of all the cities' bundles' index data."""
    one_bytes: int
    scopes: list[ScopeFigures]


INDEX_SUFFIXES = (".pf_meta", ".pf_index", ".pf_filter", ".pf_fragment")


def _index_bytes(bundle: Path, lang: str) -> int:
    """Bytes of a bundle's index files (meta, word chunks, filters, fragments) in UI language ``lang``."""
    names = (f"{lang}_", f"pagefind.{lang}_")
    return sum(
        p.stat().st_size
        for p in bundle.rglob("*")
        if p.name.endswith(INDEX_SUFFIXES) and p.name.startswith(names)
    )


def build_city_bundles(
    output: Path, languages: tuple[str, ...], scratch: Path, one_seconds: float
) -> CityBundles:
    """Index the default UI language's pages once per city into ``scratch``; the cost, before any query."""
    lang = languages[0]
    shutil.rmtree(scratch, ignore_errors=True)
    www = scratch / "www"
    www.mkdir(parents=True)
    cities = pages_by_city(output, lang, languages)
    seconds = 0.0
    for city, pages in sorted(cities.items()):
        slug = make_slug(city) or "city"
        site = scratch / "sites" / slug
        for page in pages:
            (site / page).parent.mkdir(parents=True, exist_ok=True)
            os.link(output / page, site / page)
        run = _index(
            site,
            www / f"pagefind-city-{slug}",
            "**/*.html",
            site,
            scratch / f"pagefind-{slug}.log",
            f"{city}'s pages",
        )
        seconds += run.seconds
    largest = max(sorted(cities), key=lambda city: len(cities[city]))
    bundle = output / SEARCH_BUNDLE.strip("/")
    return CityBundles(
        lang=lang,
        cities=len(cities),
        city=largest,
        city_pages=len(cities[largest]),
        pages=len(list((bundle / "fragment").glob(f"{lang}_*"))),
        seconds=seconds,
        one_seconds=one_seconds,
        city_bytes=sum(_index_bytes(city, lang) for city in www.glob("pagefind-city-*")),
        one_bytes=_index_bytes(bundle, lang),
        scopes=[],
    )


def measure_scopes(output: Path, scratch: Path, bundles: CityBundles) -> None:
    """Ask the one bundle, the one bundle with the city's filter, and the city's bundle the same queries."""
    www = scratch / "www"
    (www / "pagefind").symlink_to((output / SEARCH_BUNDLE.strip("/")).resolve(), target_is_directory=True)
    (www / "index.html").write_text(
        f'<!doctype html><html lang="{bundles.lang}"><title>scopes</title></html>', "utf-8"
    )
    filters = {city_filter_name(bundles.lang): [bundles.city]}
    city_bundle = f"/pagefind-city-{make_slug(bundles.city) or 'city'}/"
    cases = (
        ("one bundle", SEARCH_BUNDLE, None),
        (f"one bundle, filter {bundles.city}", SEARCH_BUNDLE, filters),
        (f"{bundles.city}'s bundle", city_bundle, None),
    )
    words = query_words()
    with chromium(www) as (origin, browser):
        for scope, bundle, chosen in cases:
            context = _cold_context(browser)
            log = NetworkLog(context)
            page = context.new_page()
            page.goto(origin + "/", wait_until="load")
            start = len(log.responses)
            arguments = {"bundle": bundle, "first": FIRST_RESULTS, "filters": chosen}
            first = page.evaluate(API_JS, arguments | {"word": FIRST_QUERY})
            log.settle(page)
            index_data = log.by_kind(start, request_kind).get("index data", (0, 0))[1]
            runs = [page.evaluate(API_JS, arguments | {"word": word}) for word in words]
            bundles.scopes.append(
                ScopeFigures(
                    scope,
                    bundle,
                    index_data / 1000,
                    first["results"],
                    statistics.median(run["ms"] for run in runs),
                    [run["results"] for run in runs],
                )
            )
            context.close()


def city_bundles_report(bundles: CityBundles) -> list[str]:
    """The lines of the report about the per-city experiment."""
    lines = [
        f"per-city bundles ({bundles.lang} pages only; Pagefind's JS API in Chromium, a cold first query for "
        f"{FIRST_QUERY!r} then {len(query_words())} warm queries, the data of the first {FIRST_RESULTS} results each):",
        f"  indexing      {bundles.cities} city bundles in {bundles.seconds:.1f} s, index data "
        f"{bundles.city_bytes / 1e6:.1f} MB; the one bundle's {bundles.lang} run {bundles.one_seconds:.1f} s, "
        f"{bundles.one_bytes / 1e6:.1f} MB ({bundles.pages:,} pages)",
        f"  largest city  {bundles.city}: {bundles.city_pages:,} pages",
        f"  {'scope':<40}  {'first query kB':>14}  {'results':>7}  {'median ms':>9}",
    ]
    for scope in bundles.scopes:
        lines.append(
            f"  {scope.scope:<40}  {scope.first_kb:14.1f}  {scope.first_results:7,}  {scope.median_ms:9.1f}"
        )
    return lines
