"""Easy-to-read German, sign language, "Follow" and contributing in every build (issue 18, parts 3-5)."""

import re
import shutil

import pytest
from support import REPO, build_in_process

PAGES = REPO / "content" / "pages"
ISSUES = "https://github.com/kulturbuero-hannover/cucon/issues/new"


@pytest.fixture
def site(fixture_site):
    """The fixture site with the shipped contribute, Leichte Sprache, DGS and accessibility pages."""
    for pattern in (
        "contribute*.md",
        "privacy*.md",
        "leichte-sprache*.md",
        "gebaerdensprache*.md",
        "accessibility*.md",
    ):
        for page in PAGES.glob(pattern):
            shutil.copy(page, fixture_site / "content" / "pages")
    return fixture_site


def _build(site, **settings) -> dict[str, str]:
    """Build the site with ``settings`` and return the German and English contribute and DGS pages."""
    result = build_in_process(site, CUCON_SEARCH_INDEX=False, **settings)
    assert result.returncode == 0, result.log
    output = site / "output"
    return {
        name: (output / path / "index.html").read_text("utf-8")
        for name, path in {
            "contribute": "contribute",
            "contribute-en": "en/contribute-en",
            "dgs": "gebaerdensprache",
            "dgs-en": "en/gebaerdensprache-en",
            "home": "",
            "home-en": "en",
        }.items()
    }


CONFIGURATIONS = [
    # (settings, what the contribute page must link, what it must not)
    (
        {"CUCON_BOT_URL": "https://forms.cucon.example"},
        "https://forms.cucon.example/profile/new?lang=de",
        ("?template=", 'mailto:kulturbuero@hannover-stadt.de">'),
    ),
    (
        {"CUCON_ISSUES_URL": ISSUES},
        f"{ISSUES}?template=new-profile.yml",
        ("/profile/new", 'class="join">Schicken'),
    ),
    ({}, "mailto:kulturbuero@hannover-stadt.de", ("/profile/new", "?template=")),
    (
        {"CUCON_OFFICE_EMAIL": "kultur@hannover.example"},
        "mailto:kultur@hannover.example",
        ("/profile/new", "?template="),
    ),
]


@pytest.mark.parametrize(
    ("settings", "link", "absent"), CONFIGURATIONS, ids=["service", "issue-forms", "e-mail", "other-office"]
)
def test_the_contribute_page_offers_a_way_in_every_build(site, settings, link, absent):
    """With the service its forms, else the issue forms, else the office's address: never a promise without a link."""
    pages = _build(site, **settings)
    assert f'href="{link}"' in pages["contribute"]
    for text in absent:
        assert text not in pages["contribute"], text
    if not settings or "CUCON_OFFICE_EMAIL" in settings:
        assert "Schicken Sie Ihre Angaben per E-Mail an das Kulturbüro" in pages["contribute"]
        assert "Send your details by e-mail to the Kulturbüro" in pages["contribute-en"]


def test_without_any_way_in_the_contribute_page_says_nothing_false(site):
    """CUCON_OFFICE_EMAIL None and no forms: no join block, and the build still passes."""
    pages = _build(site, CUCON_OFFICE_EMAIL=None)
    assert 'class="join' not in pages["contribute"]


def test_the_sign_language_page_says_the_video_is_missing_and_links_the_easy_read_page(site):
    """Until CUCON_SIGN_VIDEO is set, the DGS page has no <video> and links the Leichte Sprache page."""
    pages = _build(site)
    for name, easy, notice in (
        ("dgs", "/leichte-sprache/", "Das Video in Deutscher Gebärdensprache ist noch nicht fertig."),
        ("dgs-en", "/en/leichte-sprache-en/", "The video in German Sign Language is not ready yet."),
    ):
        assert "<video" not in pages[name]
        assert notice in pages[name]
        assert f'href="{easy}"' in pages[name]


def test_the_sign_language_video_is_self_hosted_with_captions(site):
    """CUCON_SIGN_VIDEO puts the browser's own player on the DGS page only, with a captions track."""
    video = {"video": "/media/dgs.mp4", "captions": "/media/dgs.vtt"}
    pages = _build(site, CUCON_SIGN_VIDEO=video, SITEURL="https://cucon.example")
    for name in ("dgs", "dgs-en"):
        assert '<source src="https://cucon.example/media/dgs.mp4">' in pages[name]
        assert re.search(
            r'<track kind="captions" src="https://cucon.example/media/dgs.vtt" srclang="de"[^>]*default>',
            pages[name],
        )
        assert "noch nicht fertig" not in pages[name]
    assert "<video" not in pages["contribute"]
    assert "<iframe" not in pages["dgs"]


@pytest.mark.parametrize(
    "bad",
    [
        "https://video.example/dgs.mp4",
        "//video.example/dgs.mp4",
        "/media/../secret",
        "javascript:alert(1)",
        "/a b",
    ],
)
def test_the_sign_language_video_comes_from_this_site_only(site, bad):
    """A video or captions file on another host (a third-party player) or outside the site fails the build."""
    result = build_in_process(
        site, CUCON_SEARCH_INDEX=False, CUCON_SIGN_VIDEO={"video": bad, "captions": "/media/dgs.vtt"}
    )
    assert result.returncode != 0
    assert "CUCON_SIGN_VIDEO" in result.log


def test_follow_is_in_the_main_navigation_and_on_the_home_page(site):
    """ "Follow" leads to the subscribe page from every page's main navigation, and a block on the home says why."""
    pages = _build(site)
    for name, prefix, label in (("home", "/", "Folgen"), ("home-en", "/en/", "Follow")):
        nav = re.search(r'<nav class="main-nav".*?</nav>', pages[name], re.S).group(0)
        assert f'<a href="{prefix}subscribe/">{label}</a>' in nav
        assert re.search(
            rf'<section class="home-section" aria-labelledby="home-follow">.*?href="{prefix}subscribe/"',
            pages[name],
            re.S,
        )
    for name in ("contribute", "dgs"):
        assert '<a href="/subscribe/">Folgen</a>' in pages[name]
