"""The search stage: the index's share of the build, and a query's transfer and latency in Chromium."""

from __future__ import annotations

import json
import random
import re
import statistics
from collections.abc import Iterator
from contextlib import contextmanager
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


def request_kind(path: str) -> str:
    """What a request of the search page fetched, by its URL path: index data, search code, picture or page.

    Index data is every file of a bundle (a top folder whose name starts with ``pagefind``: the main
    bundle, a delta beside it) but Pagefind's code: its meta, word chunks, filters, fragments and
    JSON (the entry file, a delta's manifest and tombstones). It is what grows with the network.

    >>> [request_kind(p) for p in ("/pagefind/pagefind.de_7a8c.pf_meta", "/pagefind-delta/pagefind-entry.json",
    ...  "/pagefind/fragment/de_2.pf_fragment", "/pagefind/pagefind.js", "/pagefind/wasm.de.pagefind",
    ...  "/pagefind/pagefind-component-ui.css", "/media/profiles/a-320.jpg", "/search/", "/theme/js/search.js")]
    ['index data', 'index data', 'index data', 'search code', 'search code', 'search code', 'picture', 'page', 'page']
    """
    top = path.lstrip("/").split("/", 1)[0]
    if top.startswith("pagefind"):
        kind = bundle_file_kind(path)
        return "index data" if kind in INDEX_DATA_KINDS or kind == "entry" else "search code"
    if path.lower().endswith((".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg")):
        return "picture"
    return "page"


class SearchSkipped(Exception):
    """The browser part cannot run here: no Playwright or no Chromium."""


RESULTS = ".search-results"
"""The search page's results: the section of the result list and the summary above it ("12 results",
"no results for …"), which changes with every search even when the list stays empty. A query's
results are shown once this section has changed and then stayed still for QUIET_MS."""

SUMMARY = ".search-summary"
"""The line above the results that says what a search found, with the words searched for ("12 results for
workshops"): the page clears it when a search starts, so the results of a query are shown only once it
names the query's word (a change of the section alone may be the clearing)."""

RESULT_ITEMS = ".search-result-list > li"
"""The results shown, counted in the report."""

FIELD = "main input[type=search]"
"""The search page's field, where a query is typed."""

SEARCH_PATH = "/search/"
"""The search page of the default UI language; a cold visit of ``/search/?q=FIRST_QUERY`` is the first query."""

QUIET_MS = 600
"""Milliseconds without a change to the result list after which the results of a query count as shown."""

QUERY_TIMEOUT_MS = 15_000
"""How long one typed query may take to show its results before it counts as not shown."""

WATCH_JS = """(() => {
  const state = {typed: 0, changes: 0, last: 0};
  Object.defineProperty(window, "__cuconBench", {value: state});
  document.addEventListener("input", () => { state.typed = performance.now(); }, true);
  document.addEventListener("submit", () => { state.typed = performance.now(); }, true);
  new MutationObserver((records) => {
    if (records.some((r) => r.target.nodeType === 1 && r.target.closest(%s))) {
      state.changes += 1;
      state.last = performance.now();
    }
  }).observe(document, {childList: true, subtree: true});
})();"""
"""Injected before the page's own scripts: when the field was typed into or its search submitted, and when the results last changed
(milliseconds of the page's clock, which starts with the navigation)."""

SHOWN_JS = """([before, quiet, word, summary]) => {
  const state = window.__cuconBench;
  const said = document.querySelector(summary);
  return Boolean(said && said.textContent.includes(word)) && state.changes > before
    && performance.now() - state.last >= quiet;
}"""
"""True once the results have changed since ``before`` changes, the summary names ``word``, and the results
stayed still for ``quiet`` ms."""

API_JS = """async ({bundle, word, first, filters}) => {
    const started = performance.now();
    const pagefind = await import(bundle + "pagefind.js");
    await pagefind.init();
    const searching = performance.now();
    const search = await pagefind.search(word, filters ? {filters} : {});
    const data = await Promise.all(search.results.slice(0, first).map((result) => result.data()));
    const done = performance.now();
    return {ms: done - searching, total_ms: done - started, results: search.results.length, loaded: data.length};
}"""
"""One query on Pagefind's JS API alone, without a page: search, then the data of the first results."""


class NetworkLog:
    """Every request of a browser context, and whether it is still under way."""

    def __init__(self, context) -> None:
        self.responses: list = []
        self.pending = 0
        context.on("request", self._started)
        context.on("requestfinished", self._ended)
        context.on("requestfailed", self._ended)
        context.on("response", self._answered)

    def _answered(self, response) -> None:
        self.responses.append(response)

    def _started(self, _request) -> None:
        self.pending += 1

    def _ended(self, _request) -> None:
        self.pending -= 1

    def settle(self, page, timeout_ms: int = 10_000) -> None:
        """Pump Playwright's events until no request is under way (its events may lag behind the page)."""
        waited = 0
        while self.pending > 0 and waited < timeout_ms:
            page.wait_for_timeout(20)
            waited += 20

    def by_kind(self, start: int = 0, kind_of=request_kind) -> dict[str, tuple[int, int]]:
        """Requests and bytes (headers + body) by kind of the responses from the ``start``-th on."""
        found: dict[str, tuple[int, int]] = {}
        for response in self.responses[start:]:
            response.finished()
            sizes = response.request.sizes()
            # Chromium reports a body size of 0 for a worker's script (pagefind-worker.js): take
            # Content-Length there, which is the body's size as this server does not compress.
            body = sizes["responseBodySize"] or int(response.headers.get("content-length", 0))
            kind = kind_of(urlsplit(response.url).path)
            files, size = found.get(kind, (0, 0))
            found[kind] = (files + 1, size + sizes["responseHeadersSize"] + body)
        return found


@dataclass
class SearchFigures:
    """What Chromium measured on the search page: a cold visit of ``/search/?q=…``, then typed queries."""

    browser: str
    by_kind: dict[str, tuple[int, int]]
    """Requests and bytes of the cold visit by kind (request_kind)."""
    index_files: dict[str, tuple[int, int]]
    """The index data of the cold visit by kind of bundle file (bundle_file_kind)."""
    first_ms: float
    """From the navigation to the first query's results shown."""
    first_shown: int
    """Results shown by the first query."""
    words: list[str]
    latencies: list[float | None]
    """From typing each word to its results shown; None if they did not show within QUERY_TIMEOUT_MS."""
    shown: list[int]
    api_ms: list[float]
    """The same words again on Pagefind's JS API alone (search, then the first results' data), their chunks
    already loaded by the typed queries: the engine's part, without the page's pause after typing."""

    @property
    def index_data(self) -> int:
        """Bytes of index data the first query fetched: what grows with the network."""
        return self.by_kind.get("index data", (0, 0))[1]

    @property
    def median_ms(self) -> float | None:
        """The median latency of the typed queries (one not shown counts as the timeout)."""
        if not self.latencies:
            return None
        return statistics.median(QUERY_TIMEOUT_MS if ms is None else ms for ms in self.latencies)


@contextmanager
def chromium(output: Path) -> Iterator[tuple[str, object]]:
    """Serve ``output`` on 127.0.0.1 and start headless Chromium: the origin and the browser; SearchSkipped without one."""
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
            yield origin, browser
        finally:
            browser.close()


def _cold_context(browser):
    """A fresh browser context: an empty cache, no service workers, a minute's timeout."""
    context = browser.new_context(service_workers="block")
    context.set_default_timeout(60_000)
    return context


def _wait_shown(page, before: int, word: str, timeout_ms: int) -> bool:
    """Wait until the results of ``word`` are shown (:data:`SHOWN_JS`); False on timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(
            SHOWN_JS, arg=[before, QUIET_MS, word, SUMMARY], timeout=timeout_ms, polling=50
        )
    except PlaywrightTimeout:
        return False
    return True


def measure_search(output: Path) -> SearchFigures:
    """Visit the search page of a built site in headless Chromium as a visitor does; SearchSkipped without a browser.

    Cold: a fresh context opens ``/search/?q=FIRST_QUERY``; every request the visit makes is logged, and
    the time from the navigation to the results shown. Warm: each of QUERY_COUNT words is typed into the
    field (one input event, as a paste) and submitted with Enter, timed from the submit to its results shown. Whatever engine the
    page runs (Pagefind's UI, its JS API, a delta merged in), what counts is the page's requests and its
    results (RESULTS). Then the same words on Pagefind's JS API alone, for the engine's share.
    """
    with chromium(output) as (origin, browser):
        context = _cold_context(browser)
        context.add_init_script(WATCH_JS % json.dumps(RESULTS))
        log = NetworkLog(context)
        page = context.new_page()
        page.goto(f"{origin}{SEARCH_PATH}?q={FIRST_QUERY}", wait_until="commit")
        if not _wait_shown(page, 0, FIRST_QUERY, 60_000):
            raise RuntimeError(
                f"the first query's results were not shown on {SEARCH_PATH}?q={FIRST_QUERY} within 60 s: "
                f"the page's results {RESULTS!r} did not change with a summary {SUMMARY!r} naming the word (see RESULTS, SUMMARY and FIELD)"
            )
        log.settle(page)
        first_ms = page.evaluate("window.__cuconBench.last")
        first_shown = page.locator(RESULT_ITEMS).count()
        by_kind = log.by_kind()
        index_files = log.by_kind(kind_of=bundle_file_kind)
        index_files = {k: v for k, v in index_files.items() if k in INDEX_DATA_KINDS | {"entry"}}
        words, latencies, shown = query_words(), [], []
        for word in words:
            before = page.evaluate("window.__cuconBench.changes")
            page.fill(FIELD, word)
            page.press(FIELD, "Enter")  # the search starts now, not after the field's pause for typing
            if _wait_shown(page, before, word, QUERY_TIMEOUT_MS):
                latencies.append(page.evaluate("window.__cuconBench.last - window.__cuconBench.typed"))
            else:
                latencies.append(None)
            shown.append(page.locator(RESULT_ITEMS).count())
        arguments = {"bundle": SEARCH_BUNDLE, "first": FIRST_RESULTS, "filters": None}
        api_ms = [page.evaluate(API_JS, arguments | {"word": word})["ms"] for word in words]
        figures = SearchFigures(
            browser=f"Chromium {browser.version}",
            by_kind=by_kind,
            index_files=index_files,
            first_ms=first_ms,
            first_shown=first_shown,
            words=words,
            latencies=latencies,
            shown=shown,
            api_ms=api_ms,
        )
        context.close()
        return figures


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
    files = ", ".join(
        f"{kind} {size / 1000:.1f} kB ({n})" for kind, (n, size) in sorted(figures.index_files.items())
    )
    median = figures.median_ms
    shown = sum(1 for ms in figures.latencies if ms is not None)
    lines += [
        f"  first query   {kb:8.1f} kB  of index data for {FIRST_QUERY!r}: a cold visit of {SEARCH_PATH}?q={FIRST_QUERY}, "
        f"{figures.first_shown} results shown {figures.first_ms:.0f} ms after the navigation "
        f"(target <= {TRANSFER_TARGET_KB:g} kB: {verdict(kb <= TRANSFER_TARGET_KB)})",
        f"                the visit's requests: {kinds}; index data: {files}",
        f"  {len(figures.latencies)} queries    {median:8.1f} ms  median, max "
        f"{max(QUERY_TIMEOUT_MS if ms is None else ms for ms in figures.latencies):.1f} ms, each word typed into "
        f"{FIELD!r} and submitted (Enter) until the results ({RESULTS}) changed, their summary ({SUMMARY}) named "
        f"the word and they stayed still for {QUIET_MS} ms, warm "
        f"(target median <= {LATENCY_TARGET_MS:g} ms: {verdict(median <= LATENCY_TARGET_MS)}); "
        f"{shown} of {len(figures.latencies)} shown",
        f"                Pagefind's JS API alone, the same words again (their chunks loaded; search, then the data "
        f"of the first {FIRST_RESULTS} results): "
        f"median {statistics.median(figures.api_ms):.1f} ms",
        f"                words (results shown): "
        f"{', '.join(f'{w} ({n:,})' for w, n in zip(figures.words, figures.shown, strict=True))}; "
        f"{figures.browser} headless, served from 127.0.0.1 by Python's http.server",
    ]
    return lines
