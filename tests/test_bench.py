"""`make bench` (benchmarks/): a real run at a tiny size, its report, and the network it generates."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import logging
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
from support import REPO, child_env, chromium_executable, compare_trees, output_of, run, tree

from benchmarks.__main__ import build_parser
from benchmarks.languages import LanguageBuild, files_by_stage, languages_report
from benchmarks.network import generate_network
from benchmarks.render import RENDERERS, markdown_bodies, measure_render, python_markdown_html
from benchmarks.report import (
    HUGO,
    NIGHTLY,
    NO_CHANGE,
    OUR_BUILDS,
    PELICAN,
    PLUGIN_STAGES,
    REBUILDS,
    IssueFigures,
    issue_report,
    issue_rows,
    parse_stages,
    targets_report,
)
from benchmarks.run import FEW_OUTPUT, MARKER, build_moment, run_benchmark
from benchmarks.runners import ChildRun, hugo_executable
from benchmarks.search import SearchSkipped, measure_search, search_differences, search_report
from cucon.checks import load_site
from cucon.markup import render_markdown
from cucon.site.noop import NOTHING_TO_DO
from cucon.stopwatch import Stopwatch
from cucon.text import make_slug
from cucon.views import build_listings

logger = logging.getLogger(__name__)

TOP_STAGES = ("generate", "check", *OUR_BUILDS, PELICAN)
ARTICLES = 50 + 10 + 10
"""The profiles, calls and news items of ``--size 0.005``: the baselines' articles."""


def _stage_rows(report: str, stage: str) -> list[str]:
    """The report's rows for a stage in the table: its name, then wall seconds, CPU seconds (or -) and peak MiB."""
    table = report.split("\nlanguages: ", 1)[0]
    return re.findall(rf"^ *{re.escape(stage)} +\d+\.\d+ +(?:\d+\.\d+|-) +\d+ +.*$", table, re.M)


BENCH_TIMEOUT = 900
"""Seconds the small benchmark may take before it counts as hung."""


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    """``make bench SIZE=0.005 VERIFY=1 CITIES=1`` run once for real: exit code, report, log and its site folder."""
    site = tmp_path_factory.mktemp("bench") / "site"
    command = [
        *(sys.executable, "-m", "benchmarks", "--size", "0.005", "--verify", "--city-bundles"),
        *("--workdir", str(site)),
    ]
    # Several builds, Hugo, Pelican and Chromium: minutes on 2 busy cores; the limit only guards against a hang.
    result = run(command, REPO, child_env(), timeout=BENCH_TIMEOUT)
    logger.info("benchmark output:\n%s", output_of(result))
    return result.returncode, result.stdout, result.stderr, site


@pytest.mark.slow
def test_bench_exits_0_and_reports_every_stage(bench_run):
    """Every stage, and every plugin stage of each of our five builds, has a row with numbers."""
    returncode, report, log, site = bench_run
    assert returncode == 0, log
    assert NOTHING_TO_DO in (site / "logs" / f"{make_slug(NO_CHANGE)}.log").read_text("utf-8")
    for stage in TOP_STAGES:
        assert len(_stage_rows(report, stage)) == 1, f"no row for {stage!r} in:\n{report}"
    for stage in PLUGIN_STAGES:
        # The rebuild of unchanged content has nothing to do (cucon.site.noop): it has no stages.
        assert len(_stage_rows(report, stage)) == len(OUR_BUILDS) - 1, (
            f"a row per build but the rebuild without a change for {stage!r} in:\n{report}"
        )
    assert "50 profiles, 10 calls, 10 news items" in report
    if hugo_executable():
        assert len(_stage_rows(report, HUGO)) == 1, report
    else:
        assert "Hugo: skipped, no hugo on PATH" in report


@pytest.mark.slow
def test_bench_compares_the_builds_with_every_ratio(bench_run):
    """Wall, CPU and peak of each build, its ratio to each clean build per measure, and the targets' verdicts."""
    returncode, report, log, _ = bench_run
    assert returncode == 0, log
    builds = [*OUR_BUILDS, PELICAN, *([HUGO] if hugo_executable() else [])]
    columns = "ours cold +ours warm +Pelican" + (" +Hugo" if hugo_executable() else "")
    for build in builds:
        assert re.search(rf"^  {re.escape(build)} +\d+\.\d\d +\d+\.\d\d +\d+\.\d\d +\d+$", report, re.M), (
            report
        )
    for metric in ("wall time", "CPU time", "peak memory"):
        block = report.split(f"  {metric} ratios (row / column)", 1)[1].split("\n\n", 1)[0]
        assert re.match(rf" +{columns}\n", block), block
        rows = block.splitlines()[1:]
        assert [row.split("  ")[1] for row in rows] == builds, block
        assert all(
            re.fullmatch(rf"  .+?( +\d+\.\d\dx){{{len(columns.split(' +'))}}}", row) for row in rows
        ), block
    verdict = r"\(target <= [\d.]+x: (PASS|MISS)\)"
    for build, reference in (
        ("rebuild (one profile)", "Hugo"),
        (NIGHTLY, "Hugo"),
        ("build (warm cache)", "Pelican"),
    ):
        if reference == "Hugo" and not hugo_executable():
            assert re.search(rf"^  {re.escape(build)} .* skipped, no hugo on PATH", report, re.M), report
            continue
        line = rf"^  {re.escape(build)} +\d+\.\d\d s  = \d+\.\d\dx {reference}'s clean build of \d+\.\d\d s {verdict}$"
        assert re.search(line, report, re.M), report
    assert re.search(
        r"^  peak memory +\d+ MiB of .+, at 50 profiles: no verdict, .* pro rata 10 MiB", report, re.M
    )
    assert re.search(r"^  peak per 1,000 profiles +\d+\.\d MiB", report, re.M), report


@pytest.mark.slow
def test_bench_verifies_every_rebuild(bench_run):
    """--verify compares each rebuild with a clean build; today's builds are clean anyway, so all are identical."""
    returncode, report, log, site = bench_run
    assert returncode == 0, log
    for build in REBUILDS:
        assert re.search(rf"^  {re.escape(build)} +identical \([\d,]+ files\)$", report, re.M), report
    assert not (site / "cache" / "cucon-state.kept-by-bench").exists()


@pytest.mark.slow
def test_verify_tells_search_answers_that_differ(bench_run):
    """--verify's search comparison is not blind: the 2-language build (the day before the nightly
    rebuild, so one call is still open) answers otherwise than the nightly rebuild in 5 languages."""
    returncode, _, log, site = bench_run
    assert returncode == 0, log
    assert search_differences(site / "output" / "pagefind", site / "output" / "pagefind") == []
    differences = search_differences(site / FEW_OUTPUT / "pagefind", site / "output" / "pagefind")
    assert any(
        re.match(r"search ja all pages: 0 extra in the rebuild \(\), [1-9][\d,]* missing", d)
        for d in differences
    ), differences
    assert any(d.startswith("search de filters: ") for d in differences), differences


@pytest.mark.slow
def test_bench_baselines_build_every_item(bench_run):
    """Bare Pelican writes an article page per profile, call and news item; Hugo a page per item too."""
    returncode, report, log, site = bench_run
    assert returncode == 0, log
    assert f"the {ARTICLES:,} profiles, calls and news items as plain Markdown articles" in report
    pelican = site / "baselines" / "pelican" / "output"
    sections = ("profiles", "calls", "news")
    assert (
        len([p for p in pelican.glob("*.html") if p.name.startswith(tuple(f"{s}-" for s in sections))])
        == ARTICLES
    )
    if hugo_executable():
        public = site / "baselines" / "hugo" / "public"
        assert sum(len(list((public / s).glob("*/index.html"))) for s in sections) == ARTICLES


@pytest.mark.slow
def test_the_nightly_rebuild_closes_a_call_and_one_profile_was_edited(bench_run):
    """Between the run's build time and the next morning's a call's deadline passes; one summary was changed."""
    *_, site = bench_run
    network = load_site(site / "content")
    today = dt.date.today()
    statuses = [
        {entry.slug: entry.status for entry in build_listings(network, build_moment(day)).by_type["call"]}
        for day in (today, today + dt.timedelta(days=1))
    ]
    closed_overnight = [
        slug for slug, status in statuses[0].items() if status != "closed" and statuses[1][slug] == "closed"
    ]
    assert closed_overnight, statuses
    edited = [
        slug
        for slug, profile in network.profiles.items()
        if "Updated for the benchmark." in profile.meta.summary
    ]
    assert len(edited) == 1


def _has_chromium() -> bool:
    """Whether the benchmark can measure the search page here."""
    return importlib.util.find_spec("playwright") is not None and Path(chromium_executable()).is_file()


@pytest.mark.slow
def test_bench_reports_the_search_targets(bench_run):
    """Indexing's share of the clean build, and the search page's first-query bytes and typed latency in Chromium."""
    returncode, report, log, _ = bench_run
    assert returncode == 0, log
    assert "Traceback" not in log
    verdict = r"(PASS|MISS)\)"
    indexing = (
        rf"^  indexing +\d+\.\d+ s += \d+\.\d % of the clean build's \d+\.\d+ s \(target <= 15 %: {verdict}$"
    )
    assert re.search(indexing, report, re.M), report
    if not _has_chromium():
        assert re.search(r"^  in Chromium +skipped: ", report, re.M), report
        return
    first = (
        r"^  first query +\d+\.\d kB  of index data for 'workshops': a cold visit of /search/\?q=workshops, "
        rf"[1-9]\d* results shown \d+ ms after the navigation \(target <= 300 kB: {verdict}$"
    )
    assert re.search(first, report, re.M), report
    requests = re.search(r"^ +the visit's requests: (.*); index data: (.*)$", report, re.M)
    assert requests, report
    assert re.search(r"index data [\d.]+ kB \(\d+\), page [\d.]+ kB \(\d+\), .*search code", requests[1]), (
        requests[1]
    )
    assert re.search(r"fragment [\d.]+ kB \([1-9]\d*\)", requests[2]), requests[2]
    assert re.search(r"index [\d.]+ kB \([1-9]\d*\)", requests[2]), requests[2]
    latency = (
        r"^  20 queries +\d+\.\d ms +median, max \d+\.\d ms, each word typed into 'main input\[type=search\]' "
        r"and submitted \(Enter\) until the results \(\.search-results\) changed, their summary "
        rf"\(\.search-summary\) named the word .* \(target median <= 300 ms: {verdict}; "
        r"(\d+) of 20 shown$"
    )
    found = re.search(latency, report, re.M)
    assert found, report
    assert found[2] == "20", report  # a word that finds nothing in 50 profiles changes the summary
    assert re.search(r"^ +Pagefind's JS API alone, .*: median \d+\.\d ms$", report, re.M), report


ISSUE_ROWS = (
    "one profile edited",
    "no change",
    "warm clean build",
    "search indexer peak",
    "first search query",
    "median query",
)


@pytest.mark.slow
def test_bench_prints_issue_20s_table(bench_run):
    """The six rows of issue 20, each with a measured value, its target and PASS or MISS (skipped only without a tool)."""
    returncode, report, log, _ = bench_run
    assert returncode == 0, log
    table = report.split("\nissue 20 targets ", 1)[1].split("\n\n", 1)[0]
    assert table.startswith("at 50 profiles, in 5 UI languages (de, en, fr, pl, ja):\n"), table
    rows = table.splitlines()[2:]
    assert [row[2:22].strip() for row in rows] == list(ISSUE_ROWS), table
    verdicts = {name: row.rsplit("  ", 1)[1] for name, row in zip(ISSUE_ROWS, rows, strict=True)}
    hugo = r"(PASS|MISS)" if hugo_executable() else r"skipped: no hugo on PATH .*"
    search = r"(PASS|MISS) at 50 profiles" if _has_chromium() else r"skipped: .+"
    expected = {
        "one profile edited": hugo,
        "no change": hugo,
        "warm clean build": r"(PASS|MISS)",
        "search indexer peak": r"(PASS|MISS)",
        "first search query": search,
        "median query": search,
    }
    for name, pattern in expected.items():
        assert re.fullmatch(pattern, verdicts[name]), f"{name}: {verdicts[name]!r} in\n{table}"
    assert re.search(r"search indexer peak +\d+ MiB \((de|en|fr|pl|ja), largest of 5 language runs\)", table)
    assert (
        re.search(r"first search query +\d+\.\d kB +<= 300 kB at 20,000 profiles", table)
        or not _has_chromium()
    )


@pytest.mark.slow
def test_bench_compares_city_bundles_with_the_one_bundle(bench_run):
    """--city-bundles indexes the German pages once per city beside the site and asks three scopes the same queries."""
    returncode, report, log, site = bench_run
    assert returncode == 0, log
    if not _has_chromium():
        assert "stage city bundles skipped: " in log
        return
    part = report.split("\nper-city bundles (de pages only;", 1)[1].split("\n\n", 1)[0]
    found = re.search(
        r"^  indexing +(\d+) city bundles in [\d.]+ s, index data [\d.]+ MB; the one bundle", part, re.M
    )
    assert found, part
    assert int(found[1]) > 1, part
    largest = re.search(r"^  largest city  (.+): ([\d,]+) pages$", part, re.M)
    assert largest, part
    city = largest[1]
    scopes = re.findall(r"^  (.+?) +(\d+\.\d) +([\d,]+) +(\d+\.\d)$", part, re.M)
    assert [scope for scope, *_ in scopes] == [
        "one bundle",
        f"one bundle, filter {city}",
        f"{city}'s bundle",
    ], part
    results = {scope: int(n.replace(",", "")) for scope, _, n, _ in scopes}
    # The city's scope finds what the one bundle's filter finds, and not more than the whole bundle.
    assert results[f"{city}'s bundle"] == results[f"one bundle, filter {city}"] <= results["one bundle"], part
    assert not any((site / "output").glob("pagefind-city-*")), (
        "the city bundles are made beside output/, not in it"
    )


NUMBER = r"-?\d+\.\d\d"


@pytest.mark.slow
def test_bench_reports_the_cost_of_each_language(bench_run):
    """The warm clean build in 5 UI languages against the same build in 2, per stage, and the verdict line."""
    returncode, report, log, site = bench_run
    assert returncode == 0, log
    part = report.split("\nlanguages: ", 1)[1].split("\n\n", 1)[0]
    assert part.startswith(
        "clean builds (warm image cache, no incremental state) in 2 UI languages (de, en) and in 5 "
        "(de, en, fr, pl, ja); per added language = the difference / 3:"
    ), part
    for stage in ("build", *PLUGIN_STAGES):
        row = rf"^ +{re.escape(stage)} +\d+\.\d\d +\d+\.\d\d +{NUMBER} +{NUMBER} +-?\d+ +-?[\d,]+$"
        assert len(re.findall(row, part, re.M)) == 1, f"no row for {stage!r} in:\n{part}"
    assert re.search(
        rf"^  per added language: render\+index {NUMBER} s of {NUMBER} s added "
        rf"\(target: only page render and search index grow\); CPU {NUMBER} s of {NUMBER} s",
        part,
        re.M,
    ), part
    assert (site / "output" / "ja" / "index.html").is_file()
    assert not (site / FEW_OUTPUT / "ja").exists()
    assert (site / FEW_OUTPUT / "en" / "index.html").is_file()


def _language_build(
    languages: tuple[str, ...], seconds: dict[str, float], files: dict[str, int]
) -> LanguageBuild:
    """A build in ``languages`` whose log gives each stage ``seconds`` (CPU the same, peak 100 MiB)."""
    log = "".join(f"cucon stage {s}: {t:.2f} s, CPU {t:.2f} s, peak 100 MiB\n" for s, t in seconds.items())
    return LanguageBuild(
        languages, ChildRun(0, sum(seconds.values()), 100.0, log, sum(seconds.values())), Counter(files)
    )


def test_languages_report_divides_the_difference_by_the_added_languages():
    """Per added language: (5 languages - 2) / 3 per stage; render+index against the whole build's growth."""
    few = _language_build(
        ("de", "en"), {"read+validate": 3.0, "write-pages": 4.0, "alerts": 1.0, "search-index": 2.0},
        {"write-pages": 200, "alerts": 40},
    )  # fmt: skip
    every = _language_build(
        ("de", "en", "fr", "pl", "ja"),
        {"read+validate": 3.0, "write-pages": 10.0, "alerts": 2.5, "search-index": 5.0},
        {"write-pages": 500, "alerts": 100},
    )
    lines = languages_report(few, every)
    write_pages = next(line for line in lines if line.startswith("    write-pages"))
    assert write_pages.split() == ["write-pages", "4.00", "10.00", "2.00", "2.00", "0", "100"]
    read = next(line for line in lines if line.startswith("    read+validate"))
    assert read.split()[3:] == ["0.00", "0.00", "0", "0"]
    assert lines[-1] == (
        "  per added language: render+index 3.00 s of 3.50 s added "
        "(target: only page render and search index grow); CPU 3.00 s of 3.50 s; also grew: alerts 0.50 s"
    )


def test_files_by_stage_counts_each_languages_files_under_its_stage(tmp_path: Path):
    """Pages, feeds, alerts, images and the search bundle of every UI language, by the stage that writes them."""
    for name in ("index.html", "ja/index.html", "ja/feeds/profile/anna/atom.xml", "calendars/profile/anna/deadlines.ics",
                 "ja/feeds/all/atom.xml", "pagefind/pagefind.js", "media/profiles/anna-320.jpg"):  # fmt: skip
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("x", "utf-8")
    assert files_by_stage(tmp_path, ("de", "ja")) == Counter(
        {"write-pages": 2, "alerts": 2, "feeds": 1, "search-index": 1, "copy-images": 1}
    )


def test_search_without_chromium_is_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Without a browser the search measurement is skipped with the reason, and the report says so."""
    monkeypatch.setenv("CUCON_CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(SearchSkipped) as skipped:
        measure_search(tmp_path)
    build = ChildRun(0, 10.0, 100.0, "INFO cucon stage search-index: 1.20 s, peak 90 MiB")
    lines = search_report(build, str(skipped.value))
    assert "  indexing          1.20 s  = 12.0 % of the clean build's 10.00 s (target <= 15 %: PASS)" in lines
    assert any(line.startswith("  in Chromium   skipped: ") for line in lines), lines


@pytest.mark.slow
def test_bench_network_passes_the_validator_and_is_built(bench_run):
    """The generated network is valid and every profile, call and news item got a page in both languages."""
    returncode, report, log, site = bench_run
    assert returncode == 0, log
    network = load_site(site / "content")
    assert network.problems == []
    assert (len(network.cities), len(network.profiles), len(network.calls), len(network.news)) == (
        70,
        50,
        10,
        10,
    )
    output = site / "output"
    for section, items in (("profiles", network.profiles), ("calls", network.calls), ("news", network.news)):
        for slug in items:
            assert (output / section / slug / "index.html").is_file(), f"{section}/{slug}"
            assert (output / "en" / section / slug / "index.html").is_file(), f"en/{section}/{slug}"
    pages = len(list(output.rglob("*.html")))  # the folder as the last run, the nightly rebuild, left it
    assert f"(after the nightly rebuild a day later: {pages:,} HTML pages)" in report
    assert (site / MARKER).is_file()


@pytest.mark.slow
def test_bench_pictures_are_distinct(bench_run):
    """Every generated picture has its own bytes, so an image cache sees one hash per picture."""
    *_, site = bench_run
    pictures = sorted((site / "content").rglob("*.jpg"))
    assert len(pictures) == 50 + 1  # every profile, and one news item in ten
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in pictures}) == len(pictures)


@pytest.mark.slow
def test_bench_reports_the_render_stage_before_and_after(bench_run):
    """The network's bodies rendered by the old and the new renderer: seconds per 1,000 bodies and the ratio."""
    returncode, report, log, _ = bench_run
    assert returncode == 0, log
    assert re.search(r"^render stage \(7\d Markdown bodies, [\d,]+ characters, one core", report, re.M), (
        report
    )
    assert re.search(r"^  before  Python-Markdown +\d+\.\d{3} s per 1,000 bodies$", report, re.M), report
    assert re.search(
        r"^  now     cmark-gfm +\d+\.\d{3} s per 1,000 bodies  \(\d+\.\dx faster\)$", report, re.M
    )


def test_the_render_stage_times_both_renderers_on_the_same_bodies(tmp_path: Path):
    """Each renderer of the comparison renders every body of a generated network, to the same HTML."""
    generate_network(tmp_path, 0.002, dt.date(2026, 11, 27))
    bodies = markdown_bodies(tmp_path)
    assert len(bodies) == 20 + 4 + 4
    figures = measure_render(bodies, rounds=1)
    assert figures.bodies == len(bodies)
    assert figures.characters == sum(map(len, bodies))
    assert set(figures.seconds) == set(RENDERERS) == {"Python-Markdown", "cmark-gfm"}
    assert all(seconds > 0 for seconds in figures.seconds.values())
    assert [python_markdown_html(body) for body in bodies] == [render_markdown(body) for body in bodies]


def test_generated_network_is_deterministic(tmp_path: Path):
    """The same size and day give the same network, byte for byte."""
    today = dt.date(2026, 11, 27)
    generate_network(tmp_path / "a", 0.002, today)
    generate_network(tmp_path / "b", 0.002, today)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_stopwatch_lines_parse(caplog: pytest.LogCaptureFixture):
    """The benchmark reads the plugins' Stopwatch lines: time and peak memory of each stage."""
    caplog.set_level(logging.INFO, logger="cucon.site.build")
    Stopwatch(logging.getLogger("cucon.site.build")).lap("write-pages")
    seconds, peak = parse_stages(caplog.text)["write-pages"]
    assert seconds >= 0
    assert peak is not None
    assert peak > 0


def test_bench_refuses_a_foreign_workdir(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    """A non-empty folder the benchmark did not make is left alone."""
    (tmp_path / "notes.txt").write_text("mine", "utf-8")
    assert run_benchmark(scale=0.001, workdir=tmp_path) == 2
    assert "not made by cucon bench" in caplog.text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]


def test_bench_option_only_takes_the_languages_part(capsys: pytest.CaptureFixture[str]):
    """``--only languages`` selects the part; any other part is refused with the choices."""
    parser = build_parser()
    assert parser.parse_args(["--only", "languages", "--size", "1"]).only == "languages"
    assert parser.parse_args([]).only is None
    with pytest.raises(SystemExit) as refused:
        parser.parse_args(["--only", "search"])
    assert refused.value.code == 2
    assert "invalid choice: 'search' (choose from 'languages')" in capsys.readouterr().err


def test_bench_refuses_a_size_of_0(caplog: pytest.LogCaptureFixture):
    """A size of 0 or less is an error, not an empty benchmark."""
    assert run_benchmark(scale=0) == 2
    assert "--size must be greater than 0" in caplog.text


def test_compare_trees_finds_changed_missing_and_extra_files(tmp_path: Path):
    """Byte-for-byte differences by relative path; the ignored folder is not compared at any depth below it."""
    for root in ("a", "b"):
        for name, text in {"index.html": "same", "en/x.html": "x", "pagefind/pagefind.js": root}.items():
            (tmp_path / root / name).parent.mkdir(parents=True, exist_ok=True)
            (tmp_path / root / name).write_text(text, "utf-8")
    a, b = tmp_path / "a", tmp_path / "b"
    assert compare_trees(a, b, ("pagefind/",)) == []
    assert compare_trees(a, b, ()) == ["changed pagefind/pagefind.js"]
    (a / "en" / "x.html").write_text("y", "utf-8")
    (b / "gone.html").write_text("only in b", "utf-8")
    (a / "en" / "stale" / "index.html").parent.mkdir()
    (a / "en" / "stale" / "index.html").write_text("only in a", "utf-8")
    (a / "pagefind" / "extra.pf_index").write_text("ignored", "utf-8")
    assert compare_trees(a, b, ("pagefind/",)) == [
        "extra en/stale/index.html",
        "changed en/x.html",
        "missing gone.html",
    ]


def test_targets_report_verdicts_at_10000_profiles():
    """At full size the memory target has a verdict; without Hugo its targets are skipped with the reason."""
    runs = {name: ChildRun(0, 10.0, 1500.0, "", 15.0) for name in OUR_BUILDS}
    runs["build (warm cache)"] = ChildRun(0, 12.0, 2100.0, "", 20.0)
    runs[PELICAN] = ChildRun(0, 10.0, 300.0, "", 10.0)
    lines = targets_report(runs, 10_000, "no hugo on PATH")
    text = "\n".join(lines)
    assert (
        "build (warm cache)         12.00 s  = 1.20x Pelican's clean build of 10.00 s (target <= 1.5x: PASS)"
        in text
    )
    assert "2100 MiB of build (warm cache), at 10,000 profiles (target <= 2048 MiB: MISS)" in text
    assert "peak per 1,000 profiles    210.0 MiB" in text
    assert text.count("(target <= 0.25x Hugo's clean build: skipped, no hugo on PATH)") == 2
    runs[HUGO] = ChildRun(0, 80.0, 200.0, "", 120.0)
    assert "= 0.12x Hugo's clean build of 80.00 s (target <= 0.25x: PASS)" in "\n".join(
        targets_report(runs, 10_000, "")
    )


@pytest.mark.parametrize(
    ("matching", "alerts", "verdict"),
    [(3.0, 6.0, "9.0% of build (warm cache) of 100.00 s (target <= 10%: PASS)"),
     (8.0, 4.0, "12.0% of build (warm cache) of 100.00 s (target <= 10%: MISS)")],
)  # fmt: skip
def test_targets_report_the_matching_stages_share_of_the_warm_build(matching, alerts, verdict):
    """Issue 17's target: the matching stage and the profiles' alerts against the warm clean build."""
    log = f"cucon stage matching: {matching:.2f} s, peak 900 MiB\ncucon stage alerts: {alerts:.2f} s, peak 950 MiB\n"
    runs = {name: ChildRun(0, 10.0, 1500.0, "", 15.0) for name in OUR_BUILDS}
    runs["build (warm cache)"] = ChildRun(0, 100.0, 1500.0, log, 20.0)
    line = next(line for line in targets_report(runs, 1_000, "") if "matching + alerts" in line)
    assert f"{matching + alerts:8.2f} s  = {verdict}" in line


def _figures(**changes) -> IssueFigures:
    """Stored figures of a run at 20,000 profiles with Hugo, every target met; ``changes`` replace some."""
    figures = IssueFigures(
        profiles=20_000,
        languages=("de", "en", "fr", "pl", "ja"),
        one_profile=10.0,
        no_change=5.0,
        warm=150.0,
        pelican=100.0,
        hugo=50.0,
        indexer_peak_mib=900.0,
        indexer_where="ja, largest of 5 language runs",
        first_query_kb=250.0,
        median_ms=120.0,
        search_where="Chromium",
    )
    for name, value in changes.items():
        setattr(figures, name, value)
    return figures


PASSING = {name: "PASS" for name in ISSUE_ROWS}


@pytest.mark.parametrize(
    ("changes", "verdicts"),
    [
        ({}, PASSING),
        # At each limit exactly: still PASS.
        ({"one_profile": 12.5, "no_change": 10.0, "warm": 150.0, "indexer_peak_mib": 1024.0,
          "first_query_kb": 300.0, "median_ms": 300.0}, PASSING),
        ({"one_profile": 12.6}, PASSING | {"one profile edited": "MISS"}),
        ({"no_change": 10.1}, PASSING | {"no change": "MISS"}),
        ({"warm": 151.0}, PASSING | {"warm clean build": "MISS"}),
        ({"indexer_peak_mib": 2107.0}, PASSING | {"search indexer peak": "MISS"}),
        ({"first_query_kb": 384.0, "median_ms": 522.0},
         PASSING | {"first search query": "MISS", "median query": "MISS"}),
        ({"hugo": None, "hugo_missing": "no hugo on PATH"},
         PASSING | {"one profile edited": "skipped: no hugo on PATH", "no change": "skipped: no hugo on PATH"}),
        ({"indexer_peak_mib": None, "indexer_where": "the Pagefind binary is missing"},
         PASSING | {"search indexer peak": "skipped: the Pagefind binary is missing"}),
        ({"first_query_kb": None, "median_ms": None, "search_where": "no Chromium at /x"},
         PASSING | {"first search query": "skipped: no Chromium at /x", "median query": "skipped: no Chromium at /x"}),
        # The search targets are stated at 20,000 profiles: at another size the verdict says the size.
        ({"profiles": 500, "median_ms": 400.0},
         PASSING | {"first search query": "PASS at 500 profiles", "median query": "MISS at 500 profiles"}),
    ],
)  # fmt: skip
def test_issue_20_verdicts_from_stored_figures(changes, verdicts):
    """Each of issue 20's rows turns stored figures into PASS, MISS or skipped with the reason."""
    rows = issue_rows(_figures(**changes))
    assert [row.name for row in rows] == list(ISSUE_ROWS)
    assert {row.name: row.verdict for row in rows} == verdicts


def test_issue_20_table_says_the_measured_values_targets_and_languages():
    """The table's header names the size and the UI languages; each row its value, the reference and the target."""
    lines = issue_report(_figures(one_profile=20.0, hugo=50.0))
    assert lines[0] == "issue 20 targets at 20,000 profiles, in 5 UI languages (de, en, fr, pl, ja):"
    assert lines[1].split() == ["row", "measured", "target", "verdict"]
    text = "\n".join(lines)
    assert re.search(
        r"one profile edited +20\.00 s = 0\.40x Hugo's 50\.00 s +<= 0\.25x Hugo's clean build +MISS", text
    )
    assert re.search(r"no change +5\.00 s = 0\.10x Hugo's 50\.00 s +<= 0\.2x Hugo's clean build +PASS", text)
    assert re.search(
        r"warm clean build +150\.00 s = 1\.50x bare Pelican's 100\.00 s +<= 1\.5x bare Pelican's", text
    )
    assert re.search(
        r"search indexer peak +900 MiB \(ja, largest of 5 language runs\) +<= 1,024 MiB +PASS", text
    )
    assert re.search(r"first search query +250\.0 kB +<= 300 kB at 20,000 profiles +PASS$", text, re.M)
    assert re.search(r"median query +120\.0 ms +<= 300 ms at 20,000 profiles +PASS$", text, re.M)
