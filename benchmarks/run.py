"""``make bench``: generate a synthetic network, build it every way it is built, report time and memory.

The network is deterministic for a given size and day: ids, names, texts and pictures come from
seeded random generators. Only the dates follow the day of the run: deadlines, events and
news lie within a year either side of today, so calls are open, closing soon and closed; the
first call's deadline is today at noon (Berlin), so it passes before the nightly rebuild.

Every build of a run sees the same clock: ``CUCON_BUILD_TIME`` is today at 06:00 in Berlin, the
nightly rebuild's the next morning at 06:00. The stages, each a child process measured for wall
time, CPU time (user + sys of the child and of the workers it waited for) and peak resident memory:

- ``generate``: write the network (in this process);
- ``check``: ``cucon check`` on it;
- ``bare Pelican (clean)``: the same profiles, calls and news items as plain Markdown articles,
  built by the venv's Pelican with its default theme and no plugins;
- ``Hugo (clean)``: the same articles built by ``hugo`` (Debian's package) with a minimal theme;
  skipped, and the report says so, without Hugo;
- ``build (cold cache)``: Pelican with the repository's settings into an empty output and cache,
  split into the plugins' own stages from their log lines ``cucon stage NAME: X s, peak N MiB``;
- ``rebuild (no change)``: the same build again, into the same output;
- ``build (warm cache)``: a clean build again after deleting the output and
  ``<CACHE_PATH>/cucon-state/`` only, so the image cache is warm;
- ``rebuild (one profile)``: after one profile's summary changed on disk;
- ``rebuild (nightly)``: no change but the build time, a day later: calls close;
- ``build (warm cache, 2 languages)``: the warm clean build again, in 2 UI languages (de, en) instead of
  the 5 (de, en, fr, pl, ja) every other build of ours is made in (benchmarks.languages): the report
  sets the two side by side per stage (wall, CPU, peak MiB, files) with the cost per added language.
  ``--only languages`` makes just the builds this needs (cold, warm, warm in 2 languages) and reports
  only this part;
- with ``--verify``, after each rebuild, a clean build of the same content and settings into a
  separate folder (for the rebuild without a change: a copy of the cold build, made before it),
  compared byte for byte with the rebuild's output (``pagefind/`` aside), and the
  two search bundles' answers to fixed queries (benchmarks.search.search_differences);
- the image stage: the plugin's ``copy-images`` stage of both builds (the second should cost at
  most 2 % of the first: nothing is decoded), the counts it logs, and the cost per photo of
  cucon.images on one core against a bare Pillow pipeline (draft decode, the same resizes and
  encodes) measured in the same run on a sample of the generated photos (target: at most 1.3×);
- the search: the build's ``search-index`` stage against the clean build's wall time (target:
  at most 15 %), then, on the clean build served at 127.0.0.1, the search page in headless
  Chromium as a visitor uses it (benchmarks.search.measure_search): the index data a cold visit
  of ``/search/?q=workshops`` fetches (target: at most 300 kB) and the median of 20 words typed
  into its field and submitted, each from the submit to its results shown (target: at most 300 ms). Without
  Playwright or Chromium (``$CUCON_CHROMIUM``, default /usr/bin/chromium) that part is skipped
  and the report says why;
- the search indexer: the clean build's output indexed again as the build indexes it, one
  Pagefind run per UI language into a scratch folder, each measured (benchmarks.scopes); the
  largest peak is the search indexer's peak (target: at most 1 GiB);
- with ``--city-bundles``, the default language's pages indexed once more, one bundle per city,
  and a city's bundle set against the one bundle on the same queries (benchmarks.scopes);
- the render stage before and after the renderer change: every Markdown body of the network
  rendered on one core by Python-Markdown (extra, sane_lists, smarty; the renderer before
  cmark-gfm) and by cmark-gfm (:func:`cucon.markup.render_markdown`), both sanitised by nh3,
  alternating rounds, the fastest round of each; seconds per 1,000 bodies and the ratio.

The report compares the builds (every ratio of wall time, CPU time and peak memory to each clean
build) and gives the build targets' verdicts: a rebuild after one profile's edit and the nightly
rebuild at most 0.25× Hugo's clean build, the warm clean build at most 1.5× bare Pelican's, and a
peak of at most 2,048 MiB at 10,000 profiles; then issue 20's table of six targets with PASS or MISS
(benchmarks.report.issue_report).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import resource
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from zoneinfo import ZoneInfo

from benchmarks import REPO
from benchmarks.images import PHOTO_SAMPLE, image_report, measure_per_photo, sample_photos
from benchmarks.languages import (
    ALL_LANGUAGES,
    FEW_BUILD,
    FEW_LANGUAGES,
    LanguageBuild,
    files_by_stage,
    languages_report,
)
from benchmarks.network import (
    BUILD_TIMEZONE,
    NetworkGenerator,
    counts,
    edit_one_profile,
    generate_network,
)
from benchmarks.render import markdown_bodies, measure_render, render_report
from benchmarks.report import (
    COLD,
    HUGO,
    NIGHTLY,
    NO_CHANGE,
    ONE_PROFILE,
    OUR_BUILDS,
    PELICAN,
    PLUGIN_STAGES,
    VERIFY_IGNORE,
    WARM,
    IssueFigures,
    Row,
    comparison_report,
    format_table,
    issue_report,
    parse_stage_cpu,
    parse_stages,
    targets_report,
    verify_report,
)
from benchmarks.runners import (
    ChildRun,
    _bare_pelican_command,
    _child_env,
    _cucon_command,
    _failed,
    _hugo_command,
    _pelican_command,
    hugo_executable,
    hugo_version,
    maxrss_mib,
    output_stats,
    run_child,
    write_baselines,
)
from benchmarks.scopes import (
    SCRATCH,
    CityBundles,
    IndexerFigures,
    build_city_bundles,
    city_bundles_report,
    measure_indexer,
    measure_scopes,
)
from benchmarks.search import (
    FIRST_QUERY,
    INDEX_LINE,
    QUERY_COUNT,
    SEARCH_BUNDLE,
    SEARCH_PATH,
    SearchFigures,
    SearchSkipped,
    measure_search,
    search_differences,
    search_report,
)
from cucon.incremental import STATE_FOLDER
from cucon.site.noop import NOTHING_TO_DO
from cucon.text import make_slug
from tests.support import compare_trees, files_below

logger = logging.getLogger(__name__)

FEW_OUTPUT = "output-2-languages"
"""Where the build in 2 UI languages writes."""
MARKER = ".cucon-bench"
"""A file in a site folder the benchmark made, so a rerun may replace that folder's network."""

BUILD_HOUR = 6
"""Every build of a run is made at 06:00 (Berlin) on the network's day; the nightly rebuild a day later."""


def build_moment(day: dt.date) -> str:
    """The CUCON_BUILD_TIME of a bench build on ``day``: 06:00 in Berlin, with that day's UTC offset.

    >>> build_moment(dt.date(2026, 11, 27)), build_moment(dt.date(2026, 7, 1))
    ('2026-11-27T06:00:00+01:00', '2026-07-01T06:00:00+02:00')
    """
    return dt.datetime.combine(day, dt.time(BUILD_HOUR), ZoneInfo(BUILD_TIMEZONE)).isoformat()


def _prepare(site: Path) -> None:
    """Make ``site`` an empty site folder; replace only a network the benchmark made itself."""
    if site.exists() and any(site.iterdir()):
        if not (site / MARKER).is_file():
            raise FileExistsError(
                f"{site} is not empty and was not made by cucon bench; choose another --workdir"
            )
        for name in ("content", "output", "cache", "logs", "verify", "baselines", SCRATCH, FEW_OUTPUT):
            shutil.rmtree(site / name, ignore_errors=True)
    site.mkdir(parents=True, exist_ok=True)
    (site / MARKER).write_text("made by cucon bench; a rerun replaces what it wrote here\n", "utf-8")
    (site / "logs").mkdir()


def _build_rows(name: str, run: ChildRun, items: int, pages: int, images: int) -> Iterator[Row]:
    """A build's row and the rows of the plugin stages it logged."""
    yield Row(name, run.seconds, run.peak_mib, items, cpu_seconds=run.cpu_seconds)
    stages, cpu = parse_stages(run.output), parse_stage_cpu(run.output)
    indexed = INDEX_LINE.findall(run.output)
    units = {
        "write-pages": (pages, "pages"),
        "copy-images": (images, "images"),
        "search-index": (int(indexed[-1]) if indexed else pages, "pages"),
    }
    for stage in PLUGIN_STAGES:
        seconds, peak = stages.get(stage, (None, None))
        count, unit = units.get(stage, (items, "items"))
        yield Row(stage, seconds, peak, count, unit, indent=True, cpu_seconds=cpu.get(stage))


ONLY = ("languages",)
"""The parts of the benchmark that ``--only`` can run alone."""


def run_benchmark(
    scale: float = 1.0,
    workdir: Path | None = None,
    keep: bool = False,
    verify: bool = False,
    only: str | None = None,
    city_bundles: bool = False,
) -> int:
    """Generate a network of ``scale`` x 10,000 profiles, check and build it every way (or only for the
    part ``only``); print the report. ``city_bundles``: index the clean build once per city too and compare."""
    if not scale > 0:
        logger.error("--size must be greater than 0, not %s", scale)
        return 2
    repo = REPO
    temporary = workdir is None
    site = Path(tempfile.mkdtemp(prefix="cucon-bench-")) if temporary else Path(workdir).resolve()
    try:
        _prepare(site)
    except FileExistsError as exc:
        logger.error("%s", exc)
        return 2
    try:
        bench = Bench(repo, site, _child_env(repo))
        if only == "languages":
            return bench.measure_languages(scale)
        return bench.measure(scale, verify, city_bundles)
    except StageFailed as failed:
        return failed.code
    finally:
        if temporary and not keep:
            shutil.rmtree(site, ignore_errors=True)
        else:
            logger.info("the network and its builds are in %s", site)


def _search_stage(output: Path) -> SearchFigures | str | None:
    """Chromium's search figures on the clean build's search page; why they are missing, or None if measuring failed."""
    logger.info(
        "stage search in Chromium: a cold visit of %s?q=%s, then %d typed queries ...",
        SEARCH_PATH,
        FIRST_QUERY,
        QUERY_COUNT,
    )
    try:
        figures = measure_search(output)
    except SearchSkipped as exc:
        logger.warning("stage search in Chromium skipped: %s", exc)
        return str(exc)
    except Exception:
        logger.exception("stage search in Chromium failed")
        return None
    logger.info(
        "stage search in Chromium: first query %.1f kB of index data, median %.1f ms",
        figures.index_data / 1000,
        figures.median_ms,
    )
    return figures


def _indexer_stage(output: Path, scratch: Path) -> IndexerFigures | str:
    """The clean build's output indexed again as the build does, each language's Pagefind run measured; or why not."""
    logger.info("stage search indexer: each UI language's Pagefind run again, measured alone ...")
    try:
        return measure_indexer(output, ALL_LANGUAGES, scratch)
    except RuntimeError as exc:
        logger.warning("stage search indexer skipped: %s", exc)
        return str(exc)


def _city_stage(output: Path, scratch: Path, indexer: IndexerFigures | str) -> CityBundles | None:
    """Per-city bundles of the clean build, built and queried beside the one bundle; None if that failed."""
    logger.info("stage city bundles: the %s pages indexed once per city ...", ALL_LANGUAGES[0])
    one = indexer.seconds.get(ALL_LANGUAGES[0], 0.0) if isinstance(indexer, IndexerFigures) else 0.0
    try:
        bundles = build_city_bundles(output, ALL_LANGUAGES, scratch, one)
        measure_scopes(output, scratch, bundles)
    except (RuntimeError, SearchSkipped) as exc:
        logger.warning("stage city bundles skipped: %s", exc)
        return None
    logger.info("stage city bundles: %d cities, largest %s", bundles.cities, bundles.city)
    return bundles


def _issue_figures(
    runs: dict[str, ChildRun],
    profiles: int,
    hugo_missing: str,
    indexer: IndexerFigures | str,
    search: SearchFigures | str,
) -> IssueFigures:
    """The figures of issue 20's table from one run."""
    figures = IssueFigures(
        profiles=profiles,
        languages=ALL_LANGUAGES,
        one_profile=runs[ONE_PROFILE].seconds,
        no_change=runs[NO_CHANGE].seconds,
        warm=runs[WARM].seconds,
        pelican=runs[PELICAN].seconds,
        hugo=runs[HUGO].seconds if HUGO in runs else None,
        hugo_missing=hugo_missing,
    )
    if isinstance(indexer, IndexerFigures):
        figures.indexer_peak_mib, figures.indexer_where = indexer.peak[1], indexer.where()
    else:
        figures.indexer_where = indexer
    if isinstance(search, SearchFigures):
        figures.first_query_kb, figures.median_ms = search.index_data / 1000, search.median_ms
    else:
        figures.search_where = search
    return figures


class StageFailed(Exception):
    """A stage of the benchmark failed and was logged; ``code`` is the benchmark's exit code."""

    def __init__(self, code: int) -> None:
        super().__init__(code)
        self.code = code


@dataclass
class Bench:
    """One run: its repository, site folder and children's environment, and the children it measured."""

    repo: Path
    site: Path
    env: dict[str, str]
    runs: dict[str, ChildRun] = field(default_factory=dict)

    @property
    def content(self) -> Path:
        """The generated network."""
        return self.site / "content"

    @property
    def output(self) -> Path:
        """Where our builds write, one after the other."""
        return self.site / "output"

    @property
    def cache(self) -> Path:
        """Our builds' CACHE_PATH: the image cache and the incremental engine's state."""
        return self.site / "cache"

    def run(self, stage: str, command: list[str], logs_stages: bool = False) -> ChildRun:
        """Run and measure one stage's child process; StageFailed if it fails or logs no stage lines."""
        log_path = self.site / "logs" / f"{make_slug(stage)}.log"
        logger.info("stage %s ...", stage)
        run = run_child(command, cwd=self.site, env=self.env, log_path=log_path)
        if run.returncode != 0:
            raise StageFailed(_failed(stage, run, log_path))
        # A build with nothing to do (cucon.site.noop) exits before its first stage.
        logs_stages = logs_stages and NOTHING_TO_DO not in run.output
        missing = set(PLUGIN_STAGES) - set(parse_stages(run.output)) if logs_stages else set()
        if missing:
            logger.error(
                "stage %s logged no 'cucon stage' lines for %s; see %s",
                stage,
                ", ".join(sorted(missing)),
                log_path,
            )
            raise StageFailed(1)
        logger.info(
            "stage %s: %.1f s, CPU %.1f s, peak %.0f MiB", stage, run.seconds, run.cpu_seconds, run.peak_mib
        )
        self.runs[stage] = run
        return run

    def build(
        self,
        stage: str,
        build_time: str,
        output: Path | None = None,
        languages: tuple[str, ...] = ALL_LANGUAGES,
    ) -> ChildRun:
        """Our build of the network at ``build_time`` in the UI ``languages``, into output/ unless told otherwise."""
        command = _pelican_command(
            self.content, output or self.output, self.cache, build_time, self.repo, languages
        )
        return self.run(stage, command, logs_stages=True)

    def clean_build(
        self, stage: str, build_time: str, languages: tuple[str, ...], output: Path | None = None
    ) -> LanguageBuild:
        """A clean build with the image cache kept (its output and the incremental state deleted first)."""
        output = output or self.output
        shutil.rmtree(output, ignore_errors=True)
        shutil.rmtree(self.cache / STATE_FOLDER, ignore_errors=True)
        run = self.build(stage, build_time, output, languages)
        return LanguageBuild(languages, run, files_by_stage(output, languages))

    @property
    def clean(self) -> Path:
        """Where --verify's clean build of the same content is."""
        return self.site / "verify"

    def keep_clean_build(self) -> None:
        """Copy the clean build in output/ into verify/: the clean build to compare the next rebuild with,
        if that rebuild has the same content and build time."""
        shutil.rmtree(self.clean, ignore_errors=True)
        shutil.copytree(self.output, self.clean, symlinks=True)

    def verify(self, stage: str, build_time: str, kept: bool = False) -> list[str]:
        """Build the same content cleanly into verify/ (the state set aside), unless ``kept`` (keep_clean_build
        made it); how the rebuild's output and search answers differ."""
        clean = self.clean
        if not kept:
            shutil.rmtree(clean, ignore_errors=True)
            state = self.cache / STATE_FOLDER
            aside = self.cache / f"{STATE_FOLDER}.kept-by-bench"
            if state.exists():
                state.rename(aside)
            try:
                self.build(f"verify {stage}", build_time, output=clean)
            finally:
                shutil.rmtree(state, ignore_errors=True)
                if aside.exists():
                    aside.rename(state)
        differences = compare_trees(self.output, clean, VERIFY_IGNORE)
        bundle = SEARCH_BUNDLE.strip("/")
        differences += search_differences(self.output / bundle, clean / bundle)
        logger.info(
            "verify %s: %s", stage, f"{len(differences):,} files differ" if differences else "identical"
        )
        return differences

    def baselines(self) -> tuple[int, str]:
        """Build the network's items with bare Pelican and Hugo; the number of articles, and why Hugo is missing."""
        pelican, hugo = self.site / "baselines" / "pelican", self.site / "baselines" / "hugo"
        articles = write_baselines(self.content, pelican, hugo)
        self.run(PELICAN, _bare_pelican_command(pelican))
        executable = hugo_executable()
        if executable is None:
            missing = "no hugo on PATH (make bench-packages, or apt-get install hugo)"
            logger.warning("stage %s skipped: %s", HUGO, missing)
            return articles, missing
        logger.info("Hugo %s at %s", hugo_version(executable), executable)
        self.run(HUGO, _hugo_command(executable, hugo))
        return articles, ""

    def generate(self, scale: float) -> tuple[dict[str, int], NetworkGenerator, Row]:
        """Write the network: its sizes, what was generated, and the row of the report's table."""
        sizes = counts(scale)
        logger.info(
            "generating %s cities, %s profiles, %s calls and %s news items in %s",
            *(f"{n:,}" for n in sizes.values()),
            self.site,
        )
        started, cpu_before = time.perf_counter(), _own_cpu_seconds()
        network = generate_network(self.content, scale, dt.date.today())
        generated = Row(
            "generate",
            time.perf_counter() - started,
            maxrss_mib(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss),
            network.files,
            "files",
            cpu_seconds=_own_cpu_seconds() - cpu_before,
        )
        logger.info(
            "generated %s files (%.0f MiB) in %.1f s",
            f"{network.files:,}",
            network.bytes_written / 2**20,
            generated.seconds,
        )
        return sizes, network, generated

    def measure_languages(self, scale: float) -> int:
        """Only the cost of the languages: a cold build to warm the image cache, then the two clean builds."""
        sizes, network, _ = self.generate(scale)
        morning = build_moment(network.today)
        self.build(COLD, morning)
        every = self.clean_build(WARM, morning, ALL_LANGUAGES)
        few = self.clean_build(FEW_BUILD, morning, FEW_LANGUAGES, self.site / FEW_OUTPUT)
        report = [
            _title(scale, sizes, network, morning),
            "",
            *languages_report(few, every),
            "",
            _python_line(),
        ]
        sys.stdout.write("\n".join(report) + "\n")
        sys.stdout.flush()
        return 0

    def measure(self, scale: float, verify: bool, city_bundles: bool = False) -> int:
        """Run every stage and print the report; the exit code (1 if --verify found a difference)."""
        sizes, network, generated = self.generate(scale)
        items = sum(sizes.values())
        morning = build_moment(network.today)
        nightly = build_moment(network.today + dt.timedelta(days=1))

        self.run("check", [*_cucon_command(), "-q", "check", "--content", str(self.content)])
        articles, hugo_missing = self.baselines()
        self.build(COLD, morning)
        search = _search_stage(self.output)
        if search is None:
            return 1
        indexer = _indexer_stage(self.output, self.site / SCRATCH / "indexer")
        cities = _city_stage(self.output, self.site / SCRATCH / "cities", indexer) if city_bundles else None
        pages, files, size = output_stats(self.output)
        differences: dict[str, list[str]] = {}
        if verify:
            # The cold build is a clean build of the content and build time of the rebuild without a
            # change: --verify compares that rebuild with a copy of it instead of building it again.
            self.keep_clean_build()
        self.build(NO_CHANGE, morning)
        if verify:
            differences[NO_CHANGE] = self.verify(NO_CHANGE, morning, kept=True)
        every = self.clean_build(WARM, morning, ALL_LANGUAGES)
        edited = edit_one_profile(self.content)
        logger.info("edited the summary of %s", edited.relative_to(self.site))
        self.build(ONE_PROFILE, morning)
        if verify:
            differences[ONE_PROFILE] = self.verify(ONE_PROFILE, morning)
        self.build(NIGHTLY, nightly)
        if verify:
            differences[NIGHTLY] = self.verify(NIGHTLY, nightly)
        verified_files = {name: len(files_below(self.output, VERIFY_IGNORE)) for name in differences}
        nightly_pages = output_stats(self.output)[0]  # a day later calls close: the filter pages follow
        # Into its own folder: output/ stays as the nightly rebuild left it.
        few = self.clean_build(FEW_BUILD, morning, FEW_LANGUAGES, self.site / FEW_OUTPUT)

        runs = self.runs
        rows = [
            generated,
            Row(
                "check",
                runs["check"].seconds,
                runs["check"].peak_mib,
                items,
                cpu_seconds=runs["check"].cpu_seconds,
            ),
        ]
        for name in OUR_BUILDS:
            rows += _build_rows(name, runs[name], items, pages, network.images)
        for name in (PELICAN, HUGO):
            if name in runs:
                rows.append(
                    Row(
                        name,
                        runs[name].seconds,
                        runs[name].peak_mib,
                        articles,
                        "articles",
                        cpu_seconds=runs[name].cpu_seconds,
                    )
                )
        logger.info("stage images per photo: cucon.images against bare Pillow, one core ...")
        per_photo = measure_per_photo(sample_photos(self.content, PHOTO_SAMPLE), self.site / "logs")
        logger.info("stage render: the bodies with the renderer before and after the change, one core ...")
        render_figures = measure_render(markdown_bodies(self.content))
        hugo_line = (
            f"Hugo: {hugo_version(hugo_executable())}, a minimal theme"
            if HUGO in runs
            else f"Hugo: skipped, {hugo_missing}"
        )
        report = [
            f"{_title(scale, sizes, network, morning)}, the nightly rebuild's {nightly}",
            "",
            format_table(rows),
            "",
            f"output: {pages:,} HTML pages, {files:,} files, {size / 2**20:,.1f} MiB"
            f" (after the nightly rebuild a day later: {nightly_pages:,} HTML pages)",
            f"baselines: the {articles:,} profiles, calls and news items as plain Markdown articles (title, date, "
            f"summary, body); bare Pelican {_pelican_version()} with its default theme and no plugins; {hugo_line}",
            "",
            *comparison_report(runs),
            "",
            *targets_report(runs, sizes["profiles"], hugo_missing),
            "",
            *issue_report(_issue_figures(runs, sizes["profiles"], hugo_missing, indexer, search)),
            "",
            *([*verify_report(differences, verified_files), ""] if verify else []),
            *image_report(runs[COLD].output, runs[WARM].output, per_photo),
            "",
            *render_report(render_figures),
            "",
            *search_report(runs[COLD], search),
            "",
            *([*city_bundles_report(cities), ""] if cities else []),
            *languages_report(few, every),
            "",
            _python_line(),
        ]
        sys.stdout.write("\n".join(report) + "\n")
        sys.stdout.flush()
        return 1 if any(differences.values()) else 0


def _title(scale: float, sizes: dict[str, int], network: NetworkGenerator, morning: str) -> str:
    """The report's first line: the size of the network and the build time."""
    return (
        f"cucon bench --size {scale:g}: {sizes['cities']:,} cities, {sizes['profiles']:,} profiles, "
        f"{sizes['calls']:,} calls, {sizes['news']:,} news items ({sum(sizes.values()):,} items, "
        f"{network.images:,} images); UI languages {', '.join(ALL_LANGUAGES)}; build time {morning}"
    )


def _python_line() -> str:
    """The report's last line: Python, the CPUs and what peak memory means."""
    return (
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs; peak MiB is the peak resident memory "
        "of the process (generate: this one; the others: their own child and its workers, the largest)"
    )


def _own_cpu_seconds() -> float:
    """User + system time of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _pelican_version() -> str:
    """The version of the venv's Pelican."""
    from importlib.metadata import version

    return version("pelican")
