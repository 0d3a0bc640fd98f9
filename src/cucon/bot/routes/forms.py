"""The forms: the landing page, and for each kind GET /<kind>/new (the form) and POST /<kind> (a post)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from cucon.bot.openapi import POST_RESPONSES, request_body_schema
from cucon.bot.pages import form_page, in_languages, page
from cucon.bot.posting import handle_post
from cucon.bot.service import ServiceDep, UiLang
from cucon.bot.submission import FORMS

FORM_ROUTES = {"profile": "a new profile", "call": "a new call", "news": "news or an event tip"}
"""The forms: GET /<kind>/new shows one, POST /<kind> proposes what it holds."""

router = APIRouter()


@router.get("/", response_class=HTMLResponse, summary="What the service does, in each of its languages")
def landing(svc: ServiceDep, lang: UiLang) -> HTMLResponse:
    return page(svc, "index.html", lang, texts=in_languages(svc, lang, every=True))


def form_routes(kind: str, what: str) -> None:
    """GET /<kind>/new, the form in one of the service's languages, and POST /<kind>, a post of it."""

    def show(svc: ServiceDep, lang: UiLang) -> HTMLResponse:
        return form_page(svc, lang, kind=kind)

    async def propose(request: Request, svc: ServiceDep) -> Response:
        return await handle_post(svc, request, kind)

    router.add_api_route(
        f"/{kind}/new", show, methods=["GET"], name=f"new_{kind}", response_class=HTMLResponse,
        summary=f"The form for {what}",
    )  # fmt: skip
    router.add_api_route(
        f"/{kind}", propose, methods=["POST"], name=f"post_{kind}", response_class=HTMLResponse,
        status_code=202, summary=f"Propose {what}", responses=POST_RESPONSES,
        openapi_extra={"requestBody": request_body_schema(FORMS[kind].image)},
    )  # fmt: skip


for _kind, _what in FORM_ROUTES.items():
    form_routes(_kind, _what)
