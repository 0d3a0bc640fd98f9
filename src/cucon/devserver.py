"""The server of ``make serve``: the built site at 127.0.0.1 as a static host serves it.

Pelican's own server (``pelican --listen``) sent no answer at all for a missing path (its handler
returns without one, and ``--fatal warnings`` turns its "unable to find" warning into an error), so a
browser or curl saw a dropped connection. Here a missing path is answered 404 with the site's
``404.html``, as the hosts in docs/hosting.md answer it.
"""

from __future__ import annotations

import functools
import logging
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

logger = logging.getLogger(__name__)

NOT_FOUND_PAGE = "404.html"
"""The site's page for a missing path, at the root of the output folder."""


class SiteHandler(SimpleHTTPRequestHandler):
    """Serves the files of a built site (``/x/`` → ``/x/index.html``); a missing file, or a folder
    without ``index.html``, gets 404 with the site's 404 page (no folder listing)."""

    def list_directory(self, path: str) -> None:
        """A folder without ``index.html`` is missing, as on a static host."""
        self.send_error(HTTPStatus.NOT_FOUND)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """A 404 with the site's 404 page where the site has one; any other error as usual."""
        page = Path(self.directory) / NOT_FOUND_PAGE
        if code != HTTPStatus.NOT_FOUND or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(code, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        """Each request to the log, not to stderr."""
        logger.info("%s", format % args)


def site_server(folder: Path, host: str = "127.0.0.1", port: int = 8000) -> ThreadingHTTPServer:
    """A server of a built site's folder, bound but not yet serving (port 0: a free port)."""
    handler = functools.partial(SiteHandler, directory=str(folder))
    return ThreadingHTTPServer((host, port), handler)
