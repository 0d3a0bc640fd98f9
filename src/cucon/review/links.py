"""The link check: the web links of content files, or those a pull request adds, checked and reported."""

from __future__ import annotations

import http.client
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from cucon import __version__
from cucon.catalog import bilingual
from cucon.inert import code
from cucon.review.markdown import markdown_table
from cucon.review.revisions import Revisions, parse_version, texts

logger = logging.getLogger(__name__)

URL_IN_TEXT = re.compile(r"https?://[^\s<>()\[\]{}\"'`]+")
RESERVED_TLDS = (".example", ".invalid", ".test", ".localhost")
"""Top-level domains that never resolve (RFC 2606, RFC 6761): sample addresses, not checked."""
USER_AGENT = f"CuCon-linkcheck/{__version__} (link check of the CuCon culture network, Hannover)"


def links_of(data: dict, body: str) -> list[tuple[str, str]]:
    """The web links of a content file as (field, address): links.*, website, apply, event.online, text.

    >>> links_of({"links": {"website": "https://a.example/", "other": ["https://b.example/x"]},
    ...           "apply": "mailto:x@y.example"}, "See https://c.example/page.")
    [('links.website', 'https://a.example/'), ('links.other', 'https://b.example/x'), ('text', 'https://c.example/page')]
    """
    found = []
    links = data.get("links")
    for key, value in links.items() if isinstance(links, dict) else ():
        found += [(f"links.{key}", url) for url in texts(value)]
    for key in ("website", "apply"):
        found += [(key, url) for url in texts(data.get(key))]
    event = data.get("event")
    if isinstance(event, dict):
        found += [("event.online", url) for url in texts(event.get("online"))]
    found += [("text", match.group(0).rstrip(".,;:!?*_")) for match in URL_IN_TEXT.finditer(body)]
    return [(name, url) for name, url in found if url.lower().startswith(("http://", "https://"))]


def is_reserved(url: str) -> bool:
    """True for addresses on a top-level domain that never resolves, such as ``.example``.

    >>> is_reserved("https://anna.example/"), is_reserved("https://example.org/"), is_reserved("http://127.0.0.1/")
    (True, False, False)
    """
    try:
        host = (urlsplit(url).hostname or "").rstrip(".")
    except ValueError:
        return False
    return host.endswith(RESERVED_TLDS)


@dataclass(frozen=True)
class LinkUse:
    """A link in a content file: the file, the field and the address."""

    path: str
    field: str
    url: str


@dataclass(frozen=True)
class LinkResult:
    """What one address answered: an HTTP status and reason, or why it could not be reached."""

    url: str
    status: int | None = None
    reason: str = ""
    error: str | None = None

    @property
    def ok(self) -> bool:
        """True when the address answered with a status below 400."""
        return self.error is None and self.status is not None and self.status < 400

    def describe(self) -> str:
        """The result in plain words.

        >>> LinkResult("u", 404, "Not Found").describe(), LinkResult("u", error="timed out").describe()
        ('HTTP 404 Not Found', 'nicht erreichbar / unreachable: timed out')
        """
        if self.error is not None:
            return f"{bilingual('links.unreachable')}: {self.error}"
        return f"HTTP {self.status} {self.reason}".rstrip()


class _SameMethodRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects with the method asked for, so a HEAD stays a HEAD."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        """The redirected request, with the original method."""
        request = super().redirect_request(req, fp, code, msg, headers, newurl)
        if request is not None:
            request.method = req.get_method()
        return request


_OPENER = urllib.request.build_opener(_SameMethodRedirects)


def _status(url: str, method: str, timeout: float) -> tuple[int, str]:
    """Send one request and return the status; the body is never read."""
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT, "Accept": "*/*"})
    with _OPENER.open(request, timeout=timeout) as response:
        return response.status, response.reason


def _reason(error: object) -> str:
    """An exception's message without ``[Errno 111]``."""
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


def check_url(url: str, timeout: float = 10.0) -> LinkResult:
    """Ask an address with HEAD, and once with GET when HEAD gets an error status; no other retries."""
    try:
        try:
            return LinkResult(url, *_status(url, "HEAD", timeout))
        except urllib.error.HTTPError as exc:
            exc.close()
            logger.debug("HEAD %s: %s; trying GET", url, exc.code)
        return LinkResult(url, *_status(url, "GET", timeout))
    except urllib.error.HTTPError as exc:
        exc.close()
        return LinkResult(url, exc.code, str(exc.reason or ""))
    except urllib.error.URLError as exc:
        return LinkResult(url, error=_reason(exc.reason))
    except (OSError, ValueError, http.client.HTTPException) as exc:
        return LinkResult(url, error=_reason(exc))


def check_links(urls: Iterable[str], timeout: float = 10.0, workers: int = 8) -> dict[str, LinkResult]:
    """Check each distinct address once, a few at a time."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return {}
    with ThreadPoolExecutor(max_workers=min(workers, len(unique))) as pool:
        return dict(zip(unique, pool.map(lambda url: check_url(url, timeout), unique), strict=True))


def links_in_files(paths: Iterable[Path]) -> Iterator[LinkUse]:
    """Every link in the given content files (and the .md and .yaml files in given folders)."""
    for given in paths:
        files = sorted(given.rglob("*")) if given.is_dir() else [given]
        for path in files:
            if path.suffix not in (".md", ".yaml", ".yml") or not path.is_file():
                continue
            version = parse_version(str(path), path.read_bytes())
            if version.error:
                logger.warning("%s: %s", path, version.error)
            for name, url in links_of(version.data, version.body):
                yield LinkUse(str(path), name, url)


def links_in_changes(revisions: Revisions, content: str = "content") -> Iterator[LinkUse]:
    """Links that the content files changed between two revisions add: new addresses only."""
    prefix = f"{content.strip('/')}/"
    changes = [
        c
        for c in revisions.changes()
        if c.status != "D" and c.path.startswith(prefix) and c.path.endswith((".md", ".yaml", ".yml"))
    ]
    head = revisions.read(revisions.head, [c.path for c in changes])
    base = revisions.read(revisions.base, [c.old_path for c in changes if c.old_path])
    for change in changes:
        new = parse_version(change.path, head.get(change.path))
        old = parse_version(change.old_path or "", base.get(change.old_path or ""))
        before = {url for _, url in links_of(old.data, old.body)}
        for name, url in links_of(new.data, new.body):
            if url not in before:
                yield LinkUse(change.path, name, url)


def link_report(uses: list[LinkUse], timeout: float = 10.0) -> tuple[str, int]:
    """Check the links and render a Markdown report; also return how many uses are broken."""
    checked = [use for use in uses if not is_reserved(use.url)]
    skipped = len(uses) - len(checked)
    results = check_links((use.url for use in checked), timeout)
    broken = [use for use in checked if not results[use.url].ok]
    out = ["## Links", ""]
    if not uses:
        out.append(bilingual("links.none"))
    elif broken:
        rows = [(code(u.url), code(u.path), code(u.field), code(results[u.url].describe())) for u in broken]
        columns = ("Link", *(bilingual(f"links.column.{c}") for c in ("file", "field", "result")))
        out += markdown_table(columns, rows)
        out += ["", bilingual("links.broken", broken=len(broken), checked=len(checked))]
    else:
        out.append(bilingual("links.all-work", count=len(checked)))
    if skipped:
        out += ["", bilingual("links.skipped", count=skipped)]
    return "\n".join(out) + "\n", len(broken)
