"""The durable spool and its worker: nothing answered with 202 is lost, and nothing is proposed twice."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from support import REPO, FakeSubmission

from cucon.bot.githost import ChangeResult, ForgeRefused, ForgeUnavailable
from cucon.bot.spool import MAX_DELAY, Spool, Worker, branch_name, pr_description, staff_checklist


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def __call__(self) -> float:
        return self.now


class RecordingHost:
    """A GitHost that records changes and answers with a scripted list of outcomes (then success)."""

    def __init__(self, *outcomes: Exception):
        self.outcomes = list(outcomes)
        self.changes = []

    def propose(self, change):
        self.changes.append(change)
        if self.outcomes:
            raise self.outcomes.pop(0)
        return ChangeResult(change.branch, f"https://forge.example/pull/{len(self.changes)}", 1, True)


@pytest.fixture
def spool(tmp_path: Path):
    """An empty spool in a temporary folder, closed after the test."""
    spool = Spool(tmp_path / "spool.sqlite3")
    yield spool
    spool.close()


def test_a_double_submit_makes_one_entry(spool: Spool):
    """The same Idempotency-Key, or the same content under another key, finds the first entry."""
    first = spool.add(FakeSubmission(), "key-1-aaaaaaaa")
    assert first[1] is True
    assert spool.add(FakeSubmission(content_hash="cd" * 32), "key-1-aaaaaaaa") == (first[0], False)
    assert spool.add(FakeSubmission(), "key-2-bbbbbbbb") == (first[0], False)
    assert spool.add(FakeSubmission(), None) == (first[0], False)
    assert spool.find("key-1-aaaaaaaa") == first[0]
    assert spool.counts() == {"received": 1, "proposed": 0, "failed": 0, "awaiting": 0, "approval": 0}
    other = spool.add(FakeSubmission(slug="bert", content_hash="ef" * 32), None)
    assert other[1] is True
    assert other[0] != first[0]


def test_entries_move_from_received_to_proposed_and_lose_their_files(spool: Spool):
    """A proposed entry keeps its row (for dedup) and pull request, but not the files."""
    entry_id, _ = spool.add(FakeSubmission(), None, now=100.0)
    [due] = spool.due(now=100.0)
    assert due.files == FakeSubmission().files
    assert due.branch_name == f"submissions/profile/anna-beispiel-{'ab' * 5}"
    spool.mark_proposed(entry_id, "https://forge.example/pull/1", now=101.0)
    entry = spool.get(entry_id)
    assert (entry.state, entry.pr_url, entry.files) == ("proposed", "https://forge.example/pull/1", {})
    assert spool.due(now=10_000.0) == []


def test_retries_back_off_exponentially_and_honour_retry_after(spool: Spool):
    """30 s, 60 s, 120 s … capped at an hour; a forge's Retry-After is used as given."""
    entry_id, _ = spool.add(FakeSubmission(), None, now=0.0)
    delays = [spool.mark_retry(entry_id, now=0.0) for _ in range(10)]
    assert delays[:3] == [30.0, 60.0, 120.0]
    assert delays[-1] == MAX_DELAY
    assert spool.mark_retry(entry_id, 7200.0, now=0.0) == 7200.0
    assert spool.due(now=7199.0) == []
    assert [e.id for e in spool.due(now=7200.0)] == [entry_id]
    assert spool.get(entry_id).attempts == 11


def test_a_failed_entry_is_not_tried_again_and_late_outcomes_change_nothing(spool: Spool):
    """mark_failed ends the tries; a retry recorded after the entry was proposed is ignored."""
    failed, _ = spool.add(FakeSubmission(), None, now=0.0)
    spool.mark_failed(failed, "forge refused: 403", now=1.0)
    assert spool.due(now=1e12) == []
    assert spool.get(failed).reason == "forge refused: 403"
    done, _ = spool.add(FakeSubmission(slug="b", content_hash="cd" * 32), None, now=0.0)
    spool.mark_proposed(done, None, now=1.0)
    assert spool.mark_retry(done, now=2.0) == 0.0
    assert spool.get(done).state == "proposed"


def test_the_spool_is_durable_in_wal_mode_and_stores_no_addresses(tmp_path: Path):
    """An entry survives closing the spool; the file is in WAL mode; no column for IPs or e-mails."""
    spool = Spool(tmp_path / "spool.sqlite3")
    entry_id, _ = spool.add(FakeSubmission(), "key-1-aaaaaaaa")
    spool.close()
    again = Spool(tmp_path / "spool.sqlite3")
    assert [e.id for e in again.due()] == [entry_id]
    again.close()
    with sqlite3.connect(tmp_path / "spool.sqlite3") as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        columns = {
            row[1] for table in ("submissions", "files") for row in db.execute(f"PRAGMA table_info({table})")
        }
        dump = "\n".join(db.iterdump())
    assert not {c for c in columns if c == "ip" or "address" in c or "email" in c or "mail" in c}
    assert "anna@example.org" not in dump


def test_each_thread_has_its_own_connection(spool: Spool):
    """Threads never share a SQLite connection."""
    seen = []
    thread = threading.Thread(target=lambda: seen.append(spool._connection()))
    thread.start()
    thread.join()
    assert seen[0] is not spool._connection()


def test_the_worker_retries_an_unavailable_forge_and_fails_a_refusing_one(spool: Spool, tmp_path: Path):
    """ForgeUnavailable → tried again later on the same branch; ForgeRefused → failed, never again."""
    clock = Clock(0.0)
    host = RecordingHost(ForgeUnavailable("502", retry_after=90.0))
    worker = Worker(spool, host, clock=clock)
    entry_id, _ = spool.add(FakeSubmission(), None, now=0.0)
    assert worker.run_once() == 1
    assert spool.get(entry_id).state == "received"
    clock.now = 89.0
    assert worker.run_once() == 0
    clock.now = 90.0
    assert worker.run_once() == 1
    assert spool.get(entry_id).state == "proposed"
    assert len({c.branch for c in host.changes}) == 1

    refusing = Worker(spool, RecordingHost(ForgeRefused("no", 403)), clock=clock)
    other, _ = spool.add(FakeSubmission(slug="b", content_hash="cd" * 32), None, now=90.0)
    refusing.run_once()
    assert spool.get(other).state == "failed"
    assert refusing.run_once() == 0


def test_an_unexpected_error_keeps_the_entry(spool: Spool):
    """A bug in a GitHost is logged and the entry waits for the next try."""
    clock = Clock(0.0)
    worker = Worker(spool, RecordingHost(OSError("disk full")), clock=clock)
    entry_id, _ = spool.add(FakeSubmission(), None, now=0.0)
    worker.run_once()
    assert spool.get(entry_id).state == "received"
    assert spool.get(entry_id).next_attempt == 30.0


def test_a_failing_chore_stops_neither_the_other_chores_nor_the_delivery(spool: Spool, caplog):
    """A chore that raises (a broken key, a bug in one flow) is logged; the next chore runs and the
    entry is still proposed."""
    clock = Clock(0.0)
    host = RecordingHost()
    worker = Worker(spool, host, clock=clock)
    ran = []
    worker.chores[:] = [lambda: 1 / 0, lambda: ran.append("second")]
    entry_id, _ = spool.add(FakeSubmission(), None, now=0.0)
    assert worker.run_once() == 1
    assert ran == ["second"]
    assert spool.get(entry_id).state == "proposed"
    assert "worker_chore_error" in caplog.text


def test_a_new_worker_resumes_what_was_spooled_before_a_restart(tmp_path: Path):
    """Entries written by one process are proposed by the next, on the thread the app starts."""
    first = Spool(tmp_path / "spool.sqlite3")
    entry_id, _ = first.add(FakeSubmission(), None)
    first.close()
    spool = Spool(tmp_path / "spool.sqlite3")
    host = RecordingHost()
    worker = Worker(spool, host, idle=0.05)
    worker.start()
    try:
        for _ in range(200):
            if spool.get(entry_id).state == "proposed":
                break
            threading.Event().wait(0.02)
    finally:
        worker.stop()
        spool.close()
    assert [c.branch for c in host.changes] == [branch_name("profile", "anna-beispiel", "ab" * 32)]


def test_the_pull_request_description_is_readable_and_private(spool: Spool, tmp_path: Path):
    """Summary line, files, the unverified e-mail warning and the staff checklist; never the e-mail."""
    (tmp_path / ".github").mkdir()
    template = (REPO / ".github" / "pull_request_template.md").read_text("utf-8")
    (tmp_path / ".github" / "pull_request_template.md").write_text(template, "utf-8")
    host = RecordingHost()
    spool.add(FakeSubmission(), None)
    Worker(spool, host, checkout=tmp_path).run_once()
    [change] = host.changes
    assert change.labels == ("bot", "new-profile")
    assert change.title == "Neues Profil / New profile: Anna Beispiel"
    assert FakeSubmission().summary_line in change.body
    assert "E-mail not verified" in change.body
    assert "`content/profiles/anna-beispiel.md`" in change.body
    assert "Review by the culture office" in change.body
    assert "- [ ] **Einwilligung**" in change.body
    assert "<!--" not in change.body
    assert "anna@example.org" not in change.body + change.message
    assert staff_checklist(None) == ""
    assert staff_checklist(tmp_path / "nowhere") == ""
    assert "E-mail verified" in pr_description(spool.get(1), email_verified=True)
