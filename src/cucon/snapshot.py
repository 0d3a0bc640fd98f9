"""One snapshot of the checked network, shared by ``cucon check`` and the build.

``make html`` runs ``cucon check`` and then the build; both need the same validated network
(:func:`cucon.checks.load_site`). The first of them to read the content keeps what it found in
one file of the state folder (``<CACHE_PATH>/cucon-state/read.pickle``): the checked site with
its problems, the HTML of every body, the image header checks, and the **stamp** of every entry
under the content folder (size, modification and change time, inode, by :func:`content_stamp`).

- When every stamp is the same as the snapshot's, nothing was edited since: the site is taken
  from the snapshot as it is, without reading, parsing or checking a file again.
- Otherwise every file is read and hashed; a file whose text is the same as an item of the
  snapshot is not parsed and validated again, a body whose text is known is not rendered again,
  and the checks across files run on the whole network, as without a snapshot.

The change time (``st_ctime``) cannot be set back, so a file edited with its modification time
restored still counts as changed. A file changed in the same clock tick as the snapshot was
taken (its change time not before the moment the stamps were taken) makes the next reader check
everything again, as git does with "racily clean" entries.

A snapshot is taken only as it is when it was made by the same code, library versions, working
directory (paths in messages are relative to it), content folder, UI languages and search
folder, and with a render budget no larger than the reader's (the build allows more time than
the check: :data:`cucon.markup.BUILD_ALLOWANCE`); otherwise only its items and HTML are reused.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cucon import images, urls
from cucon.content import Site
from cucon.incremental import fingerprint, load_saved, save
from cucon.stamps import Stamp, code_digest, content_stamp

logger = logging.getLogger(__name__)

SNAPSHOT_FILE = "read.pickle"
VERDICT_FILE = "read.json"
"""Beside the snapshot of a network found valid: its stamp and counts, for a check that need not load it."""
COUNTED = ("city", "profile", "call", "news", "page")
"""The types of item a check counts when it finds the content valid."""
SNAPSHOT_VERSION = 5
"""Version 5: the checked site and the stamps of its files (4: valid items, HTML and headers only)."""


def _now_on_disk(folder: Path) -> int:
    """The file system's clock now (ns), as it stamps a change: set on the folder and read back."""
    folder.mkdir(parents=True, exist_ok=True)
    os.utime(folder)
    return os.stat(folder).st_ctime_ns


@dataclass
class Checked:
    """The checked network, the HTML of its bodies by digest, and how it was found."""

    site: Site
    rendered: dict[str, str]
    reused: bool
    """True when the snapshot was taken as it was: no file was read."""
    changed: int
    """Entries below the content folder that are new, changed or gone since the snapshot."""
    stamp: Stamp | None = None
    """The stamp the content was checked at (None without a state folder)."""
    settled: bool = False
    """Whether no entry changed in the clock tick the stamp was taken in (a later reader may trust it)."""


def check_content(
    root: Path,
    state: Path | None,
    *,
    allowance: float = 1,
    languages: Iterable[str] = urls.LANGUAGES,
    search_bundle: str = urls.SEARCH_BUNDLE,
    workers: int = 0,
) -> Checked:
    """Read and check the content folder (:func:`cucon.checks.load_site`) with the snapshot in the
    state folder ``state``, and keep a new snapshot there; without ``state``, read it all."""
    from cucon.checks import load_site

    languages = tuple(languages)
    try:
        taken = _now_on_disk(Path(state)) if state is not None and Path(root).is_dir() else None
    except OSError as error:  # a cache is never worth failing a check for
        logger.warning("cucon read: no snapshot of the checked network in %s: %s", state, error)
        taken = None
    if taken is None:
        rendered: dict[str, str] = {}
        site = load_site(root, None, rendered, workers, allowance, languages, search_bundle)
        return Checked(site, rendered, reused=False, changed=0)
    path = Path(state) / SNAPSHOT_FILE
    code = code_digest(("cucon",))
    where = fingerprint(os.getcwd(), os.path.abspath(root), languages, search_bundle)
    stamp = content_stamp(root)
    saved = _kept_or_loaded(path)
    # Items that other code validated are validated again.
    known = saved.get("site") if saved.get("code") == code else None
    same = saved.get("where") == where and saved.get("stamp") == stamp and saved.get("settled")
    html_at = saved.get("html_at", {}) if known is not None else {}
    if same and known is not None and _fits(known, saved, html_at, allowance):
        images.remember_headers(saved["headers"])
        logger.debug("cucon read: %d entries unchanged, the checked network taken from %s", len(stamp), path)
        return Checked(known, saved["html"], reused=True, changed=0, stamp=stamp, settled=True)
    old_stamp = saved.get("stamp", {}) if known is not None else {}  # other code: everything is new to it
    changed = sum(1 for name in stamp.keys() | old_stamp.keys() if stamp.get(name) != old_stamp.get(name))
    items = {(i.type, i.path, i.digest): i for i in known.items()} if known is not None else {}
    # HTML rendered with more time than this reader allows is rendered again, within its budget.
    rendered = {
        d: html for d, html in saved.get("html", {}).items() if html_at.get(d, allowance) <= allowance
    }
    reused = set(rendered)
    images.remember_headers(saved.get("headers", {}))
    site = load_site(root, items, rendered, workers, allowance, languages, search_bundle)
    html = {item.digest: rendered[item.digest] for item in site.items() if item.digest in rendered}
    rendered_at = {d: html_at.get(d, allowance) if d in reused else allowance for d in html}
    snapshot = {
        "code": code,
        "where": where,
        "stamp": stamp,
        # A link under the folder could lead anywhere: such a site is read again every time.
        "settled": not site.links and all(s[3] < taken for s in stamp.values()),
        "allowance": allowance,
        "site": site,
        "html": html,
        "html_at": rendered_at,
        "headers": images.known_headers(os.path.abspath(p) for p in site.files),
    }
    verdict = Path(state) / VERDICT_FILE
    try:
        verdict.unlink(missing_ok=True)
        save(path, snapshot, SNAPSHOT_VERSION)
        if _kept is not None:
            # A copy of the HTML: the build adds the bodies it renders to the one it is given.
            _kept[path] = (_file_stamp(path), {**snapshot, "html": dict(html)})
        if not site.problems:
            counts = {name: len(site.of_type(name)) for name in COUNTED}
            at = max(rendered_at.values(), default=0)
            _write_verdict(verdict, code, where, stamp, snapshot["settled"], at, counts)
    except OSError as error:
        logger.warning("cucon read: the snapshot of the checked network was not saved: %s", error)
    return Checked(site, html, reused=False, changed=changed, stamp=stamp, settled=snapshot["settled"])


_kept: dict[Path, tuple[tuple, dict]] | None = None
"""The snapshot this process saved last, by its file, with the file's stamp then (None: none kept)."""


def keep_in_memory() -> None:
    """Keep the snapshot this process saves, and take it from memory instead of its file while the file
    is the one saved: the preview of ``make serve`` builds again and again in one process."""
    global _kept
    if _kept is None:
        _kept = {}


def _file_stamp(path: Path) -> tuple:
    stat = os.stat(path)
    return stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino


def _kept_or_loaded(path: Path) -> dict:
    """The snapshot in ``path``: the one kept in memory while the file is the one saved with it."""
    kept = _kept.get(path) if _kept is not None else None
    try:
        if kept is not None and kept[0] == _file_stamp(path):
            return kept[1]
    except OSError:
        pass
    return load_saved(path, SNAPSHOT_VERSION)


def _fits(site: Site, saved: dict, html_at: dict[str, float], allowance: float) -> bool:
    """Whether a snapshot's verdict holds for a reader with this render budget: with problems only at the
    same budget (one may be a body over it), without at any budget at least as large as its HTML's."""
    if site.problems:
        return saved.get("allowance") == allowance
    return all(at <= allowance for at in html_at.values())


def valid_counts(
    root: Path,
    state: Path,
    *,
    allowance: float = 1,
    languages: Iterable[str] = urls.LANGUAGES,
    search_bundle: str = urls.SEARCH_BUNDLE,
) -> dict[str, int] | None:
    """The items of each type (:data:`COUNTED`) of a network that a check with this budget found valid,
    when no entry below ``root`` changed since; None when the content must be checked
    (:func:`check_content`). Reads the small verdict beside the snapshot, not the snapshot."""
    try:
        saved = json.loads((Path(state) / VERDICT_FILE).read_text("utf-8"))
        where = fingerprint(os.getcwd(), os.path.abspath(root), tuple(languages), search_bundle)
        if saved["version"] != SNAPSHOT_VERSION or saved["where"] != where or not saved["settled"]:
            return None
        if saved["at"] > allowance or saved["code"] != code_digest(("cucon",)):
            return None
        if saved["stamp"] != fingerprint(sorted(content_stamp(root).items())):
            return None
        return dict(saved["counts"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _write_verdict(
    path: Path, code: str, where: str, stamp: Stamp, settled: bool, at: float, counts: dict[str, int]
) -> None:
    """Keep the verdict of a network found valid beside its snapshot (:func:`valid_counts`)."""
    verdict = {"version": SNAPSHOT_VERSION, "code": code, "where": where, "settled": settled, "at": at}
    verdict |= {"stamp": fingerprint(sorted(stamp.items())), "counts": counts}
    temporary = path.with_name(f"{path.name}.tmp")
    temporary.write_text(json.dumps(verdict) + "\n", "utf-8")
    temporary.replace(path)
