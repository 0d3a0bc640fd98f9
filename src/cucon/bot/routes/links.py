"""The links of the service's e-mails: confirm an address, edit or withdraw a published entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from cucon.bot.edit import form_values, withdrawal
from cucon.bot.guards import disk_full, link_rate, origin_and_rate
from cucon.bot.logs import log_event, logger
from cucon.bot.mail import TOKEN_PATTERN, token_hash
from cucon.bot.openapi import POST_RESPONSES, html_answer, request_body_schema
from cucon.bot.pages import error_page, form_page, page
from cucon.bot.pagetext import LANGS
from cucon.bot.posting import handle_post
from cucon.bot.service import Service, ServiceDep

router = APIRouter()

LINK_LIMITED = html_answer(
    "Too many requests to link pages from one address; see Retry-After.", retry_after=True
)
CONFIRM_RESPONSES: dict[int | str, dict[str, Any]] = {
    404: {
        "description": "No such link, or it ran out (7 days); a page in German and English says so.",
        "content": {"text/html": {"schema": {"type": "string"}}},
    },
    429: LINK_LIMITED,
}
EDIT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: html_answer("The page of the link."),
    404: html_answer("No such edit link; a page in German and English says so."),
    409: html_answer("The entry is not published yet, or its withdrawal was already requested."),
    429: LINK_LIMITED,
}
POSTED_LIMITED = html_answer(
    "Too many posts or link requests from one address; see Retry-After.", retry_after=True
)


# --- confirmation links -------------------------------------------------------------------------


def answer_link(svc: Service, token: str, use: bool) -> Response:
    """The page of a confirmation link; ``use`` (the button's POST) confirms. 404 for no such link."""
    found = None
    if TOKEN_PATTERN.fullmatch(token):
        found = (svc.spool.confirm if use else svc.spool.confirmation)(token_hash(token), svc.clock())
    if found is None:
        log_event("confirm_unknown", status=404)
        return error_page(svc, 404, "confirm_unknown")
    if use:
        log_event("confirmed", submission=found.submission_id)
        svc.worker.wake()
    organiser = found.confirmed and svc.organisers is not None and svc.organisers.awaits(found.submission_id)
    return page(svc, "confirm.html", found.lang, done=found.confirmed, token=token, organiser=organiser)


def link_endpoint(use: bool):
    """The endpoint of a confirmation link: its page, or (``use``) the confirmation."""

    async def endpoint(token: str, request: Request, svc: ServiceDep) -> Response:
        return link_rate(svc, request, "de") or await run_in_threadpool(answer_link, svc, token, use)

    return endpoint


for _method, _use, _summary in (
    ("GET", False, "The page of a confirmation link: a button that confirms (a GET changes nothing)"),
    ("POST", True, "Confirm the e-mail address: the entry goes on to be proposed (twice is harmless)"),
):
    router.add_api_route(
        "/confirm/{token}",
        link_endpoint(_use),
        methods=[_method],
        name=f"confirm_{_method.lower()}",
        response_class=HTMLResponse,
        summary=_summary,
        responses=CONFIRM_RESPONSES,
    )


# --- edit links ---------------------------------------------------------------------------------


def edit_state(svc: Service, token: str, lang: str):
    """The published profile of an edit link, or the page that answers instead. The profile comes
    from the index of the checkout's commit; the lock is never waited for."""
    link = svc.edit_target(token)
    if link is None:
        log_event("edit_unknown", status=404)
        return None, error_page(svc, 404, "edit_unknown", lang)
    if link.withdrawal is not None:
        return None, page(svc, "edit_done.html", lang, 409, message="already_withdrawn")
    svc.checkout.refresh_unless_busy()
    found = svc.profiles.find(svc.checkout.head(), link.permanent_id)
    if found is None:
        return None, page(svc, "edit_done.html", lang, 409, message="pending_review")
    return found, None


@router.get(
    "/edit/{token}",
    response_class=HTMLResponse,
    summary="Update or withdraw a published entry",
    responses=EDIT_RESPONSES,
)
async def edit_page(token: str, request: Request, svc: ServiceDep, lang: str = "de") -> Response:
    lang = lang if lang in LANGS else "de"
    return link_rate(svc, request, lang) or await run_in_threadpool(show_edit, svc, token, lang)


def show_edit(svc: Service, token: str, lang: str) -> Response:
    """The update form of an edit link, filled with the published profile."""
    found, answer = edit_state(svc, token, lang)
    if answer is not None:
        return answer
    return form_page(svc, lang, values=form_values(found), edit_token=token)


@router.post(
    "/edit/{token}",
    response_class=HTMLResponse,
    status_code=202,
    summary="Propose an update of a published entry",
    responses={
        **{code: POST_RESPONSES[code] for code in (202, 400, 403, 413, 422, 429, 503)},
        404: EDIT_RESPONSES[404],
        409: EDIT_RESPONSES[409],
        429: POSTED_LIMITED,
    },
    openapi_extra={"requestBody": request_body_schema()},
)
async def post_edit(token: str, request: Request, svc: ServiceDep) -> Response:
    return await handle_post(svc, request, edit_token=token)


@router.get(
    "/withdraw/{token}",
    response_class=HTMLResponse,
    summary="Confirm the withdrawal of an entry",
    responses=EDIT_RESPONSES,
)
async def withdraw_page(token: str, request: Request, svc: ServiceDep, lang: str = "de") -> Response:
    lang = lang if lang in LANGS else "de"
    return link_rate(svc, request, lang) or await run_in_threadpool(show_withdraw, svc, token, lang)


def show_withdraw(svc: Service, token: str, lang: str) -> Response:
    """The page that asks to confirm a withdrawal."""
    _, answer = edit_state(svc, token, lang)
    return answer or page(svc, "withdraw.html", lang, token=token)


@router.post(
    "/withdraw/{token}",
    response_class=HTMLResponse,
    status_code=202,
    summary="Withdraw a published entry: a pull request that removes it as `cucon remove` does",
    responses={
        202: html_answer("The withdrawal is spooled; a pull request follows."),
        403: POST_RESPONSES[403],
        404: EDIT_RESPONSES[404],
        409: EDIT_RESPONSES[409],
        429: POSTED_LIMITED,
        503: html_answer(
            "The disk is nearly full, or the withdrawal leaves problems behind; see Retry-After.",
            retry_after=True,
        ),
    },
)
async def post_withdraw(token: str, request: Request, svc: ServiceDep, lang: str = "de") -> Response:
    lang = lang if lang in LANGS else "de"
    return link_rate(svc, request, lang) or await run_in_threadpool(withdraw, svc, token, request, lang)


def withdraw(svc: Service, token: str, request: Request, lang: str) -> Response:
    """Spool the withdrawal of an edit link's entry."""
    link = svc.edit_target(token)
    if link is None:
        log_event("edit_unknown", status=404)
        return error_page(svc, 404, "edit_unknown", lang)
    now = svc.clock()
    refused = origin_and_rate(svc, request, lang, now) or disk_full(svc, lang)
    if refused is not None:
        return refused
    found, answer = edit_state(svc, token, lang)
    if answer is not None:
        return answer
    today = dt.datetime.fromtimestamp(now, dt.UTC).date()
    try:
        with svc.checkout.lock:
            submission = withdrawal(svc.checkout.path, found, today)
    except RuntimeError:
        logger.exception("withdrawal_invalid", extra={"event": "withdrawal_invalid"})
        return error_page(svc, 503, "unavailable", lang, headers={"Retry-After": "600"})
    entry_id, created = svc.spool.add_withdrawal(submission, token_hash(token), now=now)
    if not created:
        return page(svc, "edit_done.html", lang, 409, message="already_withdrawn")
    log_event("spooled", submission=entry_id, kind="withdraw")
    svc.worker.wake()
    return page(svc, "edit_done.html", lang, 202, message="withdrawn", title="withdrawn_title")
