"""Outputs beside the pages: sitemap.xml, robots.txt, schema.org data and the network map."""

import json
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from support import FIXTURE_SITE, build_in_process

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "x": "http://www.w3.org/1999/xhtml"}


ORIGIN = "https://cucon.example"


@pytest.fixture(scope="module")
def output(tmp_path_factory):
    """The fixture site built as for production, with an absolute SITEURL (sitemaps need one)."""
    site = tmp_path_factory.mktemp("production") / "site"
    shutil.copytree(FIXTURE_SITE, site)
    result = build_in_process(site, SITEURL=ORIGIN)
    assert result.returncode == 0, result.log
    return site / "output"


def test_local_build_advertises_no_address(fixture_site_built_in_process):
    """Without SITEURL there is no sitemap, robots.txt names none, and no page claims a canonical URL."""
    output = fixture_site_built_in_process / "output"
    assert not (output / "sitemap.xml").exists()
    assert "Sitemap:" not in (output / "robots.txt").read_text("utf-8")
    for page in output.rglob("*.html"):
        assert 'rel="canonical"' not in page.read_text("utf-8"), page


def test_sitemap_lists_every_page_with_its_language_alternates(output):
    """Every HTML page but the 404 page and the staff's mail digests is in the sitemap, with de, en and x-default
    alternates, except an entry's version that its UI language does not show (a translation in the other UI)."""
    root = ET.parse(output / "sitemap.xml").getroot()
    locations = {u.find("s:loc", SITEMAP_NS).text for u in root.findall("s:url", SITEMAP_NS)}
    pages = {
        f"{ORIGIN}/" + p.relative_to(output).as_posix().removesuffix("index.html")
        for p in output.rglob("*.html")
        if p.name != "404.html" and "digests" not in p.relative_to(output).parts
    }
    assert locations == pages
    for url in root.findall("s:url", SITEMAP_NS):
        langs = {link.get("hreflang") for link in url.findall("x:link", SITEMAP_NS)}
        assert langs in ({"de", "en", "x-default"}, set()), url.find("s:loc", SITEMAP_NS).text
    assert (
        f'hreflang="x-default" href="{ORIGIN}/profiles/anna-kowalska/"'
        in (output / "sitemap.xml").read_text()
    )


def test_robots_txt_points_at_the_sitemap(output):
    """robots.txt allows everything and names the sitemap."""
    text = (output / "robots.txt").read_text("utf-8")
    assert "User-agent: *" in text
    assert f"Sitemap: {ORIGIN}/sitemap.xml" in text


def _json_ld(html: str) -> list[dict]:
    """The JSON-LD blocks of a page."""
    return [
        json.loads(m) for m in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


@pytest.mark.parametrize(
    ("page", "kind"),
    [
        ("profiles/anna-kowalska/index.html", "Person"),
        ("en/profiles/tanz-kollektiv/index.html", "Organization"),
    ],
)
def test_profiles_carry_schema_org_data(output, page, kind):
    """A person is a schema.org Person, an ensemble an Organization, with name and URL."""
    (data,) = _json_ld((output / page).read_text("utf-8"))
    assert data["@type"] == kind
    assert data["name"]
    assert data["url"].startswith(f"{ORIGIN}/")


def test_network_map_links_every_city(output):
    """The SVG map on the cities page is well-formed and links each city's page."""
    html = (output / "cities" / "index.html").read_text("utf-8")
    svg = re.search(r"<svg class=\"network-map\".*?</svg>", html, re.S).group(0)
    root = ET.fromstring(svg)
    hrefs = {a.get("href") for a in root.iter("{http://www.w3.org/2000/svg}a")}
    assert hrefs == {f"{ORIGIN}/cities/hannover/", f"{ORIGIN}/cities/leipzig/"}
    assert root.find("{http://www.w3.org/2000/svg}title").text
