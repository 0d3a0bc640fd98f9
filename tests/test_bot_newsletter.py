"""The newsletter by e-mail: subscribe with double opt-in, the week's mail with the chosen items, one-click
unsubscribe, a sender killed halfway, bounces, and the attacks on the form and the links.

Real parts throughout: the app, an aiosmtpd server on 127.0.0.1, the bare repository with content of a
known week (2026-W48: 23 to 29 November 2026), the private SQLite store, and `cucon bot send-newsletter`
as a real process.
"""

from __future__ import annotations

import dataclasses
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import uuid

import pytest
from support import (
    PUBLIC_URL,
    SITE_ORIGIN,
    SmtpServer,
    child_env,
    form_tokens,
    git,
    mail_config_for,
    service,
    wait_for,
)

from cucon.bot.mail import Mailer
from cucon.bot.newsletter import send_week
from cucon.bot.subscribers import SubscriberStore
from cucon.bot.vault import Vault, new_key, rotate

WEEK = "2026-W48"
NEWS = {
    "hannover-music": ("2026-11-24", "hannover", "music", "Chor im Rathaus"),
    "leipzig-dance": ("2026-11-25", "leipzig", "dance", "Tanz in der Baumwollspinnerei"),
    "hannover-theatre": ("2026-11-26", "hannover", "theatre", "Theater am Küchengarten"),
    "hannover-old": ("2026-11-10", "hannover", "music", "Ein alter Hut"),
}
"""News of the known week (and one older), by slug: day, city, discipline, title."""
ADDRESS = "reader@example.org"


@pytest.fixture
def week_repo(bare_repo, tmp_path):
    """The bare repository with the news of :data:`NEWS` on main."""
    seed = tmp_path / "seed-week"
    git(tmp_path, "clone", "-q", str(bare_repo), str(seed))
    for slug, (day, city, discipline, title) in NEWS.items():
        (seed / "content" / "news" / f"{slug}.md").write_text(
            f"---\nid: {uuid.uuid4()}\nkind: news\ntitle: {title}\ndate: {day}\n"
            f"summary: Neu in {city}.\ncities: [{city}]\ndisciplines: [{discipline}]\nlang: de\n---\n\nText.\n",
            "utf-8",
        )
    git(seed, "add", "-A")
    git(seed, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-q", "-m", "Week 48")
    git(seed, "push", "-q", "origin", "HEAD:main")
    return bare_repo


@pytest.fixture
def letters(config, clock, week_repo, smtp):
    """The service with mail on, its content the known week's."""
    running = service(newsletter_config(config, smtp), clock, week_repo, smtp)
    git(config.checkout, "pull", "-q")
    yield running
    running.app.state.spool.close()
    running.app.state.service.subscribers.close()


def newsletter_config(config, smtp):
    """``config`` with mail on and the site's address (the mails link to it)."""
    return dataclasses.replace(mail_config_for(config, smtp), site_url=SITE_ORIGIN)


def choice_form(client, clock, lang="de", **changes) -> dict:
    """The newsletter form, fetched, waited on as a person would, and filled in (``changes`` on top)."""
    page = client.get(f"/newsletter?lang={lang}")
    assert page.status_code == 200, page.text
    clock.advance(5.0)
    form = {"cities": ["hannover"], "disciplines": ["music"], "kinds": ["news"], "email": ADDRESS}
    return {**form_tokens(page.text), **form, **changes}


def subscribe(svc, clock, origin=SITE_ORIGIN, **changes):
    """Post the newsletter form."""
    data = choice_form(svc.client, clock, **changes)
    return svc.client.post("/newsletter", data=data, headers={"Origin": origin} if origin else {})


def newsletter_link(message, what: str) -> str:
    """The path of a link of the newsletter in a mail (the same in its text and HTML parts)."""
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    [link] = set(re.findall(rf"{PUBLIC_URL}/newsletter/{what}/[A-Za-z0-9_-]+\?lang=\w+", text))
    assert f'href="{link}"' in html
    return link.removeprefix(PUBLIC_URL)


def subscribed(svc, clock, **changes) -> None:
    """Subscribe and confirm through the opt-in mail's link."""
    before = len(svc.smtp.messages)
    assert subscribe(svc, clock, **changes).status_code == 202
    assert len(svc.smtp.messages) == before + 1
    link = newsletter_link(svc.smtp.messages[-1][1], "confirm")
    assert svc.client.post(link).status_code == 200


def send(svc, config, smtp, week=WEEK):
    """Run the week's sending in this process, from the service's checkout."""
    store = svc.app.state.service.subscribers
    mail = newsletter_config(config, smtp)
    return send_week(mail, store, Mailer.from_config(mail), week, config.checkout)


def private(config, query: str):
    """Rows of the private store."""
    with sqlite3.connect(config.workdir / "private.sqlite3") as db:
        return db.execute(query).fetchall()


def test_subscribe_confirm_and_receive_the_weeks_items_for_the_chosen_city_and_discipline(
    letters, config, clock
):
    """Three subscribers; each mail holds exactly the items of its choice; the one with nothing gets none."""
    smtp = letters.smtp
    assert subscribe(letters, clock).status_code == 202
    [(to, optin)] = smtp.messages
    assert to == [ADDRESS]
    link = newsletter_link(optin, "confirm")
    assert private(config, "SELECT COUNT(*) FROM newsletter_subscribers") == [(0,)]
    page = letters.client.get(link)  # a mail scanner opens the link: nothing happens
    assert page.status_code == 200
    assert f'action="{link}"' in page.text
    assert private(config, "SELECT COUNT(*) FROM newsletter_subscribers") == [(0,)]
    assert letters.client.post(link).status_code == 200
    assert letters.client.post(link).status_code == 404  # used up
    subscribed(
        letters,
        clock,
        email="tanz@example.org",
        cities=["leipzig", "hannover"],
        disciplines=["dance"],
        ui="en",
    )
    subscribed(letters, clock, email="nichts@example.org", disciplines=["dance"], kinds=["calls"], ui="en")
    smtp.messages.clear()

    counts = send(letters, config, smtp)

    assert counts["sent"] == 2
    assert counts["empty"] == 1
    mails = {to[0]: message for to, message in smtp.messages}
    assert set(mails) == {ADDRESS, "tanz@example.org"}
    for address, wanted, heading, subject, day in (
        (ADDRESS, "Chor im Rathaus", "<h3>", "CuCon: die Woche vom 23. November 2026 bis 29. November 2026", "24. November 2026"),
        # German news in an English mail: the site's English page, the title marked as German
        ("tanz@example.org", "Tanz in der Baumwollspinnerei", '<h3 lang="de">', "CuCon: the week from November 23, 2026 to November 29, 2026", "November 25, 2026"),
    ):  # fmt: skip
        message = mails[address]
        assert message["Subject"] == subject
        text = message.get_body(("plain",)).get_content()
        html = message.get_body(("html",)).get_content()
        # dates in the reader's language, as on the site: not ISO
        assert f"\n{day}\n" in text
        assert f"<p>{day}</p>" in html
        assert not re.search(r"\d{4}-\d\d-\d\d", text)
        titles = {title for _, _, _, title in NEWS.values() if title in text or title in html}
        assert titles == {wanted}, (address, titles)
        slug = next(slug for slug, item in NEWS.items() if item[3] == wanted)
        prefix = "" if heading == "<h3>" else "en/"
        assert f'{heading}<a href="{SITE_ORIGIN}/{prefix}news/{slug}/">' in html
        unsubscribe = newsletter_link(message, "unsubscribe")
        assert message["List-Unsubscribe"] == f"<{PUBLIC_URL}{unsubscribe}>"
        raw = dict(message.raw_items())  # as received: one line, no encoded word
        assert raw["List-Unsubscribe"].strip() == f"<{PUBLIC_URL}{unsubscribe}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert newsletter_link(message, "change")
        assert message["Message-ID"].strip().startswith(f"<newsletter.{WEEK}.")

    smtp.messages.clear()
    again = send(letters, config, smtp)
    assert (again["sent"], again["done"], smtp.messages) == (0, 2, [])


def test_one_post_unsubscribes_and_a_get_changes_nothing(letters, config, clock):
    """RFC 8058: one POST without Origin ends the subscription; opening the link only shows a button."""
    subscribed(letters, clock)
    letters.smtp.messages.clear()
    send(letters, config, letters.smtp)
    [(_, message)] = letters.smtp.messages
    link = newsletter_link(message, "unsubscribe")
    page = letters.client.get(link)
    assert page.status_code == 200
    assert "List-Unsubscribe" in page.text
    assert private(config, "SELECT COUNT(*) FROM newsletter_subscribers") == [(1,)]

    answer = letters.client.post(link, content=b"List-Unsubscribe=One-Click",
                                 headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip

    assert answer.status_code == 200
    assert private(config, "SELECT COUNT(*) FROM newsletter_subscribers") == [(0,)]
    assert private(config, "SELECT COUNT(*) FROM newsletter_sent") == [(0,)]
    assert letters.client.post(link).status_code == 200  # twice is harmless
    letters.smtp.messages.clear()
    assert send(letters, config, letters.smtp, "2026-W49")["sent"] == 0


def test_the_change_link_changes_the_choice(letters, config, clock):
    """The change link of a mail shows the choice and saves a new one; the next week follows it."""
    subscribed(letters, clock)
    letters.smtp.messages.clear()
    send(letters, config, letters.smtp)
    link = newsletter_link(letters.smtp.messages[0][1], "change")
    page = letters.client.get(link)
    assert page.status_code == 200
    assert 'value="hannover" checked' in page.text
    saved = letters.client.post(
        link, data={"cities": ["leipzig"], "kinds": ["news"]}, headers={"Origin": SITE_ORIGIN}
    )
    assert saved.status_code == 200
    [(choice,)] = private(config, "SELECT choice FROM newsletter_subscribers")
    assert '"cities": ["leipzig"]' in choice


def test_a_repeat_subscription_changes_the_choice_only_when_confirmed(letters, config, clock):
    """The same answer for a known address as for a new one; the choice changes with the link only."""
    subscribed(letters, clock)
    known = subscribe(letters, clock, cities=["leipzig"], email=ADDRESS.upper())
    new = subscribe(letters, clock, cities=["leipzig"], email="new@example.org")
    assert (known.status_code, known.text) == (new.status_code, new.text)
    [(choice,)] = private(config, "SELECT choice FROM newsletter_subscribers")
    assert '"cities": ["hannover"]' in choice
    link = newsletter_link(letters.smtp.messages[-2][1], "confirm")
    assert letters.client.post(link).status_code == 200
    [(choice,)] = private(config, "SELECT choice FROM newsletter_subscribers")
    assert '"cities": ["leipzig"]' in choice


def test_a_5xx_for_the_recipient_ends_the_subscription(letters, config, clock):
    """The mail server refuses the address for good: the subscription and its address are deleted."""
    subscribed(letters, clock)
    letters.smtp.refuse = "550 no such mailbox"
    counts = send(letters, config, letters.smtp)
    assert counts["refused"] == 1
    assert private(config, "SELECT COUNT(*) FROM newsletter_subscribers") == [(0,)]


def test_no_address_is_kept_in_clear(letters, config, clock):
    """The private store holds the address sealed only."""
    subscribed(letters, clock)
    data = b"".join(p.read_bytes() for p in config.workdir.glob("private.sqlite3*"))
    assert ADDRESS.encode() not in data


ATTACKS = [
    # (case, changes to the form, Origin, status)
    ("CR/LF in the address", {"email": "a@example.org\r\nBcc: victim@example.org"}, SITE_ORIGIN, 422),
    ("two addresses", {"email": "a@example.org,b@example.org"}, SITE_ORIGIN, 422),
    ("an unknown city", {"cities": ["atlantis"]}, SITE_ORIGIN, 422),
    ("an unknown discipline", {"disciplines": ["hacking"]}, SITE_ORIGIN, 422),
    ("an unknown kind", {"kinds": ["spam"]}, SITE_ORIGIN, 422),
    ("no city", {"cities": []}, SITE_ORIGIN, 422),
    ("a list longer than there are cities", {"cities": ["hannover"] * 3}, SITE_ORIGIN, 422),
    ("an over-long list", {"cities": ["hannover"] * 500}, SITE_ORIGIN, 400),
    ("an over-long address", {"email": "a" * 250 + "@example.org"}, SITE_ORIGIN, 422),
    ("a foreign Origin", {}, "https://evil.example", 403),
    ("no proof of work", {"pow": ""}, SITE_ORIGIN, 422),
    ("the honeypot filled in", {"website_url": "http://spam.example"}, SITE_ORIGIN, 202),
]


@pytest.mark.parametrize(("case", "changes", "origin", "status"), ATTACKS, ids=[a[0] for a in ATTACKS])
def test_attacks_on_the_form_store_and_mail_nothing(letters, config, clock, case, changes, origin, status):
    """Each refused post leaves no pending row and sends no mail."""
    answer = subscribe(letters, clock, origin=origin, **changes)
    assert answer.status_code == status, answer.text
    assert letters.smtp.messages == []
    assert private(config, "SELECT COUNT(*) FROM newsletter_pending") == [(0,)]


def test_an_opt_in_the_server_refuses_is_answered_as_any_other(letters, config, clock):
    """A 5xx for the address: the same page as for a deliverable one, and nothing kept."""
    letters.smtp.refuse = "550 no such mailbox"
    refused = subscribe(letters, clock)
    letters.smtp.refuse = None
    taken = subscribe(letters, clock, email="other@example.org")
    assert (refused.status_code, refused.text) == (taken.status_code, taken.text)
    assert private(config, "SELECT COUNT(*) FROM newsletter_pending") == [(1,)]


def test_an_opt_in_while_the_server_is_down_asks_to_try_later(letters, config, clock):
    """The mail server does not answer: 503 with Retry-After, and no pending subscription is kept."""
    letters.smtp.stop()
    answer = subscribe(letters, clock)
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "600"
    assert private(config, "SELECT COUNT(*) FROM newsletter_pending") == [(0,)]


def test_a_flood_of_subscriptions_to_one_address_sends_at_most_three_mails(letters, config, clock):
    """Whoever posts someone else's address again and again makes the service send at most three links."""
    for _ in range(5):
        assert subscribe(letters, clock).status_code == 202
    assert len(letters.smtp.messages) == 3


FORGED = "A" * 43


@pytest.mark.parametrize(
    ("case", "method", "path", "status"),
    [
        ("forged confirm link", "post", f"/newsletter/confirm/{FORGED}", 404),
        ("confirm link of the wrong shape", "get", "/newsletter/confirm/x'--", 404),
        ("forged unsubscribe token", "post", f"/newsletter/unsubscribe/{FORGED}", 200),
        ("unsubscribe GET", "get", "/newsletter/unsubscribe/{token}", 200),
        ("forged change link", "get", f"/newsletter/change/{FORGED}", 404),
        ("forged change post", "post", f"/newsletter/change/{FORGED}", 404),
        ("the opt-in token as an unsubscribe token", "post", "/newsletter/unsubscribe/{optin}", 200),
        ("change post from a foreign Origin", "post", "/newsletter/change/{token}", 403),
        ("choice of an unknown city through the change link", "post", "/newsletter/change/{token}", 422),
    ],
)
def test_forged_and_reused_tokens_change_nothing(letters, config, clock, case, method, path, status):
    """A subscription survives every link that is not its own mail's unsubscribe link."""
    subscribed(letters, clock)
    optin = newsletter_link(letters.smtp.messages[-1][1], "confirm").rsplit("/", 1)[1]
    letters.smtp.messages.clear()
    send(letters, config, letters.smtp)
    token = newsletter_link(letters.smtp.messages[0][1], "unsubscribe").rsplit("/", 1)[1]
    before = private(config, "SELECT id, choice FROM newsletter_subscribers")
    headers = {"Origin": "https://evil.example" if "foreign" in case else SITE_ORIGIN}
    data = {"cities": ["atlantis" if "unknown" in case else "leipzig"], "kinds": ["news"]}
    url = path.format(token=token, optin=optin)
    answer = (
        letters.client.get(url) if method == "get" else letters.client.post(url, data=data, headers=headers)
    )
    assert answer.status_code == status
    assert private(config, "SELECT id, choice FROM newsletter_subscribers") == before


class BlockingSmtp(SmtpServer):
    """An SMTP server that keeps the k-th message it is handed and then never answers it."""

    def __init__(self, block_at: int):
        super().__init__()
        self.block_at = block_at
        self.release = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        answer = await super().handle_DATA(server, session, envelope)
        if len(self.messages) == self.block_at:
            while not self.release.is_set():
                await __import__("asyncio").sleep(0.05)
        return answer


def test_a_sender_killed_halfway_and_run_again_mails_each_subscriber_once(letters, config, clock, tmp_path):
    """`cucon bot send-newsletter` is killed while the server holds its 3rd of 5 mails; the rerun sends
    the rest: every subscriber has exactly one mail (the one in flight is not sent again)."""
    for number in range(5):
        subscribed(letters, clock, email=f"reader{number}@example.org")
    letters.app.state.service.subscribers.close()
    server = BlockingSmtp(block_at=3)
    server.start()
    try:
        mail = newsletter_config(config, server)
        env = {
            **child_env(),
            **{
                f"CUCON_BOT_{k.upper()}": v
                for k, v in {
                    "secret": config.secret.decode(),
                    "data_keys": ",".join(config.data_keys),
                    "workdir": str(config.workdir),
                    "checkout": str(config.checkout),
                    "git_remote": config.git_remote,
                    "allowed_origins": SITE_ORIGIN,
                    "site_url": SITE_ORIGIN,
                    "public_url": PUBLIC_URL,
                    "smtp_host": "127.0.0.1",
                    "smtp_port": str(server.port),
                    "smtp_from": mail.smtp_from,
                    "smtp_security": "none",
                }.items()
            },
        }
        command = [sys.executable, "-m", "cucon.cli", "bot", "send-newsletter", "--week", WEEK]
        first = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_for(lambda: len(server.messages) >= 3)
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=30)
        server.release.set()
        second = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120, check=False)
        assert second.returncode == 0, second.stderr
        assert "in_doubt=1" in second.stdout
        assert "sent=2" in second.stdout
    finally:
        server.stop()
    received = sorted(to[0] for to, _ in server.messages)
    assert received == [f"reader{n}@example.org" for n in range(5)]
    assert private(config, "SELECT COUNT(*) FROM newsletter_sent WHERE sent IS NULL") == [(1,)]


def test_a_week_must_be_written_as_an_iso_week(config):
    """A wrong --week is refused before anything is read or sent."""
    result = subprocess.run(
        [sys.executable, "-m", "cucon.cli", "bot", "send-newsletter", "--week", "2026-48"],
        capture_output=True, text=True, check=False, env=child_env(),
    )  # fmt: skip
    assert result.returncode == 2
    assert "YYYY-Www" in result.stderr


def test_without_mail_there_is_no_newsletter(client):
    """A service without SMTP offers no newsletter: its pages say so (404)."""
    assert client.get("/newsletter").status_code == 404
    assert client.post(f"/newsletter/unsubscribe/{FORGED}").status_code == 404


def test_key_rotation_keeps_every_subscription(letters, config, clock):
    """After `rotate-key` to a new first key, the old key can go: every address opens, and a repeat
    subscription of the same address still finds its subscription (one row, one mail a week)."""
    subscribed(letters, clock)
    letters.app.state.service.subscribers.close()
    newest = new_key()
    rotate(config.private_path, Vault((newest, *config.data_keys)))
    store = SubscriberStore(config.private_path, Vault((newest,)), clock)
    try:
        [found] = store.active()
        assert found.address == ADDRESS
        assert store.confirm(store.ask(ADDRESS, "de", found.choice)) == "de"
        assert len(store.active()) == 1
    finally:
        store.close()
