"""The confirmation mail of the e-mail check (double opt-in), sent with :mod:`smtplib`.

When ``CUCON_BOT_SMTP_HOST`` is set, a new submission waits in the spool until the person opens
the link of this mail and presses the button there (see docs/bot.md). The link is
``{CUCON_BOT_PUBLIC_URL}/confirm/{token}``: the token is 32 random bytes, URL-safe; the spool keeps
only its SHA-256, so a copy of the spool confirms nothing.

The mail is plain text with an HTML alternative, in German and English (the form's language
first), its texts from the catalogs (``mail.*`` in :mod:`cucon.phrases`). It has no images, no
tracking and no text the submitter typed: whoever fills in someone else's address cannot make the
service carry their words to that person.

Errors are sorted for the worker: :class:`MailRefused` when the server refuses the address for good
(the entry is then deleted), :class:`MailUnavailable` for anything that may pass (the server is down,
a timeout, a 4xx answer): the worker tries again with backoff. Neither message names the address.
"""

from __future__ import annotations

import hashlib
import html
import re
import secrets
import smtplib
import ssl
from collections.abc import Mapping
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from cucon.bot.languages import FALLBACK, mail_languages
from cucon.catalog import phrase

TOKEN_BYTES = 32
TOKEN_PATTERN = re.compile(r"[A-Za-z0-9_-]{43}")
"""What :func:`new_token` makes: 32 bytes in URL-safe base64 without padding."""


class MailUnavailable(Exception):
    """The mail could not be sent now; trying again later may work."""


class MailRefused(Exception):
    """The mail server refuses the address for good (a 5xx answer to every recipient)."""


def token_hash(token: str) -> str:
    """The SHA-256 (hex) of a confirmation token: what the spool keeps instead of the token.

    >>> token_hash("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def new_token() -> tuple[str, str]:
    """A new confirmation token and its hash.

    >>> token, digest = new_token()
    >>> bool(TOKEN_PATTERN.fullmatch(token)), digest == token_hash(token)
    (True, True)
    """
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, token_hash(token)


def mailed_link(public_url: str, path: str, token: str, lang: str) -> str:
    """A link in a mail: the service's page of a token, in the language the mail is written in first (a
    stored language the service does not know reads as German, as the mail does).

    >>> mailed_link("https://bot.cucon.example/", "confirm", "t0k3n", "fr")
    'https://bot.cucon.example/confirm/t0k3n?lang=fr'
    >>> mailed_link("https://bot.cucon.example", "edit", "t0k3n", "../../x")
    'https://bot.cucon.example/edit/t0k3n?lang=de'
    """
    return f"{public_url.rstrip('/')}/{path}/{token}?lang={mail_languages(lang)[0]}"


PARTS = ("mail.hello", "mail.ask", "mail.then", "mail.private")
"""The ids of the mail's paragraphs (:data:`cucon.phrases.PHRASES`); the link stands after ``mail.ask``."""


def subject_in(text_id: str, order: tuple[str, ...], /, **values: object) -> str:
    """A mail's subject in the languages of ``order``, each after the other.

    >>> subject_in("mail.subject", ("de", "en"))
    'Bitte bestätigen: Ihr Vorschlag für CuCon / Please confirm: your proposal for CuCon'
    >>> subject_in("mail.subject", ("ja", "en")).endswith(" / Please confirm: your proposal for CuCon")
    True
    """
    return " / ".join(phrase(text_id, code, **values) for code in order)


def confirmation_message(
    sender: str,
    to: str,
    link: str,
    lang: str = "de",
    days: int = 7,
    fallback: Mapping[str, tuple[str, ...]] = FALLBACK,
) -> EmailMessage:
    """The confirmation mail: plain text and HTML, in ``lang`` and the first language it falls back to. It
    carries no edit link: those go to a profile's owner only, when asked for (:mod:`cucon.bot.ownership`)."""
    order = mail_languages(lang, fallback)
    texts = {code: [phrase(part, code, days=days) for part in PARTS] for code in order}
    plain = "\n\n-----\n\n".join(
        f"{hello}\n\n{ask}\n\n{link}\n\n{then}\n\n{private}\n"
        for code, (hello, ask, then, private) in texts.items()
    )
    quoted = html.escape(link)
    sections = "\n<hr>\n".join(
        f'<div lang="{code}">\n<p>{html.escape(hello)}</p>\n<p>{html.escape(ask)}</p>\n'
        f'<p><a href="{quoted}">{quoted}</a></p>\n<p>{html.escape(then)}</p>\n'
        f"<p>{html.escape(private)}</p>\n</div>"
        for code, (hello, ask, then, private) in texts.items()
    )
    return envelope(sender, to, subject_in("mail.subject", order), plain, sections, order)


def machine_message(sender: str, to: str, subject: str) -> EmailMessage:
    """A message with the headers every mail of the service has, marked as sent by a machine; no body yet."""
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = to
    message["Date"] = formatdate(usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2].strip("> ") or None)
    message["Auto-Submitted"] = "auto-generated"
    return message


def envelope(sender: str, to: str, subject: str, plain: str, sections: str, order) -> EmailMessage:
    """A mail of the service: ``plain`` text with the HTML ``sections`` as an alternative, the languages
    of ``order`` named, marked as sent by a machine."""
    page = (
        f'<!doctype html>\n<html lang="{order[0]}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(subject)}</title>\n</head>\n<body>\n{sections}\n</body>\n</html>\n"
    )
    message = machine_message(sender, to, subject)
    message.set_content(plain)
    message.add_alternative(page, subtype="html")
    message["Content-Language"] = ", ".join(order)  # after the content: set_content clears Content-*
    return message


class Mailer:
    """Sends the confirmation mails through one SMTP server: STARTTLS, implicit TLS (``ssl``), or
    ``none`` (plain, for a server on this machine). Certificates are checked against the system's
    trust store unless an ``ssl_context`` is given (the tests give one that trusts their own)."""

    def __init__(
        self,
        host: str,
        port: int,
        sender: str,
        public_url: str,
        *,
        security: str = "starttls",
        user: str | None = None,
        password: str | None = None,
        ssl_context: ssl.SSLContext | None = None,
        timeout: float = 30.0,
        days: int = 7,
        fallback: Mapping[str, tuple[str, ...]] = FALLBACK,
    ):
        if security not in ("starttls", "ssl", "none"):
            raise ValueError(f"unknown SMTP security {security!r}")
        self.host, self.port, self.sender, self.public_url = host, port, sender, public_url
        self.security, self.user, self.password = security, user, password
        self.ssl_context = ssl_context
        self.timeout = timeout
        self.days = days
        self.fallback = fallback

    @classmethod
    def from_config(cls, config) -> Mailer | None:
        """The mailer a :class:`~cucon.bot.config.BotConfig` describes, or ``None`` without SMTP."""
        if not config.smtp_enabled:
            return None
        return cls(
            config.smtp_host,
            config.smtp_port,
            config.smtp_from,
            config.public_url,
            security=config.smtp_security,
            user=config.smtp_user,
            password=config.smtp_password,
            fallback=config.fallback,
        )

    def send_confirmation(self, to: str, token: str, lang: str = "de") -> None:
        """Send the confirmation mail with the link of ``token``."""
        link = mailed_link(self.public_url, "confirm", token, lang)
        self.send(confirmation_message(self.sender, to, link, lang, self.days, self.fallback))

    def send(self, message: EmailMessage) -> None:
        """Hand one message to the server; raise :class:`MailUnavailable` or :class:`MailRefused`."""
        context = self.ssl_context or ssl.create_default_context()
        try:
            if self.security == "ssl":
                smtp = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout, context=context)
            else:
                smtp = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            with smtp:
                if self.security == "starttls":
                    smtp.starttls(context=context)
                if self.user is not None:
                    smtp.login(self.user, self.password or "")
                smtp.send_message(message)
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _ in exc.recipients.values()]
            if codes and all(500 <= code < 600 for code in codes):
                raise MailRefused(f"the server refused the recipient ({codes[0]})") from None
            raise MailUnavailable(f"the server refused the recipient for now ({codes[:1]})") from None
        except (OSError, smtplib.SMTPException) as exc:  # SMTPException is an OSError; also TLS errors
            raise MailUnavailable(f"sending failed: {type(exc).__name__}") from None
