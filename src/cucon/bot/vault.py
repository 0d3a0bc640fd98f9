"""The service's private store: one SQLite file whose addresses are sealed with keys from the environment.

Every table holding a private datum lives in ``private.sqlite3`` (:attr:`BotConfig.private_path`), each
module creating its own. An encrypted column is a BLOB named ``<name>_sealed``; its lookup hash, if it
has one, is ``<name>_blind`` in the same table. :func:`rotate` relies on that convention and on rowids.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import logging
import sqlite3
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

logger = logging.getLogger(__name__)

SEALED = "_sealed"
BLIND = "_blind"
BLIND_INFO = b"cucon private store: lookup hashes"


class VaultError(ValueError):
    """A key is malformed, or a sealed value cannot be opened; the message never holds a plaintext."""


def new_key() -> str:
    """A fresh key for ``CUCON_BOT_DATA_KEYS``: 32 random bytes, URL-safe base64 (Fernet's format)."""
    return Fernet.generate_key().decode("ascii")


def check_key(key: str) -> bytes:
    """The 32 bytes of a Fernet key, or :class:`VaultError` (which does not quote the key).

    >>> len(check_key(new_key()))
    32
    >>> check_key("too-short")
    Traceback (most recent call last):
    ...
    cucon.bot.vault.VaultError: not a key: expected 32 bytes in URL-safe base64 (44 characters, from `cucon bot new-key`)
    """
    try:
        raw = base64.urlsafe_b64decode(key.encode("ascii"))
    except (binascii.Error, UnicodeEncodeError, ValueError):
        raw = b""
    if len(raw) != 32:
        raise VaultError(
            "not a key: expected 32 bytes in URL-safe base64 (44 characters, from `cucon bot new-key`)"
        )
    return raw


def normalise(text: str) -> str:
    """The form of an address that lookups compare: NFC, case-folded, without outer spaces.

    >>> normalise(" Ana@Example.ORG ") == normalise("ana@example.org")
    True
    """
    return unicodedata.normalize("NFC", text).strip().casefold()


class Vault:
    """Seals and opens private values with the configured keys: the first seals, every one opens."""

    def __init__(self, keys: Sequence[str]):
        if not keys:
            raise VaultError("no key: set CUCON_BOT_DATA_KEYS (`cucon bot new-key` makes one)")
        raw = [check_key(key) for key in keys]
        self._fernet = MultiFernet([Fernet(key) for key in keys])
        self._blind_keys = [
            HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=BLIND_INFO).derive(key) for key in raw
        ]

    @classmethod
    def from_config(cls, config) -> Vault | None:
        """The vault of ``config.data_keys``, or None when none are set."""
        return cls(config.data_keys) if config.data_keys else None

    def seal(self, text: str) -> bytes:
        """``text`` encrypted and authenticated with the newest key."""
        return self._fernet.encrypt(text.encode("utf-8"))

    def open(self, sealed: bytes) -> str:
        """The text of a sealed value; :class:`VaultError` when no configured key opens it."""
        try:
            return self._fernet.decrypt(bytes(sealed)).decode("utf-8")
        except InvalidToken:
            raise VaultError(
                "a sealed value cannot be opened with the keys of CUCON_BOT_DATA_KEYS:"
                " a key is missing or wrong, or the store was changed"
            ) from None

    def reseal(self, sealed: bytes) -> bytes:
        """A sealed value sealed again with the newest key (its text unchanged)."""
        try:
            return self._fernet.rotate(bytes(sealed))
        except InvalidToken:
            return self.seal(self.open(sealed))  # raises the clear error

    def blind(self, text: str) -> bytes:
        """The lookup hash of ``text`` under the newest key: equal texts (see :func:`normalise`), equal hashes."""
        return self.blinds(text)[0]

    def blinds(self, text: str) -> list[bytes]:
        """The lookup hashes of ``text`` under every key, newest first: a lookup finds rows not yet rotated."""
        data = normalise(text).encode("utf-8")
        return [hmac.new(key, data, hashlib.sha256).digest() for key in self._blind_keys]

    def matches(self, text: str, blind: bytes | None) -> bool:
        """True when ``blind`` is a lookup hash of ``text`` under one of the keys (in constant time)."""
        found = False
        for candidate in self.blinds(text):
            found |= blind is not None and hmac.compare_digest(candidate, bytes(blind))
        return found


def connect(path: Path | str) -> sqlite3.Connection:
    """A connection to the private store: WAL, durable commits, secure delete; callers serialise their use."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=FULL")
    db.execute("PRAGMA secure_delete=ON")  # an erased address leaves no bytes in free pages
    return db


@contextmanager
def transaction(db: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK when the block raises."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield db
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def scrub(db: sqlite3.Connection) -> None:
    """Copy the WAL into the file and truncate it, so an erased value leaves no old page behind."""
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    except sqlite3.OperationalError:  # busy: the next checkpoint catches up
        logger.warning("private_checkpoint_busy", extra={"event": "private_checkpoint_busy"})


def sealed_columns(db: sqlite3.Connection) -> dict[str, list[str]]:
    """Every table of the store with the names ``<name>`` of its ``<name>_sealed`` columns."""
    tables = [row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    found = {}
    for table in tables:
        names = [row[1] for row in db.execute(f'PRAGMA table_info("{table}")')]
        sealed = [name.removesuffix(SEALED) for name in names if name.endswith(SEALED)]
        if sealed:
            found[table] = sealed
    return found


def rotate(path: Path | str, vault: Vault) -> dict[str, int]:
    """Seal every sealed value of the store again with the newest key, and recompute its lookup hash;
    one transaction. Returns the rows re-sealed per table."""
    counts: dict[str, int] = {}
    with closing(connect(path)) as db, transaction(db):
        for table, names in sealed_columns(db).items():
            columns = {row[1] for row in db.execute(f'PRAGMA table_info("{table}")')}
            counts[table] = 0
            # The alias: in a table with an INTEGER PRIMARY KEY, a bare "rowid" comes back under that key's name.
            for row in db.execute(f'SELECT rowid AS rowid_of_rotation, * FROM "{table}"').fetchall():
                changes: dict[str, bytes] = {}
                for name in names:
                    sealed = row[name + SEALED]
                    if sealed is None:
                        continue
                    changes[name + SEALED] = vault.reseal(sealed)
                    if name + BLIND in columns:
                        changes[name + BLIND] = vault.blind(vault.open(sealed))
                if changes:
                    assignments = ", ".join(f'"{column}" = ?' for column in changes)
                    db.execute(
                        f'UPDATE "{table}" SET {assignments} WHERE rowid = ?',
                        [*changes.values(), row["rowid_of_rotation"]],
                    )
                    counts[table] += 1
    with closing(connect(path)) as db:
        scrub(db)
    logger.info("private_rotated", extra={"event": "private_rotated", "count": sum(counts.values())})
    return counts


def backup(sources: Sequence[Path], folder: Path) -> list[Path]:
    """A consistent copy of each SQLite file of ``sources`` that exists, into ``folder``, taken with
    SQLite's online backup while the service may be writing; returns the copies."""
    folder.mkdir(parents=True, exist_ok=True)
    copies = []
    for source in sources:
        if not source.exists():
            continue
        target = folder / source.name
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        partial.touch(mode=0o600)  # the copy holds what the original holds: nobody else reads it
        with closing(sqlite3.connect(source, timeout=30)) as db, closing(sqlite3.connect(partial)) as copy:
            db.backup(copy)
        partial.replace(target)
        copies.append(target)
    return copies
