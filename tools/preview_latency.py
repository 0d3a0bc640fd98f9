"""Seconds from saving a profile to the preview's reload, and to the search index caught up (docs/preview.md).

Run on a site folder with ``content/`` (a bench network: ``python -m benchmarks --keep``, or
``benchmarks.network.generate_network``), from the repository root::

    PYTHONPATH=. nice -n 19 .venv/bin/python tools/preview_latency.py SITE --mode preview
    PYTHONPATH=. nice -n 19 .venv/bin/python tools/preview_latency.py SITE --mode autoreload

``preview`` runs ``cucon preview`` (``make serve`` now) and times the LiveReload messages a connected
client gets: the first (pages written), the second (search index caught up). ``autoreload`` runs
``pelican --autoreload`` (``make serve`` before), which reloads no browser: it times the end of the
build's last stage before the search index (``cucon stage alerts``: every page, feed and image written,
what the preview's first reload waits for), the edited profile's page changing on disk (the first of
its pages), and the end of the build (``Done:``, search index included). The child's log goes to
``SITE/<mode>.log``.
Each edit changes the summary of the first profile; the first build is waited for and not timed.
``--repo`` takes the settings and plugins of another checkout (with ``PYTHONPATH`` at its ``src``).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import queue
import subprocess
import sys
import threading
import time
from pathlib import Path

from tornado.websocket import websocket_connect

from benchmarks.network import markdown_text, read_markdown
from benchmarks.run import build_moment

REPO = Path(__file__).resolve().parent.parent
PROTOCOL = "http://livereload.com/protocols/official-7"


def overrides(site: Path, languages: list[str]) -> list[str]:
    """The ``-e`` settings of a bench build (fixed clock, no sample dates) for the site's cache."""
    import datetime as dt

    values = {
        "CUCON_SAMPLE_DATES_ANCHOR": None,
        "CACHE_PATH": str(site / "cache"),
        "CUCON_BUILD_TIME": build_moment(dt.date.today()),
        "CUCON_LANGUAGES": languages,
    }
    return [f"{key}={json.dumps(value)}" for key, value in values.items()]


class Child:
    """A command in the site folder with its stderr and stdout read line by line."""

    def __init__(self, command: list[str], site: Path, log: Path) -> None:
        self.process = subprocess.Popen(
            command, cwd=site, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        self.lines: queue.Queue[tuple[float, str]] = queue.Queue()

        def read() -> None:
            with log.open("w", encoding="utf-8") as file:
                for line in self.process.stdout:
                    self.lines.put((time.perf_counter(), line))
                    file.write(line)
                    file.flush()

        threading.Thread(target=read, daemon=True).start()

    def wait_for(self, text: str, timeout: float = 3600) -> tuple[float, str]:
        """The moment the next line holding ``text`` came, and the line."""
        while True:
            moment, line = self.lines.get(timeout=timeout)
            if text in line:
                return moment, line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=60)


def edit(site: Path, number: int) -> tuple[Path, str]:
    """Change the first profile's summary; the page it is shown on and the new word."""
    path = min((site / "content" / "profiles").glob("*.md"))
    meta, body = read_markdown(path)
    word = f"Kolibri{number}x{int(time.time())}"
    meta["summary"] = f"{meta['summary'][:200]} {word}"
    path.write_text(markdown_text(meta, body), "utf-8")
    return site / "output" / "profiles" / path.stem / "index.html", word


async def time_preview(child: Child, site: Path, address: str, number: int) -> tuple[float, float]:
    socket = await websocket_connect(f"ws://{address}/livereload")
    await socket.write_message(json.dumps({"command": "hello", "protocols": [PROTOCOL]}))
    await socket.read_message()
    await socket.write_message(json.dumps({"command": "info", "url": f"http://{address}/", "plugins": {}}))
    await asyncio.sleep(0.5)
    saved = time.perf_counter()
    page, word = edit(site, number)
    await socket.read_message()
    pages = time.perf_counter() - saved
    assert word in page.read_text("utf-8"), "reloaded before the page was written"
    await socket.read_message()
    searched = time.perf_counter() - saved
    socket.close()
    return pages, searched


def time_autoreload(child: Child, site: Path, number: int) -> tuple[float, float, float]:
    saved = time.perf_counter()
    page, word = edit(site, number)
    while word not in page.read_text("utf-8"):
        time.sleep(0.02)
    first = time.perf_counter() - saved
    written, _ = child.wait_for("cucon stage alerts:")
    done, _ = child.wait_for("Done: Processed")
    return written - saved, done - saved, first


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--mode", choices=("preview", "autoreload"), required=True)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--languages", default="de,en,fr,pl,ja")
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="the checkout whose settings and plugins build"
    )
    args = parser.parse_args()
    site = args.site.resolve()
    settings = overrides(site, args.languages.split(","))
    conf = str(args.repo.resolve() / "pelicanconf.py")
    if args.mode == "preview":
        command = [sys.executable, "-m", "cucon.cli", "preview", "content", "-s", conf, "-o", "output"]
        child = Child([*command, "--port", "0", "-e", *settings], site, site / "preview.log")
        _, line = child.wait_for("serving ")
        address = line.split("http://")[1].split("/")[0]
        child.wait_for("search index caught up")
    else:
        command = [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-s",
            conf,
            "-o",
            "output",
            "--fatal",
            "warnings",
        ]
        # -v: the stage lines are logged at INFO.
        child = Child([*command, "-v", "--autoreload", "-e", *settings], site, site / "autoreload.log")
        child.wait_for("Done: Processed")
    try:
        for number in range(1, args.edits + 1):
            time.sleep(2)
            if args.mode == "preview":
                pages, searched = asyncio.run(time_preview(child, site, address, number))
                first = ""
            else:
                pages, searched, seconds = time_autoreload(child, site, number)
                first = f" (the edited page itself on disk after {seconds:.2f} s)"
            print(f"edit {number}: pages {pages:.2f} s, search caught up {searched:.2f} s{first}", flush=True)
    finally:
        child.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
