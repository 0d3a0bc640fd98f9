"""Abuse protection of the submission forms: honeypot, form time, proof of work, rate limit, Origin."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest

from cucon.bot.abuse import (
    RateLimiter,
    Refused,
    ReplayStore,
    SqliteReplayStore,
    check_form_time,
    check_honeypot,
    check_origin,
    create_challenge,
    sign_form_time,
    verify_solution,
)

SECRET = b"form-secret"
KEY = b"pow-key"
NOW = 1_800_000_000.0


# --- honeypot and form time ----------------------------------------------------------------------


@pytest.mark.parametrize(("value", "refused"), [(None, False), ("", False), ("x", True), (" ", True)])
def test_honeypot(value, refused):
    """Any value in the hidden field is refused; an empty or missing one passes."""
    if refused:
        with pytest.raises(Refused) as caught:
            check_honeypot(value)
        assert caught.value.status == 422
    else:
        check_honeypot(value)


def tampered(token: str) -> str:
    """A form-time token whose time was moved back a minute, signature kept."""
    issued, mac = token.split(":")
    return f"{float(issued) - 60:.3f}:{mac}"


@pytest.mark.parametrize(
    ("make_token", "elapsed", "reason"),
    [
        (lambda: sign_form_time(SECRET, NOW), 3.0, None),
        (lambda: sign_form_time(SECRET, NOW), 3600.0, None),
        (lambda: sign_form_time(SECRET, NOW), 2.9, "too quickly"),
        (lambda: sign_form_time(SECRET, NOW), 0.0, "too quickly"),
        (lambda: sign_form_time(SECRET, NOW), -50.0, "too quickly"),
        (lambda: sign_form_time(SECRET, NOW), 86401.0, "expired"),
        (lambda: tampered(sign_form_time(SECRET, NOW)), 3.0, "could not be verified"),
        (lambda: sign_form_time(b"another secret", NOW), 3.0, "could not be verified"),
        (lambda: f"{NOW:.3f}", 3.0, "could not be verified"),
        (lambda: "nan:" + "0" * 64, 3.0, "could not be verified"),
        (lambda: "", 3.0, "could not be verified"),
        (lambda: "ümlaut:ß", 3.0, "could not be verified"),
        (lambda: None, 3.0, "could not be verified"),
    ],
)
def test_form_time(make_token, elapsed, reason):
    """A form sent 3 s or more after it was handed out passes; too fast, stale or forged ones do not."""
    token = make_token()
    if reason is None:
        check_form_time(token, SECRET, NOW + elapsed)
    else:
        with pytest.raises(Refused, match=reason) as caught:
            check_form_time(token, SECRET, NOW + elapsed)
        assert caught.value.status == 422


# --- proof of work -------------------------------------------------------------------------------


def solve(challenge: dict, number_offset: int = 0) -> str:
    """Brute-force a challenge as the ALTCHA widget does, written from ALTCHA's documented scheme."""
    for number in range(challenge["maxnumber"] + 1):
        if hashlib.sha256(f"{challenge['salt']}{number}".encode()).hexdigest() == challenge["challenge"]:
            payload = {
                "algorithm": "SHA-256",
                "challenge": challenge["challenge"],
                "number": number + number_offset,
                "salt": challenge["salt"],
                "signature": challenge["signature"],
                "took": 12,
            }
            return base64.b64encode(json.dumps(payload).encode()).decode()
    raise AssertionError("no solution")


@pytest.fixture(params=["memory", "sqlite"])
def replay_store(request, tmp_path: Path) -> ReplayStore | SqliteReplayStore:
    """Each replay store in turn, so both keep the same promise."""
    return ReplayStore() if request.param == "memory" else SqliteReplayStore(tmp_path / "bot.sqlite3")


def test_challenge_has_altcha_shape():
    """The challenge is what the ALTCHA widget expects: a signed SHA-256 challenge whose salt expires."""
    challenge = create_challenge(KEY, 1000, NOW)
    assert set(challenge) == {"algorithm", "challenge", "maxnumber", "salt", "signature"}
    assert challenge["algorithm"] == "SHA-256"
    assert challenge["maxnumber"] == 1000
    assert challenge["salt"].endswith(f"?expires={int(NOW + 1200)}&")
    expected = hmac.new(KEY, challenge["challenge"].encode(), hashlib.sha256).hexdigest()
    assert challenge["signature"] == expected


def test_solution_is_accepted_once(replay_store):
    """A solved challenge passes once; the same solution again is refused as a replay."""
    payload = solve(create_challenge(KEY, 1000, NOW))
    verify_solution(payload, KEY, NOW + 5, replay_store)
    with pytest.raises(Refused, match="used before"):
        verify_solution(payload, KEY, NOW + 6, replay_store)


def test_sqlite_replay_store_survives_a_restart(tmp_path):
    """A used challenge stays used in the SQLite file when the service starts again, until it expires."""
    path = tmp_path / "bot.sqlite3"
    assert SqliteReplayStore(path).use("abc", NOW + 10, NOW) is True
    assert SqliteReplayStore(path).use("abc", NOW + 10, NOW + 1) is False
    assert SqliteReplayStore(path).use("abc", NOW + 30, NOW + 11) is True


def reencoded(payload: str, **fields: object) -> str:
    """A solution payload with some fields replaced."""
    data = json.loads(base64.b64decode(payload)) | fields
    return base64.b64encode(json.dumps(data).encode()).decode()


@pytest.mark.parametrize(
    ("spoil", "reason"),
    [
        (lambda p, c: solve(c, number_offset=1), "not valid"),
        (lambda p, c: reencoded(p, signature="0" * 64), "not valid"),
        (lambda p, c: reencoded(p, salt=c["salt"].replace("expires=", "expires=9")), "not valid"),
        (lambda p, c: reencoded(p, algorithm="SHA-1"), "malformed"),
        (lambda p, c: reencoded(p, number="7"), "malformed"),
        (lambda p, c: reencoded(p, number=-1), "malformed"),
        (lambda p, c: reencoded(p, salt="abc"), "malformed"),
        (lambda p, c: "not base64!", "malformed"),
        (lambda p, c: base64.b64encode(b"[1, 2]").decode(), "malformed"),
        (lambda p, c: "", "malformed"),
        (lambda p, c: None, "malformed"),
        (lambda p, c: "A" * 5000, "malformed"),
    ],
)
def test_spoilt_solutions_are_refused(replay_store, spoil, reason):
    """A wrong number, a forged signature or salt, or a malformed payload is refused (422)."""
    challenge = create_challenge(KEY, 1000, NOW)
    with pytest.raises(Refused, match=reason) as caught:
        verify_solution(spoil(solve(challenge), challenge), KEY, NOW + 5, replay_store)
    assert caught.value.status == 422


def test_solution_under_another_key_or_expired_is_refused(replay_store):
    """A challenge signed with another key, or solved after it expired, is refused."""
    foreign = solve(create_challenge(b"another key", 1000, NOW))
    with pytest.raises(Refused, match="not valid"):
        verify_solution(foreign, KEY, NOW + 5, replay_store)
    late = solve(create_challenge(KEY, 1000, NOW, ttl=60))
    with pytest.raises(Refused, match="expired"):
        verify_solution(late, KEY, NOW + 61, replay_store)


# --- rate limit ----------------------------------------------------------------------------------


def test_rate_limit_per_address_and_window():
    """Ten posts pass, the eleventh waits until the first leaves the window; other addresses are apart."""
    limiter = RateLimiter(limit=10, window=600)
    for second in range(10):
        assert limiter.hit("203.0.113.7", NOW + second) is None
    wait = limiter.hit("203.0.113.7", NOW + 10)
    assert wait == pytest.approx(590.0)
    assert limiter.hit("198.51.100.1", NOW + 10) is None
    assert limiter.hit("203.0.113.7", NOW + 11) == pytest.approx(589.0)
    assert limiter.hit("203.0.113.7", NOW + 600.5) is None


def test_rate_limit_counts_an_ipv6_host_by_its_network():
    """Addresses of one IPv6 /64 share a count, as one host can use them all."""
    limiter = RateLimiter(limit=2, window=600)
    assert limiter.hit("2001:db8:1:2::1", NOW) is None
    assert limiter.hit("2001:db8:1:2::abcd", NOW) is None
    assert limiter.hit("2001:db8:1:2::ffff", NOW) is not None
    assert limiter.hit("2001:db8:1:3::1", NOW) is None


def test_rate_limit_keeps_only_salted_hashes_for_hours():
    """No address is stored; a salt rotation replaces the key and forgets every count."""
    limiter = RateLimiter(limit=1, window=600, salt_rotation=3600)
    limiter.hit("203.0.113.7", NOW)
    assert "203.0.113.7" not in repr(vars(limiter))
    salt = limiter._salt
    assert limiter.hit("203.0.113.7", NOW + 300) is not None
    limiter.hit("198.51.100.1", NOW + 3600)
    assert limiter._salt != salt
    assert limiter.hit("203.0.113.7", NOW + 3601) is None
    assert len(limiter._hits) == 2


# --- origin --------------------------------------------------------------------------------------

ALLOWED = {"https://cucon.example", "https://join.cucon.example/"}


@pytest.mark.parametrize(
    ("origin", "referer", "allowed"),
    [
        ("https://cucon.example", None, True),
        ("https://CUCON.example:443", None, True),
        ("https://join.cucon.example", "https://evil.example/", True),
        ("https://evil.example", "https://cucon.example/join", False),
        ("http://cucon.example", None, False),
        ("https://cucon.example:8443", None, False),
        ("https://cucon.example.evil.example", None, False),
        ("null", "https://cucon.example/", False),
        (None, "https://cucon.example/de/mitmachen/", True),
        (None, "https://evil.example/https://cucon.example", False),
        (None, None, False),
        ("", None, False),
    ],
)
def test_origin_allow_list(origin, referer, allowed):
    """Only the allowed origins pass; without Origin the Referer must be allowed; "null" never is."""
    if allowed:
        check_origin(origin, ALLOWED, referer)
    else:
        with pytest.raises(Refused) as caught:
            check_origin(origin, ALLOWED, referer)
        assert caught.value.status == 403
