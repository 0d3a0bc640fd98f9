"""The newsletter's subscribers in the private store: pending opt-ins, confirmed subscriptions, sent weeks.

Every address is sealed (``address_sealed``) and found by its keyed hash (``address_blind``), as the
vault's convention asks, so ``cucon bot rotate-key`` re-seals these tables too. Tokens are kept only as
their SHA-256: the opt-in token in ``newsletter_pending``, and the token of each week's mail (its
unsubscribe and change links) in that week's ``newsletter_sent`` row. A subscription is created or
changed only by the link of its opt-in mail: a repeat subscription of a known address changes nothing
until it is confirmed.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cucon.bot.mail import new_token, token_hash
from cucon.bot.vault import Vault, connect

PENDING_SECONDS = 7 * 24 * 3600.0
"""How long an opt-in link works; an unconfirmed subscription is deleted after that."""
PENDING_PER_ADDRESS = 3
"""At most this many opt-in mails wait for one address at a time: more posts send no more mails."""
SENT_KEEP_SECONDS = 400 * 24 * 3600.0
"""How long a sent week's row (and so the links of its mail) is kept."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS newsletter_pending (
    token_hash TEXT PRIMARY KEY,
    address_sealed BLOB NOT NULL,
    address_blind BLOB NOT NULL,
    lang TEXT NOT NULL,
    choice TEXT NOT NULL,
    created REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS newsletter_pending_blind ON newsletter_pending (address_blind);
CREATE TABLE IF NOT EXISTS newsletter_subscribers (
    id INTEGER PRIMARY KEY,
    address_sealed BLOB NOT NULL,
    address_blind BLOB NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    choice TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS newsletter_sent (
    subscriber INTEGER NOT NULL REFERENCES newsletter_subscribers (id) ON DELETE CASCADE,
    week TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    claimed REAL NOT NULL,
    sent REAL,
    PRIMARY KEY (subscriber, week)
);
"""


@dataclass(frozen=True)
class Subscriber:
    """A confirmed subscription: its id, address, language and choice (cities, disciplines, kinds)."""

    id: int
    address: str
    lang: str
    choice: dict[str, list[str]]


class SubscriberStore:
    """The newsletter's tables of the private store; one lock serialises the connection."""

    def __init__(self, path: Path | str, vault: Vault, clock: Callable[[], float] = time.time) -> None:
        self.vault, self.clock = vault, clock
        self._lock = threading.Lock()
        self.db: sqlite3.Connection = connect(path)
        self.db.execute("PRAGMA foreign_keys = ON")
        self.db.executescript(SCHEMA)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken at once (BEGIN IMMEDIATE), under the lock."""
        with self._lock:
            self.db.execute("BEGIN IMMEDIATE")
            try:
                yield self.db
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.db.execute("COMMIT")

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.db.close()

    def ask(self, address: str, lang: str, choice: dict[str, list[str]]) -> str | None:
        """A pending subscription and the token of its opt-in link; None when the address already has
        :data:`PENDING_PER_ADDRESS` links waiting (no further mail goes to it)."""
        now = self.clock()
        blind = self.vault.blind(address)
        token, digest = new_token()
        with self._transaction() as db:
            db.execute("DELETE FROM newsletter_pending WHERE created < ?", (now - PENDING_SECONDS,))
            (waiting,) = db.execute(
                "SELECT COUNT(*) FROM newsletter_pending WHERE address_blind = ?", (blind,)
            ).fetchone()
            if waiting >= PENDING_PER_ADDRESS:
                return None
            db.execute(
                "INSERT INTO newsletter_pending VALUES (?, ?, ?, ?, ?, ?)",
                (digest, self.vault.seal(address), blind, lang, json.dumps(choice), now),
            )
        return token

    def pending_lang(self, token: str) -> str | None:
        """The language of a pending opt-in link, or None for no such (or an expired) link."""
        with self._lock:
            row = self.db.execute(
                "SELECT lang FROM newsletter_pending WHERE token_hash = ? AND created >= ?",
                (token_hash(token), self.clock() - PENDING_SECONDS),
            ).fetchone()
        return row[0] if row else None

    def confirm(self, token: str) -> str | None:
        """Confirm an opt-in link: the subscription is created, or its choice replaced; the link is used
        up. Returns the language of the link, or None for no such link."""
        now = self.clock()
        with self._transaction() as db:
            row = db.execute(
                "SELECT address_sealed, address_blind, lang, choice FROM newsletter_pending"
                " WHERE token_hash = ? AND created >= ?",
                (token_hash(token), now - PENDING_SECONDS),
            ).fetchone()
            if row is None:
                return None
            sealed, blind, lang, choice = row
            db.execute("DELETE FROM newsletter_pending WHERE token_hash = ?", (token_hash(token),))
            db.execute(
                "INSERT INTO newsletter_subscribers (address_sealed, address_blind, lang, choice, created, updated)"
                " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (address_blind) DO UPDATE SET"
                " address_sealed = excluded.address_sealed, lang = excluded.lang,"
                " choice = excluded.choice, updated = excluded.updated",
                (sealed, blind, lang, choice, now, now),
            )
        return lang

    def active(self) -> list[Subscriber]:
        """Every confirmed subscription, the oldest first."""
        with self._lock:
            rows = self.db.execute(
                "SELECT id, address_sealed, lang, choice FROM newsletter_subscribers ORDER BY id"
            ).fetchall()
        return [
            Subscriber(id_, self.vault.open(sealed), lang, json.loads(c)) for id_, sealed, lang, c in rows
        ]

    def week_state(self, subscriber: int, week: str) -> str | None:
        """``sent``, ``claimed`` (a send began and its end was never recorded) or None for a week."""
        with self._lock:
            row = self.db.execute(
                "SELECT sent FROM newsletter_sent WHERE subscriber = ? AND week = ?", (subscriber, week)
            ).fetchone()
        return None if row is None else ("claimed" if row[0] is None else "sent")

    def claim(self, subscriber: int, week: str) -> str | None:
        """Record, before sending, that a week's mail goes to a subscriber; the token of its links, or
        None when that week was claimed before (sent, or in doubt after a crash: never sent again)."""
        token, digest = new_token()
        with self._transaction() as db:
            db.execute("DELETE FROM newsletter_sent WHERE claimed < ?", (self.clock() - SENT_KEEP_SECONDS,))
            try:
                db.execute(
                    "INSERT INTO newsletter_sent (subscriber, week, token_hash, claimed) VALUES (?, ?, ?, ?)",
                    (subscriber, week, digest, self.clock()),
                )
            except sqlite3.IntegrityError:
                return None
        return token

    def mark_sent(self, subscriber: int, week: str) -> None:
        """Record that the server took a week's mail for a subscriber."""
        with self._transaction() as db:
            db.execute(
                "UPDATE newsletter_sent SET sent = ? WHERE subscriber = ? AND week = ?",
                (self.clock(), subscriber, week),
            )

    def release(self, subscriber: int, week: str) -> None:
        """Forget a claim whose mail the server did not take (it is sent on the next run)."""
        with self._transaction() as db:
            db.execute(
                "DELETE FROM newsletter_sent WHERE subscriber = ? AND week = ? AND sent IS NULL",
                (subscriber, week),
            )

    def by_token(self, token: str) -> Subscriber | None:
        """The subscription a mail's token belongs to, or None."""
        with self._lock:
            row = self.db.execute(
                "SELECT s.id, s.address_sealed, s.lang, s.choice FROM newsletter_sent AS w"
                " JOIN newsletter_subscribers AS s ON s.id = w.subscriber WHERE w.token_hash = ?",
                (token_hash(token),),
            ).fetchone()
        if row is None:
            return None
        return Subscriber(row[0], self.vault.open(row[1]), row[2], json.loads(row[3]))

    def change(self, subscriber: int, choice: dict[str, list[str]]) -> None:
        """Replace a subscription's choice (through a link of its own mail)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE newsletter_subscribers SET choice = ?, updated = ? WHERE id = ?",
                (json.dumps(choice), self.clock(), subscriber),
            )

    def drop(self, subscriber: int) -> bool:
        """Delete a subscription with its sent weeks; True if there was one."""
        with self._transaction() as db:
            db.execute("DELETE FROM newsletter_sent WHERE subscriber = ?", (subscriber,))
            return db.execute("DELETE FROM newsletter_subscribers WHERE id = ?", (subscriber,)).rowcount > 0

    def counts(self) -> dict[str, int]:
        """How many subscriptions are pending and confirmed."""
        with self._lock:
            return {
                table: self.db.execute(f"SELECT COUNT(*) FROM newsletter_{table}").fetchone()[0]
                for table in ("pending", "subscribers")
            }
