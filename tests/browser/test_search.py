"""The search page in a real browser: Pagefind finds names, Japanese and parts of German compounds,
its filters and sort orders work, it fetches only what a search needs, it is accessible, private,
usable by keyboard and without JavaScript."""

from __future__ import annotations

import json
import re
import urllib.request
from urllib.parse import quote, urlsplit

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from support import Tab, axe_violations, format_violations, open_tab, origin_of

LANGUAGES = {"de": "", "en": "en/"}
"""UI language → URL prefix."""

RESULTS = """term => {
    const list = document.querySelector(".search-result-list");
    const summary = document.querySelector(".search-summary");
    if (!list || !summary || list.getAttribute("aria-busy") !== "false" || !summary.textContent.trim()) return null;
    if (term && !summary.textContent.includes(term)) return null;
    return [...list.querySelectorAll(".search-result h3 a")].map(a => a.getAttribute("href"));
}"""
"""The result links on show, once a search has finished and its summary (naming ``term``) is shown; else null."""


def _search_path(lang: str, query: str = "") -> str:
    """The URL path of the search page in one UI language, with a query."""
    return f"/{LANGUAGES[lang]}search/" + (f"?q={quote(query)}" if query else "")


def _results(page: Page, term: str = "") -> list[str]:
    """The paths of the results on show (the first 20) of the search that is running or done, once it is done."""
    handle = page.wait_for_function(RESULTS, arg=term)
    return [urlsplit(href).path for href in handle.json_value()]


def _count(page: Page) -> int:
    """The number of results of the last search, as its summary says."""
    return int(re.search(r"\d+", page.locator(".search-summary").inner_text()).group())


def _open_filters(page: Page) -> None:
    """Open the filters, once, and wait until their data has loaded."""
    pane = page.locator("details.search-filter-pane")
    if not pane.evaluate("d => d.open"):
        pane.locator("> summary").click()
    expect(page.locator(".search-filter-groups")).to_have_attribute("aria-busy", "false")


def _filter(page: Page, group: str, value: str) -> Locator:
    """The checkbox of a filter value ("Leipzig") in its group ("City"), the filters and the group opened."""
    _open_filters(page)
    details = page.locator(f'details.search-filter-group[data-filter-name="{group}"]')
    if not details.evaluate("d => d.open"):
        details.locator("summary").click()
    return details.get_by_role("checkbox", name=re.compile(rf"^{re.escape(value)}\b"))


def _filter_count(page: Page, group: str, value: str) -> int:
    """The count shown beside a filter value."""
    label = _filter(page, group, value).locator("xpath=..")
    return int(label.locator(".search-filter-count").inner_text())


def _tick(page: Page, group: str, value: str) -> None:
    """Tick a filter value ("Leipzig") in its group ("City"), opening the filters and the group if closed."""
    _filter(page, group, value).check()


def _pagefind_requests(tab: Tab, folder: str = "") -> list[str]:
    """The requests the tab made for the search bundle's files (of one of its folders: index/, filter/ …)."""
    return [url for url in tab.requests if f"/pagefind/{folder}" in urlsplit(url).path]


def _html(site_url: str, path: str) -> str:
    """The HTML of a page of the test server."""
    with urllib.request.urlopen(site_url + path, timeout=10) as response:
        return response.read().decode("utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_name_typed_into_the_field_finds_its_profile_first(tab: Tab, lang: str):
    """Typing a profile's name lists that profile first, and the address then carries the query."""
    tab.open(_search_path(lang))
    page = tab.page
    expect(page.locator(".search-ui")).to_be_visible()
    page.locator("#search-q").fill("Chorwerkstatt Connewitz")
    results = _results(page, "Chorwerkstatt Connewitz")
    assert results[0] == f"/{LANGUAGES[lang]}profiles/chorwerkstatt-connewitz/", results
    assert "q=Chorwerkstatt+Connewitz" in page.url


def test_a_search_from_the_address_fetches_only_the_index_chunks_of_its_word(tab: Tab, sample_site_output):
    """A page opened with ?q= fetches the chunks of the word index its word needs, not every chunk;
    the field emptied later shows no results and fetches nothing more."""
    chunks = {p.name for p in (sample_site_output / "pagefind" / "index").glob("en_*")}
    assert len(chunks) > 2, chunks  # else a search could not show that it fetches less than all
    tab.open(_search_path("en", "Leipzig"), wait_until="networkidle")
    results = _results(tab.page, "Leipzig")
    assert "/en/cities/leipzig/" in results, results
    fetched = {urlsplit(url).path.rsplit("/", 1)[-1] for url in _pagefind_requests(tab, "index/")}
    assert fetched, tab.requests
    assert len(fetched) < len(chunks), fetched
    assert _count(tab.page) > 0
    requested = len(tab.requests)
    tab.page.locator("#search-q").fill("")
    expect(tab.page.locator(".search-summary")).to_be_empty()
    expect(tab.page.locator(".search-result")).to_have_count(0)
    tab.page.wait_for_load_state("networkidle")
    assert not [url for url in tab.requests[requested:] if "/pagefind/" in url], tab.requests
    assert "q=" not in tab.page.url


@pytest.mark.parametrize("lang", LANGUAGES)
def test_japanese_finds_the_hiroshima_city_page(tab: Tab, lang: str):
    """ "広島" (part of 広島市) finds the city page of Hiroshima, in either UI language."""
    tab.open(_search_path(lang, "広島"))
    results = _results(tab.page, "広島")
    assert f"/{LANGUAGES[lang]}cities/hiroshima/" in results, results


@pytest.mark.parametrize(
    ("part", "path"),
    [
        ("residenz", "calls/sommerresidenz-kulturhof-nordstadt/"),
        ("werkstatt", "profiles/chorwerkstatt-connewitz/"),
    ],
)
def test_part_of_a_german_compound_finds_its_page(tab: Tab, part: str, path: str):
    """A word inside a compound ("residenz" in "Sommerresidenz") finds the page with the compound."""
    tab.open(_search_path("de", part))
    results = _results(tab.page, part)
    assert f"/{path}" in results, results


def test_city_filter_narrows_the_results_to_that_city(tab: Tab, site_url: str):
    """With "Leipzig" ticked under City and no words, the pages of Leipzig are listed, as many as its
    filter counts and fewer than all pages, and every one is a page of Leipzig; the address has the filter."""
    tab.open(_search_path("en"))
    page = tab.page
    _open_filters(page)
    types = page.locator('details[data-filter-name="Type"] .search-filter-count').all_inner_texts()
    everything = sum(int(count) for count in types)
    expected = _filter_count(page, "City", "Leipzig")
    _tick(page, "City", "Leipzig")
    results = _results(page)
    assert 0 < len(results) == _count(page) == expected < everything
    assert "f=City%3ALeipzig" in page.url
    marker = 'data-pagefind-filter="City[data-value]" data-value="Leipzig"'
    elsewhere = [path for path in results if marker not in _html(site_url, path)]
    assert not elsewhere, f"results that are not of Leipzig: {elsewhere}"


def test_open_status_filter_hides_closed_calls(tab: Tab, site_url: str):
    """With "Open" ticked under Status, only calls remain, and none is closed at the build time."""
    tab.open(_search_path("en"))
    page = tab.page
    assert _filter_count(page, "Status", "Closed") > 0
    _tick(page, "Status", "Open")
    results = _results(page)
    assert 0 < len(results) == _count(page)
    pages = {path: _html(site_url, path) for path in results}
    not_calls = [path for path, html in pages.items() if "call-status" not in html]
    closed_calls = [path for path, html in pages.items() if "call-status-closed" in html]
    assert not not_calls, f"results that are not calls: {not_calls}"
    assert not closed_calls, f"closed calls among the open ones: {closed_calls}"


def test_sorting_by_deadline_lists_calls_earliest_deadline_first(tab: Tab, site_url: str):
    """The deadline order lists only calls (the pages with a deadline), earliest first, and is in the address:
    of Hannover's pages (profiles, news, calls …), only its calls remain."""
    tab.open(_search_path("en"))
    page = tab.page
    _tick(page, "City", "Hannover")
    _results(page)
    everything = _count(page)
    page.get_by_label("Sort by").select_option("deadline:asc")
    results = _results(page)
    assert 5 < len(results) == _count(page) < everything
    assert all(path.startswith("/en/calls/") for path in results), results
    key = re.compile(r'data-pagefind-sort="deadline\[data-value\]" data-value="([^"]+)"')
    deadlines = [key.search(_html(site_url, path)).group(1) for path in results]
    assert deadlines == sorted(deadlines)
    assert "sort=deadline%3Aasc" in page.url


def test_results_show_type_summary_and_picture_with_its_alt_text(tab: Tab, site_url: str):
    """A profile's result has its title link, its type, its summary and its picture with the page's alt text."""
    tab.open(_search_path("en", "Chorwerkstatt Connewitz"))
    page = tab.page
    _results(page, "Chorwerkstatt Connewitz")
    first = page.locator(".search-result").first
    expect(first.get_by_role("heading", level=3)).to_have_text("Chorwerkstatt Connewitz")
    expect(first.locator(".search-result-type")).to_have_text("Profile")
    expect(first.locator(".search-result-summary")).not_to_be_empty()
    html = _html(site_url, "/en/profiles/chorwerkstatt-connewitz/")
    alt = re.search(r'data-pagefind-meta="image_alt\[data-value\]" data-value="([^"]+)"', html).group(1)
    image = first.locator("img")
    expect(image).to_have_attribute("alt", alt)
    assert image.evaluate("img => img.complete && img.naturalWidth > 0")


def test_show_more_adds_the_next_results_and_moves_the_focus_to_them(tab: Tab):
    """The list shows 20 results at a time; "Show more results" adds the next and focuses the first of them."""
    tab.open(_search_path("en"))
    page = tab.page
    _tick(page, "City", "Hannover")
    first = _results(page)
    assert len(first) == 20 < _count(page)
    page.get_by_role("button", name="Show more results").click()
    expect(page.locator(".search-result")).to_have_count(min(40, _count(page)))
    expect(page.locator(".search-result a").nth(20)).to_be_focused()
    assert _results(page)[:20] == first


def test_arrow_down_and_enter_open_the_first_result(tab: Tab):
    """From the field, Arrow Down moves to the first result's link, and Enter follows it."""
    tab.open(_search_path("en"))
    page = tab.page
    field = page.locator("#search-q")
    field.fill("Chorwerkstatt Connewitz")
    _results(page, "Chorwerkstatt Connewitz")
    field.press("ArrowDown")
    expect(page.locator(".search-result a").first).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_url("**/en/profiles/chorwerkstatt-connewitz/")


def test_result_counts_are_announced_politely(tab: Tab):
    """Every result count, none found included, goes to a polite live region, none to an assertive one."""
    tab.open(_search_path("en"))
    page = tab.page
    expect(page.locator(".search-ui")).to_be_visible()
    page.evaluate(
        """() => {
            window.announced = [];
            const record = () => document.querySelectorAll("[aria-live]").forEach(region => {
                if (region.textContent) window.announced.push([region.getAttribute("aria-live"), region.textContent]);
            });
            new MutationObserver(record).observe(document.body, {subtree: true, childList: true, characterData: true});
        }"""
    )
    field = page.locator("#search-q")
    for term, message in (("Leipzig", "results for Leipzig"), ("xqzvw", "No results for xqzvw")):
        field.fill(term)
        page.wait_for_function("m => window.announced.some(([, text]) => text.includes(m))", arg=message)
    announced = page.evaluate("window.announced")
    assert all(live == "polite" for live, _text in announced), announced


@pytest.mark.parametrize("lang", LANGUAGES)
def test_header_search_box_leads_to_the_search_page_with_results(tab: Tab, lang: str):
    """The search box in the header of another page submits to the search page, which searches for it."""
    tab.open(f"/{LANGUAGES[lang]}profiles/")
    page = tab.page
    page.locator(".header-search input[name=q]").fill("Connewitz")
    page.locator(".header-search button").click()
    page.wait_for_url(re.compile(rf"/{LANGUAGES[lang]}search/\?q=Connewitz$"))
    assert _results(page, "Connewitz")
    expect(page.locator("#search-q")).to_have_value("Connewitz")


@pytest.mark.content
@pytest.mark.parametrize("width", [375, 1280])
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_page_has_no_axe_violations_with_results_and_filters(
    browser: Browser, site_url: str, lang: str, width: int
):
    """axe-core finds no WCAG 2.1 A or AA violation with results shown, every filter open and one ticked,
    on a phone and on a desktop."""
    tab = open_tab(browser, site_url, viewport={"width": width, "height": 800})
    try:
        tab.open(_search_path(lang, "Leipzig"))
        page = tab.page
        _results(page, "Leipzig")
        _open_filters(page)
        for group in page.locator("details.search-filter-group").all():
            if not group.evaluate("d => d.open"):
                group.locator("summary").click()
        page.locator(".search-filter input").first.check()
        _results(page, "Leipzig")
        violations = axe_violations(page)
    finally:
        tab.context.close()
    assert not violations, f"{lang}: {len(violations)} axe violations\n{format_violations(violations)}"


def test_search_requests_nothing_from_other_hosts(tab: Tab):
    """Searching, filtering and sorting load the index, pictures and scripts from the site only, all found."""
    tab.open(_search_path("en", "Leipzig"), wait_until="networkidle")
    page = tab.page
    _results(page, "Leipzig")
    _tick(page, "Type", "Profile")
    page.get_by_label("Sort by").select_option("date:desc")
    _results(page, "Leipzig")
    page.wait_for_load_state("networkidle")
    remote = [url for url in tab.requests if urlsplit(url).scheme not in ("data", "blob")]
    remote = [url for url in remote if origin_of(url) != tab.origin]
    assert not remote, f"requests that leave {tab.origin}: {remote}"
    assert urlsplit(tab.origin).hostname == "127.0.0.1"
    assert any("/pagefind/" in url for url in tab.requests)
    assert not tab.failed, f"failed requests: {tab.failed}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_header_search_leads_to_the_directory(
    browser: Browser, site_url: str, lang: str
):
    """Without JavaScript the header's search lands on the search page, which shows the directory's entry points."""
    tab = open_tab(browser, site_url, java_script_enabled=False)
    try:
        tab.open(f"/{LANGUAGES[lang]}news/")
        page = tab.page
        page.locator(".header-search input[name=q]").fill("Leipzig")
        page.locator(".header-search input[name=q]").press("Enter")
        page.wait_for_url(re.compile(rf"/{LANGUAGES[lang]}search/\?q=Leipzig$"))
        expect(page.locator(".search-ui")).to_be_hidden()
        expect(page.locator(".search-no-script")).to_be_visible()
        prefix = f"/{LANGUAGES[lang]}"
        for path in (
            "profiles/",
            "profiles/city/leipzig/",
            "profiles/city/hiroshima/",
            "disciplines/",
            "calls/",
            "news/",
        ):
            expect(page.locator(f'.search-browse a[href="{prefix}{path}"]')).to_be_visible()
    finally:
        tab.context.close()


@pytest.mark.content
@pytest.mark.parametrize("lang", LANGUAGES)
def test_search_page_has_no_axe_violations_without_its_scripts(browser: Browser, site_url: str, lang: str):
    """axe-core finds no violation in the page as a reader gets it when the search scripts do not load."""
    # axe itself needs JavaScript, so the page's own scripts are blocked rather than all of them.
    tab = open_tab(browser, site_url)
    try:
        tab.page.route(
            re.compile(r"/(pagefind/.*|theme/js/search)\.js$"), lambda route: route.abort("blockedbyclient")
        )
        tab.open(_search_path(lang, "Leipzig"))
        expect(tab.page.locator(".search-no-script")).to_be_visible()
        violations = axe_violations(tab.page)
    finally:
        tab.context.close()
    assert not violations, f"{lang}: {len(violations)} axe violations\n{format_violations(violations)}"


def test_the_search_page_without_a_query_fetches_no_part_of_the_index(tab: Tab):
    """/search/ without ?q= shows the field and the directory, no results, and fetches no chunk of the
    index: no search runs until words are typed or a filter is chosen."""
    tab.open(_search_path("en"), wait_until="networkidle")
    page = tab.page
    expect(page.locator(".search-ui")).to_be_visible()
    expect(page.locator(".search-result")).to_have_count(0)
    expect(page.locator(".search-summary")).to_be_empty()
    expect(page.locator(".search-browse a").first).to_be_visible()
    assert not _pagefind_requests(tab, "index/"), tab.requests
    assert not _pagefind_requests(tab, "filter/"), tab.requests


def test_the_filters_data_is_fetched_only_when_the_filters_are_opened(tab: Tab):
    """A search fetches no filter data while the filters are closed; opening them fetches it and shows
    each value with its count in the results on show."""
    tab.open(_search_path("en", "Leipzig"), wait_until="networkidle")
    page = tab.page
    _results(page, "Leipzig")
    page.wait_for_load_state("networkidle")
    assert _pagefind_requests(tab, "index/"), tab.requests
    assert not _pagefind_requests(tab, "filter/"), tab.requests
    _open_filters(page)
    assert _pagefind_requests(tab, "filter/"), tab.requests
    assert _filter_count(page, "City", "Leipzig") > 0
    assert _filter_count(page, "Type", "Profile") <= _count(page)


def test_filters_from_the_address_are_ticked_and_searched(tab: Tab):
    """An address with a query and a filter, as the page writes it, searches with both and shows the filter ticked."""
    tab.open(_search_path("en", "Leipzig") + "&f=Type%3AProfile")
    page = tab.page
    results = _results(page, "Leipzig")
    assert results
    assert all(path.startswith("/en/profiles/") for path in results), results
    expect(_filter(page, "Type", "Profile")).to_be_checked()


def test_back_returns_to_the_search_before(tab: Tab):
    """Each submitted search and each filter ticked is a step in the history: Back shows the one before,
    with its words, filters and results."""
    tab.open(_search_path("en"))
    page = tab.page
    field = page.locator("#search-q")
    field.fill("Leipzig")
    field.press("Enter")
    leipzig = _results(page, "Leipzig")
    _tick(page, "Type", "Profile")
    profiles = _results(page, "Leipzig")
    assert len(profiles) < len(leipzig)
    page.go_back()
    assert _results(page, "Leipzig") == leipzig
    expect(_filter(page, "Type", "Profile")).not_to_be_checked()
    page.go_back()
    expect(field).to_have_value("")
    expect(page.locator(".search-result")).to_have_count(0)
    page.go_forward()
    expect(field).to_have_value("Leipzig")
    assert _results(page, "Leipzig") == leipzig


def test_keyboard_order_is_field_submit_filters_sort_results(tab: Tab):
    """Tab moves from the field to its submit button, then to the filters, the sort order and the results."""
    tab.open(_search_path("en", "Leipzig"))
    page = tab.page
    _results(page, "Leipzig")
    page.locator("#search-q").focus()
    order = []
    for _ in range(4):
        page.keyboard.press("Tab")
        order.append(page.evaluate("document.activeElement.closest('[class]').className"))
    assert order == ["search-field", "search-filter-pane", "search-sort", "search-result-title"], order
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    expect(page.locator(".search-filter-group").first).to_be_visible()


def _stand_in_engine(tab: Tab, script: str) -> None:
    """Put ``script``'s window.CuconSearchDelta on the page in place of the real search-delta.js, whose
    own definition would replace it: the page's engine is then the test's."""
    tab.page.route(
        "**/theme/js/search-delta.js",
        lambda route: route.fulfill(
            status=200, content_type="text/javascript", body="/* the test's engine */"
        ),
    )
    tab.page.add_init_script(script)


def test_the_engine_is_reached_through_the_delta_when_it_is_on_the_page(tab: Tab):
    """With window.CuconSearchDelta on the page, the search asks it for the engine (with Pagefind and the
    bundle's address) and shows what that engine answers: a result it drops is not shown."""
    dropped = "/en/cities/leipzig/"
    _stand_in_engine(
        tab,
        """(dropped => {
            window.deltaOpened = [];
            window.CuconSearchDelta = {
                open: (pagefind, bundleUrl) => {
                    window.deltaOpened.push(bundleUrl);
                    return Promise.resolve({
                        search: async (term, options) => {
                            const found = await pagefind.search(term, options);
                            const kept = [];
                            for (const result of found.results) {
                                if ((await result.data()).url !== dropped) kept.push(result);
                            }
                            return {...found, results: kept};
                        },
                        filters: () => pagefind.filters(),
                    });
                },
            };
        })(DROPPED)""".replace("DROPPED", json.dumps(dropped)),
    )
    tab.open(_search_path("en", "Leipzig"))
    results = _results(tab.page, "Leipzig")
    assert results
    assert dropped not in results, results
    assert tab.page.evaluate("window.deltaOpened") == ["/pagefind/"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_without_javascript_the_search_form_leads_to_the_directory(
    browser: Browser, site_url: str, lang: str
):
    """Without JavaScript the page's own form is a GET to the same page, which then shows the directory."""
    tab = open_tab(browser, site_url, java_script_enabled=False)
    try:
        tab.open(_search_path(lang))
        page = tab.page
        expect(page.locator(".search-ui")).to_be_hidden()
        page.get_by_role("search").get_by_label("Search CuCon" if lang == "en" else "CuCon durchsuchen").fill(
            "Leipzig"
        )
        page.get_by_role("search").get_by_role("button").click()
        page.wait_for_url(re.compile(rf"/{LANGUAGES[lang]}search/\?q=Leipzig$"))
        expect(page.locator(".search-no-script")).to_be_visible()
        expect(
            page.locator(f'.search-browse a[href="/{LANGUAGES[lang]}profiles/city/leipzig/"]')
        ).to_be_visible()
    finally:
        tab.context.close()


HOSTILE_ADDRESSES = {
    "markup in the words": '?q=<img src=x onerror="window.pwned=1">',
    "markup in a filter value": '?q=Leipzig&f=City:<img src=x onerror="window.pwned=1">',
    "markup in a filter name": '?q=Leipzig&f=<svg onload="window.pwned=1">:Leipzig',
    "a script as the sort order": "?q=Leipzig&sort=<script>window.pwned=1</script>",
    "a javascript: sort order": "?q=Leipzig&sort=javascript:window.pwned=1",
}
"""Addresses of the search page that carry markup or script where the page reads words, filters and a sort order."""


@pytest.mark.parametrize("query", HOSTILE_ADDRESSES.values(), ids=HOSTILE_ADDRESSES.keys())
def test_the_address_goes_into_the_page_as_text_only(tab: Tab, query: str):
    """Whatever the address says becomes text or a form value, never markup: nothing of it runs,
    no element of it appears, no request follows from it, and an unknown sort order is "Best match"."""
    tab.open(f"/en/search/{query}")
    page = tab.page
    _results(page)
    _open_filters(page)
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.pwned") is None
    assert page.locator("main img[src='x'], main svg[onload], main script").count() == 0
    assert not [url for url in tab.requests if urlsplit(url).path.endswith("/x")], tab.requests
    assert page.get_by_label("Sort by").input_value() == ""
    if "?q=<img" in query:
        literal = re.escape('for <img src=x onerror="window.pwned=1">')
        expect(page.locator(".search-summary")).to_have_text(re.compile(literal + "$"))


HOSTILE_RESULTS = {
    "a javascript: address": {"url": "javascript:window.pwned=1", "meta": {"title": "Link"}},
    "markup in the title": {"url": "/en/", "meta": {"title": '<img src=x onerror="window.pwned=1">'}},
    "markup in the summary and type": {
        "url": "/en/",
        "meta": {"title": "T", "type": "<b>x</b>", "summary": '<img src=x onerror="window.pwned=1">'},
    },
    "a picture from another host": {
        "url": "/en/",
        "meta": {"title": "T", "image": "http://192.0.2.1/x.png", "image_alt": "<b>x</b>"},
    },
    "a javascript: picture": {"url": "/en/", "meta": {"title": "T", "image": "javascript:window.pwned=1"}},
}
"""What the engine might answer from a broken or forged bundle (a result's fragment: its address and meta)."""


@pytest.mark.parametrize("fragment", HOSTILE_RESULTS.values(), ids=HOSTILE_RESULTS.keys())
def test_a_hostile_result_is_shown_as_text_with_safe_links(tab: Tab, fragment: dict):
    """A result's title, type, summary and alt text go in as text; its link is http(s) or nothing; a picture
    is shown only from this site: nothing of it runs, and no request leaves for another host."""
    _stand_in_engine(
        tab,
        """(fragment => {
            window.CuconSearchDelta = {
                open: () => Promise.resolve({
                    search: async () => ({
                        results: [{id: "x", score: 1, words: [], data: async () => fragment}],
                        unfilteredResultCount: 1, filters: {}, totalFilters: {},
                    }),
                    filters: async () => ({}),
                }),
            };
        })(FRAGMENT)""".replace("FRAGMENT", json.dumps(fragment)),
    )
    tab.open(_search_path("en", "anything"))
    page = tab.page
    assert len(_results(page, "anything")) == 1
    page.wait_for_load_state("networkidle")
    result = page.locator(".search-result")
    assert page.evaluate("window.pwned") is None
    assert result.locator("img[src='x'], b").count() == 0
    assert result.locator("a").get_attribute("href") in ("", "http://" + urlsplit(tab.origin).netloc + "/en/")
    assert result.locator("img").count() == 0
    assert not [url for url in tab.requests if origin_of(url) != tab.origin], tab.requests
    meta = fragment["meta"]
    expect(result.locator("h3")).to_have_text(meta["title"])
    for key in ("type", "summary"):
        if key in meta:
            expect(result.locator(f".search-result-{key}")).to_have_text(meta[key])
