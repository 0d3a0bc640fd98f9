"""The render stage: the bodies rendered by the renderer before cmark-gfm and by cmark-gfm."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from benchmarks.images import ROUNDS
from cucon.frontmatter import FRONT_MATTER
from cucon.markup import H1_TAG, render_markdown, sanitise


def python_markdown_html(text: str) -> str:
    """A body rendered the way the build did before cmark-gfm: Python-Markdown, then nh3 alike."""
    import markdown

    html = markdown.markdown(text, extensions=["extra", "sane_lists", "smarty"], output_format="html")
    return sanitise(H1_TAG.sub(r"<\1h2", html))


RENDERERS = {"Python-Markdown": python_markdown_html, "cmark-gfm": render_markdown}
"""The render stage's renderer before the change, and the build's renderer now."""


def markdown_bodies(content: Path) -> list[str]:
    """The non-empty Markdown body of every content file below a folder, in a stable order."""
    bodies = []
    for path in sorted(content.rglob("*.md")):
        text = path.read_text("utf-8-sig")
        match = FRONT_MATTER.match(text)
        body = text[match.end() :] if match else ""
        if body.strip():
            bodies.append(body)
    return bodies


@dataclass
class RenderFigures:
    """Seconds of each renderer over the same bodies, on one core: the fastest of alternating rounds."""

    bodies: int
    characters: int
    seconds: dict[str, float]

    def per_thousand(self, renderer: str) -> float:
        """Seconds per 1,000 bodies."""
        return 1000 * self.seconds[renderer] / max(1, self.bodies)


def measure_render(bodies: list[str], rounds: int = ROUNDS) -> RenderFigures:
    """Render the same bodies with each renderer of :data:`RENDERERS`, alternating rounds."""
    best = dict.fromkeys(RENDERERS, float("inf"))
    for _ in range(rounds):
        for name, render in RENDERERS.items():
            started = time.perf_counter()
            for body in bodies:
                render(body)
            best[name] = min(best[name], time.perf_counter() - started)
    return RenderFigures(len(bodies), sum(map(len, bodies)), best)


def render_report(figures: RenderFigures) -> list[str]:
    """The lines of the report about the render stage before and after the renderer change.

    >>> print("\\n".join(render_report(RenderFigures(2000, 10**6, {"Python-Markdown": 4.0, "cmark-gfm": 0.5}))))
    render stage (2,000 Markdown bodies, 1,000,000 characters, one core, nh3 after each):
      before  Python-Markdown      2.000 s per 1,000 bodies
      now     cmark-gfm            0.250 s per 1,000 bodies  (8.0x faster)
    """
    before, now = (figures.per_thousand(name) for name in RENDERERS)
    speedup = before / now if now else float("nan")
    return [
        f"render stage ({figures.bodies:,} Markdown bodies, {figures.characters:,} characters, one core, "
        "nh3 after each):",
        f"  before  {'Python-Markdown':18} {before:7.3f} s per 1,000 bodies",
        f"  now     {'cmark-gfm':18} {now:7.3f} s per 1,000 bodies  ({speedup:.1f}x faster)",
    ]
