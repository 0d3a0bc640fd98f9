"""Fixtures of the browser tests: the built sample network on a real HTTP server, and one Chromium."""

from __future__ import annotations

import functools
import logging
import os
import sys
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

logger = logging.getLogger(__name__)

CHROMIUM = os.environ.get("CUCON_CHROMIUM", "/usr/bin/chromium")
"""Debian's Chromium; Playwright never downloads a browser of its own here."""

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
"""Flags that keep Chromium from phoning home (this machine's network is closed) and let it run as root."""


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files like a static host (``/x/`` → ``/x/index.html``), logging to ``logging``, not stderr."""

    def log_message(self, format: str, *args: object) -> None:
        """Log each request at debug level."""
        logger.debug("%s %s", self.address_string(), format % args)


class QuietServer(ThreadingHTTPServer):
    """A threading HTTP server whose handler errors (a browser dropping a connection) go to the log."""

    daemon_threads = True

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """Log an error in a request handler instead of printing a traceback."""
        logger.debug("error while serving %s: %r", client_address, sys.exc_info()[1])


@pytest.fixture(scope="session")
def site_url(sample_site_output: Path) -> Iterator[str]:
    """The built sample on a real HTTP server at 127.0.0.1, so pages load as from a static host (one origin)."""
    handler = functools.partial(QuietHandler, directory=str(sample_site_output))
    server = QuietServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="sample-site-server", daemon=True)
    thread.start()
    host, port = server.server_address[:2]
    url = f"http://{host}:{port}"
    logger.info("serving %s at %s", sample_site_output, url)
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """One headless Chromium for the whole session: starting a browser costs far more than a page."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"no Chromium at {CHROMIUM}: install it (apt-get install chromium) or set CUCON_CHROMIUM")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        logger.info("Chromium %s", chromium.version)
        try:
            yield chromium
        finally:
            chromium.close()
