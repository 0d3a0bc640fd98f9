"""Quotas of the submission service, and the pages of its links under load.

Strangers must not fill the disk (a spool size, free space, few entries awaiting confirmation per
address and network, small photos) nor slow everyone down through one link (a rate limit of the
link pages, and an index instead of a scan under the lock submissions need). The app runs with its
real spool, the real plain-git host pushing to a real bare repository and, for the e-mail check, a
real SMTP server; the fixtures are those of tests/conftest.py, the helpers those of tests/support.py.
"""

from __future__ import annotations

import io
import shutil
import sqlite3
import sys
import threading
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest
from PIL import Image, ImageFilter
from starlette.testclient import TestClient
from support import (
    PROFILE,
    SITE_ORIGIN,
    FakeSubmission,
    branches,
    edit_post,
    fill,
    form_tokens,
    jpeg_with_exif,
    link_of,
    mail_config_for,
    send,
    service,
    submit_and_publish,
    wait_for,
)

from cucon.bot.app import create_app
from cucon.bot.spool import AWAITING, CONFIRM_SECONDS, SCHEMA, Spool

TOKEN = "A" * 43
"""A well-formed token that no link has."""


def post(client, clock, address: str, photo: bytes | None = None, **changes):
    """A valid profile post, as a browser at ``address`` sends it (same client, its own peer address)."""
    data = fill(client, clock, **changes)
    photo_part = ("portrait.jpg", photo or jpeg_with_exif(), "image/jpeg")
    peer = TestClient(client.app, base_url=str(client.base_url), client=(address, 50000))
    return peer.post("/profile", data=data, files={"photo": photo_part}, headers={"Origin": SITE_ORIGIN})


def rows(spool: Spool) -> int:
    """How many entries the spool holds, in any state."""
    return sum(spool.counts().values())


def large_photo() -> bytes:
    """A 4000 × 3000 photo of about 4 MB, like a phone's."""
    size = (4000, 3000)
    channels = (
        Image.linear_gradient("L").resize(size),
        Image.effect_noise(size, 40).filter(ImageFilter.GaussianBlur(1)),
        Image.effect_noise(size, 20),
    )
    buffer = io.BytesIO()
    Image.merge("RGB", channels).save(buffer, "JPEG", quality=92)
    assert len(buffer.getvalue()) > 3_000_000
    return buffer.getvalue()


@pytest.fixture
def capped(config, clock, bare_repo, smtp):
    """The service with the e-mail check on and at most two entries awaiting per address and network."""
    running = service(
        replace(mail_config_for(config, smtp), pending_per_email=2, pending_per_network=2),
        clock,
        bare_repo,
        smtp,
    )
    yield running
    running.app.state.spool.close()


# --- bad input: entries awaiting confirmation ------------------------------------------------------

PENDING_CASES = {
    # name: (the three posts' (peer address, e-mail address), the message of the third's refusal)
    "one e-mail address from many networks": (
        [("198.51.100.1", "a@example.org"), ("198.51.100.2", "A@Example.org"), ("198.51.100.3", "a@example.org")],
        "Unter dieser E-Mail-Adresse warten schon",
    ),
    "one IPv4 address, a new e-mail address each time": (
        [("203.0.113.7", "a@example.org"), ("203.0.113.7", "b@example.org"), ("203.0.113.7", "c@example.org")],
        "Von Ihrem Anschluss warten schon",
    ),
    "rotating IPv6 addresses of one /64": (
        [("2001:db8:1:2::1", "a@example.org"), ("2001:db8:1:2::2", "b@example.org"),
         ("2001:db8:1:2:ffff::3", "c@example.org")],
        "Von Ihrem Anschluss warten schon",
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", PENDING_CASES, ids=list(PENDING_CASES))
def test_entries_awaiting_confirmation_are_capped(case, capped, clock):
    """Past the cap: 429 with Retry-After and a plain page, and no new spool row; another network still gets in."""
    posts, message = PENDING_CASES[case]
    client, spool = capped.client, capped.app.state.spool
    for number, (address, mail) in enumerate(posts[:2]):
        accepted = post(client, clock, address, email=mail, name=f"Erika Muster {number}")
        assert accepted.status_code == 202, accepted.text
    assert spool.counts()[AWAITING] == 2
    address, mail = posts[2]
    refused = post(client, clock, address, email=mail, name="Erika Muster 2")
    assert refused.status_code == 429
    assert 0 < int(refused.headers["Retry-After"]) <= CONFIRM_SECONDS
    assert message in refused.text
    assert "waiting for confirmation" in refused.text
    assert "<form" not in refused.text
    assert rows(spool) == 2
    other = post(client, clock, "192.0.2.99", email="z@example.org", name="Erika Muster 3")
    assert other.status_code == 202, other.text
    assert rows(spool) == 3


def test_a_confirmed_entry_no_longer_counts(capped, clock):
    """Confirming frees the place: the cap is on entries awaiting confirmation, not on people."""
    client, app, spool = capped.client, capped.app, capped.app.state.spool
    for number in range(2):
        assert post(client, clock, "203.0.113.7", name=f"Erika Muster {number}").status_code == 202
    assert post(client, clock, "203.0.113.7", name="Erika Muster 2").status_code == 429
    app.state.worker.run_once()
    assert client.post(link_of(capped.smtp.messages[0][1])).status_code == 200
    assert post(client, clock, "203.0.113.7", name="Erika Muster 2").status_code == 202
    assert rows(spool) == 3


# --- bad input: a full spool, a full disk ----------------------------------------------------------


def test_a_full_spool_refuses_new_posts_but_delivers_what_it_took(config, clock, bare_repo, smtp):
    """Over the spool's size: 503 with Retry-After and no new row; an entry taken before is still
    confirmed and delivered, and a repeat of its post is still answered 202."""
    mailing = mail_config_for(config, smtp)
    before = service(mailing, clock, bare_repo, smtp)
    data = fill(before.client, clock)
    taken = send(before.client, data, Idempotency_Key="taken-entry-0001")
    assert taken.status_code == 202
    before.app.state.spool.close()

    full = service(replace(mailing, spool_max_bytes=1), clock, bare_repo, smtp)
    spool = full.app.state.spool
    try:
        refused = send(full.client, fill(full.client, clock, name="Max Muster"))
        assert refused.status_code == 503
        assert int(refused.headers["Retry-After"]) > 0
        assert "keine Einsendungen" in refused.text
        assert "not taking submissions" in refused.text
        assert rows(spool) == 1
        again = send(full.client, data, Idempotency_Key="taken-entry-0001")
        assert again.status_code == 202
        assert rows(spool) == 1

        full.app.state.worker.run_once()  # the confirmation mail of the entry taken before
        [(_, message)] = smtp.messages
        assert full.client.post(link_of(message)).status_code == 200
        full.app.state.worker.run_once()
        assert spool.counts()["proposed"] == 1
        [branch] = branches(bare_repo)
        assert branch.startswith("submissions/profile/erika-muster-")
    finally:
        spool.close()


def test_a_nearly_full_disk_refuses_new_posts(config, clock, bare_repo):
    """Less free space than CUCON_BOT_MIN_FREE_BYTES on the spool's file system: 503, nothing stored."""
    free = shutil.disk_usage(config.workdir.parent).free
    running = service(replace(config, min_free_bytes=free + 2**40), clock, bare_repo)
    spool = running.app.state.spool
    try:
        refused = send(running.client, fill(running.client, clock))
        assert refused.status_code == 503
        assert int(refused.headers["Retry-After"]) > 0
        assert "später wieder" in refused.text
        assert "try again later" in refused.text
        assert rows(spool) == 0
    finally:
        spool.close()


# --- small photos, and space given back ------------------------------------------------------------


def test_the_spool_keeps_only_a_small_rendition_of_a_large_photo(capped, clock):
    """A 4 MB, 12-megapixel photo is kept as a JPEG of at most 512 KB, its shorter side 1280 px."""
    photo = large_photo()
    response = post(capped.client, clock, "203.0.113.7", photo=photo)
    assert response.status_code == 202, response.text
    spool = capped.app.state.spool
    [entry_id] = [row[0] for row in spool._connection().execute("SELECT id FROM submissions")]
    [kept] = [data for path, data in spool.get(entry_id).files.items() if path.endswith(".jpg")]
    assert len(kept) <= 512 * 1024 < len(photo) // 6
    with Image.open(io.BytesIO(kept)) as image:
        assert (image.format, image.size) == ("JPEG", (1707, 1280))


def test_expired_entries_give_their_space_back(tmp_path):
    """Entries not confirmed in time are deleted with their files, and the spool file shrinks again."""
    spool = Spool(tmp_path / "spool.sqlite3")
    try:
        for number in range(8):
            files = {f"content/profiles/p{number}.jpg": bytes([number]) * 400_000}
            spool.add(FakeSubmission(f"p{number}", f"{number:064x}", files=files), now=0.0, confirm_lang="de")
        grown = (tmp_path / "spool.sqlite3").stat().st_size + (tmp_path / "spool.sqlite3-wal").stat().st_size
        assert spool.used_bytes() > 3_000_000
        assert spool.expire(CONFIRM_SECONDS + 1) == 8
        assert rows(spool) == 0
        assert spool._connection().execute("SELECT COUNT(*) FROM files").fetchone()[0] == 0
        assert spool.used_bytes() < 200_000
        shrunk = (tmp_path / "spool.sqlite3").stat().st_size + (tmp_path / "spool.sqlite3-wal").stat().st_size
        assert shrunk < grown // 10
    finally:
        spool.close()


def test_a_spool_of_an_earlier_release_learns_the_quota_columns_and_vacuum(tmp_path):
    """An old spool file (no pending keys, no auto-vacuum) is brought up to date when it is opened."""
    path = tmp_path / "spool.sqlite3"
    earlier = SCHEMA.replace(",\n    contact_key TEXT,\n    network_key TEXT", "")
    assert "contact_key" not in earlier
    with closing(sqlite3.connect(path)) as db:
        db.executescript(earlier)
        assert db.execute("PRAGMA auto_vacuum").fetchone()[0] == 0
    spool = Spool(path)
    try:
        connection = spool._connection()
        columns = {row["name"] for row in connection.execute("PRAGMA table_info(confirmations)")}
        assert {"contact_key", "network_key"} <= columns
        assert connection.execute("PRAGMA auto_vacuum").fetchone()[0] == 2
    finally:
        spool.close()


# --- the link pages --------------------------------------------------------------------------------

LINK_PAGES = {
    "edit page": ("GET", f"/edit/{TOKEN}"),
    "withdraw page": ("GET", f"/withdraw/{TOKEN}"),
    "confirmation page": ("GET", f"/confirm/{TOKEN}"),
    "confirmation button": ("POST", f"/confirm/{TOKEN}"),
    "withdraw button": ("POST", f"/withdraw/{TOKEN}"),
}


@pytest.mark.parametrize("page", LINK_PAGES, ids=list(LINK_PAGES))
def test_the_link_pages_have_a_rate_limit(page, config, clock):
    """After N requests one client gets 429 with Retry-After; another client is not affected."""
    method, path = LINK_PAGES[page]
    app = create_app(replace(config, link_rate_limit=(3, 600)), clock=clock)
    try:
        looping = TestClient(app, client=("203.0.113.7", 50000))
        answers = [looping.request(method, path, headers={"Origin": SITE_ORIGIN}) for _ in range(4)]
        other = TestClient(app, client=("198.51.100.1", 50000))
        elsewhere = other.request(method, path, headers={"Origin": SITE_ORIGIN})
    finally:
        app.state.spool.close()
    assert [a.status_code for a in answers[:3]] == [404] * 3
    assert answers[3].status_code == 429
    assert 0 < int(answers[3].headers["Retry-After"]) <= 600
    assert "Zu viele Aufrufe" in answers[3].text
    assert "Too many requests" in answers[3].text
    assert elsewhere.status_code == 404


class ProfileOpens:
    """Every file opened under a folder while ``watching`` is set (a Python audit hook: it sees each open)."""

    def __init__(self, folder: Path):
        self.folder = str(folder.resolve())
        self.opened: list[str] = []
        self.watching = False
        sys.addaudithook(self.hook)

    def hook(self, event: str, args) -> None:
        if self.watching and event == "open" and isinstance(args[0], str | Path):
            path = str(Path(args[0]).resolve())
            if path.startswith(self.folder):
                self.opened.append(path)


def test_the_edit_page_reads_no_profile_file_and_takes_no_lock(client, clock, bare_repo):
    """GET /edit/<token> finds the profile by the index: no profile file of the checkout is opened, and
    the page answers while a submission holds the checkout's lock (and while a refresh is due)."""
    token = submit_and_publish(client, clock, bare_repo)
    checkout = client.app.state.checkout
    profiles = checkout.path / "content" / "profiles"
    first = client.get(f"/edit/{token}")  # the index of main's new commit is built here
    assert first.status_code == 200
    assert len(list(profiles.glob("*.md"))) >= 3
    opens = ProfileOpens(profiles)
    opens.watching = True
    try:
        page = client.get(f"/edit/{token}")
    finally:
        opens.watching = False
    assert page.status_code == 200
    assert 'value="Erika Muster"' in page.text
    assert opens.opened == []

    answers = []
    checkout._refreshed = None  # a refresh is due: it must not be waited for either
    with checkout.lock:
        asking = threading.Thread(target=lambda: answers.append(client.get(f"/edit/{token}")))
        asking.start()
        asking.join(120)  # a guard against a hang, not a measurement
        held = asking.is_alive()
    asking.join()
    assert not held, "the edit page waited for the submission lock"
    assert answers[0].status_code == 200
    assert 'value="Erika Muster"' in answers[0].text


def test_an_update_through_the_link_still_finds_its_profile(client, clock, bare_repo):
    """The index serves the update's post too: the changed summary goes out as an update branch."""
    token = submit_and_publish(client, clock, bare_repo)
    page = client.get(f"/edit/{token}")
    clock.advance(5)
    changed = {**form_tokens(page.text), **PROFILE, "summary": "Sängerin und Chorleiterin in Hannover."}
    response = edit_post(client, token, changed)
    assert response.status_code == 202, response.text
    wait_for(lambda: any(b.startswith("submissions/update/erika-muster-") for b in branches(bare_repo)))
