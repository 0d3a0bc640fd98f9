"""Where a build keeps its state, and the cheap stamps and hashes it keys that state by.

A module of the standard library only: the build that has nothing to do (:mod:`cucon.site.noop`)
decides with these before it imports the rest of the site's code.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from pathlib import Path

STATE_FOLDER = "cucon-state"
SUMMARY_FILE = "last-build.json"
"""What the last build wrote, changed, kept and removed: for people, tests and the benchmark."""

Stamp = dict[str, tuple[int, ...]]
"""Each entry below the content folder by its path relative to it: (kind, size, mtime, ctime, inode)."""


def fingerprint(*parts: object) -> str:
    """A stable hash of the reprs of some plain values.

    >>> fingerprint("a", 1) == fingerprint("a", 1), fingerprint("a") == fingerprint("b")
    (True, False)
    """
    return hashlib.blake2b(repr(parts).encode(), digest_size=16).hexdigest()


def plain(value: object) -> object:
    """A setting's value reduced to what has a stable repr; anything else (a function) is None.

    >>> plain({"b": (1, 2), "a": [print, "x"]})
    (('a', (None, 'x')), ('b', (1, 2)))
    """
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, Mapping):
        return tuple(sorted((str(k), plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return tuple(sorted(items, key=repr) if isinstance(value, set | frozenset) else items)
    return None


def content_stamp(root: Path) -> Stamp:
    """The stamp of every file, folder and link below ``root``, links not followed (one ``lstat`` each)."""
    found: Stamp = {}
    pending = [""]
    while pending:
        relative = pending.pop()
        with os.scandir(os.path.join(root, relative)) as entries:
            for entry in entries:
                name = f"{relative}/{entry.name}" if relative else entry.name
                stat = entry.stat(follow_symlinks=False)
                is_dir = entry.is_dir(follow_symlinks=False)
                kind = 2 if entry.is_symlink() else 1 if is_dir else 0
                found[name] = (kind, stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
                if is_dir:
                    pending.append(name)
    return found


def files_digest(folders: list[Path]) -> str:
    """A hash over the relative paths and bytes of every file below some folders (``__pycache__`` aside)."""
    digest = hashlib.blake2b(digest_size=16)
    for number, folder in enumerate(folders):
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                path = os.path.join(top, name)
                digest.update(f"{number}\0{os.path.relpath(path, folder)}\0".encode())
                with open(path, "rb") as stream:
                    digest.update(stream.read())
    return digest.hexdigest()
