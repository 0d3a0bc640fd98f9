"""Page weight: a typical page stays within 35 KB of compressed HTML + CSS + JS (images aside)."""

import gzip
import re

import pytest

BUDGET = 35 * 1024
PAGES = {
    "home": "index.html",
    "home-en": "en/index.html",
    "profile": "profiles/agnieszka-lipinska/index.html",
    "call": "calls/aioi-sound-lab-residency/index.html",
    "people": "profiles/index.html",
    "calls": "calls/index.html",
    "calls-open-to-poznan": "calls/open-to/poznan/index.html",
    "city": "cities/poznan/index.html",
}


def page_weight(output, page: str) -> dict[str, int]:
    """Gzip-compressed bytes of a page and of each stylesheet and script it loads from the site."""
    html = (output / page).read_text("utf-8")
    weights = {page: len(gzip.compress(html.encode("utf-8"), 9))}
    for ref in re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html):
        weights[ref] = len(gzip.compress((output / ref.lstrip("/")).read_bytes(), 9))
    return weights


@pytest.mark.parametrize("page", PAGES.values(), ids=PAGES.keys())
def test_typical_pages_stay_within_the_budget(sample_site_output, page):
    """HTML + CSS + JS of the page, gzip-compressed, is at most 35 KB."""
    weights = page_weight(sample_site_output, page)
    assert sum(weights.values()) <= BUDGET, weights
    assert len(weights) >= 2, "the page should load the site's stylesheet"
