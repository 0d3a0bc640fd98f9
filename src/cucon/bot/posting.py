"""A post of a form, step by step: the refusals before the body is read, reading it, the spam checks,
validation, and the spool. Every refusal happens before anything is stored."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from cucon.bot import abuse
from cucon.bot.edit import changed_fields, update_submission
from cucon.bot.formdata import NotUtf8, read_form
from cucon.bot.guards import (
    client_address,
    disk_full,
    link_rate,
    origin_and_rate,
    over_quota,
    pending_key,
    spam_check,
)
from cucon.bot.languages import known
from cucon.bot.logs import log_event, logger
from cucon.bot.mail import token_hash
from cucon.bot.messages import Message, in_language
from cucon.bot.middleware import BodyTooLarge
from cucon.bot.pages import HONEYPOT, error_page, form_page, link_refusal, page
from cucon.bot.service import Service, request_language
from cucon.bot.spool import EditLink, OverQuota
from cucon.bot.submission import FORMS, SORT_AS_ASKED, SubmissionInvalid, profile_submission, reading_wanted
from cucon.bot.submission import submission as build_submission
from cucon.problems import ContentProblem

CONTROL_FIELDS = ("form_time", "pow", "idempotency_key", "ui", HONEYPOT)
"""Fields of the form that are not content; everything else not in the schema is ignored."""
MAX_FIELDS = 80
MAX_FILES = 1
MAX_PART_BYTES = 256 * 1024
"""Limits of the multipart parser: fields, files, and bytes of one text field."""
IDEMPOTENCY_KEY = re.compile(r"[A-Za-z0-9_-]{8,100}")
EMAIL_NEEDED = ContentProblem.of("", 1, "email", "email-for-confirmation")
"""The problem next to the e-mail field when the e-mail check is on and the field is empty."""
NOT_UTF8 = ContentProblem.of("", 1, "", "form-not-utf8")
"""The problem next to a field whose bytes are not UTF-8 (nothing is guessed)."""


@dataclass
class Post:
    """One post of a form (``kind``: profile, call or news), or of the update form of an edit link."""

    svc: Service
    request: Request
    kind: str
    edit_token: str | None
    now: float
    lang: str = "de"
    link: EditLink | None = None
    network_key: str | None = None

    @property
    def awaits(self) -> bool:
        """Whether a new entry waits for its e-mail address to be confirmed."""
        return self.svc.mailer is not None and self.edit_token is None

    @property
    def thanks(self) -> str:
        """The text of the thank-you page."""
        if self.edit_token is not None:
            return "update_thanks"
        return "thanks_mail" if self.svc.mailer else "thanks"

    def form_again(self, status: int, values, **answer) -> Response:
        """The form once more, with what was sent."""
        return form_page(
            self.svc, self.lang, status, values=values, edit_token=self.edit_token, kind=self.kind, **answer
        )

    def thanks_page(self) -> Response:
        """The 202 page of an entry taken: the same for everyone, with no link (links go to owners)."""
        return page(self.svc, "thanks.html", self.lang, 202, message=self.thanks)

    def edit_link_refusal(self) -> Response | None:
        """For an update: the link rate, an unknown link (404) or a withdrawn entry (409); else None."""
        if self.edit_token is None:
            return None
        if (limited := link_rate(self.svc, self.request, self.lang)) is not None:
            return limited
        self.link = self.svc.edit_target(self.edit_token)
        return link_refusal(self.svc, self.edit_token, self.lang) if self.link is None else None

    def unread_refusal(self) -> Response | None:
        """Before the upload is read: Origin, rate, a full disk or spool, a network with many awaiting."""
        svc, request = self.svc, self.request
        refused = origin_and_rate(svc, request, self.lang, self.now)
        if refused is not None:
            return refused
        network = abuse.network_of(client_address(request, svc.config.trusted_proxy))
        network_key = pending_key(svc.config.secret, "network", network)
        self.network_key = network_key if self.awaits else None
        header_key = request.headers.get("idempotency-key")
        if header_key is None or svc.spool.find(header_key) is None:  # a retry of a taken entry is answered
            if (full := disk_full(svc, self.lang)) is not None:
                return full
            if (
                refusal := svc.spool.over_quota(svc.quota, self.now, network_key=self.network_key)
            ) is not None:
                return over_quota(svc, refusal, self.lang)
        return None

    async def read(self):
        """The form and the names of its fields that are not UTF-8, or the page that refuses it."""
        try:
            form, not_utf8 = await read_form(
                self.request, max_files=MAX_FILES, max_fields=MAX_FIELDS, max_part_size=MAX_PART_BYTES
            )
        except BodyTooLarge:
            raise
        except NotUtf8 as exc:
            log_event("refused", status=422, reason="not_utf8", error=str(exc))
            return None, None, error_page(self.svc, 422, "not_utf8", self.lang)
        except Exception as exc:  # starlette raises HTTPException(400) for broken multipart
            log_event("refused", status=400, reason="unreadable_form", error=type(exc).__name__)
            return None, None, error_page(self.svc, 400, "bad_request", self.lang)
        return form, not_utf8, None

    def idempotency_key(self, form) -> str | None:
        """The post's idempotency key, from the header or the form, if it has a valid one."""
        key = self.request.headers.get("idempotency-key") or form.get("idempotency_key") or None
        return key if isinstance(key, str) and IDEMPOTENCY_KEY.fullmatch(key) else None

    def known(self, key: str | None) -> Response | None:
        """The thank-you page again for an idempotency key already taken, else None."""
        svc = self.svc
        if key is None or (known := svc.spool.find(key)) is None:
            return None
        log_event("duplicate", submission=known, by="idempotency_key")
        return self.thanks_page()

    def spam_refusal(self, form) -> Response | None:
        """The honeypot (a fake thank-you), then form time and proof of work (the form again); else None."""
        svc = self.svc
        try:
            abuse.check_honeypot(_text(form.get(HONEYPOT)))
        except abuse.Refused:
            log_event("refused", status=202, reason="honeypot")
            return self.thanks_page()  # a bot learns nothing; a person never sees the field
        if (
            refused := spam_check(svc, _text(form.get("form_time")), _text(form.get("pow")), self.now)
        ) is not None:
            return self.form_again(refused.status, _values(form), notice="spam_check")
        return None

    def not_utf8_refusal(self, values, not_utf8) -> Response | None:
        """The form again for fields that were not UTF-8 (never guessed: the person types them again)."""
        if not not_utf8:
            return None
        log_event("refused", status=422, reason="not_utf8", fields=",".join(sorted(set(not_utf8))))
        message = in_language(NOT_UTF8, self.lang)
        return self.form_again(
            422, values, problems={name: [message] for name in not_utf8}, notice="not_utf8"
        )

    def contact_key(self, values) -> str | None:
        """The keyed hash of the e-mail address of an entry that will await confirmation, or None."""
        email = (_text(values.get("email")) or "").strip()
        return (
            pending_key(self.svc.config.secret, "contact", email.casefold())
            if self.awaits and email
            else None
        )

    async def upload(self, form) -> tuple[bytes | None, str | None]:
        """The bytes and file name of the form's photo or image, if one was chosen."""
        field = FORMS[self.kind].image
        upload = form.get(field) if field else None
        if isinstance(upload, UploadFile) and upload.filename:
            return await upload.read(), upload.filename
        return None, None

    def validate(self, values, photo_bytes, photo_name):
        """The submission, validated against the fresh checkout: None for an entry not yet published,
        "unchanged" for an update that changes nothing. Runs in a thread, under the checkout's lock."""
        svc, link = self.svc, self.link
        today = dt.datetime.fromtimestamp(self.now, dt.UTC).date()
        with svc.checkout.lock:
            svc.checkout.refresh()
            if link is None:
                return build_submission(
                    FORMS[self.kind], values, photo_bytes, photo_name, svc.checkout.path, today
                )
            found = svc.profiles.find(svc.checkout.head(), link.permanent_id)
            if found is None:
                return None
            submission = profile_submission(
                values, photo_bytes, photo_name, svc.checkout.path, today, keep=found.published
            )
            changed = changed_fields(found, submission)
            return update_submission(found, submission, changed) if changed else "unchanged"

    async def proposed(self, values, photo_bytes, photo_name):
        """The validated submission, or the page that answers instead (409, 422 or 503)."""
        needs_email = (
            self.svc.mailer is not None
            and self.link is None
            and not (_text(values.get("email")) or "").strip()
        )
        # a name not in Latin script without its Latin letters: asked once, the form sent again is taken
        asked = reading_wanted(values) if self.kind == "profile" else None
        try:
            proposed = await run_in_threadpool(self.validate, values, photo_bytes, photo_name)
            if proposed is None:
                return None, page(self.svc, "edit_done.html", self.lang, 409, message="pending_review")
            if proposed == "unchanged":
                answer = form_page(
                    self.svc,
                    self.lang,
                    422,
                    values=values,
                    notice="nothing_changed",
                    edit_token=self.edit_token,
                )
                return None, answer
            if needs_email or asked:
                raise SubmissionInvalid([])
        except SubmissionInvalid as exc:
            problems = _problems([*exc.problems, *([asked] if asked else [])], self.lang)
            if needs_email:
                problems.setdefault("email", [in_language(EMAIL_NEEDED, self.lang)])
            if asked:
                values = {**values, SORT_AS_ASKED: values.get("name")}
            log_event("refused", status=422, reason="invalid", fields=",".join(sorted(problems)))
            return None, self.form_again(422, values, problems=problems)
        except RuntimeError:  # the base branch does not pass the validator: not the person's fault
            logger.exception("base_branch_invalid", extra={"event": "base_branch_invalid"})
            return None, error_page(self.svc, 503, "unavailable", self.lang, headers={"Retry-After": "600"})
        return proposed, None

    async def spool(self, proposed, key: str | None, contact_key: str | None) -> Response:
        """Store the submission durably, wake the worker, and thank; an update spends its link."""
        svc = self.svc
        # with the e-mail check, a new entry waits for the link
        confirm_lang = self.lang if svc.mailer and self.link is None else None
        try:
            entry_id, created = await run_in_threadpool(
                lambda: svc.spool.add(
                    proposed,
                    key,
                    confirm_lang=confirm_lang,
                    quota=svc.quota,
                    contact_key=contact_key if confirm_lang else None,
                    network_key=self.network_key if confirm_lang else None,
                )
            )
        except OverQuota as refusal:
            return over_quota(svc, refusal, self.lang)
        log_event("spooled" if created else "duplicate", submission=entry_id, kind=proposed.kind)
        if created and confirm_lang and svc.organisers is not None:  # a call in a profile's name
            await run_in_threadpool(svc.organisers.note, proposed, entry_id, self.lang)
        svc.worker.wake()
        if self.edit_token is not None:  # the owner's link did its work
            await run_in_threadpool(svc.ownership.spend, token_hash(self.edit_token))
        return self.thanks_page()

    async def answer(self, form, not_utf8) -> Response:
        """The answer to a form that was read: a known key, the spam checks, validation, the spool."""
        self.lang = known(form.get("ui")) or self.lang
        key = self.idempotency_key(form)
        if (answer := self.known(key) or self.spam_refusal(form)) is not None:
            return answer
        values = _values(form)
        if (refused := self.not_utf8_refusal(values, not_utf8)) is not None:
            return refused
        contact_key = self.contact_key(values)
        if contact_key and (
            refusal := self.svc.spool.over_quota(self.svc.quota, self.now, contact_key=contact_key)
        ):
            return over_quota(self.svc, refusal, self.lang)
        photo_bytes, photo_name = await self.upload(form)
        proposed, answer = await self.proposed(values, photo_bytes, photo_name)
        if answer is not None:
            return answer
        return await self.spool(proposed, key, contact_key)


async def handle_post(
    svc: Service, request: Request, kind: str = "profile", edit_token: str | None = None
) -> Response:
    """A post of a form (``kind``: profile, call or news), or of the update form of an edit link."""
    post = Post(svc, request, kind, edit_token, now=svc.clock(), lang=request_language(request))
    refused = post.edit_link_refusal() or post.unread_refusal()
    if refused is not None:
        return refused
    form, not_utf8, refused = await post.read()
    if refused is not None:
        return refused
    try:
        return await post.answer(form, not_utf8)
    finally:
        await form.close()


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
