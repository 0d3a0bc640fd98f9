"""The people directory's filter data (profiles/filters.json of each UI language), read by people.js:
it holds exactly the profiles of the static directory pages, each card's name, link and language."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from cucon import urls

PREFIXES = ("", "en/", "fr/", "pl/", "ja/")
CARD = re.compile(
    r'class="card-title"><a href="/((?:\w\w/)?profiles/([^/"]+)/)"(?: lang="([^"]+)")?>([^<]+)</a>'
)


def cards(output: Path, first: str) -> list[tuple[str, str, str]]:
    """(file name, language, name) of the cards of a directory listing, over all its pages, in order."""
    found, number = [], 1
    while (page := output / urls.save_as(urls.listing_page(first, number))).is_file():
        html = page.read_text("utf-8")
        found += [(slug, lang, unescape(name)) for _, slug, lang, name in CARD.findall(html)]
        number += 1
    return found


def load(output: Path, prefix: str) -> dict:
    return json.loads((output / urls.people_filters(prefix)).read_text("utf-8"))


def rows_with(data: dict, facet: str, value: str) -> list[str]:
    """The file names of the rows whose facet ("city", "discipline" or "kind") has ``value``."""
    if facet == "kind":
        return [row[0] for row in data["profiles"] if data["kinds"][row[3]] == value]
    column = 4 if facet == "city" else 5
    return [
        row[0]
        for row in data["profiles"]
        if value in (data["cities" if facet == "city" else "disciplines"][i] for i in row[column])
    ]


@pytest.mark.parametrize("prefix", PREFIXES)
def test_rows_are_the_cards_of_the_directory_in_order(sample_site_output: Path, prefix: str):
    """One row per card of the A–Z pages, in their order: the version's file name, name and language."""
    data = load(sample_site_output, prefix)
    expected = cards(sample_site_output, urls.listing("profiles", prefix))
    assert len(expected) > 24  # more than one page of the sample: the data covers every page
    assert [(row[0], row[2], row[1]) for row in data["profiles"]] == expected


@pytest.mark.parametrize("prefix", ["", "ja/"])
def test_each_facet_gives_the_profiles_of_its_static_page(sample_site_output: Path, prefix: str):
    """Every city, discipline and kind in the data picks the profiles its own directory page lists."""
    data = load(sample_site_output, prefix)
    checked = 0
    for facet, values in (("city", "cities"), ("discipline", "disciplines"), ("kind", "kinds")):
        for value in data[values]:
            listed = [slug for slug, _, _ in cards(sample_site_output, urls.directory(facet, value, prefix))]
            assert listed, (facet, value)
            assert rows_with(data, facet, value) == listed, (facet, value)
            checked += 1
    assert checked > 20


def test_rows_are_short_and_name_each_slug_once(sample_site_output: Path):
    """Slugs of cities, disciplines and kinds are listed once and rows refer to them by index, so
    the file grows by one short row per profile."""
    data = load(sample_site_output, "en/")
    for key in ("kinds", "cities", "disciplines"):
        assert len(set(data[key])) == len(data[key])
    assert {"hannover", "poznan", "hiroshima"} <= set(data["cities"])
    row = next(row for row in data["profiles"] if row[0] == "kwartet-dwie-rzeki")
    assert data["cities"][row[4][0]] == "poznan"
    assert data["kinds"][row[3]] == "ensemble"
    assert all(isinstance(i, int) for row in data["profiles"] for i in [row[3], *row[4], *row[5]])
    size = len((sample_site_output / urls.people_filters("en/")).read_bytes())
    assert size < 120 * len(data["profiles"])
