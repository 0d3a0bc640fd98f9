"""Property: whatever `cucon check` passes, the build's renderer renders within the build's budget.

Hypothesis writes the fixture site's news item with adversarial bodies and front matter up to the
size caps. Each example runs in this process through `cucon check`'s validator, :func:`load_site`
(which renders every body within the check's budget, in forked workers). Whenever it passes, the
build's steps must succeed: :func:`build_listings` on the rendered HTML, and the build's render (the
same workers with :data:`BUILD_ALLOWANCE`) giving the HTML that :func:`render_markdown` gives. The examples are derandomised: the suite stays
deterministic. tests/test_bad_input.py runs the named attacks through real `cucon check` and builds.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from support import BUILD_TIME, FIXTURE_SITE

from cucon.checks import load_site
from cucon.content import MAX_MARKDOWN_BYTES, Site
from cucon.markup import BUILD_ALLOWANCE, render_bodies, render_markdown
from cucon.views import build_listings

NEWS = (FIXTURE_SITE / "content/news/concert.md").read_text("utf-8")
FRONT, _, _ = NEWS.rpartition("---\n")
"""The fixture's valid news front matter, without its closing line."""

ADVERSARIAL = "[]()*_\\`>-:#\n!<&|~^ a1"
"""The characters Markdown and HTML give meaning to, and a few that they don't."""

UNITS = [
    ">",
    "> ",
    "- ",
    "1. ",
    "  - x\n",
    "*",
    "_",
    "**a",
    "[",
    "](x)",
    "![",
    "`",
    "<",
    "<a",
    "<b>",
    "<div>",
    "<ul>",
    "</b>",
    "&",
    "&#",
    "a\n: b\n",
    "|a",
    "|-",
    "[^1]",
    "[^1]: x\n",
    "[x]: https://e.example/\n",
    "~~",
    "\\",
    "#",
    "\n",
    "    ",
    "[a](%7Bfilename%7Dx.md)",
    "[a](&#123;filename&#125;x.md)",
    "[a]({filename}../pages/about.md)",
]
"""Pieces whose repetition nests, opens or references: what pathological bodies are made of."""

runs = st.builds(
    lambda unit, count: unit * count,
    st.sampled_from(UNITS),
    st.integers(min_value=0, max_value=MAX_MARKDOWN_BYTES // 2),
)
"""One piece repeated up to the file cap (a string of its length costs nothing to build)."""

bodies = st.lists(st.one_of(st.text(ADVERSARIAL, max_size=400), runs), min_size=1, max_size=4).map("".join)

aliases = st.builds(
    lambda depth, width: "".join(
        f"x{level}: &x{level} [" + ", ".join([f"*x{level - 1}" if level else "lol"] * width) + "]\n"
        for level in range(depth)
    ),
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=12),
)
"""Front-matter lines with anchors and nested aliases: a "billion laughs" at the larger sizes."""

nested = st.builds(
    lambda pair, count: f"x: {pair[0] * count}{pair[1] * count}\n",
    st.sampled_from([("[", "]"), ("{a: ", "}")]),
    st.integers(min_value=1, max_value=5000),
)
"""A front-matter line nested ``count`` flow sequences deep."""

front_matter = st.one_of(aliases, nested, st.text(ADVERSARIAL, max_size=200))


@pytest.fixture(scope="module")
def content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A private copy of the fixture site's content: each example rewrites its news item."""
    folder = tmp_path_factory.mktemp("check-renders") / "content"
    shutil.copytree(FIXTURE_SITE / "content", folder)
    return folder


def check_one(content: Path, text: str) -> tuple[Site | None, dict[str, str], list]:
    """`cucon check`'s validator on the fixture site with the news item replaced: the site, or its problems."""
    (content / "news/concert.md").write_text(text, "utf-8")
    rendered: dict[str, str] = {}
    site = load_site(content, rendered=rendered)
    return (None, rendered, site.problems) if site.problems else (site, rendered, [])


SETTINGS = settings(
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def news_file(extra: str, body: str) -> str:
    """The fixture's news item with more front-matter lines and another body, cut at the file cap."""
    text = FRONT.replace("lang: de\n", f"lang: de\n{extra}") + "---\n" + body
    return text.encode()[:MAX_MARKDOWN_BYTES].decode("utf-8", "ignore")


def assert_rendered_by_the_build(content: Path, text: str) -> None:
    """Check one file; if the check passes it, the build reads it and renders its body within the build's budget."""
    site, rendered, problems = check_one(content, text)
    if site is None:
        assert problems, "a refused file names its problem"
        event(f"refused: {problems[0].field}")
        return
    event("passed, and rendered by the build")
    item = site.news["concert"]
    build_listings(site, BUILD_TIME, None, rendered)  # the build's use of the HTML: links resolved
    assert render_bodies([item.body], allowance=BUILD_ALLOWANCE) == [render_markdown(item.body)]
    assert rendered.get(item.digest, "") == render_markdown(item.body)


@settings(SETTINGS, max_examples=60)
@given(body=bodies)
@example(body="a\n: b\n" * 700)
@example(body="[" * 250_000)
@example(body=">" * 100 + " x")
@example(body="[^1]: x\n\n" + "[^1]" * 20_000)
@example(body="[a](%7Bfilename%7Dx.md) [b](&#123;filename&#125;../pages/about.md)")
def test_what_the_check_passes_the_build_renders_within_budget(content, body):
    """A body the check passes is rendered by the build within its budget, to the renderer's HTML."""
    assert_rendered_by_the_build(content, news_file("", body))


@settings(SETTINGS, max_examples=30)
@given(extra=front_matter)
@example(extra="a: &a [lol, lol]\nb: [*a, *a]\n")
def test_front_matter_with_aliases_is_refused_and_any_other_renders(content, extra):
    """Anchors and aliases are refused whatever they build; a front matter the check passes builds."""
    text = news_file(extra, "Ein *Konzert*.\n")
    if extra.startswith(("x0: &x0", "a: &a")):
        site, _, problems = check_one(content, text)
        assert site is None
        assert [p.code for p in problems] == ["yaml-anchors"]
    assert_rendered_by_the_build(content, text)
