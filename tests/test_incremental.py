"""Incremental builds write only what changed, and leave exactly the files a clean build writes.

Each case changes a copy of the sample network after a first build, builds it again in place
(incremental), builds the same content from nothing (clean), and compares the two output
folders byte for byte, the search bundle aside (Pagefind's files are not byte-stable): of that,
the answers are compared, for the fixed queries of ``SEARCH_QUERIES``.
``test_search_index_is_kept_while_no_page_changes`` covers when it is rebuilt.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from icalendar import Calendar
from pelican.settings import DEFAULT_CONFIG
from support import (
    FIXTURE_LANGUAGES,
    FIXTURE_SITE,
    REPO,
    built_once,
    compare_trees,
    output_of,
    run_build,
    run_cucon,
    search_answers,
)

from cucon import urls
from cucon.incremental import STATE_FOLDER, SUMMARY_FILE
from cucon.site.templates import BYTECODE_FOLDER, theme_environment

NO_SEARCH = ("-e", "CUCON_SEARCH_INDEX=false")
SEARCH_FOLDERS = ("pagefind/", "pagefind-delta/")
"""The search bundles, main and delta: compared by their answers, not their bytes."""
BALLAST = ("-e", "CUCON_SEARCH_BALLAST=10")
"""A delta with 10 of the sample's 84 pages per language as ballast, so that answers come from both bundles."""
LATER = "2026-12-01T05:00:00+01:00"
"""A build time after the deadline of the sample call closing soonest (2026-11-30 18:00 in Rouen)."""
SEARCH_QUERIES = ("Klangwerk", "Quokkaflöten", "Druckerei", "grants", "広島", "Rives")
"""What every case asks the search index, besides every page and filter count: an edited, removed
and added profile's name, the edited profile's new word (``edit_profile``), a word of the one
profile that has it, a deleted news item's (``delete_news``), a Japanese word inside sentences,
and the call whose deadline passes (its status filter)."""


def _build(site: Path, *extra: str, search: bool = False) -> tuple[int, int, int]:
    """Build a site with real Pelican; (outputs written, changed, kept) as the build counted them."""
    result = run_build(site, *(() if search else NO_SEARCH), *extra)
    assert result.returncode == 0, output_of(result)
    counts = json.loads((site / "cache" / STATE_FOLDER / SUMMARY_FILE).read_text("utf-8"))
    return counts["written"], counts["changed"], counts["kept"]


@pytest.fixture(scope="session")
def built_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the sample network with its theme, built once per run (by one worker): the 'last
    build' of every case, which each case copies."""

    def build(site: Path) -> None:
        shutil.copytree(REPO / "content", site / "content")
        shutil.copytree(REPO / "theme", site / "theme")
        _build(site, "-e", f'THEME="{site / "theme"}"', search=True)

    return built_once(tmp_path_factory, "incremental-sample", build)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{path}: {old!r} not found"
    path.write_text(text.replace(old, new, 1), "utf-8")


def add_profile(site: Path) -> None:
    """A new profile, with its photo."""
    folder = site / "content" / "profiles"
    text = (folder / "klangwerk-linden.md").read_text("utf-8")
    text = re.sub(r"(?m)^id: .*$", "id: 0b7e1c52-2f57-4c1e-9a4c-5d1b8d1e7f00", text)
    text = re.sub(r"(?m)^name: .*$", "name: Klangwerk Zwei", text).replace(
        "klangwerk-linden.jpg", "klangwerk-zwei.jpg"
    )
    (folder / "klangwerk-zwei.md").write_text(text, "utf-8")
    shutil.copyfile(folder / "klangwerk-linden.jpg", folder / "klangwerk-zwei.jpg")


def edit_profile(site: Path) -> None:
    """A new summary for one profile."""
    path = site / "content" / "profiles" / "klangwerk-linden.md"
    text = path.read_text("utf-8")
    path.write_text(
        re.sub(
            r"(?m)^summary: .*$", "summary: Ein neuer Satz über das Klangwerk und seine Quokkaflöten.", text
        ),
        "utf-8",
    )


def remove_profile(site: Path) -> None:
    """A profile erased with ``cucon remove``: tombstone, references taken out."""
    result = run_cucon("remove", "klangwerk-linden", "--content", str(site / "content"), cwd=site)
    assert result.returncode == 0, output_of(result)


def delete_news(site: Path) -> None:
    """A news item and its image deleted by hand."""
    (site / "content" / "news" / "travel-grants-for-artists.md").unlink()
    (site / "content" / "news" / "travel-grants-for-artists.jpg").unlink()


def edit_template(site: Path) -> None:
    """A template of the theme changed."""
    _edit(site / "theme" / "templates" / "base.html", "</footer>", "<p>Geändert.</p></footer>")


def edit_city(site: Path) -> None:
    """A site-wide list changed: a city's description."""
    path = site / "content" / "cities" / "leipzig.yaml"
    text = path.read_text("utf-8")
    path.write_text(re.sub(r"(?m)^(  de: ).*$", r"\1Neue Beschreibung von Leipzig.", text, count=1), "utf-8")


def add_call(site: Path) -> None:
    """A new call open to people from Leipzig, Hannover and Poznań: their filter pages change."""
    folder = site / "content" / "calls"
    text = (folder / "kompositionsauftrag-chorwerkstatt-connewitz.md").read_text("utf-8")
    text = re.sub(r"(?m)^id: .*$", "id: 5f0c3a8e-7d61-4b7e-8c2a-1e9d4b6a0c11", text)
    (folder / "kompositionsauftrag-zwei.md").write_text(text, "utf-8")


def narrow_call(site: Path) -> None:
    """A call no longer open to people from Poznań: it leaves Poznań's filter page."""
    path = site / "content" / "calls" / "kompositionsauftrag-chorwerkstatt-connewitz.md"
    _edit(path, "cities: [leipzig, hannover, poznan]", "cities: [leipzig, hannover]")


def add_call_for_many(site: Path) -> None:
    """A new call open to everyone in dance, music and performance: it enters the "calls for you" of
    many profiles (their pages, feeds and calendars change) and gets a "who might answer" of its own."""
    folder = site / "content" / "calls"
    text = (folder / "dance-partners-madzi-tour.md").read_text("utf-8")
    text = re.sub(r"(?m)^id: .*$", "id: 2d8e4f61-3a7b-4c9d-8e1f-6a5b4c3d2e10", text)
    (folder / "dance-partners-zwei.md").write_text(text, "utf-8")


def nothing(site: Path) -> None:
    """No change: the rebuild a staff member's second click makes."""


CASES: list[tuple[Callable[[Path], None], tuple[str, ...], str]] = [
    (nothing, (), "none"),
    (add_profile, (), "some"),
    (edit_profile, (), "some"),
    (remove_profile, (), "some"),
    (delete_news, (), "some"),
    (edit_template, (), "all"),
    (edit_city, (), "all"),
    (add_call, (), "some"),
    (narrow_call, (), "some"),
    (add_call_for_many, (), "some"),
    (nothing, ("-e", f'CUCON_BUILD_TIME="{LATER}"'), "some"),
]
"""(change, extra build arguments, how much is written again): the last case is the nightly
build in which a call passes its deadline and nothing else changes."""


@pytest.mark.parametrize(
    ("change", "extra", "expected"),
    CASES,
    ids=[f"{change.__name__}{'-deadline-passes' if extra else ''}" for change, extra, _ in CASES],
)
def test_incremental_build_equals_clean_build(
    built_sample: Path, tmp_path: Path, change, extra: tuple[str, ...], expected: str
) -> None:
    site = tmp_path / "incremental"
    shutil.copytree(built_sample, site)
    theme = ("-e", f'THEME="{site / "theme"}"')
    change(site)
    written, changed, kept = _build(site, *theme, *extra, *BALLAST, search=True)

    clean = tmp_path / "clean"
    shutil.copytree(site / "content", clean / "content")
    shutil.copytree(site / "theme", clean / "theme")
    # The same theme folder for both builds: THEME is a setting, and settings are part of the key.
    _build(clean, *theme, *extra, search=True)
    assert compare_trees(site / "output", clean / "output", SEARCH_FOLDERS) == []
    answers = search_answers(clean / "output" / "pagefind", SEARCH_QUERIES)
    found = search_answers(site / "output" / "pagefind", SEARCH_QUERIES)
    # A full index answers in the clean build's order; a delta finds the same pages with the same counts.
    assert (found if _delta(site) is None else _unranked(found)) == (
        answers if _delta(site) is None else _unranked(answers)
    )
    _assert_answers_tell(change, answers)
    _assert_answers_tell(change, found)
    if change in FULL_INDEX:
        assert _delta(site) is None, "the main index is written in full, without a delta"
    elif change in (edit_profile, add_profile):
        assert _delta(site) is not None, "the changed pages are indexed into a delta"
    if change is remove_profile:
        assert _files_naming(site / "output", b"klangwerk linden") == []
    if expected == "none":
        assert (written, changed) == (0, 0)
        assert kept > 0
    elif expected == "some":
        assert written > 0
        assert changed > 0
        assert kept > 0
    else:
        assert kept == 0
        assert written > 0


FULL_INDEX = (remove_profile, delete_news, edit_template, edit_city)
"""Changes after which the main index is written in full: an entry removed or a page deleted (their
words must leave every file of the index), templates or site-wide content changed."""


def _unranked(answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answers without their order: the pages found and the counts.

    The main index scores its pages by the statistics of the pages of its own build, the delta by
    those of its changed pages and ballast, so results of close scores may come in another order.
    """
    return {what: sorted(lines) for what, lines in answers.items()}


def _delta(site: Path) -> dict | None:
    """The main bundle's note of its delta (None after a full index), checked against the delta folder."""
    manifest = json.loads((site / "output" / "pagefind" / "cucon-delta.json").read_text("utf-8"))
    delta = site / "output" / "pagefind-delta"
    assert (manifest["delta"] is not None) is delta.is_dir(), "a stale delta, or a delta that is not merged"
    return manifest if manifest["delta"] is not None else None


def _files_naming(output: Path, name: bytes) -> list[str]:
    """The files below ``output`` that have ``name`` (lower case), gzip-compressed ones decompressed."""
    found = []
    for path in sorted(p for p in output.rglob("*") if p.is_file()):
        data = path.read_bytes()
        if data.startswith(b"\x1f\x8b"):
            data = gzip.decompress(data)
        if name in data.lower():
            found.append(path.relative_to(output).as_posix())
    return found


def _assert_answers_tell(change: Callable[[Path], None], answers: dict[str, list[str]]) -> None:
    """The queries ask about what the case changed: the clean build's answers show the change."""
    for lang, prefix in (("de", "/"), ("en", "/en/")):
        assert answers[f'{lang} query "広島"'], lang  # a word inside Japanese sentences is found
        klangwerk = {f"{prefix}profiles/klangwerk-linden{'-en' if prefix == '/en/' else ''}/"}
        found = set(answers[f'{lang} query "Klangwerk"'])
        assert (klangwerk <= found) is (change is not remove_profile), (lang, found)
        new_word = set(answers[f'{lang} query "Quokkaflöten"'])
        assert new_word == (klangwerk if change is edit_profile else set()), (lang, new_word)
        news = f"{prefix}news/travel-grants-for-artists/"
        assert (news in answers[f"{lang} all pages"]) is (change is not delete_news), lang


def test_a_new_call_moves_matches(built_sample: Path, tmp_path: Path) -> None:
    """After add_call_for_many, the incremental build lists the new call among a profile's "calls for
    you", in its feed and its calendar, as a clean build does (the case above compares the trees)."""
    site = tmp_path / "incremental"
    shutil.copytree(built_sample, site)
    profile = site / "output" / urls.save_as(urls.entry("profile", "claire-vidal-roig", "en/"))
    feed = site / "output" / urls.feed("profile", "claire-vidal-roig", "atom", "en/")
    calendar = site / "output" / urls.profile_calendar("claire-vidal-roig", "en/")
    assert "dance-partners-zwei" not in profile.read_text("utf-8")
    add_call_for_many(site)
    _build(site, "-e", f'THEME="{site / "theme"}"')
    assert 'data-slug="dance-partners-zwei"' in profile.read_text("utf-8").split('id="people-for-you"')[0]
    assert "2d8e4f61-3a7b-4c9d-8e1f-6a5b4c3d2e10" in feed.read_text("utf-8")
    events = Calendar.from_ical(calendar.read_bytes()).walk("VEVENT")
    assert "2d8e4f61-3a7b-4c9d-8e1f-6a5b4c3d2e10-deadline@cucon" in {str(event["UID"]) for event in events}


def _index_stamp(site: Path) -> dict[str, int]:
    """The modification time of every file of the search index."""
    bundle = site / "output" / "pagefind"
    return {p.relative_to(bundle).as_posix(): p.stat().st_mtime_ns for p in bundle.rglob("*") if p.is_file()}


def test_search_index_is_kept_while_no_page_changes(tmp_path: Path) -> None:
    """No change keeps the index as it is; an edit keeps the main bundle's index files and adds a delta."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    stamps = []
    for _ in range(2):
        result = run_build(site)
        assert result.returncode == 0, output_of(result)
        stamps.append(_index_stamp(site))
    assert stamps[0]
    assert stamps[1] == stamps[0]
    assert _delta(site) is None

    profile = site / "content" / "profiles" / "anna-kowalska.md"
    text = profile.read_text("utf-8")
    profile.write_text(re.sub(r"(?m)^summary: .*$", "summary: Quokkaflöte und Stimme.", text), "utf-8")
    # Two unchanged pages per language as ballast: the fixture site has too few pages for ten.
    result = run_build(site, "-e", "CUCON_SEARCH_BALLAST=2")
    assert result.returncode == 0, output_of(result)
    stamp = _index_stamp(site)
    assert {name for name, mtime in stamps[0].items() if stamp.get(name) != mtime} == {"cucon-delta.json"}
    assert _delta(site) is not None
    answers = search_answers(site / "output" / "pagefind", ("Quokkaflöte",))
    assert answers['de query "Quokkaflöte"'] == ["/profiles/anna-kowalska/"]


def _clean_answers(site: Path, tmp_path: Path, name: str, *extra: str) -> dict[str, list[str]]:
    """The search answers of a clean build of the content and theme of ``site``."""
    clean = tmp_path / name
    shutil.copytree(site / "content", clean / "content")
    shutil.copytree(site / "theme", clean / "theme")
    _build(clean, "-e", f'THEME="{site / "theme"}"', *extra, search=True)
    return search_answers(clean / "output" / "pagefind", DELTA_QUERIES)


DELTA_QUERIES = (*SEARCH_QUERIES, "Wombatgeige")
"""The queries of the cases and the second edit's new word, which only the delta has: the main index
answers it by a shorter prefix (Pagefind's backtracking), and search-delta.js leaves those answers out.
A word that the edit takes out of the network ("Illustratorin") is a known gap: docs/search.md."""


def test_a_second_edit_replaces_the_delta_and_a_full_index_drops_it(
    built_sample: Path, tmp_path: Path
) -> None:
    """Two edits one after the other: the second delta has both pages and drops both stale main copies, and
    answers as a clean build does. A full index (the nightly rebuild's CUCON_SEARCH_FULL) leaves no delta."""
    site = tmp_path / "incremental"
    shutil.copytree(built_sample, site)
    theme = ("-e", f'THEME="{site / "theme"}"')
    edit_profile(site)
    _build(site, *theme, *BALLAST, search=True)
    first = _delta(site)
    assert first is not None
    stones = json.loads((site / "output" / "pagefind" / first["tombstones"]["de"]).read_text("utf-8"))

    path = site / "content" / "profiles" / "mara-engel.md"
    _edit(path, "Illustratorin und Wandmalerin", "Wombatgeige und Wandmalerin")
    _build(site, *theme, *BALLAST, search=True)
    second = _delta(site)
    assert second is not None
    again = json.loads((site / "output" / "pagefind" / second["tombstones"]["de"]).read_text("utf-8"))
    assert set(stones["filters"]) < set(again["filters"]), "the first edit's stale page is still dropped"
    answers = _clean_answers(site, tmp_path, "clean", *theme)
    assert answers['de query "Wombatgeige"'] == ["/profiles/mara-engel/"]
    found = search_answers(site / "output" / "pagefind", DELTA_QUERIES)
    assert _unranked(found) == _unranked(answers)
    assert found['de query "Wombatgeige"'] == ["/profiles/mara-engel/"]

    _build(site, *theme, "-e", "CUCON_SEARCH_FULL=true", search=True)
    assert _delta(site) is None
    assert not (site / "output" / "pagefind-delta").exists()
    assert search_answers(site / "output" / "pagefind", DELTA_QUERIES) == answers


def test_a_delta_past_its_limit_writes_the_whole_index(built_sample: Path, tmp_path: Path) -> None:
    """More changed pages than CUCON_SEARCH_DELTA_MAX: the main index is written in full, the old delta goes."""
    site = tmp_path / "incremental"
    shutil.copytree(built_sample, site)
    theme = ("-e", f'THEME="{site / "theme"}"')
    edit_profile(site)
    _build(site, *theme, *BALLAST, search=True)
    assert _delta(site) is not None
    _edit(site / "content" / "profiles" / "mara-engel.md", "Illustratorin und", "Wombatgeige und")
    # The two edits change 4 pages (each profile's page in de and en): past a limit of 3.
    _build(site, *theme, *BALLAST, "-e", "CUCON_SEARCH_DELTA_MAX=3", search=True)
    assert _delta(site) is None
    answers = search_answers(site / "output" / "pagefind", ("Wombatgeige", "Quokkaflöten"))
    assert answers['de query "Wombatgeige"'] == ["/profiles/mara-engel/"]
    assert answers['de query "Quokkaflöten"'] == ["/profiles/klangwerk-linden/"]


def test_clean_build_without_incremental_state(tmp_path: Path) -> None:
    """CUCON_INCREMENTAL=False writes every output even when the last build's state is there."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    _build(site)
    written, changed, kept = _build(site, "-e", "CUCON_INCREMENTAL=false")
    assert (kept, changed) == (0, 0), "every output written again, each the same as before"
    assert written > 0


def _read(site: Path) -> dict:
    """How the last build found the content: taken from the snapshot as it was, or how many entries changed."""
    return json.loads((site / "cache" / STATE_FOLDER / SUMMARY_FILE).read_text("utf-8"))["read"]


def _same_size_and_mtime(path: Path, old: str, new: str) -> None:
    """Edit a file without changing its size or modification time (a clock set back, a copy that keeps times)."""
    assert len(old.encode()) == len(new.encode())
    before = path.stat()
    _edit(path, old, new)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_an_edit_in_place_is_found_and_rebuilt_as_a_clean_build(tmp_path: Path) -> None:
    """The second build of unchanged content takes the checked network from the snapshot; an edit that keeps
    the file's size and modification time is still found (by its change time) and written as a clean build."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    _build(site, *NO_SEARCH)
    assert _read(site) == {"reused": False, "changed": len(list((site / "content").rglob("*")))}
    assert _build(site)[:2] == (0, 0)
    assert _read(site) == {"reused": True, "changed": 0}

    profile = site / "content" / "profiles" / "anna-kowalska.md"
    _same_size_and_mtime(profile, "Geigerin zwischen", "Bratschistin in a")
    written, changed, _ = _build(site)
    assert _read(site) == {"reused": False, "changed": 1}
    assert written > 0
    assert changed > 0
    page = site / "output" / urls.save_as(urls.entry("profile", "anna-kowalska", ""))
    assert "Bratschistin in a" in page.read_text("utf-8")

    clean = tmp_path / "clean"
    shutil.copytree(site / "content", clean / "content")
    _build(clean)
    assert compare_trees(site / "output", clean / "output") == []


CHECK_SETTINGS = f"""import runpy
globals().update((k, v) for k, v in runpy.run_path({str(REPO / "pelicanconf.py")!r}).items() if k.isupper())
CUCON_LANGUAGES = {FIXTURE_LANGUAGES!r}
"""
"""The settings of the fixture site's builds as a file of the site (`cucon check` reads their UI languages)."""


def test_check_and_build_read_each_file_once(tmp_path: Path) -> None:
    """`make html`: the check reads and checks the content and keeps its snapshot; the build after it
    reads no file. A later check of unchanged content reports what the first one did, problems too."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site)
    (site / "check.py").write_text(CHECK_SETTINGS, "utf-8")
    check = ("check", "--settings", "check.py")
    first = run_cucon(*check, cwd=site)
    assert first.returncode == 0, output_of(first)
    assert "content is valid" in first.stderr
    again = run_cucon(*check, cwd=site)  # the verdict kept beside the snapshot (cucon.snapshot.valid_counts)
    assert (again.returncode, again.stdout, again.stderr) == (0, first.stdout, first.stderr)
    assert (site / "cache" / STATE_FOLDER / "read.pickle").is_file()
    _build(site, *NO_SEARCH)
    assert _read(site) == {"reused": True, "changed": 0}

    profile = site / "content" / "profiles" / "anna-kowalska.md"
    _edit(profile, "kind: person", "kind: persona")
    found = [run_cucon(*check, cwd=site) for _ in range(2)]
    assert [r.returncode for r in found] == [1, 1]
    assert "content/profiles/anna-kowalska.md:4: kind:" in found[0].stdout
    assert found[1].stdout == found[0].stdout
    assert found[1].stderr == found[0].stderr


def _stamps(folder: Path) -> dict[str, int | None]:
    """Every file below an output folder with its modification time; None for the theme's static files,
    which Pelican itself copies again on every run."""
    return {
        name: None if name.startswith("theme/") else p.stat().st_mtime_ns
        for p in folder.rglob("*")
        if p.is_file() and (name := p.relative_to(folder).as_posix())
    }


def _nothing_to_do(site: Path) -> bool:
    """Whether the last build found it had nothing to do (cucon.site.noop)."""
    summary = json.loads((site / "cache" / STATE_FOLDER / SUMMARY_FILE).read_text("utf-8"))
    return summary.get("nothing-to-do", False)


def _fixture_copy(tmp_path: Path, name: str = "site") -> Path:
    site = tmp_path / name
    shutil.copytree(FIXTURE_SITE, site)
    return site


def test_a_build_with_nothing_to_do_leaves_the_output_as_it_is(tmp_path: Path) -> None:
    """The second build of unchanged content, code, theme and settings exits at once and touches no file of
    output/; an edit that keeps the file's size and modification time still makes the next build write."""
    site = _fixture_copy(tmp_path)
    _build(site, *NO_SEARCH)
    assert not _nothing_to_do(site)
    before = _stamps(site / "output")
    _build(site, *NO_SEARCH)
    assert _nothing_to_do(site)
    assert _read(site) == {"reused": True, "changed": 0}
    assert _stamps(site / "output") == before

    profile = site / "content" / "profiles" / "anna-kowalska.md"
    _same_size_and_mtime(profile, "Geigerin zwischen", "Bratschistin in a")
    written, changed, _ = _build(site, *NO_SEARCH)
    assert not _nothing_to_do(site)
    assert (written, changed) != (0, 0)
    page = site / "output" / urls.save_as(urls.entry("profile", "anna-kowalska", ""))
    assert "Bratschistin in a" in page.read_text("utf-8")


def _edit_catalog(site: Path) -> None:
    """The German catalog of the theme changed."""
    _edit(
        site / "theme" / "translations" / "de" / "LC_MESSAGES" / "messages.po",
        'msgstr "Frist:"',
        'msgstr "Abgabe:"',
    )


@pytest.mark.parametrize(("change", "shown"), [(edit_template, "Geändert."), (_edit_catalog, "Abgabe:")])
def test_a_theme_or_catalog_edit_is_built(tmp_path: Path, change, shown: str) -> None:
    """A build after a template's or a catalog's edit writes it, as a clean build does, although no content
    file changed."""
    site = _fixture_copy(tmp_path)
    shutil.copytree(REPO / "theme", site / "theme")
    theme = ("-e", f'THEME="{site / "theme"}"', *NO_SEARCH)
    _build(site, *theme)
    _build(site, *theme)
    assert _nothing_to_do(site)
    change(site)
    written, _, _ = _build(site, *theme)
    assert not _nothing_to_do(site)
    assert written > 0
    call = site / "output" / urls.save_as(urls.entry("call", "residency-leipzig", ""))
    assert shown in call.read_text("utf-8")

    clean = _fixture_copy(tmp_path, "clean")
    shutil.rmtree(clean / "content")
    shutil.copytree(site / "content", clean / "content")
    _build(clean, *theme)
    assert compare_trees(site / "output", clean / "output") == []


BEFORE_DEADLINE = ("2027-01-31T09:00:00+01:00", "2027-01-31T23:00:00+01:00")
"""Two build times on the deadline day of the fixture's call (2027-01-31 23:59 in Leipzig)."""
AFTER_DEADLINE = "2027-01-31T23:59:30+01:00"
"""The same Berlin and UTC day, after the deadline: nothing but the call's deadline lies in between."""


def test_a_deadline_that_passes_without_a_file_change_is_built(tmp_path: Path) -> None:
    """Later on the same day nothing changes and the build has nothing to do; once the call's deadline has
    passed, with no file changed, the build writes the call closed, as a clean build does."""
    site = _fixture_copy(tmp_path)
    at = lambda moment: ("-e", f'CUCON_BUILD_TIME="{moment}"', *NO_SEARCH)  # noqa: E731
    _build(site, *at(BEFORE_DEADLINE[0]))
    _build(site, *at(BEFORE_DEADLINE[1]))
    assert _nothing_to_do(site)
    _, changed, _ = _build(site, *at(AFTER_DEADLINE))
    assert not _nothing_to_do(site)
    assert changed > 0
    call = site / "output" / urls.save_as(urls.entry("call", "residency-leipzig", "en/"))
    assert "The deadline has passed:" in call.read_text("utf-8")

    clean = _fixture_copy(tmp_path, "clean")
    _build(clean, *at(AFTER_DEADLINE))
    assert compare_trees(site / "output", clean / "output") == []


def test_compiled_templates_are_kept_apart_by_what_shapes_their_code(tmp_path: Path) -> None:
    """The theme's compiled templates are kept in the cache folder between builds; a template compiled with
    other options (here without trim_blocks) is compiled again, not taken from the cache."""
    (tmp_path / "theme" / "templates").mkdir(parents=True)
    (tmp_path / "theme" / "templates" / "t.html").write_text("{% if true %}\n  x\n{% endif %}\n", "utf-8")
    settings = {**DEFAULT_CONFIG, "THEME": str(tmp_path / "theme"), "CACHE_PATH": str(tmp_path / "cache")}
    loose = {**settings, "JINJA_ENVIRONMENT": {"trim_blocks": False, "lstrip_blocks": False}}
    render = lambda s: theme_environment(s).get_template("t.html").render()  # noqa: E731
    trimmed = render(settings)
    assert list((tmp_path / "cache" / BYTECODE_FOLDER).iterdir())
    assert render(loose) != trimmed
    assert render(settings) == trimmed
