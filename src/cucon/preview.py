"""The preview of ``make serve`` (``cucon preview``): one process that builds the site, serves it at
127.0.0.1, builds it again in place when a source changes, and makes the open browser reload.

- **Warm.** Each rebuild runs Pelican in this process (:class:`pelican.Pelican`, as ``pelican
  --autoreload`` does): the modules stay imported, and the build is the incremental one of
  ``make html`` (docs/incremental.md), so it writes again only what the edit touched. The snapshot of the
  checked network stays in memory between builds (:func:`cucon.snapshot.keep_in_memory`) instead of
  being read back from its pickle.
- **Pages first.** The build leaves the search index out (``search_later``); once the pages are written
  the browser reloads, then the index catches up (:meth:`cucon.site.build.SiteBuild.index_search`) and
  the browser reloads again. Meanwhile the search pages say that the index is being rebuilt.
- **Reload.** The LiveReload protocol of the ``livereload`` package: its ``livereload.js`` and its
  websocket handler, served by this server only. The script is added to the pages as they are sent,
  never to the files, so ``output/`` stays what ``make html`` writes.
- **A broken file** fails the build before anything is written: the last good site stays served, the
  problems (``path:line: field: message``) go to the log and onto every page, in an overlay, until a
  build succeeds again. Warnings of a build (``make html`` stops on them) are shown the same way.
"""

from __future__ import annotations

import html
import logging
import mimetypes
import queue
import re
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import watchfiles
from livereload.handlers import LiveReloadHandler, LiveReloadJSHandler
from tornado import web
from tornado.httpserver import HTTPServer
from tornado.ioloop import IOLoop
from tornado.netutil import bind_sockets
from tornado.websocket import WebSocketHandler

from cucon import snapshot, urls
from cucon.catalog import LOCALE, phrase

logger = logging.getLogger(__name__)

NOT_FOUND_PAGE = "404.html"
PAGE_LANGUAGE = re.compile(rb"<html[^>]*\blang=\"([A-Za-z-]+)\"")
RELOAD = {"command": "reload", "path": "/", "liveCSS": False, "liveImg": False}
"""The LiveReload protocol's message that makes a browser load its page again."""


class Preview:
    """The site of one settings file, built, watched and built again; what the pages are told meanwhile."""

    def __init__(self, settings_file: Path, overrides: Mapping[str, object]) -> None:
        self.settings_file = Path(settings_file)
        self.overrides = dict(overrides)
        self.problems: list[str] = []
        """What the last build logged at warning level or above; an overlay shows it on every page."""
        self.indexing = False
        """True while the search index catches up with the pages."""
        self.loop: IOLoop | None = None

    def settings(self) -> dict:
        """Pelican's settings, read anew for each build (the settings file may have changed)."""
        from pelican.settings import read_settings

        return read_settings(str(self.settings_file), override=self.overrides)

    def sources(self) -> list[Path]:
        """What a change of which builds the site again: the content, the theme (templates, static files
        and catalogs), the settings file, and the catalogs of the problems' messages."""
        settings = self.settings()
        return [Path(settings["PATH"]), Path(settings["THEME"]), self.settings_file, LOCALE]

    def build(self) -> object | None:
        """One build of all but the search index; the build (a :class:`cucon.site.build.SiteBuild`) to
        index, or None when it failed (the last good site stays as it was)."""
        from pelican import Pelican, signals
        from pelican.log import LimitFilter

        started = time.perf_counter()
        # Pelican logs a message once per process: each build logs as a build of its own would.
        LimitFilter._raised_messages.clear()
        LimitFilter._group_count.clear()
        builds: list = []

        def search_later(generators: Iterable) -> None:
            for generator in generators:
                if hasattr(generator, "site_build"):
                    generator.search_later = True
                    builds.append(generator.site_build)

        noted = ProblemLog()
        logging.getLogger().addHandler(noted)
        signals.all_generators_finalized.connect(search_later, weak=False)
        try:
            Pelican(self.settings()).run()
        except Exception as error:
            failed: Exception | None = error
        else:
            failed = None
        finally:
            signals.all_generators_finalized.disconnect(search_later)
            logging.getLogger().removeHandler(noted)
        self.problems = noted.problems
        if failed is not None:
            if not self.problems:  # not logged by the build itself
                self.problems = [f"{type(failed).__name__}: {failed}"]
                logger.error("%s", self.problems[0], exc_info=failed)
            logger.error("cucon preview: the build failed; the last good site stays served")
            return None
        logger.info("cucon preview: pages written in %.2f s", time.perf_counter() - started)
        return builds[0] if builds else None

    def rebuild(self) -> None:
        """Build the pages, reload the browser, index the search, reload it again."""
        site_build = self.build()
        self.indexing = site_build is not None
        self.reload()
        if site_build is None:
            return
        started = time.perf_counter()
        try:
            site_build.index_search(site_build.incremental.output)
        except Exception as error:
            logger.error("cucon preview: the search index failed: %s", error)
            self.problems = [*self.problems, f"{type(error).__name__}: {error}"]
        finally:
            self.indexing = False
        logger.info("cucon preview: search index caught up in %.2f s", time.perf_counter() - started)
        self.reload()

    def reload(self) -> None:
        """Tell every connected browser to load its page again (from any thread)."""
        if self.loop is not None:
            self.loop.add_callback(_reload_browsers)

    def watch(self, stop: threading.Event) -> None:
        """Build, then build again after every change of the sources, until ``stop`` is set.

        The sources are watched from before the first build on, by a thread of their own, so that no
        change is missed; the changes made during a build make one build after it.
        """
        changed: queue.Queue[set] = queue.Queue()

        def note_changes() -> None:
            for changes in watchfiles.watch(*self.sources(), stop_event=stop, debounce=200, step=50):
                changed.put(changes)

        threading.Thread(target=note_changes, name="cucon-preview-watch", daemon=True).start()
        self.rebuild()
        while not stop.is_set():
            try:
                changes = changed.get(timeout=1)
            except queue.Empty:
                continue
            while not changed.empty():
                changes |= changed.get()
            paths = sorted({path for _, path in changes})
            logger.info("cucon preview: %s changed; building again", ", ".join(paths))
            self.rebuild()

    def page(self, name: str, body: bytes) -> bytes:
        """A page as this server sends it: with the reload script, the overlay of the last build's problems,
        and on the search page, while the index catches up, a notice that it does."""
        found = PAGE_LANGUAGE.search(body)
        lang = found.group(1).decode() if found else "en"
        added = ['<script src="/livereload.js"></script>']
        if self.problems:
            added.append(
                '<div id="cucon-preview-problems" role="alert" style="position:fixed;inset:auto 0 0 0;'
                "z-index:2147483647;max-height:60vh;overflow:auto;margin:0;padding:1em;background:#fff0f0;"
                'color:#600;border-top:4px solid #c00;font:14px/1.4 monospace">'
                f"<p><strong>{html.escape(phrase('preview.problems', lang))}</strong></p>"
                f'<pre style="white-space:pre-wrap">{html.escape(chr(10).join(self.problems))}</pre></div>'
            )
        search_pages = {urls.save_as(urls.listing("search", prefix)) for prefix in ("", f"{lang}/")}
        if self.indexing and name in search_pages:
            added.append(
                '<p id="cucon-preview-indexing" role="status" style="position:fixed;inset:0 0 auto 0;'
                'z-index:2147483646;margin:0;padding:.5em 1em;background:#fff7d6;color:#000">'
                f"{html.escape(phrase('preview.indexing', lang))}</p>"
            )
        extra = "".join(added).encode()
        end = body.rfind(b"</body>")
        return body[:end] + extra + body[end:] if end >= 0 else body + extra


class ProblemLog(logging.Handler):
    """Keeps the messages of one build from warning level up: those of the thread that builds (not,
    say, the server's log of a request for a missing file)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.thread = threading.get_ident()
        self.problems: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.problems.append(record.getMessage())


def _reload_browsers() -> None:
    """Send the reload message to every browser connected to the LiveReload websocket."""
    for waiter in list(LiveReloadHandler.waiters):
        try:
            waiter.write_message(RELOAD)
        except Exception:  # a browser that went away
            LiveReloadHandler.waiters.discard(waiter)


class ReloadSocket(LiveReloadHandler):
    """The LiveReload websocket of ``livereload``, open only to pages of this server."""

    def check_origin(self, origin: str) -> bool:
        return WebSocketHandler.check_origin(self, origin)


class PageHandler(web.RequestHandler):
    """Serves the output folder as a static host does (``/x/`` → ``/x/index.html``, a missing path 404
    with the site's 404 page), HTML pages as :meth:`Preview.page` makes them, and nothing cached."""

    def initialize(self, preview: Preview, output: Path) -> None:
        self.preview = preview
        self.output = output.resolve()

    def head(self, path: str) -> None:
        self.get(path)

    def get(self, path: str) -> None:
        target = (self.output / path).resolve()
        if not target.is_relative_to(self.output):
            self.not_found()
            return
        if target.is_dir():
            if path and not path.endswith("/"):
                self.redirect(f"/{path}/", permanent=True)
                return
            target = (self.output / urls.save_as(path)).resolve()
        if not target.is_file():
            self.not_found()
            return
        self.send(target, target.relative_to(self.output).as_posix())

    def not_found(self) -> None:
        page = self.output / NOT_FOUND_PAGE
        self.set_status(404)
        if page.is_file():
            self.send(page, NOT_FOUND_PAGE)
        else:
            self.finish()

    def send(self, file: Path, name: str) -> None:
        body = file.read_bytes()
        kind = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
        if kind == "text/html":
            body = self.preview.page(name, body)
            kind += "; charset=utf-8"
        self.set_header("Content-Type", kind)
        self.set_header("Cache-Control", "no-store")
        self.set_header("Content-Length", str(len(body)))
        if self.request.method != "HEAD":
            self.write(body)
        self.finish()

    def compute_etag(self) -> None:
        return None


def preview_app(preview: Preview, output: Path) -> web.Application:
    """The preview's web application: the LiveReload script and websocket, then the site."""
    return web.Application(
        [
            (r"/livereload", ReloadSocket),
            (r"/livereload\.js", LiveReloadJSHandler),
            (r"/(.*)", PageHandler, {"preview": preview, "output": output}),
        ]
    )


def serve(preview: Preview, output: Path, host: str, port: int) -> None:
    """Serve the preview at ``host:port`` (0: a free port) and keep it built until interrupted."""
    snapshot.keep_in_memory()
    sockets = bind_sockets(port, address=host)
    HTTPServer(preview_app(preview, output)).add_sockets(sockets)
    bound = sockets[0].getsockname()[1]
    logger.info("serving %s at http://%s:%d/ (Ctrl-C stops)", output, host, bound)
    preview.loop = IOLoop.current()
    stop = threading.Event()
    builder = threading.Thread(target=preview.watch, args=(stop,), name="cucon-preview", daemon=True)
    builder.start()
    try:
        preview.loop.start()
    except KeyboardInterrupt:
        logger.info("stopped")
    finally:
        stop.set()
        builder.join(timeout=5)
