"""The cost of the UI languages: the same network built cleanly in 2 and in 5 UI languages, stage by stage.

Both builds start from a warm image cache and no incremental state (as ``build (warm cache)``), so
each pays the same reading, rendering of Markdown, matching and image work; what grows with the
languages should be only what is written per language: the pages (``write-pages``) and the search
index (``search-index``), and, per language too, the network's feeds and the profiles' alerts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from benchmarks.report import PLUGIN_STAGES, parse_stage_cpu, parse_stages
from benchmarks.runners import ChildRun

FEW_LANGUAGES = ("de", "en")
"""The UI languages of the smaller build: the repository's default until issue 18."""
ALL_LANGUAGES = ("de", "en", "fr", "pl", "ja")
"""The UI languages of issue 18."""
FEW_BUILD = "build (warm cache, 2 languages)"
"""The bench's build in FEW_LANGUAGES; ``build (warm cache)`` is the same build in ALL_LANGUAGES."""
RENDER_AND_INDEX = ("write-pages", "search-index")
"""The stages that should be the only ones to grow with the languages."""
FILE_STAGES = {
    "pagefind/": "search-index",
    "media/": "copy-images",
    "feeds/profile/": "alerts",
    "calendars/profile/": "alerts",
    "feeds/": "feeds",
    "calendars/": "feeds",
    "digests/": "feeds",
}
"""The stage that writes the files below each folder of a UI language (the first match); the rest are pages."""


def stage_of_file(path: str, languages: tuple[str, ...]) -> str:
    """The stage that writes a file of the output, by its path with or without a UI language's prefix.

    >>> [stage_of_file(p, ("de", "ja")) for p in ("ja/feeds/profile/anna/atom.xml", "feeds/all/atom.xml",
    ...  "pagefind/pagefind.js", "ja/profiles/anna/index.html", "media/a/480.jpg", "ja/digests/x.txt")]
    ['alerts', 'feeds', 'search-index', 'write-pages', 'copy-images', 'feeds']
    """
    first, _, rest = path.partition("/")
    if first in languages and rest:
        path = rest
    return next((stage for folder, stage in FILE_STAGES.items() if path.startswith(folder)), "write-pages")


def files_by_stage(output: Path, languages: tuple[str, ...]) -> Counter[str]:
    """How many files of an output folder each stage wrote."""
    return Counter(
        stage_of_file(path.relative_to(output).as_posix(), languages)
        for path in output.rglob("*")
        if path.is_file()
    )


@dataclass
class LanguageBuild:
    """A clean build in some UI languages: its measured child and its files by stage."""

    languages: tuple[str, ...]
    run: ChildRun
    files: Counter[str]

    def figures(self, stage: str) -> tuple[float, float, float, int]:
        """Wall seconds, CPU seconds, peak MiB and files of one plugin stage, or of the whole build (``""``)."""
        if not stage:
            return self.run.seconds, self.run.cpu_seconds, self.run.peak_mib, sum(self.files.values())
        seconds, peak = parse_stages(self.run.output).get(stage, (0.0, None))
        cpu = parse_stage_cpu(self.run.output).get(stage, 0.0)
        return seconds, cpu, peak or 0.0, self.files.get(stage, 0)


def languages_report(few: LanguageBuild, every: LanguageBuild) -> list[str]:
    """The build of ``few`` and of ``every`` language side by side, per stage, and the cost per added language."""
    added = len(every.languages) - len(few.languages)
    lines = [
        f"languages: clean builds (warm image cache, no incremental state) in {len(few.languages)} UI languages "
        f"({', '.join(few.languages)}) and in {len(every.languages)} ({', '.join(every.languages)}); "
        f"per added language = the difference / {added}:",
        f"  {'stage':<21}  {'wall s':>8}  {'wall s':>8}  {'per added language:':>19}  {'CPU s':>7}  "
        f"{'peak MiB':>8}  {'files':>7}",
        f"  {'':<21}  {f'{len(few.languages)} lang':>8}  {f'{len(every.languages)} lang':>8}  {'wall s':>19}",
    ]
    grown: dict[str, float] = {}
    grown_cpu: dict[str, float] = {}
    for stage in ("", *PLUGIN_STAGES):
        before, after = few.figures(stage), every.figures(stage)
        wall, cpu, peak, files = ((a - b) / added for a, b in zip(after, before, strict=True))
        if stage:
            grown[stage], grown_cpu[stage] = wall, cpu
        name = f"  {stage}" if stage else "build"
        lines.append(
            f"  {name:<21}  {before[0]:8.2f}  {after[0]:8.2f}  {wall:19.2f}  {cpu:7.2f}  {peak:8.0f}  {files:7,.0f}"
        )
    total = (every.run.seconds - few.run.seconds) / added
    total_cpu = (every.run.cpu_seconds - few.run.cpu_seconds) / added
    render_index = sum(grown[stage] for stage in RENDER_AND_INDEX)
    render_index_cpu = sum(grown_cpu[stage] for stage in RENDER_AND_INDEX)
    others = ", ".join(
        f"{stage} {seconds:.2f} s"
        for stage, seconds in sorted(grown.items(), key=lambda item: -item[1])
        if stage not in RENDER_AND_INDEX and seconds >= 0.005
    )
    lines.append(
        f"  per added language: render+index {render_index:.2f} s of {total:.2f} s added "
        f"(target: only page render and search index grow); CPU {render_index_cpu:.2f} s of {total_cpu:.2f} s"
        + (f"; also grew: {others}" if others else "")
    )
    return lines
