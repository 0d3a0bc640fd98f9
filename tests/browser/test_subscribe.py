"""The subscribe page in a real browser: accessible with and without JavaScript, private, complete,
and its enhancements work: the copy buttons and the OPML file built from ticked feeds."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urljoin, urlsplit
from xml.etree import ElementTree

import pytest
from playwright.sync_api import Browser, expect
from support import Tab, axe_violations, format_violations, open_tab, origin_of

LANGUAGES = {"de": "", "en": "en/"}
"""UI language → URL prefix of the subscribe pages the tests open."""

COPIED = "Address copied to the clipboard."
"""The English message of the copy buttons' live region."""


def _path(lang: str) -> str:
    """The URL path of the subscribe page in one UI language."""
    return f"/{LANGUAGES[lang]}subscribe/"


def _assert_stays_local(tab: Tab) -> None:
    """Every request the page made went to the test server on 127.0.0.1, and none failed."""
    remote = [
        url
        for url in tab.requests
        if urlsplit(url).scheme not in ("data", "blob") and origin_of(url) != tab.origin
    ]
    assert not remote, f"requests that leave {tab.origin}: {remote}"
    assert urlsplit(tab.origin).hostname == "127.0.0.1"
    assert not tab.failed, f"failed requests: {tab.failed}"


@pytest.fixture
def tab_with_clipboard(tab: Tab) -> Tab:
    """The usual tab, allowed to read and write the clipboard of the site's origin."""
    tab.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=tab.origin)
    return tab


@pytest.fixture
def tab_without_js(browser: Browser, site_url: str) -> Iterator[Tab]:
    """A tab whose browser runs no JavaScript at all, as with scripts blocked or failed to load."""
    tab = open_tab(browser, site_url, java_script_enabled=False)
    yield tab
    tab.context.close()


class _Addresses(HTMLParser):
    """Collects every address inside <main>: link targets, copy-button data, OPML checkbox data."""

    def __init__(self) -> None:
        super().__init__()
        self.in_main = False
        self.found: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Note the addresses of an element inside <main>."""
        values = dict(attrs)
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        for name in ("href", "data-copy", "data-page"):
            if values.get(name):
                self.found.add(values[name])
        if tag == "input" and values.get("name") == "feed" and values.get("value"):
            self.found.add(values["value"])

    def handle_endtag(self, tag: str) -> None:
        """Leave <main>."""
        if tag == "main":
            self.in_main = False


def _get(url: str) -> tuple[int, bytes]:
    """HTTP status and body of a GET request to the test server."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read()
    except HTTPError as error:
        return error.code, b""


@pytest.mark.content
@pytest.mark.parametrize("lang", LANGUAGES)
def test_subscribe_page_has_no_axe_violations_after_use(tab_with_clipboard: Tab, lang: str):
    """axe-core finds no WCAG 2.1 A or AA violation with the enhancements shown and used."""
    tab = tab_with_clipboard
    tab.open(_path(lang))
    page = tab.page
    expect(page.locator(".opml-form")).to_be_visible()
    page.locator(".copy-button").first.click()
    page.locator("#pick-city-leipzig").check()
    page.locator("button.opml-download").click()
    expect(page.locator(".opml-status")).not_to_be_empty()
    violations = axe_violations(page)
    assert not violations, f"{lang}: {len(violations)} axe violations\n{format_violations(violations)}"


@pytest.mark.content
@pytest.mark.parametrize("lang", LANGUAGES)
def test_subscribe_page_has_no_axe_violations_without_javascript(browser: Browser, site_url: str, lang: str):
    """axe-core finds no violation in the page as a reader without JavaScript gets it (site.js blocked)."""
    # axe itself needs JavaScript, so here the page's own script is blocked rather than all of them.
    tab = open_tab(browser, site_url)
    try:
        tab.page.route("**/theme/js/site.js", lambda route: route.abort("blockedbyclient"))
        tab.open(_path(lang))
        expect(tab.page.locator(".opml-form")).to_be_hidden()
        violations = axe_violations(tab.page)
    finally:
        tab.context.close()
    assert not violations, f"{lang}: {len(violations)} axe violations\n{format_violations(violations)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_subscribe_page_requests_nothing_from_other_hosts(tab_with_clipboard: Tab, site_url: str, lang: str):
    """Loading the page, copying an address and building an OPML file make no request beyond 127.0.0.1."""
    tab = tab_with_clipboard
    tab.open(_path(lang), wait_until="networkidle")
    page = tab.page
    page.locator(".copy-button").first.click()
    expect(page.locator(".copy-status")).not_to_be_empty()
    page.locator("#pick-city-hannover").check()
    with page.expect_download():
        page.locator("button.opml-download").click()
    page.wait_for_load_state("networkidle")
    _assert_stays_local(tab)


def _addresses_on(url: str) -> set[str]:
    """The absolute addresses a page links (not its fragments, not webcal:)."""
    status, html = _get(url)
    assert status == 200, url
    parser = _Addresses()
    parser.feed(html.decode("utf-8"))
    return {urljoin(url, a) for a in parser.found if not a.startswith(("#", "webcal:"))}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_feed_and_calendar_is_listed_and_every_address_answers(
    site_url: str, sample_site_output: Path, lang: str
):
    """Each feed and calendar of the UI language is linked, and every address on the page answers 200: the
    network's on the subscribe page, a profile's own "calls for you" on that profile's page."""
    page_url = site_url + _path(lang)
    addresses = _addresses_on(page_url)
    root = sample_site_output / LANGUAGES[lang]
    files = [*root.glob("feeds/**/*.xml"), *root.glob("calendars/**/*.ics"), *root.glob("digests/*")]
    files += [root / "feeds" / "cities.opml"]
    # A single event's "add to calendar" file is offered on the event's page (tests/test_calendars.py)
    files = [p for p in files if p.relative_to(root).parts[:2] != ("calendars", "event")]
    own = [p for p in files if p.relative_to(root).parts[1:2] == ("profile",)]  # feeds/profile/<slug>/…
    expected = {f"{site_url}/{p.relative_to(sample_site_output).as_posix()}" for p in files if p not in own}
    assert len(expected) > 40, f"too few feeds and calendars in the build: {sorted(expected)}"
    missing = expected - addresses
    assert not missing, f"{lang}: not on the subscribe page: {sorted(missing)}"
    assert own, "no profile has its own feed and calendar"
    for slug in sorted({p.relative_to(root).parts[2] for p in own}):
        profile_url = f"{site_url}/{LANGUAGES[lang]}profiles/{slug}/"
        linked = _addresses_on(profile_url)
        mine = {
            f"{site_url}/{p.relative_to(sample_site_output).as_posix()}" for p in own if p.parent.name == slug
        }
        assert mine <= linked, f"{lang}: not on {profile_url}: {sorted(mine - linked)}"
        addresses |= mine
    broken = {}
    for address in sorted(addresses):
        if origin_of(address) == site_url:
            code = _get(address)[0]
            if code != 200:
                broken[address] = code
    assert not broken, f"{lang}: addresses that do not answer 200: {broken}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_ticked_feeds_download_as_one_opml_file(tab: Tab, site_url: str, lang: str):
    """Ticking two city feeds and pressing "Download OPML" saves an OPML 2.0 file of exactly those two."""
    tab.open(_path(lang))
    page = tab.page
    page.locator("#pick-city-leipzig").check()
    page.locator("#pick-city-rouen").check()
    with page.expect_download() as download_info:
        page.locator("button.opml-download").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".opml")
    opml = ElementTree.parse(download.path()).getroot()
    assert opml.tag == "opml"
    assert opml.get("version") == "2.0"
    assert (opml.findtext("head/title") or "").strip()
    outlines = opml.findall("body/outline")
    prefix = f"{site_url}/{LANGUAGES[lang]}"
    assert {o.get("xmlUrl") for o in outlines} == {
        f"{prefix}feeds/city/leipzig/atom.xml",
        f"{prefix}feeds/city/rouen/atom.xml",
    }
    for outline in outlines:
        assert outline.get("type") == "rss"
        assert outline.get("text")
        assert outline.get("title") == outline.get("text")
        assert outline.get("htmlUrl", "").startswith(f"{prefix}cities/")
    expect(page.locator(".opml-status")).to_contain_text("2")


def test_nothing_ticked_says_so_instead_of_downloading(tab: Tab):
    """Pressing the download button with nothing ticked explains why in the form's status."""
    tab.open(_path("en"))
    page = tab.page
    page.locator("button.opml-download").click()
    expect(page.locator(".opml-status")).to_have_text("Tick at least one feed first.")


def test_select_all_cities_ticks_every_city_and_nothing_else(tab: Tab):
    """ "Select all cities" ticks every city box; the disciplines and types stay as they were."""
    tab.open(_path("en"))
    page = tab.page
    page.get_by_role("button", name="Select all cities").click()
    cities = page.locator("input[name=feed][id^='pick-city-']")
    assert cities.count() >= 8
    for index in range(cities.count()):
        expect(cities.nth(index)).to_be_checked()
    expect(page.locator("input[name=feed]:checked")).to_have_count(cities.count())
    page.get_by_role("button", name="Clear the selection").click()
    expect(page.locator("input[name=feed]:checked")).to_have_count(0)


def test_copy_buttons_copy_absolute_addresses(tab_with_clipboard: Tab, site_url: str):
    """A feed's copy button copies its absolute address; a calendar's, the webcal:// address."""
    tab = tab_with_clipboard
    tab.open(_path("en"))
    page = tab.page
    status = page.locator(".copy-status")
    page.get_by_role("button", name="Copy address (feed: Leipzig)").click()
    expect(status).to_have_text(COPIED)
    assert page.evaluate("navigator.clipboard.readText()") == f"{site_url}/en/feeds/city/leipzig/atom.xml"
    page.get_by_role("button", name="Copy address (events calendar: Leipzig)").click()
    host = urlsplit(site_url).netloc
    expect(status).to_have_text(COPIED)
    assert (
        page.evaluate("navigator.clipboard.readText()")
        == f"webcal://{host}/en/calendars/city/leipzig/events.ics"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_only_the_ready_made_opml_is_offered(tab_without_js: Tab, lang: str):
    """Without JavaScript the OPML of all city feeds is a visible download link; no dead controls show."""
    tab = tab_without_js
    tab.open(_path(lang))
    page = tab.page
    opml_link = page.locator("a.opml-link")
    expect(opml_link).to_be_visible()
    expect(opml_link).to_have_attribute("download", "")
    assert opml_link.get_attribute("href").endswith("feeds/cities.opml")
    copy_buttons = page.locator(".copy-button")
    assert copy_buttons.count() > 30
    for index in range(copy_buttons.count()):
        expect(copy_buttons.nth(index)).to_be_hidden()
    expect(page.locator("button.opml-download")).to_be_hidden()
    expect(page.locator("input[name=feed]").first).to_be_hidden()
    expect(page.locator("a[type='application/atom+xml']").first).to_be_visible()
