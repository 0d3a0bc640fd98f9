"""`cucon remove`: a removed person's name is nowhere in the built site, and the old address says why.

One build of the sample network after a removal serves the output tests; the command's refusals,
its dry run and the validator's tombstone rules run on the small fixture site; the text helpers
are tested on their own, table-driven.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import html
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, quote_plus

import pytest
from support import REPO, build_in_process, output_of, run_cucon, tree

from cucon.checks import load_site
from cucon.erasure import Target, name_pattern, remove_profile, replace_names, scrub, scrub_body
from cucon.i18n import load_catalog
from cucon.mentions import Mentions, fold

SLUG = "claire-vidal-roig"
NAME = "Claire Vidal-Roig"
SITEURL = "https://cucon.example"
REMOVED_PAGES = [
    f"{prefix}profiles/{slug}/index.html"
    for slug in (SLUG, f"{SLUG}-en")  # the profile and its English translation
    for prefix in ("", "en/")
]
RULE_FILES = ["_redirects", "gone.nginx.map"]
WITH_SLUG = {*REMOVED_PAGES, *RULE_FILES}
"""The only files of the output that may name the removed profile's address."""


@dataclass
class Removed:
    """The sample network after `cucon remove`, built: the site folder and what the commands said."""

    site: Path
    report: str

    @property
    def output(self) -> Path:
        """The built site."""
        return self.site / "output"


def _involve(content: Path) -> None:
    """Make the sample profile the organiser of a call, link to it and to its translation, credit it."""
    call = content / "calls" / "appel-a-candidatures-exposition-rives.md"
    call.write_text(
        call.read_text("utf-8").replace("profile: atelier-rive-gauche", f"profile: {SLUG}"), "utf-8"
    )
    news = content / "news" / "abend-der-partnerstaedte.md"
    link = f"\nMit dabei ist auch [{NAME}]({{filename}}../profiles/{SLUG}.md).\n"
    news.write_text(news.read_text("utf-8") + link, "utf-8")
    page = content / "pages" / "about-en.md"
    link = f"\nRead [her profile in English]({{filename}}../profiles/{SLUG}-en.md).\n"
    page.write_text(page.read_text("utf-8") + link, "utf-8")
    pictured = content / "news" / "cucon-geht-online.md"
    text = pictured.read_text("utf-8")
    alt = next(line for line in text.splitlines() if line.startswith("  alt:"))
    pictured.write_text(text.replace(alt, f"{alt}\n  credit: {NAME}"), "utf-8")


@pytest.fixture(scope="module")
def removed(tmp_path_factory: pytest.TempPathFactory) -> Removed:
    """The sample network with the profile also organising a call and linked to, removed, checked and built once."""
    site = tmp_path_factory.mktemp("erasure") / "site"
    shutil.copytree(REPO / "content", site / "content")
    _involve(site / "content")
    assert load_site(site / "content").problems == []
    removal = run_cucon("remove", SLUG, "--today", "2026-11-27", cwd=site)
    assert removal.returncode == 0, output_of(removal)
    check = run_cucon("check", cwd=site)
    assert check.returncode == 0, output_of(check)
    build = build_in_process(site, SITEURL=SITEURL)
    assert build.returncode == 0, build.log
    return Removed(site=site, report=removal.stdout)


# --- the removal and the built site ------------------------------------------------------------


def test_report_lists_every_deletion_and_edit(removed):
    """The report names the deleted files, each edit with its line, and the tombstones; the files say so."""
    report, content = removed.report, removed.site / "content"
    for deleted in (f"{SLUG}.md", f"{SLUG}-en.md", f"{SLUG}.jpg"):
        assert f"content/profiles/{deleted}" in report
        assert not (content / "profiles" / deleted).exists()
    assert re.search(
        r"appel-a-candidatures-exposition-rives\.md:\d+: organiser\.name: .*Un membre du réseau", report
    )
    assert re.search(
        rf"circus-residency-rouen-perpignan-hannover\.md:9: profiles: '{SLUG}' taken out", report
    )
    assert re.search(
        r"abend-der-partnerstaedte\.md:\d+: \(body\): link to the removed profile made text", report
    )
    assert re.search(r"cucon-geht-online\.md:\d+: image\.credit: name replaced", report)
    call = (content / "calls" / "appel-a-candidatures-exposition-rives.md").read_text("utf-8")
    assert '  name: "Un membre du réseau"\n' in call
    news = (content / "news" / "abend-der-partnerstaedte.md").read_text("utf-8")
    assert "Mit dabei ist auch [entfernt].\n" in news
    assert "\nRead her profile in English.\n" in (content / "pages" / "about-en.md").read_text("utf-8")
    tombstones = (content / "removed.yaml").read_text("utf-8")
    assert tombstones.count("  - slug: ") == 2
    assert f"  - slug: {SLUG}-en\n" in tombstones
    assert "Claire" not in tombstones
    assert "Vidal" not in tombstones


def _forms(name: str) -> set[bytes]:
    """The ways a name is written in HTML, JSON, URLs and text, lower-cased, as UTF-8."""
    forms = {
        name,
        html.escape(name),
        json.dumps(name)[1:-1],
        json.dumps(name, ensure_ascii=False)[1:-1],
        quote(name),
        quote_plus(name),
        name.replace(" ", "\u00a0"),
        name.replace(" ", "&nbsp;"),
        name.replace(" ", "&#160;"),
    }
    return {form.lower().encode("utf-8") for form in forms}


def _readable(path: Path) -> list[bytes]:
    """A file's bytes, and for gzip files (Pagefind's index) the decompressed bytes too, lower-cased."""
    raw = path.read_bytes()
    found = [raw.lower()]
    if raw.startswith(b"\x1f\x8b"):
        found.append(gzip.decompress(raw).lower())
    return found


def test_name_and_address_are_nowhere_in_the_output(removed):
    """No file of output/ (pages, feeds, calendars, digests, sitemap, the decompressed search index)
    has the name in any spelling, nor the address outside the removed pages and the rule files."""
    forms = _forms(NAME)
    spaced = re.compile(rb"claire(?:\s|&nbsp;|&#160;|\\u00a0|%20|\+)+vidal", re.IGNORECASE)
    named, addressed, decompressed = [], [], []
    for path in sorted(p for p in removed.output.rglob("*") if p.is_file()):
        relative = path.relative_to(removed.output).as_posix()
        for data in _readable(path):
            if any(form in data for form in forms) or spaced.search(data):
                named.append(relative)
            # "vidal" is in the slug and in no other word of the sample network.
            if b"vidal" in data and relative not in WITH_SLUG:
                addressed.append(relative)
            if relative.startswith("pagefind/") and b"compagnie vent de seine" in data:
                decompressed.append(relative)
    assert named == []
    assert addressed == []
    assert decompressed, "the search index was not read: no fragment names another profile"
    for kind in ("feeds", "calendars", "digests", "pagefind"):
        assert any((removed.output / kind).rglob("*")), f"output/{kind} is empty: nothing was searched"
    assert (removed.output / "sitemap.xml").is_file()


@pytest.mark.parametrize("page", REMOVED_PAGES)
def test_old_address_says_the_profile_was_removed(removed, page):
    """Each old address, in each UI language, has a short noindex page without the name or search data."""
    text = (removed.output / page).read_text("utf-8")
    ui = "en" if page.startswith("en/") else "de"
    catalog = load_catalog(REPO / "theme" / "translations", ui)
    assert f'<html lang="{ui}">' in text
    assert '<meta name="robots" content="noindex">' in text
    # Translated strings are marked safe as they stand (Jinja's i18n with autoescape).
    assert f"<h1>{catalog.gettext('Profile removed')}</h1>" in text
    assert catalog.gettext("This profile was removed at the person's request.") in text
    assert "data-pagefind" not in text
    assert "claire" not in text.lower().replace(SLUG, "")


def test_rules_list_the_addresses_and_the_sitemap_does_not(removed):
    """_redirects answers 410 at every old address, the nginx map sets $gone there; the sitemap leaves them out."""
    addresses = ["/" + page.removesuffix("index.html") for page in REMOVED_PAGES]
    redirects = (removed.output / "_redirects").read_text("utf-8").splitlines()
    assert sorted(line for line in redirects if not line.startswith("#")) == sorted(
        f"{address} {address} 410!" for address in addresses
    )
    nginx = (removed.output / "gone.nginx.map").read_text("utf-8")
    assert "map $uri $gone {\n    default 0;\n" in nginx
    assert "if ($gone) { return 410; }" in nginx
    assert sorted(re.findall(r"^    (/\S+) 1;$", nginx, re.M)) == sorted(addresses)
    sitemap = (removed.output / "sitemap.xml").read_text("utf-8")
    assert f"{SITEURL}/profiles/compagnie-vent-de-seine/" in sitemap
    assert SLUG not in sitemap


# --- the command on the fixture site ------------------------------------------------------------


def test_dry_run_changes_nothing(fixture_site):
    """`--dry-run` reports what it would do and leaves every content file as it was."""
    before = tree(fixture_site / "content")
    result = run_cucon("remove", "anna-kowalska", "--dry-run", cwd=fixture_site)
    assert result.returncode == 0, output_of(result)
    assert "dry run: nothing written" in result.stdout
    assert "content/profiles/anna-kowalska.md" in result.stdout
    assert "content/news/concert.md:9: profiles: 'anna-kowalska' taken out of the list" in result.stdout
    assert tree(fixture_site / "content") == before


@pytest.mark.parametrize(
    ("slug", "message"),
    [
        ("nobody", "there is no profile 'nobody' in content/profiles"),
        ("anna-kowalsk", "did you mean 'anna-kowalska'?"),
    ],
)
def test_unknown_slug_is_refused(fixture_site, slug, message):
    """An unknown slug fails with a message naming it, and nothing changes."""
    before = tree(fixture_site / "content")
    result = run_cucon("remove", slug, cwd=fixture_site)
    assert result.returncode == 1
    assert message in output_of(result)
    assert tree(fixture_site / "content") == before


def test_removing_twice_is_refused(fixture_site):
    """The first removal leaves valid content; the second says when the profile was removed."""
    first = run_cucon("remove", "anna-kowalska", "--today", "2026-11-27", cwd=fixture_site)
    assert first.returncode == 0, output_of(first)
    check = run_cucon("check", cwd=fixture_site)
    assert check.returncode == 0, output_of(check)
    again = run_cucon("remove", "anna-kowalska", cwd=fixture_site)
    assert again.returncode == 1
    assert "the profile 'anna-kowalska' was already removed on 2026-11-27" in output_of(again)


ANNA_ID = "c366956d-0e87-4eb2-a349-6a3e06e91872"
OTHER_ID = "3f2b8c1e-5d4a-4e7b-9c0d-1a2b3c4d5e6f"


def _entry(slug: str, id_: str = OTHER_ID, removed: str = "2026-11-27", kind: str = "profile") -> str:
    """One tombstone in removed.yaml."""
    return f"  - slug: {slug}\n    type: {kind}\n    removed: {removed}\n    id: {id_}\n"


@pytest.mark.parametrize(
    ("entries", "path", "field", "message"),
    [
        (_entry("tanz-kollektiv"), "profiles/tanz-kollektiv.md", "(file)", "was removed on 2026-11-27"),
        (_entry("old-slug", ANNA_ID), "profiles/anna-kowalska.md", "id", "belonged to a removed item"),
        (
            _entry("a") + _entry("a", "0b7e4f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b"),
            "removed.yaml",
            "removed[1].slug",
            "listed twice",
        ),
        (_entry("a") + _entry("b"), "removed.yaml", "removed[1].id", "listed twice"),
        (_entry("a", removed="27.11.2026"), "removed.yaml", "removed[0].removed", "is not a date"),
        (_entry("a", kind="call"), "removed.yaml", "removed[0].type", "not allowed"),
        (_entry("page"), "removed.yaml", "removed[0].slug", "an address part the site's listings use"),
    ],
)
def test_tombstones_are_validated(fixture_site, entries, path, field, message):
    """removed.yaml follows its schema, and a listed slug or id is never used again."""
    (fixture_site / "content" / "removed.yaml").write_text(f"removed:\n{entries}", "utf-8")
    problems = load_site(fixture_site / "content").problems
    assert [p for p in problems if p.path.endswith(path) and p.field == field and message in p.message], (
        problems
    )


ANNA = f"  - slug: anna-kowalska\n    type: profile\n    removed: 2026-11-27\n    id: {ANNA_ID}\n"


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("removed: []\n", f"removed:\n{ANNA}"),
        (f"# kept\nremoved:\n{_entry('old')}", f"# kept\nremoved:\n{_entry('old')}{ANNA}"),
        (f"removed:\n{_entry('old')}".rstrip("\n"), f"removed:\n{_entry('old')}{ANNA}"),
    ],
)
def test_tombstones_are_appended(fixture_site, before, after):
    """A removal appends its tombstone to removed.yaml and leaves the rest of the file as it was."""
    (fixture_site / "content" / "removed.yaml").write_text(before, "utf-8")
    removal = remove_profile(fixture_site / "content", "anna-kowalska", dt.date(2026, 11, 27))
    assert removal.problems == []
    assert (fixture_site / "content" / "removed.yaml").read_text("utf-8") == after


def test_tombstones_alone_are_valid(fixture_site):
    """A removed.yaml with tombstones of profiles that are gone passes the check."""
    (fixture_site / "content" / "removed.yaml").write_text(f"removed:\n{_entry('someone-else')}", "utf-8")
    assert load_site(fixture_site / "content").problems == []


def test_review_points_at_what_is_left(fixture_site):
    """A link the command cannot make text, the slug in text and a surname alone are listed for review."""
    concert = fixture_site / "content" / "news" / "concert.md"
    extra = (
        "\nWith [the violinist][anna] and Kowalska's quartet.\n\n"
        "[anna]: {filename}../profiles/anna-kowalska.md\n"
    )
    concert.write_text(concert.read_text("utf-8") + extra, "utf-8")
    before = tree(fixture_site / "content")
    removal = remove_profile(fixture_site / "content", "anna-kowalska", dt.date(2026, 11, 27), dry_run=True)
    assert tree(fixture_site / "content") == before
    found = {(Path(c.path).name, c.field, c.message.split(";")[0]) for c in removal.review}
    assert found == {
        ("concert.md", "(link)", "still links to the removed profile"),
        (
            "concert.md",
            "(text)",
            'names the removed profile\'s slug (its address?): "[anna]: {filename}../profiles/anna-kowalska.md"',
        ),
        ("concert.md", "(text)", '"Kowalska\'s" is part of the removed name'),
    }


# --- the text helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Anna Kowalska spielt Geige.", "de", "[entfernt] spielt Geige."),
        ("WITH ANNA KOWALSKA", "en", "WITH [removed]"),
        ("with Anna\n  Kowalska, violin", "en", "with [removed], violin"),
        ("Anna Kowalska's violin", "en", "[removed]'s violin"),
        ("avec Anna Kowalska", "fr", "avec [supprimé]"),
        ("Anna Kowalskaja is someone else", "en", "Anna Kowalskaja is someone else"),
        ("Joanna Kowalska is someone else", "en", "Joanna Kowalska is someone else"),
        ("田辺瑞希は広島の筆職人です。", "ja", "[削除]は広島の筆職人です。"),
        ("Mizuki Tanabe and Mizuki", "en", "[removed] and Mizuki"),
    ],
)
def test_replace_names(text, lang, expected):
    """Whole names in any case and across line breaks; never part of a longer name; CJK without spaces."""
    pattern = name_pattern(["Anna Kowalska", "田辺瑞希", "Mizuki Tanabe"])
    assert replace_names(text, pattern, lang) == expected


CONTENT = Path("/site/content")
TARGET = Target(
    slug="anna",
    names=name_pattern(["Anna Kowalska"]),
    deleted=frozenset({CONTENT / "profiles" / "anna.md", CONTENT / "profiles" / "anna-en.md"}),
    root=CONTENT,
)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("See [Anna Kowalska]({filename}../profiles/anna.md).", "See [removed]."),
        ('See [her page]({filename}../profiles/anna.md#bio "Bio").', "See her page."),
        ("In English: [her page]({filename}../profiles/anna-en.md)", "In English: her page"),
        ("Root: [her page]({filename}/profiles/anna.md)", "Root: her page"),
        ("See [Ben]({filename}../profiles/ben.md).", "See [Ben]({filename}../profiles/ben.md)."),
        (
            "[Anna Kowalska and Ben]({filename}../profiles/ben.md)",
            "[[removed] and Ben]({filename}../profiles/ben.md)",
        ),
        ("[Anna Kowalska](https://anna.example/)", "[[removed]](https://anna.example/)"),
    ],
)
def test_links_to_the_profile_become_text(body, expected):
    """Links to the removed files become their text; names in any link text are replaced too."""
    removed = lambda target: TARGET.is_deleted(CONTENT / "news", target)  # noqa: E731
    assert scrub_body(body, removed, TARGET.names, "en")[0] == expected


def _news(front: str, body: str = "Body.\n", newline: str = "\n") -> str:
    """A news file with the given front matter lines."""
    return f"---\nid: x\nlang: en\n{front}---\n\n{body}".replace("\n", newline)


@pytest.mark.parametrize(
    ("front", "expected"),
    [
        ("profiles: [a, anna, b]\n", "profiles: [a, b]\n"),
        ("profiles: [anna]\n", "profiles: []\n"),
        ("profiles: ['anna', b]  # people\n", "profiles: [b]  # people\n"),
        ("profiles:\n  - a\n  - anna\n", "profiles:\n  - a\n"),
        ("profiles:\n  - anna\n", "profiles: []\n"),
        ("organiser:\n  profile: anna\n", 'organiser:\n  name: "A member of the network"\n'),
        ("organiser: {profile: anna}\n", 'organiser: {name: "A member of the network"}\n'),
        ("summary: Anna Kowalska plays\n", 'summary: "[removed] plays"\n'),
        ('summary: "With Anna Kowalska"\n', 'summary: "With [removed]"\n'),
        ("summary: With Anna Kowalska  # who?\n", "summary: With [removed]  # who?\n"),
        ("image:\n  credit: Anna Kowalska\n", 'image:\n  credit: "[removed]"\n'),
        (
            "links:\n  website: https://anna-kowalska.example/\n",
            "links:\n  website: https://anna-kowalska.example/\n",
        ),
    ],
)
def test_front_matter_is_edited_in_place(front, expected):
    """Each edit touches only its own line: the rest of the file stays byte for byte."""
    new, _, rewritten = scrub(CONTENT / "news" / "x.md", _news(front), TARGET, "x.md")
    assert (new, rewritten) == (_news(expected), False)


def test_yaml_texts_get_the_placeholder_of_their_language():
    """In a city's texts by language, each mention gets the placeholder of its key's language."""
    text = "id: x\ndescription:\n  de: Mit Anna Kowalska.\n  en: With Anna Kowalska.\n"
    new, changes, rewritten = scrub(CONTENT / "cities" / "x.yaml", text, TARGET, "x.yaml")
    assert new == 'id: x\ndescription:\n  de: "Mit [entfernt]."\n  en: "With [removed]."\n'
    assert [(c.line, c.field) for c in changes] == [(3, "description.de"), (4, "description.en")]
    assert not rewritten


def test_line_endings_and_lines_of_the_report():
    """CRLF files stay CRLF; the report's lines are those of the edited file."""
    text = _news("profiles:\n  - anna\n  - b\n", "Anna Kowalska is here.\n", "\r\n")
    new, changes, _ = scrub(CONTENT / "news" / "x.md", text, TARGET, "x.md")
    assert new == _news("profiles:\n  - b\n", "[removed] is here.\n", "\r\n")
    assert [(c.line, c.field) for c in changes] == [(4, "profiles"), (8, "(body)")]


def test_front_matter_is_written_anew_when_a_line_cannot_be_edited():
    """A name split over the lines of a folded text cannot be edited per line: the data is written anew."""
    front = "summary: >-\n  A long text\n  with Anna\n  Kowalska.\n"
    new, changes, rewritten = scrub(CONTENT / "news" / "x.md", _news(front), TARGET, "x.md")
    assert rewritten
    assert new == _news("summary: A long text with [removed].\n")
    assert [c.field for c in changes] == ["summary"]


# --- a name however it is written, and the build caches --------------------------------------------

SPELLINGS = [
    # (id, the text in another item, "rewritten" or "review", what the review line shows)
    ("plain", "Anna Kowalska", "rewritten", None),
    ("english-possessive", "Anna Kowalska's", "rewritten", None),
    ("soft-hyphen", "Anna Kowal\u00adska", "review", "Anna Kowal<U+00AD>ska"),
    ("soft-hyphen-entity", "Anna Kowal&shy;ska", "review", "Anna Kowal&shy;ska"),
    ("zero-width-space", "Anna\u200bKowalska", "review", "Anna<U+200B>Kowalska"),
    ("zero-width-joiner", "An\u200dna Kowalska", "review", "An<U+200D>na Kowalska"),
    ("zero-width-non-joiner", "Anna Kowal\u200cska", "review", "Anna Kowal<U+200C>ska"),
    ("word-joiner", "Anna\u2060 Kowalska", "review", "Anna<U+2060> Kowalska"),
    ("no-break-space-entity", "Anna&nbsp;Kowalska", "review", "Anna&nbsp;Kowalska"),
    ("fullwidth", "Ａｎｎａ Ｋｏｗａｌｓｋａ", "review", "Ａｎｎａ Ｋｏｗａｌｓｋａ"),
    ("german-genitive", "Anna Kowalskas", "review", "Anna Kowalskas"),
    ("polish-genitive", "Anny Kowalskiej", "review", "Anny Kowalskiej"),
    ("polish-instrumental", "z Anną Kowalską", "review", "Anną Kowalską"),
    ("split-by-emphasis", "**Anna** Kowalska", "review", "Anna** Kowalska"),
    ("split-by-a-tag", "Anna <em>Kowalska</em>", "review", "Anna <em>Kowalska"),
    ("first-name-possessive", "Anna's violin", "review", "Anna's"),
    ("first-name-genitive", "Annas Geige", "review", "Annas"),
    ("surname-declined", "Frau Kowalskiej", "review", "Kowalskiej"),
]  # fmt: skip
"""How another item may write the removed person's name, and what `cucon remove` does with it."""

NOT_HER = ["Joanna Kowalskaja", "anna-kowalska-fanclub.example", "Annapurna", "Kowalskiego Street"]
"""Texts the scan leaves alone: another name, an address, a longer word, another declension."""


def _with_mentions(site: Path, title: str, body: str) -> Path:
    """The fixture's news item with a title and a body line that name the person (not her profile)."""
    news = site / "content" / "news" / "concert.md"
    text = news.read_text("utf-8").replace("profiles: [anna-kowalska]", "profiles: []")
    text = text.replace("title: Konzert in Hannover", f"title: {title}")
    news.write_text(text + f"\n{body}\n", "utf-8")
    return news


@pytest.mark.parametrize(("case", "spelling", "outcome", "shown"), SPELLINGS, ids=[s[0] for s in SPELLINGS])
@pytest.mark.parametrize("place", ["body", "title"])
def test_every_spelling_is_rewritten_or_listed_for_review(
    fixture_site, case, spelling, outcome, shown, place
):
    """Each spelling of the name in another item's title or body is replaced, or named with its line."""
    title = f"Konzert mit {spelling}" if place == "title" else "Konzert in Hannover"
    body = f"Es spielt {spelling} heute." if place == "body" else "Es spielt heute."
    news = _with_mentions(fixture_site, json.dumps(title, ensure_ascii=False), body)
    removal = remove_profile(fixture_site / "content", "anna-kowalska", dt.date(2026, 11, 27))
    text = news.read_text("utf-8")
    line = 4 if place == "title" else next(i for i, x in enumerate(text.splitlines(), 1) if "Es spielt" in x)
    here = [c for c in removal.review if c.path.endswith("concert.md") and c.line == line]
    if outcome == "rewritten":
        assert spelling not in text
        assert "[entfernt]" in text.splitlines()[line - 1]
        assert here == []
    else:
        assert spelling in text  # left as it was, for a person
        assert len(here) == 1, removal.review
        assert f'"{shown}"' in here[0].message


@pytest.mark.parametrize("text", NOT_HER)
def test_other_words_are_not_listed(fixture_site, text):
    _with_mentions(fixture_site, "Konzert in Hannover", f"Es spielt {text}.")
    removal = remove_profile(fixture_site / "content", "anna-kowalska", dt.date(2026, 11, 27), dry_run=True)
    assert [c for c in removal.review if c.path.endswith("concert.md")] == []


def test_a_name_hidden_by_yaml_escapes_is_listed_at_its_field(fixture_site):
    """A soft hyphen written as a YAML escape is not in the file's text, only in the value."""
    _with_mentions(fixture_site, '"Konzert mit Anna Kowal\\u00adska"', "Es spielt heute.")
    removal = remove_profile(fixture_site / "content", "anna-kowalska", dt.date(2026, 11, 27), dry_run=True)
    [found] = [c for c in removal.review if c.path.endswith("concert.md") and c.field != "(text)"]
    assert (found.line, found.field) == (4, "title")
    assert '"Anna Kowal<U+00AD>ska"' in found.message


def _cached_files(cache: Path) -> dict[str, str]:
    """Every file of a cache by the hash of its bytes."""
    return {hashlib.sha256(p.read_bytes()).hexdigest(): str(p) for p in cache.rglob("*") if p.is_file()}


def _names_her(data: bytes) -> bool:
    """Whether bytes (gunzipped if need be) name the person in any spelling, once folded."""
    if data.startswith(b"\x1f\x8b"):
        data = gzip.decompress(data)
    folded = fold(data.decode("utf-8", "replace")).text
    return bool(re.search(r"(?<!anna-)kowalsk|(?<![\w-])(?:anny|anną)(?!\w)", folded))


def test_removal_clears_the_caches_and_the_rebuilt_site(fixture_site, tmp_path):
    """After `cucon remove` no cache keeps her photo, share card or texts; once the places listed for
    review are edited, a rebuild into the same output/ names her nowhere: pages, feeds, search index,
    share cards."""
    site, elsewhere = fixture_site, tmp_path / "elsewhere"
    lines = "\n\n".join(f"Mit {spelling}." for _, spelling, _, _ in SPELLINGS)
    _with_mentions(site, "Konzert mit Anna Kowalskas Geige", lines)
    call = site / "content" / "calls" / "residency-leipzig.md"
    call.write_text(
        call.read_text("utf-8").replace("title: ", "title: Anna Kowalska lädt ein – ", 1), "utf-8"
    )
    for cache in (site / "cache", elsewhere):  # the default cache/ and one that CACHE_PATH names
        build = build_in_process(site, CACHE_PATH=str(cache))
        assert build.returncode == 0, build.log
    output = site / "output"
    hers = {
        hashlib.sha256((output / "media" / path).read_bytes()).hexdigest(): path
        for path in (
            "cards/profile-anna-kowalska.png",
            "cards/call-residency-leipzig.png",
            "profiles/anna-kowalska-64.webp",
        )
    }
    for cache in (site / "cache", elsewhere):
        assert set(hers) <= set(_cached_files(cache)), "the build did not cache her card and photo"

    removal = run_cucon(
        "remove",
        "anna-kowalska",
        "--today",
        "2026-11-27",
        "--cache",
        "cache",
        "--cache",
        str(elsewhere),
        cwd=site,
    )
    assert removal.returncode == 0, output_of(removal)
    report = removal.stdout
    for cache in (site / "cache", elsewhere):
        assert set(hers).isdisjoint(_cached_files(cache)), "a card or photo of hers is still cached"
        assert not any(_names_her(p.read_bytes()) for p in cache.rglob("*") if p.is_file())
        assert "cucon-state/read.pickle" in report
    assert report.count("cucon-images/") >= 2 * 3  # her photo, her card, the call's card; in each cache

    # Staff replace each place listed for review, as the report asks.
    news = site / "content" / "news" / "concert.md"
    text = news.read_text("utf-8")
    for _, spelling, outcome, _ in SPELLINGS:
        if outcome == "review":
            assert spelling in text
            text = text.replace(spelling, "[entfernt]")
    news.write_text(text.replace("Anna Kowalskas", "[entfernt]"), "utf-8")
    check = run_cucon("check", cwd=site)
    assert check.returncode == 0, output_of(check)
    build = build_in_process(site, CACHE_PATH=str(site / "cache"))
    assert build.returncode == 0, build.log

    files = sorted(p for p in output.rglob("*") if p.is_file())
    assert any(p.relative_to(output).parts[0] == "pagefind" for p in files), "no search index to read"
    named = [p.relative_to(output).as_posix() for p in files if _names_her(p.read_bytes())]
    assert named == []
    assert not (output / "media/cards/profile-anna-kowalska.png").exists()
    assert not list((output / "media/profiles").glob("anna-kowalska*"))
    published = {hashlib.sha256(p.read_bytes()).hexdigest() for p in files}
    assert published.isdisjoint(hers), "an old card or photo of hers is still published"
    assert set(hers).isdisjoint(_cached_files(site / "cache"))
    assert not any(_names_her(p.read_bytes()) for p in (site / "cache").rglob("*") if p.is_file())


def test_a_dry_run_lists_the_cache_entries_and_keeps_them(site_built_in_process):
    """`--dry-run` names what it would delete from the cache and deletes nothing."""
    before = tree(site_built_in_process / "cache")
    result = run_cucon("remove", "anna-kowalska", "--dry-run", cwd=site_built_in_process)
    assert result.returncode == 0, output_of(result)
    assert "In the build cache cache/, would be deleted" in result.stdout
    assert "cache/cucon-state/read.pickle" in result.stdout
    assert len(re.findall(r"^  cache/cucon-images/\w\w/\w{64}$", result.stdout, re.M)) >= 2
    assert tree(site_built_in_process / "cache") == before


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Mara Engels Bilder", [("Mara Engels", "an inflected form", False)]),
        ("Die Bilder Mara Engel's", [("Mara Engel's", "an inflected form", False)]),
        (
            "Mara Engel\u00ads Bilder",
            [("Mara Engel\u00ads", "an inflected form, written with invisible characters", False)],
        ),
        ("Engels Bilder", [("Engels", "an inflected form", True)]),
        ("Engelsberg, engels", []),
        ("z Janem Kowalskim", [("Janem Kowalskim", "an inflected form", False)]),
        ("dla Jana Kowalskiego", [("Jana Kowalskiego", "an inflected form", False)]),
        ("Janina Kowalskich", [("Kowalskich", "an inflected form", True)]),
        (
            "\u7530\u8fba\u745e\u5e0c\u306e\u7b46",
            [("\u7530\u8fba\u745e\u5e0c", "not replaced automatically", False)],
        ),
    ],
)
def test_the_scan_finds_inflected_names(text, found):
    """The German genitive, the English possessive and the Polish declension; parts only capitalised."""
    mentions = Mentions(
        ["Mara Engel", "Jan Kowalski", "\u7530\u8fba\u745e\u5e0c"], ["Mara", "Engel", "Kowalski"]
    )
    assert [(f.text, f.why, f.part) for f in mentions.find(text)] == found
