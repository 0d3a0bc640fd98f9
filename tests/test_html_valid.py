"""Every page of the built sample network is valid HTML, by the Nu HTML Checker (vnu)."""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from support import REPO, run

pytestmark = pytest.mark.content
"""What content can break: make test-content runs this module on content-only pull requests."""

VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
TIMEOUT = 600

logger = logging.getLogger(__name__)


def _relative(url: str, root: Path) -> str:
    """A ``file:`` URL of vnu's report as a path relative to the output folder.

    >>> _relative("file:/tmp/out/en/calls/index.html", Path("/tmp/out"))
    'en/calls/index.html'
    """
    path = Path(unquote(urlsplit(url).path))
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


def _format(messages: list[dict], root: Path) -> str:
    """vnu's messages as ``file:line:column: message`` lines, by file and position."""
    found = []
    for message in messages:
        where = _relative(message.get("url", "?"), root)
        line = message.get("lastLine", message.get("firstLine", 0))
        column = message.get("firstColumn", message.get("lastColumn", 0))
        found.append((where, line, column, message.get("message", str(message))))
    return "\n".join(f"{where}:{line}:{column}: {text}" for where, line, column, text in sorted(found))


def test_every_page_is_valid_html(sample_site_output: Path):
    """vnu reports no error on any HTML page of the sample (one run over all files, warnings ignored)."""
    java = shutil.which("java")
    assert java, "no `java` on PATH: install a Java runtime (apt-get install default-jre-headless)"
    assert VNU.is_file(), f"{VNU} is missing: run `make setup-test` (npm ci)"
    root = sample_site_output.resolve()
    pages = sorted(p.relative_to(root).as_posix() for p in root.rglob("*.html"))
    assert len(pages) > 100, f"only {len(pages)} HTML pages in the sample build"
    command = [java, "-jar", VNU, "--errors-only", "--skip-non-html", "--verbose", "--format", "json", *pages]
    result = run(command, root, timeout=TIMEOUT)
    checked = set(result.stdout.split())
    try:
        report = json.loads(result.stderr)
    except ValueError:
        pytest.fail(f"vnu gave no JSON report (exit {result.returncode}):\n{result.stderr[-3000:]}")
    logger.info("vnu %s checked %d of %d pages", report.get("version"), len(checked), len(pages))
    messages = [m for m in report["messages"] if m.get("type") != "info"]
    assert not messages, f"vnu found {len(messages)} errors:\n{_format(messages, root)}"
    assert checked == set(pages), f"vnu did not check: {sorted(set(pages) - checked)}"
    assert result.returncode == 0, result.stderr
