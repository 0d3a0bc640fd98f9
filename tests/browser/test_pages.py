"""One page of every type, in German and English, in a real browser: accessible, private, keyboard-usable."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from support import BUILD_TIME, Tab, axe_violations, format_violations, origin_of

from cucon.checks import load_site
from cucon.views import ShownItem, build_listings

logger = logging.getLogger(__name__)

REPO = Path(__file__).resolve().parents[2]
LANGUAGES = {"de": "", "en": "en/"}


def _sample_pages() -> list[tuple[str, str]]:
    """(kind, URL path without the leading slash) of one page of every type, from the sample content."""
    site = load_site(REPO / "content")
    listings = build_listings(site, BUILD_TIME)

    def first(item_type: str, keep: Callable[[ShownItem], bool] = lambda entry: True) -> ShownItem:
        """The alphabetically first original of a type that ``keep`` accepts."""
        return min((e for e in listings.of(item_type) if keep(e)), key=lambda e: e.slug)

    items = {
        "profile": first("profile"),
        "call": first("call"),
        "news": first("news", lambda e: e.meta.event is None),
        "event": first("news", lambda e: e.meta.event is not None),
        "city": first("city"),
        "network": first("network"),
        "page": listings.entries[("page", "about")],
        "easy-read": listings.entries[("page", "leichte-sprache")],
        "sign-language": listings.entries[("page", "gebaerdensprache")],
        "contribute": listings.entries[("page", "contribute")],
    }
    discipline = min(site.disciplines)
    pages = []
    for lang, prefix in LANGUAGES.items():
        pages += [
            (f"home-{lang}", prefix),
            (f"profile-{lang}", items["profile"].in_language(lang).url(lang)),
            (f"profiles-{lang}", f"{prefix}profiles/"),
            (f"call-{lang}", items["call"].in_language(lang).url(lang)),
            (f"calls-{lang}", f"{prefix}calls/"),
            (f"news-item-{lang}", items["news"].in_language(lang).url(lang)),
            (f"event-{lang}", items["event"].in_language(lang).url(lang)),
            (f"news-{lang}", f"{prefix}news/"),
            (f"city-{lang}", items["city"].in_language(lang).url(lang)),
            (f"cities-{lang}", f"{prefix}cities/"),
            (f"network-{lang}", items["network"].in_language(lang).url(lang)),
            (f"discipline-{lang}", f"{prefix}disciplines/{discipline}/"),
            (f"disciplines-{lang}", f"{prefix}disciplines/"),
            (f"page-{lang}", items["page"].in_language(lang).url(lang)),
            (f"subscribe-{lang}", f"{prefix}subscribe/"),
            *(
                (f"{kind}-{lang}", items[kind].in_language(lang).url(lang))
                for kind in ("easy-read", "sign-language", "contribute")
            ),
        ]
    return pages


PAGES = [pytest.param("/" + path, id=name) for name, path in _sample_pages()]


@pytest.mark.content
@pytest.mark.parametrize("path", PAGES)
def test_page_has_no_axe_violations(tab: Tab, path: str):
    """axe-core finds no WCAG 2.1 A or AA violation on the page."""
    tab.open(path)
    violations = axe_violations(tab.page)
    assert not violations, f"{path}: {len(violations)} axe violations\n{format_violations(violations)}"


@pytest.mark.parametrize("path", PAGES)
def test_page_loads_only_from_its_own_origin_and_sets_no_cookie(tab: Tab, path: str):
    """Every request the page makes goes to the site itself and succeeds, and it sets no cookie."""
    tab.open(path, wait_until="networkidle")
    logger.info("%s requested %s", path, tab.requests)
    foreign = [url for url in tab.requests if urlsplit(url).scheme not in ("data", "blob")]
    foreign = [url for url in foreign if origin_of(url) != tab.origin]
    assert not foreign, f"{path} makes requests to other origins: {foreign}"
    assert not tab.failed, f"{path} has failed requests: {tab.failed}"
    cookies = tab.context.cookies()
    assert not cookies, f"{path} sets cookies: {[c['name'] for c in cookies]}"


FOCUS = """() => {
    const el = document.activeElement, main = document.querySelector("main");
    if (!el || el === document.body) return {tag: "", described: "nothing (the page body)"};
    const text = (el.textContent || "").trim().slice(0, 40);
    return {
        tag: el.tagName.toLowerCase(),
        href: el.getAttribute("href"),
        in_main: !!main && (el === main || main.contains(el)),
        described: `<${el.tagName.toLowerCase()}${el.id ? ` id="${el.id}"` : ""}`
            + `${el.getAttribute("href") !== null ? ` href="${el.getAttribute("href")}"` : ""}>${text}`,
    };
}"""
"""What has the keyboard focus, described for a person reading the failure."""


@pytest.mark.parametrize("path", PAGES)
def test_skip_link_takes_a_keyboard_user_to_the_main_content(tab: Tab, path: str):
    """The first Tab focuses a skip link to #main; Enter moves focus into <main>."""
    tab.open(path)
    page = tab.page
    page.keyboard.press("Tab")
    focus = page.evaluate(FOCUS)
    is_skip_link = focus["tag"] == "a" and focus["href"] == "#main"
    assert is_skip_link, (
        f'{path}: the first Tab focuses {focus["described"]}, not a skip link <a href="#main">'
    )
    page.keyboard.press("Enter")
    try:
        page.wait_for_function("() => location.hash === '#main'", timeout=2_000)
    except PlaywrightError:
        pytest.fail(f"{path}: Enter on the skip link leaves the URL at {page.url}, not at #main")
    focus = page.evaluate(FOCUS)
    assert focus.get("in_main"), (
        f"{path}: after Enter on the skip link the focus is on {focus['described']}, not in <main>"
    )
