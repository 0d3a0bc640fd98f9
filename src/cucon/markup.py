"""Markdown from contributors, rendered to HTML that can never run in a visitor's browser."""

from __future__ import annotations

import re

import markdown
import nh3

ALLOWED_TAGS = frozenset(
    [
        "a",
        "abbr",
        "b",
        "blockquote",
        "br",
        "code",
        "dd",
        "del",
        "dl",
        "dt",
        "em",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "hr",
        "i",
        "ins",
        "kbd",
        "li",
        "mark",
        "ol",
        "p",
        "pre",
        "q",
        "s",
        "small",
        "strong",
        "sub",
        "sup",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "u",
        "ul",
    ]
)
"""Tags a body may contain: text structure only; no images, scripts, frames, forms or styles."""

ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "abbr": {"title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "*": {"lang", "dir"},
}

URL_SCHEMES = frozenset({"https", "mailto"})

MARKDOWN_EXTENSIONS = ["extra", "sane_lists", "smarty"]

H1_TAG = re.compile(r"<(/?)h1\b", re.I)

INTERNAL_LINK = re.compile(r'href="\{filename\}([^"#]*)(#[^"]*)?"')
"""A link to another content file, Pelican style: ``[About]({filename}about.md)``."""


def internal_targets(html: str) -> list[str]:
    """The content files a rendered body links to with ``{filename}``.

    >>> internal_targets('<a href="{filename}../pages/about.md#team">x</a>')
    ['../pages/about.md']
    """
    return [match.group(1) for match in INTERNAL_LINK.finditer(html)]


def resolve_internal_links(html: str, url_of) -> str:
    """Replace each ``{filename}path`` link with the URL ``url_of(path)`` returns."""
    return INTERNAL_LINK.sub(lambda m: f'href="{url_of(m.group(1))}{m.group(2) or ""}"', html)


def render_markdown(text: str) -> str:
    """Render a Markdown body and keep only safe HTML.

    >>> render_markdown("Hi <script>alert(1)</script>[x](javascript:alert(1))")
    '<p>Hi <a rel="noopener noreferrer nofollow">x</a></p>'
    >>> render_markdown("# Title")
    '<h2>Title</h2>'
    """
    html = markdown.markdown(text, extensions=MARKDOWN_EXTENSIONS, output_format="html")
    # The page title is the page's only h1; a body's top headings become h2.
    html = H1_TAG.sub(r"<\1h2", html)
    return sanitise(html)


def sanitise(html: str) -> str:
    """Strip every tag, attribute and URL scheme outside the allow-lists."""
    cleaned = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        clean_content_tags={"script", "style", "iframe", "object", "embed", "template"},
        attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
        url_schemes=set(URL_SCHEMES),
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )
    return cleaned.strip()
