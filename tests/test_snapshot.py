"""The snapshot of the checked network (cucon.snapshot): when it is taken as it is, and when the content is
read again. The builds that use it are in test_incremental.py; here the reader is called in-process on a
copy of the fixture site's content."""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from support import FIXTURE_SITE

from cucon import snapshot
from cucon.markup import BUILD_ALLOWANCE
from cucon.snapshot import COUNTED, check_content, content_stamp, valid_counts


@pytest.fixture
def content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the fixture site's content, read from its site folder as the build reads it; its files
    are older than the file system's clock (an editor's files are), not written in the tick the first
    check starts in."""
    shutil.copytree(FIXTURE_SITE / "content", tmp_path / "content")
    monkeypatch.chdir(tmp_path)
    _let_the_clock_pass(tmp_path / "content")
    return tmp_path / "content"


def _let_the_clock_pass(content: Path) -> None:
    """Wait until the file system's clock is past the newest change below ``content``, as it is for an
    editor's files by the time a check runs: a check in the same tick does not settle (racily clean)."""
    newest = max(stamp[3] for stamp in content_stamp(content).values())
    while snapshot._now_on_disk(content.parent / "clock") <= newest:
        time.sleep(0.001)


def _check(content: Path, allowance: float = 1):
    return check_content(content, content.parent / "state", allowance=allowance, workers=1)


def test_unchanged_content_is_not_read_again(content: Path) -> None:
    first = _check(content)
    assert (first.reused, first.changed) == (False, len(content_stamp(content)))
    again = _check(content)
    assert (again.reused, again.changed) == (True, 0)
    assert sorted(i.path for i in again.site.items()) == sorted(i.path for i in first.site.items())
    assert again.rendered == first.rendered
    assert again.site.problems == first.site.problems == []


def test_an_edit_that_keeps_size_and_mtime_is_found(content: Path) -> None:
    _check(content)
    path = content / "profiles" / "anna-kowalska.md"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Geigerin zwischen", "Bratschistin in a"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    found = _check(content)
    assert (found.reused, found.changed) == (False, 1)
    assert found.site.profiles["anna-kowalska"].meta.summary.startswith("Bratschistin in a")


def test_a_file_added_or_deleted_is_found(content: Path) -> None:
    _check(content)
    (content / "news" / "notes.txt").write_text("x", "utf-8")
    found = _check(content)
    assert not found.reused
    assert [p.code for p in found.site.problems] == ["stray-file"]
    (content / "news" / "notes.txt").unlink()
    found = _check(content)
    assert (found.reused, found.site.problems) == (False, [])


def test_a_snapshot_taken_while_files_may_change_is_not_reused(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file whose change time is not before the moment the stamps were taken may have changed again
    within the same clock tick: the next reader reads everything."""
    monkeypatch.setattr(snapshot, "_now_on_disk", lambda folder: 0)
    _check(content)
    monkeypatch.undo()
    assert not _check(content).reused
    assert _check(content).reused


def test_a_verdict_is_reused_only_within_its_render_budget(content: Path) -> None:
    """The build allows more render time than the check: the check's snapshot serves the build, the
    build's does not serve the check, whose bodies are rendered again within its budget."""
    _check(content, allowance=1)
    assert _check(content, allowance=BUILD_ALLOWANCE).reused
    assert (content.parent / "state" / snapshot.SNAPSHOT_FILE).is_file()
    (content.parent / "state" / snapshot.SNAPSHOT_FILE).unlink()
    _check(content, allowance=BUILD_ALLOWANCE)
    assert not _check(content, allowance=1).reused
    assert _check(content, allowance=1).reused


def test_other_settings_or_another_working_folder_read_again(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _check(content)
    other = check_content(content, content.parent / "state", languages=("de", "en", "fr"), workers=1)
    assert not other.reused
    monkeypatch.chdir(content)
    assert not _check(content).reused


def test_a_snapshot_kept_in_memory_is_taken_from_there_while_its_file_is_the_one_saved(
    content: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "_kept", None)  # this test's own memory, gone after it
    snapshot.keep_in_memory()
    first = _check(content)
    again = _check(content)
    assert again.reused
    assert again.site is first.site  # from memory, not unpickled
    # Another process wrote the file (a `cucon check` beside the preview): it is read, not the memory.
    path = content.parent / "state" / snapshot.SNAPSHOT_FILE
    saved = snapshot.load_saved(path, snapshot.SNAPSHOT_VERSION)
    snapshot.save(path, saved, snapshot.SNAPSHOT_VERSION)
    from_file = _check(content)
    assert from_file.reused
    assert from_file.site is not first.site
    assert sorted(i.path for i in from_file.site.items()) == sorted(i.path for i in first.site.items())


def test_a_valid_network_unchanged_since_is_counted_without_loading_the_snapshot(content: Path) -> None:
    """`cucon check` of unchanged content takes the verdict kept beside the snapshot; an edit that keeps size
    and modification time, a problem, or a smaller render budget than the one the bodies were rendered with
    makes it check again."""
    state = content.parent / "state"
    assert valid_counts(content, state) is None
    first = _check(content)
    counts = valid_counts(content, state)
    assert counts == {name: len(first.site.of_type(name)) for name in COUNTED}
    assert counts["profile"] > 0
    assert valid_counts(content, state, languages=("de", "en", "fr")) is None

    path = content / "profiles" / "anna-kowalska.md"
    before = path.stat()
    path.write_text(path.read_text("utf-8").replace("Geigerin zwischen", "Bratschistin in a"), "utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert valid_counts(content, state) is None
    _let_the_clock_pass(content)
    _check(content)
    assert valid_counts(content, state) == counts

    path.write_text(path.read_text("utf-8").replace("kind: person", "kind: persona"), "utf-8")
    assert _check(content).site.problems
    assert valid_counts(content, state) is None
    assert not (state / snapshot.VERDICT_FILE).exists()


def test_a_verdict_of_the_build_does_not_serve_the_check(content: Path) -> None:
    state = content.parent / "state"
    _check(content, allowance=BUILD_ALLOWANCE)
    assert valid_counts(content, state, allowance=BUILD_ALLOWANCE) is not None
    assert valid_counts(content, state) is None
