"""The service's ASGI middleware: the body-size limit (413) and the security headers."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from fastapi import Request
from fastapi.responses import Response

from cucon.bot.config import BotConfig
from cucon.bot.logs import log_event


class BodyTooLarge(Exception):
    """A request body grew past the limit while it was read."""


DRAIN_FACTOR = 4
"""A refused body is read and discarded up to this many times the limit before the 413 is sent, so that
a browser still sending its upload reads the page instead of a reset connection."""


DRAIN_IDLE_SECONDS = 2.0
"""Draining stops when the client has sent nothing for this long (it waits for the answer, or stalls)."""


async def drain(receive, left: int) -> None:
    """Read and discard the rest of a request body, at most ``left`` bytes (or until the client leaves
    or sends nothing for :data:`DRAIN_IDLE_SECONDS`)."""
    while left > 0:
        try:
            message = await asyncio.wait_for(receive(), DRAIN_IDLE_SECONDS)
        except TimeoutError:
            return
        if message["type"] != "http.request":
            return
        left -= len(message.get("body", b""))
        if not message.get("more_body", False):
            return


class BodyLimit:
    """Refuse request bodies over ``limit`` bytes with 413: by Content-Length, and while reading.

    The 413 is sent after the body is read and discarded up to :data:`DRAIN_FACTOR` times the limit;
    a larger body is answered at once (the connection is then closed, as the body was not read). Any
    other answer given before the body was read to its end (a malformed form: 400; a foreign Origin,
    a rate limit, a charset other than UTF-8 …) waits for the rest to be discarded the same way.
    """

    def __init__(self, app, limit: int, refuse: Callable[[Request], Response]):
        self.app = app
        self.limit = limit
        self.refuse = refuse

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            log_event("refused", status=413, reason="declared_length")
            await drain(receive, self.limit * DRAIN_FACTOR)
            await self.refuse(Request(scope))(scope, receive, send)
            return
        seen = 0
        started = False
        chunked = b"chunked" in headers.get(b"transfer-encoding", b"").lower()
        ended = not chunked and declared in (None, b"0")  # no body to read

        async def counted_receive():
            nonlocal seen, ended
            message = await receive()
            ended = ended or message["type"] != "http.request" or not message.get("more_body", False)
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise BodyTooLarge
            return message

        async def watched_send(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                if not ended:  # an answer before the body's end: discard the rest, so the page is seen
                    await drain(receive, self.limit * DRAIN_FACTOR - seen)
            await send(message)

        try:
            await self.app(scope, counted_receive, watched_send)
        except BodyTooLarge:
            if started:
                raise
            log_event("refused", status=413, reason="body_length")
            await drain(receive, self.limit * DRAIN_FACTOR - seen)
            await self.refuse(Request(scope))(scope, receive, send)


class SecurityHeaders:
    """Add the security headers to every response: a CSP without inline scripts or other hosts, and more."""

    def __init__(self, app, csp: str):
        self.app = app
        self.headers = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            # Not no-referrer: with it, browsers send "Origin: null" on every POST, and the
            # Origin check refuses the service's own forms. strict-origin sends the origin
            # only, never a path, so a token in /confirm/ or /edit/ never travels in a Referer.
            (b"referrer-policy", b"strict-origin"),
            (b"cross-origin-opener-policy", b"same-origin"),
            (b"cross-origin-resource-policy", b"same-origin"),
            (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        ]

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(name, value) for name, value in self.headers if name not in names]
                message = {**message, "headers": [*message.get("headers", []), *extra]}
            await send(message)

        await self.app(scope, receive, with_headers)


def content_security_policy(config: BotConfig) -> str:
    """The CSP: only this service's own scripts; styles also from the site; framing by the site only."""
    site = [config.site_url and _origin(config.site_url)] if config.site_url else []
    styles = " ".join(["'self'", *filter(None, site)])
    ancestors = " ".join(["'self'", *config.allowed_origins])
    return (
        "default-src 'none'; script-src 'self'; "
        f"style-src {styles}; img-src 'self'; connect-src 'self'; "
        f"form-action 'self'; base-uri 'none'; frame-ancestors {ancestors}"
    )


def _origin(url: str) -> str:
    scheme, _, rest = url.partition("://")
    return f"{scheme}://{rest.split('/', 1)[0]}".lower()
