"""TEMPORARY SHIM of the integrator's vault (INTERFACE16.md), deleted when main's "Owner store" is merged."""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import unicodedata
from collections.abc import Sequence
from pathlib import Path


class VaultError(Exception):
    """A sealed value cannot be opened."""


class Vault:
    """Seal, open and blind (shim: not encryption; the real one is Fernet)."""

    def __init__(self, keys: Sequence[str]) -> None:
        self.keys = tuple(keys)

    @classmethod
    def from_config(cls, config) -> Vault | None:
        """The vault of the configuration's keys, or None."""
        keys = getattr(config, "data_keys", ()) or (config.secret.decode("latin-1"),)
        return cls(keys)

    def seal(self, text: str) -> bytes:
        """The sealed text."""
        return base64.b64encode(text.encode())

    def open(self, sealed: bytes) -> str:
        """The text of a sealed value."""
        return base64.b64decode(sealed).decode()

    def blind(self, text: str) -> bytes:
        """A keyed hash of the normalised text."""
        normal = unicodedata.normalize("NFC", text).casefold().encode()
        return hmac.new(self.keys[0].encode(), normal, hashlib.sha256).digest()


def connect(path: Path | str) -> sqlite3.Connection:
    """The private store."""
    db = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA secure_delete=ON")
    return db
