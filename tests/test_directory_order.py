"""The people directory A–Z: a name in Latin script by its letters, another by its Latin-script reading
(sort_as), and one without a reading under its own script, never by a transliteration of Chinese readings."""

import re

import pytest

from cucon.views import directory_order

HEADING = re.compile(r'<h2 class="letter" id="([^"]+)">([^<]+)</h2>')
NAMES = (
    "相生サウンドラボ",
    "Aioi Sound Lab",
    "劇団かきつばた",
    "田辺瑞希",
    "宇品倉庫ギャラリー",
    "Hamamatsu Reed Lab",
)


def groups_of(output, listing: str) -> dict[str, str]:
    """Each sample name on a directory listing's pages → the heading it is filed under."""
    pages = [output / listing / "index.html", *sorted((output / listing / "page").glob("*/index.html"))]
    found, heading = {}, None
    for page in pages:
        html = page.read_text("utf-8")
        for match in re.finditer(HEADING.pattern + "|" + "|".join(NAMES), html):
            if match.group(2):
                heading = match.group(2)
            else:
                found.setdefault(match.group(0), heading)
    return found


@pytest.mark.parametrize(
    ("listing", "expected"),
    [
        (
            "profiles",
            {
                "相生サウンドラボ": "A",
                "田辺瑞希": "T",
                "宇品倉庫ギャラリー": "U",
                "劇団かきつばた": "漢字・かな",
            },
        ),
        ("en/profiles", {"Aioi Sound Lab": "A", "劇団かきつばた": "漢字・かな", "Hamamatsu Reed Lab": "H"}),
        ("ja/profiles", {"相生サウンドラボ": "A", "劇団かきつばた": "漢字・かな"}),
    ],
)
def test_directory_files_names_by_reading_or_script(sample_site_output, listing, expected):
    found = groups_of(sample_site_output, listing)
    assert {name: found.get(name) for name in expected} == expected


def test_script_group_comes_after_z_and_has_its_own_anchor(sample_site_output):
    folder = sample_site_output / "profiles"
    pages = [folder / "index.html", *sorted((folder / "page").glob("*/index.html"))]
    headings = [HEADING.findall(page.read_text("utf-8")) for page in pages]
    assert headings[-1][-1] == ("letter-script-han-zi-kana", "漢字・かな")
    assert all(len({anchor for anchor, _ in found}) == len(found) for found in headings)


@pytest.mark.parametrize(
    ("name", "sort_as", "group"),
    [
        ("Żaneta Kowalska", None, "Z"),
        ("4 Hands", None, "#"),
        ("相生サウンドラボ", "Aioi Sound Lab", "A"),
        ("相生サウンドラボ", None, "漢字・かな"),
        ("相生サウンドラボ", "相生", "漢字・かな"),  # a reading in the same script is no reading
        ("Aioi Sound Lab", "Zzz", "A"),  # a Latin name is filed by itself
        ("Ωmega", None, "Greek"),
        ("Оркестр", None, "Cyrillic"),
    ],
)
def test_directory_order(name, sort_as, group):
    assert directory_order(name, sort_as)[0] == group
