"""Running and measuring the children: our build, cucon check, and the baselines bare Pelican and Hugo."""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from benchmarks.network import markdown_text, read_markdown

logger = logging.getLogger(__name__)


def maxrss_mib(maxrss: int) -> float:
    """``ru_maxrss`` in MiB: Linux counts KiB, macOS bytes."""
    return maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)


@dataclass
class ChildRun:
    """A finished child process: exit code, wall time, peak memory and its output."""

    returncode: int
    seconds: float
    peak_mib: float
    output: str
    cpu_seconds: float = 0.0
    """User + system time of the child and of the processes it waited for (its workers)."""


def run_child(args: list[str], cwd: Path, env: dict[str, str], log_path: Path) -> ChildRun:
    """Run a command to completion with its output in a log file; measure its time and peak RSS."""
    logger.debug("running %s", " ".join(args))
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(args, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            # wait4 gives the rusage of this one child, not of all children so far.
            _, status, usage = os.wait4(process.pid, 0)
        except BaseException:
            process.kill()
            process.wait()
            raise
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output = log_path.read_text("utf-8", errors="replace")
    cpu = usage.ru_utime + usage.ru_stime
    return ChildRun(process.returncode, seconds, maxrss_mib(usage.ru_maxrss), output, cpu)


def _child_env(repo: Path) -> dict[str, str]:
    """The environment of the children: the cucon package and the plugin importable, no line wrapping."""
    env = dict(os.environ)
    paths = [str(repo / "src"), str(repo / "plugins")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["COLUMNS"] = "400"  # Pelican logs through rich, which wraps long lines at the terminal width
    env.pop("SOURCE_DATE_EPOCH", None)
    return env


def _cucon_command() -> list[str]:
    """The ``cucon`` command of the running interpreter's environment."""
    script = Path(sys.executable).parent / "cucon"
    return [str(script)] if script.is_file() else [sys.executable, "-m", "cucon.cli"]


PELICAN_MAIN = (
    "import logging, sys; from pelican import main; "
    "logging.getLogger('cucon.site').setLevel(logging.INFO); "
    "sys.argv[0] = 'pelican'; main()"
)
"""``python -m pelican``, with the plugins' INFO lines (its stage times) but without ``--verbose``,
which would log every written page and slow down the build being measured. Pelican is imported
first, so the plugin's logger is still Pelican's and ``--fatal warnings`` still applies to it."""


def _pelican_command(
    content: Path, output: Path, cache: Path, build_time: str, repo: Path, languages: tuple[str, ...]
) -> list[str]:
    """Build ``content`` into ``output`` with the repository's settings, theme and plugins, at ``build_time``,
    in the UI ``languages``."""
    overrides = {
        "CUCON_SAMPLE_DATES_ANCHOR": None,
        "CACHE_PATH": str(cache),
        "CUCON_BUILD_TIME": build_time,
        "CUCON_LANGUAGES": list(languages),
    }
    return [
        sys.executable,
        "-c",
        PELICAN_MAIN,
        str(content),
        "-s",
        str(repo / "pelicanconf.py"),
        "-o",
        str(output),
        "--fatal",
        "warnings",
        "-e",
        *(f"{key}={json.dumps(value)}" for key, value in overrides.items()),
    ]


def _failed(stage: str, run: ChildRun, log_path: Path) -> int:
    """Log a failed child with the end of its output; the benchmark's exit code."""
    tail = "\n".join(run.output.rstrip().splitlines()[-25:])
    logger.error(
        "stage %s failed with exit code %d after %.1f s; full log: %s\n%s",
        stage,
        run.returncode,
        run.seconds,
        log_path,
        tail,
    )
    return run.returncode or 1


def output_stats(output: Path) -> tuple[int, int, int]:
    """HTML pages, all files, and total bytes below an output folder."""
    pages = files = size = 0
    for path in output.rglob("*"):
        if path.is_file():
            files += 1
            size += path.stat().st_size
            pages += path.suffix == ".html"
    return pages, files, size


PLAIN_FIELDS = {
    "profiles": ("name", lambda meta: meta["consent"]["date"]),
    "calls": ("title", lambda meta: meta["published"]),
    "news": ("title", lambda meta: meta["date"]),
}
"""Per folder of the network: the field that is an item's title, and its date."""


@dataclass
class PlainItem:
    """A profile, call or news item as a plain article: what both baselines build."""

    section: str
    slug: str
    title: str
    date: str
    summary: str
    body: str


def plain_items(content: Path) -> Iterator[PlainItem]:
    """The network's profiles, calls and news items as plain articles, in a stable order."""
    for section, (title_field, date_of) in PLAIN_FIELDS.items():
        for path in sorted((content / section).glob("*.md")):
            meta, body = read_markdown(path)
            yield PlainItem(section, path.stem, meta[title_field], str(date_of(meta)), meta["summary"], body)


PELICAN_BASELINE_SETTINGS = '''"""Bare Pelican for cucon bench: the default theme, no plugins, the network's items as plain articles."""

AUTHOR = "cucon bench"
SITENAME = "CuCon baseline"
SITEURL = ""
TIMEZONE = "Europe/Berlin"
DEFAULT_LANG = "de"
PLUGINS = []
RELATIVE_URLS = True
DELETE_OUTPUT_DIRECTORY = True
'''

HUGO_SETTINGS = """baseURL = "/"
languageCode = "de"
title = "CuCon baseline"
theme = "minimal"
buildFuture = true
relativeURLs = true
"""
"""Hugo's settings: future dates built too, as Pelican does by default (the network dates a year ahead)."""

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html>
<html lang="{{ .Site.LanguageCode }}">
<head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title></head>
<body>
<header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ block "main" . }}{{ end }}</main>
</body>
</html>
""",
    "_default/single.html": """{{ define "main" }}<article>
<h1>{{ .Title }}</h1>
<time datetime="{{ .Date.Format "2006-01-02" }}">{{ .Date.Format "2 January 2006" }}</time>
<p>{{ .Summary }}</p>
{{ .Content }}
</article>{{ end }}
""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
<ul>{{ range .Pages }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> {{ .Summary }}</li>{{ end }}
</ul>{{ end }}
""",
    "index.html": """{{ define "main" }}<h1>{{ .Site.Title }}</h1>
<ul>{{ range .Site.Sections }}
<li><a href="{{ .RelPermalink }}">{{ .Title }}</a> ({{ len .Pages }})</li>{{ end }}
</ul>{{ end }}
""",
}
"""The minimal Hugo theme: a base page, an article, a listing and the home page."""


def write_baselines(content: Path, pelican: Path, hugo: Path) -> int:
    """Write the network's items as plain Markdown for bare Pelican and for Hugo; the number of articles."""
    (pelican / "content").mkdir(parents=True)
    (pelican / "pelicanconf.py").write_text(PELICAN_BASELINE_SETTINGS, "utf-8")
    (hugo / "hugo.toml").parent.mkdir(parents=True)
    (hugo / "hugo.toml").write_text(HUGO_SETTINGS, "utf-8")
    for name, template in HUGO_LAYOUTS.items():
        path = hugo / "themes" / "minimal" / "layouts" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(template, "utf-8")
    articles = 0
    for item in plain_items(content):
        # Slugs are unique within a folder only: the folder's name keeps Pelican's flat URLs apart.
        header = (
            f"Title: {item.title}\nDate: {item.date}\nSlug: {item.section}-{item.slug}\n"
            f"Category: {item.section}\nSummary: {item.summary}\n\n"
        )
        (pelican / "content" / f"{item.section}-{item.slug}.md").write_text(header + item.body, "utf-8")
        front_matter = {"title": item.title, "date": item.date, "summary": item.summary}
        page = hugo / "content" / item.section / f"{item.slug}.md"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(markdown_text(front_matter, item.body), "utf-8")
        articles += 1
    return articles


def _bare_pelican_command(folder: Path) -> list[str]:
    """The venv's Pelican on the baseline's content, settings and output folder."""
    settings = folder / "pelicanconf.py"
    return [
        sys.executable,
        "-m",
        "pelican",
        str(folder / "content"),
        "-s",
        str(settings),
        "-o",
        str(folder / "output"),
    ]


def hugo_executable() -> str | None:
    """The ``hugo`` on PATH, or None."""
    return shutil.which("hugo")


def hugo_version(executable: str) -> str:
    """Hugo's version number, e.g. ``0.111.3``, or what ``hugo version`` said."""
    said = subprocess.run([executable, "version"], capture_output=True, text=True, check=False).stdout
    found = re.search(r"v(\d+\.\d+\.\d+)", said)
    return found.group(1) if found else said.strip()


def _hugo_command(executable: str, folder: Path) -> list[str]:
    """Hugo's clean build of the baseline site into ``public/``, without minifying."""
    return [
        executable,
        "--quiet",
        "--source",
        str(folder),
        "--destination",
        str(folder / "public"),
        "--cacheDir",
        str(folder / "cache"),
    ]
