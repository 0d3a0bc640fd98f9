"""The newsletter's pages: subscribe (double opt-in), confirm, change the choice, unsubscribe in one click.

``POST /newsletter`` passes the guards of the submission forms (Origin, rate, disk, honeypot, form time,
proof of work), checks the choice against the checkout's cities and disciplines, and answers the same
page whether or not the address is known: the opt-in mail goes to the address, and only its link
creates the subscription or changes its choice. The links of each weekly mail carry a token of that
mail: ``/newsletter/change/TOKEN`` and ``/newsletter/unsubscribe/TOKEN``, whose POST with
``List-Unsubscribe=One-Click`` (RFC 8058) needs no Origin, because mail programs post it.
"""

from __future__ import annotations

import json
import unicodedata
from email.headerregistry import Address
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from cucon.bot import abuse
from cucon.bot.formdata import NotUtf8, read_form
from cucon.bot.guards import disk_full, link_rate, origin_and_rate, spam_check
from cucon.bot.languages import known as known_language
from cucon.bot.logs import log_event
from cucon.bot.mail import TOKEN_PATTERN, MailRefused, MailUnavailable, mailed_link
from cucon.bot.newsletter import KINDS, optin_message
from cucon.bot.openapi import POST_RESPONSES, html_answer
from cucon.bot.pages import HONEYPOT, error_page, page
from cucon.bot.service import Service, ServiceDep, UiLang, request_language
from cucon.bot.submission import FORMS, form_fields

router = APIRouter()

UNKNOWN = html_answer("No such link, or no newsletter here (the service sends no mail or has no keys).")
LIMITED = html_answer("Too many requests to link pages from one address; see Retry-After.", retry_after=True)
PAGE = html_answer("The page.")
LINK_RESPONSES: dict[int | str, dict[str, Any]] = {200: PAGE, 404: UNKNOWN, 429: LIMITED}
"""The answers of a link of the newsletter's mails."""
CHOICE_BODY = {
    "required": True,
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {
                "type": "object",
                "properties": {
                    **{
                        name: {"type": "array", "items": {"type": "string"}}
                        for name in ("cities", "disciplines", "kinds")
                    },
                    "email": {"type": "string"},
                    "form_time": {"type": "string"},
                    "pow": {"type": "string"},
                    HONEYPOT: {"type": "string"},
                },
                "additionalProperties": {"type": "string"},
            }
        }
    },
}
"""The body of the newsletter's form: the choice, the address and the spam check."""

MAX_FIELDS = 200
"""The most fields a post of the newsletter form may have (every city and discipline ticked fits)."""
MAX_ADDRESS = 254


def valid_address(text: str | None) -> str | None:
    """An e-mail address as typed, trimmed, or None for anything that is not one address.

    >>> valid_address(" a@example.org "), valid_address("a@example.org\\r\\nBcc: b@example.org")
    ('a@example.org', None)
    >>> valid_address("a@b@example.org"), valid_address("Name <a@example.org>"), valid_address("a@localhost")
    (None, None, None)
    """
    address = (text or "").strip()
    if not address or len(address) > MAX_ADDRESS or address.count("@") != 1:
        return None
    if any(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in address):
        return None
    try:
        parsed = Address(addr_spec=address)
    except (ValueError, IndexError):
        return None
    if parsed.addr_spec != address or "." not in parsed.domain or not parsed.username:
        return None
    return address


def choices(svc: Service) -> dict[str, tuple]:
    """The cities and disciplines of the checkout's content, and the kinds, as form choices."""
    found = {f.name: f.choices for f in form_fields(FORMS["news"], svc.checkout.path)}
    return {"cities": found["cities"], "disciplines": found["disciplines"], "kinds": KINDS}


def read_choice(form, known: dict[str, tuple]) -> dict[str, list[str]] | None:
    """The choice of a post (each list without repeats, in the form's order), or None when a list names
    anything unknown, is longer than what there is, or no city or no kind is ticked."""
    choice = {}
    for name, options in known.items():
        values = {getattr(o, "value", o) for o in options}
        ticked = [v for v in form.getlist(name) if isinstance(v, str)]
        if len(ticked) > len(values) or not set(ticked) <= values:
            return None
        choice[name] = list(dict.fromkeys(ticked))
    return choice if choice["cities"] and choice["kinds"] else None


def form_page(svc: Service, lang: str, status: int = 200, **values) -> HTMLResponse:
    """The subscription form (or, with ``token``, the form that changes a subscription's choice)."""
    now = svc.clock()
    return page(
        svc,
        "newsletter.html",
        lang,
        status,
        choices=choices(svc),
        chosen=values.pop("chosen", {}),
        honeypot=HONEYPOT,
        form_time=abuse.sign_form_time(svc.config.secret, now),
        challenge=json.dumps(
            abuse.create_challenge(svc.config.secret, svc.config.pow_max_number, now), separators=(",", ":")
        ),
        idempotency_key="",
        **values,
    )


def offered(svc: Service, lang: str) -> Response | None:
    """404 when the service sends no mail or has no keys: there is no newsletter then."""
    return None if svc.subscribers is not None else error_page(svc, 404, "newsletter_off", lang)


@router.get(
    "/newsletter",
    response_class=HTMLResponse,
    summary="The form to subscribe to the newsletter",
    responses={200: PAGE, 404: UNKNOWN},
)
def newsletter_form(svc: ServiceDep, lang: UiLang) -> Response:
    return offered(svc, lang) or form_page(svc, lang)


@router.post(
    "/newsletter",
    response_class=HTMLResponse,
    status_code=202,
    summary="Subscribe: an opt-in mail is sent (the same answer for a known address)",
    responses={**POST_RESPONSES, 404: UNKNOWN},
    openapi_extra={"requestBody": CHOICE_BODY},
)
async def subscribe(request: Request, svc: ServiceDep) -> Response:
    lang, now = request_language(request), svc.clock()
    refused = offered(svc, lang) or origin_and_rate(svc, request, lang, now) or disk_full(svc, lang)
    if refused is not None:
        return refused
    try:
        form, _ = await read_form(request, max_files=0, max_fields=MAX_FIELDS, max_part_size=4096)
    except NotUtf8:
        return error_page(svc, 422, "not_utf8", lang)
    except Exception as exc:  # starlette raises for broken or over-long forms
        log_event("refused", status=400, reason="unreadable_form", error=type(exc).__name__)
        return error_page(svc, 400, "bad_request", lang)
    lang = known_language(_text(form.get("ui"))) or lang
    try:
        abuse.check_honeypot(_text(form.get(HONEYPOT)))
    except abuse.Refused:
        log_event("refused", status=202, reason="honeypot")
        return page(svc, "newsletter_done.html", lang, 202, message="newsletter_thanks")
    if (refused := spam_check(svc, _text(form.get("form_time")), _text(form.get("pow")), now)) is not None:
        return form_page(svc, lang, refused.status, notice="spam_check")
    known = await run_in_threadpool(choices, svc)
    choice, address = read_choice(form, known), valid_address(_text(form.get("email")))
    if choice is None or address is None:
        log_event("refused", status=422, reason="newsletter_invalid")
        return form_page(svc, lang, 422, notice="newsletter_invalid", chosen=choice or {})
    if not await run_in_threadpool(ask, svc, address, lang, choice):
        return error_page(svc, 503, "unavailable", lang, headers={"Retry-After": "600"})
    return page(svc, "newsletter_done.html", lang, 202, message="newsletter_thanks")


def ask(svc: Service, address: str, lang: str, choice: dict[str, list[str]]) -> bool:
    """Keep the pending subscription and send its opt-in mail (none past the cap of waiting links);
    False when the mail server is down (nothing is kept then). A refused address is answered as any
    other: the page tells nobody whether an address exists."""
    token = svc.subscribers.ask(address, lang, choice)
    if token is None:
        log_event("newsletter_pending_cap")
        return True
    link = mailed_link(svc.config.public_url or "", "newsletter/confirm", token, lang)
    try:
        svc.mailer.send(
            optin_message(svc.mailer.sender, address, link, lang, svc.mailer.days, svc.mailer.fallback)
        )
    except (MailRefused, MailUnavailable) as exc:
        svc.subscribers.forget(token)
        log_event("newsletter_optin_failed", error=type(exc).__name__)
        return isinstance(exc, MailRefused)
    log_event("newsletter_asked")
    return True


def confirm_endpoint(use: bool):
    """The page of an opt-in link (a button; a GET changes nothing), or (``use``) the confirmation."""

    async def endpoint(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
        if (refused := offered(svc, lang) or link_rate(svc, request, lang)) is not None:
            return refused
        found = None
        if TOKEN_PATTERN.fullmatch(token):
            store = svc.subscribers
            found = await run_in_threadpool(store.confirm if use else store.pending_lang, token)
        if found is None:
            return error_page(svc, 404, "newsletter_unknown", lang)
        if use:
            log_event("newsletter_confirmed")
            return page(svc, "newsletter_done.html", found, message="newsletter_confirmed")
        return page(svc, "newsletter_done.html", found, button="confirm", token=token)

    return endpoint


for _method, _use in (("GET", False), ("POST", True)):
    router.add_api_route(
        "/newsletter/confirm/{token}", confirm_endpoint(_use), methods=[_method],
        name=f"newsletter_confirm_{_method.lower()}", response_class=HTMLResponse,
        summary="Confirm a subscription (the GET shows a button, the POST confirms)",
        responses=LINK_RESPONSES,
    )  # fmt: skip


@router.get(
    "/newsletter/unsubscribe/{token}",
    response_class=HTMLResponse,
    summary="A button that unsubscribes (the GET changes nothing)",
    responses=LINK_RESPONSES,
)
async def unsubscribe_page(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
    if (refused := offered(svc, lang) or link_rate(svc, request, lang)) is not None:
        return refused
    if not TOKEN_PATTERN.fullmatch(token):
        return error_page(svc, 404, "newsletter_unknown", lang)
    return page(svc, "newsletter_done.html", lang, button="unsubscribe", token=token)


@router.post(
    "/newsletter/unsubscribe/{token}",
    response_class=HTMLResponse,
    summary="Unsubscribe in one click (RFC 8058): the subscription and its address are deleted",
    responses={200: html_answer("Unsubscribed (the same for a used or unknown token)."), 404: UNKNOWN},
)
async def unsubscribe(token: str, svc: ServiceDep, lang: UiLang) -> Response:
    if (refused := offered(svc, lang)) is not None:
        return refused
    if TOKEN_PATTERN.fullmatch(token):
        found = await run_in_threadpool(svc.subscribers.by_token, token)
        if found is not None and await run_in_threadpool(svc.subscribers.drop, found.id):
            log_event("newsletter_unsubscribed", subscriber=found.id)
            lang = found.lang
    # the same answer for a known, a used and an unknown token: the post is harmless either way
    return page(svc, "newsletter_done.html", lang, message="newsletter_unsubscribed")


@router.get(
    "/newsletter/change/{token}",
    response_class=HTMLResponse,
    summary="The form that changes a subscription's choice",
    responses=LINK_RESPONSES,
)
async def change_page(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
    if (refused := offered(svc, lang) or link_rate(svc, request, lang)) is not None:
        return refused
    found = (
        await run_in_threadpool(svc.subscribers.by_token, token) if TOKEN_PATTERN.fullmatch(token) else None
    )
    if found is None:
        return error_page(svc, 404, "newsletter_unknown", lang)
    return await run_in_threadpool(lambda: form_page(svc, found.lang, token=token, chosen=found.choice))


@router.post(
    "/newsletter/change/{token}",
    response_class=HTMLResponse,
    summary="Save a subscription's new choice",
    responses={
        **{code: POST_RESPONSES[code] for code in (400, 403, 413, 422, 429)},
        200: PAGE,
        404: UNKNOWN,
    },
    openapi_extra={"requestBody": CHOICE_BODY},
)
async def change(token: str, request: Request, svc: ServiceDep) -> Response:
    lang, now = request_language(request), svc.clock()
    if (refused := offered(svc, lang) or origin_and_rate(svc, request, lang, now)) is not None:
        return refused
    found = (
        await run_in_threadpool(svc.subscribers.by_token, token) if TOKEN_PATTERN.fullmatch(token) else None
    )
    if found is None:
        return error_page(svc, 404, "newsletter_unknown", lang)
    try:
        form, _ = await read_form(request, max_files=0, max_fields=MAX_FIELDS, max_part_size=4096)
    except Exception as exc:  # NotUtf8, or a broken or over-long form
        log_event("refused", status=400, reason="unreadable_form", error=type(exc).__name__)
        return error_page(svc, 400, "bad_request", found.lang)
    choice = read_choice(form, await run_in_threadpool(choices, svc))
    if choice is None:
        return form_page(svc, found.lang, 422, token=token, notice="newsletter_invalid", chosen=found.choice)
    await run_in_threadpool(svc.subscribers.change, found.id, choice)
    log_event("newsletter_changed", subscriber=found.id)
    return page(svc, "newsletter_done.html", found.lang, message="newsletter_changed")


def _text(value) -> str | None:
    """A form value as text; None for a missing value or a file."""
    return value if isinstance(value, str) else None
