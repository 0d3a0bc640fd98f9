"""The weekly newsletter by e-mail: one mail per subscriber, built from the week's digests of the checkout.

A week's items are those of :func:`cucon.digest.weekly_digest` (what the site's digests list), read
from the service's checkout with the week's Sunday, 23:59:59 in Hannover, as the build day. A
subscriber gets the items of the chosen cities whose disciplines meet the choice (no discipline
chosen: all), in the chosen kinds; an item of two chosen cities is listed once. Nothing matching, no
mail. Each mail carries RFC 8058 one-click unsubscribe headers and a link to change the choice, both
with a token of that week's mail (only its hash is stored).

Sending is idempotent per week (docs/bot.md, "Newsletter by e-mail"): before a mail is handed to the
server its (subscriber, week) row is committed as claimed, and after the server took it, marked sent.
A rerun skips both; a claimed row never marked (the run died while that one mail was in flight) is
not sent again: at most once. Its Message-ID is derived from (subscriber, week), so a copy would
carry the same id. A 5xx for the recipient ends the subscription; a server that is down ends the
run with the claim released, and the next run sends what is left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import html
import re
import subprocess
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

from cucon.bot.languages import FALLBACK, mail_languages
from cucon.bot.logs import log_event
from cucon.bot.mail import MailRefused, MailUnavailable, envelope, mailed_link
from cucon.bot.subscribers import Subscriber, SubscriberStore
from cucon.catalog import phrase
from cucon.checks import load_site
from cucon.digest import DIGEST_TIMEZONE, Digest, weekly_digest
from cucon.i18n import format_day, format_moment
from cucon.views import ShownItem, build_listings

KINDS = ("news", "events", "calls", "profiles")
"""What a subscriber can choose, the kinds the digests know."""
SECTIONS = (
    ("news", "news", "newsletter.section_news"),
    ("upcoming_events", "events", "newsletter.section_events"),
    ("calls", "calls", "newsletter.section_calls"),
    ("closing_calls", "calls", "newsletter.section_closing"),
    ("profiles", "profiles", "newsletter.section_profiles"),
)
"""(the digest's list, the kind it belongs to, the id of its heading), in the digest's order."""
WEEK = re.compile(r"(\d{4})-W(\d{2})")
OPTIN_PARTS = ("mail.hello", "newsletter.confirm_ask", "newsletter.confirm_then")
"""The paragraphs of the opt-in mail; the link stands after the second."""


def week_days(week: str) -> tuple[dt.date, dt.date]:
    """The Monday and the Sunday of an ISO week written ``YYYY-Www``.

    >>> week_days("2026-W48")
    (datetime.date(2026, 11, 23), datetime.date(2026, 11, 29))
    """
    found = WEEK.fullmatch(week)
    if not found:
        raise ValueError(f"a week is written like 2026-W48, not {week!r}")
    monday = dt.date.fromisocalendar(int(found[1]), int(found[2]), 1)
    return monday, monday + dt.timedelta(days=6)


def last_week(now: float) -> str:
    """The ISO week before the one of ``now`` (in Hannover): the last whole week.

    >>> last_week(dt.datetime(2026, 11, 30, 7, tzinfo=dt.UTC).timestamp())
    '2026-W48'
    """
    day = dt.datetime.fromtimestamp(now, ZoneInfo(DIGEST_TIMEZONE)).date() - dt.timedelta(days=7)
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


@contextlib.contextmanager
def content_snapshot(config) -> Iterator[Path]:
    """A fresh shallow clone of the base branch (from the remote, else the service's checkout), removed
    afterwards: the running service's checkout is never touched, and the mail has today's content."""
    source = config.git_remote or str(config.checkout)
    with tempfile.TemporaryDirectory(prefix="cucon-newsletter-") as folder:
        result = subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", "clone", "-q", "--depth", "1", "--no-tags",
             "--branch", config.git_base, source, f"{folder}/site"],
            capture_output=True, text=True, check=False, timeout=600, stdin=subprocess.DEVNULL,
        )  # fmt: skip
        if result.returncode != 0:
            raise RuntimeError(f"cloning the content failed: {result.stderr.strip()[-200:]}")
        yield Path(folder) / "site"


def week_digests(checkout: Path, week: str) -> dict[str, Digest]:
    """The digest of every city for a week, from the checkout's content."""
    _, sunday = week_days(week)
    end = dt.datetime.combine(sunday, dt.time(23, 59, 59), ZoneInfo(DIGEST_TIMEZONE))
    listings = build_listings(load_site(Path(checkout) / "content"), end.isoformat())
    return {city.slug: weekly_digest(listings, city.slug) for city in listings.of("city")}


def chosen(digests: dict[str, Digest], choice: dict[str, list[str]]) -> list[tuple[str, list[ShownItem]]]:
    """The sections (heading id, items) of a subscriber's mail: what matches the choice, each item once."""
    wanted = set(choice.get("disciplines") or ())
    kinds = set(choice.get("kinds") or ())
    found: list[tuple[str, list[ShownItem]]] = []
    for attribute, kind, heading in SECTIONS:
        if kind not in kinds:
            continue
        items: dict[int, ShownItem] = {}
        for city in choice.get("cities") or ():
            for item in getattr(digests[city], attribute) if city in digests else ():
                if not wanted or wanted & {d.slug for d in item.disciplines}:
                    items.setdefault(id(item), item)
        if items:
            found.append((heading, list(items.values())))
    return found


def optin_message(
    sender: str,
    to: str,
    link: str,
    lang: str,
    days: int = 7,
    fallback: Mapping[str, tuple[str, ...]] = FALLBACK,
) -> EmailMessage:
    """The opt-in mail of a subscription: plain text and HTML, in ``lang`` and the first language it falls
    back to. It holds no word the poster typed: only fixed texts and the link."""
    order = mail_languages(lang, fallback)
    texts = {code: [phrase(p, code, days=days) for p in OPTIN_PARTS] for code in order}
    plain = "\n\n-----\n\n".join(
        f"{hello}\n\n{ask}\n\n{link}\n\n{then}\n" for hello, ask, then in texts.values()
    )
    quoted = html.escape(link)
    sections = "\n<hr>\n".join(
        f'<div lang="{code}">\n<p>{html.escape(hello)}</p>\n<p>{html.escape(ask)}</p>\n'
        f'<p><a href="{quoted}">{quoted}</a></p>\n<p>{html.escape(then)}</p>\n</div>'
        for code, (hello, ask, then) in texts.items()
    )
    subject = " / ".join(phrase("newsletter.confirm_subject", code) for code in order)
    return envelope(sender, to, subject, plain, sections, order)


def message_id(secret: bytes, subscriber: str, week: str, domain: str) -> str:
    """The Message-ID of a week's mail to a subscriber: the same on every run, unguessable elsewhere.

    >>> message_id(b"s", "a1", "2026-W48", "x.example") == message_id(b"s", "a1", "2026-W48", "x.example")
    True
    """
    mac = hmac.new(secret, f"newsletter\0{subscriber}\0{week}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"<newsletter.{week}.{mac}@{domain}>"


@dataclass(frozen=True)
class Links:
    """The addresses a mail links to."""

    site: str
    unsubscribe: str
    change: str


def _when(item: ShownItem, heading: str, lang: str) -> str:
    """The line of dates under an item's title, written out in the reader's language (as on the site)."""
    if heading in ("newsletter.section_calls", "newsletter.section_closing"):
        return f"{phrase('newsletter.deadline', lang)} {format_moment(item.deadline, lang)}"
    if heading == "newsletter.section_events":
        return format_moment(item.event_start, lang)
    return format_day(item.published, lang) if item.published else ""


def newsletter_message(
    sender: str, to: str, lang: str, week: str, sections: Iterable[tuple[str, list[ShownItem]]], links: Links
) -> EmailMessage:
    """A week's mail: plain text and HTML in the subscriber's language, with the unsubscribe headers."""
    monday, sunday = week_days(week)
    title = phrase("newsletter.subject", lang, start=format_day(monday, lang), end=format_day(sunday, lang))
    entries = []
    for heading, items in sections:
        shown = [
            (
                version.title,
                _when(item, heading, lang),
                version.summary,
                f"{links.site}/{version.url(lang)}",
                f' lang="{version.lang}"' if version.lang and version.lang != lang else "",
            )
            for item in items
            for version in (item.in_language(lang),)
        ]
        entries.append((phrase(heading, lang), shown))
    footer = [
        (phrase("newsletter.why", lang), None),
        (phrase("newsletter.change", lang), links.change),
        (phrase("newsletter.unsubscribe", lang), links.unsubscribe),
    ]
    plain = f"{title}\n{'=' * len(title)}\n"
    for name, shown in entries:
        plain += f"\n{name}\n{'-' * len(name)}\n"
        for head, when, summary, url, _ in shown:
            plain += "\n" + "\n".join(part for part in (head, when, summary, url) if part) + "\n"
    plain += "\n--\n" + "\n".join(f"{text} {url or ''}".rstrip() for text, url in footer) + "\n"
    body = "".join(
        f"<h2>{html.escape(name)}</h2>\n"
        + "".join(
            f'<h3{other}><a href="{html.escape(url)}">{html.escape(head)}</a></h3>\n'
            + (f"<p>{html.escape(when)}</p>\n" if when else "")
            + (f"<p{other}>{html.escape(summary)}</p>\n" if summary else "")
            for head, when, summary, url, other in shown
        )
        for name, shown in entries
    )
    foot = "".join(
        f"<p>{html.escape(text)}"
        + (f' <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else "")
        + "</p>\n"
        for text, url in footer
    )
    message = envelope(
        sender, to, title, plain, f"<h1>{html.escape(title)}</h1>\n{body}<hr>\n{foot}", (lang,)
    )
    # RFC 5322's line limit, not the 78 of folding: a long link folded would become an encoded word,
    # which RFC 2369 headers must not be (mail programs would not find the link)
    message.policy = message.policy.clone(max_line_length=998)
    message["List-Unsubscribe"] = f"<{links.unsubscribe}>"
    message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return message


def send_week(config, store: SubscriberStore, mailer, week: str, checkout: Path) -> dict[str, int]:
    """Send a week's mail to every subscriber it has items for, from the content of ``checkout``;
    counts of what happened."""
    store.expire()
    digests = week_digests(checkout, week)
    base = (config.public_url or "").rstrip("/")
    domain = mailer.sender.rpartition("@")[2].strip("> ") or "localhost"
    counts = dict.fromkeys(("sent", "empty", "done", "in_doubt", "refused", "unavailable"), 0)
    for subscriber in store.active():
        sections = chosen(digests, subscriber.choice)
        if not sections:
            counts["empty"] += 1
            continue
        state = store.week_state(subscriber.id, week)
        token = store.claim(subscriber.id, week) if state is None else None
        if token is None:
            counts["in_doubt" if state == "claimed" else "done"] += 1
            continue
        links = Links(
            config.site_url.rstrip("/"),
            mailed_link(base, "newsletter/unsubscribe", token, subscriber.lang),
            mailed_link(base, "newsletter/change", token, subscriber.lang),
        )
        message = newsletter_message(
            mailer.sender, subscriber.address, subscriber.lang, week, sections, links
        )
        message.replace_header("Message-ID", message_id(config.secret, subscriber.id, week, domain))
        if not _send(store, mailer, subscriber, week, message, counts):
            break
    log_event("newsletter_sent", week=week, **counts)
    return counts


def _send(store: SubscriberStore, mailer, subscriber: Subscriber, week: str, message, counts) -> bool:
    """Hand one claimed mail to the server and record the outcome; False when the server is down."""
    try:
        mailer.send(message)
    except MailRefused:
        store.drop(subscriber.id)
        counts["refused"] += 1
        log_event("newsletter_refused", subscriber=subscriber.id)
        return True
    except MailUnavailable:
        store.release(subscriber.id, week)
        counts["unavailable"] += 1
        log_event("newsletter_unavailable", subscriber=subscriber.id)
        return False
    store.mark_sent(subscriber.id, week)
    counts["sent"] += 1
    return True
