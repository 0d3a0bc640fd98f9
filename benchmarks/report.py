"""The report: the table of builds and stages, the comparisons of the builds and the targets' verdicts."""

from __future__ import annotations

import re
from dataclasses import dataclass

from benchmarks.network import FULL_SIZE
from benchmarks.runners import ChildRun

PLUGIN_STAGES = (
    "read+validate",
    "render-markdown",
    "matching",
    "write-pages",
    "copy-images",
    "feeds",
    "alerts",
    "search-index",
)
"""The stages the site build's Stopwatch (cucon.stopwatch) logs, in build order (cucon.site.build)."""

STAGE_LINE = re.compile(
    r"cucon stage (?P<name>\S+): (?P<seconds>\d+(?:\.\d+)?) s(?:, CPU (?P<cpu>\d+(?:\.\d+)?) s)?"
    r"(?:, peak (?P<peak>\d+) MiB)?"
)


VERIFY_IGNORE = ("pagefind/", "pagefind-delta/")
"""What ``--verify`` does not compare byte for byte: the Pagefind bundle, whose file names are hashes
(its answers are compared instead: benchmarks.search.search_differences)."""

FIRST_DIFFERENCES = 20
"""How many differing files the report lists per rebuild."""

COLD, NO_CHANGE, WARM, ONE_PROFILE, NIGHTLY = (
    "build (cold cache)",
    "rebuild (no change)",
    "build (warm cache)",
    "rebuild (one profile)",
    "rebuild (nightly)",
)
OUR_BUILDS = (COLD, NO_CHANGE, WARM, ONE_PROFILE, NIGHTLY)
"""Our builds, in the order a run makes them."""
REBUILDS = (NO_CHANGE, ONE_PROFILE, NIGHTLY)
"""The builds that find the previous output and state: what ``--verify`` checks."""
PELICAN, HUGO = "bare Pelican (clean)", "Hugo (clean)"
REFERENCES = {COLD: "ours cold", WARM: "ours warm", PELICAN: "Pelican", HUGO: "Hugo"}
"""The clean builds every build is compared with, and their column titles."""

INCREMENTAL_TARGET = 0.25
"""A rebuild after one profile's edit, and the nightly rebuild, take at most this times Hugo's clean build."""
WARM_TARGET = 1.5
"""Our warm clean build takes at most this times bare Pelican's clean build."""
PEAK_TARGET_MIB = 2048
MATCHING_TARGET = 0.10
"""Matching and each profile's alerts (its feed and calendar) add at most this share to our warm clean build."""
MATCHING_STAGES = ("matching", "alerts")
"""The stages of issue 17's target: the match lists, and the feeds and calendars of "calls for you"."""
"""Peak memory of our builds at 10,000 profiles, at most."""


def parse_stages(log: str) -> dict[str, tuple[float, float | None]]:
    """The plugin's stage lines in a build log: seconds and peak MiB by stage name.

    >>> parse_stages("[10:00:01] INFO  cucon stage read+validate: 1.23 s, peak 812 MiB  __init__.py:55")
    {'read+validate': (1.23, 812.0)}
    >>> parse_stages("INFO: cucon stage write-pages: 12.30 s")
    {'write-pages': (12.3, None)}
    >>> parse_stages("cucon stage feeds: 2.00 s, CPU 1.50 s, peak 900 MiB")
    {'feeds': (2.0, 900.0)}
    """
    found = {}
    for match in STAGE_LINE.finditer(log):
        peak = match.group("peak")
        found[match.group("name")] = (float(match.group("seconds")), float(peak) if peak else None)
    return found


def parse_stage_cpu(log: str) -> dict[str, float]:
    """The CPU seconds of the plugin's stage lines that have them, by stage name.

    >>> parse_stage_cpu("cucon stage feeds: 2.00 s, CPU 1.50 s, peak 900 MiB\\ncucon stage alerts: 1.00 s")
    {'feeds': 1.5}
    """
    return {m.group("name"): float(m.group("cpu")) for m in STAGE_LINE.finditer(log) if m.group("cpu")}


@dataclass
class Row:
    """One line of the report: a stage, its time, its peak memory and what it worked on."""

    stage: str
    seconds: float | None
    peak_mib: float | None = None
    items: int | None = None
    unit: str = "items"
    indent: bool = False
    cpu_seconds: float | None = None


def _cell(value: float | None, width: int, decimals: int) -> str:
    """A number right-aligned in a column, or a dash where there is none."""
    return f"{value:{width},.{decimals}f}" if value is not None else f"{'-':>{width}}"


def format_table(rows: list[Row]) -> str:
    """The report as a plain-text table, with wall seconds per 1,000 items where there are items.

    >>> print(format_table([Row("build", 12.5, 800, 14070, cpu_seconds=20.1),
    ...                     Row("write-pages", 9.0, 790, 28000, "pages", True)]))
    stage                       wall s      CPU s  peak MiB              items  s / 1000
    -----------------------  ---------  ---------  --------  -----------------  --------
    build                        12.50      20.10       800       14,070 items     0.888
      write-pages                 9.00          -       790       28,000 pages     0.321
    """
    widths = (23, 9, 9, 8, 17, 8)
    titles = ("wall s", "CPU s", "peak MiB", "items", "s / 1000")
    header = f"{'stage':<23}  " + "  ".join(f"{t:>{w}}" for t, w in zip(titles, widths[1:], strict=True))
    lines = [header, "  ".join("-" * width for width in widths)]
    for row in rows:
        name = ("  " if row.indent else "") + row.stage
        items = f"{row.items:,} {row.unit}" if row.items else "-"
        rate = 1000 * row.seconds / row.items if row.items and row.seconds is not None else None
        cells = (
            f"{name:<23}",
            _cell(row.seconds, 9, 2),
            _cell(row.cpu_seconds, 9, 2),
            _cell(row.peak_mib, 8, 0),
            f"{items:>17}",
            _cell(rate, 8, 3),
        )
        lines.append("  ".join(cells))
    return "\n".join(lines)


def verdict(passed: bool) -> str:
    """PASS or MISS."""
    return "PASS" if passed else "MISS"


def _ratio(numerator: float, denominator: float) -> float | None:
    """``numerator / denominator``, or None for a zero denominator."""
    return numerator / denominator if denominator else None


METRICS = {
    "wall time": lambda run: run.seconds,
    "CPU time": lambda run: run.cpu_seconds,
    "peak memory": lambda run: run.peak_mib,
}
"""What the comparison compares, taken from a ChildRun."""


def comparison_report(runs: dict[str, ChildRun]) -> list[str]:
    """Every build's wall time, CPU time and peak memory, and its ratio to each clean build (row / column)."""
    builds = [name for name in (*OUR_BUILDS, PELICAN, HUGO) if name in runs]
    references = [name for name in REFERENCES if name in runs]
    lines = [
        "builds compared (CPU: user + sys of the build and the workers it waited for; cores: CPU / wall):",
        f"  {'':<23}  {'wall s':>9}  {'CPU s':>9}  {'cores':>5}  {'peak MiB':>8}",
    ]
    for name in builds:
        run = runs[name]
        lines.append(
            f"  {name:<23}  {run.seconds:9.2f}  {run.cpu_seconds:9.2f}  "
            f"{_cell(_ratio(run.cpu_seconds, run.seconds), 5, 2)}  {run.peak_mib:8.0f}"
        )
    for metric, value in METRICS.items():
        lines += [
            "",
            f"  {metric + ' ratios (row / column)':<36}"
            + "".join(f"{REFERENCES[r]:>11}" for r in references),
        ]
        for name in builds:
            cells = (_ratio(value(runs[name]), value(runs[reference])) for reference in references)
            lines.append(
                f"  {name:<36}"
                + "".join(f"{_cell(c, 10, 2)}x" if c is not None else f"{'-':>11}" for c in cells)
            )
    return lines


def _against(name: str, runs: dict[str, ChildRun], reference: str, limit: float, missing: str) -> str:
    """A target line: a build's wall time as a multiple of a reference build's, with its verdict."""
    run = runs[name]
    label = REFERENCES[reference]
    if reference not in runs:
        return f"  {name:<23} {run.seconds:8.2f} s  (target <= {limit:g}x {label}'s clean build: skipped, {missing})"
    base = runs[reference].seconds
    ratio = run.seconds / base
    return (
        f"  {name:<23} {run.seconds:8.2f} s  = {ratio:.2f}x {label}'s clean build of {base:.2f} s "
        f"(target <= {limit:g}x: {verdict(ratio <= limit)})"
    )


def _matching(warm: ChildRun) -> str:
    """The target line of the matching stages: their share of the warm clean build, with its verdict."""
    stages = parse_stages(warm.output)
    seconds = sum(stages.get(name, (0.0, None))[0] for name in MATCHING_STAGES)
    share = seconds / warm.seconds
    return (
        f"  {' + '.join(MATCHING_STAGES):<23} {seconds:8.2f} s  = {share:.1%} of {WARM} of {warm.seconds:.2f} s "
        f"(target <= {MATCHING_TARGET:.0%}: {verdict(share <= MATCHING_TARGET)})"
    )


def targets_report(runs: dict[str, ChildRun], profiles: int, hugo_missing: str) -> list[str]:
    """The build targets of issue 9 with their verdicts; the memory target only at 10,000 profiles."""
    lines = [
        "build targets:",
        _against(ONE_PROFILE, runs, HUGO, INCREMENTAL_TARGET, hugo_missing),
        _against(NIGHTLY, runs, HUGO, INCREMENTAL_TARGET, hugo_missing),
        _against(WARM, runs, PELICAN, WARM_TARGET, "no bare Pelican"),
    ]
    lines.append(_matching(runs[WARM]))
    heaviest = max(OUR_BUILDS, key=lambda name: runs[name].peak_mib)
    peak = runs[heaviest].peak_mib
    full = FULL_SIZE["profiles"]
    if profiles == full:
        lines.append(
            f"  {'peak memory':<23} {peak:8.0f} MiB of {heaviest}, at {full:,} profiles "
            f"(target <= {PEAK_TARGET_MIB} MiB: {verdict(peak <= PEAK_TARGET_MIB)})"
        )
    else:
        lines.append(
            f"  {'peak memory':<23} {peak:8.0f} MiB of {heaviest}, at {profiles:,} profiles: no verdict, the target "
            f"(<= {PEAK_TARGET_MIB} MiB) is for {full:,} profiles; pro rata {PEAK_TARGET_MIB * profiles / full:,.0f} MiB "
            "here, though a build's fixed memory does not shrink with the network"
        )
    lines.append(
        f"  {'peak per 1,000 profiles':<23} {1000 * peak / profiles:8.1f} MiB (to compare runs: at 20,000 profiles "
        "the peak may be at most 2.1x the peak at 10,000)"
    )
    return lines


def verify_report(differences: dict[str, list[str]], files: dict[str, int]) -> list[str]:
    """The lines of the report about --verify: each rebuild identical to a clean build, or how it differs."""
    lines = [
        "verify: each rebuild against a clean build of the same content and settings in a separate folder, "
        f"byte for byte ({', '.join(VERIFY_IGNORE)} aside), and the search bundles' answers to fixed queries:"
    ]
    for name, found in differences.items():
        if not found:
            lines.append(f"  {name:<23} identical ({files[name]:,} files)")
            continue
        lines.append(f"  {name:<23} DIFFERS: {len(found):,} files (changed, missing or extra in the rebuild)")
        lines += [f"      {difference}" for difference in found[:FIRST_DIFFERENCES]]
        if len(found) > FIRST_DIFFERENCES:
            lines.append(f"      ... and {len(found) - FIRST_DIFFERENCES:,} more")
    return lines


NO_CHANGE_TARGET = 0.2
"""Issue 20: a rebuild without a change takes at most this times Hugo's clean build."""
INDEXER_PEAK_TARGET_MIB = 1024
"""Issue 20: the peak memory of the search indexer (the largest of its Pagefind runs), at most."""
FIRST_QUERY_TARGET_KB = 300.0
"""Issue 20: kB of index data a visitor's first search query fetches, at most, at SEARCH_TARGET_PROFILES."""
MEDIAN_QUERY_TARGET_MS = 300.0
"""Issue 20: the median milliseconds from typing a query to its results shown, at most, at SEARCH_TARGET_PROFILES."""
SEARCH_TARGET_PROFILES = 20_000
"""The network size at which issue 20 states its search targets."""
SKIPPED = "skipped"


@dataclass
class IssueFigures:
    """One run's figures behind issue 20's table; None where a figure is missing, with the reason beside it."""

    profiles: int
    languages: tuple[str, ...]
    one_profile: float
    no_change: float
    warm: float
    pelican: float
    hugo: float | None
    hugo_missing: str = ""
    indexer_peak_mib: float | None = None
    indexer_where: str = ""
    """Which Pagefind run had the peak, or why there is no figure."""
    first_query_kb: float | None = None
    median_ms: float | None = None
    search_where: str = ""
    """How the search figures were measured, or why there are none."""


@dataclass
class TargetRow:
    """A row of issue 20's table: what was measured, the target and the verdict (PASS, MISS or skipped …)."""

    name: str
    measured: str
    target: str
    verdict: str


def _against_hugo(name: str, seconds: float, figures: IssueFigures, limit: float) -> TargetRow:
    """A rebuild's wall time against Hugo's clean build; skipped, with the reason, without Hugo."""
    target = f"<= {limit:g}x Hugo's clean build"
    if figures.hugo is None:
        return TargetRow(name, f"{seconds:.2f} s", target, f"{SKIPPED}: {figures.hugo_missing}")
    ratio = seconds / figures.hugo
    return TargetRow(
        name, f"{seconds:.2f} s = {ratio:.2f}x Hugo's {figures.hugo:.2f} s", target, verdict(ratio <= limit)
    )


def _search_verdict(passed: bool, profiles: int) -> str:
    """The verdict of a search target, which issue 20 states at 20,000 profiles: the size said where it differs.

    >>> _search_verdict(True, 20_000), _search_verdict(False, 500)
    ('PASS', 'MISS at 500 profiles')
    """
    here = "" if profiles == SEARCH_TARGET_PROFILES else f" at {profiles:,} profiles"
    return verdict(passed) + here


def issue_rows(figures: IssueFigures) -> list[TargetRow]:
    """Issue 20's six targets with what was measured and the verdicts."""
    warm_ratio = figures.warm / figures.pelican
    rows = [
        _against_hugo("one profile edited", figures.one_profile, figures, INCREMENTAL_TARGET),
        _against_hugo("no change", figures.no_change, figures, NO_CHANGE_TARGET),
        TargetRow(
            "warm clean build",
            f"{figures.warm:.2f} s = {warm_ratio:.2f}x bare Pelican's {figures.pelican:.2f} s",
            f"<= {WARM_TARGET:g}x bare Pelican's clean build",
            verdict(warm_ratio <= WARM_TARGET),
        ),
    ]
    peak_target = f"<= {INDEXER_PEAK_TARGET_MIB:,} MiB"
    if figures.indexer_peak_mib is None:
        rows.append(TargetRow("search indexer peak", "-", peak_target, f"{SKIPPED}: {figures.indexer_where}"))
    else:
        rows.append(
            TargetRow(
                "search indexer peak",
                f"{figures.indexer_peak_mib:,.0f} MiB ({figures.indexer_where})",
                peak_target,
                verdict(figures.indexer_peak_mib <= INDEXER_PEAK_TARGET_MIB),
            )
        )
    at = f" at {SEARCH_TARGET_PROFILES:,} profiles"
    for name, value, unit, limit in (
        ("first search query", figures.first_query_kb, "kB", FIRST_QUERY_TARGET_KB),
        ("median query", figures.median_ms, "ms", MEDIAN_QUERY_TARGET_MS),
    ):
        target = f"<= {limit:g} {unit}{at}"
        if value is None:
            rows.append(TargetRow(name, "-", target, f"{SKIPPED}: {figures.search_where}"))
        else:
            rows.append(
                TargetRow(
                    name, f"{value:,.1f} {unit}", target, _search_verdict(value <= limit, figures.profiles)
                )
            )
    return rows


def issue_report(figures: IssueFigures) -> list[str]:
    """Issue 20's table: each target's measured value, target and verdict, with the run's size and languages.

    >>> figures = IssueFigures(500, ("de", "en"), 3.0, 1.0, 20.0, 10.0, None, "no hugo on PATH",
    ...                        search_where="no Chromium")
    >>> print("\\n".join(issue_report(figures)))  # doctest: +NORMALIZE_WHITESPACE
    issue 20 targets at 500 profiles, in 2 UI languages (de, en):
      row                  measured                                target                              verdict
      one profile edited   3.00 s                                  <= 0.25x Hugo's clean build         skipped: no hugo on PATH
      no change            1.00 s                                  <= 0.2x Hugo's clean build          skipped: no hugo on PATH
      warm clean build     20.00 s = 2.00x bare Pelican's 10.00 s  <= 1.5x bare Pelican's clean build  MISS
      search indexer peak  -                                       <= 1,024 MiB                        skipped:
      first search query   -                                       <= 300 kB at 20,000 profiles        skipped: no Chromium
      median query         -                                       <= 300 ms at 20,000 profiles        skipped: no Chromium
    """
    rows = issue_rows(figures)
    columns = [("row", "name"), ("measured", "measured"), ("target", "target")]
    widths = [max(len(title), *(len(getattr(row, field)) for row in rows)) for title, field in columns]
    lines = [
        f"issue 20 targets at {figures.profiles:,} profiles, in {len(figures.languages)} UI languages "
        f"({', '.join(figures.languages)}):",
        "  "
        + "  ".join(f"{title:<{width}}" for (title, _), width in zip(columns, widths, strict=True))
        + "  verdict",
    ]
    for row in rows:
        cells = (row.name, row.measured, row.target)
        lines.append(
            "  "
            + "  ".join(f"{cell:<{width}}" for cell, width in zip(cells, widths, strict=True))
            + f"  {row.verdict}"
        )
    return [line.rstrip() for line in lines]
