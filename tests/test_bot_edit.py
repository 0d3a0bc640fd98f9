"""Edit links: an owner's private link, and with it an update or a withdrawal as a new branch.

The flow runs against a real bare repository through the plain-git host, with the
service's fixtures (tests/conftest.py) and helpers (tests/support.py): a submission is "merged" by pushing its branch to
main, and the link then opens the published profile.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
import shutil
import time
from pathlib import Path

import pytest
from support import (
    LINK,
    PROFILE,
    SITE_ORIGIN,
    branch_like,
    branches,
    edit_post,
    fill,
    form_tokens,
    git,
    output_of,
    proposed,
    run_cucon,
    send,
    submit_and_publish,
    wait_for,
)

from cucon.bot.mail import token_hash
from cucon.bot.spool import Spool
from cucon.frontmatter import read_document


def spool_bytes(config) -> bytes:
    """The bytes of the spool's SQLite files (the database and its write-ahead log)."""
    files = [config.spool_path, Path(f"{config.spool_path}-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def private_bytes(config) -> bytes:
    """The bytes of the private store's SQLite files (the database and its write-ahead log)."""
    files = [config.private_path, Path(f"{config.private_path}-wal")]
    return b"".join(path.read_bytes() for path in files if path.exists())


def checkout_of(bare: Path, branch: str, target: Path) -> Path:
    """A clone of one branch."""
    git(target.parent, "clone", "-q", "--branch", branch, str(bare), str(target))
    return target


def test_update_and_withdraw_with_the_private_link(client, clock, bare_repo, config, tmp_path, caplog):
    """Submit, publish, update, withdraw: each with an owner's link, each a branch that passes cucon
    check; each link works once."""
    caplog.set_level("INFO")
    token = submit_and_publish(client, clock, bare_repo)
    stored = spool_bytes(config) + private_bytes(config)
    assert token.encode() not in stored
    assert token_hash(token).encode() in private_bytes(config)

    page = client.get(f"/edit/{token}")
    assert page.status_code == 200
    assert 'value="Erika Muster"' in page.text
    assert "Sängerin in Hannover." in page.text
    assert f'action="/edit/{token}?lang=de"' in page.text

    # without proof of work: no branch
    clock.advance(5)
    bare = {k: v for k, v in form_tokens(page.text).items() if k != "pow"}
    refused = edit_post(client, token, {**bare, **PROFILE, "summary": "Ohne Rechenaufgabe."})
    assert refused.status_code == 422
    time.sleep(0.2)
    assert len(branches(bare_repo)) == 1

    # an update: the same id and slug, the new summary, the photo kept
    page = client.get(f"/edit/{token}")
    clock.advance(5)
    changed = {**form_tokens(page.text), **PROFILE, "summary": "Sängerin und Chorleiterin in Hannover."}
    response = edit_post(client, token, changed)
    assert response.status_code == 202, response.text
    assert not LINK.findall(response.text)
    proposed(client, 2)
    update = branch_like(bare_repo, r"submissions/update/erika-muster-[0-9a-f]{10}")
    clone = checkout_of(bare_repo, update, tmp_path / "update")
    assert git(clone, "diff", "--name-only", "origin/main", "HEAD").split() == [
        "content/profiles/erika-muster.md"
    ]
    old = git(clone, "show", "origin/main:content/profiles/erika-muster.md")
    new = (clone / "content/profiles/erika-muster.md").read_text("utf-8")
    old_id = re.search(r"^id: (\S+)$", old, re.M).group(1)
    assert re.search(r"^id: (\S+)$", new, re.M).group(1) == old_id
    assert "Chorleiterin" in new
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)
    assert "Änderung / Update" in git(clone, "log", "-1", "--format=%B")

    # the update spent the link: it answers 410 and says how to get a new one
    spent = client.get(f"/edit/{token}")
    assert spent.status_code == 410
    assert 'href="/manage?lang=de"' in spent.text
    assert 'href="/manage?lang=en"' in spent.text
    ownership = client.app.state.service.ownership
    token = ownership.mint(client.app.state.spool.get(1).permanent_id)  # the owner asks again

    # a withdrawal: the page asks first, the button removes as `cucon remove` does
    confirm = client.get(f"/withdraw/{token}")
    assert confirm.status_code == 200
    assert f'action="/withdraw/{token}' in confirm.text
    response = client.post(f"/withdraw/{token}", headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 202, response.text
    proposed(client, 3)
    withdraw = branch_like(bare_repo, r"submissions/withdraw/erika-muster-[0-9a-f]{10}")
    clone = checkout_of(bare_repo, withdraw, tmp_path / "withdraw")
    assert not (clone / "content/profiles/erika-muster.md").exists()
    assert not (clone / "content/profiles/erika-muster.jpg").exists()
    removed = (clone / "content/removed.yaml").read_text("utf-8")
    assert "erika-muster" in removed
    assert old_id in removed
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)
    for path in (clone / "content").rglob("*"):
        if path.is_file():
            assert b"Erika Muster" not in path.read_bytes(), path

    # the link is spent (410); a new link's withdrawal says it was already asked for
    assert client.post(f"/withdraw/{token}", headers={"Origin": SITE_ORIGIN}).status_code == 410
    assert client.get(f"/edit/{token}").status_code == 410
    fresh = ownership.mint(client.app.state.spool.get(1).permanent_id)
    again = client.post(f"/withdraw/{fresh}", headers={"Origin": SITE_ORIGIN})
    assert again.status_code == 409
    assert "bereits angefordert" in again.text
    time.sleep(0.2)
    assert len(branches(bare_repo)) == 3
    assert token.encode() not in spool_bytes(config) + private_bytes(config)
    logged = "\n".join(f"{r.getMessage()} {vars(r)}" for r in caplog.records if r.name.startswith("cucon"))
    assert "kind" in logged
    for private in (token, token_hash(token), "Erika", "erika-muster", PROFILE["email"]):
        assert private not in logged


def test_an_unknown_link_is_404_in_both_languages(client):
    for path in ("/edit/" + "A" * 43, "/edit/short", "/withdraw/" + "B" * 43):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Bearbeitungslink" in response.text
        assert "edit link" in response.text
    assert client.post("/withdraw/" + "C" * 43, headers={"Origin": SITE_ORIGIN}).status_code == 404


def test_a_link_before_publication_says_it_is_still_being_reviewed(client, clock, bare_repo):
    response = send(client, fill(client, clock))
    assert response.status_code == 202
    token = client.app.state.service.ownership.mint(client.app.state.spool.get(1).permanent_id)
    page = client.get(f"/edit/{token}?lang=en")
    assert page.status_code == 409
    assert "still being reviewed" in page.text


def test_a_withdrawal_needs_the_site_origin(client, clock, bare_repo):
    token = submit_and_publish(client, clock, bare_repo)
    response = client.post(f"/withdraw/{token}", headers={"Origin": "https://evil.example"})
    assert response.status_code == 403
    time.sleep(0.2)
    assert len(branches(bare_repo)) == 1


def old_spool(path: Path, *statements: str) -> None:
    """A spool file as an earlier release left it: today's, changed by some SQL statements."""
    import sqlite3

    path.parent.mkdir(parents=True, exist_ok=True)
    Spool(path).close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        for statement in statements:
            db.execute(statement)
        db.commit()


def test_an_old_spool_file_loses_the_columns_that_named_a_person(config):
    """A spool file of the earlier release kept a proposed profile's branch and its edit links' slug:
    opened, it loses both columns, and no byte of the slug stays, the write-ahead log included."""
    old_spool(
        config.spool_path,
        "ALTER TABLE submissions ADD COLUMN branch TEXT",
        "ALTER TABLE edit_links ADD COLUMN slug TEXT NOT NULL DEFAULT ''",
        "INSERT INTO submissions (content_hash, kind, slug, title, summary_line, permanent_id, state,"
        " next_attempt, received_at, updated_at, branch) VALUES ('ab', 'profile', '', '', '', 'id-1',"
        " 'proposed', 0, 0, 0, 'submissions/profile/erika-muster-abababab')",
        "INSERT INTO edit_links VALUES ('h', 'id-of-link', 'profile', 0, NULL, 'erika-muster')",
    )
    spool = Spool(config.spool_path)
    try:
        assert spool.minted_on_post("h")  # so that the old link answers 410
        assert spool.get(1).state == "proposed"
    finally:
        spool.close()
    assert b"erika-muster" not in spool_bytes(config)
    assert b"id-of-link" not in spool_bytes(config)  # an old link grants nothing: it names no entry either


def test_an_old_spool_file_gains_the_edit_links(config):
    """A spool file of the earlier release (without the new tables) is migrated when opened."""
    old_spool(config.spool_path, "DROP TABLE edit_links", "DROP TABLE deletions")
    spool = Spool(config.spool_path)
    try:
        assert not spool.minted_on_post(token_hash("t"))
    finally:
        spool.close()
    old_spool(
        config.spool_path, f"INSERT INTO edit_links VALUES ('{token_hash('t')}', 'id-1', 'profile', 0, NULL)"
    )
    spool = Spool(config.spool_path)
    try:
        assert spool.minted_on_post(token_hash("t"))
        assert not spool.minted_on_post(token_hash("u"))
    finally:
        spool.close()


def test_neither_the_thank_you_page_nor_the_confirmation_mail_carries_an_edit_link(mailing, clock, bare_repo):
    """With SMTP, the page and the mail carry the confirmation link only; nothing is kept for an edit link."""
    app, client, smtp = mailing.app, mailing.client, mailing.smtp
    response = send(client, fill(client, clock))
    assert response.status_code == 202
    assert "/edit/" not in response.text
    app.state.worker.run_once()
    [(_, message)] = smtp.messages
    text = message.get_body(("plain",)).get_content()
    page = message.get_body(("html",)).get_content()
    assert "/confirm/" in text
    assert "/confirm/" in page
    assert "/edit/" not in text
    assert "/edit/" not in page
    assert not LINK.findall(text + page)


def test_the_pull_requests_of_an_update_and_a_withdrawal(tmp_path):
    """Titles, labels, branches and descriptions; a withdrawal's deletions survive the spool."""
    from cucon.bot.spool import change_of
    from cucon.bot.submission import Submission

    spool = Spool(tmp_path / "spool.sqlite3")
    try:
        common = {"slug": "anna", "title": "anna", "contact_email": None, "permanent_id": "id-1"}
        update = Submission(
            kind="update",
            files={"content/profiles/anna.md": b"x"},
            summary_line="Geänderte Felder / Changed fields: `summary`",
            content_hash="ab" * 32,
            **common,
        )
        withdraw = Submission(
            kind="withdraw",
            files={"content/removed.yaml": b"y"},
            summary_line="report",
            content_hash="withdraw:" + "cd" * 32,
            deletions=("content/profiles/anna.jpg", "content/profiles/anna.md"),
            **common,
        )
        changes = [change_of(spool.get(spool.add(s, now=1.0)[0])) for s in (update, withdraw)]
    finally:
        spool.close()
    first, second = changes
    assert first.title.startswith("Änderung / Update")
    assert first.labels == ("bot", "correction")
    assert first.branch == "submissions/update/anna-abababab" + "ab"
    assert "`summary`" in first.body
    assert "not verified" not in first.body
    assert second.title.startswith("Rücknahme / Withdrawal")
    assert second.labels == ("bot", "removal-request")
    assert second.branch == "submissions/withdraw/anna-cdcdcdcdcd"
    assert second.deletions == ("content/profiles/anna.jpg", "content/profiles/anna.md")
    assert "content/profiles/anna.md` (gelöscht / deleted)" in second.body


def _truncate_index(clone: Path) -> None:
    index = clone / ".git" / "index"
    index.write_bytes(index.read_bytes()[:40])


CHECKOUT_CRASHES = {
    "index.lock": lambda clone: (clone / ".git" / "index.lock").write_bytes(b""),
    "HEAD.lock": lambda clone: (clone / ".git" / "HEAD.lock").write_bytes(b""),
    "branch ref lock": lambda clone: (clone / ".git" / "refs" / "heads" / "main.lock").write_bytes(b""),
    "detached HEAD": lambda clone: git(clone, "checkout", "-q", "--detach", "HEAD~0"),
    "truncated index": _truncate_index,
    "objects lost, index cut short": lambda clone: _lose_objects(clone),
}


@pytest.mark.parametrize("crash", CHECKOUT_CRASHES.values(), ids=CHECKOUT_CRASHES.keys())
def test_a_checkout_a_crash_left_behind_is_repaired_and_the_link_works_after_merge(
    client, clock, bare_repo, crash
):
    """A killed refresh leaves the checkout locked, half-written or detached: the next refresh repairs
    it, and the edit link opens the profile staff merged rather than saying it is still reviewed."""
    crash(client.app.state.checkout.path)
    token = submit_and_publish(client, clock, bare_repo)
    page = client.get(f"/edit/{token}?lang=en")
    assert page.status_code == 200, page.text
    assert "Erika" in page.text
    assert not list((client.app.state.checkout.path / ".git").rglob("*.lock"))


PRIVATE = (b"Erika", b"Muster", b"erika-muster", "Sängerin".encode())
"""The person's name, its slug (in the branch name and the file names) and words of the summary."""


def test_after_a_withdrawal_is_proposed_the_spool_files_hold_no_name(client, clock, bare_repo, config):
    """Profile, then withdrawal: once the profile's branch is pushed, and again once the withdrawal's
    is, neither the database nor its write-ahead log holds the person's name, its slug or the
    summary, in any byte; the edit link works all the same, by the permanent id."""
    token = submit_and_publish(client, clock, bare_repo)
    assert token_hash(token).encode() in private_bytes(config)  # the files are there to read
    wait_for(lambda: not named(spool_bytes(config)), timeout=10)  # the erasure follows the state's change
    assert client.get(f"/edit/{token}").status_code == 200
    response = client.post(f"/withdraw/{token}", headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 202, response.text
    proposed(client, 2)
    wait_for(lambda: not named(spool_bytes(config)), timeout=10)


def named(stored: bytes) -> list[bytes]:
    """Which of the person's words (:data:`PRIVATE`) the bytes hold."""
    return [private for private in PRIVATE if private in stored]


def _lose_objects(clone: Path) -> None:
    """A disk that lost the clone's objects and cut its index short (a fetch brings the objects back)."""
    for folder in (clone / ".git" / "objects").iterdir():
        if folder.name != "info":
            shutil.rmtree(folder)
    _truncate_index(clone)


def _garble_head(clone: Path) -> None:
    """HEAD pointing nowhere: git no longer takes the folder for a repository."""
    (clone / ".git" / "HEAD").write_bytes(b"\0\0garbage")


CHECKOUT_DAMAGE = {
    "objects lost, index cut short, HEAD pointing nowhere": lambda clone: [
        _lose_objects(clone),
        _garble_head(clone),
    ],
    "HEAD pointing nowhere": _garble_head,
    "no config, no HEAD": lambda clone: [(clone / ".git" / name).unlink() for name in ("config", "HEAD")],
}


@pytest.mark.parametrize("damage", CHECKOUT_DAMAGE.values(), ids=CHECKOUT_DAMAGE.keys())
def test_a_checkout_damaged_beyond_repair_is_cloned_anew_and_the_link_works_after_merge(
    client, clock, bare_repo, damage, caplog
):
    """A checkout git cannot repair in place is cloned anew from the remote (its own origin, or the
    service's remote when even its config is gone), and the edit link opens the profile staff merged."""
    path = client.app.state.checkout.path
    damage(path)
    token = submit_and_publish(client, clock, bare_repo)
    page = client.get(f"/edit/{token}?lang=en")
    assert page.status_code == 200, page.text
    assert "Erika" in page.text
    assert "checkout_recreated" in [record.getMessage() for record in caplog.records]
    assert git(path, "status", "--porcelain") == ""
    assert client.app.state.checkout.last_error is None
    assert not list(
        path.parent.glob(f".{path.name}.*")
    )  # neither the new clone's nor the broken one's folder


def test_an_update_keeps_the_fields_the_form_does_not_show_and_dates_itself(
    client, clock, bare_repo, tmp_path
):
    """Staff gave the published profile a photo focus, a sort_as and an `updated` day; the owner's edit
    through the link keeps the focus (the form does not show it), shows sort_as filled in, and dates
    `updated` to the edit."""
    token = submit_and_publish(client, clock, bare_repo)
    staff = checkout_of(bare_repo, "main", tmp_path / "staff")
    path = staff / "content/profiles/erika-muster.md"
    text = path.read_text("utf-8")
    assert "focus" not in text
    text = re.sub(r"^photo:\n", "photo:\n  focus:\n    x: 0.3\n    y: 0.25\n", text, count=1, flags=re.M)
    text = text.replace("\n---\n", "\nsort_as: Muster, Erika\nupdated: '2026-01-15'\n---\n", 1)
    path.write_text(text, "utf-8")
    git(staff, "commit", "-qam", "Staff: focus, sort_as, updated")
    git(staff, "push", "-q", "origin", "main")
    client.app.state.checkout._refreshed = None

    page = client.get(f"/edit/{token}")
    assert page.status_code == 200
    assert 'value="Muster, Erika"' in page.text, "the edit page does not fill in sort_as"
    clock.advance(5)
    changed = {
        **form_tokens(page.text),
        **PROFILE,
        "sort_as": "Muster, Erika",  # as the edit page fills it in
        "summary": "Sängerin und Chorleiterin in Hannover.",
    }
    response = edit_post(client, token, changed)
    assert response.status_code == 202, response.text
    proposed(client, 2)
    clone = checkout_of(bare_repo, branch_like(bare_repo, r"submissions/update/.*"), tmp_path / "update")
    old = read_document(git(clone, "show", "origin/main:content/profiles/erika-muster.md"), with_body=True)
    new = read_document((clone / "content/profiles/erika-muster.md").read_text("utf-8"), with_body=True)
    assert new.data["photo"]["focus"] == old.data["photo"]["focus"] == {"x": 0.3, "y": 0.25}
    assert new.data["photo"]["file"] == old.data["photo"]["file"]
    assert new.data["sort_as"] == "Muster, Erika"
    today = dt.datetime.fromtimestamp(clock(), dt.UTC).date()
    assert (old.data["updated"], new.data["updated"]) == ("2026-01-15", today.isoformat())
    assert new.data["summary"] == "Sängerin und Chorleiterin in Hannover."
    assert set(old.data) == set(new.data)
    check = run_cucon("check", cwd=clone)
    assert check.returncode == 0, output_of(check)
