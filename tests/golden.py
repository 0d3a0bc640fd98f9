"""The golden site: the fixture site built with a fixed clock, stored to diff every build against.

Regenerate after an intended change of output with ``make golden`` (``python tests/golden.py``).
"""

import logging
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from support import FIXTURE_SITE, output_of, run_build, tree

GOLDEN = Path(__file__).resolve().parent / "golden"

logger = logging.getLogger("golden")


def build_fixture_copy(workdir: Path) -> Path:
    """Build a copy of the fixture site in ``workdir`` and return its output folder.

    Without the search index: Pagefind's files are not byte-stable from build to build
    (tests/test_search_index.py checks the index instead); the pages' search data is compared.
    """
    site = workdir / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    result = run_build(site, "-e", "CUCON_SEARCH_INDEX=false")
    if result.returncode != 0:
        raise RuntimeError(output_of(result))
    return site / "output"


def regenerate() -> None:
    """Rebuild the golden site from the fixture site."""
    with tempfile.TemporaryDirectory() as workdir:
        output = build_fixture_copy(Path(workdir))
        if GOLDEN.exists():
            shutil.rmtree(GOLDEN)
        shutil.copytree(output, GOLDEN)
    logger.info("wrote %d files to %s", len(tree(GOLDEN)), GOLDEN)


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    regenerate()
