"""Where a build keeps its state, and the cheap stamps and hashes it keys that state by.

A module of the standard library only: the build that has nothing to do (:mod:`cucon.site.noop`)
decides with these before it imports the rest of the site's code.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import sysconfig
from collections.abc import Mapping
from pathlib import Path

STATE_FOLDER = "cucon-state"
SUMMARY_FILE = "last-build.json"
"""What the last build wrote, changed, kept and removed: for people, tests and the benchmark."""

CODE_PACKAGES = ("cucon", "cucon_site")
"""The packages whose files shape what is checked and built: the site's code and its Pelican adapter."""

SERVICE_FOLDERS = frozenset({"bot"})
"""Folders of those packages that neither the check nor the build imports: the submission service."""

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


def files_digest(folders: list[Path], skip: frozenset[str] = frozenset()) -> str:
    """A hash over the relative paths and bytes of every file below some folders (``__pycache__`` and the
    folders named in ``skip`` aside)."""
    digest = hashlib.blake2b(digest_size=16)
    skip = skip | {"__pycache__"}
    for number, folder in enumerate(folders):
        for top, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if d not in skip)
            for name in sorted(files):
                path = os.path.join(top, name)
                digest.update(f"{number}\0{os.path.relpath(path, folder)}\0".encode())
                with open(path, "rb") as stream:
                    digest.update(stream.read())
    return digest.hexdigest()


def code_digest(packages: tuple[str, ...] = CODE_PACKAGES) -> str:
    """A hash over the code that checks and builds: every file of those ``packages`` that are loaded
    (:data:`SERVICE_FOLDERS` aside), Python's version and the stamps of the library folders (computed once per process).

    >>> code_digest() == code_digest(), code_digest(("cucon",)) == code_digest(("json",))
    (True, False)
    """
    folders = []
    for name in packages:
        module = sys.modules.get(name)
        if module is not None and getattr(module, "__file__", None):
            folders.append(os.path.dirname(module.__file__))
    return _code_digest(tuple(folders))


@functools.cache
def _code_digest(folders: tuple[str, ...]) -> str:
    """:func:`code_digest` of some package folders."""
    libraries = []
    for name in sorted({sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}):
        try:
            stat = os.stat(name)
        except OSError:
            libraries.append((name, None))
            continue
        # A package installed, removed or upgraded adds or removes a folder of metadata here.
        libraries.append((name, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino))
    return fingerprint(
        sys.version, libraries, files_digest([Path(folder) for folder in folders], SERVICE_FOLDERS)
    )
