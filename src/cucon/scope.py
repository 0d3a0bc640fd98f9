"""Whether a pull request changes content only, so that its checks may skip the tests of the code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from cucon.review.revisions import git

REGULAR_FILES = {"100644", "100755"}
"""git's modes of a plain file; a symlink (120000) or a submodule (160000) is never content."""

ABSENT = "000000"
"""git's mode of the side of a change where the file does not exist (an addition or a deletion)."""


@dataclass(frozen=True)
class ChangedPath:
    """One path a change touches, with git's mode of it before and after (``000000`` where absent)."""

    path: str
    old_mode: str
    new_mode: str


def parse_raw(output: str) -> list[ChangedPath]:
    """Read the output of ``git diff --raw -z --no-renames`` (one path per record).

    >>> parse_raw(":100644 120000 abc def T\\0content/a.md\\0:000000 100644 000 abc A\\0b c\\0")
    ... # doctest: +NORMALIZE_WHITESPACE
    [ChangedPath(path='content/a.md', old_mode='100644', new_mode='120000'),
     ChangedPath(path='b c', old_mode='000000', new_mode='100644')]
    """
    fields = output.split("\0")
    return [
        ChangedPath(path, *header.lstrip(":").split()[:2])
        for header, path in zip(fields[::2], fields[1::2], strict=False)
        if header
    ]


def changed_paths(repo: Path, base: str, head: str) -> list[ChangedPath]:
    """Every path that differs between the merge base of ``base`` and ``head``, and ``head``.

    Renames are not detected, so a renamed file counts as its old path deleted and its new path added.
    """
    head_commit = git(repo, "rev-parse", "--verify", f"{head}^{{commit}}").decode().strip()
    base_commit = git(repo, "rev-parse", "--verify", f"{base}^{{commit}}").decode().strip()
    merge_base = git(repo, "merge-base", base_commit, head_commit).decode().strip()
    output = git(repo, "diff", "--raw", "-z", "--no-renames", "--no-ext-diff", merge_base, head_commit, "--")
    return parse_raw(output.decode("utf-8", "surrogateescape"))


def is_content_path(path: str, content: str = "content") -> bool:
    """Whether a path names a file inside the content folder, and not git's own files there.

    >>> [is_content_path(p) for p in ("content/a.md", "content/x/b.jpg", "content", "contents/a.md")]
    [True, True, False, False]
    >>> [is_content_path(p) for p in ("Content/a.md", "content/../Makefile", "content/.gitattributes")]
    [False, False, False]
    >>> is_content_path("site/content/a.md", "site/content")
    True
    """
    rest = path.removeprefix(f"{content}/")
    return rest != path and not any(
        part in ("", ".", "..") or part.lower().startswith(".git") for part in rest.split("/")
    )


def code_change(paths: list[ChangedPath], content: str = "content") -> str | None:
    """Why a change is more than content (the first path outside the folder or not a plain file), or None.

    >>> code_change([ChangedPath("content/a.md", "100644", "100644")]) is None
    True
    >>> code_change([ChangedPath("content/a.md", "100644", "120000")])
    "'content/a.md' is a symlink or a submodule"
    >>> code_change([ChangedPath("content/.gitattributes", "000000", "100644")])
    "'content/.gitattributes' is not a content file's path (an empty, . or .. part, or a git file)"
    >>> code_change([])
    'no path changes'
    """
    if not paths:
        return "no path changes"
    for changed in paths:
        if not changed.path.startswith(f"{content}/"):
            return f"{changed.path!r} is outside {content}/"
        if not is_content_path(changed.path, content):
            return f"{changed.path!r} is not a content file's path (an empty, . or .. part, or a git file)"
        if not {changed.old_mode, changed.new_mode} <= REGULAR_FILES | {ABSENT}:
            return f"{changed.path!r} is a symlink or a submodule"
    return None
