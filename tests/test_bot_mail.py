"""The e-mail check (double opt-in): a real SMTP server on 127.0.0.1 (aiosmtpd), a real bare repository.

The app runs without its lifespan, so no background worker races the test: each test drives the
worker by hand with ``app.state.worker.run_once()`` and moves the app's clock where time matters.
The form, the bare repository and the SMTP server are fixtures of tests/conftest.py.
"""

from __future__ import annotations

import re
import sqlite3
import ssl
import subprocess
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from support import (
    BASE_ENV,
    GIT_ENV,
    PROFILE,
    PUBLIC_URL,
    SENDER,
    FakeSubmission,
    SmtpServer,
    branches,
    fill,
    link_of,
    mail_config_for,
    send,
    service,
    spool_bytes,
)

from cucon.bot.config import BotConfig, ConfigError
from cucon.bot.mail import TOKEN_PATTERN, Mailer, MailUnavailable, confirmation_message, token_hash
from cucon.bot.spool import CONFIRM_SECONDS, STATES, Spool

ADDRESS = PROFILE["email"]


def repository_bytes(bare: Path) -> bytes:
    """Every object of the bare repository, blobs, trees and commits, as git prints them."""
    return subprocess.run(
        ["git", "cat-file", "--batch-all-objects", "--batch"],
        cwd=bare,
        capture_output=True,
        env=GIT_ENV,
        check=True,
    ).stdout


# --- the flow -------------------------------------------------------------------------------------


def test_the_branch_opens_only_after_the_link_is_confirmed(mailing, clock, bare_repo, caplog):
    """One mail with a link; no branch until the button is pressed; then a verified pull request.
    The address is in no object of the repository, not in the spool once sent, and in no log line."""
    app, client, host, smtp = mailing.app, mailing.client, mailing.host, mailing.smtp
    caplog.set_level("INFO", logger="cucon.bot")
    response = send(client, fill(client, clock))
    assert response.status_code == 202
    assert "Postfach" in response.text
    assert app.state.spool.counts()["awaiting"] == 1

    app.state.worker.run_once()
    [(recipients, message)] = smtp.messages
    assert recipients == [ADDRESS]
    assert message["To"] == ADDRESS
    path = link_of(message)
    assert branches(bare_repo) == []
    assert ADDRESS.encode() not in spool_bytes(app.state.config)

    page = client.get(path)
    assert page.status_code == 200
    assert re.search(rf'<form method="post" action="{re.escape(path)}">', page.text)
    assert "Bestätigen</button>" in page.text
    app.state.worker.run_once()
    assert branches(bare_repo) == []  # opening the link (a mail scanner, say) confirms nothing
    assert app.state.spool.counts()["awaiting"] == 1

    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert "Bestätigt" in confirmed.text
    app.state.worker.run_once()
    [branch] = branches(bare_repo)
    assert branch.startswith("submissions/profile/erika-muster-")
    [change] = host.changes
    assert "E-mail verified" in change.body
    assert "not verified" not in change.body

    assert client.post(path).text == confirmed.text  # twice is harmless
    assert "Bestätigt" in client.get(path).text
    app.state.worker.run_once()
    assert len(host.changes) == 1
    assert len(smtp.messages) == 1
    assert app.state.spool.counts() == {
        "received": 0,
        "proposed": 1,
        "failed": 0,
        "awaiting": 0,
        "approval": 0,
    }

    assert ADDRESS.encode() not in repository_bytes(bare_repo)
    assert ADDRESS not in change.body + change.message
    assert ADDRESS.encode() not in spool_bytes(app.state.config)
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    assert "confirmation_sent" in logged
    assert "confirmed" in logged
    for private in (ADDRESS, "Erika", path.rpartition("/")[2]):
        assert private not in logged


def test_an_expired_or_unknown_link_gets_404_and_no_branch(mailing, clock, bare_repo):
    """After 7 days the link answers 404 in both languages, and the entry and its files are deleted."""
    app, client, host, smtp = mailing.app, mailing.client, mailing.host, mailing.smtp
    assert send(client, fill(client, clock)).status_code == 202
    app.state.worker.run_once()
    path = link_of(smtp.messages[0][1])
    clock.advance(CONFIRM_SECONDS + 1)
    for response in (client.get(path), client.post(path)):
        assert response.status_code == 404
        assert "gibt es nicht" in response.text
        assert "does not exist" in response.text
    app.state.worker.run_once()
    assert app.state.spool.counts() == dict.fromkeys(STATES, 0)
    with sqlite3.connect(app.state.config.spool_path) as db:
        assert db.execute("SELECT COUNT(*) FROM files").fetchone() == (0,)
    assert branches(bare_repo) == []
    assert host.changes == []
    for unknown in ("/confirm/" + "A" * 43, "/confirm/short", "/confirm/..%2F..%2Fetc"):
        assert client.get(unknown).status_code == 404
        assert client.post(unknown).status_code == 404


def test_a_mail_server_that_is_down_loses_nothing(config, clock, bare_repo, down_smtp):
    """SMTP down at submit: 202 at once, the entry stays; the mail goes out once the server is back."""
    running = service(mail_config_for(config, down_smtp), clock, bare_repo)
    app, client = running.app, running.client
    try:
        assert send(client, fill(client, clock)).status_code == 202
        app.state.worker.run_once()
        assert app.state.spool.counts()["awaiting"] == 1
        down_smtp.start()
        app.state.worker.run_once()
        assert down_smtp.messages == []  # not before its backoff of 30 s
        clock.advance(31)
        app.state.worker.run_once()
        app.state.worker.run_once()
        [(recipients, message)] = down_smtp.messages
        assert recipients == [ADDRESS]
        assert client.post(link_of(message)).status_code == 200
        app.state.worker.run_once()
        assert len(branches(bare_repo)) == 1
    finally:
        app.state.spool.close()


def test_an_address_the_server_refuses_for_good_drops_the_entry(mailing, clock, bare_repo):
    """A 550 to the recipient: nobody can ever confirm, so the entry and its address are deleted."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    smtp.refuse = "550 5.1.1 No such user"
    assert send(client, fill(client, clock)).status_code == 202
    app.state.worker.run_once()
    assert app.state.spool.counts() == dict.fromkeys(STATES, 0)
    assert ADDRESS.encode() not in spool_bytes(app.state.config)
    assert branches(bare_repo) == []


def test_the_form_requires_the_address_when_the_check_is_on(mailing, clock):
    """The e-mail field is required and says a link is sent; an empty one comes back with 422."""
    app, client = mailing.app, mailing.client
    page = client.get("/profile/new?lang=en").text
    assert re.search(r'<input type="email" id="f-email" name="email" value=""[^>]* required', page)
    assert "We send you a link" in page
    response = send(client, fill(client, clock, lang="en", email=""))
    assert response.status_code == 422
    assert re.search(r'<span class="error" id="err-email">give your e-mail address', response.text)
    assert app.state.spool.counts()["awaiting"] == 0


def test_without_smtp_the_pull_request_opens_at_once_marked_not_verified(config, clock, bare_repo, smtp):
    """The existing behaviour: no mail, the branch at once, "E-mail not verified"."""
    running = service(config, clock, bare_repo)
    app, client, host = running.app, running.client, running.host
    try:
        assert "Optional" in client.get("/profile/new").text
        response = send(client, fill(client, clock))
        assert response.status_code == 202
        assert "Postfach" not in response.text
        app.state.worker.run_once()
        assert len(branches(bare_repo)) == 1
        assert "E-mail not verified" in host.changes[0].body
        assert smtp.messages == []
    finally:
        app.state.spool.close()


# --- the mail -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("lang", "first"), [("de", "Guten Tag"), ("en", "Hello")])
def test_the_mail_is_bilingual_plain_and_html_without_images_or_tracking(lang, first):
    """Text and HTML, the form's language first, the bare link, no images, no remote content."""
    link = "https://bot.cucon.example/confirm/" + "x" * 43
    message = confirmation_message(SENDER, ADDRESS, link, lang)
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert text.startswith(first)
    assert "Guten Tag" in text
    assert "Hello" in text
    assert text.count(link) == 2
    assert page.count(f'href="{link}"') == 2
    assert f'<html lang="{lang}">' in page
    assert re.findall(r"(?:src|href)=\"([^\"]+)\"", page) == [link, link]
    assert "<img" not in page
    assert message["Auto-Submitted"] == "auto-generated"
    assert message["Message-ID"].endswith("@cucon.example>")
    other = "en" if lang == "de" else "de"
    assert message["Content-Language"] == f"{lang}, {other}"  # set after the content, which clears it


def test_a_token_is_random_and_only_its_hash_is_kept(mailing, clock):
    """The token in the link has 32 random bytes; the spool holds its SHA-256, never the token."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    assert send(client, fill(client, clock)).status_code == 202
    app.state.worker.run_once()
    token = link_of(smtp.messages[0][1]).rpartition("/")[2].removesuffix("?lang=de")
    assert TOKEN_PATTERN.fullmatch(token)
    stored = spool_bytes(app.state.config)
    assert token.encode() not in stored
    with sqlite3.connect(app.state.config.spool_path) as db:
        assert db.execute("SELECT token_hash, contact FROM confirmations").fetchall() == [
            (token_hash(token), None)
        ]


def test_starttls_is_used_and_checked(tmp_path):
    """With STARTTLS the mail goes over TLS to a server whose certificate the client trusts."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-subj", "/CN=localhost", "-addext", "subjectAltName=IP:127.0.0.1"),
            *("-keyout", str(key), "-out", str(cert)),
        ],
        check=True,
        capture_output=True,
    )
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    server = SmtpServer()
    server.controller = Controller(
        server, hostname="127.0.0.1", port=server.port, tls_context=server_context, require_starttls=True
    )
    server.controller.start()
    try:
        trusting = ssl.create_default_context(cafile=str(cert))
        mailer = Mailer("127.0.0.1", server.port, SENDER, PUBLIC_URL, ssl_context=trusting, timeout=10)
        mailer.send_confirmation(ADDRESS, "t" * 43, "en")
        assert len(server.messages) == 1
        with pytest.raises(MailUnavailable):  # the system's trust store does not know this certificate
            Mailer("127.0.0.1", server.port, SENDER, PUBLIC_URL, timeout=10).send_confirmation(
                ADDRESS, "t" * 43
            )
        assert len(server.messages) == 1
    finally:
        server.stop()


# --- settings and the spool ---------------------------------------------------------------------


SMTP_ENV = {
    **BASE_ENV,
    "CUCON_BOT_SMTP_HOST": "mail.cucon.example",
    "CUCON_BOT_SMTP_FROM": SENDER,
    "CUCON_BOT_PUBLIC_URL": "https://bot.cucon.example",
}


def test_the_smtp_settings():
    """Off without a host; with one, STARTTLS on 587 by default, and the port follows the security."""
    assert not BotConfig.from_env(BASE_ENV).smtp_enabled
    config = BotConfig.from_env(SMTP_ENV)
    assert (config.smtp_enabled, config.smtp_security, config.smtp_port) == (True, "starttls", 587)
    assert BotConfig.from_env({**SMTP_ENV, "CUCON_BOT_SMTP_SECURITY": "SSL"}).smtp_port == 465
    local = {**SMTP_ENV, "CUCON_BOT_SMTP_HOST": "localhost", "CUCON_BOT_SMTP_SECURITY": "none"}
    assert BotConfig.from_env({**local, "CUCON_BOT_SMTP_USER": "u", "CUCON_BOT_SMTP_PASSWORD": "p"})
    mailer = Mailer.from_config(config)
    assert (mailer.host, mailer.port, mailer.public_url) == ("mail.cucon.example", 587, config.public_url)
    assert Mailer.from_config(BotConfig.from_env(BASE_ENV)) is None


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"CUCON_BOT_SMTP_FROM": ""}, "CUCON_BOT_SMTP_FROM"),
        ({"CUCON_BOT_SMTP_FROM": "no address"}, "CUCON_BOT_SMTP_FROM"),
        ({"CUCON_BOT_PUBLIC_URL": ""}, "CUCON_BOT_PUBLIC_URL"),
        ({"CUCON_BOT_SMTP_SECURITY": "tls"}, "CUCON_BOT_SMTP_SECURITY"),
        ({"CUCON_BOT_SMTP_PORT": "70000"}, "CUCON_BOT_SMTP_PORT"),
        ({"CUCON_BOT_SMTP_USER": "u"}, "CUCON_BOT_SMTP_PASSWORD"),
        (
            {"CUCON_BOT_SMTP_SECURITY": "none", "CUCON_BOT_SMTP_USER": "u", "CUCON_BOT_SMTP_PASSWORD": "p"},
            "CUCON_BOT_SMTP_SECURITY",
        ),
    ],
)
def test_a_wrong_smtp_setting_is_named(changes, named):
    """Every refusal names the variable to fix; no password goes to another host in the clear."""
    with pytest.raises(ConfigError, match=named):
        BotConfig.from_env({**SMTP_ENV, **changes})


def test_a_spool_of_the_first_release_is_migrated(tmp_path: Path):
    """A spool whose table does not know the state ``awaiting`` is rebuilt, keeping entries and files."""
    path = tmp_path / "spool.sqlite3"
    old = Spool(path)
    entry_id, _ = old.add(FakeSubmission(), None)
    old.close()
    with sqlite3.connect(path) as db:
        (sql,) = db.execute("SELECT sql FROM sqlite_master WHERE name = 'submissions'").fetchone()
        db.execute("PRAGMA writable_schema = ON")
        db.execute(
            "UPDATE sqlite_master SET sql = ? WHERE name = 'submissions'",
            (sql.replace(", 'awaiting')", ")"),),
        )
    db.close()
    spool = Spool(path)
    try:
        assert [e.id for e in spool.due()] == [entry_id]
        assert spool.get(entry_id).files
        _, created = spool.add(FakeSubmission(slug="b", content_hash="cd" * 32), None, confirm_lang="de")
        assert created
        assert spool.counts() == {"received": 1, "proposed": 0, "failed": 0, "awaiting": 1, "approval": 0}
    finally:
        spool.close()
