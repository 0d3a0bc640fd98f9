"""The one service object of an app: its configuration, stores, limits, templates and clock."""

from __future__ import annotations

import functools
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, Request
from jinja2 import Environment, FileSystemLoader, select_autoescape

from cucon.bot import abuse, contact
from cucon.bot.approval import ApprovalStore, Organisers
from cucon.bot.checkout import Checkout
from cucon.bot.config import BotConfig
from cucon.bot.edit import ProfileIndex
from cucon.bot.languages import language
from cucon.bot.mail import TOKEN_PATTERN, Mailer, token_hash
from cucon.bot.owners import OwnerStore
from cucon.bot.ownership import Ownership
from cucon.bot.spool import Quota, Spool, Worker
from cucon.bot.subscribers import SubscriberStore
from cucon.bot.vault import Vault

HERE = Path(__file__).resolve().parent


@dataclass
class Service:
    """What the routes, guards and pages of one app work with; it lives on ``app.state.service``."""

    config: BotConfig
    clock: Callable[[], float]
    githost: Any
    spool: Spool
    worker: Worker
    checkout: Checkout
    mailer: Mailer | None
    limiter: abuse.RateLimiter
    link_limiter: abuse.RateLimiter
    quota: Quota
    profiles: ProfileIndex
    replays: abuse.SqliteReplayStore
    templates: Environment
    vault: Vault | None = None
    owners: OwnerStore | None = None
    contacts: Any = None
    """The contact messages (:class:`cucon.bot.contact.ContactStore`); None without data keys."""
    ownership: Ownership | None = None
    """Owner records made, used and dropped (:mod:`cucon.bot.ownership`); None without a private store."""
    subscribers: SubscriberStore | None = None
    organisers: Organisers | None = None
    """Calls in a profile's name (:mod:`cucon.bot.approval`): the worker asks it before each proposal."""

    @classmethod
    def of(
        cls,
        config: BotConfig,
        githost=None,
        *,
        clock: Callable[[], float] = time.time,
        worker_idle: float = 30.0,
        mailer: Mailer | None = None,
    ) -> Service:
        """The service of ``config``; the arguments are those of :func:`cucon.bot.app.create_app`."""
        # httpx logs every request URL at INFO; a branch name in one carries a name's slug: keep logs free of it.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        config.workdir.mkdir(parents=True, exist_ok=True)
        host = githost if githost is not None else default_githost(config)
        spool = Spool(config.spool_path)
        mailer = mailer if mailer is not None else Mailer.from_config(config)
        vault = Vault.from_config(config)
        svc = cls(
            config=config,
            clock=clock,
            githost=host,
            spool=spool,
            worker=Worker(
                spool, host, checkout=config.checkout, clock=clock, idle=worker_idle, mailer=mailer
            ),
            checkout=Checkout(config.checkout, config.git_base, wall_clock=clock, remote=config.git_remote),
            mailer=mailer,
            limiter=abuse.RateLimiter(*config.rate_limit),
            link_limiter=abuse.RateLimiter(*config.link_rate_limit),
            quota=Quota(config.spool_max_bytes, config.pending_per_email, config.pending_per_network),
            profiles=ProfileIndex(config.checkout),
            replays=abuse.SqliteReplayStore(config.workdir / "replays.sqlite3"),
            templates=Environment(
                loader=FileSystemLoader(HERE / "templates"),
                autoescape=select_autoescape(default=True),
                trim_blocks=True,
                lstrip_blocks=True,
            ),
            vault=vault,
            owners=OwnerStore(config.private_path, vault, clock=clock) if vault else None,
            subscribers=subscriber_store(config, mailer, clock),
        )
        if svc.owners is not None:
            svc.ownership = Ownership(config.private_path, svc.vault, svc.owners, clock, svc.checkout)
            svc.worker.ownership = svc.ownership
            svc.worker.chores.append(functools.partial(svc.ownership.run, mailer))
        store = ApprovalStore(config.private_path, clock) if svc.owners is not None else None
        svc.organisers = Organisers(svc, store)
        svc.worker.gate = svc.organisers.gate
        svc.worker.chores.append(svc.organisers.round)
        contact.attach(svc)
        return svc

    def close(self) -> None:
        """Close every store of the service (when its worker has stopped)."""
        self.spool.close()
        stores = (self.owners, self.contacts, self.ownership, self.subscribers)
        for store in (*stores, self.organisers.store if self.organisers else None):
            if store is not None:
                store.close()

    def edit_target(self, token: str):
        """The live owner's link of a token, or None (unknown, spent, run out, or of the wrong shape)."""
        if self.ownership is None or not TOKEN_PATTERN.fullmatch(token):
            return None
        return self.ownership.edit_link(token_hash(token))

    def edit_gone(self, token: str) -> bool:
        """Whether a token is a link that worked once: spent, run out, or minted on a post before edit
        links went to owners (the spool's ``edit_links``)."""
        if not TOKEN_PATTERN.fullmatch(token):
            return False
        digest = token_hash(token)
        found = self.ownership.link(digest) if self.ownership is not None else None
        return (found is not None and not found.live) or self.spool.minted_on_post(digest)


def subscriber_store(config: BotConfig, mailer: Mailer | None, clock) -> SubscriberStore | None:
    """The newsletter's subscribers, when the service sends mail, has keys and knows the site's
    address (the mails link to it); else None."""
    vault = Vault.from_config(config)
    if mailer is None or vault is None or not config.site_url:
        return None
    return SubscriberStore(config.private_path, vault, clock)


async def service(request: Request) -> Service:
    """The app's service, for ``Depends``; async, so that it runs on the event loop and takes no thread."""
    return request.app.state.service


ServiceDep = Annotated[Service, Depends(service)]
"""A route's parameter that receives the app's service."""


def request_language(request: Request) -> str:
    """The language of a page: the URL's ``lang`` if the service speaks it, else Accept-Language's, else German."""
    return language(request.query_params.get("lang"), request.headers.get("accept-language"))


async def ui_language(request: Request, lang: str | None = None) -> str:
    """:func:`request_language`, for ``Depends``; ``lang`` names the query parameter in the API's description."""
    return request_language(request)


UiLang = Annotated[str, Depends(ui_language)]
"""A route's parameter that receives the page's language (a ``lang`` query parameter, or the browser's)."""


def default_githost(config: BotConfig):
    """The GitHost the configuration describes."""
    from cucon.bot.githost import GitHubHost, PlainGitHost
    from cucon.bot.gitlab import GitLabHost

    if config.forge == "gitlab":
        return GitLabHost(
            config.gitlab_api, config.gitlab_token or "", config.gitlab_project or "", config.git_base
        )
    if config.forge == "github":
        return GitHubHost(
            config.github_api, config.github_token or "", config.github_repository or "", config.git_base
        )
    return PlainGitHost(config.git_remote or "", config.git_base, workdir=config.workdir / "git")
