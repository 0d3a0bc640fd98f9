"""The match lists in Chromium: "Calls for you" and "People to work with" on a profile's page, "Who might
answer" on a call's; each a section with a heading, each entry's score and reason in its accessible text
in the page's language, every link answering, axe finding nothing, and no request leaving 127.0.0.1."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from support import REPO, Tab, axe_violations, format_violations, origin_of

from cucon import urls

SCORE = "fit %(score)s of 100"
"""The English template of an entry's score (theme/_matches.html)."""

PAGES = [
    # (kind, slug, the ids of its match sections): pages of the sample with full lists
    ("profile", "kwartet-dwie-rzeki", ("calls-for-you", "people-for-you")),
    ("call", "aioi-sound-lab-residency", ("who-might-answer",)),
]
LANGUAGES = {"": "de", "en/": "en"}
"""The sample's UI languages by their address prefix."""


def score_pattern(lang: str) -> re.Pattern[str]:
    """An entry's score as the page's language says it, e.g. 'passt zu 80 von 100' in German."""
    template = SCORE
    if lang != "en":
        with (REPO / "theme" / "translations" / lang / "LC_MESSAGES" / "messages.po").open("rb") as po:
            template = read_po(po, locale=lang)[SCORE].string
    before, after = (re.escape(part) for part in template.split("%(score)s"))
    return re.compile(f"{before}(\\d{{1,3}}){after}")


@pytest.mark.parametrize("prefix", LANGUAGES)
@pytest.mark.parametrize(("kind", "slug", "sections"), PAGES, ids=[slug for _, slug, _ in PAGES])
def test_match_sections_are_accessible_and_their_links_answer(
    tab: Tab, kind: str, slug: str, sections: tuple[str, ...], prefix: str
):
    page = tab.page
    tab.open("/" + urls.entry(kind, slug, prefix))
    score = score_pattern(LANGUAGES[prefix])
    links: set[str] = set()
    for section_id in sections:
        heading = page.locator(f"h2#{section_id}")
        title = heading.text_content().strip()
        # A region named by its heading, found by role and name as assistive technology finds it.
        region = page.get_by_role("region", name=title, exact=True)
        assert region.count() == 1, title
        assert page.get_by_role("heading", name=title, level=2, exact=True).count() == 1
        entries = region.get_by_role("listitem")
        assert 1 <= entries.count() <= 6, (title, entries.count())
        for entry in entries.all():
            reason = entry.locator(".match-reason").text_content().strip()
            spoken = entry.aria_snapshot()  # the entry's accessible text, as a screen reader gets it
            found = score.search(spoken)
            assert found, (title, spoken)
            assert 0 <= int(found.group(1)) <= 100
            assert reason, (title, spoken)
            assert reason in spoken, (title, spoken)
            assert entry.locator(".match-score").is_visible()  # text on screen, not a colour or a bar
            links.add(entry.get_by_role("link").get_attribute("href"))
    violations = axe_violations(page)
    assert not violations, format_violations(violations)
    for href in sorted(links):
        response = page.request.get(tab.origin + href)
        assert response.status == 200, (href, response.status)
    assert {origin_of(url) for url in tab.requests} == {tab.origin}, tab.requests
    assert not tab.failed, tab.failed
