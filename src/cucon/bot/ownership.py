"""Owners of profiles: how a record is made (double opt-in), how its owner gets an edit link, and how it
is dropped. The records themselves are :class:`cucon.bot.owners.OwnerStore`'s.

- **Made.** The confirmation mail of a new profile goes to the address being verified: the worker
  keeps that address, sealed, in ``pending_owners`` under the hash of the mail's token; pressing
  "Confirm" makes it the profile's owner (:meth:`Ownership.confirm`). Staff set the owner of a profile
  that came by pull request with ``cucon bot owner set SLUG``: the same pending row, under a token of
  its own that is mailed to the address (``/owner/<token>``). A row not confirmed within
  :data:`~cucon.bot.spool.CONFIRM_SECONDS` is erased.
- **Edit links.** ``POST /manage`` keeps the typed address, sealed, in ``manage_requests`` whether or
  not it owns anything; the worker opens it, and mails to the owner's stored address only one link per
  owned profile (``owner_links``: the token's SHA-256, valid :data:`LINK_SECONDS`, spent by an update or
  a withdrawal). So the answer, and its time, never depend on a match.
- **Dropped.** A withdrawal through an owner's link drops the record once it is proposed; a profile
  removed with ``cucon remove`` is dropped when its tombstone (``content/removed.yaml``, which holds the
  permanent id) reaches the checkout (:meth:`Ownership.sync`).

Every table lives in ``private.sqlite3`` and follows the vault's convention (``address_sealed``), so
``cucon bot rotate-key`` re-seals it; no address is ever logged.
"""

from __future__ import annotations

import html
import logging
import re
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path, PurePosixPath

from cucon.bot.edit import ProfileIndex
from cucon.bot.languages import FALLBACK, mail_languages
from cucon.bot.mail import MailRefused, envelope, mailed_link, new_token, subject_in, token_hash
from cucon.bot.owners import OwnerStore, checked_address
from cucon.bot.spool import CONFIRM_SECONDS, EditLink, backoff
from cucon.bot.submission import PROFILES
from cucon.bot.vault import Vault, VaultError, connect, scrub, transaction
from cucon.catalog import phrase
from cucon.frontmatter import parse_yaml, read_document
from cucon.problems import ContentError

logger = logging.getLogger(__name__)

LINK_SECONDS = 24 * 3600.0
"""How long an owner's edit link works."""
LINKS_PER_DAY = 3
"""Links minted per profile in 24 hours at most: a stranger who knows an owner's address cannot flood it."""
GONE_SECONDS = 30 * 24 * 3600.0
"""How long a spent or run-out link's hash is kept, so that it answers 410 rather than 404."""
SWEEP_SECONDS = 60.0
"""How often the worker erases pending owners, links and requests that ran out."""
REQUEST_SECONDS = 24 * 3600.0
"""How long a request of /manage is tried while the mail server is down."""
SLUG = re.compile(r"[a-z0-9-]{1,80}")
"""A profile's slug, as ``cucon bot owner`` takes it: no path, no dots."""
STAFF, POST = "staff", "post"
"""Where a pending owner comes from: ``cucon bot owner set``, or the confirmation of a new profile."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS pending_owners (
    token_hash TEXT PRIMARY KEY,
    permanent_id TEXT NOT NULL,
    origin TEXT NOT NULL,
    address_sealed BLOB NOT NULL,
    expires REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS manage_requests (
    address_sealed BLOB NOT NULL,
    lang TEXT NOT NULL,
    created REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    next_mail REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS owner_links (
    token_hash TEXT PRIMARY KEY,
    permanent_id TEXT NOT NULL,
    created REAL NOT NULL,
    expires REAL NOT NULL,
    spent REAL
);
CREATE INDEX IF NOT EXISTS owner_links_by_id ON owner_links (permanent_id);
"""


@dataclass(frozen=True)
class OwnerLink:
    """An owner's edit link as the store knows it: the profile, and whether it still works."""

    permanent_id: str
    live: bool


class Ownership:
    """The pending owners, the requests of /manage and the owners' edit links, in ``private.sqlite3``."""

    def __init__(self, path: Path, vault, owners, clock: Callable[[], float] = time.time, checkout=None):
        self.vault, self.owners, self.clock = vault, owners, clock
        self.checkout = checkout
        """The service's :class:`~cucon.bot.checkout.Checkout`, whose tombstones :meth:`run` follows."""
        self._db = connect(path)
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()
        self._swept = float("-inf")
        """When :meth:`run` last erased what ran out."""
        self._synced: tuple[str | None, str | None] = (None, None)
        """The commit and the blob of removed.yaml the last :meth:`sync` read."""

    def _write(self, sql: str, args=()) -> int:
        with self._lock, transaction(self._db) as db:
            return db.execute(sql, args).rowcount

    def _erase(self, sql: str, args=()) -> int:
        """A delete, then a checkpoint: an erased address leaves no old page in the WAL."""
        with self._lock:
            with transaction(self._db) as db:
                count = db.execute(sql, args).rowcount
            if count:
                scrub(self._db)
        return count

    def _rows(self, sql: str, args=()) -> list:
        with self._lock:
            return self._db.execute(sql, args).fetchall()

    # --- made: the double opt-in ------------------------------------------------------------------

    def hold(self, token_hash: str, permanent_id: str, address: str, origin: str) -> None:
        """Keep an address, sealed, until the link of ``token_hash`` confirms it (or runs out)."""
        self._write(
            "INSERT OR REPLACE INTO pending_owners VALUES (?, ?, ?, ?, ?)",
            (token_hash, permanent_id, origin, self.vault.seal(address), self.clock() + CONFIRM_SECONDS),
        )

    def pending(self, token_hash: str, origin: str) -> bool:
        """Whether a link of ``origin`` waits for its confirmation."""
        return bool(
            self._rows(
                "SELECT 1 FROM pending_owners WHERE token_hash = ? AND origin = ? AND expires > ?",
                (token_hash, origin, self.clock()),
            )
        )

    def confirm(self, token_hash: str, origin: str) -> bool:
        """The link is used: its address becomes the profile's owner, and the pending row is erased."""
        rows = self._rows(
            "SELECT permanent_id, address_sealed FROM pending_owners"
            " WHERE token_hash = ? AND origin = ? AND expires > ?",
            (token_hash, origin, self.clock()),
        )
        if not rows:
            return False
        permanent_id, sealed = rows[0]
        self.owners.set(permanent_id, self.vault.open(sealed))
        self._erase("DELETE FROM pending_owners WHERE token_hash = ?", (token_hash,))
        return True

    # --- edit links ---------------------------------------------------------------------------------

    def request(self, address: str, lang: str) -> None:
        """Remember a request of /manage (sealed) for the worker, whether or not the address owns anything."""
        now = self.clock()
        self._write(
            "INSERT INTO manage_requests (address_sealed, lang, created, next_mail) VALUES (?, ?, ?, ?)",
            (self.vault.seal(address), lang, now, now),
        )

    def link(self, token_hash: str) -> OwnerLink | None:
        """What an owner's link stands for, or None for a token never minted (or long gone)."""
        rows = self._rows(
            "SELECT permanent_id, expires, spent FROM owner_links WHERE token_hash = ?", (token_hash,)
        )
        if not rows:
            return None
        permanent_id, expires, spent = rows[0]
        return OwnerLink(permanent_id, spent is None and expires > self.clock())

    def edit_link(self, token_hash: str) -> EditLink | None:
        """A live owner's link as the edit pages use it, or None."""
        found = self.link(token_hash)
        return EditLink(found.permanent_id, "profile") if found and found.live else None

    def spend(self, token_hash: str) -> None:
        """An update was posted with the link: it works no more."""
        self._write(
            "UPDATE owner_links SET spent = ? WHERE token_hash = ? AND spent IS NULL",
            (self.clock(), token_hash),
        )

    def spend_all(self, permanent_id: str) -> None:
        """A withdrawal was posted: no link of the profile works any more."""
        self._write(
            "UPDATE owner_links SET spent = ? WHERE permanent_id = ? AND spent IS NULL",
            (self.clock(), permanent_id),
        )

    def mint(self, permanent_id: str) -> str | None:
        """A new link's token for a profile (only its hash is stored), or None past :data:`LINKS_PER_DAY`."""
        now = self.clock()
        [(recent,)] = self._rows(
            "SELECT COUNT(*) FROM owner_links WHERE permanent_id = ? AND created > ?",
            (permanent_id, now - LINK_SECONDS),
        )
        if recent >= LINKS_PER_DAY:
            return None
        token, digest = new_token()
        self._write(
            "INSERT INTO owner_links (token_hash, permanent_id, created, expires) VALUES (?, ?, ?, ?)",
            (digest, permanent_id, now, now + LINK_SECONDS),
        )
        return token

    def run(self, mailer) -> None:
        """The worker's turn: follow the checkout's tombstones, erase what ran out, then answer the
        requests of /manage that are due."""
        if self.checkout is not None:
            self.sync(self.checkout.path, self.checkout.head())
        now = self.clock()
        if now - self._swept >= SWEEP_SECONDS:
            self._swept = now
            self._erase("DELETE FROM pending_owners WHERE expires <= ?", (now,))
            self._write("DELETE FROM owner_links WHERE expires <= ?", (now - GONE_SECONDS,))
            self._erase("DELETE FROM manage_requests WHERE created <= ?", (now - REQUEST_SECONDS,))
        due = self._rows(
            "SELECT rowid, address_sealed, lang, attempts FROM manage_requests WHERE next_mail <= ? ORDER BY rowid",
            (now,),
        )
        for request_id, sealed, lang, attempts in due:
            try:
                address = self.vault.open(sealed)
            except VaultError:  # sealed with a key no longer configured: nobody can be answered
                self._erase("DELETE FROM manage_requests WHERE rowid = ?", (request_id,))
                logger.error("owner_links_unreadable", extra={"event": "owner_links_unreadable"})
                continue
            self._answer(mailer, request_id, address, lang, attempts)

    def _answer(self, mailer, request_id: int, address: str, lang: str, attempts: int) -> None:
        """Mail the links of the profiles an address owns to their owner's stored address; erase the request."""
        by_address: dict[str, list[str]] = {}
        for permanent_id in self.owners.owned_by(address):
            stored = self.owners.address(permanent_id)
            if stored is not None:
                by_address.setdefault(stored, []).append(permanent_id)
        minted: list[str] = []
        try:
            for stored, ids in by_address.items():
                tokens = [token for token in map(self.mint, ids) if token is not None]
                minted += tokens
                if tokens:
                    links = [mailed_link(mailer.public_url, "edit", token, lang) for token in tokens]
                    mailer.send(links_message(mailer.sender, stored, links, lang, mailer.fallback))
        except MailRefused:
            logger.warning("owner_links_undeliverable", extra={"event": "owner_links_undeliverable"})
        except Exception as exc:  # the server is down, or a bug: the links minted are void, try again
            for token in minted:
                self._write("DELETE FROM owner_links WHERE token_hash = ?", (token_hash(token),))
            self._write(
                "UPDATE manage_requests SET attempts = ?, next_mail = ? WHERE rowid = ?",
                (attempts + 1, self.clock() + backoff(attempts + 1), request_id),
            )
            logger.warning(
                "owner_links_retry", extra={"event": "owner_links_retry", "error": type(exc).__name__}
            )
            return
        self._erase("DELETE FROM manage_requests WHERE rowid = ?", (request_id,))
        logger.info("owner_links_answered", extra={"event": "owner_links_answered", "links": len(minted)})

    # --- dropped ------------------------------------------------------------------------------------

    def sync(self, checkout: Path, commit: str | None) -> int:
        """Drop the owners of every profile tombstoned in ``content/removed.yaml`` of the checkout's
        commit (``cucon remove`` wrote it); return how many. A file read before is not read again."""
        if commit is None or commit == self._synced[0]:
            return 0
        listed = _git(checkout, "rev-parse", "--verify", "--quiet", f"{commit}:content/removed.yaml")
        blob = (listed or "").strip() or None
        seen, self._synced = self._synced[1], (commit, blob)
        if blob is None or blob == seen:
            return 0
        gone = tombstoned(_git(checkout, "show", blob)) & set(self.owners.ids())
        return sum(self.owners.drop(permanent_id) for permanent_id in sorted(gone))

    def close(self) -> None:
        """Close the store's connection."""
        with self._lock:
            self._db.close()

    # --- staff: ``cucon bot owner …`` ---------------------------------------------------------------

    def invite(self, mailer, permanent_id: str, address: str, lang: str = "de") -> None:
        """Mail ``address`` the link that makes it the profile's owner (``cucon bot owner set``); the
        address waits sealed until the link is used. Raises OwnerError, MailRefused, MailUnavailable."""
        address = checked_address(address)
        token, digest = new_token()
        self.hold(digest, permanent_id, address, STAFF)
        try:
            link = mailed_link(mailer.public_url, "owner", token, lang)
            mailer.send(opt_in_message(mailer.sender, address, link, lang, mailer.fallback))
        except Exception:
            self._erase("DELETE FROM pending_owners WHERE token_hash = ?", (digest,))
            raise

    def listing(self, checkout: Path, commit: str | None) -> list[tuple[str, str | None]]:
        """Every owned profile's permanent id and slug (None when it is not in the commit); no address."""
        index = ProfileIndex(checkout)
        found = {permanent_id: index.find(commit, permanent_id) for permanent_id in self.owners.ids()}
        return [(pid, PurePosixPath(hit.path).stem if hit else None) for pid, hit in found.items()]


def open_ownership(config, checkout=None) -> Ownership | None:
    """The owner records of a configuration (for the commands staff run), or None without data keys."""
    vault = Vault.from_config(config)
    if vault is None:
        return None
    return Ownership(config.private_path, vault, OwnerStore(config.private_path, vault), checkout=checkout)


def profile_id(checkout: Path, slug: str) -> str | None:
    """The permanent id of the profile ``slug`` in the checkout's work tree, or None.

    >>> profile_id(Path("."), "../../etc/passwd") is None
    True
    """
    if not SLUG.fullmatch(slug):
        return None
    path = Path(checkout) / PROFILES / f"{slug}.md"
    try:
        data = read_document(path.read_text("utf-8"), with_body=True).data
    except (OSError, UnicodeDecodeError, ContentError):
        return None
    return str(data["id"]) if isinstance(data, dict) and data.get("id") else None


def tombstoned(text: str | None) -> set[str]:
    """The permanent ids of the profiles a removed.yaml tombstones.

    >>> sorted(tombstoned("removed:\\n  - {slug: a, type: profile, removed: 2026-01-02, id: p-1}\\n"))
    ['p-1']
    >>> tombstoned("removed: [") | tombstoned(None)
    set()
    """
    try:
        data = parse_yaml(text or "")[0] or {}
    except Exception:  # a broken file tombstones nothing; cucon check reports it
        return set()
    items = data.get("removed") if isinstance(data, dict) else None
    return {
        str(item["id"])
        for item in items or []
        if isinstance(item, dict) and item.get("type") == "profile" and item.get("id")
    }


def _git(checkout: Path, *args: str) -> str | None:
    """What a git command in the checkout prints, or None when it fails."""
    result = subprocess.run(
        ["git", "-c", "core.hooksPath=/dev/null", *args],
        cwd=checkout,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result.stdout if result.returncode == 0 else None


# --- the mails ------------------------------------------------------------------------------------


def _message(
    sender: str, to: str, subject_id: str, order: tuple[str, ...], paragraphs, links: list[str]
) -> EmailMessage:
    """A mail in the languages of ``order``, plain text and HTML, with ``links`` after the first
    paragraph of each language."""
    texts = {code: [phrase(part, code) for part in paragraphs] for code in order}
    plain = "\n\n-----\n\n".join(
        "\n\n".join([first, *links, *rest]) + "\n" for first, *rest in texts.values()
    )
    anchors = "".join(f'<p><a href="{html.escape(link)}">{html.escape(link)}</a></p>\n' for link in links)
    sections = "\n<hr>\n".join(
        f'<div lang="{code}">\n<p>{html.escape(first)}</p>\n{anchors}'
        + "".join(f"<p>{html.escape(text)}</p>\n" for text in rest)
        + "</div>"
        for code, (first, *rest) in texts.items()
    )
    return envelope(sender, to, subject_in(subject_id, order), plain, sections, order)


def links_message(
    sender: str, to: str, links: list[str], lang: str, fallback: Mapping[str, tuple[str, ...]] = FALLBACK
) -> EmailMessage:
    """The mail with an owner's edit links, one per owned profile, in ``lang`` and its first fallback."""
    order = mail_languages(lang, fallback)
    return _message(sender, to, "mail.links.subject", order, ("mail.links.intro", "mail.links.then"), links)


def opt_in_message(
    sender: str, to: str, link: str, lang: str = "de", fallback: Mapping[str, tuple[str, ...]] = FALLBACK
) -> EmailMessage:
    """The mail of ``cucon bot owner set``: the address confirms that it owns the profile."""
    order = mail_languages(lang, fallback)
    return _message(sender, to, "mail.owner.subject", order, ("mail.owner.ask", "mail.owner.then"), [link])
