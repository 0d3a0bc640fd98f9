"""The search index: built by the real Pagefind binary within real builds of the fixture site, and
the search data every indexed page carries (filters, sort keys, meta, extra words)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from support import FIXTURE_SITE, build_in_process, search_answers

from cucon.search import SearchTerms, cjk_fragments, compound_parts

ATTRIBUTE = re.compile(r'data-pagefind-(filter|sort|meta)="([^"\[]+)\[data-value\]" data-value="([^"]*)"')


def search_data(page: Path) -> dict[str, dict[str, list[str]]]:
    """The filters, sort keys and meta of one built page, by kind and name."""
    found: dict[str, dict[str, list[str]]] = {"filter": {}, "sort": {}, "meta": {}}
    for kind, name, value in ATTRIBUTE.findall(page.read_text("utf-8")):
        found[kind].setdefault(name, []).append(value)
    return found


def indexed_pages(output: Path, english: bool) -> list[Path]:
    """The written pages that mark content for the index, in one UI language."""
    pages = [p for p in output.rglob("*.html") if "data-pagefind-body" in p.read_text("utf-8")]
    return [p for p in pages if (p.relative_to(output).parts[0] == "en") == english]


def test_the_build_indexes_every_content_page_once_per_language(fixture_site_built_in_process: Path):
    """One Pagefind index per UI language, holding exactly the pages marked data-pagefind-body."""
    output = fixture_site_built_in_process / "output"
    entry = json.loads((output / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert set(entry["languages"]) == {"de", "en"}
    for lang, english in (("de", False), ("en", True)):
        assert entry["languages"][lang]["page_count"] == len(indexed_pages(output, english))
    assert (output / "pagefind" / "pagefind-ui.js").is_file()
    listings = ("index.html", "profiles/index.html", "calls/index.html", "news/index.html")
    for listing in listings:
        assert "data-pagefind-body" not in (output / listing).read_text("utf-8"), listing


def test_a_page_is_found_by_its_own_words_not_by_the_entries_it_lists(fixture_site_built_in_process: Path):
    """A person's word finds the person, not the pages that list them (their cities' people, a call's
    "who might answer"): those lists are data-pagefind-ignore; the city is found by its own words."""
    bundle = fixture_site_built_in_process / "output" / "pagefind"
    answers = search_answers(bundle, ("Geigerin", "Leipzig"))
    assert answers['de query "Geigerin"'] == ["/profiles/anna-kowalska/"]
    assert answers['en query "Geigerin"'] == ["/en/profiles/anna-kowalska/"]
    assert "/cities/leipzig/" in answers['de query "Leipzig"']


def test_a_rebuild_replaces_the_index_and_an_index_that_is_off_leaves_none(site_built_in_process: Path):
    """Stale index files are removed on every full index (between two, an edit adds a delta and
    keeps the main bundle as it is: docs/search.md), and when the index is switched off."""
    stale = site_built_in_process / "output" / "pagefind" / "fragment" / "stale.pf_fragment"
    stale.write_bytes(b"old")
    delta = site_built_in_process / "output" / "pagefind-delta"
    delta.mkdir(exist_ok=True)
    result = build_in_process(site_built_in_process, CUCON_SEARCH_FULL=True)
    assert result.returncode == 0, result.log
    assert not stale.exists()
    assert not delta.exists()
    assert (site_built_in_process / "output" / "pagefind" / "pagefind-entry.json").is_file()
    result = build_in_process(site_built_in_process, CUCON_SEARCH_INDEX=False)
    assert result.returncode == 0, result.log
    assert not (site_built_in_process / "output" / "pagefind").exists()


@pytest.mark.parametrize(
    ("page", "filters", "sorts", "meta"),
    [
        (
            "en/calls/residency-leipzig/index.html",
            {"Type": ["Call"], "City": ["Leipzig"], "Discipline": ["Dance"], "Status": ["Open"]},
            {"date": ["2026-11-02"], "deadline": ["2027-01-31T22:59"]},
            {"type": ["Call"]},
        ),
        (
            "en/profiles/anna-kowalska/index.html",
            {"Type": ["Profile"], "City": ["Hannover", "Leipzig"], "Kind": ["Person"]},
            {"date": None},
            {"type": ["Profile"], "image": None, "image_alt": None, "summary": None},
        ),
        (
            "en/cities/leipzig/index.html",
            {"Type": ["City"], "City": ["Leipzig"]},
            {"date": ["1970-01-01"]},
            {},
        ),
    ],
)
def test_pages_carry_their_filters_sort_keys_and_meta(
    fixture_site_built_in_process: Path, page, filters, sorts, meta
):
    """Each content page names its facets in the UI language, its sort keys (deadlines in UTC) and result meta."""
    data = search_data(fixture_site_built_in_process / "output" / page)
    for kinds, expected in (("filter", filters), ("sort", sorts), ("meta", meta)):
        for name, values in expected.items():
            assert name in data[kinds], f"{page}: no {kinds} {name!r} in {data[kinds]}"
            if values is not None:
                assert data[kinds][name] == values, f"{page}: {kinds} {name}"


@pytest.mark.parametrize(
    ("word", "vocabulary", "parts"),
    [
        ("sommerresidenz", {"residenz"}, ["residenz"]),
        ("chorwerkstatt", {"werkstatt", "statt"}, ["werkstatt", "statt"]),
        ("kulturbüro", {"büro", "kultur"}, ["büro"]),
        ("tanzkollektiv", set(), []),
        ("residenz", {"residenz"}, []),
        ("lesebühne", {"bühne", "lese"}, ["bühne"]),
    ],
)
def test_compound_words_yield_their_known_tails(word, vocabulary, parts):
    """A long word yields each tail of at least four letters that the network uses as a word."""
    assert compound_parts(word, vocabulary) == parts


@pytest.mark.parametrize(
    ("text", "fragments"),
    [
        ("広島", ["広島"]),
        ("広島市", ["広島市", "島市"]),
        ("Studio 音楽家 in Hiroshima", ["音楽家", "楽家"]),
        (
            "デザイナー。熊野筆の技法",
            [
                "デザイナー",
                "ザイナー",
                "イナー",
                "ナー",
                "熊野筆の技法",
                "野筆の技法",
                "筆の技法",
                "の技法",
                "技法",
            ],
        ),
        ("ab", []),
    ],
)
def test_cjk_runs_are_indexed_from_every_position(text, fragments):
    """Every position of a CJK run becomes a word, its start too (Pagefind does not split at "。"),
    so a query matches inside the run."""
    assert cjk_fragments(text) == fragments


def test_extra_words_come_from_the_whole_network(sample_site_output: Path):
    """A word used in one item splits compounds in another; the hidden words reach the built page."""

    class Fake:
        """An entry with only the fields searchable_text reads."""

        def __init__(self, title: str, summary: str) -> None:
            self.title, self.summary, self.html = title, summary, ""

        def versions(self) -> list:
            return [self]

    residency = Fake("Sommerresidenz im Kulturhof", "Acht Wochen im Sommer.")
    other = Fake("Eine Residenz", "Kurz und gut.")
    terms = SearchTerms([residency, other])
    assert terms.of(residency).split() == ["residenz"]
    assert terms.of(other) == ""
    page = sample_site_output / "calls" / "sommerresidenz-kulturhof-nordstadt" / "index.html"
    hidden = re.search(r'<span hidden data-pagefind-weight="0.5">([^<]*)</span>', page.read_text("utf-8"))
    assert hidden, "the page carries no extra words"
    assert "residenz" in hidden.group(1).split()


@pytest.mark.parametrize(
    ("page", "indexed"),
    [
        ("about/index.html", True),
        ("about-en/index.html", False),
        ("en/about-en/index.html", True),
        ("en/about/index.html", False),
    ],
)
def test_each_language_indexes_one_version_of_an_item(
    fixture_site_built_in_process: Path, page: str, indexed: bool
):
    """A UI language's index holds the item's version in that language (else the original), never both."""
    assert (
        "data-pagefind-body" in (fixture_site_built_in_process / "output" / page).read_text("utf-8")
    ) is indexed


class _Version:
    """An entry with the fields SearchTerms reads, one version of an item."""

    def __init__(self, title: str, summary: str, html: str = "") -> None:
        self.title, self.summary, self.html, self.others = title, summary, html, []

    def versions(self) -> list:
        return self.others


def test_a_version_carries_the_words_of_the_other_versions():
    """The indexed version of an item carries the words of its original and its other translations,
    with their parts, so the original is found in every UI language; its own words are not repeated."""
    original = _Version(
        "田辺瑞希", "デザイナー。熊野筆の技法を学び", "<p>Kurs im <b>Sommerresidenz</b>-Haus</p>"
    )
    english = _Version("Mizuki Tanabe", "Brush maker, trained in Kumano brushes.")
    german = _Version("Mizuki Tanabe", "Pinselmacherin aus Hiroshima.")
    for version in (original, english, german):
        version.others = [original, english, german]
    terms = SearchTerms([original, english, german, _Version("Residenz", "")])
    words = terms.of(english).split()
    assert {"熊野筆の技法を学", "田辺瑞希", "kurs", "sommerresidenz", "residenz", "pinselmacherin"} <= set(
        words
    )
    assert "kumano" not in words, "the version's own words are on its page already"
    assert len(words) == len(set(words))
    assert "kumano" in terms.of(original).split()


HOSTILE_ORIGINAL = [
    ("title", '"><img src=x onerror=alert(1)> Quokkatitel', ["quokkatitel", "onerror", "alert"]),
    ("summary", "'</span><script>alert(2)</script> Quokkasumme'", ["quokkasumme", "alert"]),
    ("body", "<script>alert(3)</script>\n\nQuokkatext {{ 7*7 }} {% raw %} <!-- x -->", ["quokkatext"]),
]
"""(field of the German original, hostile value, words the English translation's page must carry)."""


@pytest.fixture(scope="module")
def hostile_original(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The fixture site whose German page has hostile values in every text, built once in process:
    the hidden words of its English translation's page (en/about-en/)."""
    site = tmp_path_factory.mktemp("hostile-original") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    path = site / "content" / "pages" / "about.md"
    values = {field: value for field, value, _ in HOSTILE_ORIGINAL}
    text = path.read_text("utf-8").replace("title: Über CuCon", f"title: {json.dumps(values['title'])}")
    text = text.replace("summary: Worum es bei CuCon geht.", f"summary: {values['summary']}")
    path.write_text(text.replace("CuCon verbindet Kulturschaffende.", values["body"]), "utf-8")
    result = build_in_process(site)
    assert result.returncode == 0, result.log
    page = (site / "output" / "en" / "about-en" / "index.html").read_text("utf-8")
    hidden = re.findall(r'<span hidden data-pagefind-weight="0.5">([^<]*)</span>', page)
    assert len(hidden) == 1, hidden
    return hidden[0]


@pytest.mark.parametrize(
    ("field", "value", "expected"), HOSTILE_ORIGINAL, ids=[f for f, _, _ in HOSTILE_ORIGINAL]
)
def test_an_originals_hostile_text_reaches_a_translations_page_as_words_only(
    hostile_original, field, value, expected
):
    """Markup, script and template syntax in an original become plain words on its translation's page."""
    words = hostile_original.split()
    assert set(expected) <= set(words), words
    assert all(re.fullmatch(r"[^\W\d_]+", word) for word in words), words
