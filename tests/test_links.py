"""The built sample network has no broken internal link or anchor, and loads nothing from other hosts."""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import pytest

pytestmark = pytest.mark.content
"""What content can break: make test-content runs this module on content-only pull requests."""

URL_ATTRIBUTES = {"href", "src", "srcset", "poster", "xlink:href"}
"""Attributes whose values are URLs the site links to or loads (srcset holds several)."""

LOADING_TAGS = {
    "link",
    "script",
    "img",
    "iframe",
    "source",
    "video",
    "audio",
    "track",
    "embed",
    "image",
    "use",
}
"""Elements whose URLs the browser fetches by itself: these must never name another host."""

CSS_URL = re.compile(r"""url\(\s*(['"]?)(.*?)\1\s*\)|@import\s+(['"])(.*?)\3""")
SVG_ID = re.compile(r"""\bid\s*=\s*(['"])(.*?)\1""")


@dataclass
class Reference:
    """One URL in a page: where it stands, and the element and attribute that hold it."""

    line: int
    tag: str
    attribute: str
    value: str
    rel: str = ""

    def __str__(self) -> str:
        """The element as it stands in the page, reduced to the URL (and rel, for <link>)."""
        rel = f' rel="{self.rel}"' if self.rel else ""
        return f'<{self.tag}{rel} {self.attribute}="{self.value}">'


@dataclass
class Page:
    """What the link checks need of one HTML file: its anchors and the URLs it references."""

    ids: set[str] = field(default_factory=set)
    references: list[Reference] = field(default_factory=list)


class PageParser(HTMLParser):
    """Collects the ids (and ``<a name>``) and the URL attributes of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Record the element's anchors and URLs."""
        line = self.getpos()[0]
        rel = (dict(attrs).get("rel") or "") if tag == "link" else ""
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag == "a"):
                self.page.ids.add(value)
            elif name == "srcset":
                for candidate in value.split(","):
                    if candidate.strip():
                        url = candidate.split()[0]
                        self.page.references.append(Reference(line, tag, name, url, rel))
            elif name in URL_ATTRIBUTES:
                self.page.references.append(Reference(line, tag, name, value.strip(), rel))

    handle_startendtag = handle_starttag


def _parse(path: Path) -> Page:
    """Parse one HTML file."""
    parser = PageParser()
    parser.feed(path.read_text("utf-8"))
    parser.close()
    return parser.page


def _url_of(relative: str) -> str:
    """The URL path under which a file of output/ is served.

    >>> _url_of("en/calls/index.html"), _url_of("index.html"), _url_of("404.html")
    ('/en/calls/', '/', '/404.html')
    """
    url = "/" + relative
    return url.removesuffix("index.html") if url.endswith("/index.html") else url


def _is_external(value: str) -> bool:
    """Whether a URL names another host (or scheme) rather than a file of this site.

    >>> [_is_external(v) for v in ("/a/", "b.css", "#x", "//cdn.example/x.js", "https://x.org/", "mailto:a@b")]
    [False, False, False, True, True, True]
    """
    parts = urlsplit(value)
    return bool(parts.scheme or parts.netloc)


@dataclass
class Site:
    """The built sample network: every HTML page by URL, and the root folder."""

    root: Path
    pages: dict[str, Page]

    def target(self, url: str) -> Path | None:
        """The file a same-site URL path serves, as a static host would; None if there is none."""
        path = posixpath.normpath(unquote(url))
        if url.endswith("/") and path != "/":
            path += "/"
        if ".." in path.split("/"):
            return None
        candidate = self.root / path.lstrip("/")
        if path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        return candidate if candidate.is_file() else None

    def anchors(self, file: Path) -> set[str] | None:
        """The ids a fragment may point at in a file; None for a file type whose anchors are not checked."""
        relative = file.relative_to(self.root).as_posix()
        if file.suffix == ".html":
            return self.pages[_url_of(relative)].ids
        if file.suffix == ".svg":
            return {m.group(2) for m in SVG_ID.finditer(file.read_text("utf-8"))}
        return None


@pytest.fixture(scope="module")
def site(sample_site_output: Path) -> Site:
    """Every page of the sample build parsed once, shared by the link checks of this module."""
    root = sample_site_output.resolve()
    pages = {_url_of(p.relative_to(root).as_posix()): _parse(p) for p in sorted(root.rglob("*.html"))}
    assert len(pages) > 100, f"only {len(pages)} HTML pages in the sample build"
    return Site(root, pages)


def _report(problems: dict[str, list[str]]) -> str:
    """Problems one per entry, each with up to five of the places that have it."""
    lines = []
    for problem, where in sorted(problems.items()):
        lines.append(f"- {problem}")
        lines += [f"    {place}" for place in where[:5]]
        if len(where) > 5:
            lines.append(f"    … and {len(where) - 5} more")
    return "\n".join(lines)


def test_internal_links_and_anchors_resolve(site: Site):
    """Every same-site href/src points at a built file, and every #fragment at an id on that page."""
    broken: dict[str, list[str]] = defaultdict(list)
    for url, page in site.pages.items():
        for ref in page.references:
            if _is_external(ref.value):
                continue
            target_url = urljoin(url, ref.value)
            parts = urlsplit(target_url)
            source = f"{url}:{ref.line}"
            shown = str(ref)
            target = site.target(parts.path)
            if target is None:
                broken[f"{shown}: no file for {parts.path}"].append(source)
                continue
            fragment = unquote(parts.fragment)
            anchors = site.anchors(target) if fragment else None
            if anchors is not None and fragment not in anchors:
                broken[f"{shown}: no id “{fragment}” on {parts.path}"].append(source)
    assert not broken, f"{len(broken)} broken internal links or anchors:\n{_report(broken)}"


def test_pages_load_nothing_from_other_hosts(site: Site):
    """No <link>, <script>, <img>, <iframe>, <source> (or other loading element) names another host."""
    external: dict[str, list[str]] = defaultdict(list)
    for url, page in site.pages.items():
        for ref in page.references:
            if ref.tag in LOADING_TAGS and _is_external(ref.value) and not ref.value.startswith("data:"):
                parts = urlsplit(ref.value)
                rel = f' rel="{ref.rel}"' if ref.rel else ""
                where = f"{parts.scheme}://{parts.netloc}" if parts.netloc else f"{parts.scheme}:"
                external[f"<{ref.tag}{rel} {ref.attribute}> to {where}"].append(
                    f"{url}:{ref.line} {ref.value}"
                )
    kinds = "<link>, <script>, <img>, <iframe> or <source> URLs"
    assert not external, f"{len(external)} kinds of {kinds} name another host:\n{_report(external)}"


def test_stylesheets_reference_only_files_of_the_site(site: Site):
    """Every url() and @import in the built CSS is a file of the site, never another host."""
    problems: dict[str, list[str]] = defaultdict(list)
    stylesheets = sorted(site.root.rglob("*.css"))
    assert stylesheets, "the sample build has no stylesheet"
    for css in stylesheets:
        css_url = _url_of(css.relative_to(site.root).as_posix())
        text = css.read_text("utf-8")
        for match in CSS_URL.finditer(text):
            value = (match.group(2) or match.group(4) or "").strip()
            line = text.count("\n", 0, match.start()) + 1
            if not value or value.startswith(("data:", "#")):
                continue
            if _is_external(value):
                problems[f"{value}: another host"].append(f"{css_url}:{line}")
            elif site.target(urlsplit(urljoin(css_url, value)).path) is None:
                problems[f"{value}: no such file"].append(f"{css_url}:{line}")
    assert not problems, f"{len(problems)} bad references in stylesheets:\n{_report(problems)}"
