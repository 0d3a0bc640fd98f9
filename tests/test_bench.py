"""`cucon bench`: a real run at a tiny size, its report, and the network it generates."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.util
import logging
import re
from pathlib import Path

import pytest
from conftest import output_of, run_cucon, tree

from cucon.bench import (
    MARKER,
    PLUGIN_STAGES,
    ChildRun,
    SearchSkipped,
    chromium_executable,
    generate_network,
    measure_search,
    parse_stages,
    run_benchmark,
    search_report,
)
from cucon.content import load_site
from cucon.stopwatch import Stopwatch

logger = logging.getLogger(__name__)

TOP_STAGES = ("generate", "check", "build", "rebuild (no change)")


def _stage_rows(report: str, stage: str) -> list[str]:
    """The report's rows for a stage: its name, then seconds and peak MiB as numbers."""
    return re.findall(rf"^ *{re.escape(stage)} +\d+\.\d+ +\d+ +.*$", report, re.M)


@pytest.fixture(scope="module")
def bench_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[int, str, str, Path]:
    """``cucon bench --size 0.005`` run once for real: exit code, report, log and its site folder."""
    site = tmp_path_factory.mktemp("bench") / "site"
    result = run_cucon("bench", "--size", "0.005", "--workdir", str(site), cwd=site.parent)
    logger.info("cucon bench output:\n%s", output_of(result))
    return result.returncode, result.stdout, result.stderr, site


@pytest.mark.slow
def test_bench_exits_0_and_reports_every_stage(bench_run):
    """Every stage, and every build stage of the plugin twice (build and rebuild), has a row with numbers."""
    returncode, report, log, _ = bench_run
    assert returncode == 0, log
    for stage in TOP_STAGES:
        assert len(_stage_rows(report, stage)) == 1, f"no row for {stage!r} in:\n{report}"
    for stage in PLUGIN_STAGES:
        assert len(_stage_rows(report, stage)) == 2, f"expected 2 rows for {stage!r} in:\n{report}"
    assert "50 profiles, 10 calls, 10 news items" in report


@pytest.mark.slow
def test_bench_reports_the_search_targets(bench_run):
    """Indexing's share of the clean build, and Chromium's first-query transfer and latency, with numbers and verdicts."""
    returncode, report, log, _ = bench_run
    assert returncode == 0, log
    assert "Traceback" not in log
    verdict = r"(PASS|MISS)\)"
    indexing = (
        rf"^  indexing +\d+\.\d+ s += \d+\.\d % of the clean build's \d+\.\d+ s \(target <= 15 %: {verdict}$"
    )
    assert re.search(indexing, report, re.M), report
    if importlib.util.find_spec("playwright") is None or not Path(chromium_executable()).is_file():
        assert re.search(r"^  in Chromium +skipped: ", report, re.M), report
        return
    first = rf"^  first query +\d+\.\d kB .* of [1-9][\d,]* results, \d+ ms \(target <= 300 kB: {verdict}$"
    assert re.search(first, report, re.M), report
    assert re.search(r"^ +all bundle files .* \(requests\): .*fragment \d+\.\d kB \(5\)", report, re.M), (
        report
    )
    latency = rf"^  20 queries +\d+\.\d ms +median, max \d+\.\d ms, .* \(target median <= 300 ms: {verdict}; "
    assert re.search(latency, report, re.M), report


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
    pages = len(list(output.rglob("*.html")))
    assert f"output: {pages:,} HTML pages" in report
    assert (site / MARKER).is_file()


@pytest.mark.slow
def test_bench_pictures_are_distinct(bench_run):
    """Every generated picture has its own bytes, so an image cache sees one hash per picture."""
    *_, site = bench_run
    pictures = sorted((site / "content").rglob("*.jpg"))
    assert len(pictures) == 50 + 1  # every profile, and one news item in ten
    assert len({hashlib.sha256(p.read_bytes()).hexdigest() for p in pictures}) == len(pictures)


def test_generated_network_is_deterministic(tmp_path: Path):
    """The same size and day give the same network, byte for byte."""
    today = dt.date(2026, 11, 27)
    generate_network(tmp_path / "a", 0.002, today)
    generate_network(tmp_path / "b", 0.002, today)
    assert tree(tmp_path / "a") == tree(tmp_path / "b")


def test_stopwatch_lines_parse(caplog: pytest.LogCaptureFixture):
    """The benchmark reads the plugins' Stopwatch lines: time and peak memory of each stage."""
    caplog.set_level(logging.INFO, logger="cucon_site")
    Stopwatch(logging.getLogger("cucon_site")).lap("write-pages")
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


def test_bench_refuses_a_size_of_0(caplog: pytest.LogCaptureFixture):
    """A size of 0 or less is an error, not an empty benchmark."""
    assert run_benchmark(scale=0) == 2
    assert "--size must be greater than 0" in caplog.text
