"""Shared helpers and fixtures: real Pelican builds of the small fixture site, and the cucon command."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURE_SITE = REPO / "tests" / "fixtures" / "site"
BUILD_TIME = "2026-11-27T12:00:00+00:00"
BUILD_SETTINGS = {"CUCON_BUILD_TIME": f'"{BUILD_TIME}"', "CUCON_SAMPLE_DATES_ANCHOR": "null"}
"""Settings every test build overrides: a fixed clock, and no moving sample dates."""

TIMEOUT = 120


def _split_overrides(args: tuple[str, ...]) -> tuple[list[str], dict[str, str]]:
    """Separate ``-e KEY=VALUE …`` from other Pelican arguments (Pelican keeps only the last ``-e``)."""
    rest: list[str] = []
    overrides: dict[str, str] = {}
    collecting = False
    for arg in args:
        if arg in ("-e", "--extra-settings"):
            collecting = True
        elif collecting and "=" in arg and not arg.startswith("-"):
            key, value = arg.split("=", 1)
            overrides[key] = value
        else:
            collecting = False
            rest.append(arg)
    return rest, overrides


def run_build(site_dir: Path, *extra_args: str) -> subprocess.CompletedProcess:
    """Build ``site_dir/content`` into ``site_dir/output`` with real Pelican in a fresh process."""
    # A fresh interpreter per build: Pelican's signals are process-global. Pelican resolves the
    # relative THEME and PLUGIN_PATHS of pelicanconf.py against that file's folder, not the working
    # directory, so the build runs in site_dir and reports paths like content/profiles/x.md.
    # extra_args may add Pelican options; their -e overrides are merged into one -e with (and win
    # over) BUILD_SETTINGS, because a second -e flag would silently replace the first.
    rest, overrides = _split_overrides(extra_args)
    settings = {**BUILD_SETTINGS, **overrides}
    command = [
        sys.executable, "-m", "pelican", "content",
        "-s", str(REPO / "pelicanconf.py"),
        "-o", "output",
        "--fatal", "warnings",
        "--log-handler", "plain",
        *rest,
        "-e", *(f"{key}={value}" for key, value in settings.items()),
    ]  # fmt: skip
    return subprocess.run(
        command, cwd=site_dir, capture_output=True, text=True, check=False, timeout=TIMEOUT, env=_env()
    )


def run_cucon(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """Run the ``cucon`` command in a fresh process in ``cwd``."""
    return subprocess.run(
        [sys.executable, "-m", "cucon.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
        timeout=TIMEOUT,
        env=_env(),
    )


def _env() -> dict[str, str]:
    """The environment of a child process: no terminal tricks, no clock from outside."""
    env = {k: v for k, v in os.environ.items() if k != "SOURCE_DATE_EPOCH"}
    return env | {"NO_COLOR": "1", "COLUMNS": "200", "PYTHONIOENCODING": "utf-8"}


def output_of(result: subprocess.CompletedProcess) -> str:
    """Everything a finished process printed, stdout then stderr."""
    return result.stdout + result.stderr


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder by relative path, with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


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


SAMPLE_BUILD_SETTINGS = {"CUCON_BUILD_TIME": f'"{BUILD_TIME}"'}
"""Overrides of the sample build: only the clock; the sample dates stay anchored as in pelicanconf.py."""


@pytest.fixture(scope="session")
def sample_site_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample network of content/ built once per session, for the browser, link and HTML validity tests."""
    # Built as `make html` does (the repo's pelicanconf.py, SITEURL ""), but into a temporary folder
    # so the tests never read a stale output/. All overrides go into one -e: Pelican keeps the last.
    output = tmp_path_factory.mktemp("sample-site") / "output"
    command = [
        sys.executable, "-m", "pelican", "content",
        "-s", "pelicanconf.py",
        "-o", str(output),
        "--fatal", "warnings",
        "--log-handler", "plain",
        "-e", *(f"{key}={value}" for key, value in SAMPLE_BUILD_SETTINGS.items()),
    ]  # fmt: skip
    result = subprocess.run(
        command, cwd=REPO, capture_output=True, text=True, check=False, timeout=TIMEOUT, env=_env()
    )
    assert result.returncode == 0, output_of(result)
    assert (output / "index.html").is_file(), output_of(result)
    return output
