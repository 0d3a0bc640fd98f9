"""Contact without a public address: the form, the sender's confirmation, and the owner's report of abuse.

``GET /contact/<permanent_id>`` is the form (no cookies: the spam checks are those of the other
forms). A post passes the same guards as the other forms (body size, Origin, rate limit, honeypot,
form time, proof of work), then the limits of :mod:`cucon.bot.contact`, and waits sealed for its
sender's confirmation. A profile nobody can be written to through the service (no such profile,
no owner record, ``contact: none`` or ``email``) gets one and the same 404 page, so that the
answer tells nothing about an owner record.
"""

from __future__ import annotations

import json
import math
import re
import secrets

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from cucon.bot import abuse
from cucon.bot.contact import CONTROL, LINE_BREAKS, Typed, is_address, report_mail, sender_key
from cucon.bot.formdata import NotUtf8, read_form
from cucon.bot.guards import disk_full, link_rate, origin_and_rate, spam_check
from cucon.bot.languages import known
from cucon.bot.logs import log_event
from cucon.bot.mail import TOKEN_PATTERN, token_hash
from cucon.bot.middleware import BodyTooLarge
from cucon.bot.openapi import html_answer
from cucon.bot.pages import HONEYPOT, error_page, page
from cucon.bot.service import Service, ServiceDep, UiLang, request_language
from cucon.schema import contact_choice

router = APIRouter()

PERMANENT_ID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
FIELDS = ("name", "address", "subject", "message")
"""The fields a sender fills in."""
UNREACHABLE = html_answer("This person cannot be written to here (one page for every reason).")
LIMITED = html_answer("Over a limit of the contact form; see Retry-After.", retry_after=True)


def recipient(svc: Service, permanent_id: str) -> str | None:
    """The public name of a profile that takes messages through the service, or None: no such
    profile, no owner record, or the owner chose ``contact: none`` or ``email``."""
    if svc.owners is None or svc.contacts is None or not PERMANENT_ID.fullmatch(permanent_id):
        return None
    svc.checkout.refresh_unless_busy()
    found = svc.profiles.find(svc.checkout.head(), permanent_id)
    if (
        found is None
        or contact_choice(found.data.get("contact"), found.data.get("email")) != "form"
        or not svc.owners.has(permanent_id)
    ):
        return None
    return str(found.data.get("name", ""))


def unreachable(svc: Service, lang: str) -> Response:
    """The one answer for every profile that cannot be written to here."""
    log_event("contact_unreachable", status=404)
    return error_page(svc, 404, "contact_unreachable", lang)


def field_limits(config) -> dict[str, int]:
    """The most characters of each field."""
    return {
        "name": config.contact_max_name,
        "address": 254,
        "subject": config.contact_max_subject,
        "message": config.contact_max_message,
    }


def form(
    svc: Service,
    permanent_id: str,
    name: str,
    lang: str,
    status: int = 200,
    values: dict[str, str] | None = None,
    problems: dict[str, str] | None = None,
    notice: str | None = None,
) -> Response:
    """The contact form for a recipient (again with what was sent, and its problems), with a fresh spam check."""
    now = svc.clock()
    challenge = abuse.create_challenge(svc.config.secret, svc.config.pow_max_number, now)
    return page(
        svc,
        "contact.html",
        lang,
        status,
        permanent_id=permanent_id,
        recipient=name,
        limits=field_limits(svc.config),
        values=values or {},
        problems=problems or {},
        notice=notice,
        honeypot=HONEYPOT,
        form_time=abuse.sign_form_time(svc.config.secret, now),
        challenge=json.dumps(challenge, separators=(",", ":")),
        idempotency_key=secrets.token_urlsafe(18),
    )


@router.get(
    "/contact/{permanent_id}",
    response_class=HTMLResponse,
    summary="The form to write to a profile's owner without their address",
    responses={404: UNREACHABLE, 429: LIMITED},
)
async def contact_form(permanent_id: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
    return link_rate(svc, request, lang) or await run_in_threadpool(show, svc, permanent_id, lang)


def show(svc: Service, permanent_id: str, lang: str) -> Response:
    """The form, or the page that says this person cannot be written to here."""
    name = recipient(svc, permanent_id)
    return unreachable(svc, lang) if name is None else form(svc, permanent_id, name, lang)


def checked(svc: Service, values: dict[str, str]) -> tuple[Typed | None, dict[str, str]]:
    """What the sender typed, or the problems by field (the text ids of ``page.*``)."""
    limits = field_limits(svc.config)
    problems: dict[str, str] = {}
    for field in FIELDS:
        value = values.get(field, "").strip()
        if not value:
            problems[field] = "contact_required"
        elif len(value) > limits[field]:
            problems[field] = "contact_too_long"
        elif field != "message" and LINE_BREAKS.search(value):
            problems[field] = "contact_one_line"
        elif CONTROL.search(value.replace("\n", "").replace("\r", "").replace("\t", "")):
            problems[field] = "contact_control"
        elif field == "address" and not is_address(value):
            problems[field] = "contact_not_address"
    if problems:
        return None, problems
    text = {field: values[field].strip() for field in FIELDS}
    text["message"] = text["message"].replace("\r\n", "\n").replace("\r", "\n")
    return Typed(**text), {}


def thanks(svc: Service, lang: str) -> Response:
    """The 202 page of a post taken, and alike of one silently dropped (honeypot, a reported sender)."""
    return page(svc, "edit_done.html", lang, 202, message="contact_thanks", title="thanks_title")


def limit_page(svc: Service, lang: str, key: str, now: float) -> Response:
    """429 for a contact limit; it lifts at the next UTC midnight."""
    seconds = max(60, math.ceil(86400 - now % 86400))
    log_event("refused", status=429, reason=key)
    return error_page(svc, 429, key, lang, headers={"Retry-After": str(seconds)})


@router.post(
    "/contact/{permanent_id}",
    response_class=HTMLResponse,
    status_code=202,
    summary="Send a message: it waits until the sender confirms their own address",
    responses={
        202: html_answer(
            "The message waits for the sender's confirmation; a mail with the link is on its way."
        ),
        400: html_answer("The form could not be read."),
        403: html_answer("The post did not come from the site or the service."),
        404: UNREACHABLE,
        413: html_answer("The post is too large."),
        422: html_answer("A field needs attention, or the spam check failed; the form again."),
        429: LIMITED,
        503: html_answer("The disk is nearly full; see Retry-After.", retry_after=True),
    },
)
async def contact_post(permanent_id: str, request: Request, svc: ServiceDep) -> Response:
    now = svc.clock()
    lang = request_language(request)
    refused = origin_and_rate(svc, request, lang, now) or disk_full(svc, lang)
    if refused is not None:
        return refused
    try:
        posted, not_utf8 = await read_form(request, max_files=0, max_fields=20, max_part_size=64 * 1024)
        if not_utf8:
            await posted.close()
            raise NotUtf8("a field is not UTF-8")
    except BodyTooLarge:
        raise
    except NotUtf8:
        log_event("refused", status=422, reason="not_utf8")
        return error_page(svc, 422, "not_utf8", lang)
    except Exception as exc:  # starlette raises HTTPException(400) for a broken form
        log_event("refused", status=400, reason="unreadable_form", error=type(exc).__name__)
        return error_page(svc, 400, "bad_request", lang)
    try:
        values = {k: v for k, v in posted.items() if isinstance(v, str)}
    finally:
        await posted.close()
    return await run_in_threadpool(take, svc, permanent_id, known(values.get("ui")) or lang, values, now)


def take(svc: Service, permanent_id: str, lang: str, values: dict[str, str], now: float) -> Response:
    """A read post: the spam checks, the recipient, the fields, the limits, then the store."""
    if values.get(HONEYPOT):
        log_event("refused", status=202, reason="honeypot")
        return thanks(svc, lang)
    name = recipient(svc, permanent_id)
    if name is None:
        return unreachable(svc, lang)
    typed_values = {field: values.get(field, "") for field in FIELDS}
    if (refused := spam_check(svc, values.get("form_time"), values.get("pow"), now)) is not None:
        return form(svc, permanent_id, name, lang, refused.status, values=typed_values, notice="spam_check")
    typed, problems = checked(svc, typed_values)
    if typed is None:
        log_event("refused", status=422, reason="invalid", fields=",".join(sorted(problems)))
        return form(svc, permanent_id, name, lang, 422, values=typed_values, problems=problems)
    contacts, config = svc.contacts, svc.config
    key = sender_key(config.secret, typed.address)
    if contacts.count("sender", key, now) >= config.contact_sender_daily:
        return limit_page(svc, lang, "contact_sender_limit", now)
    if contacts.count("recipient", permanent_id, now) >= config.contact_recipient_daily:
        return limit_page(svc, lang, "contact_recipient_limit", now)
    if contacts.blocked(key, permanent_id, now):  # told as a thank-you: a reported sender learns nothing
        log_event("refused", status=202, reason="contact_blocked")
        return thanks(svc, lang)
    ref = contacts.add(permanent_id, lang, typed, now)
    log_event("contact_received", ref=ref)
    svc.worker.wake()
    return thanks(svc, lang)


# --- the sender's confirmation ----------------------------------------------------------------------


def confirmation(svc: Service, token: str, lang: str, use: bool) -> Response:
    """The page of the sender's link; ``use`` (the button's POST) sends the message on."""
    contacts = svc.contacts
    now = svc.clock()
    waiting = (
        contacts.waiting(token_hash(token), now) if contacts and TOKEN_PATTERN.fullmatch(token) else None
    )
    if waiting is None:
        log_event("contact_confirm_unknown", status=404)
        return error_page(svc, 404, "contact_confirm_unknown", lang)
    if not use:
        return page(svc, "contact_confirm.html", waiting.lang, token=token)
    if contacts.count("recipient", waiting.permanent_id, now) >= svc.config.contact_recipient_daily:
        contacts.erase(waiting.id)
        return limit_page(svc, waiting.lang, "contact_recipient_limit", now)
    contacts.confirm(waiting.id, now)
    log_event("contact_confirmed", ref=waiting.ref)
    svc.worker.wake()
    return page(svc, "edit_done.html", waiting.lang, message="contact_sent", title="contact_sent_title")


def confirm_endpoint(use: bool):
    """The GET (a page with a button: link scanners change nothing) or POST of the sender's link."""

    async def endpoint(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
        if use and (refused := origin_and_rate(svc, request, lang, svc.clock())) is not None:
            return refused
        return link_rate(svc, request, lang) or await run_in_threadpool(confirmation, svc, token, lang, use)

    return endpoint


for _method, _use, _summary in (
    ("GET", False, "The page of the sender's confirmation link: a button (a GET changes nothing)"),
    ("POST", True, "Confirm the sender's address: the message goes to the owner, then is erased"),
):
    router.add_api_route(
        "/contact/confirm/{token}",
        confirm_endpoint(_use),
        methods=[_method],
        name=f"contact_confirm_{_method.lower()}",
        response_class=HTMLResponse,
        summary=_summary,
        responses={
            403: html_answer("The post did not come from the service's page."),
            404: html_answer("No such link, or it ran out (2 days)."),
            429: LIMITED,
        },
    )


# --- the owner's report of abuse --------------------------------------------------------------------


def report(svc: Service, token: str, lang: str, note: str | None) -> Response:
    """The page of a report-abuse link; with ``note`` (the button's POST) staff get the report."""
    contacts, now = svc.contacts, svc.clock()
    found = (
        contacts.report_of(token_hash(token), now) if contacts and TOKEN_PATTERN.fullmatch(token) else None
    )
    if found is None or not svc.config.abuse_address or svc.mailer is None:
        log_event("contact_report_unknown", status=404)
        return error_page(svc, 404, "contact_report_unknown", lang)
    if note is None:
        return page(svc, "contact_report.html", lang, token=token, limit=svc.config.contact_max_message * 2)
    ref, permanent_id, done = found
    if not done:
        try:
            svc.mailer.send(
                report_mail(svc.mailer.sender, svc.config.abuse_address, ref, permanent_id, note.strip())
            )
        except Exception as exc:  # the mail server is down: nothing is recorded, the owner tries again
            log_event("contact_report_failed", status=503, error=type(exc).__name__)
            return error_page(svc, 503, "unavailable", lang, headers={"Retry-After": "600"})
        contacts.reported(token_hash(token), now)
        log_event("contact_reported", ref=ref)
    return page(svc, "edit_done.html", lang, message="contact_reported", title="contact_reported_title")


@router.get(
    "/contact/report/{token}",
    response_class=HTMLResponse,
    summary="The owner's page to report a message to staff",
    responses={404: html_answer("No such link, or it ran out (30 days)."), 429: LIMITED},
)
async def report_page(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
    return link_rate(svc, request, lang) or await run_in_threadpool(report, svc, token, lang, None)


@router.post(
    "/contact/report/{token}",
    response_class=HTMLResponse,
    summary="Report a message: staff get its reference, and its text only if the owner pastes it",
    responses={
        400: html_answer("The form could not be read."),
        403: html_answer("Not from the service's page."),
        404: html_answer("No such link."),
        413: html_answer("The post is too large."),
        429: LIMITED,
        503: html_answer("The mail server is down; see Retry-After.", retry_after=True),
    },
)
async def report_post(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
    refused = origin_and_rate(svc, request, lang, svc.clock())
    if refused is not None:
        return refused
    try:
        posted, _ = await read_form(request, max_files=0, max_fields=5, max_part_size=64 * 1024)
    except BodyTooLarge:
        raise
    except Exception as exc:
        log_event("refused", status=400, reason="unreadable_form", error=type(exc).__name__)
        return error_page(svc, 400, "bad_request", lang)
    try:
        note = posted.get("note")
    finally:
        await posted.close()
    note = note[: svc.config.contact_max_message * 2] if isinstance(note, str) else ""
    return await run_in_threadpool(report, svc, token, lang, note)
