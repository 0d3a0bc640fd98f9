"""The links of the service's e-mails: confirm an address, confirm a profile's owner, ask for an owner's
edit link (/manage), and edit or withdraw a published entry with it."""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from cucon.bot import abuse
from cucon.bot.edit import form_values, withdrawal
from cucon.bot.guards import disk_full, link_rate, origin_and_rate, spam_check
from cucon.bot.languages import known
from cucon.bot.logs import log_event, logger
from cucon.bot.mail import TOKEN_PATTERN, token_hash
from cucon.bot.openapi import POST_RESPONSES, html_answer, request_body_schema
from cucon.bot.owners import OwnerError, checked_address
from cucon.bot.ownership import STAFF
from cucon.bot.pages import HONEYPOT, error_page, form_page, in_languages, link_refusal, page, spam_fields
from cucon.bot.posting import Post, handle_post
from cucon.bot.service import Service, ServiceDep, UiLang, request_language

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
    410: html_answer(
        "The link worked once (used, run out after 24 hours, or given on a post before links went to"
        " owners); a page in German and English says how to get a new one."
    ),
    429: LINK_LIMITED,
}
POSTED_LIMITED = html_answer(
    "Too many posts or link requests from one address; see Retry-After.", retry_after=True
)


# --- confirmation links -------------------------------------------------------------------------


def answer_link(svc: Service, token: str, use: bool, lang: str) -> Response:
    """The page of a confirmation link; ``use`` (the button's POST) confirms. 404 for no such link."""
    found = None
    if TOKEN_PATTERN.fullmatch(token):
        found = (svc.spool.confirm if use else svc.spool.confirmation)(token_hash(token), svc.clock())
    if found is None:
        log_event("confirm_unknown", status=404)
        return error_page(svc, 404, "confirm_unknown", lang)
    if use:
        log_event("confirmed", submission=found.submission_id)
        if svc.ownership is not None:  # a new profile's address: now its owner
            svc.ownership.confirm(token_hash(token), "post")
        svc.worker.wake()
    organiser = found.confirmed and svc.organisers is not None and svc.organisers.awaits(found.submission_id)
    return page(svc, "confirm.html", found.lang, done=found.confirmed, token=token, organiser=organiser)


def link_routes(path: str, name: str, answer, summaries: tuple[str, str], responses) -> None:
    """The GET (its page, which changes nothing: mail scanners open links) and the POST (its button) of
    a mailed link, answered by ``answer(svc, token, use, lang)`` in a thread after the link pages' rate limit."""

    def endpoint(use: bool):
        async def run(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
            return link_rate(svc, request, lang) or await run_in_threadpool(answer, svc, token, use, lang)

        return run

    for method, use, summary in zip(("GET", "POST"), (False, True), summaries, strict=True):
        router.add_api_route(
            path,
            endpoint(use),
            methods=[method],
            name=f"{name}_{method.lower()}",
            response_class=HTMLResponse,
            summary=summary,
            responses=responses,
        )


link_routes(
    "/confirm/{token}",
    "confirm",
    answer_link,
    (
        "The page of a confirmation link: a button that confirms (a GET changes nothing)",
        "Confirm the e-mail address: the entry goes on to be proposed (twice is harmless)",
    ),
    CONFIRM_RESPONSES,
)


# --- edit links ---------------------------------------------------------------------------------


def edit_state(svc: Service, token: str, lang: str):
    """The published profile of an edit link, or the page that answers instead. The profile comes
    from the index of the checkout's commit; the lock is never waited for."""
    link = svc.edit_target(token)
    if link is None:
        return None, link_refusal(svc, token, lang)
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
async def edit_page(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
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
        **{code: EDIT_RESPONSES[code] for code in (404, 409, 410)},
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
async def withdraw_page(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
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
        **{code: EDIT_RESPONSES[code] for code in (404, 409, 410)},
        429: POSTED_LIMITED,
        503: html_answer(
            "The disk is nearly full, or the withdrawal leaves problems behind; see Retry-After.",
            retry_after=True,
        ),
    },
)
async def post_withdraw(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
    return link_rate(svc, request, lang) or await run_in_threadpool(withdraw, svc, token, request, lang)


def withdraw(svc: Service, token: str, request: Request, lang: str) -> Response:
    """Spool the withdrawal of an owner's link's entry; every link of the entry is spent."""
    if svc.edit_target(token) is None:
        return link_refusal(svc, token, lang)
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
    entry_id, created = svc.spool.add(submission, now=now)
    svc.ownership.spend_all(found.published.permanent_id)
    if not created:
        return page(svc, "edit_done.html", lang, 409, message="already_withdrawn")
    log_event("spooled", submission=entry_id, kind="withdraw")
    svc.worker.wake()
    return page(svc, "edit_done.html", lang, 202, message="withdrawn", title="withdrawn_title")


# --- owners: confirm a profile's owner, ask for an edit link -------------------------------------


def owner_link(svc: Service, token: str, use: bool, lang: str) -> Response:
    """The page of the link ``cucon bot owner set`` mailed; ``use`` (the button's POST) makes its
    address the profile's owner. 404 for no such link."""
    digest = token_hash(token) if TOKEN_PATTERN.fullmatch(token) else None
    if svc.ownership is None or digest is None or not svc.ownership.pending(digest, STAFF):
        log_event("owner_unknown", status=404)
        return error_page(svc, 404, "owner_unknown", lang)
    if use:
        svc.ownership.confirm(digest, STAFF)
        return page(svc, "owner.html", lang, done=True, texts=in_languages(svc, lang))
    return page(svc, "owner.html", lang, token=token, texts=in_languages(svc, lang))


link_routes(
    "/owner/{token}",
    "owner",
    owner_link,
    (
        "The page of an owner's confirmation link: a button that confirms (a GET changes nothing)",
        "Confirm that the address owns the profile staff named (`cucon bot owner set`)",
    ),
    CONFIRM_RESPONSES,
)


def manage_page(svc: Service, lang: str, status: int = 200, **answer) -> Response:
    """The page "Edit or withdraw my profile": the address field, or (``sent``) the one answer."""
    return page(svc, "manage.html", lang, status, **answer, **spam_fields(svc))


@router.get(
    "/manage",
    response_class=HTMLResponse,
    summary="Edit or withdraw my profile: ask for an edit link by e-mail",
    responses={404: html_answer("Without the e-mail check and the private store there are no owners.")},
)
def manage(svc: ServiceDep, lang: UiLang) -> Response:
    if svc.ownership is None or svc.mailer is None:
        return error_page(svc, 404, "not_found", lang)
    return manage_page(svc, lang)


@router.post(
    "/manage",
    response_class=HTMLResponse,
    status_code=202,
    summary="Ask for an owner's edit link: the same answer whether or not the address owns a profile",
    responses={
        202: html_answer("The one answer: if the address owns a profile, a link is on its way to it."),
        **{code: POST_RESPONSES[code] for code in (400, 403, 413, 429, 503)},
        404: html_answer("Without the e-mail check and the private store there are no owners."),
        422: html_answer("The spam check failed; the form comes back with a note."),
    },
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/x-www-form-urlencoded": {
                    "schema": {
                        "type": "object",
                        "properties": {"email": {"type": "string"}, "form_time": {"type": "string"}},
                        "additionalProperties": {"type": "string"},
                    }
                }
            },
        }
    },
)
async def post_manage(request: Request, svc: ServiceDep) -> Response:
    if svc.ownership is None or svc.mailer is None:
        return error_page(svc, 404, "not_found", request_language(request))
    post = Post(svc, request, "manage", None, now=svc.clock(), lang=request_language(request))
    refused = origin_and_rate(svc, request, post.lang, post.now) or disk_full(svc, post.lang)
    if refused is not None:
        return refused
    form, _, refused = await post.read()
    if refused is not None:
        return refused
    try:
        return await run_in_threadpool(ask_for_links, svc, form, post.lang, post.now)
    finally:
        await form.close()


def ask_for_links(svc: Service, form, lang: str, now: float) -> Response:
    """A post of /manage: the spam checks, then the request for the worker; one answer for every address."""
    lang = known(form.get("ui")) or lang
    text = {name: value if isinstance(value, str) else "" for name, value in form.items()}
    try:
        abuse.check_honeypot(text.get(HONEYPOT))
    except abuse.Refused:
        log_event("refused", status=202, reason="honeypot")
        return manage_page(svc, lang, 202, sent=True)  # a bot learns nothing
    if (refused := spam_check(svc, text.get("form_time"), text.get("pow"), now)) is not None:
        return manage_page(svc, lang, refused.status, notice="spam_check")
    try:
        svc.ownership.request(checked_address(text.get("email", "")), lang)
    except OwnerError:  # no address at all: it owns nothing, and the answer is the same
        log_event("manage_not_an_address")
    else:
        log_event("manage_requested")
        svc.worker.wake()
    return manage_page(svc, lang, 202, sent=True)
