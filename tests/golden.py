"""The golden site: the fixture site built with a fixed clock, stored to diff every build against.

Regenerate after an intended change of output with ``make golden`` (``python tests/golden.py``).
"""

import logging
import shutil
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
FIXTURE_SITE = TESTS / "fixtures" / "site"
GOLDEN = TESTS / "golden"
BUILD_TIME = "2026-11-27T12:00:00+00:00"

logger = logging.getLogger("golden")


def build_fixture_site(output: Path) -> subprocess.CompletedProcess:
    """Build the fixture site into ``output`` with the repo's settings and a fixed clock."""
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pelican",
            str(FIXTURE_SITE / "content"),
            "-s",
            str(REPO / "pelicanconf.py"),
            "-o",
            str(output),
            "--fatal",
            "warnings",
            "-e",
            f'CUCON_BUILD_TIME="{BUILD_TIME}"',
            "-e",
            "CUCON_SAMPLE_DATES_ANCHOR=null",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder by relative path, with its bytes."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def regenerate() -> None:
    """Rebuild the golden site from the fixture site."""
    if GOLDEN.exists():
        shutil.rmtree(GOLDEN)
    result = build_fixture_site(GOLDEN)
    if result.returncode != 0:
        raise SystemExit(result.stdout + result.stderr)
    logger.info("wrote %d files to %s", len(tree(GOLDEN)), GOLDEN)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    regenerate()
