"""Two revisions of a git repository, read file by file: what changed, and each content file's front matter."""

from __future__ import annotations

import logging
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from cucon.catalog import bilingual
from cucon.frontmatter import read_document
from cucon.images import ImageRefused, inspect_bytes
from cucon.problems import ContentError
from cucon.text import normalise

logger = logging.getLogger(__name__)


def texts(value: object) -> list[str]:
    """The non-empty strings of a front-matter value that should be a string or a list of them.

    >>> texts("a"), texts(["a", 3, " "]), texts(None), texts({"x": 1})
    (['a'], ['a'], [], [])
    """
    values = value if isinstance(value, list | tuple) else [value]
    return [v.strip() for v in values if isinstance(v, str) and v.strip()]


class ReviewError(Exception):
    """A git command failed; the message says which one and why."""


def git(repo: Path, *args: str, data: bytes | None = None) -> bytes:
    """Run git in ``repo`` and return what it printed; raise :class:`ReviewError` when it fails."""
    result = subprocess.run(["git", "-C", str(repo), *args], input=data, capture_output=True, check=False)
    if result.returncode:
        message = result.stderr.decode("utf-8", "replace").strip()
        raise ReviewError(f"git {args[0]} failed: {message}")
    return result.stdout


@dataclass(frozen=True)
class ChangedFile:
    """One file changed between two revisions: git's status letter, its path and its old path."""

    status: str
    path: str
    old_path: str | None = None


def parse_name_status(output: str) -> list[ChangedFile]:
    """Read the output of ``git diff --name-status -z``.

    >>> parse_name_status("M\\0a.md\\0R096\\0b.md\\0c.md\\0A\\0d.md\\0")  # doctest: +NORMALIZE_WHITESPACE
    [ChangedFile(status='M', path='a.md', old_path='a.md'), ChangedFile(status='R', path='c.md', old_path='b.md'),
     ChangedFile(status='A', path='d.md', old_path=None)]
    """
    fields = iter(output.split("\0"))
    changes = []
    for letters in fields:
        if not letters:
            break
        status = letters[0]
        first = next(fields)
        if status in "RC":
            changes.append(ChangedFile(status, next(fields), first))
        else:
            changes.append(ChangedFile(status, first, None if status == "A" else first))
    return changes


def parse_batch(output: bytes, count: int) -> list[bytes | None]:
    """Split the output of ``git cat-file --batch`` into blobs (None for what is missing or no blob).

    >>> parse_batch(b"abc blob 2\\nhi\\nHEAD:x missing\\n", 2)
    [b'hi', None]
    """
    blobs: list[bytes | None] = []
    position = 0
    for _ in range(count):
        end = output.index(b"\n", position)
        header = output[position:end].rsplit(b" ", 2)
        position = end + 1
        if len(header) < 3 or not header[2].isdigit():
            blobs.append(None)
            continue
        size = int(header[2])
        blobs.append(output[position : position + size] if header[1] == b"blob" else None)
        position += size + 1
    return blobs


class Revisions:
    """Two revisions of a git repository, read file by file without checking anything out."""

    def __init__(self, repo: Path, base: str, head: str):
        self.repo = Path(repo)
        self.head = self.commit(head)
        base_commit = self.commit(base)
        # A pull request adds what is between the merge base and its head, even when main moved on.
        try:
            self.base = git(self.repo, "merge-base", base_commit, self.head).decode().strip()
        except ReviewError:
            self.base = base_commit

    def commit(self, rev: str) -> str:
        """The full commit id of a revision."""
        return git(self.repo, "rev-parse", "--verify", f"{rev}^{{commit}}").decode().strip()

    def changes(self) -> list[ChangedFile]:
        """Every file changed from base to head, with renames found."""
        output = git(self.repo, "diff", "--name-status", "-z", "-M", self.base, self.head, "--")
        return parse_name_status(output.decode("utf-8", "surrogateescape"))

    def files(self, rev: str, folder: str) -> list[str]:
        """The paths of every file below a folder at a revision."""
        output = git(self.repo, "ls-tree", "-r", "-z", "--full-tree", "--name-only", rev, "--", folder)
        return [p for p in output.decode("utf-8", "surrogateescape").split("\0") if p]

    def read(self, rev: str, paths: Iterable[str]) -> dict[str, bytes | None]:
        """The bytes of files at a revision, in one git process; None where a file is missing."""
        wanted = [p for p in dict.fromkeys(paths) if "\n" not in p]
        if not wanted:
            return {}
        request = "".join(f"{rev}:{p}\n" for p in wanted).encode("utf-8", "surrogateescape")
        blobs = parse_batch(git(self.repo, "cat-file", "--batch", data=request), len(wanted))
        return dict(zip(wanted, blobs, strict=True))


@dataclass
class Version:
    """One content file at one revision: its front matter and body, or why it cannot be read."""

    path: str
    data: dict = field(default_factory=dict)
    body: str = ""
    error: str | None = None


def parse_version(path: str, raw: bytes | None) -> Version:
    """Parse a content file from its bytes; a broken file gets an error in plain words, never a crash."""
    if raw is None:
        return Version(path, error=bilingual("summary.file-missing"))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return Version(path, error=bilingual("summary.not-utf8"))
    try:
        doc = read_document(text, with_body=path.endswith(".md"))
    except ContentError as exc:
        problem = exc.problems[0]
        return Version(path, error=f"{bilingual('summary.line')} {problem.line}: {problem.message}")
    return Version(path, doc.data, normalise(doc.body).strip())


def image_size(raw: bytes | None, name: str) -> str | None:
    """An image's upright size as ``640×640``; None when it is missing or would be refused."""
    if raw is None:
        return None
    try:
        info = inspect_bytes(raw, name)
    except ImageRefused as refused:
        logger.info("%s", refused)
        return None
    return f"{info.width}×{info.height}"
