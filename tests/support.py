"""What the tests share: real builds and commands in fresh processes, file trees, a static server, Chromium.

The fixtures that use these live in conftest.py; the benchmark (benchmarks/) reuses the static
server, the Chromium settings and the tree comparison.
"""

from __future__ import annotations

import contextlib
import filecmp
import functools
import logging
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
BUILD_TIME = "2026-11-27T12:00:00+00:00"
BUILD_SETTINGS = {"CUCON_BUILD_TIME": f'"{BUILD_TIME}"', "CUCON_SAMPLE_DATES_ANCHOR": "null"}
"""Settings every test build overrides: a fixed clock, and no moving sample dates."""
SAMPLE_BUILD_SETTINGS = {"CUCON_BUILD_TIME": f'"{BUILD_TIME}"'}
"""Overrides of the sample build: only the clock; the sample dates stay anchored as in pelicanconf.py."""

TIMEOUT = 120


def run(
    command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float = TIMEOUT
) -> subprocess.CompletedProcess:
    """Run a command to its end in ``cwd``, capturing what it prints as text; never raises on its exit code."""
    return subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=timeout,
        env=env,
    )


def child_env() -> dict[str, str]:
    """The environment of a child process: no terminal tricks, no clock from outside."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return env | {"NO_COLOR": "1", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}


def _split_overrides(args: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Separate ``-e KEY=VALUE …`` from other Pelican arguments (Pelican keeps only the last ``-e``)."""
    rest: list[str] = []
    overrides: dict[str, str] = {}
    collecting = False
    for arg in args:
        if arg in ("-e", "--extra-settings"):
            collecting = True
        elif collecting and "=" in arg and not arg.startswith("-"):
            key, value = arg.split("=", 1)
            overrides[key] = value
        else:
            collecting = False
            rest.append(arg)
    return rest, overrides


def run_build(site_dir: Path, *extra_args: str) -> subprocess.CompletedProcess:
    """Build ``site_dir/content`` into ``site_dir/output`` with real Pelican in a fresh process."""
    # A fresh interpreter per build: Pelican's signals are process-global. Pelican resolves the
    # relative THEME and PLUGIN_PATHS of pelicanconf.py against that file's folder, not the working
    # directory, so the build runs in site_dir and reports paths like content/profiles/x.md.
    # extra_args may add Pelican options; their -e overrides are merged into one -e with (and win
    # over) BUILD_SETTINGS, because a second -e flag would silently replace the first.
    rest, overrides = _split_overrides(extra_args)
    settings = {**BUILD_SETTINGS, **overrides}
    command = [
        sys.executable, "-m", "pelican", "content",
        "-s", str(REPO / "pelicanconf.py"),
        "-o", "output",
        "--fatal", "warnings",
        "--log-handler", "plain",
        *rest,
        "-e", *(f"{key}={value}" for key, value in settings.items()),
    ]  # fmt: skip
    return run(command, site_dir, child_env())


def run_sample_build(output: Path) -> subprocess.CompletedProcess:
    """Build the sample network of content/ as ``make html`` does (SITEURL ""), but into ``output``."""
    # All overrides go into one -e: Pelican keeps the last.
    command = [
        sys.executable, "-m", "pelican", "content",
        "-s", "pelicanconf.py",
        "-o", str(output),
        "--fatal", "warnings",
        "--log-handler", "plain",
        "-e", *(f"{key}={value}" for key, value in SAMPLE_BUILD_SETTINGS.items()),
    ]  # fmt: skip
    return run(command, REPO, child_env())


def run_cucon(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the ``cucon`` command in a fresh process in ``cwd``."""
    return run([sys.executable, "-m", "cucon.cli", *args], cwd, child_env())


def output_of(result: subprocess.CompletedProcess) -> str:
    """Everything a finished process printed, stdout then stderr."""
    return result.stdout + result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def files_below(root: Path, ignore: tuple[str, ...] = ()) -> set[str]:
    """The relative paths of the files below ``root``, without those under an ignored path."""
    ignored = {path.strip("/") for path in ignore}
    found: set[str] = set()
    for folder, subfolders, files in os.walk(root):
        relative = Path(folder).relative_to(root).as_posix()
        prefix = "" if relative == "." else f"{relative}/"
        subfolders[:] = [name for name in subfolders if prefix + name not in ignored]
        found.update(prefix + name for name in files if prefix + name not in ignored)
    return found


def compare_trees(a: Path, b: Path, ignore: tuple[str, ...] = ()) -> list[str]:
    """How tree ``a`` differs from the reference tree ``b``, byte for byte, sorted by path.

    Each difference is ``changed PATH`` (in both, other bytes), ``missing PATH`` (only in ``b``)
    or ``extra PATH`` (only in ``a``), with PATH relative and ``/``-separated; nothing under a path
    in ``ignore`` (``"pagefind/"``: that folder below the roots) is compared. Empty: identical.
    """
    filecmp.clear_cache()
    in_a, in_b = files_below(a, ignore), files_below(b, ignore)
    differences = []
    for path in sorted(in_a | in_b):
        if path not in in_b:
            differences.append(f"extra {path}")
        elif path not in in_a:
            differences.append(f"missing {path}")
        elif not filecmp.cmp(a / path, b / path, shallow=False):
            differences.append(f"changed {path}")
    return differences


GIT_ENV = {
    "GIT_CONFIG_NOSYSTEM": "1",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "PATH": os.environ["PATH"],
}
"""The environment of the tests' git: none of the tester's configuration, a fixed identity."""


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` (branch ``main`` for a new repository) and return what it printed; fail the test on an error."""
    env = GIT_ENV | {"HOME": str(cwd)}
    command = ["git", "-c", "init.defaultBranch=main", "-c", "commit.gpgsign=false", *args]
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"git {args[0]} failed: {result.stderr}"
    return result.stdout


def free_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Chromium's flags in the browser tests and the benchmark: no phoning home (this machine's network is closed), runs as root."""


def chromium_executable() -> str:
    """The Chromium the browser tests use: ``$CUCON_CHROMIUM`` or Debian's; Playwright never downloads one."""
    return os.environ.get("CUCON_CHROMIUM", "/usr/bin/chromium")


class _QuietHandler(SimpleHTTPRequestHandler):
    """Serves files like a static host (``/x/`` → ``/x/index.html``), logging to ``logging``, not stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Log each request at debug level."""
        logger.debug("%s %s", self.address_string(), format % args)


class _QuietServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler errors (a browser dropping a connection) go to the log."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """Log an error in a request handler instead of printing a traceback."""
        logger.debug("error while serving %s: %r", client_address, sys.exc_info()[1])


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve a folder at 127.0.0.1 on a free port from a thread; the origin, until the block ends."""
    server = _QuietServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, name="static-site-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    try:
        yield f"http://{host}:{port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
