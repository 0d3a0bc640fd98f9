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

The factory builds one :class:`~cucon.bot.service.Service` and puts it on ``app.state.service``; the
routers (:mod:`cucon.bot.routes`) get it through a dependency, the guards (:mod:`cucon.bot.guards`)
and pages (:mod:`cucon.bot.pages`) as their first argument; a post is handled in :mod:`cucon.bot.posting`.

Logs are JSON lines with an event name and counts or ids, never a name, an e-mail or an IP address.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from starlette.middleware.cors import CORSMiddleware
from starlette.staticfiles import StaticFiles

from cucon import __version__
from cucon.bot.config import BotConfig
from cucon.bot.logs import log_event
from cucon.bot.mail import Mailer
from cucon.bot.middleware import BodyLimit, SecurityHeaders, content_security_policy
from cucon.bot.pages import error_page, too_large
from cucon.bot.routes import approval, forms, health, links, newsletter
from cucon.bot.routes import contact as contact_routes
from cucon.bot.service import HERE, Service, request_language


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
    svc = Service.of(config, githost, clock=clock, worker_idle=worker_idle, mailer=mailer)

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        svc.worker.start()
        log_event("service_started", spooled=svc.spool.counts()["received"], version=__version__)
        try:
            yield
        finally:
            svc.worker.stop()
            svc.close()
            log_event("service_stopped")

    app = FastAPI(
        title="CuCon submission service",
        version=__version__,
        description="Bilingual forms whose posts become pull requests to the CuCon content repository.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.service = svc
    # the parts the tests and operators look at, by their old names: the same objects as the service's
    app.state.config = config
    app.state.spool = svc.spool
    app.state.worker = svc.worker
    app.state.githost = svc.githost
    app.state.checkout = svc.checkout
    app.state.mailer = svc.mailer

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
        refuse=lambda request: too_large(svc, request),
    )
    app.add_middleware(SecurityHeaders, csp=content_security_policy(config))
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    for router in (
        forms.router,
        health.router,
        links.router,
        contact_routes.router,
        newsletter.router,
        approval.router,
    ):
        include(app, router)

    @app.exception_handler(404)
    async def not_found(request: Request, exc) -> Response:
        return error_page(svc, 404, "not_found", request_language(request))

    return app


def include(app: FastAPI, router: APIRouter) -> None:
    """Add the routes of ``router`` to the app's own table. Not ``include_router``: this FastAPI keeps an
    included router behind one opaque entry of ``app.routes``, and what walks the routes (the check
    that nginx limits every POST route, tests/test_bot_deploy.py) would no longer see them."""
    app.router.routes.extend(router.routes)
