"""Fixtures of the browser tests: the built sample network on a real HTTP server, and one Chromium."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright
from support import CHROMIUM_ARGS, Tab, chromium_executable, open_tab, serve

logger = logging.getLogger(__name__)

CHROMIUM = chromium_executable()
"""Debian's Chromium (or $CUCON_CHROMIUM); Playwright never downloads a browser of its own here."""


@pytest.fixture(scope="session")
def site_url(sample_site_output: Path) -> Iterator[str]:
    """The built sample on a real HTTP server at 127.0.0.1, so pages load as from a static host (one origin)."""
    with serve(sample_site_output) as url:
        logger.info("serving %s at %s", sample_site_output, url)
        yield url


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


@pytest.fixture
def tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    """A new browser context per test, so no cookie, cache or focus state carries over between tests."""
    tab = open_tab(browser, site_url)
    yield tab
    tab.context.close()
