"""A call in a profile's name waits for the owner's yes: the real app, a real SMTP server on 127.0.0.1
(aiosmtpd), a local bare repository and the real private store.

The owner record is set directly through the service's OwnerStore (how it comes to be is the owner
flow's). The app runs without its lifespan: each test drives the worker with ``run_once`` and moves
the app's clock where time matters.
"""

from __future__ import annotations

import re
import secrets

import pytest
from support import (
    PUBLIC_URL,
    SENDER,
    SITE_ORIGIN,
    branches,
    fill_form,
    link_of,
    post,
)

from cucon.bot.approval import APPROVAL_SECONDS, approval_message
from cucon.catalog import bilingual

TANZ = "12fe0ad3-a91e-4c65-8c2e-0c9d774a476e"
"""The permanent id of the fixture site's profile tanz-kollektiv, the calls' organiser."""
OWNER = "owner@tanz-kollektiv.example"
POSTER = "organiser@example.org"
"""The address the call form's e-mail field holds (support.call_form)."""
APPROVE_LINK = re.compile(r"http://testserver/approve/([A-Za-z0-9_-]{43})\?lang=de\b")
"""The owner's link: the page opens in the language of the owner's mail (German here)."""
CONFIRMED = "✅ **Veranstalter bestätigt / Organiser confirmed.**"
UNCONFIRMED = "⚠️ **Veranstalter nicht bestätigt / Organiser not confirmed.**"
WAITS_FOR_OWNER = "wenn die Person, der das Profil gehört, zustimmt"


def rounds(app, count: int = 2) -> None:
    """Let the worker run: confirmation mails, the owners' mails, proposals."""
    for _ in range(count):
        app.state.worker.run_once()


def mails_to(smtp, address: str) -> list:
    return [message for recipients, message in smtp.messages if recipients == [address]]


def posted_and_confirmed(mailing, clock, **changes) -> str:
    """Post a call (organiser tanz-kollektiv unless changed), and confirm the poster's own address;
    return the confirmation page."""
    app, client = mailing.app, mailing.client
    response = post(client, "call", fill_form(client, clock, "call", **changes))
    assert response.status_code == 202, response.text
    rounds(app, 1)
    [confirmation] = mails_to(mailing.smtp, POSTER)
    page = client.post(link_of(confirmation))
    assert page.status_code == 200, page.text
    rounds(app)
    return page.text


def held(mailing, clock, **changes) -> str:
    """A call naming tanz-kollektiv, whose owner is on record, confirmed by its poster: the token of the
    owner's mail. No branch yet."""
    mailing.app.state.service.owners.set(TANZ, OWNER)
    page = posted_and_confirmed(mailing, clock, **changes)
    assert WAITS_FOR_OWNER in page  # the poster learns that the organiser must agree, not who that is
    assert OWNER not in page
    [mail] = mails_to(mailing.smtp, OWNER)
    [token] = set(APPROVE_LINK.findall(mail.get_body(("plain",)).get_content()))
    assert mailing.host.changes == []
    return token


def act(client, what: str, token: str, origin: str = SITE_ORIGIN):
    return client.post(f"/{what}/{token}", headers={"Origin": origin})


# --- the flows ------------------------------------------------------------------------------------


def test_no_branch_until_the_owner_approves_then_confirmed(mailing, clock, bare_repo):
    """The call waits in the state approval (counted in /healthz); the owner's mail is bilingual, names
    the profile and the title, and carries neither address; approving opens the pull request that
    says "Organiser confirmed", with the organiser and every new link in its summary."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    token = held(mailing, clock, body="Siehe [Infos](https://infos.example/call).")
    assert branches(bare_repo) == []
    assert app.state.spool.counts()["approval"] == 1
    assert client.get("/healthz").json()["spool"]["approval"] == 1
    [mail] = mails_to(smtp, OWNER)
    assert mail["Subject"] == bilingual("approval.subject")
    assert mail["From"] == SENDER
    text = mail.get_body(("plain",)).get_content()
    assert "„Tanz-Kollektiv“" in text
    assert "“Tanz-Kollektiv”" in text
    assert "»Klangräume 2027«" in text
    assert POSTER not in mail.as_string()
    assert "infos.example" not in mail.as_string()
    assert f'href="{PUBLIC_URL}/approve/{token}?lang=de"' in mail.get_body(("html",)).get_content()
    [confirmation] = mails_to(smtp, POSTER)
    assert OWNER not in confirmation.as_string()

    page = client.get(f"/approve/{token}")
    assert page.status_code == 200
    assert "Klangräume 2027" in page.text
    assert "<code>https://infos.example/call</code>" in page.text
    assert f'action="/approve/{token}?lang=de"' in page.text
    assert f'action="/decline/{token}?lang=de"' in page.text
    rounds(app)
    assert branches(bare_repo) == []  # opening the page (a mail scanner, say) approves nothing

    answer = act(client, "approve", token)
    assert answer.status_code == 200
    assert "bestätigt" in answer.text
    rounds(app)
    [branch] = branches(bare_repo)
    assert branch.startswith("submissions/call/klangraume-2027-")
    [change] = mailing.host.changes
    assert CONFIRMED in change.body
    assert UNCONFIRMED not in change.body
    assert "organiser-unconfirmed" not in change.labels
    assert "Organiser: profile `tanz-kollektiv` (`Tanz-Kollektiv`)" in change.body
    assert "New link: `https://infos.example/call`" in change.body
    assert "New link: `mailto:bewerbung@example.org`" in change.body
    assert OWNER not in change.body
    assert POSTER not in change.body


def test_declining_deletes_the_call_and_no_branch_ever_appears(mailing, clock, bare_repo):
    app, client = mailing.app, mailing.client
    token = held(mailing, clock)
    answer = act(client, "decline", token)
    assert answer.status_code == 200
    assert "abgelehnt" in answer.text
    assert "Tanz-Kollektiv" not in answer.text
    assert OWNER not in answer.text
    rounds(app, 3)
    clock.advance(APPROVAL_SECONDS + 1)
    rounds(app, 2)
    assert branches(bare_repo) == []
    assert mailing.host.changes == []
    assert sum(app.state.spool.counts().values()) == 0  # the entry is gone with its files


def test_an_unanswered_call_expires_after_7_days(mailing, clock, bare_repo):
    app, client = mailing.app, mailing.client
    token = held(mailing, clock)
    clock.advance(APPROVAL_SECONDS - 60)
    rounds(app)
    assert app.state.spool.counts()["approval"] == 1  # not yet
    clock.advance(120)
    rounds(app)
    assert sum(app.state.spool.counts().values()) == 0
    assert client.get(f"/approve/{token}").status_code == 404
    assert branches(bare_repo) == []


def test_an_owner_address_refused_for_good_deletes_the_call(mailing, clock, bare_repo):
    """A 5xx to the owner's address: the yes can never come, so the call goes, as an unconfirmable one does."""
    app, client = mailing.app, mailing.client
    app.state.service.owners.set(TANZ, OWNER)
    response = post(client, "call", fill_form(client, clock, "call"))
    assert response.status_code == 202
    rounds(app, 1)
    [confirmation] = mails_to(mailing.smtp, POSTER)
    mailing.smtp.refuse = "550 no such user"
    assert client.post(link_of(confirmation)).status_code == 200
    rounds(app, 3)
    assert sum(app.state.spool.counts().values()) == 0
    assert branches(bare_repo) == []
    assert mails_to(mailing.smtp, OWNER) == []


def test_without_an_owner_record_the_pull_request_is_marked_not_confirmed(mailing, clock, bare_repo):
    assert WAITS_FOR_OWNER not in posted_and_confirmed(mailing, clock)
    [change] = mailing.host.changes
    assert UNCONFIRMED in change.body
    assert CONFIRMED not in change.body
    assert "organiser-unconfirmed" in change.labels
    assert "new-call" in change.labels
    assert [recipients for recipients, _ in mailing.smtp.messages] == [[POSTER]]


def test_a_call_with_a_free_name_needs_nobody(mailing, clock, bare_repo):
    mailing.app.state.service.owners.set(TANZ, OWNER)
    posted_and_confirmed(mailing, clock, organiser_profile="", organiser_name="Freie Gruppe Hannover")
    [change] = mailing.host.changes
    assert CONFIRMED not in change.body
    assert UNCONFIRMED not in change.body
    assert "Organiser: `Freie Gruppe Hannover` (no profile)" in change.body
    assert "organiser-unconfirmed" not in change.labels
    assert mails_to(mailing.smtp, OWNER) == []


def test_the_owners_own_call_is_confirmed_without_a_second_mail(mailing, clock, bare_repo):
    """The poster's confirmed address is the owner's: their confirmation is the yes."""
    mailing.app.state.service.owners.set(TANZ, POSTER.upper())  # compared case-folded
    posted_and_confirmed(mailing, clock)
    [change] = mailing.host.changes
    assert CONFIRMED in change.body
    assert len(mailing.smtp.messages) == 1


def test_an_owner_record_set_after_the_post_still_holds_the_call(mailing, clock, bare_repo):
    """The worker asks at the last moment, so an owner recorded while the poster's mail was out counts."""
    app, client = mailing.app, mailing.client
    response = post(client, "call", fill_form(client, clock, "call"))
    assert response.status_code == 202
    rounds(app, 1)
    app.state.service.owners.set(TANZ, OWNER)
    [confirmation] = mails_to(mailing.smtp, POSTER)
    assert client.post(link_of(confirmation)).status_code == 200
    rounds(app)
    assert branches(bare_repo) == []
    assert len(mails_to(mailing.smtp, OWNER)) == 1


# --- attacks --------------------------------------------------------------------------------------


def forged(token: str) -> str:
    return secrets.token_urlsafe(32)


def poster_link(mailing, token: str) -> str:
    """The poster's own confirmation token, used at the owner's address."""
    [confirmation] = mails_to(mailing.smtp, POSTER)
    return link_of(confirmation).rsplit("/", 1)[1]


ATTACKS = [
    # what, the token used (from the real one), steps before (answer, clock), then what is tried, and the
    # answer's status; whether the call is proposed in the end
    ("forged token, approve", forged, [], "approve", 404, False),
    ("forged token, decline", forged, [], "decline", 404, False),
    ("forged token, page", forged, [], "page", 404, False),
    ("token of the wrong shape", lambda token: token[:20] + "%2E%2E", [], "approve", 404, False),
    ("the poster's own confirmation link", None, [], "approve", 404, False),
    ("expired token", lambda token: token, [("wait", APPROVAL_SECONDS + 1)], "approve", 404, False),
    ("approve twice", lambda token: token, [("approve", 200)], "approve", 200, True),
    ("decline after approve", lambda token: token, [("approve", 200)], "decline", 409, True),
    ("approve after decline", lambda token: token, [("decline", 200)], "approve", 409, False),
    ("decline twice", lambda token: token, [("decline", 200)], "decline", 200, False),
    ("approve from another site", lambda token: token, [], "approve-foreign", 403, False),
]  # fmt: skip


@pytest.mark.parametrize(("token_of", "before", "tried", "status", "proposed"),
                         [row[1:] for row in ATTACKS], ids=[row[0] for row in ATTACKS])  # fmt: skip
def test_an_approval_link_cannot_be_forged_reused_or_turned(
    mailing, clock, bare_repo, token_of, before, tried, status, proposed
):
    app, client = mailing.app, mailing.client
    real = held(mailing, clock)
    for step, value in before:
        if step == "wait":
            clock.advance(value)
            rounds(app)
        else:
            assert act(client, step, real).status_code == value
    token = poster_link(mailing, real) if token_of is None else token_of(real)
    if tried == "page":
        answer = client.get(f"/approve/{token}")
    elif tried == "approve-foreign":
        answer = act(client, "approve", token, origin="https://evil.example")
    else:
        answer = act(client, tried, token)
    assert answer.status_code == status, answer.text
    rounds(app)
    assert len(branches(bare_repo)) == int(proposed)
    assert len(mailing.host.changes) == int(proposed)
    assert len(mails_to(mailing.smtp, OWNER)) == 1  # never a second mail to the owner


@pytest.mark.parametrize(
    "slug", ["../../etc/passwd", "tanz-kollektiv/../anna-kowalska", "x'); DROP TABLE owners;--", "%2e%2e"]
)
def test_a_slug_that_looks_like_a_path_or_sql_is_refused_and_asks_nobody(mailing, clock, bare_repo, slug):
    app, client = mailing.app, mailing.client
    app.state.service.owners.set(TANZ, OWNER)
    response = post(client, "call", fill_form(client, clock, "call", organiser_profile=slug))
    assert response.status_code == 422
    rounds(app)
    assert mailing.smtp.messages == []
    assert branches(bare_repo) == []
    assert app.state.service.owners.ids() == [TANZ]


def test_a_javascript_link_is_shown_as_text_to_the_owner_and_to_staff(mailing, clock, bare_repo):
    app, client = mailing.app, mailing.client
    token = held(mailing, clock, body="[Hier bewerben](javascript:alert(document.cookie))")
    page = client.get(f"/approve/{token}")
    assert "<code>javascript:alert(document.cookie)</code>" in page.text
    assert "javascript:" not in re.sub(r"<code>[^<]*</code>|<pre[^>]*>[^<]*</pre>", "", page.text)
    assert "javascript:" not in mails_to(mailing.smtp, OWNER)[0].as_string()
    act(client, "approve", token)
    rounds(app)
    [change] = mailing.host.changes
    assert "New link: `javascript:alert(document.cookie)`" in change.body


@pytest.mark.parametrize(
    "title", ["Klang\r\nBcc: victim@evil.example", "Klang\nSubject: Gewonnen", "Klang\x00\u2028x"]
)
def test_line_breaks_in_a_title_never_reach_the_mails_headers(title):
    """The subject is fixed; the title is one line of the body, cut."""
    message = approval_message(SENDER, OWNER, f"{PUBLIC_URL}/approve/x", "Tanz-Kollektiv", title)
    assert message["Subject"] == bilingual("approval.subject")
    assert sorted(message.keys()) == sorted(
        ["Subject", "From", "To", "Date", "Message-ID", "Auto-Submitted", "Content-Language",
         "Content-Type", "MIME-Version"]
    )  # fmt: skip
    assert message["To"] == OWNER
    assert "victim" not in message["To"]
    text = message.get_body(("plain",)).get_content()
    shown = [line.strip() for line in text.splitlines() if line.strip().startswith("»")]
    assert len(shown) == 2  # German, then English
    assert all(line.startswith("»Klang") and line.endswith("«") for line in shown)


def test_a_crlf_title_through_the_form_reaches_no_header(mailing, clock, bare_repo):
    held(mailing, clock, title="Klangräume\r\nBcc: victim@evil.example")
    [mail] = mails_to(mailing.smtp, OWNER)
    assert mail["Bcc"] is None
    assert mail["Subject"] == bilingual("approval.subject")
    assert [recipients for recipients, _ in mailing.smtp.messages] == [[POSTER], [OWNER]]
