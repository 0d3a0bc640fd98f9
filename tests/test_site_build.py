"""The site build in-process: ``SiteBuild.run(writer)`` writes through the writer it is given, keeps no
module globals, writes nothing when the content has a problem, and writes again only what changed.

Each test builds the fixture site (tests/fixtures/site) in this process, with no Pelican run; the
golden site (test_golden.py) and the incremental-equality test stay real Pelican builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURE_SITE, build_settings, tree

from cucon.problems import ContentError
from cucon.site.build import SiteBuild
from cucon.site.outputs import page_outputs
from cucon.site.writer import FileWriter


class RecordingWriter(FileWriter):
    """A FileWriter that also keeps the name of every file written in this process."""

    def __init__(self, output: Path) -> None:
        super().__init__(output)
        self.names: list[str] = []

    def write(self, name: str, data: bytes) -> str:
        """Write and remember the name."""
        self.names.append(name)
        return super().write(name, data)


def _settings(site: Path, **overrides: object) -> dict:
    """The settings of a test build without the search index, in one process (fewer than 64 outputs
    are never forked; one render worker)."""
    return build_settings(site, CUCON_SEARCH_INDEX=False, CUCON_RENDER_WORKERS=1, **overrides)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A fresh copy of the fixture site, without output, to build in this process."""
    copy = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, copy, ignore=shutil.ignore_patterns("output", "__pycache__"))
    return copy


def test_every_page_of_a_language_is_written_through_the_writer(site):
    """The pages of each language, as cucon.site.outputs lists them, are files the writer wrote."""
    build = SiteBuild(_settings(site))
    writer = RecordingWriter(site / "output")
    build.run(writer)
    settings = build.settings
    for ui in settings.languages:
        for page in page_outputs(
            build.listings, build.site.removed, ui, settings.default_lang, settings.per_page, build.matches
        ):
            assert page.save_as in writer.names, page
            assert (site / "output" / page.save_as).is_file()
    assert "robots.txt" in writer.names
    assert any(
        name.endswith(".atom.xml") or name.endswith(".xml") for name in writer.names if "feeds/" in name
    )
    # Images are published beside the written files, not through the writer (they are linked from a cache).
    assert not any(name.startswith("media/") for name in writer.names)
    assert any(path.startswith("media/") for path in tree(site / "output"))


def test_a_second_run_writes_nothing_and_a_changed_profile_rewrites_its_pages(site):
    """The incremental state is kept between two builds in one process: nothing is rendered again
    until a profile changes, and then only the pages that show it."""
    SiteBuild(_settings(site)).run(FileWriter(site / "output"))
    again = RecordingWriter(site / "output")
    SiteBuild(_settings(site)).run(again)
    # robots.txt and the 410 rules are small and always written; no page, feed or calendar is.
    assert sorted(again.names) == ["_redirects", "gone.nginx.map", "robots.txt"]
    profile = site / "content" / "profiles" / "anna-kowalska.md"
    text = profile.read_text("utf-8")
    profile.write_text(text.replace("summary: ", "summary: Neu. ", 1), "utf-8")
    changed = RecordingWriter(site / "output")
    SiteBuild(_settings(site)).run(changed)
    assert "profiles/anna-kowalska/index.html" in changed.names
    assert "en/profiles/anna-kowalska/index.html" in changed.names
    assert len(changed.names) < 60  # not the whole site again


def test_a_problem_stops_the_build_before_the_writer_is_used(site):
    """read() raises ContentError with the file, line and field; run() writes nothing."""
    profile = site / "content" / "profiles" / "anna-kowalska.md"
    profile.write_text(profile.read_text("utf-8").replace("cities: [", "cities: [atlantis, ", 1), "utf-8")
    writer = RecordingWriter(site / "output")
    with pytest.raises(ContentError, match=r"anna-kowalska\.md:\d+: cities\[0\]: unknown city 'atlantis'"):
        SiteBuild(_settings(site)).run(writer)
    assert writer.names == []
    assert not (site / "output").exists()


def test_two_builds_in_one_process_keep_their_own_settings(tmp_path):
    """No module globals: two sites built one after the other in one process each get their own address."""
    outputs = {}
    for name, siteurl in (("a", "https://a.example"), ("b", "https://b.example/cucon")):
        site = tmp_path / name
        shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
        SiteBuild(_settings(site, SITEURL=siteurl)).run(FileWriter(site / "output"))
        outputs[name] = (site / "output" / "sitemap.xml").read_text("utf-8")
    assert "https://a.example/" in outputs["a"]
    assert "b.example" not in outputs["a"]
    assert "https://b.example/cucon/" in outputs["b"]
    assert "a.example" not in outputs["b"]


@pytest.mark.parametrize(
    ("name", "refusal"),
    [
        ("../outside.html", "outside the output folder"),
        ("/etc/passwd", "outside the output folder"),
        ("a/../../outside.html", "outside the output folder"),
    ],
)
def test_the_file_writer_never_writes_outside_its_folder(tmp_path, name, refusal):
    """A name from a broken plan can never place a file outside output/."""
    with pytest.raises(ValueError, match=refusal):
        FileWriter(tmp_path / "output").write(name, b"x")
    assert not (tmp_path / "outside.html").exists()


def test_the_file_writer_refuses_a_file_written_twice(tmp_path):
    """Two outputs that claim one file are a bug to report, not a page to overwrite silently."""
    writer = FileWriter(tmp_path)
    writer.write("index.html", b"first")
    with pytest.raises(RuntimeError, match="written twice"):
        writer.write("index.html", b"second")
    assert (tmp_path / "index.html").read_bytes() == b"first"
