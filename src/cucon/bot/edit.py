"""Edit links: update or withdraw a published profile with nothing more than a private link.

After an accepted submission the person gets a link ``/edit/<token>``; of the token only its SHA-256
is kept (:meth:`cucon.bot.spool.Spool.add_edit_link`). The link finds the profile by its permanent
id in the checkout, offers the profile form filled in from the published file, and a withdrawal.
An update is validated like a new profile but keeps the slug and id (:func:`profile_submission`
with ``keep``); a withdrawal runs :func:`cucon.erasure.remove_profile`, the code of ``cucon remove``,
on a temporary copy of ``content/`` and proposes the difference.
"""

from __future__ import annotations

import datetime as dt
import logging
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from cucon.bot.submission import (
    CONTENT,
    LINK_FIELDS,
    PROFILES,
    Published,
    Submission,
    content_hash,
)
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
        return Published(Path(self.path).stem, str(self.data["id"]), photo.get("file"))


def find_profile(checkout: Path, permanent_id: str) -> Found | None:
    """The published profile with a permanent id (not a translation), or None."""
    folder = Path(checkout) / PROFILES
    if not permanent_id or not folder.is_dir():
        return None
    for path in sorted(folder.glob("*.md")):
        if "." in path.stem or path.is_symlink():
            continue  # translations (<slug>.<lang>.md) share the id of their profile
        try:
            document = read_document(path.read_text("utf-8-sig"), with_body=True)
        except (ContentError, UnicodeDecodeError, OSError):
            continue
        data = document.data if isinstance(document.data, dict) else {}
        if str(data.get("id", "")) == permanent_id:
            return Found(path.relative_to(checkout).as_posix(), data, document.body or "")
    return None


def form_values(found: Found) -> dict[str, str | list[str]]:
    """The profile form's values from a published profile (the consent is asked for anew)."""
    data = found.data
    photo = data.get("photo") if isinstance(data.get("photo"), dict) else {}
    links = data.get("links") if isinstance(data.get("links"), dict) else {}
    values: dict[str, str | list[str]] = {}
    for name in ("name", "kind", "lang", "summary", "looking_for"):
        if data.get(name) is not None:
            values[name] = str(data[name])
    for name in ("cities", "disciplines", "languages"):
        if isinstance(data.get(name), list):
            values[name] = [str(v) for v in data[name]]
    for name, key in (("photo_alt", "alt"), ("photo_credit", "credit")):
        if photo.get(key):
            values[name] = str(photo[key])
    for name in LINK_FIELDS:
        if links.get(name):
            values[name] = str(links[name])
    if isinstance(links.get("other"), list):
        values["other_links"] = "\n".join(str(v) for v in links["other"])
    if data.get("email"):
        values["email"] = str(data["email"])
        values["publish_email"] = "on"
    if found.body.strip():
        values["about"] = found.body.strip()
    return values


def changed_fields(found: Found, submission: Submission) -> list[str]:
    """The front-matter keys (and ``body``, ``photo file``) an update changes, for the PR description."""
    new = read_document(submission.files[found.path].decode("utf-8"), with_body=True)
    old_data, new_data = dict(found.data), dict(new.data)
    old_data.pop("consent", None), new_data.pop("consent", None)  # the date is always new
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
        summary_line=f"Geänderte Felder / Changed fields: {listed}",
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
    lines = [f"- {code(path)} (gelöscht / deleted)" for path in deletions]
    lines += [f"- {code(path)} (geändert / changed)" for path in sorted(files)]
    if removal.review:
        lines.append(f"- {len(removal.review)} Stelle(n) von Hand prüfen / place(s) to check by hand")
    report = "Rücknahme über den Bearbeitungslink, mit `cucon remove`. / Withdrawal through the edit link, "
    report += "with `cucon remove`.\n\n" + "\n".join(lines)
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
