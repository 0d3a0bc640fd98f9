"""The links of the organisers' mails: see a call in one's name, approve or decline it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool

from cucon.bot.approval import APPROVED, DECLINED
from cucon.bot.guards import link_rate, origin_and_rate
from cucon.bot.logs import log_event
from cucon.bot.openapi import html_answer
from cucon.bot.pages import error_page, page
from cucon.bot.service import Service, ServiceDep, UiLang

router = APIRouter()

RESPONSES = {
    200: html_answer("The call as it would be published, with the buttons; or what was answered."),
    403: html_answer("The button was pressed on a page of another origin."),
    404: html_answer("No such approval link, or its 7 days ran out; a page in German and English says so."),
    409: html_answer("The call was already answered the other way."),
    429: html_answer("Too many requests to link pages from one address; see Retry-After.", retry_after=True),
}


def answer(svc: Service, token: str, decision: str | None, lang: str) -> Response:
    """The page of an approval link; ``decision`` (a button's POST) approves or declines."""
    status, message, view = (
        svc.organisers.answer(token, decision) if svc.organisers else (404, "approval_unknown", None)
    )
    if status == 404:
        log_event("approval_unknown", status=404)
        return error_page(svc, 404, "approval_unknown", lang)
    if view is not None:
        return page(svc, "approve.html", lang, call=view, token=token)
    return page(svc, "edit_done.html", lang, status, message=message, title="approval_title")


def endpoint(decision: str | None):
    """The endpoint of the link's page (GET) or of one of its buttons (POST, checked for its Origin)."""

    async def run(token: str, request: Request, svc: ServiceDep, lang: UiLang) -> Response:
        refused = link_rate(svc, request, lang)
        if refused is None and decision is not None:
            refused = origin_and_rate(svc, request, lang, svc.clock())
        return refused or await run_in_threadpool(answer, svc, token, decision, lang)

    return run


for _method, _path, _decision, _summary in (
    ("GET", "/approve/{token}", None, "The call an organiser is asked about, with Approve and Decline"),
    ("POST", "/approve/{token}", APPROVED, "Approve: the call goes on to be proposed (twice is harmless)"),
    ("POST", "/decline/{token}", DECLINED, "Decline: the call is deleted and never proposed"),
):
    router.add_api_route(
        _path,
        endpoint(_decision),
        methods=[_method],
        name=f"approval_{_method.lower()}_{_path.split('/')[1]}",
        response_class=HTMLResponse,
        summary=_summary,
        responses=RESPONSES,
    )
