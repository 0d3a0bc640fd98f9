"""The fixtures the tests share: the small fixture site, built or not, and the built sample network.

The helpers they use (run_build, run_cucon, output_of, tree…) live in support.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from support import FIXTURE_SITE, output_of, run_build, run_sample_build


@pytest.fixture
def fixture_site(tmp_path: Path) -> Path:
    """A fresh copy of tests/fixtures/site, so a test can break or extend it without touching the original."""
    site = tmp_path / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    return site


@pytest.fixture(scope="session")
def built_fixture_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture site built once per session; tests copy it (see ``built_site``) rather than change it."""
    site = tmp_path_factory.mktemp("built") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    result = run_build(site)
    assert result.returncode == 0, output_of(result)
    assert (site / "output" / "index.html").is_file()
    return site


@pytest.fixture
def built_site(tmp_path: Path, built_fixture_site: Path) -> Path:
    """A private copy of the built fixture site, output/ included, to rebuild after breaking it."""
    site = tmp_path / "site"
    shutil.copytree(built_fixture_site, site)
    return site


@pytest.fixture(scope="session")
def sample_site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network of content/ built once per session, for the browser, link and HTML validity tests."""
    # Built into a temporary folder so the tests never read a stale output/.
    output = tmp_path_factory.mktemp("sample-site") / "output"
    result = run_sample_build(output)
    assert result.returncode == 0, output_of(result)
    assert (output / "index.html").is_file(), output_of(result)
    return output
