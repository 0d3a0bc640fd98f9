"""Fixtures of the browser tests: the built sample network on a real HTTP server, and one Chromium."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Response, Route, sync_playwright
from support import CHROMIUM_ARGS, chromium_executable, serve

logger = logging.getLogger(__name__)

CHROMIUM = chromium_executable()
"""Debian's Chromium (or $CUCON_CHROMIUM); Playwright never downloads a browser of its own here."""

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


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


@pytest.fixture
def tab(browser: Browser, site_url: str) -> Iterator[Tab]:
    """A new browser context per test, so no cookie, cache or focus state carries over between tests."""
    tab = open_tab(browser, site_url)
    yield tab
    tab.context.close()


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
