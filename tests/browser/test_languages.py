"""The sample network in each of its five UI languages in Chromium: axe finds nothing on the home page, a profile
and a call, each as the UI language shows it (its own version, else its fallback, else the original)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pelican.settings import get_settings_from_file
from support import BUILD_TIME, Tab, axe_violations, format_violations

from cucon import urls
from cucon.checks import load_site
from cucon.site.settings import SiteSettings
from cucon.views import build_listings

REPO = Path(__file__).resolve().parents[2]
SETTINGS = SiteSettings.from_pelican(get_settings_from_file(str(REPO / "pelicanconf.py")))
PROFILE = "aioi-sound-lab"
"""A Japanese original with an English translation: the UI languages show it in three languages."""


def _pages() -> list[tuple[str, str]]:
    """(name, URL path) of the home page, the profile and the first call in each UI language of pelicanconf.py."""
    listings = build_listings(load_site(REPO / "content"), BUILD_TIME)
    profile = listings.entries[("profile", PROFILE)]
    call = min(listings.of("call"), key=lambda entry: entry.slug)
    pages = []
    for ui in SETTINGS.languages:
        fallback = SETTINGS.fallbacks.get(ui, ())
        pages += [
            (f"home-{ui}", "/" + urls.home(urls.lang_prefix(ui, SETTINGS.default_lang))),
            (f"profile-{ui}", "/" + profile.in_language(ui, fallback).url(ui, SETTINGS.default_lang)),
            (f"call-{ui}", "/" + call.in_language(ui, fallback).url(ui, SETTINGS.default_lang)),
        ]
    return pages


def test_the_sample_is_built_in_five_languages():
    """pelicanconf.py (and publishconf.py, which extends it) builds German, English, French, Polish and Japanese."""
    assert SETTINGS.languages == ("de", "en", "fr", "pl", "ja")


@pytest.mark.content
@pytest.mark.parametrize(("name", "path"), _pages(), ids=[name for name, _ in _pages()])
def test_page_in_every_ui_language_has_no_axe_violations(tab: Tab, name: str, path: str):
    """axe-core finds no WCAG 2.1 A or AA violation, and the page is in its UI language."""
    tab.open(path)
    ui = name.rsplit("-", 1)[1]
    assert tab.page.evaluate("document.documentElement.lang") == ui
    violations = axe_violations(tab.page)
    assert not violations, f"{path}: {len(violations)} axe violations\n{format_violations(violations)}"
