"""Abuse protection for the submission forms, without third-party services.

Pure functions and small classes; the app wires them in front of the pipeline:

- a honeypot field that people never see and bots fill in (``check_honeypot``);
- a signed issue time in each form, so a form sent within seconds, tampered with or days old is refused
  (``sign_form_time``, ``check_form_time``);
- a self-hosted proof of work in ALTCHA's documented scheme, so the ALTCHA widget can solve it, with
  each solution good for one submission only (``create_challenge``, ``verify_solution``, replay stores);
- a per-network rate limit that keeps only salted hashes, and only for hours (``RateLimiter``; its
  ``hit`` returns the seconds to wait, from which cucon.bot.guards answers 429 with a page in the
  person's language and ``Retry-After``);
- an ``Origin`` allow-list (``check_origin``).

Each other check raises ``Refused`` with the HTTP status to answer and a short English reason that
names no one, so the reason may be logged and shown.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import math
import secrets
import sqlite3
import threading
from collections import deque
from contextlib import closing
from pathlib import Path
from urllib.parse import parse_qs, urlsplit


class Refused(Exception):
    """A request the service will not take: ``status`` to answer, ``reason`` in short English."""

    def __init__(self, reason: str, status: int = 422) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


def _same(given: str, expected: str) -> bool:
    """Compare a secret-derived text in constant time, whatever characters were sent."""
    return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())


# --- honeypot and form time -------------------------------------------------------------------------


def check_honeypot(value: str | None) -> None:
    """Refuse a form whose hidden honeypot field holds anything; the app drops it as spam, silently."""
    if value:
        raise Refused("the form looks automated", 422)


def _form_mac(secret: bytes, issued: str) -> str:
    """The signature of a form's issue time."""
    return hmac.new(secret, b"cucon form time\0" + issued.encode(), hashlib.sha256).hexdigest()


def sign_form_time(secret: bytes, now: float) -> str:
    """A token for a hidden form field that says, signed, when the form was handed out."""
    if not secret:
        raise ValueError("the form-time secret must not be empty")
    issued = f"{now:.3f}"
    return f"{issued}:{_form_mac(secret, issued)}"


def check_form_time(
    token: str | None, secret: bytes, now: float, min_seconds: float = 3.0, max_age: float = 86400.0
) -> None:
    """Refuse a form sent under ``min_seconds`` after it was handed out, older than ``max_age``, or forged."""
    issued_text, _, mac = (token or "").partition(":")
    try:
        issued = float(issued_text)
    except ValueError:
        issued = math.nan
    if not secret or not mac or not math.isfinite(issued) or not _same(mac, _form_mac(secret, issued_text)):
        raise Refused("the form could not be verified; please reload it", 422)
    age = now - issued
    if age < min_seconds:
        raise Refused("the form was sent too quickly; please check it and send it again", 422)
    if age > max_age:
        raise Refused("the form has expired; please reload it", 422)


# --- proof of work (ALTCHA) -------------------------------------------------------------------------

ALGORITHM = "SHA-256"
MAX_PAYLOAD = 4096
"""Characters of a solution payload read at most; a real one has about 300."""


def _pow_hash(salt: str, number: int) -> str:
    """ALTCHA's challenge: the hex SHA-256 of the salt followed by the number in decimal."""
    return hashlib.sha256(f"{salt}{number}".encode()).hexdigest()


def _pow_signature(key: bytes, challenge: str) -> str:
    """ALTCHA's signature: the hex HMAC-SHA256 of the challenge under the server's key."""
    return hmac.new(key, challenge.encode(), hashlib.sha256).hexdigest()


def create_challenge(key: bytes, max_number: int, now: float, ttl: float = 1200.0) -> dict[str, object]:
    """A new challenge in ALTCHA's JSON shape, valid for ``ttl`` seconds; send it to the widget as is.

    The salt carries the expiry (``?expires=<unix time>&``; the trailing & keeps parameters from being
    spliced onto the number). Finding the number takes the browser up to ``max_number`` hashes.
    """
    if not key:
        raise ValueError("the proof-of-work key must not be empty")
    salt = f"{secrets.token_hex(12)}?expires={int(now + ttl)}&"
    challenge = _pow_hash(salt, secrets.randbelow(max_number + 1))
    return {
        "algorithm": ALGORITHM,
        "challenge": challenge,
        "maxnumber": max_number,
        "salt": salt,
        "signature": _pow_signature(key, challenge),
    }


def solve_challenge(challenge: dict[str, object]) -> str:
    """The payload the ALTCHA widget would send for a challenge, found by trying every number.

    For tests and scripts: the browser does this work.
    """
    salt, target = str(challenge["salt"]), str(challenge["challenge"])
    for number in range(int(challenge["maxnumber"]) + 1):  # type: ignore[call-overload]
        if _pow_hash(salt, number) == target:
            fields = ("algorithm", "challenge", "salt", "signature")
            payload = {"number": number, **{name: challenge[name] for name in fields}}
            return base64.b64encode(json.dumps(payload).encode()).decode("ascii")
    raise ValueError("the challenge has no solution up to its maxnumber")


def _expiry(salt: str) -> int | None:
    """The expiry a salt carries, or None.

    >>> _expiry("5f1c?expires=1800000000&"), _expiry("5f1c"), _expiry("5f1c?expires=soon&")
    (1800000000, None, None)
    """
    values = parse_qs(salt.partition("?")[2]).get("expires")
    return int(values[0]) if values and values[0].isdigit() else None


def verify_solution(
    payload: str | None, key: bytes, now: float, replay_store: ReplayStore | SqliteReplayStore
) -> None:
    """Refuse a proof of work that is malformed, unsolved, signed with another key, expired or used before."""
    malformed = Refused("the proof of work is missing or malformed; please reload the form", 422)
    if not payload or len(payload) > MAX_PAYLOAD:
        raise malformed
    try:
        data = json.loads(base64.b64decode(payload, validate=True))
    except ValueError:
        raise malformed from None
    if not isinstance(data, dict):
        raise malformed
    challenge, salt, signature, number = (data.get(k) for k in ("challenge", "salt", "signature", "number"))
    if (
        data.get("algorithm") != ALGORITHM
        or not all(isinstance(v, str) for v in (challenge, salt, signature))
        or type(number) is not int
        or number < 0
    ):
        raise malformed
    expires = _expiry(salt)
    if expires is None:
        raise malformed
    if not _same(signature, _pow_signature(key, challenge)) or not _same(challenge, _pow_hash(salt, number)):
        raise Refused("the proof of work is not valid; please reload the form", 422)
    if expires <= now:
        raise Refused("the proof of work has expired; please reload the form", 422)
    if not replay_store.use(challenge, expires, now):
        raise Refused("the proof of work was used before; please reload the form", 422)


class ReplayStore:
    """Solved challenges in memory until they expire; a restart forgets them (use the SQLite one to keep them)."""

    def __init__(self) -> None:
        self._used: dict[str, float] = {}
        self._lock = threading.Lock()

    def use(self, challenge: str, expires: float, now: float) -> bool:
        """Remember a challenge until it expires; False if it was remembered already."""
        with self._lock:
            self._used = {c: e for c, e in self._used.items() if e > now}
            if challenge in self._used:
                return False
            self._used[challenge] = expires
            return True


class SqliteReplayStore:
    """Solved challenges in a table of the service's SQLite file, so a restart does not forget them."""

    def __init__(self, path: Path | str) -> None:
        self.path = Path(path)
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS used_challenges (challenge TEXT PRIMARY KEY, expires REAL)"
            )

    def use(self, challenge: str, expires: float, now: float) -> bool:
        """Remember a challenge until it expires; False if it was remembered already."""
        with closing(sqlite3.connect(self.path, timeout=10)) as db, db:
            db.execute("DELETE FROM used_challenges WHERE expires <= ?", (now,))
            added = db.execute("INSERT OR IGNORE INTO used_challenges VALUES (?, ?)", (challenge, expires))
            return added.rowcount == 1


# --- rate limit -------------------------------------------------------------------------------------


def network_of(ip: str) -> str:
    """What the rate limit counts by: an IPv4 address, or the /64 network an IPv6 host gets as a whole.

    >>> network_of("203.0.113.7"), network_of("2001:db8:1:2:3:4:5:6"), network_of("::ffff:203.0.113.7")
    ('203.0.113.7', '2001:db8:1:2::/64', '203.0.113.7')
    """
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped:
            return str(address.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{address}/64", strict=False))
    return str(address)


class RateLimiter:
    """At most ``limit`` submissions per network in a sliding ``window`` of seconds, kept in memory.

    Only a keyed hash of each network is kept, under a random key made per process and replaced every
    ``salt_rotation`` seconds, when all counts are dropped: no address is stored, and no hash outlives a
    rotation. A restart (or a rotation) resets the counts, which at worst lets one more window through.
    """

    def __init__(self, limit: int = 10, window: float = 600.0, salt_rotation: float = 6 * 3600.0) -> None:
        self.limit = limit
        self.window = window
        self.salt_rotation = salt_rotation
        self._salt = secrets.token_bytes(32)
        self._salt_since: float | None = None
        self._hits: dict[str, deque[float]] = {}
        self._pruned = -math.inf
        self._lock = threading.Lock()

    def hit(self, ip: str, now: float) -> float | None:
        """Count a submission from this address; None if allowed, else the seconds until one is."""
        with self._lock:
            self._rotate(now)
            key = hmac.new(self._salt, network_of(ip).encode(), hashlib.sha256).hexdigest()
            hits = self._hits.setdefault(key, deque())
            while hits and hits[0] <= now - self.window:
                hits.popleft()
            if len(hits) >= self.limit:
                return hits[0] + self.window - now
            hits.append(now)
            return None

    def _rotate(self, now: float) -> None:
        """Replace the salt and forget all counts when it is due; drop idle counts once a minute."""
        if self._salt_since is None:
            self._salt_since = now
        elif now - self._salt_since >= self.salt_rotation:
            self._salt, self._salt_since = secrets.token_bytes(32), now
            self._hits.clear()
        if now - self._pruned >= 60:
            self._hits = {k: h for k, h in self._hits.items() if h and h[-1] > now - self.window}
            self._pruned = now


# --- origin -----------------------------------------------------------------------------------------


def origin_of(url: str) -> str | None:
    """The origin of a URL as browsers send it (scheme://host[:port], default port dropped), or None.

    >>> origin_of("https://CuCon.example:443/join?x=1"), origin_of("http://localhost:8000/"), origin_of("null")
    ('https://cucon.example', 'http://localhost:8000', None)
    """
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    try:
        port = parts.port
    except ValueError:
        return None
    host = f"[{parts.hostname}]" if ":" in parts.hostname else parts.hostname
    default = 443 if parts.scheme == "https" else 80
    return f"{parts.scheme}://{host}" + (f":{port}" if port and port != default else "")


def check_origin(origin_header: str | None, allowed: set[str], referer: str | None = None) -> None:
    """Refuse a POST whose Origin is not allowed (status 403).

    ``allowed`` holds the site's origin and the service's own (its forms post to it). Browsers send
    Origin with every POST; when it is missing (old browsers, some privacy tools), the Referer's origin
    must be allowed instead, so a request with neither is refused. The origin "null" (sandboxed or
    local pages) is refused.
    """
    origins = {origin_of(url) for url in allowed} - {None}
    if origin_header:
        if origin_of(origin_header) in origins:
            return
    elif referer and origin_of(referer) in origins:
        return
    raise Refused("this form can only be sent from the CuCon site", 403)
