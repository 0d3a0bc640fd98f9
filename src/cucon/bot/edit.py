"""Edit links: update or withdraw a published profile with nothing more than a private link.

The link goes to the profile's owner only, by mail, when asked for on /manage; of its token only the
SHA-256 is kept (:mod:`cucon.bot.ownership`). The link finds the profile by its permanent
id in an index of the checkout's commit (:class:`ProfileIndex`), offers the profile form filled
in from the published file, and a withdrawal. An update is validated like a new profile but keeps
the slug and id (:func:`profile_submission` with ``keep``); a withdrawal runs
:func:`cucon.erasure.remove_profile`, the code of ``cucon remove``, on a temporary copy of
``content/`` and proposes the difference.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from cucon.bot.submission import (
    CONTENT,
    PROFILE,
    PROFILES,
    Published,
    Submission,
    content_hash,
)
from cucon.catalog import bilingual
from cucon.frontmatter import read_document
from cucon.inert import code
from cucon.problems import ContentError


@dataclass(frozen=True)
class Found:
    """A published profile: its file (repository-relative), front matter and body."""

    path: str
    data: dict
    body: str

    @property
    def published(self) -> Published:
        photo = self.data.get("photo") if isinstance(self.data.get("photo"), dict) else {}
        return Published(Path(self.path).stem, str(self.data["id"]), photo.get("file"), self.data)


class ProfileIndex:
    """Permanent id → profile file of one commit of the checkout, read from git's objects.

    The index is built once per commit the checkout moves to (a file seen before is not parsed
    again) and answers from memory; a link's profile is then one blob read. Nothing reads the work
    tree, so the lookup needs neither the checkout's lock nor a scan of ``content/profiles``.
    """

    def __init__(self, repository: Path):
        self.repository = Path(repository)
        self._lock = threading.Lock()
        self._commit: str | None = None
        self._by_id: dict[str, tuple[str, str]] = {}
        """permanent id → (path, blob) in the indexed commit."""
        self._id_of_blob: dict[str, str | None] = {}

    def find(self, commit: str | None, permanent_id: str) -> Found | None:
        """The published profile with a permanent id (not a translation) in a commit, or None."""
        if not commit or not permanent_id:
            return None
        with self._lock:
            if commit != self._commit:
                self._build(commit)
            hit = self._by_id.get(permanent_id)
        if hit is None:
            return None
        path, blob = hit
        document = _document(self._blobs([blob])[blob])
        return None if document is None else Found(path, document.data, document.body or "")

    def _build(self, commit: str) -> None:
        """Index the profiles of a commit, parsing only the blobs not seen before."""
        listing = self._git("ls-tree", "-r", "-z", commit, "--", f"{PROFILES}/").decode("utf-8", "replace")
        files: dict[str, str] = {}
        for record in filter(None, listing.split("\0")):
            meta, _, path = record.partition("\t")
            mode, kind, blob = meta.split()
            stem = PurePosixPath(path).stem
            if kind == "blob" and mode != "120000" and path.endswith(".md") and "." not in stem:
                files[path] = blob  # translations (<slug>.<lang>.md) share the id of their profile
        new = sorted({blob for blob in files.values()} - self._id_of_blob.keys())
        for blob, data in self._blobs(new).items():
            document = _document(data)
            self._id_of_blob[blob] = str(document.data.get("id", "")) if document else None
        self._id_of_blob = {blob: self._id_of_blob[blob] for blob in files.values()}
        self._by_id = {}
        for path, blob in sorted(files.items()):
            self._by_id.setdefault(self._id_of_blob[blob] or "", (path, blob))
        self._by_id.pop("", None)
        self._commit = commit

    def _blobs(self, blobs: list[str]) -> dict[str, bytes]:
        """The contents of some blobs, read in one ``git cat-file --batch``."""
        if not blobs:
            return {}
        output = self._git("cat-file", "--batch", stdin="".join(f"{blob}\n" for blob in blobs).encode())
        contents: dict[str, bytes] = {}
        at = 0
        for blob in blobs:
            end = output.index(b"\n", at)
            size = int(output[at:end].split()[2])
            contents[blob] = output[end + 1 : end + 1 + size]
            at = end + 1 + size + 1
        return contents

    def _git(self, *args: str, stdin: bytes | None = None) -> bytes:
        return subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", *args],
            cwd=self.repository,
            input=stdin if stdin is not None else b"",
            capture_output=True,
            check=True,
            timeout=120,
        ).stdout


def _document(data: bytes):
    """A profile file's front matter (a dict) and body, or None when it cannot be read."""
    try:
        document = read_document(data.decode("utf-8-sig"), with_body=True)
    except (ContentError, UnicodeDecodeError):
        return None
    return document if isinstance(document.data, dict) else None


def form_values(found: Found) -> dict[str, str | list[str]]:
    """The profile form's values from a published profile (the consent is asked for anew)."""
    return PROFILE.form_map.form_values(found.data, found.body)


def changed_fields(found: Found, submission: Submission) -> list[str]:
    """The front-matter keys (and ``body``, ``photo file``) an update changes, for the PR description."""
    new = read_document(submission.files[found.path].decode("utf-8"), with_body=True)
    old_data, new_data = dict(found.data), dict(new.data)
    for key in ("consent", "updated"):  # their dates are always new
        old_data.pop(key, None), new_data.pop(key, None)
    changed = sorted(k for k in old_data.keys() | new_data.keys() if old_data.get(k) != new_data.get(k))
    if (found.body or "").strip() != (new.body or "").strip():
        changed.append("body")
    if any(path != found.path for path in submission.files):
        changed.append("photo file")
    return changed


def update_submission(found: Found, submission: Submission, changed: list[str]) -> Submission:
    """An update as the spool keeps it: the changed fields as its summary line."""
    listed = ", ".join(code(name) for name in changed)
    return Submission(
        kind="update",
        slug=submission.slug,
        files=submission.files,
        title=submission.title,
        summary_line=f"{bilingual('pr.changed-fields')}: {listed}",
        contact_email=None,
        # the published state is part of the hash: going back to an earlier text is a new update
        content_hash=content_hash({**submission.files, f"published:{found.path}": repr(found).encode()}),
        permanent_id=submission.permanent_id,
    )


def withdrawal(checkout: Path, found: Found, today: dt.date) -> Submission:
    """The withdrawal of a published profile: ``cucon remove`` run on a temporary copy of content/,
    as files to write and delete. Raises RuntimeError when the removal leaves problems behind."""
    from cucon.erasure import remove_profile

    published = found.published
    source = Path(checkout) / CONTENT
    with tempfile.TemporaryDirectory(prefix="cucon-withdraw-") as folder:
        copy = Path(folder) / CONTENT
        shutil.copytree(source, copy, symlinks=True)
        erasure = logging.getLogger("cucon.erasure")
        level = erasure.level
        erasure.setLevel(logging.CRITICAL)  # it logs the slug and its problems: no names in the service's log
        try:
            removal = remove_profile(copy, published.slug, today)
        finally:
            erasure.setLevel(level)
        if removal.problems:
            raise RuntimeError(f"the withdrawal leaves {len(removal.problems)} problem(s)")
        files: dict[str, bytes] = {}
        deletions: list[str] = []
        for path in sorted(p for p in source.rglob("*") if p.is_file() and not p.is_symlink()):
            relative = path.relative_to(source)
            twin = copy / relative
            name = f"{CONTENT}/{relative.as_posix()}"
            if not twin.exists():
                deletions.append(name)
            elif twin.read_bytes() != path.read_bytes():
                files[name] = twin.read_bytes()
        for path in sorted(p for p in copy.rglob("*") if p.is_file() and not p.is_symlink()):
            relative = path.relative_to(copy)
            if not (source / relative).exists():
                files[f"{CONTENT}/{relative.as_posix()}"] = path.read_bytes()
    lines = [f"- {code(path)} ({bilingual('summary.status.deleted')})" for path in deletions]
    lines += [f"- {code(path)} ({bilingual('summary.status.changed')})" for path in sorted(files)]
    if removal.review:
        lines.append(f"- {len(removal.review)} {bilingual('pr.check-by-hand')}")
    report = f"{bilingual('pr.withdrawal')}\n\n" + "\n".join(lines)
    return Submission(
        kind="withdraw",
        slug=published.slug,
        files=files,
        title=published.slug,
        summary_line=report,
        contact_email=None,
        content_hash="withdraw:" + content_hash({published.permanent_id: b""}),
        permanent_id=published.permanent_id,
        deletions=tuple(deletions),
    )
