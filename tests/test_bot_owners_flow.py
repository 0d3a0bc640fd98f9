"""Owners: the record made by the double opt-in of a new profile or by staff, the edit link mailed to the
owner only (/manage), and the record dropped by a withdrawal or by ``cucon remove``.

Everything runs through the real app, a real SMTP server on 127.0.0.1 (support.SmtpServer) and the
plain-git host pushing to a local bare repository; the worker is stepped with ``run_once``.
"""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing

import pytest
from support import (
    PROFILE,
    PUBLIC_URL,
    SITE_ORIGIN,
    bot_command,
    branch_like,
    branches,
    edit_post,
    fill,
    fill_form,
    form_tokens,
    git,
    link_of,
    output_of,
    post,
    run_cucon,
    send,
)

from cucon.bot.mail import token_hash
from cucon.bot.owners import OwnerStore
from cucon.bot.ownership import LINK_SECONDS, LINKS_PER_DAY, Ownership
from cucon.bot.spool import CONFIRM_SECONDS
from cucon.bot.vault import Vault, new_key, rotate

OWNER = PROFILE["email"]
STRANGER = "mallory@example.net"
EDIT = re.compile(re.escape(PUBLIC_URL) + r"/edit/([A-Za-z0-9_-]{43})\?lang=(?:de|en)")


def mails_since(smtp, count: int) -> list:
    """The (recipients, message) pairs the server got after the first ``count``."""
    return smtp.messages[count:]


def edit_tokens(message) -> list[str]:
    """The edit links' tokens of a mail, checked to be the same in its text and HTML parts."""
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    tokens = sorted(set(EDIT.findall(text)))
    assert tokens == sorted(set(EDIT.findall(page)))
    return tokens


def ask(client, clock, email: str, lang: str = "de", **extra):
    """Fetch /manage, wait as a person would, and ask for a link for the address ``email``."""
    page = client.get(f"/manage?lang={lang}")
    assert page.status_code == 200
    clock.advance(5)
    data = {**form_tokens(page.text), "email": email, **extra}
    return client.post("/manage", data=data, headers={"Origin": SITE_ORIGIN})


def publish(bare_repo, client) -> None:
    """ "Merge" the profile's branch into main, and let the service see it at once."""
    branch = branch_like(bare_repo, r"submissions/profile/erika-muster-[0-9a-f]{10}")
    git(bare_repo, "push", "-q", ".", f"{branch}:main")
    client.app.state.checkout._refreshed = None


def confirmed_profile(mailing, clock):
    """Post a profile, confirm it from the mailbox and propose it; its permanent id and the post's answer."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    answer = send(client, fill(client, clock))
    assert answer.status_code == 202
    app.state.worker.run_once()
    [(recipients, mail)] = smtp.messages
    assert recipients == [OWNER]
    assert client.post(link_of(mail)).status_code == 200
    app.state.worker.run_once()
    permanent_id = app.state.spool.get(1).permanent_id
    assert app.state.service.owners.address(permanent_id) == OWNER
    return permanent_id, answer


def owned_profile(mailing, clock, bare_repo) -> str:
    """A confirmed profile, published; its permanent id."""
    permanent_id, _ = confirmed_profile(mailing, clock)
    publish(bare_repo, mailing.client)
    return permanent_id


def private_bytes(config) -> bytes:
    """Every byte of the private store's SQLite files."""
    return b"".join(p.read_bytes() for p in config.workdir.glob("private.sqlite3*"))


def test_the_same_content_twice_gives_the_second_poster_nothing_and_only_the_owner_a_link(
    mailing, clock, bare_repo, caplog
):
    """The issue's scenario: the same fields and photo posted again the same day get the same page and
    no mail; /manage with a stranger's address mails nobody; with the owner's, the owner alone gets a
    link, and that link edits."""
    caplog.set_level("INFO", logger="cucon")
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    permanent_id, first = confirmed_profile(mailing, clock)
    second = send(client, fill(client, clock, email=STRANGER))  # the same fields and photo, the same day
    assert first.status_code == second.status_code == 202
    assert first.text == second.text
    assert "/edit/" not in second.text
    app.state.worker.run_once()
    assert [r for r, _ in smtp.messages] == [[OWNER]]  # the second poster's address got nothing
    publish(bare_repo, client)

    stranger = ask(client, clock, STRANGER)
    app.state.worker.run_once()
    assert smtp.messages[1:] == []
    owner = ask(client, clock, OWNER)
    assert (stranger.status_code, stranger.text) == (owner.status_code, owner.text) == (202, owner.text)
    assert "ein Link unterwegs" in owner.text
    app.state.worker.run_once()
    [(recipients, links_mail)] = mails_since(smtp, 1)
    assert recipients == [OWNER]
    assert links_mail["To"] == OWNER
    [token] = edit_tokens(links_mail)
    assert "24" in links_mail.get_body(("plain",)).get_content()

    page = client.get(f"/edit/{token}")
    assert page.status_code == 200
    assert 'value="Erika Muster"' in page.text
    clock.advance(5)
    changed = {**form_tokens(page.text), **PROFILE, "summary": "Sängerin und Chorleiterin in Hannover."}
    assert edit_post(client, token, changed).status_code == 202
    app.state.worker.run_once()
    assert any(b.startswith("submissions/update/erika-muster-") for b in branches(bare_repo))
    assert app.state.service.owners.address(permanent_id) == OWNER  # an update keeps the owner

    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records)
    for private in (OWNER, STRANGER, token, token_hash(token)):
        assert private not in logged
    assert OWNER.encode() not in private_bytes(app.state.config)  # sealed


def test_a_link_works_once_and_an_old_link_answers_410(mailing, clock, bare_repo):
    """A spent link, a run-out link and a link minted on a post before owners answer 410 in German and
    English with the way to /manage; a token never made, or of the wrong shape, 404."""
    app, client = mailing.app, mailing.client
    permanent_id = owned_profile(mailing, clock, bare_repo)
    ownership = app.state.service.ownership
    spent = ownership.mint(permanent_id)
    page = client.get(f"/withdraw/{spent}")
    assert page.status_code == 200
    ownership.spend(token_hash(spent))
    run_out = ownership.mint(permanent_id)
    clock.advance(LINK_SECONDS + 1)
    old = "O" * 43
    with closing(sqlite3.connect(app.state.config.spool_path)) as db:
        db.execute("INSERT INTO edit_links VALUES (?, '', 'profile', 0, NULL)", (token_hash(old),))
        db.commit()
    for token in (spent, run_out, old):
        for answer in (
            client.get(f"/edit/{token}?lang=en"),
            client.get(f"/withdraw/{token}"),
            client.post(f"/withdraw/{token}", headers={"Origin": SITE_ORIGIN}),
            edit_post(client, token, {}),
        ):
            assert answer.status_code == 410, token
            assert "Fordern Sie einen neuen an" in answer.text
            assert "Ask for a new one" in answer.text
            assert 'href="/manage?lang=de"' in answer.text
            assert 'href="/manage?lang=en"' in answer.text
    for token in ("N" * 43, "short", "A" * 42 + "!"):
        assert client.get(f"/edit/{token}").status_code == 404
    assert branches(bare_repo) == [branch_like(bare_repo, r"submissions/profile/erika-muster-[0-9a-f]{10}")]


def test_withdrawing_through_the_owner_s_link_drops_the_record(mailing, clock, bare_repo):
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    permanent_id = owned_profile(mailing, clock, bare_repo)
    ask(client, clock, OWNER)
    app.state.worker.run_once()
    [token] = edit_tokens(smtp.messages[-1][1])
    response = client.post(f"/withdraw/{token}", headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 202, response.text
    assert app.state.service.owners.has(permanent_id)  # until the withdrawal is proposed
    app.state.worker.run_once()
    assert any(b.startswith("submissions/withdraw/erika-muster-") for b in branches(bare_repo))
    assert not app.state.service.owners.has(permanent_id)
    count = len(smtp.messages)
    ask(client, clock, OWNER)
    app.state.worker.run_once()
    assert len(smtp.messages) == count  # no owner: nobody is mailed


def test_cucon_remove_and_the_next_sync_drop_the_record(mailing, clock, bare_repo, tmp_path):
    """The tombstone `cucon remove` writes names the permanent id: once it is on main, the worker drops
    the owner record (after the checkout's next refresh), and `cucon bot sync` does it at once."""
    app = mailing.app
    owners = app.state.service.owners
    checkout = app.state.checkout.path
    ids = {slug: profile_id_of(checkout, slug) for slug in ("anna-kowalska", "tanz-kollektiv")}
    for slug, permanent_id in ids.items():
        owners.set(permanent_id, f"{slug}@example.org")
    remove_on_main(bare_repo, tmp_path / "staff", "anna-kowalska")
    app.state.worker.run_once()
    assert owners.has(ids["anna-kowalska"])  # the checkout has not seen main yet
    with app.state.checkout.lock:
        app.state.checkout._refreshed = None
        app.state.checkout.refresh()
    app.state.worker.run_once()
    assert not owners.has(ids["anna-kowalska"])
    assert owners.has(ids["tanz-kollektiv"])  # a profile merely absent is not dropped; this one is there

    remove_on_main(bare_repo, tmp_path / "staff", "tanz-kollektiv")
    result = bot_command(app.state.config, "sync")
    assert result.returncode == 0, output_of(result)
    assert not owners.has(ids["tanz-kollektiv"])


def test_staff_set_an_owner_with_its_opt_in(mailing, clock, bare_repo):
    """`cucon bot owner set SLUG` reads the address from stdin and mails an opt-in link; its page (GET)
    changes nothing, its button (POST) records the owner; list shows no address; drop erases."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    owners = app.state.service.owners
    address = "Anna.Kowalska@example.org"
    permanent_id = profile_id_of(app.state.checkout.path, "anna-kowalska")
    result = bot_command(app.state.config, "owner", "set", "anna-kowalska", stdin=f"{address}\n")
    assert result.returncode == 0, output_of(result)
    assert address not in output_of(result)
    [(recipients, mail)] = smtp.messages
    assert recipients == [address]
    text = mail.get_body(("plain",)).get_content()
    [path] = set(re.findall(re.escape(PUBLIC_URL) + r"(/owner/[A-Za-z0-9_-]{43})", text))
    assert client.get(path).status_code == 200
    assert not owners.has(permanent_id)  # a mail scanner opening the link sets nothing
    confirmed = client.post(path)
    assert confirmed.status_code == 200
    assert 'href="/manage?lang=en"' in confirmed.text
    assert owners.address(permanent_id) == address
    assert client.post(path).status_code == 404  # used

    listing = bot_command(app.state.config, "owner", "list")
    assert listing.returncode == 0
    assert f"{permanent_id}\tanna-kowalska" in listing.stdout
    assert "@" not in output_of(listing)
    ask(client, clock, "anna.kowalska@EXAMPLE.org")
    app.state.worker.run_once()
    assert smtp.messages[-1][0] == [address]
    assert bot_command(app.state.config, "owner", "drop", "anna-kowalska").returncode == 0
    assert not owners.has(permanent_id)
    for refused in (("owner", "set", "../../etc/passwd"), ("owner", "set", "no-such-profile")):
        assert bot_command(app.state.config, *refused, stdin=f"{address}\n").returncode == 1
    # stdin gives one line (a CR or LF ends it); two addresses on it are no address
    bad = bot_command(app.state.config, "owner", "set", "anna-kowalska", stdin="a@example.org, b@x.org\n")
    assert bad.returncode == 1
    assert len(smtp.messages) == 2


OTHER = "zoë@example.org"
"""A second owner, whose address is not ASCII (stored in NFC)."""

MANAGE_ATTACKS = {
    "a stranger's address": ({"email": STRANGER}, []),
    "the address of another owner": ({"email": OTHER}, [OTHER]),
    "the owner's address in capitals": ({"email": OWNER.upper()}, [OWNER]),
    "another owner's address decomposed (NFD)": ({"email": "zoe\u0308@example.org"}, [OTHER]),
    "a look-alike letter (Cyrillic е)": ({"email": OWNER.replace("e", "\u0435", 1)}, []),
    "CR/LF and a Bcc header": ({"email": f"{STRANGER}\r\nBcc: {OWNER}"}, []),
    "two addresses": ({"email": f"{STRANGER}, {OWNER}"}, []),
    "the honeypot filled in": ({"email": OWNER, "website_url": "http://spam.example"}, []),
}
"""What /manage is sent, and who may receive a mail for it: always the same 202 page."""


@pytest.mark.parametrize("attack", MANAGE_ATTACKS, ids=list(MANAGE_ATTACKS))
def test_manage_mails_owners_only_and_always_answers_the_same(attack, mailing, clock, bare_repo):
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    permanent_id = owned_profile(mailing, clock, bare_repo)
    other_id = profile_id_of(app.state.checkout.path, "tanz-kollektiv")
    app.state.service.owners.set(other_id, OTHER)
    baseline = ask(client, clock, STRANGER)
    app.state.worker.run_once()
    count = len(smtp.messages)
    fields, recipients = MANAGE_ATTACKS[attack]
    answer = ask(client, clock, **fields)
    app.state.worker.run_once()
    assert (answer.status_code, answer.text) == (202, baseline.text)
    sent = mails_since(smtp, count)
    assert [to for to, _ in sent] == [[r] for r in recipients]
    for to, mail in sent:
        [token] = edit_tokens(mail)
        expected = other_id if to == [OTHER] else permanent_id
        assert app.state.service.ownership.link(token_hash(token)).permanent_id == expected
    assert not app.state.service.ownership._rows("SELECT 1 FROM manage_requests")  # nothing left behind


def test_manage_without_the_spam_check_mails_nobody(mailing, clock, bare_repo):
    """No proof of work, a form sent at once, or a foreign Origin: the form again (422) or 403; no mail."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    owned_profile(mailing, clock, bare_repo)
    page = client.get("/manage")
    tokens = form_tokens(page.text)
    no_pow = client.post(
        "/manage", data={**tokens, "pow": "", "email": OWNER}, headers={"Origin": SITE_ORIGIN}
    )
    assert no_pow.status_code == 422
    assert 'name="email"' in no_pow.text
    clock.advance(5)
    foreign = client.post(
        "/manage", data={**tokens, "email": OWNER}, headers={"Origin": "https://evil.example"}
    )
    assert foreign.status_code == 403
    app.state.worker.run_once()
    assert len(smtp.messages) == 1  # the confirmation only


def test_asking_again_and_again_mails_the_owner_a_few_links_a_day(mailing, clock, bare_repo):
    """Whoever knows an owner's address cannot flood the mailbox: at most LINKS_PER_DAY links a day."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    assert app.state.config.rate_limit[0] > LINKS_PER_DAY + 3  # the limit that stops is the store's
    owned_profile(mailing, clock, bare_repo)
    for _ in range(LINKS_PER_DAY + 2):
        assert ask(client, clock, OWNER).status_code == 202
        app.state.worker.run_once()
    assert len(smtp.messages) == 1 + LINKS_PER_DAY
    clock.advance(LINK_SECONDS)
    ask(client, clock, OWNER)
    app.state.worker.run_once()
    assert len(smtp.messages) == 2 + LINKS_PER_DAY


def test_an_unconfirmed_profile_leaves_no_owner_and_a_call_makes_none(mailing, clock, bare_repo):
    """The pending owner of a profile whose link runs out is erased with it; a call's sender (who
    confirms their address too) owns nothing: only profiles have owners."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    ownership = app.state.service.ownership
    assert send(client, fill(client, clock)).status_code == 202
    assert post(client, "call", fill_form(client, clock, "call")).status_code == 202
    app.state.worker.run_once()
    assert len(smtp.messages) == 2
    assert len(ownership._rows("SELECT 1 FROM pending_owners")) == 1  # the profile's only
    profile_mail = next(mail for to, mail in smtp.messages if to == [OWNER])
    assert client.get(link_of(profile_mail).replace("/confirm/", "/owner/")).status_code == 404  # not staff's
    call_mail = next(mail for to, mail in smtp.messages if to != [OWNER])
    assert client.post(link_of(call_mail)).status_code == 200
    app.state.worker.run_once()
    assert app.state.service.owners.ids() == []
    clock.advance(CONFIRM_SECONDS + 1)
    app.state.worker.run_once()
    assert ownership._rows("SELECT 1 FROM pending_owners") == []
    assert app.state.spool.counts()["awaiting"] == 0


def test_rotation_re_seals_the_pending_owners_and_requests(tmp_path):
    """`cucon bot rotate-key` walks these tables too (their columns follow the vault's convention): after
    rotating to a new key, with the old one gone, a pending owner still confirms and a request opens."""
    old, new = new_key(), new_key()
    path = tmp_path / "private.sqlite3"
    ownership = Ownership(path, Vault([old]), OwnerStore(path, Vault([old])))
    ownership.hold(token_hash("t"), "p-1", OWNER, "post")
    ownership.request(STRANGER, "en")
    ownership.close()
    ownership.owners.close()
    assert rotate(path, Vault([new, old])) == {"pending_owners": 1, "manage_requests": 1, "owners": 0}
    vault = Vault([new])
    ownership = Ownership(path, vault, OwnerStore(path, vault))
    try:
        [(sealed,)] = ownership._rows("SELECT address_sealed FROM manage_requests")
        assert vault.open(sealed) == STRANGER
        assert ownership.confirm(token_hash("t"), "post")
        assert ownership.owners.owned_by(OWNER.upper()) == ["p-1"]
    finally:
        ownership.close()
        ownership.owners.close()


def test_without_mail_there_is_no_manage_page(client):
    assert client.get("/manage").status_code == 404


# --- helpers --------------------------------------------------------------------------------------


def profile_id_of(checkout, slug: str) -> str:
    text = (checkout / "content" / "profiles" / f"{slug}.md").read_text("utf-8")
    return re.search(r"^id: (\S+)$", text, re.M).group(1)


def remove_on_main(bare_repo, clone, slug: str) -> None:
    """Staff run `cucon remove SLUG` in a clone of main and push it."""
    if not clone.exists():
        git(clone.parent, "clone", "-q", str(bare_repo), str(clone))
    git(clone, "pull", "-q")
    removal = run_cucon("remove", slug, cwd=clone)
    assert removal.returncode == 0, output_of(removal)
    git(clone, "add", "-A")
    git(clone, "-c", "user.name=Staff", "-c", "user.email=staff@example.org", "commit", "-q", "-m", "remove")
    git(clone, "push", "-q", "origin", "HEAD:main")
