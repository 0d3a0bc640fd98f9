"""Contact without a public address: a message to a profile's owner, through the service.

A stranger writes on ``/contact/<permanent_id>``; the message waits sealed in the private store
(:mod:`cucon.bot.vault`) until the SENDER confirms their own address with the link of a mail that
holds no word they typed, so that the service cannot be made to mail strangers. Then
:class:`ContactSender` (run by the worker thread) mails the owner: plain text, the typed words
framed as sent through CuCon, ``Reply-To`` the sender, the owner's address only in ``To``. After
that the message and the sender's address are erased; what stays are day counters under keyed
hashes (the limits) and, for the report-abuse link of the owner's mail, a report row with the
message's reference and the keyed hash of the sender (see docs/bot.md, "Contact").
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path

from cucon.bot.languages import FALLBACK, mail_languages
from cucon.bot.logs import logger
from cucon.bot.mail import MailRefused, machine_message, mailed_link, new_token, subject_in
from cucon.bot.spool import backoff
from cucon.bot.vault import connect, scrub, transaction
from cucon.catalog import bilingual, phrase

CONFIRM_SECONDS = 2 * 86400
"""How long a message waits for its sender's confirmation before it is erased."""
REPORT_SECONDS = 30 * 86400
"""How long the report-abuse link of an owner's mail works; then its row is erased."""
BLOCK_SECONDS = 180 * 86400
"""How long a reported sender cannot write to the owner who reported them."""
ADDRESS = re.compile(
    r"[^@\s<>()\[\]\\,;:\"]{1,64}@[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?\.[A-Za-z]{2,63}"
)
"""A sender's address as this service takes it: one plain addr-spec, nothing a header could misread."""
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""Control characters, line and paragraph separators: none in a message (a line break aside)."""
LINE_BREAKS = re.compile(r"[\r\n\x0b\x0c\x85\u2028\u2029]")
SCHEMA = """
CREATE TABLE IF NOT EXISTS contact_messages (
    id INTEGER PRIMARY KEY,
    ref TEXT NOT NULL UNIQUE,
    permanent_id TEXT NOT NULL,
    lang TEXT NOT NULL,
    state TEXT NOT NULL,
    token_hash TEXT UNIQUE,
    sender_sealed BLOB NOT NULL,
    sender_key TEXT NOT NULL,
    name_sealed BLOB NOT NULL,
    subject_sealed BLOB NOT NULL,
    message_sealed BLOB NOT NULL,
    created REAL NOT NULL,
    next_try REAL NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS contact_counts (
    key TEXT NOT NULL,
    day TEXT NOT NULL,
    count INTEGER NOT NULL,
    PRIMARY KEY (key, day)
);
CREATE TABLE IF NOT EXISTS contact_reports (
    token_hash TEXT PRIMARY KEY,
    ref TEXT NOT NULL,
    permanent_id TEXT NOT NULL,
    sender_key TEXT NOT NULL,
    created REAL NOT NULL,
    reported REAL
);
CREATE TABLE IF NOT EXISTS contact_blocks (
    sender_key TEXT NOT NULL,
    permanent_id TEXT NOT NULL,
    until REAL NOT NULL,
    PRIMARY KEY (sender_key, permanent_id)
);
"""


def one_line(text: str) -> str:
    """A typed name or subject as one line: every run of white space (line breaks too) one space.

    >>> one_line(" Ann\\r\\nBcc: x@example.org ")
    'Ann Bcc: x@example.org'
    """
    return " ".join(text.split())


def is_address(text: str) -> bool:
    """Whether ``text`` is one plain address that can stand in a header as it is.

    >>> is_address("a.b+c@example.org"), is_address("a@example.org\\r\\nBcc: b@example.org")
    (True, False)
    >>> is_address("Ann <a@example.org>"), is_address("a@b@example.org")
    (False, False)
    """
    return ADDRESS.fullmatch(text) is not None


def sender_key(secret: bytes, address: str) -> str:
    """The keyed hash a sender's address is counted and blocked by; the address itself is not kept.

    >>> sender_key(b"s", "A@example.org") == sender_key(b"s", "a@example.org")
    True
    """
    return hmac.new(
        secret, f"cucon contact sender\0{address.casefold()}".encode(), hashlib.sha256
    ).hexdigest()


def day_of(now: float) -> str:
    """The UTC day a limit counts in.

    >>> day_of(0)
    '1970-01-01'
    """
    return dt.datetime.fromtimestamp(now, dt.UTC).date().isoformat()


@dataclass(frozen=True)
class Typed:
    """What a sender typed, checked: their name, address, subject and message."""

    name: str
    address: str
    subject: str
    message: str


@dataclass(frozen=True)
class Waiting:
    """A message of the store, opened: where it goes, what it says and where it stands."""

    id: int
    ref: str
    permanent_id: str
    lang: str
    sender_key: str
    typed: Typed


class ContactStore:
    """The contact tables of the private store; every typed word and the sender's address sealed."""

    def __init__(self, path: Path, vault, secret: bytes):
        self.vault, self.secret = vault, secret
        self._db = connect(path)
        self._lock = threading.Lock()
        with self._lock:
            self._db.executescript(SCHEMA)

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._db.close()

    def count(self, what: str, value: str, now: float) -> int:
        """How often ``what`` (sender or recipient) counted today for ``value`` (a key or an id)."""
        with self._lock:
            row = self._db.execute(
                "SELECT count FROM contact_counts WHERE key = ? AND day = ?",
                (self._count_key(what, value), day_of(now)),
            ).fetchone()
        return row[0] if row else 0

    def _count_key(self, what: str, value: str) -> str:
        return hmac.new(self.secret, f"cucon contact {what}\0{value}".encode(), hashlib.sha256).hexdigest()

    def _hit(self, db, what: str, value: str, now: float) -> None:
        db.execute(
            "INSERT INTO contact_counts (key, day, count) VALUES (?, ?, 1)"
            " ON CONFLICT (key, day) DO UPDATE SET count = count + 1",
            (self._count_key(what, value), day_of(now)),
        )

    def blocked(self, key: str, permanent_id: str, now: float) -> bool:
        """Whether the owner of ``permanent_id`` reported this sender (by keyed hash) lately."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM contact_blocks WHERE sender_key = ? AND permanent_id = ? AND until > ?",
                (key, permanent_id, now),
            ).fetchone()
        return row is not None

    def add(self, permanent_id: str, lang: str, typed: Typed, now: float) -> str:
        """Keep a new message, sealed, until its sender confirms; count it for the sender; its reference."""
        key = sender_key(self.secret, typed.address)
        ref = new_token()[0][:12]
        sealed = [self.vault.seal(v) for v in (typed.address, typed.name, typed.subject, typed.message)]
        with self._lock, transaction(self._db) as db:
            db.execute(
                "INSERT INTO contact_messages (ref, permanent_id, lang, state, sender_sealed, sender_key,"
                " name_sealed, subject_sealed, message_sealed, created, next_try)"
                " VALUES (?, ?, ?, 'new', ?, ?, ?, ?, ?, ?, ?)",
                (ref, permanent_id, lang, *sealed[:1], key, *sealed[1:], now, now),
            )
            self._hit(db, "sender", key, now)
        return ref

    def _rows(self, where: str, *args) -> list[Waiting]:
        """The messages a condition selects (20 at most), opened."""
        with self._lock:
            rows = self._db.execute(
                "SELECT id, ref, permanent_id, lang, sender_key, sender_sealed, name_sealed,"
                f" subject_sealed, message_sealed FROM contact_messages WHERE {where} ORDER BY id LIMIT 20",
                args,
            ).fetchall()
        sealed = ("name_sealed", "sender_sealed", "subject_sealed", "message_sealed")  # Typed's order
        return [
            Waiting(*row[:5], Typed(*(self.vault.open(bytes(row[name])) for name in sealed))) for row in rows
        ]

    def due(self, state: str, now: float) -> list[Waiting]:
        """The messages in ``state`` (new: the confirmation mail is due; confirmed: the owner's) due now."""
        return self._rows("state = ? AND next_try <= ?", state, now)

    def waiting(self, token_hash: str, now: float) -> Waiting | None:
        """The message a confirmation link stands for, while it waits and has not run out."""
        found = self._rows(
            "token_hash = ? AND state = 'awaiting' AND created > ?", token_hash, now - CONFIRM_SECONDS
        )
        return found[0] if found else None

    def mailed(self, message_id: int, token_hash: str) -> None:
        """The confirmation mail went out: the message waits for its link."""
        with self._lock, transaction(self._db) as db:
            db.execute(
                "UPDATE contact_messages SET state = 'awaiting', token_hash = ? WHERE id = ?",
                (token_hash, message_id),
            )

    def confirm(self, message_id: int, now: float) -> None:
        """The sender confirmed: the owner's mail is due, and the message counts for its recipient."""
        with self._lock, transaction(self._db) as db:
            row = db.execute(
                "UPDATE contact_messages SET state = 'confirmed', token_hash = NULL, next_try = ?, attempts = 0"
                " WHERE id = ? AND state = 'awaiting' RETURNING permanent_id",
                (now, message_id),
            ).fetchone()
            if row is not None:
                self._hit(db, "recipient", row[0], now)

    def retry(self, message_id: int, now: float) -> float:
        """Try a mail again later (the server is down); the delay."""
        with self._lock, transaction(self._db) as db:
            (attempts,) = db.execute(
                "UPDATE contact_messages SET attempts = attempts + 1 WHERE id = ? RETURNING attempts",
                (message_id,),
            ).fetchone()
            delay = backoff(attempts)
            db.execute("UPDATE contact_messages SET next_try = ? WHERE id = ?", (now + delay, message_id))
        return delay

    def erase(self, message_id: int) -> None:
        """Erase a message: its words, its sender's address, its link (secure_delete overwrites them)."""
        with self._lock, transaction(self._db) as db:
            db.execute("DELETE FROM contact_messages WHERE id = ?", (message_id,))
        self._scrub()

    def _scrub(self) -> None:
        """Leave no erased value in the write-ahead log either."""
        with self._lock:
            scrub(self._db)

    def delivered(self, message: Waiting, report_hash: str | None, now: float) -> None:
        """The owner has the message: erase it, keeping only the row its report-abuse link needs."""
        with self._lock, transaction(self._db) as db:
            db.execute("DELETE FROM contact_messages WHERE id = ?", (message.id,))
            if report_hash is not None:
                db.execute(
                    "INSERT INTO contact_reports (token_hash, ref, permanent_id, sender_key, created)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (report_hash, message.ref, message.permanent_id, message.sender_key, now),
                )
        self._scrub()

    def report_of(self, token_hash: str, now: float) -> tuple[str, str, bool] | None:
        """The message reference and permanent id of a report-abuse link that still works, and
        whether it was used."""
        with self._lock:
            row = self._db.execute(
                "SELECT ref, permanent_id, reported IS NOT NULL FROM contact_reports"
                " WHERE token_hash = ? AND created > ?",
                (token_hash, now - REPORT_SECONDS),
            ).fetchone()
        return (row[0], row[1], bool(row[2])) if row else None

    def reported(self, token_hash: str, now: float) -> bool:
        """Record a report: the sender cannot write to this owner for a while; False if done before."""
        with self._lock, transaction(self._db) as db:
            row = db.execute(
                "UPDATE contact_reports SET reported = ? WHERE token_hash = ? AND reported IS NULL"
                " RETURNING sender_key, permanent_id",
                (now, token_hash),
            ).fetchone()
            if row is None:
                return False
            db.execute(
                "INSERT INTO contact_blocks (sender_key, permanent_id, until) VALUES (?, ?, ?)"
                " ON CONFLICT (sender_key, permanent_id) DO UPDATE SET until = excluded.until",
                (*row, now + BLOCK_SECONDS),
            )
        return True

    def expire(self, now: float) -> int:
        """Erase unconfirmed messages that ran out, old report rows, blocks and counters; how many messages."""
        with self._lock, transaction(self._db) as db:
            gone = db.execute(
                "DELETE FROM contact_messages WHERE state != 'confirmed' AND created <= ?",
                (now - CONFIRM_SECONDS,),
            ).rowcount
            db.execute("DELETE FROM contact_reports WHERE created <= ?", (now - REPORT_SECONDS,))
            db.execute("DELETE FROM contact_blocks WHERE until <= ?", (now,))
            db.execute("DELETE FROM contact_counts WHERE day < ?", (day_of(now - 86400),))
        if gone:
            self._scrub()
        return gone


# --- the mails ------------------------------------------------------------------------------------


def _message(sender: str, to: str, subject: str, order: tuple[str, ...], text: str) -> EmailMessage:
    """A plain-text message in the languages of ``order``, with the headers every contact mail has."""
    message = machine_message(sender, to, subject)
    message.set_content(text)
    message["Content-Language"] = ", ".join(order)  # after set_content, which clears Content-*
    return message


def confirmation_mail(
    sender: str, to: str, link: str, lang: str, fallback: Mapping[str, tuple[str, ...]] = FALLBACK
) -> EmailMessage:
    """The mail to the sender, in ``lang`` and its first fallback: confirm your address. It holds no
    word the sender typed."""
    order = mail_languages(lang, fallback)
    text = "\n\n-----\n\n".join(
        f"{phrase('mail.contact_confirm', code, hours=CONFIRM_SECONDS // 3600)}\n\n{link}\n\n"
        f"{phrase('mail.contact_not_you', code)}\n"
        for code in order
    )
    return _message(sender, to, subject_in("mail.contact_confirm_subject", order), order, text)


def owner_mail(
    sender: str,
    owner: str,
    typed: Typed,
    ref: str,
    lang: str,
    report_link: str | None,
    fallback: Mapping[str, tuple[str, ...]] = FALLBACK,
) -> EmailMessage:
    """The mail to the owner (in the sender's language and its first fallback): the typed words as
    plain text, framed, ``Reply-To`` the sender."""
    order = mail_languages(lang, fallback)
    frame = "\n\n".join(
        phrase("mail.contact_frame", code, name=typed.name, address=typed.address) for code in order
    )
    close = "\n\n".join(phrase("mail.contact_reply", code) for code in order)
    if report_link:
        close += "\n\n" + "\n".join(phrase("mail.contact_report", code) for code in order)
        close += f"\n{report_link}"
    text = (
        f"{frame}\n\n"
        f"----- {phrase('mail.contact_begin', order[0])} ({ref}) -----\n"
        f"{phrase('mail.contact_subject_line', order[0])}: {typed.subject}\n\n"
        f"{typed.message}\n"
        f"----- {phrase('mail.contact_end', order[0])} -----\n\n{close}\n"
    )
    subject = f"{subject_in('mail.contact_subject', order)}: {one_line(typed.subject)}"
    message = _message(sender, owner, subject, order, text)
    message["Reply-To"] = Address(display_name=one_line(typed.name), addr_spec=typed.address)
    return message


def report_mail(sender: str, staff: str, ref: str, permanent_id: str, note: str) -> EmailMessage:
    """The mail to staff: an owner reports a message (its reference; the text only if the owner gave it)."""
    text = f"{bilingual('mail.contact_abuse', ref=ref, permanent_id=permanent_id)}\n\n" + (
        f"-----\n{note}\n-----\n" if note else f"{bilingual('mail.contact_abuse_no_text')}\n"
    )
    return _message(sender, staff, bilingual("mail.contact_abuse_subject", ref=ref), ("de", "en"), text)


def attach(svc) -> None:
    """Give a service its contact store, and its worker the contact mails: only with data keys (to seal
    what waits) and a mail server (to check the sender's address)."""
    if svc.vault is None or svc.mailer is None:
        return
    config = svc.config
    svc.contacts = ContactStore(config.private_path, svc.vault, config.secret)
    sender = ContactSender(
        svc.contacts, svc.owners, svc.mailer, config.public_url, config.abuse_address, svc.clock
    )
    svc.worker.chores.append(sender.run_once)


# --- the sender run by the worker -------------------------------------------------------------------


class ContactSender:
    """Sends the contact mails from the worker thread: confirmations to senders, messages to owners."""

    def __init__(
        self, store: ContactStore, owners, mailer, public_url: str, abuse_address: str | None, clock
    ):
        self.store, self.owners, self.mailer = store, owners, mailer
        self.public_url = public_url.rstrip("/")
        self.abuse_address, self.clock = abuse_address, clock

    def run_once(self) -> None:
        """Erase what ran out, then send every due confirmation and every due message to an owner."""
        now = self.clock()
        if gone := self.store.expire(now):
            logger.info("contact_expired", extra={"event": "contact_expired", "count": gone})
        for waiting in self.store.due("new", now):
            self._send(waiting, self._confirmation)
        for waiting in self.store.due("confirmed", now):
            self._send(waiting, self._deliver)

    def _confirmation(self, waiting: Waiting) -> None:
        token, digest = new_token()
        link = mailed_link(self.public_url, "contact/confirm", token, waiting.lang)
        self.mailer.send(
            confirmation_mail(
                self.mailer.sender, waiting.typed.address, link, waiting.lang, self.mailer.fallback
            )
        )
        self.store.mailed(waiting.id, digest)
        logger.info(
            "contact_confirmation_sent", extra={"event": "contact_confirmation_sent", "ref": waiting.ref}
        )

    def _deliver(self, waiting: Waiting) -> None:
        owner = self.owners.address(waiting.permanent_id) if self.owners is not None else None
        if owner is None:  # the record went away meanwhile: nobody to send to
            self.store.erase(waiting.id)
            logger.info("contact_no_owner", extra={"event": "contact_no_owner", "ref": waiting.ref})
            return
        report_link, report_hash = None, None
        if self.abuse_address:
            token, report_hash = new_token()
            report_link = mailed_link(self.public_url, "contact/report", token, waiting.lang)
        self.mailer.send(
            owner_mail(
                self.mailer.sender,
                owner,
                waiting.typed,
                waiting.ref,
                waiting.lang,
                report_link,
                self.mailer.fallback,
            )
        )
        self.store.delivered(waiting, report_hash, self.clock())
        logger.info("contact_delivered", extra={"event": "contact_delivered", "ref": waiting.ref})

    def _send(self, waiting: Waiting, how: Callable[[Waiting], None]) -> None:
        """One mail; a refused address erases the message, anything else tries again later."""
        try:
            how(waiting)
        except MailRefused:
            self.store.erase(waiting.id)
            logger.warning(
                "contact_undeliverable", extra={"event": "contact_undeliverable", "ref": waiting.ref}
            )
        except Exception as exc:
            delay = self.store.retry(waiting.id, self.clock())
            logger.warning(
                "contact_retry",
                extra={
                    "event": "contact_retry",
                    "ref": waiting.ref,
                    "delay": delay,
                    "error": type(exc).__name__,
                },
            )
