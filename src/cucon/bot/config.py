"""The submission service's settings: every one an environment variable ``CUCON_BOT_*`` (docs/bot.md)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from urllib.parse import urlsplit

from cucon.bot.gitlab import checked_project
from cucon.bot.languages import FALLBACK, fallback_setting
from cucon.bot.vault import VaultError, check_key

PREFIX = "CUCON_BOT_"
IPNetwork = IPv4Network | IPv6Network
MIN_SECRET_BYTES = 32
FORGES = ("git", "github", "gitlab")
"""The values of ``CUCON_BOT_FORGE``: plain git, GitHub's REST API, GitLab's REST API v4."""


class ConfigError(ValueError):
    """A setting is missing or has the wrong shape; the message names the variable."""


@dataclass(frozen=True)
class BotConfig:
    """What the service needs to run; built from the environment by :meth:`from_env`.

    The field ``foo_bar`` is read from ``CUCON_BOT_FOO_BAR``; docs/bot.md has one row per field.
    """

    secret: bytes
    workdir: Path
    checkout: Path
    forge: str = "git"
    git_remote: str | None = None
    git_base: str = "main"
    github_api: str = "https://api.github.com"
    github_repository: str | None = None
    github_token: str | None = None
    gitlab_api: str = "https://gitlab.com/api/v4"
    gitlab_project: str | None = None
    gitlab_token: str | None = None
    allowed_origins: tuple[str, ...] = ()
    site_url: str | None = None
    public_url: str | None = None
    trusted_proxy: tuple[IPNetwork, ...] = ()
    max_body_bytes: int = 10 * 1024 * 1024
    rate_limit: tuple[int, int] = (10, 600)
    link_rate_limit: tuple[int, int] = (30, 600)
    spool_max_bytes: int = 1024**3
    min_free_bytes: int = 1024**3
    pending_per_email: int = 3
    pending_per_network: int = 20
    pow_max_number: int = 50_000
    min_form_seconds: float = 3.0
    health_stuck_seconds: float = 1800.0
    smtp_host: str | None = None
    smtp_port: int | None = None
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_from: str | None = None
    smtp_security: str = "starttls"
    data_keys: tuple[str, ...] = ()
    contact_sender_daily: int = 5
    contact_recipient_daily: int = 10
    contact_max_name: int = 100
    contact_max_subject: int = 150
    contact_max_message: int = 5000
    abuse_address: str | None = None
    fallback: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: FALLBACK)

    @property
    def smtp_enabled(self) -> bool:
        """True when confirmation mails are sent (double opt-in): ``CUCON_BOT_SMTP_HOST`` is set."""
        return self.smtp_host is not None

    @property
    def spool_path(self) -> Path:
        """The SQLite spool, inside the working folder."""
        return self.workdir / "spool.sqlite3"

    @property
    def private_path(self) -> Path:
        """The private store (owners, senders, subscribers; addresses sealed), inside the working folder."""
        return self.workdir / "private.sqlite3"

    @property
    def public_origin(self) -> str | None:
        """The origin (scheme://host[:port]) under which people reach the service, if configured."""
        return _origin_of(self.public_url) if self.public_url else None

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> BotConfig:
        """Read every ``CUCON_BOT_*`` variable; raise :class:`ConfigError` naming the first bad one.

        >>> env = {"CUCON_BOT_SECRET": "x" * 32, "CUCON_BOT_WORKDIR": "/srv/bot",
        ...        "CUCON_BOT_CHECKOUT": "/srv/site", "CUCON_BOT_GIT_REMOTE": "/srv/site.git",
        ...        "CUCON_BOT_RATE_LIMIT": "5/60"}
        >>> config = BotConfig.from_env(env)
        >>> config.forge, config.rate_limit, config.max_body_bytes
        ('git', (5, 60), 10485760)
        >>> BotConfig.from_env({**env, "CUCON_BOT_SECRET": "short"})
        Traceback (most recent call last):
        ...
        cucon.bot.config.ConfigError: CUCON_BOT_SECRET must be at least 32 bytes long (it has 5)
        >>> BotConfig.from_env({**env, "CUCON_BOT_FORGE": "gitlab"})
        Traceback (most recent call last):
        ...
        cucon.bot.config.ConfigError: CUCON_BOT_GITLAB_PROJECT is not set (CUCON_BOT_FORGE is 'gitlab': write it as group/name or its number)
        """
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(PREFIX + name, "").strip()
            return value or None

        def need(name: str, why: str = "") -> str:
            value = get(name)
            if value is None:
                raise ConfigError(f"{PREFIX}{name} is not set{why}")
            return value

        secret = need("SECRET", ": give a random key of at least 32 bytes (e.g. `openssl rand -hex 32`)")
        if len(secret.encode()) < MIN_SECRET_BYTES:
            raise ConfigError(
                f"{PREFIX}SECRET must be at least {MIN_SECRET_BYTES} bytes long (it has {len(secret.encode())})"
            )
        forge = (get("FORGE") or "git").lower()
        if forge not in FORGES:
            raise ConfigError(f"{PREFIX}FORGE must be 'git', 'github' or 'gitlab', not {forge!r}")
        values: dict[str, object] = {
            "secret": secret.encode(),
            "workdir": Path(need("WORKDIR", ": name a folder for working clones and the spool")),
            "checkout": Path(need("CHECKOUT", ": name a clone of the site repository to validate against")),
            "forge": forge,
            "git_base": get("GIT_BASE") or "main",
            "github_api": (get("GITHUB_API") or "https://api.github.com").rstrip("/"),
            "gitlab_api": (get("GITLAB_API") or "https://gitlab.com/api/v4").rstrip("/"),
            "allowed_origins": tuple(_origin(o, "ALLOWED_ORIGINS") for o in _items(get("ALLOWED_ORIGINS"))),
            "site_url": _url(get("SITE_URL"), "SITE_URL"),
            "public_url": _url(get("PUBLIC_URL"), "PUBLIC_URL"),
            "trusted_proxy": tuple(_network(item) for item in _items(get("TRUSTED_PROXY"))),
            "max_body_bytes": _positive_int(get("MAX_BODY_BYTES"), "MAX_BODY_BYTES", 10 * 1024 * 1024),
            "rate_limit": _rate(get("RATE_LIMIT")),
            "link_rate_limit": _rate(get("LINK_RATE_LIMIT"), "LINK_RATE_LIMIT", (30, 600)),
            "spool_max_bytes": _positive_int(get("SPOOL_MAX_BYTES"), "SPOOL_MAX_BYTES", 1024**3),
            "min_free_bytes": _positive_int(get("MIN_FREE_BYTES"), "MIN_FREE_BYTES", 1024**3),
            "pending_per_email": _positive_int(get("PENDING_PER_EMAIL"), "PENDING_PER_EMAIL", 3),
            "pending_per_network": _positive_int(get("PENDING_PER_NETWORK"), "PENDING_PER_NETWORK", 20),
            "pow_max_number": _positive_int(get("POW_MAX_NUMBER"), "POW_MAX_NUMBER", 50_000),
            "min_form_seconds": _seconds(get("MIN_FORM_SECONDS"), "MIN_FORM_SECONDS", 3.0),
            "health_stuck_seconds": _seconds(get("HEALTH_STUCK_SECONDS"), "HEALTH_STUCK_SECONDS", 1800.0),
        }
        values |= _contact(get)
        try:
            values["fallback"] = fallback_setting(get("FALLBACK"))
        except ValueError as exc:
            raise ConfigError(f"{PREFIX}FALLBACK: {exc}") from None
        _url(values["github_api"], "GITHUB_API")  # type: ignore[arg-type]
        _url(values["gitlab_api"], "GITLAB_API")  # type: ignore[arg-type]
        values |= _smtp(get, need, values["public_url"])  # type: ignore[arg-type]
        values["data_keys"] = _data_keys(get("DATA_KEYS"), "smtp_host" in values)
        if forge == "git":
            values["git_remote"] = need(
                "GIT_REMOTE", " (CUCON_BOT_FORGE is 'git': name the remote to push to)"
            )
        elif forge == "gitlab":
            project = need(
                "GITLAB_PROJECT", " (CUCON_BOT_FORGE is 'gitlab': write it as group/name or its number)"
            )
            try:
                values["gitlab_project"] = checked_project(project)
            except ValueError:
                raise ConfigError(
                    f"{PREFIX}GITLAB_PROJECT must be written group/name or be a number, not {project!r}"
                ) from None
            values["gitlab_token"] = need("GITLAB_TOKEN", " (CUCON_BOT_FORGE is 'gitlab')")
        else:
            repository = need("GITHUB_REPOSITORY", " (CUCON_BOT_FORGE is 'github': write it as owner/name)")
            if repository.count("/") != 1 or not all(repository.split("/")):
                raise ConfigError(f"{PREFIX}GITHUB_REPOSITORY must be written owner/name, not {repository!r}")
            values["github_repository"] = repository
            values["github_token"] = need("GITHUB_TOKEN", " (CUCON_BOT_FORGE is 'github')")
        return cls(**values)  # type: ignore[arg-type]

    def setting_names(self) -> list[str]:
        """The environment variable of every field, in the order of the fields."""
        return [PREFIX + f.name.upper() for f in fields(self)]


SMTP_SECURITY = {"starttls": 587, "ssl": 465, "none": 25}
"""The ways to reach the mail server, and the port each uses unless ``CUCON_BOT_SMTP_PORT`` says."""
LOOPBACK_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})


def _smtp(get, need, public_url: str | None) -> dict[str, object]:
    """The SMTP settings: none without ``CUCON_BOT_SMTP_HOST``; with it, a sender, a public URL for the
    confirmation link, and no password in the clear to another machine."""
    host = get("SMTP_HOST")
    if host is None:
        return {}
    security = (get("SMTP_SECURITY") or "starttls").lower()
    if security not in SMTP_SECURITY:
        raise ConfigError(f"{PREFIX}SMTP_SECURITY must be starttls, ssl or none, not {security!r}")
    sender = need("SMTP_FROM", " (CUCON_BOT_SMTP_HOST is set: give the address the mails come from)")
    if "@" not in sender or any(c in sender for c in "\r\n"):
        raise ConfigError(f"{PREFIX}SMTP_FROM must be an e-mail address, not {sender!r}")
    if public_url is None:
        raise ConfigError(
            f"{PREFIX}PUBLIC_URL is not set (CUCON_BOT_SMTP_HOST is set: the confirmation link needs it)"
        )
    user, password = get("SMTP_USER"), get("SMTP_PASSWORD")
    if (user is None) != (password is None):
        raise ConfigError(f"{PREFIX}SMTP_USER and {PREFIX}SMTP_PASSWORD go together: set both or neither")
    if security == "none" and user is not None and host.strip("[]").lower() not in LOOPBACK_HOSTS:
        raise ConfigError(
            f"{PREFIX}SMTP_SECURITY is 'none' but {PREFIX}SMTP_HOST is not this machine:"
            " a password must not cross the network in the clear; use starttls or ssl"
        )
    port = _positive_int(get("SMTP_PORT"), "SMTP_PORT", SMTP_SECURITY[security])
    if port > 65535:
        raise ConfigError(f"{PREFIX}SMTP_PORT must be a port number (1 to 65535), not {port}")
    return {
        "smtp_host": host,
        "smtp_port": port,
        "smtp_user": user,
        "smtp_password": password,
        "smtp_from": sender,
        "smtp_security": security,
    }


def _data_keys(value: str | None, smtp: bool) -> tuple[str, ...]:
    """The keys that seal the private store, newest first; required with the e-mail check, whose
    verified addresses (owners, senders, subscribers) the store keeps. A message never quotes a key."""
    keys = tuple(_items(value))
    if smtp and not keys:
        raise ConfigError(
            f"{PREFIX}DATA_KEYS is not set (CUCON_BOT_SMTP_HOST is set: the verified addresses are kept"
            " sealed; make a key with `cucon bot new-key`)"
        )
    for number, key in enumerate(keys, 1):
        try:
            check_key(key)
        except VaultError as error:
            raise ConfigError(f"{PREFIX}DATA_KEYS: key {number} is {error}") from None
    if len(set(keys)) != len(keys):
        raise ConfigError(f"{PREFIX}DATA_KEYS names a key twice")
    return keys


def _contact(get) -> dict[str, object]:
    """The limits of the contact form, and the staff mailbox that reports of abuse go to."""
    abuse = get("ABUSE_ADDRESS")
    if abuse is not None and ("@" not in abuse or any(c in abuse for c in "\r\n ,<>")):
        raise ConfigError(f"{PREFIX}ABUSE_ADDRESS must be one e-mail address, not {abuse!r}")
    limits = ("sender_daily", "recipient_daily", "max_name", "max_subject", "max_message")
    return {
        "abuse_address": abuse,
        **{
            f"contact_{name}": _positive_int(
                get(f"CONTACT_{name.upper()}"),
                f"CONTACT_{name.upper()}",
                getattr(BotConfig, f"contact_{name}"),
            )
            for name in limits
        },
    }


def _items(text: str | None) -> list[str]:
    """The non-empty items of a comma-separated list."""
    return [item.strip() for item in (text or "").split(",") if item.strip()]


def _origin_of(url: str) -> str:
    """scheme://host[:port] of a URL, lower-cased."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _url(value: str | None, name: str) -> str | None:
    """An http(s) URL with a host, without a trailing slash; ``None`` stays ``None``."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{PREFIX}{name} must be an http:// or https:// URL, not {value!r}")
    return value.rstrip("/")


def _origin(value: str, name: str) -> str:
    """An origin as browsers send it in the Origin header: scheme://host[:port], nothing after."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ConfigError(f"{PREFIX}{name}: {value!r} is not an origin; write it like https://cucon.example")
    if parts.query or parts.fragment:
        raise ConfigError(f"{PREFIX}{name}: {value!r} is not an origin; write it like https://cucon.example")
    return _origin_of(value)


def _network(value: str) -> IPNetwork:
    """An address or network of the reverse proxy: 10.0.0.2, 172.18.0.0/16, ::1."""
    try:
        return ip_network(value, strict=False)
    except ValueError:
        raise ConfigError(
            f"{PREFIX}TRUSTED_PROXY: {value!r} is not an IP address or network; write it like 10.0.0.2"
        ) from None


def _positive_int(value: str | None, name: str, default: int) -> int:
    """A whole number above zero."""
    if value is None:
        return default
    try:
        number = int(value.replace("_", ""))
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} must be a whole number, not {value!r}") from None
    if number <= 0:
        raise ConfigError(f"{PREFIX}{name} must be above zero, not {number}")
    return number


def _seconds(value: str | None, name: str, default: float) -> float:
    """A number of seconds, zero or more."""
    if value is None:
        return default
    try:
        number = float(value)
    except ValueError:
        raise ConfigError(f"{PREFIX}{name} must be a number of seconds, not {value!r}") from None
    if not number >= 0 or number == float("inf"):
        raise ConfigError(f"{PREFIX}{name} must be zero or more seconds, not {value!r}")
    return number


def _rate(
    value: str | None, name: str = "RATE_LIMIT", default: tuple[int, int] = (10, 600)
) -> tuple[int, int]:
    """``requests/seconds``, e.g. ``10/600``: at most that many from one address in that many seconds."""
    if value is None:
        return default
    count, _, seconds = value.partition("/")
    try:
        rate = (int(count), int(seconds))
    except ValueError:
        raise ConfigError(
            f"{PREFIX}{name} must be written requests/seconds, like 10/600, not {value!r}"
        ) from None
    if min(rate) <= 0:
        raise ConfigError(f"{PREFIX}{name} must have both numbers above zero, not {value!r}")
    return rate
