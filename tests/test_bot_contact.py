"""Contact without a public address: the real app, a real SMTP server, the owner set through OwnerStore.

A message reaches the owner with the sender as Reply-To; the sender never sees the owner's address,
and the address is nowhere in the repository, the spool, the site or the logs. Every attack is a row.
"""

from __future__ import annotations

import logging
import re
import shutil
import sqlite3
from dataclasses import replace

import pytest
from support import (
    BASE_ENV,
    DATA_KEY,
    SITE_ORIGIN,
    build_in_process,
    form_tokens,
    git,
    mail_config_for,
    service,
    spool_bytes,
)

from cucon.bot.config import BotConfig, ConfigError
from cucon.bot.contact import CONFIRM_SECONDS
from cucon.bot.vault import Vault, new_key, rotate
from cucon.catalog import sentence
from cucon.checks import load_site

ANNA = "c366956d-0e87-4eb2-a349-6a3e06e91872"
"""A profile of the fixture site without a published address: ``contact`` defaults to ``form``."""
TANZ = "12fe0ad3-a91e-4c65-8c2e-0c9d774a476e"
OWNER = "anna.private-7f3a@owner.example"
SENDER = "ben@sender.example"
STAFF = "staff@kulturbuero.example"
MESSAGE = "Hallo Anna,\nhättest du Lust auf ein Duo im März?\nBen"


@pytest.fixture
def contact(config, clock, bare_repo, smtp):
    """The service with the e-mail check and a staff mailbox; Anna's owner record is set directly."""
    running = service(replace(mail_config_for(config, smtp), abuse_address=STAFF), clock, bare_repo, smtp)
    running.app.state.service.owners.set(ANNA, OWNER)
    yield running
    running.app.state.spool.close()
    running.app.state.service.contacts.close()


def fill(running, clock, permanent_id: str = ANNA, lang: str = "de", **changes) -> dict:
    """Fetch the contact form, wait as a person would, and fill it in."""
    page = running.client.get(f"/contact/{permanent_id}?lang={lang}")
    assert page.status_code == 200, page.text
    clock.advance(5)
    typed = {"name": "Ben Sender", "address": SENDER, "subject": "Duo im März", "message": MESSAGE}
    return {**form_tokens(page.text), **typed, **changes}


def post(running, data: dict, permanent_id: str = ANNA, origin: str = SITE_ORIGIN):
    return running.client.post(f"/contact/{permanent_id}", data=data, headers={"Origin": origin})


def work(running) -> None:
    """One round of the worker: the contact mails that are due."""
    running.app.state.worker.run_once()


def mails_to(smtp, address: str) -> list:
    return [message for rcpt, message in smtp.messages if rcpt == [address]]


def confirm_link(message) -> str:
    [link] = set(
        re.findall(r"http://testserver(/contact/confirm/[A-Za-z0-9_-]{43}\?lang=\w+)", message.get_content())
    )
    return link


def waiting_rows(config) -> int:
    with sqlite3.connect(config.private_path) as db:
        return db.execute("SELECT count(*) FROM contact_messages").fetchone()[0]


def send_and_confirm(running, clock, **changes):
    """Post a message, let the confirmation go out, confirm it, and let the owner's mail go out."""
    assert post(running, fill(running, clock, **changes)).status_code == 202
    work(running)
    link = confirm_link(mails_to(running.smtp, changes.get("address", SENDER))[-1])
    seen = [running.client.get(link), running.client.post(link, headers={"Origin": SITE_ORIGIN})]
    work(running)
    return seen


def test_a_message_reaches_the_owner_and_the_sender_never_sees_the_address(
    contact, clock, caplog, tmp_path, bare_repo
):
    caplog.set_level(logging.DEBUG)
    smtp, config = contact.smtp, contact.app.state.config
    form_page = contact.client.get(f"/contact/{ANNA}?lang=en")
    assert "Write to Anna Kowalska" in form_page.text
    answered = post(contact, fill(contact, clock, lang="en"))
    assert answered.status_code == 202
    assert smtp.messages == []  # the mails go out from the worker
    work(contact)
    [ask] = mails_to(smtp, SENDER)
    asked = ask.get_content()
    for typed in ("Ben Sender", "Duo", "Lust", "Anna"):  # no word the sender typed, not even the recipient
        assert typed not in asked
        assert typed not in str(ask["Subject"])
    link = confirm_link(ask)
    pages = [form_page, answered, contact.client.get(link)]
    assert waiting_rows(config) == 1
    pages.append(contact.client.post(link, headers={"Origin": SITE_ORIGIN}))
    assert pages[-1].status_code == 200
    work(contact)
    [delivered] = mails_to(smtp, OWNER)
    assert delivered["Reply-To"].addresses[0].addr_spec == SENDER
    assert delivered["Reply-To"].addresses[0].display_name == "Ben Sender"
    assert str(delivered["To"]) == OWNER
    assert delivered["Content-Language"] == "en, de"
    assert str(delivered["From"]) == config.smtp_from
    assert delivered.get_content_type() == "text/plain"
    assert not delivered.is_multipart()
    body = delivered.get_content()
    assert MESSAGE in body.replace("\r\n", "\n")
    assert "CuCon" in body
    assert "Duo im März" in str(delivered["Subject"])
    report = re.search(r"http://testserver(/contact/report/\S+)", body)
    assert report is not None
    # after sending: the message, the sender's address and the link are gone
    assert waiting_rows(config) == 0
    assert contact.client.post(link, headers={"Origin": SITE_ORIGIN}).status_code == 404
    # the owner's address: on no page and in no mail the sender saw, nowhere in spool, logs or repository
    assert all(OWNER not in page.text for page in pages)
    assert all(OWNER not in message.as_string() for rcpt, message in smtp.messages if rcpt != [OWNER])
    assert OWNER.encode() not in spool_bytes(config)
    assert OWNER.encode() not in b"".join(p.read_bytes() for p in config.workdir.glob("private.sqlite3*"))
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records if r.name != "mail.log")
    assert "contact_delivered" in logged  # (mail.log is the test's own SMTP server)
    assert OWNER not in logged
    assert SENDER not in logged
    assert "Lust" not in logged
    history = git(config.checkout, "log", "-p", "--all", "--format=%an %ae %s")
    assert OWNER not in history
    assert SENDER not in history
    site = tmp_path / "built"
    git(tmp_path, "clone", "-q", str(bare_repo), str(site))
    built = build_in_process(site, CUCON_BOT_URL="http://testserver", CUCON_SEARCH_INDEX=False)
    assert built.returncode == 0, built.log
    output = b"".join(p.read_bytes() for p in (site / "output").rglob("*") if p.is_file())
    assert OWNER.encode() not in output
    assert f"/contact/{ANNA}".encode() in output


def test_the_owner_reports_a_message_and_staff_get_only_its_reference_unless_the_owner_pastes_it(
    contact, clock
):
    send_and_confirm(contact, clock)
    [delivered] = mails_to(contact.smtp, OWNER)
    report = re.search(r"http://testserver(/contact/report/\S+)", delivered.get_content()).group(1)
    page = contact.client.get(report)
    assert page.status_code == 200
    assert "<textarea" in page.text
    done = contact.client.post(report, data={"note": "He wrote: buy pills"}, headers={"Origin": SITE_ORIGIN})
    assert done.status_code == 200
    [staff] = mails_to(contact.smtp, STAFF)
    text = staff.get_content()
    ref = re.search(r"\(([A-Za-z0-9_-]{12})\)", delivered.get_content()).group(1)
    assert ref in text
    assert ANNA in text
    assert "buy pills" in text
    assert OWNER not in staff.as_string()
    assert SENDER not in staff.as_string()
    contact.client.post(report, data={"note": "again"}, headers={"Origin": SITE_ORIGIN})
    assert len(mails_to(contact.smtp, STAFF)) == 1  # one report per link
    # the reported sender cannot write to this owner again (told as a thank-you, nothing is kept)
    clock.advance(60)
    assert post(contact, fill(contact, clock)).status_code == 202
    assert waiting_rows(contact.app.state.config) == 0


def test_an_unconfirmed_message_expires_and_is_erased(contact, clock):
    assert post(contact, fill(contact, clock)).status_code == 202
    work(contact)
    link = confirm_link(mails_to(contact.smtp, SENDER)[0])
    clock.advance(CONFIRM_SECONDS + 1)
    work(contact)
    assert waiting_rows(contact.app.state.config) == 0
    assert contact.client.get(link).status_code == 404
    assert contact.client.post(link, headers={"Origin": SITE_ORIGIN}).status_code == 404
    assert mails_to(contact.smtp, OWNER) == []


@pytest.mark.parametrize(
    "token",
    ["A" * 43, "not-a-token", "A" * 42 + "%0d%0aX", "../../edit/" + "A" * 43],
    ids=["forged", "malformed", "header-bytes", "path"],
)
def test_a_forged_token_confirms_and_reports_nothing(contact, clock, token):
    assert post(contact, fill(contact, clock)).status_code == 202
    work(contact)
    for method in ("GET", "POST"):
        for link in ("confirm", "report"):
            answer = contact.client.request(
                method, f"/contact/{link}/{token}", headers={"Origin": SITE_ORIGIN}, data={"note": "x"}
            )
            assert answer.status_code == 404
    work(contact)
    assert mails_to(contact.smtp, OWNER) == []
    assert mails_to(contact.smtp, STAFF) == []


ATTACKS = [
    # (id, changes to the form, the answer's status, whether the message is kept)
    ("crlf-in-name", {"name": "Ben\r\nBcc: victim@evil.example"}, 422, False),
    ("lf-in-name", {"name": "Ben\nBcc: victim@evil.example"}, 422, False),
    ("crlf-in-subject", {"subject": "Hi\r\nBcc: victim@evil.example"}, 422, False),
    ("crlf-in-address", {"address": "ben@sender.example\r\nBcc: victim@evil.example"}, 422, False),
    ("two-addresses", {"address": "ben@sender.example, victim@evil.example"}, 422, False),
    ("display-name-address", {"address": "Ben <ben@sender.example>"}, 422, False),
    ("control-in-subject", {"subject": "Hi\x00there"}, 422, False),
    ("name-too-long", {"name": "B" * 101}, 422, False),
    ("subject-too-long", {"subject": "S" * 151}, 422, False),
    ("message-too-long", {"message": "M" * 5001}, 422, False),
    ("empty-message", {"message": "  "}, 422, False),
    ("honeypot", {"website_url": "https://spam.example"}, 202, False),
    ("missing-pow", {"pow": ""}, 422, False),
    ("forged-form-time", {"form_time": "1.000:00"}, 422, False),
    (
        "markup-in-message",
        {"message": '<script>alert(1)</script><a href="https://x.example">x</a>'},
        202,
        True,
    ),
    ("header-lines-in-message", {"message": "Hi\r\nBcc: victim@evil.example\r\n\r\nbody"}, 202, True),
]


@pytest.mark.parametrize(
    ("changes", "status", "stored"), [a[1:] for a in ATTACKS], ids=[a[0] for a in ATTACKS]
)
def test_attacks_on_the_form(contact, clock, changes, status, stored):
    answer = post(contact, fill(contact, clock, **changes))
    assert answer.status_code == status
    work(contact)
    assert len(mails_to(contact.smtp, SENDER)) == (1 if stored else 0)
    assert all("victim@evil.example" not in rcpt for rcpt, _ in contact.smtp.messages)
    if not stored:
        assert waiting_rows(contact.app.state.config) == 0
        return
    link = confirm_link(mails_to(contact.smtp, SENDER)[0])
    contact.client.post(link, headers={"Origin": SITE_ORIGIN})
    work(contact)
    [delivered] = mails_to(contact.smtp, OWNER)
    assert not delivered.is_multipart()
    assert delivered.get_content_type() == "text/plain"
    assert delivered["Bcc"] is None
    assert delivered["Reply-To"].addresses[0].addr_spec == SENDER
    assert changes["message"].replace("\r\n", "\n") in delivered.get_content().replace("\r\n", "\n")


def test_a_post_from_another_site_is_refused(contact, clock):
    assert post(contact, fill(contact, clock), origin="https://evil.example").status_code == 403
    assert waiting_rows(contact.app.state.config) == 0


def set_contact(bare_repo, tmp_path, slug: str, line: str) -> None:
    """Publish a change of a profile's front matter (a line after ``lang:``) on main."""
    work_tree = tmp_path / f"edit-{slug}"
    git(tmp_path, "clone", "-q", str(bare_repo), str(work_tree))
    path = work_tree / "content" / "profiles" / f"{slug}.md"
    path.write_text(path.read_text("utf-8").replace("\nlang: de\n", f"\nlang: de\n{line}\n", 1), "utf-8")
    git(work_tree, "-c", "user.name=T", "-c", "user.email=t@example.org", "commit", "-qam", "contact")
    git(work_tree, "push", "-q", "origin", "HEAD:main")


@pytest.mark.parametrize(
    ("permanent_id", "owner", "line"),
    [
        (TANZ, False, None),
        (TANZ, True, "contact: none"),
        (TANZ, True, "email: tanz@public.example\ncontact: email"),
        ("00000000-0000-4000-8000-000000000000", True, None),
        ("not-an-id", True, None),
    ],
    ids=["no-owner-record", "contact-none", "contact-email", "no-such-profile", "malformed-id"],
)
def test_a_profile_that_cannot_be_written_to_answers_like_every_other(
    contact, clock, bare_repo, tmp_path, permanent_id, owner, line
):
    if line:
        set_contact(bare_repo, tmp_path, "tanz-kollektiv", line)
    if owner:
        contact.app.state.service.owners.set(permanent_id, "tanz.owner@owner.example")
    shown = contact.client.get(f"/contact/{permanent_id}?lang=en")
    assert shown.status_code == 404
    assert "This person cannot be written to here." in shown.text
    assert "owner" not in shown.text.lower()
    page = contact.client.get(f"/contact/{ANNA}")
    clock.advance(5)
    data = {**form_tokens(page.text), "name": "B", "address": SENDER, "subject": "S", "message": "M"}
    posted = post(contact, data, permanent_id=permanent_id)
    assert posted.status_code == 404
    # one page for every reason: the body does not tell an owner record from none
    unknown = contact.client.get("/contact/11111111-1111-4111-8111-111111111111?lang=en")
    assert shown.text == unknown.text
    assert waiting_rows(contact.app.state.config) == 0


def test_limits_per_sender_and_per_recipient(config, clock, bare_repo, smtp):
    limited = replace(mail_config_for(config, smtp), contact_sender_daily=2, contact_recipient_daily=1)
    running = service(limited, clock, bare_repo, smtp)
    owners = running.app.state.service.owners
    owners.set(ANNA, OWNER)
    owners.set(TANZ, "tanz.owner@owner.example")
    try:
        # a sender writing to many owners: the sender's daily count covers all of them
        assert post(running, fill(running, clock, TANZ), permanent_id=TANZ).status_code == 202
        assert post(running, fill(running, clock)).status_code == 202
        over = post(running, fill(running, clock))
        assert over.status_code == 429
        assert int(over.headers["Retry-After"]) > 0
        assert (
            post(running, fill(running, clock, address="B@SENDER.example".replace("B", "ben"))).status_code
            == 429
        )
        work(running)
        assert len(mails_to(smtp, SENDER)) == 2
        # the recipient's count: one confirmed message a day; a second sender is refused
        link = confirm_link(mails_to(smtp, SENDER)[-1])
        assert running.client.post(link, headers={"Origin": SITE_ORIGIN}).status_code == 200
        assert post(running, fill(running, clock, address="cleo@sender.example")).status_code == 429
        # the next day the limits are lifted
        clock.advance(86400)
        assert post(running, fill(running, clock, address="cleo@sender.example")).status_code == 202
    finally:
        running.app.state.spool.close()
        running.app.state.service.contacts.close()


def test_the_profile_page_links_to_the_form_only_for_contact_form(fixture_site):
    """With CUCON_BOT_URL, a profile with ``contact: form`` (or none given and no address) links to
    the contact form, its name escaped; ``contact: none`` shows neither link nor address."""
    profiles = fixture_site / "content" / "profiles"
    tanz = profiles / "tanz-kollektiv.md"
    tanz.write_text(
        tanz.read_text("utf-8").replace("\nlang: de\n", "\nlang: de\ncontact: none\n", 1), "utf-8"
    )
    anna = profiles / "anna-kowalska.md"
    anna.write_text(
        anna.read_text("utf-8").replace("name: Anna Kowalska", "name: Anna <Kowalska> & Co"), "utf-8"
    )
    result = build_in_process(
        fixture_site, CUCON_BOT_URL="https://forms.cucon.example/", CUCON_SEARCH_INDEX=False
    )
    assert result.returncode == 0, result.log
    output = fixture_site / "output"
    anna_page = (output / "profiles" / "anna-kowalska" / "index.html").read_text("utf-8")
    assert f'href="https://forms.cucon.example/contact/{ANNA}?lang=de"' in anna_page
    assert "Schreib Anna &lt;Kowalska&gt; &amp; Co" in anna_page
    english = next(p for p in output.rglob("anna-kowalska/index.html") if "/en/" in p.as_posix())
    assert "Write to Anna &lt;Kowalska&gt; &amp; Co" in english.read_text("utf-8")
    tanz_page = (output / "profiles" / "tanz-kollektiv" / "index.html").read_text("utf-8")
    assert "/contact/" not in tanz_page
    assert "email-link" not in tanz_page
    shutil.rmtree(output)
    result = build_in_process(fixture_site, CUCON_SEARCH_INDEX=False)
    assert result.returncode == 0, result.log
    assert "/contact/" not in (output / "profiles" / "anna-kowalska" / "index.html").read_text("utf-8")


def test_a_waiting_message_survives_key_rotation(contact, config, clock, bare_repo, smtp):
    """The contact tables follow the store's convention: ``rotate-key`` re-seals them, and a message
    waiting for its link is delivered under the new key alone."""
    assert post(contact, fill(contact, clock)).status_code == 202
    work(contact)
    link = confirm_link(mails_to(smtp, SENDER)[0])
    contact.app.state.service.contacts.close()
    contact.app.state.service.owners.close()
    new = new_key()
    counts = rotate(config.private_path, Vault((new, DATA_KEY)))
    assert counts["contact_messages"] == 1
    rotated = replace(mail_config_for(config, smtp), data_keys=(new,))
    running = service(rotated, clock, bare_repo, smtp)
    try:
        assert running.client.post(link, headers={"Origin": SITE_ORIGIN}).status_code == 200
        work(running)
        [delivered] = mails_to(smtp, OWNER)
        assert MESSAGE in delivered.get_content().replace("\r\n", "\n")
    finally:
        running.app.state.spool.close()
        running.app.state.service.contacts.close()


def test_contact_email_without_a_published_address_is_a_problem(root):
    """``contact: email`` needs an ``email``; the problem has its code and a German sentence."""
    path = next((root / "content" / "profiles").glob("*.md"))
    text = path.read_text("utf-8")
    text = re.sub(r"(?m)^email: .*\n", "", text).replace("\nlang: ", "\ncontact: email\nlang: ", 1)
    path.write_text(text, "utf-8")
    problems = [p for p in load_site(root / "content").problems if p.code == "contact-email-without-address"]
    assert problems, "contact: email without an address passed"
    assert sentence("contact-email-without-address", {}, "de").startswith("„contact“ ist „email“")
    path.write_text(text.replace("contact: email", "contact: none"), "utf-8")
    assert not [p for p in load_site(root / "content").problems if p.code == "contact-email-without-address"]


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"CUCON_BOT_ABUSE_ADDRESS": "staff@example.org\r\nBcc: x@example.org"}, "ABUSE_ADDRESS"),
        ({"CUCON_BOT_ABUSE_ADDRESS": "a@example.org, b@example.org"}, "ABUSE_ADDRESS"),
        ({"CUCON_BOT_CONTACT_MAX_MESSAGE": "0"}, "CONTACT_MAX_MESSAGE"),
        ({"CUCON_BOT_CONTACT_SENDER_DAILY": "many"}, "CONTACT_SENDER_DAILY"),
    ],
)
def test_contact_settings_are_checked(env, named):
    with pytest.raises(ConfigError, match=named):
        BotConfig.from_env({**BASE_ENV, **env})
