"""The submission service as an ASGI app: bilingual forms whose posts become pull requests.

``create_app(config, githost)`` builds the app, as in Flask's app-factory pattern: the tests pass a
config and a host, ``cucon bot`` passes the ones the environment describes. A post to ``/profile``,
``/call`` or ``/news`` runs the checks in a fixed order, cheapest first, and every refusal happens before anything is
stored: body size (413), Origin (403), rate limit (429), a full spool or disk (503) and too many
entries awaiting confirmation from the network (429) before the upload is read, honeypot, form time
and proof of work, too many awaiting the e-mail address (429), then the same validation as
``cucon check`` (422, with each error next to its field). What passes is written to the durable
spool and answered with 202; a background worker opens the pull request. The pages of the
confirmation and edit links have a rate limit of their own, and find their entries by index
(:class:`~cucon.bot.edit.ProfileIndex`), never under the lock that submissions need.

Logs are JSON lines with an event name and counts or ids, never a name, an e-mail or an IP address.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import hmac
import ipaddress
import json
import logging
import math
import re
import secrets
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from cucon import __version__
from cucon.bot import abuse
from cucon.bot.config import BotConfig
from cucon.bot.formdata import NotUtf8, read_form
from cucon.bot.mail import TOKEN_PATTERN, Mailer, new_token, token_hash
from cucon.bot.messages import Message, in_language
from cucon.bot.spool import FULL_RETRY_SECONDS, OverQuota, Quota, Spool, Worker
from cucon.bot.texts import EDIT_TEXT, choice_name, help_text, label
from cucon.problems import ContentProblem

logger = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
LANGS = ("de", "en")
HONEYPOT = "website_url"
"""The trap field: hidden from people and assistive technology, filled in by form-filling bots."""
CONTROL_FIELDS = ("form_time", "pow", "idempotency_key", "ui", HONEYPOT)
"""Fields of the form that are not content; everything else not in the schema is ignored."""
MAX_FIELDS = 80
MAX_FILES = 1
MAX_PART_BYTES = 256 * 1024
"""Limits of the multipart parser: fields, files, and bytes of one text field."""
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,100}")
CHECKOUT_REFRESH_SECONDS = 30.0
FORM_ROUTES = {"profile": "a new profile", "call": "a new call", "news": "news or an event tip"}
"""The forms: GET /<kind>/new shows one, POST /<kind> proposes what it holds."""
EMAIL_NEEDED = ContentProblem.of("", 1, "email", "email-for-confirmation")
"""The problem next to the e-mail field when the e-mail check is on and the field is empty."""
NOT_UTF8 = ContentProblem.of("", 1, "", "form-not-utf8")
"""The problem next to a field whose bytes are not UTF-8 (nothing is guessed)."""

TEXT: dict[str, dict[str, str]] = {
    "de": {
        "title_profile": "Bei CuCon mitmachen: neues Profil",
        "intro_profile": (
            "Mit diesem Formular schlagen Sie ein Profil für das Netzwerk CuCon vor. Das Kulturbüro sieht "
            "es durch und schaltet es frei; bis dahin ist es nicht auf der Website zu sehen."
        ),
        "title_call": "Neue Ausschreibung",
        "intro_call": (
            "Mit diesem Formular schlagen Sie eine Ausschreibung, ein Kooperationsgesuch, eine Residenz, "
            "eine Förderung oder einen Auftrag für CuCon vor. Das Kulturbüro sieht sie durch und schaltet "
            "sie frei; bis dahin ist sie nicht auf der Website zu sehen."
        ),
        "title_news": "Neuigkeit oder Veranstaltungstipp",
        "intro_news": (
            "Mit diesem Formular schlagen Sie eine Neuigkeit, eine Veranstaltung, einen Bericht über eine "
            "Kooperation oder einen Wissensbeitrag für CuCon vor. Das Kulturbüro sieht ihn durch und "
            "schaltet ihn frei; bis dahin ist er nicht auf der Website zu sehen."
        ),
        "required": "Pflichtfeld",
        "choose": "– bitte wählen –",
        "send": "Absenden",
        "noscript": (
            "Dieses Formular braucht JavaScript für seine Spam-Prüfung (eine kleine Rechenaufgabe im "
            "Browser, ohne Dienste Dritter). Bitte schalten Sie JavaScript für diese Seite ein, oder "
            "schreiben Sie dem Kulturbüro."
        ),
        "pow_working": "Spam-Prüfung läuft …",
        "pow_wait": "Einen Moment noch: die Spam-Prüfung ist gleich fertig, dann wird das Formular gesendet.",
        "pow_done": "Spam-Prüfung fertig.",
        "pow_failed": "Die Spam-Prüfung ist fehlgeschlagen. Bitte laden Sie die Seite neu.",
        "problems": "Bitte prüfen Sie die markierten Felder:",
        "photo_again": "Wählen Sie das Foto bitte noch einmal aus: aus Sicherheitsgründen wird es nicht behalten.",
        "image_again": "Wählen Sie das Bild bitte noch einmal aus: aus Sicherheitsgründen wird es nicht behalten.",
        "spam_check": (
            "Die Spam-Prüfung hat nicht geklappt (das Formular wurde zu schnell oder doppelt gesendet, "
            "oder die Prüfung war nicht fertig). Bitte senden Sie es noch einmal."
        ),
        "honeypot": "Dieses Feld bitte leer lassen",
        "thanks_title": "Vielen Dank!",
        "thanks": (
            "Ihr Vorschlag ist angekommen. Das Kulturbüro sieht ihn durch; erst danach erscheint er auf "
            "der Website. Sie müssen nichts weiter tun."
        ),
        "back": "Zur Website",
        "other_lang": "English",
        "too_large": "Die Einsendung ist zu groß. Fotos und Bilder dürfen höchstens {limit} MB groß sein.",
        "forbidden": "Dieses Formular kann nur von der CuCon-Website aus gesendet werden.",
        "too_many": "Zu viele Einsendungen von Ihrem Anschluss. Bitte versuchen Sie es in {minutes} Minuten wieder.",
        "too_many_requests": "Zu viele Aufrufe von Ihrem Anschluss. Bitte versuchen Sie es in {minutes} Minuten wieder.",
        "pending_contact": (
            "Unter dieser E-Mail-Adresse warten schon Vorschläge auf ihre Bestätigung. Bitte bestätigen Sie "
            "sie zuerst mit den Links aus unseren E-Mails (sehen Sie auch im Spam-Ordner nach)."
        ),
        "pending_network": (
            "Von Ihrem Anschluss warten schon viele Vorschläge auf ihre Bestätigung. Bitte bestätigen Sie "
            "sie zuerst mit den Links aus unseren E-Mails, oder versuchen Sie es später wieder."
        ),
        "bad_request": "Die Einsendung konnte nicht gelesen werden. Bitte senden Sie das Formular noch einmal.",
        "not_utf8": (
            "Ein Text kam nicht als UTF-8 an und konnte nicht gelesen werden; nichts wurde gespeichert. "
            "Bitte geben Sie ihn im Formular noch einmal ein."
        ),
        "not_found": "Diese Seite gibt es nicht.",
        "error_title": "Das hat nicht geklappt",
        "unavailable": "Der Dienst nimmt gerade keine Einsendungen an. Bitte versuchen Sie es später wieder.",
        "thanks_mail": (
            "Ihr Vorschlag ist angekommen. Bitte sehen Sie in Ihr E-Mail-Postfach: Wir haben Ihnen einen "
            "Link geschickt. Erst wenn Sie ihn öffnen und bestätigen, geht der Vorschlag an das Kulturbüro. "
            "Der Link gilt 7 Tage. Keine E-Mail da? Sehen Sie auch im Spam-Ordner nach."
        ),
        "confirm_title": "E-Mail-Adresse bestätigen",
        "confirm_intro": (
            "Drücken Sie auf „Bestätigen“, damit Ihr Vorschlag an das Kulturbüro geht. Haben Sie nichts "
            "eingereicht? Dann schließen Sie diese Seite einfach."
        ),
        "confirm_button": "Bestätigen",
        "confirmed_title": "Bestätigt, vielen Dank!",
        "confirmed": (
            "Ihre E-Mail-Adresse ist bestätigt, und Ihr Vorschlag ist beim Kulturbüro. Es sieht ihn durch; "
            "erst danach erscheint er auf der Website. Sie müssen nichts weiter tun."
        ),
        "confirm_unknown": (
            "Diesen Bestätigungslink gibt es nicht (mehr). Links gelten 7 Tage; danach wird der Vorschlag "
            "gelöscht. Bitte senden Sie das Formular noch einmal."
        ),
    },
    "en": {
        "title_profile": "Join CuCon: new profile",
        "intro_profile": (
            "With this form you propose a profile for the CuCon network. The culture office looks it "
            "through and publishes it; until then it is not shown on the website."
        ),
        "title_call": "New call",
        "intro_call": (
            "With this form you propose an open call, a cooperation request, a residency, funding or a "
            "commission for CuCon. The culture office looks it through and publishes it; until then it is "
            "not shown on the website."
        ),
        "title_news": "News or event tip",
        "intro_news": (
            "With this form you propose news, an event, a report on a cooperation or a knowledge post for "
            "CuCon. The culture office looks it through and publishes it; until then it is not shown on "
            "the website."
        ),
        "required": "required",
        "choose": "– please choose –",
        "send": "Send",
        "noscript": (
            "This form needs JavaScript for its spam check (a small puzzle solved in your browser, with "
            "no third-party service). Please turn on JavaScript for this page, or write to the culture office."
        ),
        "pow_working": "Spam check running …",
        "pow_wait": "One moment: the spam check is nearly done, then the form is sent.",
        "pow_done": "Spam check done.",
        "pow_failed": "The spam check failed. Please reload the page.",
        "problems": "Please look at the marked fields:",
        "photo_again": "Please choose the photo again: for your safety it is not kept.",
        "image_again": "Please choose the image again: for your safety it is not kept.",
        "spam_check": (
            "The spam check did not work out (the form was sent too quickly or twice, or the check had not "
            "finished). Please send it again."
        ),
        "honeypot": "Please leave this field empty",
        "thanks_title": "Thank you!",
        "thanks": (
            "Your proposal has arrived. The culture office looks it through; only then does it appear on "
            "the website. There is nothing more you need to do."
        ),
        "back": "To the website",
        "other_lang": "Deutsch",
        "too_large": "The submission is too large. Photos and images may be at most {limit} MB.",
        "forbidden": "This form can only be sent from the CuCon website.",
        "too_many": "Too many submissions from your connection. Please try again in {minutes} minutes.",
        "too_many_requests": "Too many requests from your connection. Please try again in {minutes} minutes.",
        "pending_contact": (
            "Proposals from this e-mail address are already waiting for confirmation. Please confirm them "
            "first with the links in our mails (look in the spam folder too)."
        ),
        "pending_network": (
            "Many proposals from your connection are already waiting for confirmation. Please confirm them "
            "first with the links in our mails, or try again later."
        ),
        "bad_request": "The submission could not be read. Please send the form again.",
        "not_utf8": (
            "A text did not arrive as UTF-8 and could not be read; nothing was stored. "
            "Please type it again in the form."
        ),
        "not_found": "There is no such page.",
        "error_title": "That did not work",
        "unavailable": "The service is not taking submissions right now. Please try again later.",
        "thanks_mail": (
            "Your proposal has arrived. Please look in your mailbox: we have sent you a link. Only when you "
            "open it and confirm does the proposal go to the culture office. The link works for 7 days. "
            "No mail? Look in the spam folder too."
        ),
        "confirm_title": "Confirm your e-mail address",
        "confirm_intro": (
            "Press “Confirm” to send your proposal to the culture office. Did you not send anything? Then "
            "just close this page."
        ),
        "confirm_button": "Confirm",
        "confirmed_title": "Confirmed, thank you!",
        "confirmed": (
            "Your e-mail address is confirmed, and your proposal is with the culture office. It looks it "
            "through; only then does it appear on the website. There is nothing more you need to do."
        ),
        "confirm_unknown": (
            "This confirmation link does not exist (any more). Links work for 7 days; after that the "
            "proposal is deleted. Please send the form again."
        ),
    },
}


for _code in LANGS:
    TEXT[_code] |= EDIT_TEXT[_code]


# --- logging --------------------------------------------------------------------------------------


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, and the record's plain extra values."""

    RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
        "message",
        "asctime",
        "color_message",
    }

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self.RESERVED and isinstance(value, str | int | float | bool | None):
                data[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            data["error"] = record.exc_info[0].__name__
        return json.dumps(data, ensure_ascii=False)


def _log(event: str, **values: Any) -> None:
    """Log an event with plain values (ids, counts, statuses; never personal data)."""
    logger.info(event, extra={"event": event, **values})


# --- middleware -----------------------------------------------------------------------------------


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

    def __init__(self, app, limit: int, refuse: Callable[[], Response]):
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
            _log("refused", status=413, reason="declared_length")
            await drain(receive, self.limit * DRAIN_FACTOR)
            await self.refuse()(scope, receive, send)
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
            _log("refused", status=413, reason="body_length")
            await drain(receive, self.limit * DRAIN_FACTOR - seen)
            await self.refuse()(scope, receive, send)


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


# --- the checkout the service validates against ---------------------------------------------------


class Checkout:
    """The clone of the site repository: brought up to origin/<base> before validating, under a lock."""

    def __init__(
        self,
        path: Path,
        base: str,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        remote: str | None = None,
    ):
        self.path = path
        self.base = base
        self.remote = remote
        """Where to clone the checkout from anew when its own ``origin`` cannot be read."""
        self.clock = clock
        self.wall_clock = wall_clock
        self.last_refresh: float | None = None
        """When a refresh last succeeded (Unix seconds), for /healthz."""
        self.last_error: str | None = None
        """The step at which the newest refresh failed (``fetch``, ``checkout``, ``locked``, ``clone``),
        or None."""
        self.lock = threading.Lock()
        self._refreshed: float | None = None
        self._head: str | None = None

    def head(self) -> str | None:
        """The commit the checkout is at (read once after each refresh), or None for no git clone."""
        if self._head is None and (self.path / ".git").exists():
            result = subprocess.run(
                ["git", "rev-parse", "--verify", "HEAD"],
                cwd=self.path,
                capture_output=True,
                text=True,
                check=False,
            )
            self._head = result.stdout.strip() or None
        return self._head

    @property
    def content(self) -> Path:
        return self.path / "content"

    def refresh(self) -> None:
        """``git fetch`` and check out origin/<base>, at most every 30 s; keep the old tree if it fails.

        Holds the service's git lock on the clone, so stale ``*.lock`` files a killed git left are
        removed first (:func:`~cucon.bot.githost.remove_stale_locks`); a half-written index is
        dropped and rebuilt, and a detached HEAD is put back on <base>. A clone that still fails
        while its remote answers (objects missing, HEAD or config broken) is cloned anew.
        """
        from cucon.bot.githost import held_exclusively, remove_stale_locks

        now = self.clock()
        if self._refreshed is not None and now - self._refreshed < CHECKOUT_REFRESH_SECONDS:
            return
        self._refreshed = now
        git_dir = self.path / ".git"
        if not git_dir.is_dir():
            return
        try:
            with held_exclusively(git_dir / "cucon-service.flock"):
                if remove_stale_locks(git_dir, time.time()):
                    self._failed("locked")
                    return
                remote = self._origin()
                fetched = self._git("fetch", "--quiet", "--no-tags", "origin", self.base)
                if fetched and self._check_out_base():
                    self.last_refresh, self.last_error = self.wall_clock(), None
                elif remote is None or not self._answers(remote):
                    self._failed("fetch" if not fetched else "checkout")
                elif self._clone_anew(remote):
                    self.last_refresh, self.last_error = self.wall_clock(), None
                else:
                    self._failed("clone")
        finally:
            self._head = None

    def _origin(self) -> str | None:
        """The address of the clone's ``origin`` (read from its config file alone), else ``remote``."""
        result = self._run(
            self.path.parent, "config", "--file", str(self.path / ".git" / "config"), "remote.origin.url"
        )
        return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else self.remote

    def _answers(self, remote: str) -> bool:
        """Whether the remote answers with its base branch (then a failing clone is at fault)."""
        found = self._run(self.path.parent, "ls-remote", "--heads", remote, f"refs/heads/{self.base}")
        return found.returncode == 0 and bool(found.stdout.strip())

    def _clone_anew(self, remote: str) -> bool:
        """Replace the clone by a new one of ``remote`` (made beside it, then renamed into its place)."""
        fresh = self.path.with_name(f".{self.path.name}.new")
        broken = self.path.with_name(f".{self.path.name}.broken")
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(broken, ignore_errors=True)
        cloned = self._run(
            self.path.parent, "clone", "--quiet", "--no-tags", "-b", self.base, remote, str(fresh)
        )
        if cloned.returncode != 0:
            shutil.rmtree(fresh, ignore_errors=True)
            return False
        self.path.rename(broken)
        fresh.rename(self.path)
        shutil.rmtree(broken, ignore_errors=True)
        logger.warning("checkout_recreated", extra={"event": "checkout_recreated"})
        return True

    def _check_out_base(self) -> bool:
        """Check out origin/<base> as <base> over anything; once more without the index if that fails."""
        step = ("checkout", "--quiet", "--force", "-B", self.base, f"origin/{self.base}")
        if self._git(*step):
            return True
        (self.path / ".git" / "index").unlink(missing_ok=True)
        return self._git(*step)

    def _git(self, *args: str) -> bool:
        """Run one git command in the clone; whether it succeeded."""
        return self._run(self.path, *args).returncode == 0

    @staticmethod
    def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one git command, without hooks, in ``cwd``."""
        return subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def _failed(self, step: str) -> None:
        """Log a refresh that failed at ``step``, and keep the step for /healthz."""
        self.last_error = step
        logger.warning("checkout_refresh_failed", extra={"event": "checkout_refresh_failed", "step": step})

    def refresh_unless_busy(self) -> None:
        """:meth:`refresh` when nobody holds the lock; never wait for it (a link's page uses this)."""
        if self.lock.acquire(blocking=False):
            try:
                self.refresh()
            finally:
                self.lock.release()


# --- the app --------------------------------------------------------------------------------------


def default_githost(config: BotConfig):
    """The GitHost the configuration describes."""
    from cucon.bot.githost import GitHubHost, PlainGitHost

    if config.forge == "github":
        return GitHubHost(
            config.github_api, config.github_token or "", config.github_repository or "", config.git_base
        )
    return PlainGitHost(config.git_remote or "", config.git_base, workdir=config.workdir / "git")


def create_app(
    config: BotConfig,
    githost=None,
    *,
    clock: Callable[[], float] = time.time,
    worker_idle: float = 30.0,
    mailer: Mailer | None = None,
) -> FastAPI:
    """The service for one configuration; ``githost`` defaults to the forge the configuration names,
    ``mailer`` to the SMTP server it names (none: no e-mail check)."""
    from cucon.bot.edit import ProfileIndex, changed_fields, form_values, update_submission, withdrawal
    from cucon.bot.submission import FORMS, SubmissionInvalid, form_fields, profile_submission
    from cucon.bot.submission import submission as build_submission

    # httpx logs every request URL at INFO; a branch name in one carries a name's slug: keep logs free of it.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    config.workdir.mkdir(parents=True, exist_ok=True)
    host = githost if githost is not None else default_githost(config)
    spool = Spool(config.spool_path)
    mailer = mailer if mailer is not None else Mailer.from_config(config)
    worker = Worker(spool, host, checkout=config.checkout, clock=clock, idle=worker_idle, mailer=mailer)
    checkout = Checkout(config.checkout, config.git_base, wall_clock=clock, remote=config.git_remote)
    limiter = abuse.RateLimiter(*config.rate_limit)
    link_limiter = abuse.RateLimiter(*config.link_rate_limit)
    quota = Quota(config.spool_max_bytes, config.pending_per_email, config.pending_per_network)
    profiles = ProfileIndex(config.checkout)
    replays = abuse.SqliteReplayStore(config.workdir / "replays.sqlite3")
    templates = Environment(
        loader=FileSystemLoader(HERE / "templates"),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        worker.start()
        _log("service_started", spooled=spool.counts()["received"], version=__version__)
        try:
            yield
        finally:
            worker.stop()
            spool.close()
            _log("service_stopped")

    app = FastAPI(
        title="CuCon submission service",
        version=__version__,
        description="Bilingual forms whose posts become pull requests to the CuCon content repository.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.config = config
    app.state.spool = spool
    app.state.worker = worker
    app.state.githost = host
    app.state.checkout = checkout
    app.state.mailer = mailer

    def page(
        name: str, lang: str, status: int = 200, form_kind: str = "profile", **values: Any
    ) -> HTMLResponse:
        html = templates.get_template(name).render(
            lang=lang,
            t=TEXT[lang],
            site_url=config.site_url,
            version=__version__,
            form_kind=form_kind,
            help=lambda name: help_text(
                "email_confirm" if name == "email" and mailer else name, lang, form_kind
            ),
            field_label=lambda name: label(f"field.{name}", lang, form_kind),
            group_label=lambda name: label(f"group.{name}", lang, form_kind),
            choice_name=lambda choice: choice_name(choice, lang),
            **values,
        )
        return HTMLResponse(html, status_code=status, headers={"Cache-Control": "no-store"})

    def error_page(
        status: int, key: str, lang: str = "de", headers: Mapping[str, str] = (), **fmt
    ) -> Response:
        texts = {code: TEXT[code][key].format(**fmt) for code in LANGS}
        response = page("error.html", lang, status, messages=texts)
        response.headers.update(dict(headers))
        return response

    def form_page(
        lang: str,
        status: int = 200,
        values=None,
        problems=None,
        notice: str | None = None,
        edit_token: str | None = None,
        kind: str = "profile",
    ):
        now = clock()
        challenge = abuse.create_challenge(config.secret, config.pow_max_number, now)
        fields = [
            replace(f, required=True) if f.name == "email" and mailer and edit_token is None else f
            for f in form_fields(FORMS[kind], checkout.path)
        ]
        if edit_token is not None:  # an update keeps the published photo when none is uploaded
            fields = [replace(f, required=False) if f.name == "photo" else f for f in fields]
        return page(
            "form.html",
            lang,
            status,
            form_kind=kind,
            upload=FORMS[kind].image,
            edit_token=edit_token,
            fields=fields,
            values=values or {},
            problems=problems or {},
            notice=notice,
            honeypot=HONEYPOT,
            form_time=abuse.sign_form_time(config.secret, now),
            challenge=json.dumps(challenge, separators=(",", ":")),
            idempotency_key=secrets.token_urlsafe(18),
        )

    app.add_middleware(
        CORSMiddleware,
        allow_origins=list(config.allowed_origins),
        allow_methods=["GET", "POST"],
        allow_headers=["Idempotency-Key"],
        allow_credentials=False,
        max_age=600,
    )
    app.add_middleware(
        BodyLimit,
        limit=config.max_body_bytes,
        refuse=lambda: error_page(413, "too_large", limit=config.max_body_bytes // (1024 * 1024)),
    )
    app.add_middleware(SecurityHeaders, csp=content_security_policy(config))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")

    @app.get("/", response_class=HTMLResponse, summary="What the service does, in German and English")
    def landing() -> HTMLResponse:
        return page("index.html", "de")

    post_profile_responses: dict[int | str, dict[str, Any]] = {
        202: _html("Received and spooled; a pull request follows (also for a known Idempotency-Key)."),
        400: _html("The form could not be read as multipart."),
        403: _html("The Origin (or, without one, the Referer) is not allowed."),
        413: _html("The body is larger than the limit."),
        422: _html("The spam check failed, or the entry is not valid; the form comes back with the errors."),
        429: _html(
            "Too many posts from one address, or too many entries from its network or e-mail address "
            "awaiting confirmation; see Retry-After.",
            retry_after=True,
        ),
        503: _html(
            "The spool is full, the disk nearly full, or the base branch does not pass the validator; "
            "see Retry-After.",
            retry_after=True,
        ),
    }

    def form_routes(kind: str, what: str) -> None:
        """GET /<kind>/new, the form in German or English, and POST /<kind>, a post of it."""

        def show(lang: str = "de") -> HTMLResponse:
            return form_page(lang if lang in LANGS else "de", kind=kind)

        async def propose(request: Request) -> Response:
            return await handle_post(request, kind)

        app.add_api_route(
            f"/{kind}/new", show, methods=["GET"], name=f"new_{kind}", response_class=HTMLResponse,
            summary=f"The form for {what}",
        )  # fmt: skip
        app.add_api_route(
            f"/{kind}", propose, methods=["POST"], name=f"post_{kind}", response_class=HTMLResponse,
            status_code=202, summary=f"Propose {what}", responses=post_profile_responses,
            openapi_extra={"requestBody": _request_body_schema(FORMS[kind].image)},
        )  # fmt: skip

    for kind, what in FORM_ROUTES.items():
        form_routes(kind, what)

    def base_url(request: Request) -> str:
        return (config.public_url or f"{request.url.scheme}://{request.url.netloc}").rstrip("/")

    def mint_edit_link(request: Request, permanent_id: str | None) -> str | None:
        """A new edit link for an entry; only the token's hash is stored, the token is never logged."""
        if not permanent_id:
            return None
        token, digest = new_token()
        spool.add_edit_link(digest, permanent_id, "profile", now=clock())
        return f"{base_url(request)}/edit/{token}"

    def edit_target(token: str):
        """The edit link of a token, or None (an unknown token, or one of the wrong shape)."""
        return spool.edit_link(token_hash(token)) if TOKEN_PATTERN.fullmatch(token) else None

    def origin_and_rate(request: Request, lang: str, now: float) -> Response | None:
        """The refusal of a post from a foreign Origin (403) or over the rate limit (429), or None."""
        own = config.public_origin or f"{request.url.scheme}://{request.url.netloc}".lower()
        origin = request.headers.get("origin")
        try:
            abuse.check_origin(origin, {*config.allowed_origins, own}, request.headers.get("referer"))
        except abuse.Refused:
            _log("refused", status=403, reason="origin")
            return error_page(403, "forbidden", lang)
        wait = limiter.hit(client_address(request, config.trusted_proxy), now)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            _log("refused", status=429, reason="rate_limit")
            return error_page(
                429, "too_many", lang, headers={"Retry-After": str(seconds)}, minutes=math.ceil(seconds / 60)
            )
        return None

    def pending_key(what: str, value: str) -> str:
        """A keyed hash of an e-mail address or a network, for the caps on entries awaiting confirmation."""
        return hmac.new(config.secret, f"cucon pending {what}\0{value}".encode(), hashlib.sha256).hexdigest()

    def over_quota(refusal: OverQuota, lang: str) -> Response:
        """The answer to a new entry the spool does not take: 503 when full, 429 for too many pending."""
        seconds = str(max(1, math.ceil(refusal.retry_after)))
        full = refusal.reason in ("spool_full", "disk_full")
        _log("refused", status=503 if full else 429, reason=refusal.reason)
        if full:
            return error_page(503, "unavailable", lang, headers={"Retry-After": seconds})
        return error_page(429, refusal.reason, lang, headers={"Retry-After": seconds})

    def disk_full(lang: str) -> Response | None:
        """503 when the spool's file system has less than ``min_free_bytes`` free, else None."""
        if shutil.disk_usage(config.spool_path.parent).free >= config.min_free_bytes:
            return None
        return over_quota(OverQuota("disk_full", FULL_RETRY_SECONDS), lang)

    def link_rate(request: Request, lang: str) -> Response | None:
        """429 for a client over the rate limit of the link pages (confirm, edit, withdraw), else None.
        Called on the event loop, before any work is handed to a thread: a client looping on a link
        takes no thread from the pool that submissions validate in."""
        wait = link_limiter.hit(client_address(request, config.trusted_proxy), clock())
        if wait is None:
            return None
        seconds = max(1, math.ceil(wait))
        _log("refused", status=429, reason="link_rate_limit")
        return error_page(
            429,
            "too_many_requests",
            lang,
            headers={"Retry-After": str(seconds)},
            minutes=math.ceil(seconds / 60),
        )

    async def handle_post(request: Request, kind: str = "profile", edit_token: str | None = None) -> Response:
        """A post of a form (``kind``: profile, call or news), or of the update form of an edit link."""
        now = clock()
        lang = "de"
        link = None
        if edit_token is not None:
            if (limited := link_rate(request, lang)) is not None:
                return limited
            link = edit_target(edit_token)
            if link is None:
                _log("edit_unknown", status=404)
                return error_page(404, "edit_unknown")
            if link.withdrawal is not None:
                return page("edit_done.html", lang, 409, message="already_withdrawn")
        refused = origin_and_rate(request, lang, now)
        if refused is not None:
            return refused
        # before the upload is read: a full disk or spool, or a network with many entries awaiting
        awaits = mailer is not None and edit_token is None
        network_key = pending_key("network", abuse.network_of(client_address(request, config.trusted_proxy)))
        network_key = network_key if awaits else None
        header_key = request.headers.get("idempotency-key")
        if header_key is None or spool.find(header_key) is None:  # a retry of a taken entry is answered
            if (full := disk_full(lang)) is not None:
                return full
            if (refusal := spool.over_quota(quota, now, network_key=network_key)) is not None:
                return over_quota(refusal, lang)
        try:
            form, not_utf8 = await read_form(
                request, max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=MAX_PART_BYTES
            )
        except BodyTooLarge:
            raise
        except NotUtf8 as exc:
            _log("refused", status=422, reason="not_utf8", error=str(exc))
            return error_page(422, "not_utf8", lang)
        except Exception as exc:  # starlette raises HTTPException(400) for broken multipart
            _log("refused", status=400, reason="unreadable_form", error=type(exc).__name__)
            return error_page(400, "bad_request", lang)
        try:
            lang = form.get("ui") if form.get("ui") in LANGS else lang
            key = request.headers.get("idempotency-key") or form.get("idempotency_key") or None
            key = key if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key) else None
            thanks = "thanks_mail" if mailer else "thanks"
            if edit_token is not None:
                thanks = "update_thanks"
            if key is not None and (known := spool.find(key)) is not None:
                _log("duplicate", submission=known, by="idempotency_key")
                entry = spool.get(known)
                edit_link = None
                if edit_token is None and entry is not None and entry.kind == "profile":  # profiles only
                    edit_link = mint_edit_link(request, entry.permanent_id)
                return page("thanks.html", lang, 202, message=thanks, edit_link=edit_link)
            try:
                abuse.check_honeypot(_text(form.get(HONEYPOT)))
            except abuse.Refused:
                _log("refused", status=202, reason="honeypot")
                # a bot learns nothing (a link that looks like the real one); a person never sees the field
                fake = (
                    None if edit_token or kind != "profile" else f"{base_url(request)}/edit/{new_token()[0]}"
                )
                return page("thanks.html", lang, 202, message=thanks, edit_link=fake)
            try:
                abuse.check_form_time(
                    _text(form.get("form_time")), config.secret, now, min_seconds=config.min_form_seconds
                )
                abuse.verify_solution(_text(form.get("pow")), config.secret, now, replays)
            except abuse.Refused as exc:
                _log("refused", status=exc.status, reason=exc.reason)
                return form_page(
                    lang,
                    exc.status,
                    values=_values(form),
                    notice="spam_check",
                    edit_token=edit_token,
                    kind=kind,
                )
            values = _values(form)
            if not_utf8:  # never guessed: the person types it again
                _log("refused", status=422, reason="not_utf8", fields=",".join(sorted(set(not_utf8))))
                message = in_language(NOT_UTF8, lang)
                return form_page(
                    lang,
                    422,
                    values=values,
                    problems={name: [message] for name in not_utf8},
                    notice="not_utf8",
                    edit_token=edit_token,
                    kind=kind,
                )
            email = (_text(values.get("email")) or "").strip()
            contact_key = pending_key("contact", email.casefold()) if awaits and email else None
            if contact_key and (refusal := spool.over_quota(quota, now, contact_key=contact_key)):
                return over_quota(refusal, lang)
            upload = form.get(FORMS[kind].image) if FORMS[kind].image else None
            photo_bytes, photo_name = None, None
            if isinstance(upload, UploadFile) and upload.filename:
                photo_bytes, photo_name = await upload.read(), upload.filename
            today = dt.datetime.fromtimestamp(now, dt.UTC).date()

            def validate():
                with checkout.lock:
                    checkout.refresh()
                    if link is None:
                        return build_submission(
                            FORMS[kind], values, photo_bytes, photo_name, checkout.path, today
                        )
                    found = profiles.find(checkout.head(), link.permanent_id)
                    if found is None:
                        return None
                    submission = profile_submission(
                        values, photo_bytes, photo_name, checkout.path, today, keep=found.published
                    )
                    changed = changed_fields(found, submission)
                    return update_submission(found, submission, changed) if changed else "unchanged"

            needs_email = (
                mailer is not None and link is None and not (_text(values.get("email")) or "").strip()
            )
            try:
                proposed = await run_in_threadpool(validate)
                if proposed is None:
                    return page("edit_done.html", lang, 409, message="pending_review")
                if proposed == "unchanged":
                    return form_page(
                        lang, 422, values=values, notice="nothing_changed", edit_token=edit_token
                    )
                if needs_email:
                    raise SubmissionInvalid([])
            except SubmissionInvalid as exc:
                problems = _problems(exc.problems, lang)
                if needs_email:
                    problems.setdefault("email", [in_language(EMAIL_NEEDED, lang)])
                _log("refused", status=422, reason="invalid", fields=",".join(sorted(problems)))
                return form_page(
                    lang, 422, values=values, problems=problems, edit_token=edit_token, kind=kind
                )
            except RuntimeError:  # the base branch does not pass the validator: not the person's fault
                logger.exception("base_branch_invalid", extra={"event": "base_branch_invalid"})
                return error_page(503, "unavailable", lang, headers={"Retry-After": "600"})
            # with the e-mail check, a new entry waits for the link
            confirm_lang = lang if mailer and link is None else None
            try:
                entry_id, created = await run_in_threadpool(
                    lambda: spool.add(
                        proposed,
                        key,
                        confirm_lang=confirm_lang,
                        quota=quota,
                        contact_key=contact_key if confirm_lang else None,
                        network_key=network_key if confirm_lang else None,
                    )
                )
            except OverQuota as refusal:
                return over_quota(refusal, lang)
            _log("spooled" if created else "duplicate", submission=entry_id, kind=proposed.kind)
            worker.wake()
            edit_link = None
            if link is None and kind == "profile":  # edit links find profiles only
                entry = proposed if created else await run_in_threadpool(spool.get, entry_id)
                edit_link = await run_in_threadpool(mint_edit_link, request, entry.permanent_id)
            return page("thanks.html", lang, 202, message=thanks, edit_link=edit_link)
        finally:
            await form.close()

    @app.get("/healthz", summary="Health, delivery and spool counts", responses={200: _HEALTH, 503: _STUCK})
    def healthz() -> JSONResponse:
        now = clock()
        delivery = spool.delivery()
        stuck = (
            delivery.failing_since is not None and now - delivery.failing_since > config.health_stuck_seconds
        )
        body = {
            "ok": not stuck,
            "version": __version__,
            "spool": spool.counts(),
            "delivery": {
                "oldest_waiting_seconds": _age(now, delivery.waiting_since),
                "failing_seconds": _age(now, delivery.failing_since),
                "stuck_after_seconds": config.health_stuck_seconds,
                "last_push": delivery.last_push,
                "last_error": delivery.last_error.split(":", 1)[0] if delivery.last_error else None,
            },
            "checkout": {"last_refresh": checkout.last_refresh, "last_error": checkout.last_error},
        }
        if stuck:
            logger.error(
                "delivery_stuck",
                extra={"event": "delivery_stuck", "seconds": body["delivery"]["failing_seconds"]},
            )
        return JSONResponse(body, status_code=503 if stuck else 200)

    link_limited = _html(
        "Too many requests to link pages from one address; see Retry-After.", retry_after=True
    )
    confirm_responses: dict[int | str, dict[str, Any]] = {
        404: {
            "description": "No such link, or it ran out (7 days); a page in German and English says so.",
            "content": {"text/html": {"schema": {"type": "string"}}},
        },
        429: link_limited,
    }

    def answer_link(token: str, use: bool) -> Response:
        """The page of a confirmation link; ``use`` (the button's POST) confirms. 404 for no such link."""
        found = None
        if TOKEN_PATTERN.fullmatch(token):
            found = (spool.confirm if use else spool.confirmation)(token_hash(token), clock())
        if found is None:
            _log("confirm_unknown", status=404)
            return error_page(404, "confirm_unknown")
        if use:
            _log("confirmed", submission=found.submission_id)
            worker.wake()
        return page("confirm.html", found.lang, done=found.confirmed, token=token)

    def link_endpoint(use: bool):
        async def endpoint(token: str, request: Request) -> Response:
            return link_rate(request, "de") or await run_in_threadpool(answer_link, token, use)

        return endpoint

    for method, use, summary in (
        ("GET", False, "The page of a confirmation link: a button that confirms (a GET changes nothing)"),
        ("POST", True, "Confirm the e-mail address: the entry goes on to be proposed (twice is harmless)"),
    ):
        app.add_api_route(
            "/confirm/{token}",
            link_endpoint(use),
            methods=[method],
            name=f"confirm_{method.lower()}",
            response_class=HTMLResponse,
            summary=summary,
            responses=confirm_responses,
        )

    # --- edit links ---------------------------------------------------------------------------------

    edit_responses: dict[int | str, dict[str, Any]] = {
        200: _html("The page of the link."),
        404: _html("No such edit link; a page in German and English says so."),
        409: _html("The entry is not published yet, or its withdrawal was already requested."),
        429: link_limited,
    }

    def edit_state(token: str, lang: str):
        """The published profile of an edit link, or the page that answers instead. The profile comes
        from the index of the checkout's commit; the lock is never waited for."""
        link = edit_target(token)
        if link is None:
            _log("edit_unknown", status=404)
            return None, error_page(404, "edit_unknown", lang)
        if link.withdrawal is not None:
            return None, page("edit_done.html", lang, 409, message="already_withdrawn")
        checkout.refresh_unless_busy()
        found = profiles.find(checkout.head(), link.permanent_id)
        if found is None:
            return None, page("edit_done.html", lang, 409, message="pending_review")
        return found, None

    @app.get(
        "/edit/{token}",
        response_class=HTMLResponse,
        summary="Update or withdraw a published entry",
        responses=edit_responses,
    )
    async def edit_page(token: str, request: Request, lang: str = "de") -> Response:
        lang = lang if lang in LANGS else "de"
        return link_rate(request, lang) or await run_in_threadpool(show_edit, token, lang)

    def show_edit(token: str, lang: str) -> Response:
        found, answer = edit_state(token, lang)
        if answer is not None:
            return answer
        return form_page(lang, values=form_values(found), edit_token=token)

    @app.post(
        "/edit/{token}",
        response_class=HTMLResponse,
        status_code=202,
        summary="Propose an update of a published entry",
        responses={
            **{code: post_profile_responses[code] for code in (202, 400, 403, 413, 422, 429, 503)},
            404: edit_responses[404],
            409: edit_responses[409],
            429: _html(
                "Too many posts or link requests from one address; see Retry-After.", retry_after=True
            ),
        },
        openapi_extra={"requestBody": _request_body_schema()},
    )
    async def post_edit(token: str, request: Request) -> Response:
        return await handle_post(request, edit_token=token)

    @app.get(
        "/withdraw/{token}",
        response_class=HTMLResponse,
        summary="Confirm the withdrawal of an entry",
        responses=edit_responses,
    )
    async def withdraw_page(token: str, request: Request, lang: str = "de") -> Response:
        lang = lang if lang in LANGS else "de"
        return link_rate(request, lang) or await run_in_threadpool(show_withdraw, token, lang)

    def show_withdraw(token: str, lang: str) -> Response:
        _, answer = edit_state(token, lang)
        return answer or page("withdraw.html", lang, token=token)

    @app.post(
        "/withdraw/{token}",
        response_class=HTMLResponse,
        status_code=202,
        summary="Withdraw a published entry: a pull request that removes it as `cucon remove` does",
        responses={
            202: _html("The withdrawal is spooled; a pull request follows."),
            403: post_profile_responses[403],
            404: edit_responses[404],
            409: edit_responses[409],
            429: _html(
                "Too many posts or link requests from one address; see Retry-After.", retry_after=True
            ),
            503: _html(
                "The disk is nearly full, or the withdrawal leaves problems behind; see Retry-After.",
                retry_after=True,
            ),
        },
    )
    async def post_withdraw(token: str, request: Request, lang: str = "de") -> Response:
        lang = lang if lang in LANGS else "de"
        return link_rate(request, lang) or await run_in_threadpool(withdraw, token, request, lang)

    def withdraw(token: str, request: Request, lang: str) -> Response:
        link = edit_target(token)
        if link is None:
            _log("edit_unknown", status=404)
            return error_page(404, "edit_unknown", lang)
        now = clock()
        refused = origin_and_rate(request, lang, now) or disk_full(lang)
        if refused is not None:
            return refused
        found, answer = edit_state(token, lang)
        if answer is not None:
            return answer
        today = dt.datetime.fromtimestamp(now, dt.UTC).date()
        try:
            with checkout.lock:
                submission = withdrawal(checkout.path, found, today)
        except RuntimeError:
            logger.exception("withdrawal_invalid", extra={"event": "withdrawal_invalid"})
            return error_page(503, "unavailable", lang, headers={"Retry-After": "600"})
        entry_id, created = spool.add_withdrawal(submission, token_hash(token), now=now)
        if not created:
            return page("edit_done.html", lang, 409, message="already_withdrawn")
        _log("spooled", submission=entry_id, kind="withdraw")
        worker.wake()
        return page("edit_done.html", lang, 202, message="withdrawn", title="withdrawn_title")

    @app.exception_handler(404)
    async def not_found(request: Request, exc) -> Response:
        return error_page(404, "not_found")

    return app


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


def _text(value) -> str | None:
    """A form value as text; ``None`` for a missing value or a file."""
    return value if isinstance(value, str) else None


def _values(form) -> dict[str, str | list[str]]:
    """The form's text values by name (lists for repeated names), without control fields and files."""
    values: dict[str, str | list[str]] = {}
    for name in form:
        if name in CONTROL_FIELDS:
            continue
        items = [v for v in form.getlist(name) if isinstance(v, str)]
        if items:
            values[name] = items if len(items) > 1 else items[0]
    return values


def _problems(problems, lang: str) -> dict[str, list[Message]]:
    """The validation problems by field name, each in the page's language where it can be."""
    by_field: dict[str, list[Message]] = {}
    for problem in problems:
        by_field.setdefault(problem.field, []).append(in_language(problem, lang))
    return by_field


def _html(description: str, retry_after: bool = False) -> dict[str, Any]:
    """An OpenAPI response of an HTML page, with the Retry-After header where it is sent."""
    response: dict[str, Any] = {
        "description": description,
        "content": {"text/html": {"schema": {"type": "string"}}},
    }
    if retry_after:
        response["headers"] = {
            "Retry-After": {"description": "Seconds to wait.", "schema": {"type": "integer", "minimum": 1}}
        }
    return response


def _age(now: float, since: float | None) -> float | None:
    """Seconds from ``since`` to ``now`` (never negative), or None.

    >>> _age(100.0, 40.0), _age(100.0, 130.0), _age(100.0, None)
    (60.0, 0.0, None)
    """
    return None if since is None else max(0.0, now - since)


_COUNT = {"type": "integer", "minimum": 0}
_TIME = {"type": ["number", "null"], "description": "Unix seconds, or null for never."}
_SECONDS = {"type": ["number", "null"], "minimum": 0}
_KIND = {"type": ["string", "null"]}
_HEALTH_SCHEMA = {
    "type": "object",
    "required": ["ok", "version", "spool", "delivery", "checkout"],
    "properties": {
        "ok": {"type": "boolean"},
        "version": {"type": "string"},
        "spool": {"type": "object", "additionalProperties": _COUNT},
        "delivery": {
            "type": "object",
            "required": [
                "oldest_waiting_seconds", "failing_seconds", "stuck_after_seconds", "last_push", "last_error"
            ],
            "properties": {
                "oldest_waiting_seconds": _SECONDS,
                "failing_seconds": _SECONDS,
                "stuck_after_seconds": {"type": "number", "minimum": 0},
                "last_push": _TIME,
                "last_error": _KIND,
            },
        },
        "checkout": {
            "type": "object",
            "required": ["last_refresh", "last_error"],
            "properties": {"last_refresh": _TIME, "last_error": _KIND},
        },
    },
}  # fmt: skip
_HEALTH = {
    "description": "The service runs and delivers; the version, where delivery and the checkout stand,"
    " and the number of spooled entries per state.",
    "content": {"application/json": {"schema": _HEALTH_SCHEMA}},
}
_STUCK = {
    "description": "Delivery has been failing for longer than CUCON_BOT_HEALTH_STUCK_SECONDS; the same body,"
    " with ok false.",
    "content": {"application/json": {"schema": _HEALTH_SCHEMA}},
}


def _request_body_schema(upload: str | None = "photo") -> dict[str, Any]:
    """The OpenAPI description of a form's multipart body, with its upload field if it has one."""
    files = {upload: {"type": "string", "format": "binary"}} if upload else {}
    return {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        **files,
                        "form_time": {"type": "string"},
                        "pow": {"type": "string"},
                        "idempotency_key": {"type": "string"},
                        HONEYPOT: {"type": "string"},
                    },
                    "additionalProperties": {"type": "string"},
                }
            }
        },
    }
