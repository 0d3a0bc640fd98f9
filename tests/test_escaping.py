"""Nothing a contributor writes runs in a visitor's browser: fields are escaped, bodies sanitised."""

import re
import shutil
from pathlib import Path

import pytest
from support import FIXTURE_SITE, InProcessBuild, build_in_process

HOSTILE_BODY = """Hello from Anna.

<script>alert("body")</script>
<img src=x onerror=alert(1)>
<iframe src="https://evil.example/"></iframe>

[click](javascript:alert(1)) and [again](JaVaScRiPt&#58;alert(2))

<a href="https://ok.example/" onclick="alert(3)" style="color:red">fine link</a>

Text after.
"""


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> tuple[Path, InProcessBuild]:
    """The fixture site with a profile whose fields and body try to inject markup and script, built once
    in process; the tests only read its output."""
    site = tmp_path_factory.mktemp("hostile") / "site"
    shutil.copytree(FIXTURE_SITE, site, ignore=shutil.ignore_patterns("output", "__pycache__"))
    path = site / "content" / "profiles" / "anna-kowalska.md"
    text = path.read_text("utf-8")
    text = text.replace("name: Anna Kowalska", "name: 'Anna <script>alert(\"name\")</script>'")
    text = text.replace(
        "summary: Geigerin zwischen Hannover und Leipzig.",
        "summary: '\"><img src=x onerror=alert(1)> Geigerin'",
    )
    head, _, _ = text.rpartition("---\n")
    path.write_text(head + "---\n" + HOSTILE_BODY, "utf-8")
    return site, build_in_process(site)


@pytest.mark.parametrize(
    "page", ["profiles/anna-kowalska/index.html", "en/profiles/anna-kowalska/index.html"]
)
def test_hostile_profile_builds_with_markup_removed_and_text_kept(hostile_build, page):
    """Script, event handlers, frames and javascript: links are gone; the words remain."""
    site, result = hostile_build
    assert result.returncode == 0, result.log
    html = (site / "output" / page).read_text("utf-8")
    main = html[html.index("<main") : html.index("</main>")]
    assert "<script" not in main
    assert "onerror" not in main.replace("onerror=alert(1)&gt;", "")
    assert re.search(r"<img[^>]*onerror", main) is None
    assert "<iframe" not in main
    assert "javascript:" not in main.lower()
    assert "onclick" not in main
    assert "style=" not in main
    assert "&lt;script&gt;" in main  # the name is shown as text
    assert "Hello from Anna." in main
    assert "Text after." in main
    assert 'href="https://ok.example/"' in main
    assert "fine link" in main


def test_hostile_title_is_escaped_in_head(hostile_build):
    """The <title> and meta description carry the hostile values as text only."""
    site, _ = hostile_build
    html = (site / "output" / "profiles" / "anna-kowalska" / "index.html").read_text("utf-8")
    head = html[: html.index("</head>")]
    assert "<script" not in head
    assert "&#34;&gt;&lt;img" in head or "&quot;&gt;&lt;img" in head
