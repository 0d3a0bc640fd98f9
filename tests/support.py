"""What the tests share: real builds and commands in fresh processes, file trees, a static server, Chromium,
and the submission service's forms, uploads, mail and issue forms.

The fixtures that use these live in conftest.py; no test module imports another. The benchmark
(benchmarks/) reuses the static server, the Chromium settings and the tree comparison.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import email
import email.policy
import fcntl
import filecmp
import functools
import html
import io
import json
import logging
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
import uvicorn
from aiosmtpd.controller import Controller
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from fastapi import FastAPI
from PIL import Image
from starlette.testclient import TestClient

from cucon import schema
from cucon.bot import abuse
from cucon.bot.app import create_app
from cucon.bot.config import BotConfig
from cucon.bot.githost import PlainGitHost
from cucon.bot.issueform import ISSUE_FORMS, PROFILE_FORM

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page, Response, Route

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
BUILD_TIME = "2026-11-27T12:00:00+00:00"
FIXTURE_LANGUAGES = ["de", "en"]
"""The UI languages of the fixture site's builds (pelicanconf.py has five): tests of more languages say so."""
BUILD_SETTINGS = {
    "CUCON_BUILD_TIME": f'"{BUILD_TIME}"',
    "CUCON_SAMPLE_DATES_ANCHOR": "null",
    "CUCON_LANGUAGES": json.dumps(FIXTURE_LANGUAGES),
}
"""Settings every test build overrides: a fixed clock, no moving sample dates, and two UI languages."""
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
        # Its own cache beside the output: builds in parallel test workers never share one.
        f"CACHE_PATH={json.dumps(str(output.parent / 'cache'))}",
    ]  # fmt: skip
    return run(command, REPO, child_env())


@dataclass
class InProcessBuild:
    """What a build in the test's own process did: 0 or 1 as a process would exit, and its log."""

    returncode: int
    log: str


def build_settings(site_dir: Path, **settings: object) -> dict:
    """Pelican's settings of a test build of ``site_dir``: pelicanconf.py with the test clock
    (``BUILD_SETTINGS``), content/, output/ and cache/ in ``site_dir``, and ``settings`` on top."""
    from pelican.settings import read_settings

    site_dir = Path(site_dir).resolve()
    override = {
        "CUCON_BUILD_TIME": BUILD_TIME,
        "CUCON_SAMPLE_DATES_ANCHOR": None,
        "CUCON_LANGUAGES": FIXTURE_LANGUAGES,
        "PATH": str(site_dir / "content"),
        "OUTPUT_PATH": str(site_dir / "output"),
        "CACHE_PATH": str(site_dir / "cache"),
        **settings,
    }
    return read_settings(str(REPO / "pelicanconf.py"), override)


def build_in_process(site_dir: Path, **settings: object) -> InProcessBuild:
    """Build ``site_dir/content`` into ``site_dir/output`` with :class:`cucon.site.build.SiteBuild`, as
    :func:`run_build` does with Pelican but in this process: no interpreter to start, no Pelican run.

    The settings are pelicanconf.py's with the test builds' clock (``BUILD_SETTINGS``) and ``settings``
    on top. As under ``--fatal warnings``, a warning fails the build. Pelican's own part (copying the
    theme's static files) is left out: tests of that part use :func:`run_build`. Problems name their
    files relative to ``site_dir``, as in a real build run there.
    """
    from cucon.site.build import SiteBuild
    from cucon.site.writer import FileWriter

    site_dir = Path(site_dir).resolve()
    records: list[logging.LogRecord] = []
    handler = logging.Handler(logging.INFO)
    handler.emit = records.append
    build_log = logging.getLogger("cucon")
    build_log.addHandler(handler)
    level, build_log.level = build_log.level, logging.INFO
    here = Path.cwd()
    os.chdir(site_dir)
    try:
        build = SiteBuild(build_settings(site_dir, **settings))
        build.run(FileWriter(build.pelican_settings["OUTPUT_PATH"]))
        failed = ""
    except Exception as error:  # a failed build is a result here, as a process's exit code would be
        failed = f"{type(error).__name__}: {error}"
    finally:
        os.chdir(here)
        build_log.removeHandler(handler)
        build_log.level = level
    lines = [f"{r.levelname} {r.getMessage()}" for r in records]
    warned = any(r.levelno >= logging.WARNING for r in records)
    return InProcessBuild(1 if failed or warned else 0, "\n".join([*lines, failed]))


def built_once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """A folder that one worker of a parallel run builds with ``build(folder)`` and every worker then reads.

    Each pytest-xdist worker has its own session, so a session fixture alone would build the folder
    once per worker; under a lock in the run's shared temporary folder the first worker builds it and
    the others wait for it. Tests must not change it (they copy it first).
    """
    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # the run's folder, above each worker's own
    folder, done = root / name, root / f"{name}.done"
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.is_file():
            shutil.rmtree(folder, ignore_errors=True)
            build(folder)
            done.touch()
    return folder


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


SEARCH_ANSWERS_JS = r"""
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";
const [bundle, lang, queries, script] = [process.argv[1], process.argv[2], JSON.parse(process.argv[3]), process.argv[4]];
// Pagefind fetches its files relative to the bundle: here they are read from disk.
globalThis.fetch = async (input) => new Response(await readFile(fileURLToPath(new URL(input))));
const pagefind = await import(pathToFileURL(`${bundle}/pagefind.js`).href);
// Pagefind picks the index by the page's <html lang>; after the import, which would take this for a browser.
globalThis.document = { querySelector: () => ({ getAttribute: () => lang }) };
const bundleUrl = pathToFileURL(`${bundle}/`).href;
await pagefind.options({ basePath: bundleUrl, baseUrl: "/" });
await pagefind.init();
// The search page's own merge of the delta, if the bundle names one.
const search = await createRequire(import.meta.url)(script).open(pagefind, bundleUrl, { baseUrl: "/" });
const urls = async (results) => {
  const pages = await Promise.all(results.map(async (result) => [result.score, (await result.data()).url]));
  return pages.sort((a, b) => b[0] - a[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0)).map((page) => page[1]);
};
const everything = await search.search(null);
const answers = { "all pages": (await urls(everything.results)).sort(), "all pages count": [String(everything.unfilteredResultCount)] };
const lines = (counts) => Object.entries(counts).flatMap(([name, values]) =>
  Object.entries(values).map(([value, count]) => `${name}=${value}: ${count}`)).sort();
answers.filters = lines(await search.filters());
for (const query of queries) {
  const found = await search.search(query);
  answers[`query ${JSON.stringify(query)}`] = await urls(found.results);
  answers[`query ${JSON.stringify(query)} counts`] = [String(found.unfilteredResultCount), ...lines(found.totalFilters)];
  // The same query with the first filter value of its first result by URL ticked: what the filtered search counts.
  const pages = (await Promise.all(found.results.map((result) => result.data()))).sort((a, b) => (a.url < b.url ? -1 : 1));
  const first = pages.length ? pages[0].filters : {};
  const name = Object.keys(first).sort()[0];
  if (name) {
    const ticked = await search.search(query, { filters: { [name]: first[name][0] } });
    answers[`query ${JSON.stringify(query)} ${name}=${first[name][0]}`] = [
      ...(await urls(ticked.results)), String(ticked.unfilteredResultCount), ...lines(ticked.filters), ...lines(ticked.totalFilters),
    ];
  }
}
process.stdout.write(JSON.stringify(answers));
"""
"""Node: the answers of one language's index of a Pagefind bundle on disk, through the bundle's own pagefind.js
and the search page's merge of the delta (theme/static/js/search-delta.js)."""

SEARCH_DELTA_JS = REPO / "theme" / "static" / "js" / "search-delta.js"


def search_answers(bundle: Path, queries: tuple[str, ...]) -> dict[str, list[str]]:
    """What a Pagefind bundle answers, with its delta merged as the search page merges it, in each
    language's index, as ``"LANG what": lines``.

    For each language of the bundle: ``all pages`` (every page indexed, by URL, sorted), ``filters``
    (``name=value: count`` of every filter value) and ``query "WORD"`` for each query (the URLs found, in
    Pagefind's rank order, pages of equal score by URL), with the counts of its results and of each
    filter value, and the same query with the first filter value of its first result by URL ticked. Node runs
    the bundle's own ``pagefind.js`` and WebAssembly, and ``search-delta.js``, as the search page
    does, with files read from disk instead of fetched.
    """
    node = shutil.which("node")
    assert node, "node is missing: run `make setup-test`"
    languages = json.loads((bundle / "pagefind-entry.json").read_text("utf-8"))["languages"]
    answers = {}
    for lang in sorted(languages):
        command = [node, "--input-type=module", "-e", SEARCH_ANSWERS_JS, str(bundle.resolve()), lang]
        result = subprocess.run(
            [*command, json.dumps(queries), str(SEARCH_DELTA_JS)],
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, (
            f"Pagefind in node failed on {bundle} ({lang}): {result.stderr[-2000:]}"
        )
        answers.update({f"{lang} {what}": lines for what, lines in json.loads(result.stdout).items()})
    return answers


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


# --- the submission service: its settings, a valid profile form, posting it, waiting for the worker ---


SECRET = "0123456789abcdef0123456789abcdef"


DATA_KEY = "Y3Vjb24gdGVzdHMnIG9uZSBkYXRhIGtleSwgMzIgYnk="
"""The tests' key of the private store (``CUCON_BOT_DATA_KEYS``): fixed, so a failure can be replayed."""


SITE_ORIGIN = "https://cucon.example"


BASE_ENV = {
    "CUCON_BOT_SECRET": SECRET,
    "CUCON_BOT_WORKDIR": "/srv/bot",
    "CUCON_BOT_CHECKOUT": "/srv/site",
    "CUCON_BOT_GIT_REMOTE": "/srv/site.git",
    "CUCON_BOT_DATA_KEYS": DATA_KEY,
}


def service_env(work: Path, checkout: Path, bare_repo: Path) -> dict[str, str]:
    """The service's environment as a deployment gives it: folders, the bare repository as remote, a small proof of work."""
    return {
        "CUCON_BOT_SECRET": SECRET,
        "CUCON_BOT_WORKDIR": str(work),
        "CUCON_BOT_CHECKOUT": str(checkout),
        "CUCON_BOT_GIT_REMOTE": str(bare_repo),
        "CUCON_BOT_ALLOWED_ORIGINS": SITE_ORIGIN,
        "CUCON_BOT_POW_MAX_NUMBER": "1000",
        "CUCON_BOT_DATA_KEYS": DATA_KEY,
    }


def add_issue_forms(site: Path) -> None:
    """Copy the repository's issue forms and pull request template into the repository root ``site``."""
    (site / PROFILE_FORM).parent.mkdir(parents=True)
    for form in ISSUE_FORMS.values():
        shutil.copy(REPO / form, site / form)
    shutil.copy(REPO / ".github" / "pull_request_template.md", site / ".github")


def branches(bare: Path) -> list[str]:
    """The branches of a bare repository other than main."""
    refs = git(bare, "for-each-ref", "--format=%(refname:short)", "refs/heads").split()
    return [ref for ref in refs if ref != "main"]


class Clock:
    """The app's clock: real time plus an offset the test moves forward (form time, rate limit)."""

    def __init__(self):
        self.offset = 0.0

    def __call__(self) -> float:
        return time.time() + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += seconds


def jpeg_with_exif() -> bytes:
    """A photo carrying EXIF data that must never reach a branch: camera maker and artist."""
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"
    exif[0x013B] = "Private Photographer"
    buffer = io.BytesIO()
    Image.new("RGB", (640, 480), (30, 120, 200)).save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


PROFILE = {
    "name": "Erika Muster",
    "kind": "person",
    "cities": ["hannover"],
    "disciplines": ["music"],
    "languages": ["de", "en"],
    "lang": "de",
    "summary": "Sängerin in Hannover.",
    "photo_alt": "Ein blaues Rechteck",
    "email": "erika@example.org",
    "consent": "on",
    "consent_version": "1",
}


def form_tokens(page: str) -> dict[str, str]:
    """The hidden fields of a rendered form, with the proof of work solved as pow.js would."""
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    challenge = json.loads(html.unescape(re.search(r'data-challenge="([^"]*)"', page).group(1)))
    hidden["pow"] = abuse.solve_challenge(challenge)
    return {k: html.unescape(v) for k, v in hidden.items()}


def fill(client, clock: Clock, lang: str = "de", wait: float = 5.0, **changes) -> dict:
    """Fetch the form, wait as a person would, and fill it in with a valid profile (plus ``changes``)."""
    page = client.get(f"/profile/new?lang={lang}")
    assert page.status_code == 200
    clock.advance(wait)
    return {**form_tokens(page.text), **PROFILE, **changes}


def send(
    client, data: dict, photo: tuple[str, bytes, str] | None = None, origin: str = SITE_ORIGIN, **headers
):
    """Post a profile form as a browser on the site would (``headers`` with _ for -, e.g. Idempotency_Key)."""
    photo = photo or ("portrait.jpg", jpeg_with_exif(), "image/jpeg")
    extra = {name.replace("_", "-"): value for name, value in headers.items()}
    return client.post("/profile", data=data, files={"photo": photo}, headers={"Origin": origin, **extra})


def wait_for(condition, timeout: float = 30.0) -> None:
    """Wait until a condition holds, or fail."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


class LiveServer:
    """The app served by uvicorn on a free port of 127.0.0.1, in a thread."""

    def __init__(self, app, port: int = 0):
        self.server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None, access_log=False, lifespan="on")
        )
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        wait_for(lambda: self.server.started, timeout=10)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


# --- uploads: photos with EXIF and GPS, a decompression bomb, a drawing with a script -------------


def bomb_png() -> bytes:
    """A small PNG whose header claims 30000 × 30000 pixels: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def valid_form(**changes: str | list[str]) -> dict[str, str | list[str]]:
    """A complete new-profile form as a browser posts it, with some fields changed."""
    form: dict[str, str | list[str]] = {
        "name": "Mira Sonnenfeld",
        "kind": "person",
        "cities": ["leipzig", "hannover"],
        "disciplines": ["music"],
        "languages": ["de", "en"],
        "lang": "de",
        "summary": "Cellistin aus Leipzig,\r\nsucht Duo-Partner in Hannover.",
        "photo_alt": "Mira Sonnenfeld mit Cello vor einer Backsteinwand",
        "about": "Mira spielt Cello.\r\n\r\nSie unterrichtet auch.",
        "website": "https://mira.example/",
        "email": "mira@example.org",
        "consent": "on",
        "consent_version": schema.CONSENT_VERSIONS[-1],
    }
    return form | changes


GPS_IFD = 0x8825


# --- the spool ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FakeSubmission:
    """The attributes of a :class:`cucon.bot.submission.Submission` that the spool reads."""

    slug: str = "anna-beispiel"
    content_hash: str = "ab" * 32
    kind: str = "profile"
    title: str = "Anna Beispiel"
    summary_line: str = "Neues Profil: Anna Beispiel / New profile: Anna Beispiel"
    permanent_id: str = "0e86bbec-2b89-4657-9a1a-a0787b7d492e"
    contact_email: str | None = "anna@example.org"
    files: dict[str, bytes] = field(
        default_factory=lambda: {
            "content/profiles/anna-beispiel.md": b"---\nname: Anna Beispiel\n---\n",
            "content/profiles/anna-beispiel.jpg": b"\xff\xd8\xff\xd9",
        }
    )


# --- mail: a real SMTP server on 127.0.0.1, and the service sending through it --------------------


SENDER = "CuCon <no-reply@cucon.example>"


PUBLIC_URL = "http://testserver"


class SmtpServer:
    """An aiosmtpd server on a free port of 127.0.0.1 that keeps every message it is handed.

    ``refuse`` makes it answer every recipient with that reply (e.g. ``550 …``)."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse: str | None = None
        self.controller: Controller | None = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class RecordingHost:
    """The real plain-git host pushing to the bare repository, keeping each change (with its PR text)."""

    def __init__(self, bare: Path, workdir: Path):
        self.host = PlainGitHost(str(bare), "main", workdir=workdir)
        self.changes = []

    def propose(self, change):
        self.changes.append(change)
        return self.host.propose(change)


def mail_config_for(config: BotConfig, server: SmtpServer) -> BotConfig:
    """``config`` with the e-mail check on, sending through ``server`` without encryption (localhost)."""
    return replace(
        config,
        smtp_host="127.0.0.1",
        smtp_port=server.port,
        smtp_from=SENDER,
        smtp_security="none",
        public_url=PUBLIC_URL,
    )


@dataclass
class Service:
    """The app (its worker not started: tests call ``run_once``), a client, the host and the mail server."""

    app: FastAPI
    client: TestClient
    host: RecordingHost
    smtp: SmtpServer | None = None


def service(config: BotConfig, clock, bare_repo: Path, smtp: SmtpServer | None = None) -> Service:
    """The service for ``config``, pushing to ``bare_repo``; the caller closes its spool."""
    host = RecordingHost(bare_repo, config.workdir / "git")
    app = create_app(config, host, clock=clock)
    return Service(app, TestClient(app, base_url=PUBLIC_URL), host, smtp)


def link_of(message) -> str:
    """The confirmation link's path in a mail, checked to be the same in its text and HTML parts."""
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    [link] = set(re.findall(r"http://testserver/confirm/[A-Za-z0-9_-]+\?lang=\w+", text))
    assert f'href="{link}"' in page
    return link.removeprefix(PUBLIC_URL)


def spool_bytes(config: BotConfig) -> bytes:
    """Every byte of the spool's SQLite files (the database, its WAL and shared memory)."""
    return b"".join(p.read_bytes() for p in config.workdir.glob("spool.sqlite3*"))


# --- the call and news forms ----------------------------------------------------------------------


TODAY = dt.date(2026, 11, 27)


def call_form(**changes) -> dict:
    """A complete new-call form as a browser posts it, with some fields changed."""
    form = {
        "kind": "open_call",
        "title": "Klangräume 2027",
        "summary": "Eine Ausschreibung für Klangkunst im öffentlichen Raum.",
        "organiser_profile": "agnieszka-lipinska",
        "cities": ["hannover"],
        "open_to_cities": ["hannover", "leipzig"],
        "open_to_countries": "pl, fr",
        "disciplines": ["music", "dance"],
        "deadline_date": LATER.isoformat(),
        "deadline_time": "18:00",
        "fee_amount": "",
        "fee_currency": "EUR",
        "award_amount": "",
        "award_currency": "EUR",
        "covers": ["fee", "travel"],
        "apply": "bewerbung@example.org",
        "lang": "de",
        "body": "Wir suchen Klangkunst.\r\n\r\nBewerbungen bitte per E-Mail.",
        "email": "organiser@example.org",
        "consent": "on",
        "consent_version": "1",
    }
    return form | changes


def news_form(**changes) -> dict:
    """A complete news form for an event, as a browser posts it, with some fields changed."""
    form = {
        "kind": "event",
        "title": "Konzert im Maschpark",
        "summary": "Ein Sommerabend mit Musik aus Hannover und Leipzig.",
        "cities": ["hannover", "leipzig"],
        "disciplines": ["music"],
        "event_start_date": LATER.isoformat(),
        "event_start_time": "19:30",
        "event_end_time": "22:00",
        "event_venue": "Maschpark",
        "event_address": "Maschpark, 30159 Hannover",
        "image_alt": "Ein Orchester auf einer Bühne im Grünen",
        "image_credit": "Erika Muster",
        "lang": "de",
        "body": "Eintritt frei.",
        "email": "tipp@example.org",
        "consent": "on",
        "consent_version": "1",
    }
    return form | changes


CALL_BAD = [
    ("missing title", {"title": ""}, "title", "required"),
    ("deadline passed", {"deadline_date": "2026-01-31"}, "deadline_date", "'published' is after the deadline"),
    ("no deadline", {"deadline_date": ""}, "deadline_date", "required"),
    ("unknown city", {"cities": ["lipsk"]}, "cities", "unknown city 'lipsk'"),
    ("unknown discipline", {"disciplines": ["musik"]}, "disciplines", "did you mean 'music'"),
    ("profile and name", {"organiser_name": "Jemand"}, "organiser_profile", "not both"),
    ("unknown organiser", {"organiser_profile": "nobody-here"}, "organiser_profile", "nobody-here"),
    ("nobody may apply", {"open_to_cities": [], "open_to_countries": ""}, "open_to_everyone", "everyone"),
    ("unknown country", {"open_to_countries": "XX"}, "open_to_countries", "country code"),
    ("plain http", {"apply": "http://x.example/"}, "apply", "https://"),
    ("unknown kind", {"kind": "lottery"}, "kind", "'lottery' is not allowed"),
    ("bad currency", {"fee_amount": "10", "fee_currency": "XYZ"}, "fee_currency", "currency"),
    ("results before deadline", {"results": "2026-01-01"}, "results", "before the deadline"),
    ("no consent", {"consent": ""}, "consent", "consent"),
    ("bad e-mail", {"email": "x(at)example.org"}, "email", "not an e-mail address"),
    ("unknown offer", {"offers": ["venue", "studio"]}, "offers", "'studio' is not allowed"),
    ("markup as an offer", {"offers": ["<img src=x onerror=alert(1)>"]}, "offers", "is not allowed"),
    ("negative award", {"award_amount": "-4000", "award_kind": "fee"}, "award_amount", "not an amount"),
    ("absurd award", {"award_amount": "1e12", "award_kind": "fee"}, "award_amount", "not an amount"),
    ("award in an unknown currency", {"award_amount": "4000", "award_currency": "XYZ", "award_kind": "fee"},
     "award_currency", "currency"),
    ("award without its kind", {"award_amount": "4000"}, "award_kind", "required"),
    ("award kind without an amount", {"award_kind": "prize"}, "award_amount", "required"),
    ("markup as an award kind", {"award_amount": "4000", "award_kind": "<script>alert(1)</script>"}, "award_kind",
     "is not allowed"),
    ("markup as an award amount", {"award_amount": "<b>4000</b>", "award_kind": "fee"}, "award_amount", "not an amount"),
]  # fmt: skip


NEWS_BAD = [
    ("missing summary", {"summary": ""}, None, "summary", "required"),
    ("event without start", {"event_start_date": "", "event_start_time": ""}, None, "event_start_date", "required"),
    ("start without time", {"event_start_time": ""}, None, "event_start_time", "time"),
    ("end before start", {"event_end_time": "08:00"}, None, "event_end_date", "before 'start'"),
    ("cooperation in one city", {"kind": "cooperation", "cities": ["hannover"]}, None, "cities", "two cities"),
    ("unknown city", {"cities": ["atlantis"]}, None, "cities", "unknown city 'atlantis'"),
    ("SVG image", {}, SVG, "image", "is an SVG drawing"),
    ("image without alt text", {"image_alt": ""}, "jpeg", "image_alt", "required"),
    ("online over http", {"event_online": "http://x.example/"}, None, "event_online", "https://"),
]  # fmt: skip


def fill_form(client, clock, kind: str, lang: str = "de", **changes) -> dict:
    """Fetch the call or news form, wait as a person would, and fill it in (fixture site: Hannover and Leipzig)."""
    page = client.get(f"/{kind}/new?lang={lang}")
    assert page.status_code == 200
    clock.advance(5.0)
    valid = call_form(organiser_profile="tanz-kollektiv") if kind == "call" else news_form()
    return {**form_tokens(page.text), **valid, **changes}


def post(client, kind: str, data: dict, image: bytes | None = None):
    """Post a form as a browser on the site would."""
    files = {"image": ("bild.jpg", image, "image/jpeg")} if image is not None else None
    return client.post(f"/{kind}", data=data, files=files, headers={"Origin": SITE_ORIGIN})


LATER = dt.date.today() + dt.timedelta(days=60)
"""A day after the service's today: a deadline that has not passed, an event to come."""


# --- edit links -----------------------------------------------------------------------------------


def submit_and_publish(client, clock, bare_repo) -> str:
    """Submit a profile, "merge" its branch into main, let the service see it; return an owner's edit
    token for it, made as the worker makes one when the owner asks on /manage (tests/test_bot_owners_flow.py
    runs that way through the mailbox)."""
    response = send(client, fill(client, clock))
    assert response.status_code == 202, response.text
    assert "/edit/" not in response.text  # a poster never gets a link
    proposed(client, 1)
    branch = branch_like(bare_repo, r"submissions/profile/erika-muster-[0-9a-f]{10}")
    git(bare_repo, "push", "-q", ".", f"{branch}:main")
    client.app.state.checkout._refreshed = None  # the next request fetches main at once
    return client.app.state.service.ownership.mint(client.app.state.spool.get(1).permanent_id)


def edit_post(client, token: str, data: dict, origin: str = SITE_ORIGIN):
    return client.post(f"/edit/{token}", data=data, files=NO_PHOTO, headers={"Origin": origin})


LINK = re.compile(r"http://testserver/edit/([A-Za-z0-9_-]{43})")


NO_PHOTO = {"photo": ("", b"", "application/octet-stream")}


def proposed(client, count: int) -> None:
    """Wait until the worker has proposed ``count`` entries."""
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == count)


def branch_like(bare: Path, pattern: str) -> str:
    """The one branch of the bare repository whose name matches a pattern."""
    [found] = [b for b in branches(bare) if re.fullmatch(pattern, b)]
    return found


# --- issue forms: the recorded issue and a server for its photo -----------------------------------


RECORDED = REPO / "tests" / "fixtures" / "issues" / "profile.md"


GITHUB_ASSETS = "https://github.com/user-attachments/assets/"


ASSET = "5b0f6f5e-3c1e-4d0a-9a57-2f1c7d2e8a41"


class PhotoServer:
    """A local HTTP server for photos: ``routes`` maps a path to (status, headers, body).

    A body may be an int: that many bytes are streamed without a Content-Length, as a server that
    does not say how much is coming would.
    """

    def __init__(self) -> None:
        self.routes: dict[str, tuple[int, dict[str, str], bytes | int]] = {}
        self.hits: list[str] = []
        server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        server.daemon_threads = True
        server.handle_error = lambda *args: None  # a client that stopped reading is no error
        self.server = server
        self.url = f"http://127.0.0.1:{server.server_address[1]}"
        self.thread = threading.Thread(target=server.serve_forever, daemon=True)

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                outer.hits.append(self.path)
                status, headers, body = outer.routes.get(self.path, (404, {}, b"not found"))
                self.send_response(status)
                for key, value in headers.items():
                    self.send_header(key, value)
                if isinstance(body, int):
                    self.send_header("Connection", "close")
                    self.end_headers()
                    chunk = b"\0" * 65536
                    for _ in range(body // len(chunk)):
                        self.wfile.write(chunk)
                    return
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

        return Handler

    @property
    def assets(self) -> str:
        """The address prefix that stands in for GitHub's attachments."""
        return f"{self.url}/user-attachments/assets/"


def recorded_body(photos: PhotoServer) -> str:
    """The recorded issue's body, its photo at the local server instead of GitHub."""
    return RECORDED.read_text("utf-8").replace(GITHUB_ASSETS, photos.assets)


def replace_section(body: str, label: str, value: str) -> str:
    """A body with one section's value replaced."""
    pattern = re.compile(rf"(^### {re.escape(label)}\n\n)(.*?)(?=\n\n### |\Z)", re.M | re.S)
    changed, count = pattern.subn(lambda m: m[1] + value, body)
    assert count == 1, label
    return changed


# --- content repositories -------------------------------------------------------------------------


def commit_all(repo: Path, message: str) -> None:
    """Stage everything and commit it."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)


# --- the catalogs ---------------------------------------------------------------------------------


def template_messages() -> set[str]:
    """Every message id the theme's templates and the Python files in babel.cfg use."""
    with (REPO / "babel.cfg").open(encoding="utf-8") as config:
        method_map, options = parse_mapping_cfg(config)
    return {
        (msg if isinstance(msg, str) else msg[0])
        for _, _, msg, *_ in extract_from_dir(REPO, method_map, options)
    }


# --- the browser: a tab that reaches the site only, and axe-core's accessibility check -------------


AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@dataclass
class Tab:
    """A fresh browser context and page, with every request it made and every one that failed."""

    page: Page
    context: BrowserContext
    origin: str
    requests: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def record(self, response: Response) -> None:
        """Note a response that is an HTTP error."""
        if response.status >= 400:
            self.failed.append(f"{response.url} (HTTP {response.status})")

    def open(self, path: str, wait_until: str = "load") -> None:
        """Load a page of the site."""
        response = self.page.goto(self.origin + path, wait_until=wait_until)
        assert response is not None, f"{path}: no response"
        assert response.ok, f"{path}: HTTP {response.status}"


def open_tab(browser: Browser, site_url: str, **context_options: object) -> Tab:
    """A new browser context and page that can reach the site only; the caller closes ``tab.context``."""
    # bypass_csp: a Content-Security-Policy of the site must not stop the injection of axe-core.
    context = browser.new_context(service_workers="block", bypass_csp=True, **context_options)
    context.set_default_timeout(15_000)
    tab = Tab(page=context.new_page(), context=context, origin=site_url)

    def guard(route: Route) -> None:
        """Let requests to the site through; abort any other, so no test traffic leaves this machine."""
        if origin_of(route.request.url) == site_url:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    tab.page.on("request", lambda request: tab.requests.append(request.url))
    tab.page.on("requestfailed", lambda request: tab.failed.append(f"{request.url} ({request.failure})"))
    tab.page.on("response", tab.record)
    return tab


def origin_of(url: str) -> str:
    """Scheme, host and port of a URL.

    >>> origin_of("http://127.0.0.1:8000/en/?q=1#main")
    'http://127.0.0.1:8000'
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def axe_violations(page: Page) -> list[dict]:
    """axe-core's WCAG 2.1 A and AA violations on the page as it is now."""
    assert AXE.is_file(), f"{AXE} is missing: run `make setup-test` (npm ci)"
    page.add_script_tag(path=AXE)
    return page.evaluate(
        """async tags => (await axe.run(document, {
            runOnly: {type: "tag", values: tags}, resultTypes: ["violations"],
        })).violations""",
        AXE_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    """axe-core's violations as a readable list: rule, impact, help, and the elements concerned."""
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:10]:
            lines.append(f"    {json.dumps(node['target'])}")
        if len(violation["nodes"]) > 10:
            lines.append(f"    … and {len(violation['nodes']) - 10} more elements")
    return "\n".join(lines)


def bot_command(config, *args: str, stdin: str = "") -> subprocess.CompletedProcess:
    """`cucon bot ARGS` in a fresh process, configured from the environment as on the server."""
    env = {
        **child_env(),
        **service_env(config.workdir, config.checkout, config.git_remote),
        "CUCON_BOT_DATA_KEYS": ",".join(config.data_keys),
        "CUCON_BOT_SMTP_HOST": config.smtp_host,
        "CUCON_BOT_SMTP_PORT": str(config.smtp_port),
        "CUCON_BOT_SMTP_FROM": SENDER,
        "CUCON_BOT_SMTP_SECURITY": "none",
        "CUCON_BOT_PUBLIC_URL": PUBLIC_URL,
    }
    return subprocess.run(
        [sys.executable, "-m", "cucon.cli", "bot", *args],
        cwd=config.workdir.parent,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )


def bare_site_repo(folder: Path, prepare: Callable[[Path], None] | None = None) -> Path:
    """A bare repository in ``folder`` with the fixture site and the PR template on main, ``prepare``
    changing the site first: the remote the service pushes to."""
    seed = folder / "seed"
    shutil.copytree(FIXTURE_SITE, seed, ignore=shutil.ignore_patterns("output", "__pycache__"))
    if prepare is not None:
        prepare(seed)
    (seed / ".github").mkdir()
    shutil.copy(REPO / ".github" / "pull_request_template.md", seed / ".github")
    git(seed, "init", "-q")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "Fixture site")
    bare = folder / "site.git"
    git(folder, "clone", "-q", "--bare", str(seed), str(bare))
    return bare
