"""The servers of a built site on 127.0.0.1, in real processes: `cucon serve` (a missing path gets 404 with
the site's own 404.html; Pelican's server sent no answer at all: curl said 000), and `cucon preview`, the
one process of `make serve` that builds, serves, rebuilds on change and reloads the browser."""

from __future__ import annotations

import asyncio
import http.client
import json
import queue
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright
from support import (
    BUILD_SETTINGS,
    CHROMIUM_ARGS,
    FIXTURE_SITE,
    REPO,
    TIMEOUT,
    child_env,
    chromium_executable,
    compare_trees,
    output_of,
    run_build,
    search_answers,
)
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.websocket import websocket_connect

from cucon.preview import Preview, preview_app

MISSING = ["/sitemap.xml", "/no/such/page/", "/profiles/nobody/", "/theme/css/missing.css", "/theme/"]
"""Paths the built fixture site has no file for (a folder without index.html included)."""


@pytest.fixture
def served(built_fixture_site: Path) -> Iterator[tuple[str, Path]]:
    """``cucon serve`` of the built fixture site on a free port: its host:port and the output folder."""
    output = built_fixture_site / "output"
    command = [sys.executable, "-m", "cucon.cli", "serve", str(output), "--port", "0"]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=child_env())
    try:
        line = process.stderr.readline()
        address = re.search(r"http://(127\.0\.0\.1:\d+)/", line)
        assert address, line
        yield address.group(1), output
    finally:
        process.terminate()
        process.wait(timeout=30)
        process.stderr.close()


def ask(address: str, method: str, path: str) -> tuple[int, dict[str, str], bytes]:
    """One request: the status, the headers and the body of the answer."""
    connection = http.client.HTTPConnection(address, timeout=30)
    try:
        connection.request(method, path)
        answer = connection.getresponse()
        return answer.status, dict(answer.getheaders()), answer.read()
    finally:
        connection.close()


@pytest.mark.parametrize("path", MISSING)
def test_a_missing_path_gets_404_with_the_sites_404_page(served, path):
    address, output = served
    assert not (output / path.strip("/") / ("index.html" if path.endswith("/") else "")).is_file()
    status, headers, body = ask(address, "GET", path)
    assert status == 404
    assert headers["Content-Type"] == "text/html; charset=utf-8"
    assert body == (output / "404.html").read_bytes()
    head_status, head_headers, head_body = ask(address, "HEAD", path)
    assert (head_status, head_body) == (404, b"")
    assert head_headers["Content-Length"] == str(len(body))


def test_existing_pages_are_served_as_a_static_host_serves_them(served):
    address, output = served
    status, _, body = ask(address, "GET", "/")
    assert (status, body) == (200, (output / "index.html").read_bytes())
    status, headers, _ = ask(address, "GET", "/profiles")
    assert (status, headers["Location"]) == (301, "/profiles/")
    status, _, body = ask(address, "GET", "/profiles/")
    assert (status, body) == (200, (output / "profiles" / "index.html").read_bytes())
    status, _, body = ask(address, "GET", "/../pyproject.toml")
    assert status == 404


# --- the preview of `make serve` (`cucon preview`): build, serve, rebuild on change, reload the browser ---

PREVIEW_READY = "cucon preview: search index caught up"
PROFILE = Path("content/profiles/anna-kowalska.md")
PROFILE_PAGE = "/profiles/anna-kowalska/"


class Previewed:
    """A running ``cucon preview`` of a site folder: its address, and its log as it comes."""

    def __init__(self, site: Path) -> None:
        self.site = site
        settings = [f"{key}={value}" for key, value in BUILD_SETTINGS.items()]
        command = [
            sys.executable,
            "-m",
            "cucon.cli",
            "preview",
            "content",
            "-s",
            str(REPO / "pelicanconf.py"),
        ]
        command += ["-o", "output", "--port", "0", "-e", *settings]
        self.process = subprocess.Popen(command, cwd=site, stderr=subprocess.PIPE, text=True, env=child_env())
        self.lines: queue.Queue[str] = queue.Queue()
        self.log: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()
        self.address = re.search(r"http://(127\.0\.0\.1:\d+)/", self.wait_for("serving ")).group(1)

    def _read(self) -> None:
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        """The next line of the log that holds ``text`` (the lines before it are kept in ``log``)."""
        while True:
            line = self.lines.get(timeout=TIMEOUT)
            self.log.append(line)
            if text in line:
                return line

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=30)
        self.process.stderr.close()


@pytest.fixture
def previewed(fixture_site: Path) -> Iterator[Previewed]:
    """``cucon preview`` of a copy of the fixture site, on a free port, once its first build is done."""
    preview = Previewed(fixture_site)
    try:
        preview.wait_for(PREVIEW_READY)
        yield preview
    finally:
        preview.stop()


def edit(site: Path, old: str, new: str) -> None:
    """Replace ``old`` with ``new`` in the fixture's profile, as an editor saves it."""
    path = site / PROFILE
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new), "utf-8")


def test_an_edited_profile_is_served_changed_without_a_restart(previewed, tmp_path):
    _, _, before = ask(previewed.address, "GET", PROFILE_PAGE)
    assert b"Zebrafink" not in before
    edit(previewed.site, "summary: Geigerin", "summary: Zebrafink-Geigerin")
    previewed.wait_for("building again")
    previewed.wait_for("cucon preview: pages written")
    status, _, page = ask(previewed.address, "GET", PROFILE_PAGE)
    assert status == 200
    assert b"Zebrafink-Geigerin" in page
    previewed.wait_for(PREVIEW_READY)
    assert previewed.process.poll() is None
    # What the preview wrote is what a clean build of the same content writes (the search bundle aside,
    # whose answers must be the same), and the reload script is not in it.
    clean = tmp_path / "clean"
    shutil.copytree(previewed.site / "content", clean / "content")
    result = run_build(clean)
    assert result.returncode == 0, output_of(result)
    output = previewed.site / "output"
    assert compare_trees(output, clean / "output", ("pagefind/",)) == []
    queries = ("Zebrafink", "Geigerin")
    assert search_answers(output / "pagefind", queries) == search_answers(
        clean / "output" / "pagefind", queries
    )
    assert not [path for path in output.rglob("*") if path.is_file() and b"livereload" in path.read_bytes()]


def in_own_thread(function: Callable, *args):
    """``function(*args)`` in a thread of its own: in this one, the browser tests of the same pytest worker
    may keep Playwright's event loop running, where neither asyncio.run nor another sync Playwright may start."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(function, *args).result()


async def next_message(address: str, then: Callable[[], None]) -> dict:
    """Connect to the LiveReload websocket as livereload.js does, run ``then``, and return what the server
    sends next."""
    socket = await websocket_connect(f"ws://{address}/livereload")
    try:
        await socket.write_message(json.dumps({"command": "hello", "protocols": [LIVERELOAD_PROTOCOL]}))
        hello = json.loads(await socket.read_message())
        assert hello["command"] == "hello"
        assert LIVERELOAD_PROTOCOL in hello["protocols"]
        await socket.write_message(
            json.dumps({"command": "info", "url": f"http://{address}/", "plugins": {}})
        )
        then()
        return json.loads(await asyncio.wait_for(socket.read_message(), TIMEOUT))
    finally:
        socket.close()


LIVERELOAD_PROTOCOL = "http://livereload.com/protocols/official-7"


def test_the_livereload_endpoint_tells_a_connected_browser_to_reload(previewed):
    status, headers, script = ask(previewed.address, "GET", "/livereload.js")
    assert status == 200
    assert "javascript" in headers["Content-Type"]
    assert b"LiveReload" in script
    _, _, page = ask(previewed.address, "GET", "/")
    assert b'<script src="/livereload.js"></script></body>' in page
    message = in_own_thread(
        asyncio.run,
        next_message(
            previewed.address, lambda: edit(previewed.site, "summary: Geigerin", "summary: Bratsche")
        ),
    )
    assert message["command"] == "reload"
    # The pages were written before the browser was told: the page it reloads is the new one.
    _, _, page = ask(previewed.address, "GET", PROFILE_PAGE)
    assert b"Bratsche" in page


def test_a_bad_edit_shows_the_error_and_keeps_the_last_site(previewed):
    edit(previewed.site, "kind: person", "kind: persn")
    line = previewed.wait_for("anna-kowalska.md:")
    assert re.search(r"content/profiles/anna-kowalska\.md:\d+: kind: 'persn' is not allowed", line)
    previewed.wait_for("the last good site stays served")
    status, _, page = ask(previewed.address, "GET", PROFILE_PAGE)
    assert status == 200
    assert page.startswith(
        (previewed.site / "output" / PROFILE_PAGE.strip("/") / "index.html").read_bytes()[:200]
    )
    overlay = re.search(rb'<div id="cucon-preview-problems".*?</div>', page, re.S)
    assert overlay
    assert b"anna-kowalska.md:" in overlay.group(0)
    assert b"kind: &#x27;persn&#x27;" in overlay.group(0)
    assert "Der Build ist an diesen Problemen gescheitert" in overlay.group(0).decode()
    assert b"persn" not in (previewed.site / "output" / PROFILE_PAGE.strip("/") / "index.html").read_bytes()
    # Fixing the file recovers without a restart.
    edit(previewed.site, "kind: persn", "kind: person")
    previewed.wait_for(PREVIEW_READY)
    _, _, page = ask(previewed.address, "GET", PROFILE_PAGE)
    assert b"cucon-preview-problems" not in page


@pytest.mark.parametrize(
    ("path", "notice"),
    [
        ("/search/", "Der Suchindex wird neu aufgebaut"),
        ("/en/search/", "The search index is being rebuilt"),
    ],
)
def test_the_search_page_says_so_while_the_index_is_rebuilt(built_fixture_site, path, notice):
    preview = Preview(REPO / "pelicanconf.py", {})
    server, address = serve_in_thread(preview, built_fixture_site / "output")
    try:
        preview.indexing = True
        _, _, page = ask(address, "GET", path)
        assert b'id="cucon-preview-indexing" role="status"' in page
        assert notice.encode() in page
        _, _, other = ask(address, "GET", "/profiles/")
        assert b"cucon-preview-indexing" not in other
        preview.indexing = False  # done: the next reload shows the page without it
        _, _, page = ask(address, "GET", path)
        assert b"cucon-preview-indexing" not in page
    finally:
        server.stop()


def serve_in_thread(preview: Preview, output: Path) -> tuple[object, str]:
    """The preview's web application on a free port of 127.0.0.1, served by a thread of this process."""
    started: queue.Queue = queue.Queue()

    def run() -> None:
        asyncio.set_event_loop(asyncio.new_event_loop())
        sockets = bind_sockets(0, address="127.0.0.1")
        server = HTTPServer(preview_app(preview, output))
        server.add_sockets(sockets)
        loop = IOLoop.current()
        started.put((Stopper(server, loop), f"127.0.0.1:{sockets[0].getsockname()[1]}"))
        loop.start()
        loop.close(all_fds=True)

    threading.Thread(target=run, daemon=True).start()
    return started.get(timeout=30)


class Stopper:
    """Stops a server and its loop from another thread."""

    def __init__(self, server: object, loop: IOLoop) -> None:
        self.server, self.loop = server, loop

    def stop(self) -> None:
        def halt() -> None:
            self.server.stop()
            self.loop.stop()

        self.loop.add_callback(halt)


def test_the_open_page_reloads_by_itself_in_chromium(previewed):
    in_own_thread(_reloads_by_itself, previewed)


def _reloads_by_itself(previewed: Previewed) -> None:
    """Open the profile page in Chromium, edit the profile, and wait until the page shows the edit."""
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=chromium_executable(), args=CHROMIUM_ARGS, headless=True
        )
        try:
            tab = chromium.new_page()
            tab.goto(f"http://{previewed.address}{PROFILE_PAGE}")
            previewed.wait_for("Browser Connected")  # livereload.js said hello on the websocket
            edit(previewed.site, "summary: Geigerin", "summary: Kranich-Geigerin")
            tab.wait_for_function(
                "document.body.textContent.includes('Kranich-Geigerin')", timeout=TIMEOUT * 1000
            )
        finally:
            chromium.close()


@pytest.fixture(scope="module")
def previewed_once(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Previewed]:
    """One ``cucon preview`` of the fixture site for the tests that only ask it; a file beside the output
    folder that no request may reach."""
    site = tmp_path_factory.mktemp("preview") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    (site / "secret.txt").write_text("not for the browser", "utf-8")
    preview = Previewed(site)
    try:
        preview.wait_for(PREVIEW_READY)
        yield preview
    finally:
        preview.stop()


OUTSIDE = [
    "/../secret.txt",
    "/%2e%2e/secret.txt",
    "/%2e%2e%2fsecret.txt",
    "/profiles/..%2f..%2fsecret.txt",
    "/profiles/%2e%2e/%2e%2e/secret.txt",
]
"""Requests for a file beside the output folder, each a way of climbing out of it."""


@pytest.mark.parametrize("path", OUTSIDE + MISSING)
def test_the_preview_answers_404_outside_the_site_and_for_a_missing_path(previewed_once, path):
    status, _, body = ask(previewed_once.address, "GET", path)
    assert status == 404
    assert b"not for the browser" not in body
    page = (previewed_once.site / "output" / "404.html").read_bytes()
    assert body.startswith(page[: page.rfind(b"</body>")])


@pytest.mark.parametrize(
    ("origin", "accepted"),
    [(None, True), ("same", True), ("http://attacker.example", False), ("http://localhost.example", False)],
)
def test_the_reload_websocket_takes_no_page_of_another_origin(previewed_once, origin, accepted):
    address = previewed_once.address
    headers = {} if origin is None else {"Origin": f"http://{address}" if origin == "same" else origin}

    async def connect() -> int:
        """101 when the websocket opened, else the status of the refusal."""
        request = HTTPRequest(f"ws://{address}/livereload", headers=headers)
        try:
            socket = await websocket_connect(request)
        except HTTPClientError as error:
            return error.code
        socket.close()
        return 101

    assert in_own_thread(asyncio.run, connect()) == (101 if accepted else 403)


def test_markup_in_a_problem_is_shown_as_text_in_the_overlay(previewed):
    edit(previewed.site, "kind: person", 'kind: "<script>alert(1)</script>"')
    previewed.wait_for("the last good site stays served")
    _, _, page = ask(previewed.address, "GET", PROFILE_PAGE)
    overlay = re.search(rb'<div id="cucon-preview-problems".*?</div>', page, re.S).group(0)
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in overlay
    assert b"<script>alert" not in page
