"""`cucon serve`, the server of `make serve`, in a real process on 127.0.0.1: a missing path gets 404
with the site's own 404.html (Pelican's server sent no answer at all: curl said 000)."""

from __future__ import annotations

import http.client
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support import child_env

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
