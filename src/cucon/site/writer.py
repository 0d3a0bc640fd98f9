"""Where a build's files go: the writer that :meth:`cucon.site.build.SiteBuild.run` is given."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class Writer(Protocol):
    """Writes the files of one build under its output folder."""

    output: Path
    """The output folder: what was written is read back there (incremental builds, feeds, search)."""

    def write(self, name: str, data: bytes) -> str:
        """Write one file by its path under the output folder; return that path."""


class FileWriter:
    """Writes files under an output folder, each at most once per build and process.

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     writer = FileWriter(Path(folder))
    ...     writer.write("en/index.html", b"<p>")
    ...     (Path(folder) / "en" / "index.html").read_bytes()
    'en/index.html'
    b'<p>'
    >>> FileWriter(Path("out")).write("../escape.html", b"")
    Traceback (most recent call last):
    ...
    ValueError: cucon: refusing to write '../escape.html' outside the output folder
    """

    def __init__(self, output: Path, selected: frozenset[str] = frozenset()) -> None:
        self.output = Path(output)
        self.selected = selected
        """Pelican's ``WRITE_SELECTED``: if not empty, only these absolute paths are written."""
        self.written: set[str] = set()
        self.folders: set[Path] = set()
        """The folders this process made or found: thousands of pages share a few of them."""

    def write(self, name: str, data: bytes) -> str:
        """Write ``data`` to ``name`` under the output folder, making its folder."""
        if os.path.isabs(name) or ".." in Path(name).parts:
            raise ValueError(f"cucon: refusing to write {name!r} outside the output folder")
        if name in self.written:
            raise RuntimeError(f"cucon: {name!r} would be written twice in one build")
        self.written.add(name)
        path = self.output / name
        if self.selected and os.path.abspath(path) not in self.selected:
            return name
        if path.parent not in self.folders:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.folders.add(path.parent)
        path.write_bytes(data)
        return name
