"""Who owns a profile: its verified address, sealed, keyed by the profile's permanent id."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

from cucon.bot.vault import Vault, connect, scrub, transaction

logger = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS owners (
    permanent_id TEXT PRIMARY KEY,
    address_sealed BLOB NOT NULL,
    address_blind BLOB NOT NULL,
    created REAL NOT NULL,
    updated REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS owners_by_address ON owners (address_blind);
"""
MAX_ADDRESS = 254
"""The longest address SMTP carries (RFC 5321's path limit less its brackets)."""


class OwnerError(ValueError):
    """An owner record was refused; the message names the field, never the address."""


def checked_address(address: str) -> str:
    """``address`` without outer spaces, or :class:`OwnerError`: one line, one ``@``, at most 254 characters.

    >>> checked_address(" ana@example.org ")
    'ana@example.org'
    >>> checked_address("ana@example.org\\r\\nBcc: x@example.org")
    Traceback (most recent call last):
    ...
    cucon.bot.owners.OwnerError: address: not one e-mail address on one line
    """
    address = address.strip()
    local, at, domain = address.rpartition("@")
    if not (local and at and domain) or any(c.isspace() or ord(c) < 32 or c == "\x7f" for c in address):
        raise OwnerError("address: not one e-mail address on one line")
    if len(address) > MAX_ADDRESS:
        raise OwnerError(f"address: longer than {MAX_ADDRESS} characters")
    return address


def checked_id(permanent_id: str) -> str:
    """A permanent id as profiles carry it: letters, digits, ``-`` and ``_``, at most 64.

    >>> checked_id("01HZX3K9Q7")
    '01HZX3K9Q7'
    >>> checked_id("x'; DROP TABLE owners; --")
    Traceback (most recent call last):
    ...
    cucon.bot.owners.OwnerError: permanent_id: not a permanent id
    """
    if not (
        0 < len(permanent_id) <= 64 and all(c.isascii() and (c.isalnum() or c in "-_") for c in permanent_id)
    ):
        raise OwnerError("permanent_id: not a permanent id")
    return permanent_id


class OwnerStore:
    """The owner records of ``private.sqlite3``; the store never verifies an address, its callers do."""

    def __init__(self, path: Path | str, vault: Vault, clock: Callable[[], float] = time.time):
        self.path = Path(path)
        self.vault = vault
        self.clock = clock
        self._lock = threading.Lock()
        self._db = connect(self.path)
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the store's connection."""
        with self._lock:
            self._db.close()

    def set(self, permanent_id: str, address: str) -> None:
        """Record (or replace) the verified owner address of a profile."""
        permanent_id, address = checked_id(permanent_id), checked_address(address)
        now = self.clock()
        with self._lock, transaction(self._db) as db:
            db.execute(
                "INSERT INTO owners VALUES (?, ?, ?, ?, ?) ON CONFLICT (permanent_id) DO UPDATE SET"
                " address_sealed = excluded.address_sealed, address_blind = excluded.address_blind,"
                " updated = excluded.updated",
                (permanent_id, self.vault.seal(address), self.vault.blind(address), now, now),
            )
        logger.info("owner_set", extra={"event": "owner_set", "permanent_id": permanent_id})

    def address(self, permanent_id: str) -> str | None:
        """The owner's address, or None when the profile has no owner record."""
        row = self._row(permanent_id)
        return self.vault.open(row["address_sealed"]) if row else None

    def has(self, permanent_id: str) -> bool:
        """True when the profile has an owner record."""
        return self._row(permanent_id) is not None

    def matches(self, permanent_id: str, address: str) -> bool:
        """True when ``address`` is the profile's owner (compared case-folded, in constant time)."""
        row = self._row(permanent_id)
        return row is not None and self.vault.matches(address, row["address_blind"])

    def owned_by(self, address: str) -> list[str]:
        """The permanent ids whose owner is ``address``."""
        blinds = self.vault.blinds(address)
        marks = ", ".join("?" for _ in blinds)
        with self._lock:
            rows = self._db.execute(
                f"SELECT permanent_id FROM owners WHERE address_blind IN ({marks}) ORDER BY permanent_id",
                blinds,
            ).fetchall()
        return [row["permanent_id"] for row in rows]

    def drop(self, permanent_id: str) -> bool:
        """Erase a profile's owner record; True when there was one."""
        with self._lock:
            with transaction(self._db) as db:
                dropped = db.execute("DELETE FROM owners WHERE permanent_id = ?", (permanent_id,)).rowcount
            if dropped:
                scrub(self._db)
        if dropped:
            logger.info("owner_dropped", extra={"event": "owner_dropped", "permanent_id": permanent_id})
        return bool(dropped)

    def ids(self) -> list[str]:
        """The permanent ids of every profile with an owner record."""
        with self._lock:
            rows = self._db.execute("SELECT permanent_id FROM owners ORDER BY permanent_id").fetchall()
        return [row["permanent_id"] for row in rows]

    def _row(self, permanent_id: str):
        with self._lock:
            return self._db.execute(
                "SELECT address_sealed, address_blind FROM owners WHERE permanent_id = ?", (permanent_id,)
            ).fetchone()
