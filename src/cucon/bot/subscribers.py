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
import secrets
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from cucon.bot.mail import new_token, token_hash
from cucon.bot.vault import Vault, connect, scrub, transaction

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
    id TEXT PRIMARY KEY,
    address_sealed BLOB NOT NULL,
    address_blind BLOB NOT NULL UNIQUE,
    lang TEXT NOT NULL,
    choice TEXT NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS newsletter_sent (
    subscriber TEXT NOT NULL REFERENCES newsletter_subscribers (id) ON DELETE CASCADE,
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

    id: str
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
        with self._lock, transaction(self.db) as db:
            yield db

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self.db.close()

    def ask(self, address: str, lang: str, choice: dict[str, list[str]]) -> str | None:
        """A pending subscription and the token of its opt-in link; None when the address already has
        :data:`PENDING_PER_ADDRESS` links waiting (no further mail goes to it)."""
        now = self.clock()
        blinds = self.vault.blinds(address)
        token, digest = new_token()
        with self._transaction() as db:
            _expire(db, now)
            (waiting,) = db.execute(
                f"SELECT COUNT(*) FROM newsletter_pending WHERE address_blind IN ({_marks(blinds)})", blinds
            ).fetchone()
            if waiting >= PENDING_PER_ADDRESS:
                return None
            db.execute(
                "INSERT INTO newsletter_pending VALUES (?, ?, ?, ?, ?, ?)",
                (digest, self.vault.seal(address), blinds[0], lang, json.dumps(choice), now),
            )
        return token

    def forget(self, token: str) -> None:
        """Delete a pending subscription whose opt-in mail could not be sent."""
        with self._transaction() as db:
            db.execute("DELETE FROM newsletter_pending WHERE token_hash = ?", (token_hash(token),))

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
            sealed, _, lang, choice = row
            address = self.vault.open(sealed)
            blinds = self.vault.blinds(address)  # a row not yet rotated to the newest key is found too
            db.execute("DELETE FROM newsletter_pending WHERE token_hash = ?", (token_hash(token),))
            known = db.execute(
                f"SELECT id FROM newsletter_subscribers WHERE address_blind IN ({_marks(blinds)})", blinds
            ).fetchone()
            if known is None:
                db.execute(
                    "INSERT INTO newsletter_subscribers VALUES (?, ?, ?, ?, ?, ?, ?)",
                    (secrets.token_hex(8), self.vault.seal(address), blinds[0], lang, choice, now, now),
                )
            else:
                db.execute(
                    "UPDATE newsletter_subscribers SET address_sealed = ?, address_blind = ?, lang = ?,"
                    " choice = ?, updated = ? WHERE id = ?",
                    (self.vault.seal(address), blinds[0], lang, choice, now, known[0]),
                )
        return lang

    def active(self) -> list[Subscriber]:
        """Every confirmed subscription, the oldest first."""
        with self._lock:
            rows = self.db.execute(
                "SELECT id, address_sealed, lang, choice FROM newsletter_subscribers ORDER BY created, id"
            ).fetchall()
        return [
            Subscriber(id_, self.vault.open(sealed), lang, json.loads(c)) for id_, sealed, lang, c in rows
        ]

    def week_state(self, subscriber: str, week: str) -> str | None:
        """``sent``, ``claimed`` (a send began and its end was never recorded) or None for a week."""
        with self._lock:
            row = self.db.execute(
                "SELECT sent FROM newsletter_sent WHERE subscriber = ? AND week = ?", (subscriber, week)
            ).fetchone()
        return None if row is None else ("claimed" if row[0] is None else "sent")

    def claim(self, subscriber: str, week: str) -> str | None:
        """Record, before sending, that a week's mail goes to a subscriber; the token of its links, or
        None when that week was claimed before (sent, or in doubt after a crash: never sent again)."""
        token, digest = new_token()
        with self._transaction() as db:
            try:
                db.execute(
                    "INSERT INTO newsletter_sent (subscriber, week, token_hash, claimed) VALUES (?, ?, ?, ?)",
                    (subscriber, week, digest, self.clock()),
                )
            except sqlite3.IntegrityError:
                return None
        return token

    def expire(self) -> None:
        """Delete opt-ins past their week and sent weeks past :data:`SENT_KEEP_SECONDS`."""
        with self._transaction() as db:
            _expire(db, self.clock())
        with self._lock:
            scrub(self.db)

    def mark_sent(self, subscriber: str, week: str) -> None:
        """Record that the server took a week's mail for a subscriber."""
        with self._transaction() as db:
            db.execute(
                "UPDATE newsletter_sent SET sent = ? WHERE subscriber = ? AND week = ?",
                (self.clock(), subscriber, week),
            )

    def release(self, subscriber: str, week: str) -> None:
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

    def change(self, subscriber: str, choice: dict[str, list[str]]) -> None:
        """Replace a subscription's choice (through a link of its own mail)."""
        with self._transaction() as db:
            db.execute(
                "UPDATE newsletter_subscribers SET choice = ?, updated = ? WHERE id = ?",
                (json.dumps(choice), self.clock(), subscriber),
            )

    def drop(self, subscriber: str) -> bool:
        """Delete a subscription with its sent weeks, leaving no copy of the address in the files;
        True if there was one."""
        with self._transaction() as db:
            db.execute("DELETE FROM newsletter_sent WHERE subscriber = ?", (subscriber,))
            dropped = (
                db.execute("DELETE FROM newsletter_subscribers WHERE id = ?", (subscriber,)).rowcount > 0
            )
        with self._lock:
            scrub(self.db)
        return dropped

    def counts(self) -> dict[str, int]:
        """How many subscriptions are pending and confirmed."""
        with self._lock:
            return {
                table: self.db.execute(f"SELECT COUNT(*) FROM newsletter_{table}").fetchone()[0]
                for table in ("pending", "subscribers")
            }


def _expire(db: sqlite3.Connection, now: float) -> None:
    """Delete, in the caller's transaction, opt-ins past their week and sent weeks past their keep."""
    db.execute("DELETE FROM newsletter_pending WHERE created < ?", (now - PENDING_SECONDS,))
    db.execute("DELETE FROM newsletter_sent WHERE claimed < ?", (now - SENT_KEEP_SECONDS,))


def _marks(values: list) -> str:
    """The placeholders of an SQL ``IN (…)`` for ``values``.

    >>> _marks([1, 2, 3])
    '?, ?, ?'
    """
    return ", ".join("?" * len(values))
