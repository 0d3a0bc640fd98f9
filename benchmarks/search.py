"""The search stage: the index's share of the build, and a query's transfer and latency in Chromium."""

from __future__ import annotations

import gzip
import random
import re
import statistics
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from benchmarks.network import GROUP_WORDS, LAST_NAMES, REAL_CITIES, SEED, SENTENCES, SUMMARIES
from benchmarks.report import parse_stages, verdict
from benchmarks.runners import ChildRun
from tests.support import CHROMIUM_ARGS, chromium_executable, search_answers, serve

INDEX_SHARE_TARGET = 15.0
"""Percent of the clean build's wall time that indexing may take at most."""

TRANSFER_TARGET_KB = 300.0
"""kB (1,000 bytes) of index data (meta, index chunks, filters, fragments) a first query may transfer at most."""

INDEX_DATA_KINDS = frozenset({"meta", "index", "filter", "fragment"})
"""The bundle files that hold the index (the issue's "index chunks and fragments together"): not
Pagefind's code (scripts, wasm), which is the same for every site and cached after the first visit."""

LATENCY_TARGET_MS = 300.0
"""Milliseconds from a search to the data of its first results, median of the queries, at most."""

SEARCH_BUNDLE = "/pagefind/"
"""Where cucon.site.search_index writes the Pagefind bundle (CUCON_SEARCH_BUNDLE, SITEURL empty)."""

SEARCH_PAGE = "/"
"""The page the queries run on: any page of the site; its ``<html lang>`` picks Pagefind's index."""

FIRST_QUERY = "workshops"
"""The common word of the first query: every profile's summary has it, in German and English alike."""

FIRST_RESULTS = 5
"""Results whose data each query loads: the first page of results in Pagefind's UI."""

QUERY_COUNT = 20
"""Queries timed in the warm browser context, each a different word."""


VERIFY_QUERIES = ("benchmark", "広島", "Hiroshima", FIRST_QUERY)
"""What ``--verify`` asks both bundles, besides every page and filter count: the edited profile's new
word (benchmarks.network.edit_one_profile), a Japanese word (the Hiroshima city's local name), a city's
name and the word every profile has."""


def search_differences(rebuild: Path, clean: Path) -> list[str]:
    """How the rebuild's search answers differ from the clean build's (``search LANG what: …``); empty: the same.

    Both bundles are asked VERIFY_QUERIES (tests.support.search_answers): the same pages must be found,
    in the same order, and the filters must count the same.
    """
    found, expected = search_answers(rebuild, VERIFY_QUERIES), search_answers(clean, VERIFY_QUERIES)
    differences = []
    for what in sorted(found.keys() | expected.keys()):
        mine, theirs = found.get(what, []), expected.get(what, [])
        if mine == theirs:
            continue
        if sorted(mine) == sorted(theirs):
            differences.append(f"search {what}: the same {len(mine):,} answers in another order")
            continue
        extra, missing = sorted(set(mine) - set(theirs)), sorted(set(theirs) - set(mine))
        differences.append(
            f"search {what}: {len(extra):,} extra in the rebuild ({', '.join(extra[:3])}), "
            f"{len(missing):,} missing ({', '.join(missing[:3])})"
        )
    return differences


SEARCH_JS = """async ({bundle, word, first}) => {
    const started = performance.now();
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.init();
    const searching = performance.now();
    const search = await pagefind.search(word);
    const data = await Promise.all(search.results.slice(0, first).map((result) => result.data()));
    const done = performance.now();
    return {ms: done - searching, total_ms: done - started, results: search.results.length, loaded: data.length};
}"""
"""One query as the search UI runs it, without its debounce: search, then the data of the first results."""

INDEX_LINE = re.compile(r"cucon search: (?P<pages>\d+) pages indexed")
"""cucon.site.search_index's count of the pages it indexed."""


def query_words(count: int = QUERY_COUNT) -> list[str]:
    """Distinct words of the generated texts, 4 to 10 letters, picked with the seed; never the first query's.

    >>> words = query_words()
    >>> len(words), len(set(words)), all(4 <= len(w) <= 10 for w in words), FIRST_QUERY in words
    (20, 20, True, False)
    >>> query_words() == words
    True
    """
    texts = [*SENTENCES["de"], *SENTENCES["en"], *SUMMARIES.values(), *GROUP_WORDS, *LAST_NAMES]
    text = re.sub(r"\{\w+\}", " ", " ".join(texts + [city[1] for city in REAL_CITIES]))
    vocabulary = {word.lower() for word in re.findall(r"[^\W\d_]+", text) if 4 <= len(word) <= 10}
    return random.Random(SEED).sample(sorted(vocabulary - {FIRST_QUERY}), count)


def bundle_file_kind(path: str) -> str:
    """What a file of the Pagefind bundle is, by its URL path.

    >>> [bundle_file_kind(p) for p in ("/pagefind/pagefind.js", "/pagefind/wasm.de.pagefind",
    ...  "/pagefind/pagefind.de_7a8c.pf_meta", "/pagefind/index/de_1.pf_index", "/pagefind/fragment/de_2.pf_fragment")]
    ['script', 'wasm', 'meta', 'index', 'fragment']
    """
    name = path.rsplit("/", 1)[-1]
    for kind, test in (
        ("script", name.endswith(".js")),
        ("entry", name.endswith(".json")),
        ("wasm", name.endswith(".pagefind")),
        ("meta", name.endswith(".pf_meta")),
        ("index", "/index/" in path),
        ("fragment", "/fragment/" in path),
        ("filter", "/filter/" in path),
    ):
        if test:
            return kind
    return "other"


class SearchSkipped(Exception):
    """The browser part cannot run here: no Playwright or no Chromium."""


@dataclass
class SearchFigures:
    """What Chromium measured of the search: a cold first query's transfer, then warm queries' latency."""

    browser: str
    transfer: int
    """Bytes of the responses under the bundle: Playwright's responseHeadersSize + responseBodySize."""
    by_kind: dict[str, tuple[int, int]]
    """Files and bytes by kind of bundle file (bundle_file_kind)."""
    compressed: int
    """``transfer`` with the bundle's scripts and JSON gzipped, as a host would (its other files already are)."""
    first_ms: float
    """The first query from importing pagefind.js to the data of its first results, cold."""
    first_results: int
    words: list[str]
    latencies: list[float]
    results: list[int]

    @property
    def index_data(self) -> int:
        """Bytes of the index files among the transfer: what grows with the network."""
        return sum(size for kind, (_, size) in self.by_kind.items() if kind in INDEX_DATA_KINDS)

    @property
    def median_ms(self) -> float:
        """The median latency of the warm queries."""
        return statistics.median(self.latencies)


def _gzipped_size(output: Path, path: str, body: int) -> int:
    """A bundle file's body size as a host that compresses scripts and JSON would send it."""
    if not path.endswith((".js", ".json")):
        return body
    file = output / path.lstrip("/")
    return len(gzip.compress(file.read_bytes(), 6)) if file.is_file() else body


def _await_fragments(page, responses: list, before: int, expected: int, timeout_ms: int = 10_000) -> None:
    """Pump Playwright's events until the first query's fragment responses have all arrived.

    Playwright emits "response" once it has paired Chromium's response with its extra-info event,
    which may come after the page's fetch has resolved: without this wait the last fragment can be
    missing from the count (seen in CI as 4 fragments of 5).
    """
    waited = 0
    while waited < timeout_ms:
        kinds = [bundle_file_kind(urlsplit(response.url).path) for response in responses[before:]]
        if kinds.count("fragment") >= expected:
            return
        page.wait_for_timeout(20)
        waited += 20


def measure_search(output: Path) -> SearchFigures:
    """Serve a built site and query its search index in headless Chromium; SearchSkipped without a browser."""
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise SearchSkipped("no Playwright: pip install -e '.[test]'") from exc
    executable = chromium_executable()
    if not Path(executable).is_file():
        raise SearchSkipped(f"no Chromium at {executable}: apt-get install chromium, or set CUCON_CHROMIUM")
    with serve(output) as origin, sync_playwright() as playwright:
        try:
            browser = playwright.chromium.launch(
                executable_path=executable, args=CHROMIUM_ARGS, headless=True
            )
        except PlaywrightError as exc:
            raise SearchSkipped(
                f"Chromium at {executable} did not start: {exc.message.splitlines()[0]}"
            ) from exc
        try:
            # A fresh context: an empty cache, so the first query fetches everything it needs.
            context = browser.new_context(service_workers="block")
            context.set_default_timeout(60_000)
            responses = []
            context.on(
                "response",
                lambda response: (
                    responses.append(response)
                    if urlsplit(response.url).path.startswith(SEARCH_BUNDLE)
                    else None
                ),
            )
            page = context.new_page()
            page.goto(origin + SEARCH_PAGE, wait_until="load")
            before = len(responses)
            arguments = {"bundle": SEARCH_BUNDLE, "first": FIRST_RESULTS}
            first = page.evaluate(SEARCH_JS, arguments | {"word": FIRST_QUERY})
            _await_fragments(page, responses, before, min(FIRST_RESULTS, first["results"]))
            counted = responses[before:]
            by_kind: dict[str, tuple[int, int]] = {}
            transfer = compressed = 0
            for response in counted:
                response.finished()
                sizes = response.request.sizes()
                # Chromium reports a body size of 0 for a worker's script (pagefind-worker.js): take
                # Content-Length there, which is the body's size as this server does not compress.
                headers = sizes["responseHeadersSize"]
                body = sizes["responseBodySize"] or int(response.headers.get("content-length", 0))
                path = urlsplit(response.url).path
                kind = bundle_file_kind(path)
                files, size = by_kind.get(kind, (0, 0))
                by_kind[kind] = (files + 1, size + headers + body)
                transfer += headers + body
                compressed += headers + _gzipped_size(output, path, body)
            words = query_words()
            runs = [page.evaluate(SEARCH_JS, arguments | {"word": word}) for word in words]
            figures = SearchFigures(
                browser=f"Chromium {browser.version}",
                transfer=transfer,
                by_kind=by_kind,
                compressed=compressed,
                first_ms=first["total_ms"],
                first_results=first["results"],
                words=words,
                latencies=[run["ms"] for run in runs],
                results=[run["results"] for run in runs],
            )
            context.close()
            return figures
        finally:
            browser.close()


def search_report(build: ChildRun, figures: SearchFigures | str) -> list[str]:
    """The lines of the report about the search: indexing share, and Chromium's figures or why there are none."""
    lines = ["search (cucon.site.search_index's Pagefind index):"]
    indexing = parse_stages(build.output).get("search-index")
    if indexing:
        share = 100 * indexing[0] / build.seconds
        lines.append(
            f"  indexing      {indexing[0]:8.2f} s  = {share:.1f} % of the clean build's {build.seconds:.2f} s "
            f"(target <= {INDEX_SHARE_TARGET:g} %: {verdict(share <= INDEX_SHARE_TARGET)})"
        )
    if isinstance(figures, str):
        lines.append(f"  in Chromium   skipped: {figures}")
        return lines
    kb = figures.index_data / 1000
    kinds = ", ".join(
        f"{kind} {size / 1000:.1f} kB ({files})" for kind, (files, size) in sorted(figures.by_kind.items())
    )
    lines += [
        f"  first query   {kb:8.1f} kB  of index data (meta, index chunks, filters, fragments) for {FIRST_QUERY!r} "
        f"on {SEARCH_PAGE}, cold: Pagefind's start, the search and the data of the first {FIRST_RESULTS} of "
        f"{figures.first_results:,} results, {figures.first_ms:.0f} ms "
        f"(target <= {TRANSFER_TARGET_KB:g} kB: {verdict(kb <= TRANSFER_TARGET_KB)})",
        f"                all bundle files {figures.transfer / 1000:.1f} kB with Pagefind's code (requests): {kinds}; "
        f"{figures.compressed / 1000:.1f} kB if the host gzips scripts and JSON (this server does not compress)",
        f"  {len(figures.latencies)} queries    {figures.median_ms:8.1f} ms  median, max "
        f"{max(figures.latencies):.1f} ms, from search() to the data of the first {FIRST_RESULTS} results, warm "
        f"(target median <= {LATENCY_TARGET_MS:g} ms: {verdict(figures.median_ms <= LATENCY_TARGET_MS)}); "
        f"{sum(1 for n in figures.results if n)} of {len(figures.results)} with results",
        f"                words (results): {', '.join(f'{w} ({n:,})' for w, n in zip(figures.words, figures.results, strict=True))}; "
        f"{figures.browser} headless, "
        "served from 127.0.0.1 by Python's http.server",
    ]
    return lines
