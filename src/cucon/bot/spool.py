"""The durable spool of the submission service, and the worker that turns its entries into pull requests.

A submission is written to SQLite before the service answers 202; from then on nothing is lost. The
worker takes due entries one by one and proposes them through a :class:`~cucon.bot.githost.GitHost`:
a forge that is down is tried again with exponential backoff, a restart resumes where it stopped,
and because the branch name comes from the content hash, a retry reuses the branch and never opens
a second pull request.

The spool keeps what the pull request needs (the files, the title, the summary line, the slug of
the branch name) and nothing about the person beyond that: no IP address, no e-mail address. Once
its pull request is open, an entry keeps only ids, hashes, states and times: its files, title,
summary and slug are erased; the row stays, so the same content submitted again is recognised. Edit
links lead to the permanent id (a random id, not a name), never to a slug.

With the e-mail check (double opt-in, :mod:`cucon.bot.mail`), a new entry first waits in the state
``awaiting``: the worker sends the confirmation mail (retrying with backoff while the mail server is
down), and only the link's :meth:`Spool.confirm` moves it on to ``received``. The address is kept in
the ``confirmations`` table only until its mail is sent, then erased (SQLite's ``secure_delete`` and
a truncating WAL checkpoint leave no copy in the files); of the link's token only a SHA-256 is kept.
An entry not confirmed within :data:`CONFIRM_SECONDS` is deleted with its files.

Quotas (:class:`Quota`) bound what strangers can make the spool hold: a new entry is refused when
the spool's used size would pass ``max_bytes``, or when too many entries already wait for their
confirmation from the same e-mail address or network. Those two are known only as keyed hashes
(``contact_key``, ``network_key``), kept until the entry is confirmed or deleted. Entries already
taken are never refused: their confirmation, delivery and retries do not count against a quota.
Deleted entries give their pages back to the file system (``auto_vacuum = INCREMENTAL``).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sqlite3
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path

from cucon.catalog import bilingual, pair
from cucon.inert import code, plain

logger = logging.getLogger(__name__)

RECEIVED, PROPOSED, FAILED, AWAITING = "received", "proposed", "failed", "awaiting"
APPROVAL = "approval"
"""A confirmed call that names a profile with an owner, waiting for that owner's yes (:mod:`cucon.bot.approval`)."""
STATES = (RECEIVED, PROPOSED, FAILED, AWAITING, APPROVAL)
CONFIRM_SECONDS = 7 * 24 * 3600.0
"""How long a confirmation link works; an entry not confirmed by then is deleted."""
FIRST_DELAY = 30.0
"""Seconds before the first retry after the forge was unavailable; doubled on every further try."""
MAX_DELAY = 3600.0
"""The longest wait between two tries, unless the forge asks for longer with Retry-After."""
FULL_RETRY_SECONDS = 3600.0
"""What a refusal for a full spool or disk asks the client to wait."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
    id INTEGER PRIMARY KEY,
    idempotency_key TEXT UNIQUE,
    content_hash TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary_line TEXT NOT NULL,
    permanent_id TEXT,
    state TEXT NOT NULL CHECK (state IN ('received', 'proposed', 'failed', 'awaiting', 'approval')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt REAL NOT NULL,
    received_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    pr_url TEXT,
    reason TEXT
);
CREATE INDEX IF NOT EXISTS due ON submissions (state, next_attempt);
CREATE TABLE IF NOT EXISTS files (
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (submission_id, path)
);
CREATE TABLE IF NOT EXISTS confirmations (
    submission_id INTEGER PRIMARY KEY REFERENCES submissions (id) ON DELETE CASCADE,
    contact TEXT,
    lang TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    mail_attempts INTEGER NOT NULL DEFAULT 0,
    next_mail REAL,
    expires_at REAL NOT NULL,
    confirmed_at REAL,
    contact_key TEXT,
    network_key TEXT
);
CREATE INDEX IF NOT EXISTS mail_due ON confirmations (next_mail);
CREATE TABLE IF NOT EXISTS deletions (
    submission_id INTEGER NOT NULL REFERENCES submissions (id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    PRIMARY KEY (submission_id, path)
);
CREATE TABLE IF NOT EXISTS edit_links (
    token_hash TEXT PRIMARY KEY,
    permanent_id TEXT NOT NULL,
    kind TEXT NOT NULL,
    created REAL NOT NULL,
    withdrawal INTEGER
);
CREATE INDEX IF NOT EXISTS edit_by_id ON edit_links (permanent_id);
"""
# ``deletions`` and ``edit_links`` came with the edit links: CREATE … IF NOT EXISTS adds them to a spool
# file of an earlier release when it is opened. Of an edit link's token only the SHA-256 is kept. Links
# were minted on posts until edit links went to owners only (:mod:`cucon.bot.ownership`): none is added
# any more, the rows only let such a link answer 410, and their ``permanent_id`` is emptied on opening.
# ``contact`` is the address and ``next_mail`` the time of the next try: both NULL once the mail is sent.
# ``contact_key`` and ``network_key`` (keyed hashes of the address and the client's network, for the
# caps on pending entries) are NULL once the entry is confirmed; a spool of an earlier release gains
# the columns when it is opened (:meth:`Spool._migrate`).
PENDING_KEYS = ("contact_key", "network_key")
DROPPED = (("submissions", "branch"), ("edit_links", "slug"))
"""Columns of an earlier release that named a person (a branch and a slug carry a name's slug): a
spool file that has them loses them when it is opened."""


@dataclass(frozen=True)
class Quota:
    """What the spool takes from strangers: its used size, and entries waiting for confirmation."""

    max_bytes: int
    """The used size of the SQLite file (its pages in use) beyond which no new entry is taken."""
    per_contact: int
    """Entries that may wait for their confirmation under one e-mail address."""
    per_network: int
    """Entries that may wait for their confirmation from one network (an IPv4 address, an IPv6 /64)."""


class OverQuota(Exception):
    """A new entry the spool does not take: ``reason`` is ``spool_full``, ``pending_contact`` or
    ``pending_network``; ``retry_after`` the seconds until one may be taken."""

    def __init__(self, reason: str, retry_after: float):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


@dataclass(frozen=True)
class PendingMail:
    """A confirmation mail still to be sent."""

    submission_id: int
    contact: str
    lang: str
    attempts: int


@dataclass(frozen=True)
class Confirmation:
    """What a confirmation link stands for: its entry, the page's language, and whether it was used."""

    submission_id: int
    lang: str
    confirmed: bool


@dataclass(frozen=True)
class EditLink:
    """What an owner's edit link stands for: the published entry."""

    permanent_id: str
    kind: str


@dataclass(frozen=True)
class SpoolEntry:
    """One spooled submission, as the worker sees it."""

    id: int
    kind: str
    slug: str
    title: str
    summary_line: str
    content_hash: str
    permanent_id: str | None
    state: str
    attempts: int
    next_attempt: float
    pr_url: str | None = None
    reason: str | None = None
    files: Mapping[str, bytes] = field(default_factory=dict)
    email_verified: bool = False
    """True when the submitter confirmed the address by the link of the confirmation mail."""
    deletions: tuple[str, ...] = ()
    """Files the pull request deletes (a withdrawal)."""

    @property
    def branch_name(self) -> str:
        """``submissions/<kind>/<slug>-<short hash>``: the same for every try of the same content."""
        return branch_name(self.kind, self.slug, self.content_hash)


def short_hash(content_hash: str) -> str:
    """Ten hex digits that stand for a content hash (its own, if it is hex; else a SHA-256 of it).

    >>> short_hash("sha256:0123456789abcdef0123")
    '0123456789'
    >>> len(short_hash("not hex at all"))
    10
    """
    digest = content_hash.rpartition(":")[2].lower()
    if not re.fullmatch(r"[0-9a-f]{10,}", digest):
        digest = hashlib.sha256(content_hash.encode()).hexdigest()
    return digest[:10]


def branch_name(kind: str, slug: str, content_hash: str) -> str:
    """The branch of a submission.

    >>> branch_name("profile", "anna-beispiel", "ab12cd34ef56ab12")
    'submissions/profile/anna-beispiel-ab12cd34ef'
    """
    safe_slug = re.sub(r"[^a-z0-9-]+", "-", slug.lower()).strip("-")[:60] or "entry"
    safe_kind = re.sub(r"[^a-z0-9-]+", "-", kind.lower()).strip("-") or "entry"
    return f"submissions/{safe_kind}/{safe_slug}-{short_hash(content_hash)}"


def backoff(attempts: int) -> float:
    """Seconds to wait after the given number of failed tries: 30 s, 60 s, 120 s, … at most an hour.

    >>> [backoff(n) for n in (1, 2, 3)], backoff(20)
    ([30.0, 60.0, 120.0], 3600.0)
    """
    return min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, min(attempts - 1, 20)))


class Spool:
    """Submissions in SQLite (WAL mode, one connection per thread), from received to proposed or failed."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._connection().execute("PRAGMA auto_vacuum = INCREMENTAL")  # takes effect on a new file
        self._connection().executescript(SCHEMA)
        self._migrate()

    # --- connections ----------------------------------------------------------------------------

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, opened on first use."""
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None, check_same_thread=False)
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")  # a 202 promises the entry survives a power cut
            db.execute("PRAGMA foreign_keys=ON")
            db.execute("PRAGMA secure_delete=ON")  # an erased address leaves no bytes in free pages
            self._local.db = db
            with self._lock:
                self._connections.append(db)
        return db

    def _transaction(self):
        """A context manager: BEGIN IMMEDIATE … COMMIT (ROLLBACK on error) on this thread's connection."""
        return _Transaction(self._connection())

    def _migrate(self) -> None:
        """Bring a spool file of an earlier release up to date: the pending keys of ``confirmations``,
        no columns that named a person (:data:`DROPPED`), incremental vacuum, and a submissions table
        whose CHECK knows ``awaiting`` and ``approval``."""
        db = self._connection()
        for table, column in DROPPED:
            if column in {row["name"] for row in db.execute(f"PRAGMA table_info({table})")}:
                db.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
                self._scrub()
        if db.execute("UPDATE edit_links SET permanent_id = '' WHERE permanent_id != ''").rowcount:
            self._scrub()  # a link minted on a post grants nothing any more: it need not find its entry
        columns = {row["name"] for row in db.execute("PRAGMA table_info(confirmations)")}
        for name in PENDING_KEYS:
            if name not in columns:
                db.execute(f"ALTER TABLE confirmations ADD COLUMN {name} TEXT")
            db.execute(f"CREATE INDEX IF NOT EXISTS pending_{name} ON confirmations ({name})")
        if db.execute("PRAGMA auto_vacuum").fetchone()[0] != 2:  # 2: incremental
            db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            db.execute("VACUUM")  # once: a file made without it learns it only by being rewritten
        (sql,) = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'submissions'"
        ).fetchone()
        if f"'{APPROVAL}'" in sql:
            return
        create = SCHEMA.split("CREATE TABLE IF NOT EXISTS submissions ", 1)[1].split(";", 1)[0]
        db.execute("PRAGMA foreign_keys=OFF")  # the files keep pointing at "submissions"
        try:
            with self._transaction():
                db.execute(f"CREATE TABLE submissions_new {create}")
                db.execute("INSERT INTO submissions_new SELECT * FROM submissions")
                db.execute("DROP TABLE submissions")
                db.execute("ALTER TABLE submissions_new RENAME TO submissions")
                db.execute("CREATE INDEX IF NOT EXISTS due ON submissions (state, next_attempt)")
        finally:
            db.execute("PRAGMA foreign_keys=ON")

    def _scrub(self) -> None:
        """Give free pages back to the file system, then copy the WAL into the database and truncate
        it, so erased data leaves no old page behind."""
        try:
            self._connection().executescript("PRAGMA incremental_vacuum;")  # execute() frees one page only
            self._connection().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.OperationalError:  # busy: the next erase or checkpoint catches up
            logger.warning("spool_checkpoint_busy", extra={"event": "spool_checkpoint_busy"})

    def close(self) -> None:
        """Close every connection this spool opened (call when no thread uses it any more)."""
        with self._lock:
            for db in self._connections:
                db.close()
            self._connections.clear()
        self._local = threading.local()

    # --- writing --------------------------------------------------------------------------------

    def add(
        self,
        submission,
        idempotency_key: str | None = None,
        now: float | None = None,
        *,
        confirm_lang: str | None = None,
        quota: Quota | None = None,
        contact_key: str | None = None,
        network_key: str | None = None,
    ) -> tuple[int, bool]:
        """Store a submission; ``(id, True)`` if new, ``(id, False)`` if the key or content is known.

        A double submit, with the same Idempotency-Key or the same content, yields one entry. With
        ``confirm_lang`` (the e-mail check is on) the entry waits for its confirmation, and the
        submission's ``contact_email`` is kept until the mail, in that language first, is sent.
        With a ``quota``, a new entry over it raises :class:`OverQuota` (a known one is still found).
        """
        now = time.time() if now is None else now
        awaiting = confirm_lang is not None
        if awaiting and not getattr(submission, "contact_email", None):
            raise ValueError("an entry that waits for its confirmation needs the address to send it to")
        with self._transaction() as db:
            row = db.execute(
                "SELECT id FROM submissions WHERE content_hash = ? OR idempotency_key = ? ORDER BY id LIMIT 1",
                (submission.content_hash, idempotency_key),
            ).fetchone()
            if row is not None:
                return row["id"], False
            if quota is not None:
                size = sum(len(data) for data in submission.files.values())
                refusal = self._over_quota(db, quota, now, size, contact_key, network_key)
                if refusal is not None:
                    raise refusal
            cursor = db.execute(
                "INSERT INTO submissions (idempotency_key, content_hash, kind, slug, title, summary_line,"
                " permanent_id, state, next_attempt, received_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    idempotency_key,
                    submission.content_hash,
                    submission.kind,
                    submission.slug,
                    submission.title,
                    submission.summary_line,
                    getattr(submission, "permanent_id", None),
                    AWAITING if awaiting else RECEIVED,
                    now,
                    now,
                    now,
                ),
            )
            entry_id = cursor.lastrowid
            if awaiting:
                db.execute(
                    "INSERT INTO confirmations (submission_id, contact, lang, next_mail, expires_at,"
                    " contact_key, network_key) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (
                        entry_id,
                        submission.contact_email,
                        confirm_lang,
                        now,
                        now + CONFIRM_SECONDS,
                        contact_key,
                        network_key,
                    ),
                )
            db.executemany(
                "INSERT INTO files (submission_id, path, data) VALUES (?, ?, ?)",
                [(entry_id, path, bytes(data)) for path, data in sorted(submission.files.items())],
            )
            db.executemany(
                "INSERT INTO deletions (submission_id, path) VALUES (?, ?)",
                [(entry_id, path) for path in sorted(getattr(submission, "deletions", ()))],
            )
        return entry_id, True

    def over_quota(
        self,
        quota: Quota,
        now: float | None = None,
        contact_key: str | None = None,
        network_key: str | None = None,
    ) -> OverQuota | None:
        """Why a new entry would be refused now (before it is even read), or ``None``."""
        now = time.time() if now is None else now
        return self._over_quota(self._connection(), quota, now, 0, contact_key, network_key)

    def _over_quota(
        self,
        db: sqlite3.Connection,
        quota: Quota,
        now: float,
        size: int,
        contact_key: str | None,
        network_key: str | None,
    ) -> OverQuota | None:
        if self.used_bytes(db) + size > quota.max_bytes:
            return OverQuota("spool_full", FULL_RETRY_SECONDS)
        for column, key, cap in (
            ("contact_key", contact_key, quota.per_contact),
            ("network_key", network_key, quota.per_network),
        ):
            if key is None:
                continue
            row = db.execute(
                f"SELECT COUNT(*) AS n, MIN(c.expires_at) AS first FROM confirmations c"
                f" JOIN submissions s ON s.id = c.submission_id WHERE c.{column} = ? AND s.state = ?",
                (key, AWAITING),
            ).fetchone()
            if row["n"] >= cap:
                return OverQuota(f"pending_{column.removesuffix('_key')}", max(1.0, row["first"] - now))
        return None

    def used_bytes(self, db: sqlite3.Connection | None = None) -> int:
        """The bytes of the spool file's pages in use (free pages not counted)."""
        db = db or self._connection()
        (pages,) = db.execute("PRAGMA page_count").fetchone()
        (free,) = db.execute("PRAGMA freelist_count").fetchone()
        (size,) = db.execute("PRAGMA page_size").fetchone()
        return (pages - free) * size

    def mark_proposed(self, entry_id: int, pr_url: str | None, now: float | None = None) -> None:
        """The pull request is open: remember where, and erase the files, title, summary and slug (the
        forge has them now); ids, hashes, states and times stay (docs/bot.md, "Retention")."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute(
                "UPDATE submissions SET state = ?, pr_url = ?, reason = NULL, updated_at = ?,"
                " title = '', summary_line = '', slug = '' WHERE id = ?",
                (PROPOSED, pr_url, now, entry_id),
            )
            db.execute("DELETE FROM files WHERE submission_id = ?", (entry_id,))
            db.execute("DELETE FROM deletions WHERE submission_id = ?", (entry_id,))
        self._scrub()

    # --- edit links -----------------------------------------------------------------------------

    def minted_on_post(self, token_hash: str) -> bool:
        """Whether a token is an edit link an earlier release gave to whoever posted a profile."""
        query = "SELECT 1 FROM edit_links WHERE token_hash = ?"
        return self._connection().execute(query, (token_hash,)).fetchone() is not None

    def mark_retry(
        self, entry_id: int, delay: float | None = None, reason: str = "", now: float | None = None
    ) -> float:
        """Count a failed try and schedule the next one; return the delay in seconds.

        ``delay`` is what the forge asked for (its Retry-After), honoured as given; without one the
        delay grows with every try (:func:`backoff`). Only entries still waiting are touched: a try
        that ends after another worker proposed the entry changes nothing.
        """
        now = time.time() if now is None else now
        with self._transaction() as db:
            row = db.execute(
                "SELECT attempts FROM submissions WHERE id = ? AND state = ?", (entry_id, RECEIVED)
            ).fetchone()
            if row is None:
                return 0.0
            attempts = row["attempts"] + 1
            wait = float(delay) if delay is not None else backoff(attempts)
            db.execute(
                "UPDATE submissions SET attempts = ?, next_attempt = ?, reason = ?, updated_at = ?"
                " WHERE id = ? AND state = ?",
                (attempts, now + wait, reason[:500] or None, now, entry_id, RECEIVED),
            )
        return wait

    def mark_failed(self, entry_id: int, reason: str, now: float | None = None) -> None:
        """The forge refused the entry for good; keep its files for staff and the reason."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute(
                "UPDATE submissions SET state = ?, reason = ?, updated_at = ? WHERE id = ? AND state = ?",
                (FAILED, reason[:500], now, entry_id, RECEIVED),
            )

    # --- the e-mail check ------------------------------------------------------------------------

    def mail_due(self, now: float | None = None, limit: int = 20) -> list[PendingMail]:
        """Confirmation mails to send now, oldest first."""
        now = time.time() if now is None else now
        rows = (
            self._connection()
            .execute(
                "SELECT submission_id, contact, lang, mail_attempts FROM confirmations"
                " WHERE next_mail IS NOT NULL AND next_mail <= ? AND contact IS NOT NULL"
                " ORDER BY next_mail, submission_id LIMIT ?",
                (now, limit),
            )
            .fetchall()
        )
        return [PendingMail(r["submission_id"], r["contact"], r["lang"], r["mail_attempts"]) for r in rows]

    def mail_sent(self, entry_id: int, token_hash: str, now: float | None = None) -> None:
        """The mail is out: keep the token's hash, erase the address, and let the link work from now on."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute(
                "UPDATE confirmations SET contact = NULL, next_mail = NULL, token_hash = ?, expires_at = ?"
                " WHERE submission_id = ?",
                (token_hash, now + CONFIRM_SECONDS, entry_id),
            )
        self._scrub()

    def mail_retry(self, entry_id: int, now: float | None = None) -> float:
        """Sending failed for now: count it and schedule the next try (:func:`backoff`); return the delay."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            row = db.execute(
                "SELECT mail_attempts FROM confirmations WHERE submission_id = ? AND next_mail IS NOT NULL",
                (entry_id,),
            ).fetchone()
            if row is None:
                return 0.0
            attempts = row["mail_attempts"] + 1
            wait = backoff(attempts)
            db.execute(
                "UPDATE confirmations SET mail_attempts = ?, next_mail = ? WHERE submission_id = ?",
                (attempts, now + wait, entry_id),
            )
        return wait

    def discard(self, entry_id: int, state: str = AWAITING) -> bool:
        """Delete an entry that waits (for its confirmation, or with ``APPROVAL`` for its organiser's
        yes), with its files and address; False when it no longer waits so."""
        with self._transaction() as db:
            gone = db.execute(
                "DELETE FROM submissions WHERE id = ? AND state = ?", (entry_id, state)
            ).rowcount
        self._scrub()
        return bool(gone)

    def hold(self, entry_id: int, now: float | None = None) -> None:
        """A received entry waits for its organiser's yes (state ``approval``) instead of being proposed."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            db.execute(
                "UPDATE submissions SET state = ?, updated_at = ? WHERE id = ? AND state = ?",
                (APPROVAL, now, entry_id, RECEIVED),
            )

    def release(self, entry_id: int, now: float | None = None) -> bool:
        """The organiser said yes: the held entry is due to be proposed now; False when none was held."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            return bool(
                db.execute(
                    "UPDATE submissions SET state = ?, next_attempt = ?, updated_at = ? WHERE id = ? AND state = ?",
                    (RECEIVED, now, now, entry_id, APPROVAL),
                ).rowcount
            )

    def expire(self, now: float | None = None) -> int:
        """Delete the entries whose confirmation time ran out, with their files; return how many."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            count = db.execute(
                "DELETE FROM submissions WHERE state = ? AND id IN"
                " (SELECT submission_id FROM confirmations WHERE expires_at <= ?)",
                (AWAITING, now),
            ).rowcount
        if count:
            self._scrub()
        return count

    def confirmation(self, token_hash: str, now: float | None = None) -> Confirmation | None:
        """What a link's token hash stands for; ``None`` when unknown, or expired before it was used."""
        now = time.time() if now is None else now
        row = (
            self._connection()
            .execute(
                "SELECT c.submission_id, c.lang, c.confirmed_at, c.expires_at FROM confirmations c"
                " JOIN submissions s ON s.id = c.submission_id WHERE c.token_hash = ?",
                (token_hash,),
            )
            .fetchone()
        )
        if row is None or (row["confirmed_at"] is None and row["expires_at"] <= now):
            return None
        return Confirmation(row["submission_id"], row["lang"], row["confirmed_at"] is not None)

    def confirm(self, token_hash: str, now: float | None = None) -> Confirmation | None:
        """Use a link: its entry moves on to ``received`` and is proposed. Twice is harmless."""
        now = time.time() if now is None else now
        with self._transaction() as db:
            found = self.confirmation(token_hash, now)
            if found is None or found.confirmed:
                return found
            db.execute(
                "UPDATE confirmations SET confirmed_at = ?, contact_key = NULL, network_key = NULL"
                " WHERE submission_id = ?",
                (now, found.submission_id),
            )
            db.execute(
                "UPDATE submissions SET state = ?, next_attempt = ?, updated_at = ? WHERE id = ? AND state = ?",
                (RECEIVED, now, now, found.submission_id, AWAITING),
            )
        return Confirmation(found.submission_id, found.lang, True)

    # --- reading --------------------------------------------------------------------------------

    def due(self, now: float | None = None, limit: int = 20) -> list[SpoolEntry]:
        """Entries to try now: received, with their next try at or before ``now``, oldest first."""
        now = time.time() if now is None else now
        db = self._connection()
        rows = db.execute(
            "SELECT * FROM submissions WHERE state = ? AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?",
            (RECEIVED, now, limit),
        ).fetchall()
        return [self._entry(db, row) for row in rows]

    def find(self, idempotency_key: str) -> int | None:
        """The id of the entry stored under an Idempotency-Key, or ``None``."""
        row = (
            self._connection()
            .execute("SELECT id FROM submissions WHERE idempotency_key = ?", (idempotency_key,))
            .fetchone()
        )
        return None if row is None else row["id"]

    def get(self, entry_id: int) -> SpoolEntry | None:
        """One entry with its files (none once proposed), or ``None``."""
        db = self._connection()
        row = db.execute("SELECT * FROM submissions WHERE id = ?", (entry_id,)).fetchone()
        return None if row is None else self._entry(db, row)

    def next_due(self) -> float | None:
        """When the worker has something to do next (an entry to propose, a mail to send, a
        confirmation that runs out), as a time from :func:`time.time`; ``None`` when nothing waits."""
        row = (
            self._connection()
            .execute(
                "SELECT MIN(t) AS t FROM ("
                " SELECT MIN(next_attempt) AS t FROM submissions WHERE state = ?"
                " UNION ALL SELECT MIN(next_mail) FROM confirmations WHERE contact IS NOT NULL"
                " UNION ALL SELECT MIN(c.expires_at) FROM confirmations c"
                " JOIN submissions s ON s.id = c.submission_id WHERE s.state = ?)",
                (RECEIVED, AWAITING),
            )
            .fetchone()
        )
        return row["t"]

    def counts(self) -> dict[str, int]:
        """How many entries are in each state."""
        counts = dict.fromkeys(STATES, 0)
        for row in self._connection().execute("SELECT state, COUNT(*) AS n FROM submissions GROUP BY state"):
            counts[row["state"]] = row["n"]
        return counts

    def delivery(self) -> Delivery:
        """Where delivery stands: the entries waiting for it, the failing ones, the last push."""
        db = self._connection()
        waiting = db.execute(
            "SELECT MIN(COALESCE(c.confirmed_at, s.received_at)) AS since FROM submissions s"
            " LEFT JOIN confirmations c ON c.submission_id = s.id WHERE s.state = ?",
            (RECEIVED,),
        ).fetchone()["since"]
        failing = db.execute(
            "SELECT MIN(COALESCE(c.confirmed_at, s.received_at)) AS since FROM submissions s"
            " LEFT JOIN confirmations c ON c.submission_id = s.id WHERE s.state = ? AND s.attempts > 0",
            (RECEIVED,),
        ).fetchone()["since"]
        error = db.execute(
            "SELECT reason FROM submissions WHERE state IN (?, ?) AND reason IS NOT NULL"
            " ORDER BY updated_at DESC LIMIT 1",
            (RECEIVED, FAILED),
        ).fetchone()
        pushed = db.execute("SELECT MAX(updated_at) AS at FROM submissions WHERE state = ?", (PROPOSED,))
        return Delivery(waiting, failing, pushed.fetchone()["at"], error["reason"] if error else None)

    @staticmethod
    def _entry(db: sqlite3.Connection, row: sqlite3.Row) -> SpoolEntry:
        files = {
            f["path"]: bytes(f["data"])
            for f in db.execute(
                "SELECT path, data FROM files WHERE submission_id = ? ORDER BY path", (row["id"],)
            )
        }
        columns = {f.name for f in fields(SpoolEntry)} - {"files", "email_verified", "deletions"}
        verified = db.execute(
            "SELECT 1 FROM confirmations WHERE submission_id = ? AND confirmed_at IS NOT NULL", (row["id"],)
        ).fetchone()
        deletions = tuple(
            d["path"]
            for d in db.execute(
                "SELECT path FROM deletions WHERE submission_id = ? ORDER BY path", (row["id"],)
            )
        )
        return SpoolEntry(
            **{name: row[name] for name in columns - {"deletions"}},
            files=files,
            email_verified=verified is not None,
            deletions=deletions,
        )


class _Transaction:
    """BEGIN IMMEDIATE on enter; COMMIT on a clean exit, ROLLBACK on an exception."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self) -> sqlite3.Connection:
        self.db.execute("BEGIN IMMEDIATE")
        return self.db

    def __exit__(self, kind, value, traceback) -> None:
        self.db.execute("ROLLBACK" if kind else "COMMIT")


# --- the pull request ---------------------------------------------------------------------------

KINDS = ("profile", "call", "news", "update", "withdraw")
"""The kinds of entry a pull request names in its title (``pr.kind.<kind>``); any other is ``other``."""
EDIT_LABELS = {"update": "correction", "withdraw": "removal-request"}
"""The label of a change asked for with an edit link, by kind."""
CONFIRMED, UNCONFIRMED, HELD = "confirmed", "unconfirmed", "held"
"""What :attr:`Worker.gate` says of an entry: its organiser confirmed it, could not be asked, or is asked now."""
UNCONFIRMED_LABEL = "organiser-unconfirmed"


def labels_of(entry: SpoolEntry, organiser: str | None = None) -> list[str]:
    """The pull request's labels: ``bot`` and ``new-<kind>`` (``correction`` or ``removal-request``
    for a change asked for with an edit link), and ``organiser-unconfirmed`` when the profile it
    names as organiser did not confirm it."""
    labels = ["bot", EDIT_LABELS.get(entry.kind, f"new-{entry.kind}")]
    return [*labels, UNCONFIRMED_LABEL] if organiser == UNCONFIRMED else labels


def kind_words(kind: str) -> str:
    """What a pull request proposes, in German and English.

    >>> kind_words("profile"), kind_words("page")
    ('Neues Profil / New profile', 'Neuer Beitrag / New entry')
    """
    return bilingual(f"pr.kind.{kind if kind in KINDS else 'other'}")


TITLE_MAX = 256
"""The longest pull request title GitHub takes."""


def pr_title(entry: SpoolEntry) -> str:
    """The pull request's title, e.g. "Neues Profil / New profile: Anna Beispiel": the entry's title
    made inert (:func:`cucon.inert.plain`: no mention, reference, address or skip instruction) and
    cut to GitHub's limit."""
    prefix = f"{kind_words(entry.kind)}: "
    return prefix + plain(entry.title, TITLE_MAX - len(prefix))


def staff_checklist(checkout: Path | None) -> str:
    """The staff part of .github/pull_request_template.md in the checkout (after its ``---``), if any."""
    if checkout is None:
        return ""
    template = checkout / ".github" / "pull_request_template.md"
    try:
        text = template.read_text("utf-8")
    except OSError:
        return ""
    text = re.sub(r"<!--.*?-->\s*", "", text, flags=re.S)
    head, rule, tail = text.partition("\n---\n")
    return (tail if rule else head).strip()


def pr_description(
    entry: SpoolEntry, checklist: str = "", email_verified: bool = False, organiser: str | None = None
) -> str:
    """A readable pull request description, in German and English, with the staff checklist.

    It names what is proposed and which files, never the person's e-mail address or anything the
    form did not mean to publish. The summary line is Markdown whose values are inert code spans
    (:func:`cucon.inert.code`); every other value (paths, id, branch) is one too.
    """
    lines = [f"## {kind_words(entry.kind)}", "", entry.summary_line, "", *pair("pr.submitted"), ""]
    if entry.kind in EDIT_LABELS:
        lines += [f"🔑 {bilingual('pr.edit-link')}", ""]
    elif email_verified:
        lines += [f"✅ **{bilingual('pr.email-verified')}.**", ""]
    else:
        lines += [f"⚠️ **{bilingual('pr.email-not-verified')}.** {bilingual('pr.no-mail')}", ""]
    if organiser == CONFIRMED:
        lines += [f"✅ **{bilingual('pr.organiser-confirmed')}.**", ""]
    elif organiser == UNCONFIRMED:
        lines += [f"⚠️ **{bilingual('pr.organiser-unconfirmed')}.** {bilingual('pr.organiser-ask')}", ""]
    lines += [f"### {bilingual('pr.files')}", ""]
    lines += [f"- {code(path)}" for path in sorted(entry.files)]
    lines += [f"- {code(path)} ({bilingual('summary.status.deleted')})" for path in sorted(entry.deletions)]
    if entry.permanent_id:
        lines += ["", f"{bilingual('pr.permanent-id')}: {code(entry.permanent_id)}"]
    lines += ["", f"{bilingual('pr.branch')}: {code(entry.branch_name)}"]
    if checklist:
        lines += ["", "---", "", checklist]
    return "\n".join(lines) + "\n"


def commit_message(entry: SpoolEntry) -> str:
    """The commit message of the submission's single commit: the inert title, then a fixed line."""
    return f"{pr_title(entry)}\n\nSubmitted through the CuCon submission service.\n"


def unspooled(submission) -> SpoolEntry:
    """A submission as an entry that was never spooled (the issue-form path proposes it at once)."""
    return SpoolEntry(
        id=0,
        kind=submission.kind,
        slug=submission.slug,
        title=submission.title,
        summary_line=submission.summary_line,
        content_hash=submission.content_hash,
        permanent_id=getattr(submission, "permanent_id", None),
        state=RECEIVED,
        attempts=0,
        next_attempt=0.0,
        files=dict(submission.files),
    )


def change_of(
    entry: SpoolEntry, checklist: str = "", email_verified: bool = False, organiser: str | None = None
):
    """The :class:`~cucon.bot.githost.BranchCommit` that proposes an entry: its branch, commit, pull
    request text and labels (``organiser``: what :attr:`Worker.gate` said). The worker and the
    issue-form path both propose through this."""
    from cucon.bot.githost import BranchCommit

    return BranchCommit(
        branch=entry.branch_name,
        files=dict(entry.files),
        deletions=tuple(entry.deletions),
        message=commit_message(entry),
        title=pr_title(entry),
        body=pr_description(entry, checklist, email_verified, organiser),
        labels=tuple(labels_of(entry, organiser)),
    )


# --- the worker ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """Where delivery stands (times are Unix seconds; None for none)."""

    waiting_since: float | None
    """When the oldest entry waiting for delivery became due (confirmed, or received)."""
    failing_since: float | None
    """The same, among the entries at least one try of which failed."""
    last_push: float | None
    """When an entry was last proposed."""
    last_error: str | None
    """The kind of the newest failure of an entry still waiting or failed for good."""


class Worker:
    """Drains due spool entries through a GitHost, in a background thread or step by step.

    Each entry is proposed on its own branch (see :func:`branch_name`): the GitHost is idempotent
    per branch, so a try that is repeated after a crash or a forge outage opens no second pull
    request. ``ForgeUnavailable`` (and any unexpected error) schedules a retry, ``ForgeRefused``
    marks the entry failed.

    With a ``mailer`` (:class:`cucon.bot.mail.Mailer`) it also sends the confirmation mails of the
    e-mail check, retrying with :func:`backoff` while the mail server is down, and deletes the
    entries whose confirmation ran out.
    """

    def __init__(
        self,
        spool: Spool,
        githost,
        checkout: Path | None = None,
        clock: Callable[[], float] = time.time,
        idle: float = 30.0,
        mailer=None,
    ):
        self.spool = spool
        self.githost = githost
        self.checkout = checkout
        self.clock = clock
        self.idle = idle
        self.mailer = mailer
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self.ownership = None
        """The service's :class:`~cucon.bot.ownership.Ownership` (with a private store), or None."""
        self.gate: Callable[[SpoolEntry], str | None] | None = None
        """Asked before an entry is proposed: ``CONFIRMED`` or ``UNCONFIRMED`` for the pull request
        (its organiser), ``HELD`` when it must wait for its organiser's yes (:mod:`cucon.bot.approval`)."""
        self.chores: list[Callable[[], object]] = []
        """More work of this thread each round, after the confirmation mails: the owners' links, the
        organisers' and the contact mails. A chore that fails is logged; the others and the proposals go on."""

    def propose(self, entry: SpoolEntry) -> None:
        """Try one entry once and record the outcome in the spool."""
        from cucon.bot.githost import ForgeRefused, ForgeUnavailable

        try:
            organiser = self.gate(entry) if self.gate is not None else None
            if organiser == HELD:
                return
            change = change_of(entry, staff_checklist(self.checkout), entry.email_verified, organiser)
            result = self.githost.propose(change)
        except ForgeUnavailable as exc:
            retry_after = getattr(exc, "retry_after", None)
            delay = self.spool.mark_retry(entry.id, retry_after, "forge unavailable", now=self.clock())
            logger.warning(
                "submission_retry",
                extra={"event": "submission_retry", "submission": entry.id, "delay": delay},
            )
        except (ForgeRefused, ValueError) as exc:  # ValueError: the change itself is unsound
            self.spool.mark_failed(entry.id, f"refused: {exc}", now=self.clock())
            logger.error("submission_failed", extra={"event": "submission_failed", "submission": entry.id})
        except Exception as exc:  # a bug or a broken disk must not lose the entry: try again later
            delay = self.spool.mark_retry(entry.id, None, type(exc).__name__, now=self.clock())
            logger.exception(
                "submission_error",
                extra={"event": "submission_error", "submission": entry.id, "delay": delay},
            )
        else:
            self.spool.mark_proposed(entry.id, getattr(result, "url", None), now=self.clock())
            if entry.kind == "withdraw" and self.ownership is not None:  # asked for with the owner's link
                self.ownership.owners.drop(entry.permanent_id)
            logger.info(
                "submission_proposed",
                # no branch name: it carries the slug of a person's name
                extra={"event": "submission_proposed", "submission": entry.id, "kind": entry.kind},
            )

    def send_confirmation(self, pending: PendingMail) -> None:
        """Send one confirmation mail with a new token, and record the outcome; never log the address."""
        from cucon.bot.mail import MailRefused, new_token

        token, digest = new_token()
        entry = self.spool.get(pending.submission_id)
        try:
            self.mailer.send_confirmation(pending.contact, token, pending.lang)
        except MailRefused:  # the mail server refuses the address for good: nobody can ever confirm
            self.spool.discard(pending.submission_id)
            logger.warning(
                "confirmation_undeliverable",
                extra={"event": "confirmation_undeliverable", "submission": pending.submission_id},
            )
        except Exception as exc:  # the server is down, or a bug: keep the entry and try again later
            delay = self.spool.mail_retry(pending.submission_id, now=self.clock())
            logger.warning(
                "confirmation_retry",
                extra={
                    "event": "confirmation_retry",
                    "submission": pending.submission_id,
                    "delay": delay,
                    "error": type(exc).__name__,
                },
            )
        else:
            if self.ownership is not None and entry is not None and entry.kind == "profile":
                # the address being verified becomes the new profile's owner when the link is used
                self.ownership.hold(digest, entry.permanent_id, pending.contact, "post")
            self.spool.mail_sent(pending.submission_id, digest, now=self.clock())
            logger.info(
                "confirmation_sent", extra={"event": "confirmation_sent", "submission": pending.submission_id}
            )

    def run_once(self) -> int:
        """Delete unconfirmed entries that ran out, send due confirmation mails, then propose every
        entry that is due now; return how many entries were tried."""
        expired = self.spool.expire(self.clock())
        if expired:
            logger.info("confirmation_expired", extra={"event": "confirmation_expired", "count": expired})
        if self.mailer is not None:
            for pending in self.spool.mail_due(self.clock()):
                if self._stop.is_set():
                    break
                self.send_confirmation(pending)
        for chore in self.chores:
            try:
                chore()
            except Exception:  # a bug or a broken key in one flow must not stop the delivery of entries
                logger.exception("worker_chore_error", extra={"event": "worker_chore_error"})
        entries = self.spool.due(self.clock())
        for entry in entries:
            if self._stop.is_set():
                break
            self.propose(entry)
        return len(entries)

    def wake(self) -> None:
        """Look at the spool now (a new entry was added)."""
        self._wake.set()

    def start(self) -> None:
        """Run in a daemon thread until :meth:`stop`; entries spooled before a restart are due at once."""
        if self._thread is not None:
            return
        self._stop.clear()
        self._thread = threading.Thread(target=self._loop, name="cucon-bot-worker", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        """Ask the thread to stop and wait up to ``timeout`` seconds for the current try to end."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            if self._thread.is_alive():
                logger.warning("worker_still_busy", extra={"event": "worker_still_busy"})
        self._thread = None

    def _loop(self) -> None:
        while not self._stop.is_set():
            self._wake.clear()
            try:
                self.run_once()
            except Exception:
                logger.exception("worker_error", extra={"event": "worker_error"})
            next_due = self.spool.next_due()
            wait = self.idle if next_due is None else min(self.idle, max(0.0, next_due - self.clock()))
            self._wake.wait(max(wait, 0.05))
