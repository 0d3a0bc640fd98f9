"""Calls in a profile's name wait for that profile's owner: approve or decline by mail.

A call posted through the form whose ``organiser.profile`` names a profile with an owner record
(:class:`cucon.bot.owners.OwnerStore`) is proposed only after the owner says yes. The steps:

1. At the post (:meth:`Organisers.note`), the service looks the profile's permanent id up in the
   checkout. With an owner record, a row in the table ``approvals`` of the private store remembers
   the entry (by its content hash) and the profile; when the poster's own address is the owner's
   (:meth:`~cucon.bot.owners.OwnerStore.matches`), the row is approved at once: confirming their
   own mail is the owner's yes, and no second mail is sent.
2. After the poster's own e-mail check, before the entry is proposed, the worker asks
   :meth:`Organisers.gate`: an approved row makes the pull request say "Organiser confirmed"; a
   waiting one holds the entry (spool state ``approval``) and makes the owner's mail due; a call that
   names a profile without a row (no owner record, no mail server) says "Organiser not confirmed"
   and gets the label ``organiser-unconfirmed``.
3. The owner's mail (:func:`approval_message`) carries a link to ``/approve/<token>``: a page that
   shows the call as it would be published (every value escaped) and two buttons. Approve: the entry
   goes on to be proposed. Decline: it is deleted with its files and no branch is ever made. An
   entry not answered within :data:`APPROVAL_SECONDS` is deleted the same way.

Of the token only its SHA-256 is kept. The table holds no address and no text of the call: ids, a
hash, states and times. The mail shows the call's title (on one line, cut, clearly marked as typed
by the person who sent it) and no address the poster typed: a link in a mail from CuCon is one
click away in every mail program, so the apply address is shown on the page only, as text.
"""

from __future__ import annotations

import html
import logging
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

from cucon.bot.languages import FALLBACK, mail_languages
from cucon.bot.mail import (
    TOKEN_PATTERN,
    MailRefused,
    envelope,
    mailed_link,
    new_token,
    subject_in,
    token_hash,
)
from cucon.bot.spool import APPROVAL, CONFIRMED, HELD, PROPOSED, UNCONFIRMED, SpoolEntry, backoff
from cucon.bot.vault import connect, scrub, transaction
from cucon.catalog import phrase
from cucon.frontmatter import read_document
from cucon.inert import one_line
from cucon.problems import ContentError
from cucon.review.pr_summary import PROFILE_SLUG, links_in, title_of

logger = logging.getLogger(__name__)

APPROVAL_SECONDS = 7 * 24 * 3600.0
"""How long an owner has to answer; the entry is deleted after that, and a decided row too."""
TITLE_CHARS = 120
"""The most of a call's title the owner's mail shows."""
PENDING, ASKING, APPROVED, DECLINED = "pending", "asking", "approved", "declined"
"""A row's states: waiting for the poster's confirmation, the owner asked, and the two answers."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS approvals (
    content_hash TEXT PRIMARY KEY,
    profile_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'asking', 'approved', 'declined')),
    submission_id INTEGER,
    token_hash TEXT UNIQUE,
    next_mail REAL,
    mail_attempts INTEGER NOT NULL DEFAULT 0,
    expires_at REAL NOT NULL,
    created REAL NOT NULL,
    decided REAL
);
CREATE INDEX IF NOT EXISTS approvals_mail ON approvals (next_mail);
"""


@dataclass(frozen=True)
class Approval:
    """One row: the entry (content hash, and its spool id once held), the profile, the answer."""

    content_hash: str
    profile_id: str
    lang: str
    state: str
    submission_id: int | None
    next_mail: float | None
    mail_attempts: int
    expires_at: float


class ApprovalStore:
    """The table ``approvals`` in the private store (``private.sqlite3``), serialised by one lock."""

    def __init__(self, path: Path | str, clock: Callable[[], float] = time.time):
        self.db = connect(path)
        self.clock = clock
        self.lock = threading.Lock()
        with self.lock:
            self.db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self.lock:
            self.db.close()

    def _one(self, where: str, *args) -> Approval | None:
        row = self.db.execute(
            "SELECT content_hash, profile_id, lang, state, submission_id, next_mail, mail_attempts, expires_at"
            f" FROM approvals WHERE {where}",
            args,
        ).fetchone()
        return None if row is None else Approval(*row)

    def add(self, content_hash: str, profile_id: str, lang: str, state: str, submission_id: int) -> None:
        """Remember that an entry names an owned profile (``APPROVED`` at once when the poster is its
        owner); a second post of the same content changes nothing."""
        now = self.clock()
        with self.lock, transaction(self.db):
            self.db.execute(
                "INSERT OR IGNORE INTO approvals (content_hash, profile_id, lang, state, submission_id,"
                " expires_at, created, decided) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    content_hash,
                    profile_id,
                    lang,
                    state,
                    submission_id,
                    now + APPROVAL_SECONDS,
                    now,
                    now if state == APPROVED else None,
                ),
            )

    def extend(self, content_hash: str) -> None:
        """Keep a row another :data:`APPROVAL_SECONDS`: its entry is still on its way to a pull request."""
        with self.lock, transaction(self.db):
            self.db.execute(
                "UPDATE approvals SET expires_at = ? WHERE content_hash = ?",
                (self.clock() + APPROVAL_SECONDS, content_hash),
            )

    def of(self, content_hash: str) -> Approval | None:
        """The row of an entry, or None."""
        with self.lock:
            return self._one("content_hash = ?", content_hash)

    def ask(self, content_hash: str, submission_id: int) -> None:
        """The entry is held: the owner's mail is due now, and the owner has 7 days from now."""
        now = self.clock()
        with self.lock, transaction(self.db):
            self.db.execute(
                "UPDATE approvals SET state = ?, submission_id = ?, next_mail = ?, expires_at = ?"
                " WHERE content_hash = ? AND state IN (?, ?)",
                (ASKING, submission_id, now, now + APPROVAL_SECONDS, content_hash, PENDING, ASKING),
            )

    def mail_due(self) -> list[Approval]:
        """Rows whose owner's mail is to be sent now."""
        with self.lock:
            rows = self.db.execute(
                "SELECT content_hash FROM approvals WHERE state = ? AND next_mail IS NOT NULL AND next_mail <= ?"
                " ORDER BY next_mail LIMIT 20",
                (ASKING, self.clock()),
            ).fetchall()
            return [self._one("content_hash = ?", row[0]) for row in rows]

    def mail_sent(self, content_hash: str, digest: str) -> None:
        """The owner's mail is out: its link (by the token's hash) works from now on."""
        with self.lock, transaction(self.db):
            self.db.execute(
                "UPDATE approvals SET token_hash = ?, next_mail = NULL WHERE content_hash = ?",
                (digest, content_hash),
            )

    def mail_retry(self, content_hash: str, attempts: int) -> float:
        """Sending failed for now: try again after :func:`~cucon.bot.spool.backoff`; return the delay."""
        wait = backoff(attempts + 1)
        with self.lock, transaction(self.db):
            self.db.execute(
                "UPDATE approvals SET mail_attempts = ?, next_mail = ? WHERE content_hash = ?",
                (attempts + 1, self.clock() + wait, content_hash),
            )
        return wait

    def by_token(self, token: str) -> Approval | None:
        """The row of a link's token: asked and not run out, or decided (to say so); else None."""
        if not TOKEN_PATTERN.fullmatch(token):
            return None
        with self.lock:
            found = self._one("token_hash = ?", token_hash(token))
        if found is None or (found.state == ASKING and found.expires_at <= self.clock()):
            return None
        return found

    def decide(self, content_hash: str, state: str) -> str:
        """Record the owner's answer once; return the row's state after it (the first answer stands)."""
        with self.lock, transaction(self.db):
            self.db.execute(
                "UPDATE approvals SET state = ?, decided = ?, expires_at = ? WHERE content_hash = ? AND state = ?",
                (state, self.clock(), self.clock() + APPROVAL_SECONDS, content_hash, ASKING),
            )
            return self.db.execute(
                "SELECT state FROM approvals WHERE content_hash = ?", (content_hash,)
            ).fetchone()[0]

    def expired(self) -> list[Approval]:
        """Rows whose time ran out: unanswered (the entry is to be deleted) or decided long ago; the
        rows themselves are deleted by :meth:`forget`."""
        with self.lock:
            rows = self.db.execute(
                "SELECT content_hash FROM approvals WHERE expires_at <= ?", (self.clock(),)
            ).fetchall()
            return [self._one("content_hash = ?", row[0]) for row in rows]

    def forget(self, content_hash: str) -> None:
        """Delete a row."""
        with self.lock:
            with transaction(self.db):
                self.db.execute("DELETE FROM approvals WHERE content_hash = ?", (content_hash,))
            scrub(self.db)


# --- what the call says --------------------------------------------------------------------------


def call_file(files: Mapping[str, bytes]) -> tuple[dict, str] | None:
    """The front matter and body of the call among an entry's files, or None (not a call)."""
    for path, data in files.items():
        parts = PurePosixPath(path).parts
        if len(parts) == 3 and parts[:2] == ("content", "calls") and path.endswith(".md"):
            try:
                document = read_document(data.decode("utf-8"), with_body=True)
            except (UnicodeDecodeError, ContentError):  # a file the validator passed; never a crash here
                return None
            return document.data if isinstance(document.data, dict) else {}, document.body
    return None


def organiser_profile(files: Mapping[str, bytes]) -> str | None:
    """The slug a call among ``files`` names as its organiser's profile, or None.

    >>> organiser_profile({"content/calls/x.md": b"---\\norganiser:\\n  profile: anna\\n---\\n"})
    'anna'
    >>> organiser_profile({"content/calls/x.md": b"---\\norganiser:\\n  name: Anna\\n---\\n"}) is None
    True
    """
    found = call_file(files)
    organiser = found[0].get("organiser") if found else None
    profile = organiser.get("profile") if isinstance(organiser, dict) else None
    return profile if isinstance(profile, str) else None


def profile_record(content: Path, slug: str) -> tuple[str, str] | None:
    """The permanent id and name of the profile ``slug`` in ``content/``, or None. A slug that is not
    one (a path, a query) is looked up nowhere; a symbolic link is not followed.

    >>> profile_record(Path("/nonexistent"), "../../etc/passwd") is None
    True
    """
    if not PROFILE_SLUG.fullmatch(slug):
        return None
    path = content / "profiles" / f"{slug}.md"
    if path.is_symlink() or not path.is_file():
        return None
    try:
        data = read_document(path.read_text("utf-8"), with_body=True).data
    except (OSError, UnicodeDecodeError, ContentError):  # the base branch's problem: here, no such profile
        return None
    permanent_id = data.get("id") if isinstance(data, dict) else None
    return (permanent_id, title_of(data, slug)) if isinstance(permanent_id, str) else None


# --- the owner's mail ----------------------------------------------------------------------------


def shown_title(title: object) -> str:
    """A call's title as the owner's mail shows it: on one line, without control characters, cut.

    >>> shown_title("Klang\\r\\nBcc: x@evil.example"), len(shown_title("x" * 500))
    ('Klang Bcc: x@evil.example', 120)
    """
    text = one_line(title)
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1] + "…"


PARTS = ("approval.hello", "approval.ask", "approval.title", "approval.link", "approval.then", "approval.why")
"""The mail's paragraphs (``approval.*`` in :mod:`cucon.phrases`); the title follows ``approval.title``,
the link ``approval.link``."""


def approval_message(
    sender: str,
    to: str,
    link: str,
    profile: str,
    title: str,
    lang: str = "de",
    days: int = 7,
    fallback: Mapping[str, tuple[str, ...]] = FALLBACK,
) -> EmailMessage:
    """The owner's mail: plain text and HTML, in ``lang`` and the first language it falls back to. Its
    subject is fixed; the only words of the poster are the call's title, shown as typed by them."""
    order = mail_languages(lang, fallback)
    title = shown_title(title)
    texts = {code: [phrase(part, code, profile=profile, days=days) for part in PARTS] for code in order}
    plain = "\n\n-----\n\n".join(
        f"{hello}\n\n{ask}\n\n{said}\n\n    »{title}«\n\n{go}\n\n{link}\n\n{then}\n\n{why}\n"
        for hello, ask, said, go, then, why in texts.values()
    )
    quoted = html.escape(link)
    sections = "\n<hr>\n".join(
        f'<div lang="{code}">\n<p>{html.escape(hello)}</p>\n<p>{html.escape(ask)}</p>\n'
        f"<p>{html.escape(said)}</p>\n<blockquote>{html.escape(title)}</blockquote>\n"
        f'<p>{html.escape(go)}</p>\n<p><a href="{quoted}">{quoted}</a></p>\n'
        f"<p>{html.escape(then)}</p>\n<p>{html.escape(why)}</p>\n</div>"
        for code, (hello, ask, said, go, then, why) in texts.items()
    )
    subject = subject_in("approval.subject", order)
    return envelope(sender, to, subject, plain, sections, order)


# --- the flow ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CallView:
    """A held call as the approval page shows it: every value as text, escaped by the template."""

    title: str
    summary: str
    organiser: str
    cities: list[str]
    deadline: str
    apply: str
    body: str
    links: list[str]


class Organisers:
    """The approval flow of one service: its store, and what it does at the post, before a proposal,
    at the owner's answer and in each round of the worker."""

    def __init__(self, svc, store: ApprovalStore | None):
        self.svc = svc
        self.store = store
        """None without a private store: no owner can be asked, every call in a profile's name is unconfirmed."""

    def owner_of(self, slug: str) -> str | None:
        """The permanent id of the profile ``slug`` when it has an owner the service can ask, else None."""
        svc = self.svc
        if svc.owners is None or svc.mailer is None or self.store is None:
            return None
        with svc.checkout.lock:
            record = profile_record(svc.checkout.path / "content", slug)
        return record[0] if record is not None and svc.owners.has(record[0]) else None

    def note(self, submission, entry_id: int, lang: str) -> None:
        """At a post with the e-mail check: a call that names a profile with an owner gets a row, which
        is approved at once when the poster's address is the owner's (their confirmation is the yes)."""
        slug = organiser_profile(submission.files)
        profile_id = self.owner_of(slug) if slug is not None else None
        if profile_id is None:
            return
        own = bool(submission.contact_email) and self.svc.owners.matches(profile_id, submission.contact_email)
        self.store.add(submission.content_hash, profile_id, lang, APPROVED if own else PENDING, entry_id)

    def awaits(self, submission_id: int) -> bool:
        """Whether a confirmed entry now waits for its organiser's yes (the confirmation page says so)."""
        entry = self.svc.spool.get(submission_id)
        found = self.store.of(entry.content_hash) if entry is not None and self.store is not None else None
        return found is not None and found.state in (PENDING, ASKING)

    def gate(self, entry: SpoolEntry) -> str | None:
        """Before an entry is proposed: None for one that names no profile as organiser; ``CONFIRMED``
        when the owner said yes; ``HELD`` (and the owner's mail due) when the owner is to be asked, also
        when the owner record came after the post; ``UNCONFIRMED`` when nobody can be asked."""
        slug = organiser_profile(entry.files)
        if slug is None:
            return None
        found = self.store.of(entry.content_hash) if self.store is not None else None
        if found is None:
            profile_id = self.owner_of(slug)
            if profile_id is None:
                return UNCONFIRMED
            self.store.add(entry.content_hash, profile_id, "de", PENDING, entry.id)
            found = self.store.of(entry.content_hash)
        if found.state == APPROVED:
            return CONFIRMED
        if found.state == DECLINED:  # the same content again after a no: never proposed
            self.svc.spool.discard(entry.id, entry.state)
            return HELD
        self.svc.spool.hold(entry.id, now=self.svc.clock())
        self.store.ask(entry.content_hash, entry.id)
        self.svc.worker.wake()  # the owner's mail goes out in the next round, not after the idle wait
        logger.info("approval_held", extra={"event": "approval_held", "submission": entry.id})
        return HELD

    def round(self) -> None:
        """The worker's chore: end what ran out, then send the owners' mails that are due."""
        if self.store is None:
            return
        try:
            for found in self.store.expired():
                entry = self.svc.spool.get(found.submission_id) if found.submission_id is not None else None
                if found.state == ASKING:
                    if self.svc.spool.discard(found.submission_id, APPROVAL):
                        logger.info(
                            "approval_expired",
                            extra={"event": "approval_expired", "submission": found.submission_id},
                        )
                    self.store.forget(found.content_hash)
                elif found.state in (PENDING, APPROVED) and entry is not None and entry.state != PROPOSED:
                    self.store.extend(found.content_hash)  # still on its way: the answer must not be lost
                else:
                    self.store.forget(found.content_hash)
            if self.svc.mailer is not None:
                for found in self.store.mail_due():
                    self.send(found)
        except sqlite3.Error:
            logger.exception("approval_round_failed", extra={"event": "approval_round_failed"})

    def send(self, found: Approval) -> None:
        """Mail the owner of a held entry a new link; never log the address."""
        svc = self.svc
        entry = svc.spool.get(found.submission_id) if found.submission_id is not None else None
        address = svc.owners.address(found.profile_id) if svc.owners is not None else None
        view = self.view(entry) if entry is not None and entry.state == APPROVAL else None
        if view is None or address is None:  # the entry or the owner is gone: nobody to ask
            if entry is not None:
                svc.spool.discard(entry.id, APPROVAL)
            self.store.forget(found.content_hash)
            return
        token, digest = new_token()
        link = mailed_link(svc.mailer.public_url, "approve", token, found.lang)
        message = approval_message(
            svc.mailer.sender,
            address,
            link,
            view.organiser,
            view.title,
            found.lang,
            svc.mailer.days,
            svc.mailer.fallback,
        )
        try:
            svc.mailer.send(message)
        except MailRefused:  # the owner's address is refused for good: the yes can never come
            svc.spool.discard(entry.id, APPROVAL)
            self.store.forget(found.content_hash)
            logger.warning(
                "approval_undeliverable", extra={"event": "approval_undeliverable", "submission": entry.id}
            )
        except Exception as exc:  # down, or a bug: try again later
            delay = self.store.mail_retry(found.content_hash, found.mail_attempts)
            logger.warning(
                "approval_mail_retry",
                extra={"event": "approval_mail_retry", "submission": entry.id, "delay": delay,
                       "error": type(exc).__name__},
            )  # fmt: skip
        else:
            self.store.mail_sent(found.content_hash, digest)
            logger.info("approval_mail_sent", extra={"event": "approval_mail_sent", "submission": entry.id})

    def view(self, entry: SpoolEntry) -> CallView | None:
        """The held call as the page shows it, or None when the entry holds no call. The profile's
        name is read without the checkout's lock (which posts hold while they validate): a read that
        meets a refresh shows the slug instead."""
        found = call_file(entry.files)
        if found is None:
            return None
        data, body = found
        slug = organiser_profile(entry.files) or ""
        record = profile_record(self.svc.checkout.path / "content", slug)
        texts = [str(v) for v in data.get("cities") or [] if isinstance(v, str)]
        return CallView(
            title=str(data.get("title", "")),
            summary=str(data.get("summary", "")),
            organiser=record[1] if record else slug,
            cities=texts,
            deadline=str(data.get("deadline", "")),
            apply=str(data.get("apply", "")),
            body=body.strip(),
            links=links_in(data, body),
        )

    def answer(self, token: str, decision: str | None) -> tuple[int, str, CallView | None]:
        """The owner's link: ``decision`` None shows, ``APPROVED`` or ``DECLINED`` acts. Returns the
        status, the page's message and the call to show (when it still waits)."""
        found = self.store.by_token(token) if self.store is not None else None
        if found is None:
            return 404, "approval_unknown", None
        if decision is None and found.state == ASKING:
            entry = self.svc.spool.get(found.submission_id)
            view = self.view(entry) if entry is not None and entry.state == APPROVAL else None
            return (200, "", view) if view is not None else (404, "approval_unknown", None)
        if decision is not None and found.state == ASKING:
            state = self.store.decide(found.content_hash, decision)
            if state == APPROVED and decision == APPROVED:
                self.svc.spool.release(found.submission_id, now=self.svc.clock())
                self.svc.worker.wake()
            elif state == DECLINED and decision == DECLINED:
                self.svc.spool.discard(found.submission_id, APPROVAL)
            logger.info("approval_answered", extra={"event": "approval_answered", "state": state,
                                                     "submission": found.submission_id})  # fmt: skip
            found = self.store.of(found.content_hash) or found
        if decision is None or decision == found.state:
            return 200, f"approval_{found.state}", None
        return 409, f"approval_already_{found.state}", None
