"""The refusals that come before any work: Origin, rate limits, quotas and a full disk.

Each guard answers with the refusal's page, or None to let the request through.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math
import shutil

from fastapi import Request
from fastapi.responses import Response

from cucon.bot import abuse
from cucon.bot.logs import log_event
from cucon.bot.pages import error_page
from cucon.bot.service import Service
from cucon.bot.spool import FULL_RETRY_SECONDS, OverQuota


def origin_and_rate(svc: Service, request: Request, lang: str, now: float) -> Response | None:
    """The refusal of a post from a foreign Origin (403) or over the rate limit (429), or None."""
    config = svc.config
    own = config.public_origin or f"{request.url.scheme}://{request.url.netloc}".lower()
    origin = request.headers.get("origin")
    try:
        abuse.check_origin(origin, {*config.allowed_origins, own}, request.headers.get("referer"))
    except abuse.Refused:
        log_event("refused", status=403, reason="origin")
        return error_page(svc, 403, "forbidden", lang)
    wait = svc.limiter.hit(client_address(request, config.trusted_proxy), now)
    if wait is not None:
        seconds = max(1, math.ceil(wait))
        log_event("refused", status=429, reason="rate_limit")
        return error_page(
            svc, 429, "too_many", lang, headers={"Retry-After": str(seconds)}, minutes=math.ceil(seconds / 60)
        )
    return None


def spam_check(svc: Service, form_time: str | None, solution: str | None, now: float) -> abuse.Refused | None:
    """The refusal (logged) of a form whose signed time or proof of work fails, or None when both pass."""
    try:
        abuse.check_form_time(form_time, svc.config.secret, now, min_seconds=svc.config.min_form_seconds)
        abuse.verify_solution(solution, svc.config.secret, now, svc.replays)
    except abuse.Refused as exc:
        log_event("refused", status=exc.status, reason=exc.reason)
        return exc
    return None


def pending_key(secret: bytes, what: str, value: str) -> str:
    """A keyed hash of an e-mail address or a network, for the caps on entries awaiting confirmation.

    >>> pending_key(b"s", "contact", "a@example.org") == pending_key(b"s", "network", "a@example.org")
    False
    """
    return hmac.new(secret, f"cucon pending {what}\0{value}".encode(), hashlib.sha256).hexdigest()


def over_quota(svc: Service, refusal: OverQuota, lang: str) -> Response:
    """The answer to a new entry the spool does not take: 503 when full, 429 for too many pending."""
    seconds = str(max(1, math.ceil(refusal.retry_after)))
    full = refusal.reason in ("spool_full", "disk_full")
    log_event("refused", status=503 if full else 429, reason=refusal.reason)
    if full:
        return error_page(svc, 503, "unavailable", lang, headers={"Retry-After": seconds})
    return error_page(svc, 429, refusal.reason, lang, headers={"Retry-After": seconds})


def disk_full(svc: Service, lang: str) -> Response | None:
    """503 when the spool's file system has less than ``min_free_bytes`` free, else None."""
    if shutil.disk_usage(svc.config.spool_path.parent).free >= svc.config.min_free_bytes:
        return None
    return over_quota(svc, OverQuota("disk_full", FULL_RETRY_SECONDS), lang)


def link_rate(svc: Service, request: Request, lang: str) -> Response | None:
    """429 for a client over the rate limit of the link pages (confirm, edit, withdraw), else None.
    Called on the event loop, before any work is handed to a thread: a client looping on a link
    takes no thread from the pool that submissions validate in."""
    wait = svc.link_limiter.hit(client_address(request, svc.config.trusted_proxy), svc.clock())
    if wait is None:
        return None
    seconds = max(1, math.ceil(wait))
    log_event("refused", status=429, reason="link_rate_limit")
    return error_page(
        svc,
        429,
        "too_many_requests",
        lang,
        headers={"Retry-After": str(seconds)},
        minutes=math.ceil(seconds / 60),
    )


def client_address(request: Request, trusted_proxy=()) -> str:
    """The client's IP address: the peer's, or, when the peer is a trusted proxy, the nearest address
    in ``X-Forwarded-For`` that is not one (each proxy appends the address it saw; earlier entries
    are the client's word). Without trusted proxies the header is ignored: anyone can write it."""
    peer = request.client.host if request.client else "unknown"

    def trusted(ip) -> bool:
        return ip is not None and any(ip in network for network in trusted_proxy)

    if not trusted(_ip(peer)):
        return peer
    for hop in reversed(",".join(request.headers.getlist("x-forwarded-for")).split(",")):
        ip = _ip(hop)
        if not trusted(ip):
            return str(ip) if ip is not None else peer
    return peer


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    """The IP address written in ``text``, or None."""
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None
