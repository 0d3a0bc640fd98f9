"""Screenshots of the built site for docs/: pages at phone and desktop widths, de and en (and the
Japanese home and profile), the calls page filtered by its script, a profile's match lists, and a feed's view.

Usage: ``make html && .venv/bin/python tools/screenshots.py`` (needs Debian's chromium). The Japanese pages
need a build with ja in CUCON_LANGUAGES; ``tools/screenshots.py --output FOLDER home-ja profile-ja`` takes
only the named screenshots of the build in FOLDER.
"""

import argparse
import functools
import logging
import os
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
OUTPUT = REPO / "output"
TARGET = REPO / "docs" / "screenshots"
PAGES = {
    "home-de": "/",
    "home-en": "/en/",
    "profile-de": "/profiles/agnieszka-lipinska/",
    "profile-en": "/en/profiles/agnieszka-lipinska/",
    "subscribe-de": "/subscribe/",
    "subscribe-en": "/en/subscribe/",
    "city-poznan-en": "/en/cities/poznan/",
    "home-ja": "/ja/",
    "profile-ja": "/ja/profiles/mizuki-tanabe/",
}
FILTERED = {
    "calls-poznan-music-en": (
        "/en/calls/",
        {"#calls-filter-city": "poznan", "#calls-filter-discipline": "music"},
    )
}
"""The calls page with its script's filters set: calls open to people from Poznań, in music."""
MATCH_LISTS = {
    "profile-matches-de": "/profiles/kwartet-dwie-rzeki/",
    "profile-matches-en": "/en/profiles/kwartet-dwie-rzeki/",
}
"""Profile pages whose match lists ("Calls for you", "People to work with") are shot alone."""
MARGIN = 16
"""Pixels of the page around the match lists in their screenshot."""
FEED_VIEW = "/feeds/city/hannover/atom.xml"
"""The feed whose XSLT view docs/feed-view.png shows."""
WIDTHS = (375, 1280)
CHROMIUM = os.environ.get("CUCON_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]  # fmt: skip

logger = logging.getLogger("screenshots")


class Handler(SimpleHTTPRequestHandler):
    """A static file handler that logs through logging."""

    def log_message(self, format: str, *args: object) -> None:
        """Log requests at debug level."""
        logger.debug(format, *args)


def main(output: Path = OUTPUT, only: frozenset[str] = frozenset()) -> None:
    """Serve ``output`` on 127.0.0.1 and take every screenshot, or the named ones (full page, light scheme)."""

    def wanted(name: str) -> bool:
        return not only or name in only

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(output)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    TARGET.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for width in WIDTHS:
            page = browser.new_page(viewport={"width": width, "height": 900}, color_scheme="light")
            for name, path in PAGES.items():
                if not wanted(name):
                    continue
                page.goto(base + path)
                target = TARGET / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                logger.info("wrote %s", target.relative_to(REPO))
            for name, (path, choices) in FILTERED.items():
                if not wanted(name):
                    continue
                page.goto(base + path)
                page.wait_for_selector("form.calls-filter:not([hidden])")
                for select, value in choices.items():
                    page.select_option(select, value)
                target = TARGET / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True)
                logger.info("wrote %s", target.relative_to(REPO))
            for name, path in MATCH_LISTS.items():
                if not wanted(name):
                    continue
                page.goto(base + path)
                boxes = [section.bounding_box() for section in page.locator("section.matches").all()]
                left, top = min(b["x"] for b in boxes) - MARGIN, min(b["y"] for b in boxes) - MARGIN
                clip = {
                    "x": max(left, 0),
                    "y": max(top, 0),
                    "width": max(b["x"] + b["width"] for b in boxes) + MARGIN - max(left, 0),
                    "height": max(b["y"] + b["height"] for b in boxes) + MARGIN - max(top, 0),
                }
                target = TARGET / f"{name}-{width}.png"
                page.screenshot(path=str(target), full_page=True, clip=clip)
                logger.info("wrote %s", target.relative_to(REPO))
            page.close()
        if wanted("feed-view"):
            page = browser.new_page(viewport={"width": 1000, "height": 1300}, color_scheme="light")
            page.goto(base + FEED_VIEW)
            # Chromium 156+ puts a banner above pages that use XSLT (it is being removed): hide it.
            page.evaluate("document.querySelectorAll('xslt-warning-banner').forEach(e => e.remove())")
            page.screenshot(path=str(REPO / "docs" / "feed-view.png"))
            logger.info("wrote docs/feed-view.png")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    parser = argparse.ArgumentParser(description="screenshots of the built site for docs/")
    parser.add_argument("--output", type=Path, default=OUTPUT, help="the built site (default: output/)")
    parser.add_argument(
        "names", nargs="*", help="only these screenshots, e.g. home-ja profile-ja feed-view (default: all)"
    )
    arguments = parser.parse_args()
    main(arguments.output, frozenset(arguments.names))
