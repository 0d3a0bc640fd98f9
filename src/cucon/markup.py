"""Markdown from contributors, rendered to HTML that can never run in a visitor's browser.

The renderer is GitHub's cmark-gfm (the ``cmarkgfm`` package): CommonMark with tables,
strikethrough, footnotes and smart punctuation, in linear time on any input. Raw HTML is
passed through to nh3, whose allow-lists decide what reaches a page.
"""

from __future__ import annotations

import ctypes
import logging
import math
import os
import pickle
import re
import resource
import selectors
import signal
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

import nh3
from cmarkgfm import _cmark, cmark
from cmarkgfm.cmark import Options

from cucon.problems import english

logger = logging.getLogger(__name__)

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

CMARK_OPTIONS = (
    Options.CMARK_OPT_SMART
    | Options.CMARK_OPT_FOOTNOTES
    | Options.CMARK_OPT_VALIDATE_UTF8
    # Raw HTML is kept for nh3 to judge, so the allow-listed tags (abbr, kbd, sub …) still work.
    | Options.CMARK_OPT_UNSAFE
)
CMARK_EXTENSIONS = ("table", "strikethrough")


class _Allocator(ctypes.Structure):
    """cmark's ``cmark_mem``: the allocator whose ``free`` releases what cmark returns."""

    _fields_ = [
        ("calloc", ctypes.c_void_p),
        ("realloc", ctypes.c_void_p),
        ("free", ctypes.CFUNCTYPE(None, ctypes.c_void_p)),
    ]


# cmarkgfm's own wrappers never free the document tree or the HTML they get from cmark (about
# 100 KB per body); the same library's cmark_node_free and allocator release them here.
_LIBRARY = ctypes.CDLL(_cmark.__file__)
_LIBRARY.cmark_node_free.argtypes = [ctypes.c_void_p]
_LIBRARY.cmark_node_free.restype = None
_LIBRARY.cmark_get_default_mem_allocator.restype = ctypes.POINTER(_Allocator)
_FREE = _LIBRARY.cmark_get_default_mem_allocator().contents.free
cmark.core_extensions_ensure_registered()
_EXTENSIONS = [cmark.find_syntax_extension(name) for name in CMARK_EXTENSIONS]


def _address(pointer) -> int:
    """A cffi pointer as the integer ctypes takes."""
    return int(_cmark.ffi.cast("uintptr_t", pointer))


def commonmark_html(text: str) -> str:
    """Markdown to HTML with cmark-gfm, unsanitised; every C allocation is released.

    >>> commonmark_html("*Hi* -- 'you'")
    '<p><em>Hi</em> – ‘you’</p>\\n'
    """
    lib = _cmark.lib
    parser = lib.cmark_parser_new(CMARK_OPTIONS)
    try:
        for extension in _EXTENSIONS:
            lib.cmark_parser_attach_syntax_extension(parser, extension)
        data = text.encode("utf-8", "surrogatepass")
        lib.cmark_parser_feed(parser, data, len(data))
        root = lib.cmark_parser_finish(parser)
        try:
            html = lib.cmark_render_html(root, CMARK_OPTIONS, lib.cmark_parser_get_syntax_extensions(parser))
            try:
                return _cmark.ffi.string(html).decode("utf-8", "replace")
            finally:
                _FREE(_address(html))
        finally:
            _LIBRARY.cmark_node_free(_address(root))
    finally:
        lib.cmark_parser_free(parser)


H1_TAG = re.compile(r"<(/?)h1\b", re.I)

ENCODED_FILENAME = 'href="%7Bfilename%7D'
"""cmark percent-encodes the braces of a ``{filename}`` link's destination."""

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
    >>> render_markdown("[About]({filename}../pages/about.md#team)")
    '<p><a href="{filename}../pages/about.md#team" rel="noopener noreferrer nofollow">About</a></p>'
    """
    html = commonmark_html(text).replace(ENCODED_FILENAME, 'href="{filename}')
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


RENDER_SECONDS = 0.5
"""The CPU time every body may take to render, on top of :data:`RENDER_SECONDS_PER_MIB`."""
RENDER_SECONDS_PER_MIB = 2.0
"""More CPU time in proportion to the body's size: a body at the 256 KiB cap may take 1 s."""
BUILD_ALLOWANCE = 4
"""The build allows this many times the check's time budget, so that what the check passed on a busy
machine is never refused by the build on another."""
RENDER_MEMORY = 512 * 2**20
"""The memory (address space) a render may add to the process."""
RENDER_OUTPUT_FACTOR = 8
"""A body's HTML may be at most this many times its size (plus 64 KiB): tables and escapes stay well
below, while thousands of references to one footnote would multiply the page."""
MAX_NESTING = 32
"""How deep a body's HTML may nest elements: every later step (pages, feeds, the search index)
then stays linear in its size."""
RENDER_WALL_FACTOR = 20
"""A render worker that sends nothing for this many times a body's budget in wall time is stopped."""


def render_budget(text: str, allowance: float = 1) -> float:
    """The CPU seconds a body may take to render: a base plus an amount in proportion to its size.

    >>> render_budget(""), render_budget("x" * 256 * 1024), render_budget("", BUILD_ALLOWANCE)
    (0.5, 1.0, 2.0)
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    return allowance * (RENDER_SECONDS + RENDER_SECONDS_PER_MIB * size / 2**20)


@dataclass(frozen=True)
class OverBudget:
    """A body that could not be rendered within its budget: why, as a problem code and its values."""

    code: str
    values: dict = field(default_factory=dict)

    @property
    def message(self) -> str:
        """Why, in plain English words."""
        return english(self.code, self.values)


def _over_time(text: str, allowance: float) -> OverBudget:
    return OverBudget("render-too-slow", {"seconds": render_budget(text, allowance)})


OVER_MEMORY = OverBudget("render-too-much-memory", {"megabytes": RENDER_MEMORY // 2**20})

_TAG = re.compile(r'<(/?)([a-zA-Z][a-zA-Z0-9]*)(?:[^>"]|"[^"]*")*>')
"""A whole tag of serialised HTML: a ``<`` inside a quoted attribute value is not a tag."""
_VOID = frozenset({"br", "hr"})


def nesting(html: str) -> int:
    """How deep the elements of sanitised (well-formed) HTML nest.

    >>> nesting("<p>a<br>b</p><ul><li><em>x</em></li></ul>"), nesting('<abbr title="<b><b>">x</abbr>')
    (3, 1)
    """
    depth = deepest = 0
    for match in _TAG.finditer(html):
        if match.group(2).lower() in _VOID:
            continue
        depth += -1 if match.group(1) else 1
        deepest = max(deepest, depth)
    return deepest


def over_budget(text: str, html: str) -> OverBudget | None:
    """Why a body's HTML is too large or nests too deep for the pages; None if it fits.

    >>> over_budget("x", "<p>x</p>") is None
    True
    >>> over_budget("x", "<b>" * 40 + "</b>" * 40).message
    'nests its markup 40 levels deep, more than 32; ...'
    """
    size = len(text.encode("utf-8", "surrogatepass"))
    if len(html.encode()) > RENDER_OUTPUT_FACTOR * size + 2**16:
        return OverBudget("render-too-large", {"size": len(html.encode()), "factor": RENDER_OUTPUT_FACTOR})
    depth = nesting(html)
    if depth > MAX_NESTING:
        return OverBudget("render-too-deep", {"depth": depth, "limit": MAX_NESTING})
    return None


def render_bodies(bodies: Sequence[str], workers: int = 1, allowance: float = 1) -> list[str | OverBudget]:
    """Render every body with :func:`render_markdown` under its budget; the HTML, or why not.

    The bodies are rendered in forked worker processes, each body under a CPU-time limit
    (:func:`render_budget` times ``allowance``) and the workers under an address-space limit
    (:data:`RENDER_MEMORY`): a body over either is stopped and reported, and a new worker renders
    the rest. A body whose HTML is too large or nests too deep (:func:`over_budget`) is reported too.

    >>> render_bodies(["*a*", "b"])
    ['<p><em>a</em></p>', '<p>b</p>']
    """
    results: list[str | OverBudget | None] = [None] * len(bodies)
    count = max(1, workers)
    running: dict[int, _Worker] = {}
    with selectors.DefaultSelector() as selector:

        def start(queue: list[int]) -> None:
            worker = _Worker.start(bodies, queue, allowance)
            running[worker.read] = worker
            selector.register(worker.read, selectors.EVENT_READ)

        for first in range(count):
            if first < len(bodies):
                start(list(range(first, len(bodies), count)))
        while running:
            soonest = min(worker.deadline(bodies) for worker in running.values())
            for key, _ in selector.select(max(0.0, soonest - time.monotonic())):
                for index, html in running[key.fd].receive():
                    results[index] = html
            for worker in list(running.values()):
                if worker.finished or time.monotonic() > worker.deadline(bodies):
                    selector.unregister(worker.read)
                    del running[worker.read]
                    rest = worker.stop(bodies, results)
                    if rest:
                        start(rest)
    return results  # type: ignore[return-value]


@dataclass
class _Worker:
    """A forked process that renders some bodies in turn and sends each result through a pipe."""

    pid: int
    read: int
    queue: list[int]
    allowance: float
    done: int = 0
    since: float = 0.0
    buffer: bytes = b""
    finished: bool = False

    @classmethod
    def start(cls, bodies: Sequence[str], queue: list[int], allowance: float) -> _Worker:
        """Fork a worker for the bodies at ``queue``'s indices."""
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker: render, send, and leave without clean-up
            os.close(read)
            try:
                _render_in_worker(bodies, queue, allowance, write)
            finally:
                os._exit(0)
        os.close(write)
        os.set_blocking(read, False)
        return cls(pid=pid, read=read, queue=queue, allowance=allowance, since=time.monotonic())

    def deadline(self, bodies: Sequence[str]) -> float:
        """When to give up on the body being rendered: nothing sent for many times its budget."""
        current = bodies[self.queue[self.done]] if self.done < len(self.queue) else ""
        return self.since + RENDER_WALL_FACTOR * render_budget(current, self.allowance)

    def receive(self) -> Iterator[tuple[int, str | OverBudget]]:
        """The results the worker has sent since the last call."""
        try:
            chunk = os.read(self.read, 1 << 20)
        except BlockingIOError:
            return
        if not chunk:
            self.finished = True
            return
        self.buffer += chunk
        self.since = time.monotonic()
        while len(self.buffer) >= 8:
            size = int.from_bytes(self.buffer[:8], "big")
            if len(self.buffer) < 8 + size:
                break
            index, html = pickle.loads(self.buffer[8 : 8 + size])
            self.buffer = self.buffer[8 + size :]
            self.done += 1
            yield index, html

    def stop(self, bodies: Sequence[str], results: list) -> list[int]:
        """End the worker; mark the body it stopped at as over budget; the indices still to render."""
        if not self.finished:
            os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.read)
        if self.done >= len(self.queue):
            return []
        index = self.queue[self.done]
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL)
        results[index] = _over_time(bodies[index], self.allowance) if killed else OVER_MEMORY
        return self.queue[self.done + 1 :]


def _render_in_worker(bodies: Sequence[str], queue: list[int], allowance: float, write: int) -> None:
    """In a worker: render each body under its CPU-time limit and the memory limit; send each result."""
    with os.fdopen(write, "wb") as stream:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        resource.setrlimit(resource.RLIMIT_AS, (_address_space() + RENDER_MEMORY, resource.RLIM_INFINITY))
        for index in queue:
            text = bodies[index]
            budget = render_budget(text, allowance)
            started = time.process_time()
            # The hard stop (SIGXCPU) counts whole seconds; the verdict below counts exactly.
            resource.setrlimit(resource.RLIMIT_CPU, (math.ceil(started + budget) + 1, resource.RLIM_INFINITY))
            try:
                html = render_markdown(text)
                result = over_budget(text, html) or html
            except MemoryError:
                result = OVER_MEMORY
            if time.process_time() - started > budget:
                result = _over_time(text, allowance)
            data = pickle.dumps((index, result), pickle.HIGHEST_PROTOCOL)
            stream.write(len(data).to_bytes(8, "big") + data)
            stream.flush()


def _address_space() -> int:
    """The bytes of address space this process uses now (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
