"""Every member of a network can be chosen as a city: a profile from a City of Music that is not a
partner city (Bologna) passes `cucon check`, the web form and a real build, and shows in the
directory and on the map; the member list is the schema's, with its source and date."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml
from support import (
    REPO,
    bare_site_repo,
    branches,
    build_in_process,
    commit_all,
    fill,
    git,
    output_of,
    run_build,
    run_cucon,
    send,
    wait_for,
)

from cucon.checks import load_site
from cucon.members import member_slug

NETWORK = """\
id: 0b6b7c52-7f1e-4a53-8d59-5a3f2f0c9d11
name:
  de: UNESCO-Musikstädte
  en: UNESCO Cities of Music
relation: unesco_city_of_music
description:
  de: Das Musik-Netzwerk der UNESCO Creative Cities.
  en: The music network of the UNESCO Creative Cities.
source: https://en.wikipedia.org/wiki/City_of_Music_(UNESCO)
verified: 2026-12-05
members:
  - name: Hannover
    country: DE
    since: 2014
    city: hannover
  - name: Bologna
    country: IT
    since: 2006
    coordinates:
      lat: 44.4949
      lon: 11.3426
  - name: Glasgow
    country: GB
    since: 2008
"""

GIULIA = """\
---
id: 2f9d1e4a-5b6c-4d7e-8f90-a1b2c3d4e5f6
name: Giulia Rossi
kind: person
cities: [bologna]
disciplines: [music]
languages: [it, en]
summary: Cantautrice di Bologna.
photo:
  file: giulia-rossi.jpg
  alt: Ein blaues Quadrat
consent:
  date: 2026-04-02
  version: "1"
lang: de
---

Giulia Rossi singt.
"""


def add_network(site: Path, with_profile: bool = True) -> None:
    """Give a copy of the fixture site the Cities of Music and, if asked, a profile from Bologna."""
    (site / "content/networks").mkdir(exist_ok=True)
    (site / "content/networks/music.yaml").write_text(NETWORK, "utf-8")
    if with_profile:
        (site / "content/profiles/giulia-rossi.md").write_text(GIULIA, "utf-8")
        shutil.copyfile(
            site / "content/profiles/anna-kowalska.jpg", site / "content/profiles/giulia-rossi.jpg"
        )


def test_a_profile_from_a_member_city_passes_the_check_and_builds(fixture_site):
    add_network(fixture_site)
    check = run_cucon("check", cwd=fixture_site)
    assert check.returncode == 0, output_of(check)
    result = run_build(fixture_site)
    assert result.returncode == 0, output_of(result)
    out = fixture_site / "output"
    city = (out / "cities/bologna/index.html").read_text("utf-8")
    assert "Giulia Rossi" in city
    assert "The music network" not in city
    assert "Das Musik-Netzwerk der UNESCO Creative Cities." in city
    directory = (out / "profiles/city/bologna/index.html").read_text("utf-8")
    assert "Giulia Rossi" in directory
    people = (out / "profiles/index.html").read_text("utf-8")
    assert 'href="/profiles/city/bologna/"' in people  # the directory's city filter
    cities = (out / "cities/index.html").read_text("utf-8")
    map_svg = re.search(r"<svg class=\"network-map\".*?</svg>", cities, re.S).group(0)
    assert re.search(r'<a href="[^"]*/cities/bologna/" class="map-city map-member">', map_svg)
    assert "Bologna" in map_svg
    # The partner cities stay the list beside the map; the member is listed below, apart.
    beside, below = cities.split('id="member-cities"')
    assert "/cities/bologna/" not in beside.split("</svg>", 1)[1]
    assert "/cities/bologna/" in below
    # A member nobody names has no page, and the network page says where its list comes from.
    assert not (out / "cities/glasgow").exists()
    network = (out / "networks/music/index.html").read_text("utf-8")
    assert 'href="/cities/bologna/"' in network
    assert "Glasgow</th>" in network
    assert "https://en.wikipedia.org/wiki/City_of_Music_(UNESCO)" in network
    assert "5. Dezember 2026" in network


def test_a_member_city_becomes_a_full_city_with_a_city_file(fixture_site):
    """Staff add content/cities/bologna.yaml and write city: bologna: the same address, the file's texts."""
    add_network(fixture_site)
    leipzig = (fixture_site / "content/cities/leipzig.yaml").read_text("utf-8")
    bologna = (
        leipzig.replace("5aa42761-fcbf-479d-a6b7-fb2c5eb611d0", "7d3c2b1a-0f9e-4d8c-8b7a-6f5e4d3c2b1a")
        .replace("Leipzig", "Bologna")
        .replace("country: DE", "country: IT")
        .replace("Europe/Berlin", "Europe/Rome")
        .replace("partner_city\n    since: 1987", "unesco_city_of_music\n    since: 2006")
        .replace("Stadt Bachs und Mendelssohns.", "Stadt der Musik seit 2006.")
    )
    (fixture_site / "content/cities/bologna.yaml").write_text(bologna, "utf-8")
    network = fixture_site / "content/networks/music.yaml"
    network.write_text(NETWORK.replace("since: 2006\n", "since: 2006\n    city: bologna\n"), "utf-8")
    site = load_site(fixture_site / "content")
    assert site.problems == []
    assert site.cities["bologna"].member_of is None
    assert site.cities["bologna"].meta.description["de"] == "Stadt der Musik seit 2006."


def test_member_cities_are_named_only_once_they_are_used(fixture_site):
    add_network(fixture_site, with_profile=False)
    site = load_site(fixture_site / "content")
    assert site.problems == []
    assert {"bologna", "glasgow", "hannover"} <= set(site.members)
    assert "bologna" not in site.cities  # no content names it yet: no page


def test_the_repositorys_network_lists_only_unesco_cities_of_music():
    """The list was checked against UNESCO's announcements (docs: content-model.md); Harbin is none."""
    data = yaml.safe_load((REPO / "content/networks/unesco-cities-of-music.yaml").read_text("utf-8"))
    names = {member["name"] for member in data["members"]}
    assert "Harbin" not in names
    assert {"Bologna", "Glasgow", "Hannover", "Kyiv", "Wuxi", "Port Louis"} <= names
    assert data["source"].startswith("https://")
    assert data["verified"]
    site = load_site(REPO / "content")
    assert site.problems == []
    assert len(site.members) == len(data["members"])


@pytest.mark.parametrize("form", ["new-profile.yml", "new-call.yml", "new-news.yml"])
def test_the_issue_forms_offer_every_city_and_member(form):
    """The issue forms' city dropdowns name every city file and every network member, once."""
    site = load_site(REPO / "content")
    expected = {city.meta.names.en for city in site.cities.values()}
    expected |= {member.meta.name for member in site.members.values() if not member.meta.city}
    body = yaml.safe_load((REPO / ".github/ISSUE_TEMPLATE" / form).read_text("utf-8"))["body"]
    for element in body:
        if element.get("id") in ("cities", "open-to-cities"):
            options = [o.replace("Poznań", "Poznan") for o in element["attributes"]["options"]]
            assert len(options) == len(set(options))
            assert set(options) == {e.replace("Poznań", "Poznan") for e in expected}


@pytest.fixture
def bare_repo(tmp_path: Path) -> Path:
    """The remote the service pushes to: the fixture site with the Cities of Music on main."""
    return bare_site_repo(tmp_path, lambda seed: add_network(seed, with_profile=False))


def test_the_web_form_offers_a_member_city_and_its_profile_passes_the_check(
    client, clock, bare_repo, tmp_path
):
    page = client.get("/profile/new?lang=en").text
    assert 'name="cities" value="bologna"' in page
    assert page.index('value="leipzig"') < page.index('value="bologna"')  # the city files first
    response = send(client, fill(client, clock, cities=["bologna"]))
    assert response.status_code == 202, response.text
    wait_for(lambda: client.app.state.spool.counts()["proposed"] == 1)
    [branch] = branches(bare_repo)
    clone = tmp_path / "branch"
    git(tmp_path, "clone", "-q", "--branch", branch, str(bare_repo), str(clone))
    [added] = [
        f for f in git(clone, "diff", "--name-only", "origin/main", "HEAD").split() if f.endswith(".md")
    ]
    assert "cities:\n- bologna\n" in (clone / added).read_text("utf-8")
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)


def test_member_slug_is_the_city_file_the_own_slug_or_the_name():
    site = load_site(REPO / "content")
    slugs = {member_slug(m) for network in site.networks.values() for m in network.meta.members}
    assert {"hannover", "bologna", "bogota", "kirsehir", "sanliurfa", "evian-les-bains"} <= slugs


def test_an_incremental_build_adds_and_drops_the_member_citys_pages(site_built_in_process):
    """The city page comes with the first profile that names the member and goes with the last."""
    site = site_built_in_process
    add_network(site)
    result = build_in_process(site)
    assert result.returncode == 0, result.log
    assert "Giulia Rossi" in (site / "output/cities/bologna/index.html").read_text("utf-8")
    assert (site / "output/profiles/city/bologna/index.html").is_file()
    (site / "content/profiles/giulia-rossi.md").unlink()
    (site / "content/profiles/giulia-rossi.jpg").unlink()
    result = build_in_process(site)
    assert result.returncode == 0, result.log
    assert not (site / "output/cities/bologna").exists()
    assert "/cities/bologna/" not in (site / "output/networks/music/index.html").read_text("utf-8")


def test_the_pull_request_summary_names_a_member_city(content_repo):
    """Staff read "Bologna", as for a city with a file, in the summary of a profile from a member city."""
    add_network(content_repo, with_profile=False)
    commit_all(content_repo, "The Cities of Music")
    add_network(content_repo)
    commit_all(content_repo, "A profile from Bologna")
    result = run_cucon(
        "summary", "--base", "HEAD~1", "--head", "HEAD", "--repo", str(content_repo), cwd=content_repo
    )
    assert result.returncode == 0, output_of(result)
    assert "Neues Profil: `Giulia Rossi` (`Bologna`; `Musik`)" in result.stdout
