"""The submission service's forges: plain git against a real bare repository, GitHub against FakeGitHub,
GitLab against FakeGitLab (both over real HTTP on 127.0.0.1)."""

from __future__ import annotations

import logging
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fakes.github import FakeGitHub
from fakes.gitlab import FakeGitLab
from support import free_port, git

from cucon.bot.githost import (
    BranchCommit,
    ForgeRefused,
    ForgeUnavailable,
    GitHubHost,
    PlainGitHost,
    remove_stale_locks,
)
from cucon.bot.gitlab import GitLabHost
from cucon.inert import BREAK

TOKEN = "ghs_s3cr3t-token-never-logged"
BRANCH = "submissions/profile/anna-kowalska-1a2b3c4"
SEED = {
    "README.md": b"# Fixture\n",
    "content/cities/leipzig.yaml": b"id: leipzig\nnames: {de: Leipzig, en: Leipzig}\n",
    "content/profiles/jan-novak.md": b"---\nname: Jan Novak\n---\n\nJan.\n",
}
CHANGE = BranchCommit(
    branch=BRANCH,
    files={
        "content/profiles/anna-kowalska.md": b"---\nname: Anna Kowalska\n---\n\nAnna.\n",
        "content/profiles/anna-kowalska.jpg": bytes(range(256)) * 4,
    },
    deletions=(),
    message="New profile: Anna Kowalska",
    title="Neues Profil / New profile: Anna Kowalska",
    body="## Was dieser Pull Request ändert / What this pull request changes\n\n- [ ] checked",
    labels=("submission", "profile"),
)
BAD_PATHS = ["../outside.md", "/etc/passwd", "content/../../outside.md", ".git/config", "content/.git/x", ""]


def with_change(**fields: object) -> BranchCommit:
    """CHANGE with some fields replaced."""
    return BranchCommit(**{**CHANGE.__dict__, **fields})  # type: ignore[arg-type]


# --- plain git -----------------------------------------------------------------------------------


@pytest.fixture
def bare_remote(tmp_path: Path) -> Path:
    """A real bare repository whose main branch holds a small content/ tree, as a forge would."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", "-b", "main", str(remote))
    seed = tmp_path / "seed"
    for path, data in SEED.items():
        (seed / path).parent.mkdir(parents=True, exist_ok=True)
        (seed / path).write_bytes(data)
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "Seed content")
    git(seed, "push", "-q", str(remote), "main")
    return remote


@pytest.fixture
def plain_host(tmp_path: Path, bare_remote: Path) -> PlainGitHost:
    """A PlainGitHost that pushes to the bare remote, with its working clone in the test's folder."""
    return PlainGitHost(
        str(bare_remote), "main", workdir=tmp_path / "work", author=("CuCon Bot", "bot@cucon.test")
    )


def files_on(remote: Path, branch: str) -> dict[str, bytes]:
    """Every file on a branch of a bare repository, with its bytes."""
    names = git(remote, "ls-tree", "-r", "--name-only", branch).splitlines()
    return {
        name: subprocess.run(
            ["git", "-C", str(remote), "show", f"{branch}:{name}"], capture_output=True, check=True
        ).stdout
        for name in names
    }


def test_plain_git_pushes_a_branch_with_exactly_the_changed_files(bare_remote, plain_host):
    """The branch starts at main, adds the two files in one commit with the message and author given."""
    result = plain_host.propose(CHANGE)
    assert (result.branch, result.url, result.number, result.created) == (BRANCH, None, None, True)
    assert files_on(bare_remote, BRANCH) == SEED | CHANGE.files
    assert git(bare_remote, "diff", "--name-only", "main", BRANCH).split() == sorted(CHANGE.files)
    assert (
        git(bare_remote, "rev-parse", f"{BRANCH}^").strip() == git(bare_remote, "rev-parse", "main").strip()
    )
    log = git(bare_remote, "log", "-1", "--format=%B%n%an <%ae>%n%cn <%ce>", BRANCH)
    assert log == f"{CHANGE.message}\n\nCuCon Bot <bot@cucon.test>\nCuCon Bot <bot@cucon.test>\n"


def test_plain_git_proposing_again_changes_nothing(bare_remote, plain_host):
    """A second proposal of the same branch answers created=False and pushes no new commit."""
    plain_host.propose(CHANGE)
    head = git(bare_remote, "rev-parse", BRANCH)
    again = plain_host.propose(CHANGE)
    assert again.created is False
    assert git(bare_remote, "rev-parse", BRANCH) == head
    assert git(bare_remote, "rev-list", "--count", BRANCH).strip() == "2"


def test_plain_git_deletes_files_and_starts_from_the_newest_main(tmp_path, bare_remote, plain_host):
    """A deletion removes the file; a branch proposed after main moved on starts from the new main."""
    plain_host.propose(CHANGE)
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare_remote), str(other))
    (other / "NEWS.md").write_text("News\n", "utf-8")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "Main moves on")
    git(other, "push", "-q", "origin", "main")
    withdraw = with_change(
        branch="submissions/withdraw/jan-novak-9f8e7d6",
        files={},
        deletions=("content/profiles/jan-novak.md",),
        message="Withdraw a profile",
    )
    assert plain_host.propose(withdraw).created is True
    files = files_on(bare_remote, withdraw.branch)
    assert "content/profiles/jan-novak.md" not in files
    assert "NEWS.md" in files
    assert "content/profiles/anna-kowalska.md" not in files


@pytest.mark.parametrize("bad", BAD_PATHS)
@pytest.mark.parametrize("where", ["files", "deletions"])
def test_plain_git_refuses_paths_outside_the_work_tree(bare_remote, plain_host, bad, where):
    """A path that could leave the work tree is a ValueError, and nothing reaches the remote."""
    change = with_change(files={bad: b"x"}) if where == "files" else with_change(deletions=(bad,))
    with pytest.raises(ValueError, match="refused path"):
        plain_host.propose(change)
    assert git(bare_remote, "branch", "--list").split() == ["*", "main"]
    assert not plain_host.clone.exists()


def test_plain_git_refuses_a_change_that_changes_nothing(bare_remote, plain_host):
    """Writing files exactly as main has them makes no empty branch: the forge refuses it for good."""
    same = with_change(files={"README.md": SEED["README.md"]})
    with pytest.raises(ForgeRefused, match="as it is"):
        plain_host.propose(same)
    assert git(bare_remote, "branch", "--list").split() == ["*", "main"]


def test_plain_git_without_a_remote_is_unavailable(tmp_path):
    """A remote that is not there is ForgeUnavailable, to be tried again later."""
    host = PlainGitHost(str(tmp_path / "missing.git"), workdir=tmp_path / "work")
    with pytest.raises(ForgeUnavailable, match="git ls-remote failed"):
        host.propose(CHANGE)


def test_plain_git_ignores_the_configuration_of_the_user(tmp_path, bare_remote, plain_host, monkeypatch):
    """A ~/.gitconfig with another identity, signing and hooks does not leak into the service's commits."""
    home = tmp_path / "home"
    hooks = home / "hooks"
    hooks.mkdir(parents=True)
    (hooks / "pre-commit").write_text("#!/bin/sh\nexit 1\n", "utf-8")
    (hooks / "pre-commit").chmod(0o755)
    (home / ".gitconfig").write_text(
        f"[user]\n\tname = Leaked\n\temail = leaked@example.org\n[commit]\n\tgpgsign = true\n"
        f"[core]\n\thooksPath = {hooks}\n",
        "utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    plain_host.propose(CHANGE)
    assert git(bare_remote, "log", "-1", "--format=%an %ae", BRANCH) == "CuCon Bot bot@cucon.test\n"


# --- GitHub --------------------------------------------------------------------------------------


@pytest.fixture
def fake_github() -> Iterator[FakeGitHub]:
    """A running FakeGitHub seeded with SEED: GitHubHost is tested over real HTTP without reaching GitHub."""
    with FakeGitHub(token=TOKEN, repository="cucon/site", files=SEED) as fake:
        yield fake


@pytest.fixture
def github_host(fake_github: FakeGitHub) -> Iterator[GitHubHost]:
    """A GitHubHost talking to the fake, closed after the test."""
    with GitHubHost(fake_github.url, TOKEN, "cucon/site", timeout=5.0) as host:
        yield host


def test_github_opens_a_labelled_pull_request_with_the_files(fake_github, github_host):
    """The branch holds main's files plus the change; the pull request has its title, body and labels."""
    result = github_host.propose(CHANGE)
    assert result.created is True
    assert fake_github.files_of(BRANCH) == SEED | CHANGE.files
    commit = fake_github.commit_of(BRANCH)
    assert commit["message"] == CHANGE.message
    assert commit["parents"] == [fake_github.commit_of("main")["sha"]]
    [pull] = fake_github.pulls
    assert (result.number, result.url) == (pull["number"], pull["html_url"])
    assert (pull["title"], pull["body"]) == (CHANGE.title, CHANGE.body)
    assert (pull["head"]["ref"], pull["base"]["ref"]) == (BRANCH, "main")
    assert pull["maintainer_can_modify"] is False
    assert [label["name"] for label in pull["labels"]] == ["submission", "profile"]
    headers = fake_github.requests[-1]["headers"]
    assert headers["accept"] == "application/vnd.github+json"
    assert headers["x-github-api-version"] == "2022-11-28"
    assert headers["user-agent"].startswith("cucon/")


def test_github_deletions_remove_files(fake_github, github_host):
    """Deleted paths go into the tree with a null sha and are gone from the branch."""
    withdraw = with_change(files={}, deletions=("content/profiles/jan-novak.md",), labels=())
    github_host.propose(withdraw)
    assert fake_github.files_of(BRANCH) == {k: v for k, v in SEED.items() if "jan-novak" not in k}
    assert fake_github.pulls[0]["labels"] == []


def test_github_proposing_again_returns_the_same_pull_request(fake_github, github_host):
    """The second proposal finds the existing branch and pull request: created=False, same number."""
    first = github_host.propose(CHANGE)
    head = fake_github.commit_of(BRANCH)["sha"]
    again = github_host.propose(CHANGE)
    assert (again.created, again.number, again.url) == (False, first.number, first.url)
    assert len(fake_github.pulls) == 1
    assert fake_github.commit_of(BRANCH)["sha"] == head


def test_github_opens_the_missing_pull_request_of_an_existing_branch(fake_github, github_host):
    """When the forge failed after the branch was made, the retry opens the pull request, exactly once."""
    fake_github.fail_with, fake_github.fail_match = 502, r"^POST .*/pulls$"
    with pytest.raises(ForgeUnavailable):
        github_host.propose(CHANGE)
    assert fake_github.branches == sorted(["main", BRANCH])
    assert fake_github.pulls == []
    fake_github.reset()
    result = github_host.propose(CHANGE)
    assert result.created is True
    assert [pull["number"] for pull in fake_github.pulls] == [result.number]


def test_github_refuses_a_change_that_changes_nothing(fake_github, github_host):
    """Files exactly as main has them make no branch: ForgeRefused."""
    with pytest.raises(ForgeRefused, match="as it is"):
        github_host.propose(with_change(files={"README.md": SEED["README.md"]}))
    assert fake_github.branches == ["main"]


def test_github_replace_makes_moves_and_keeps_one_pull_request(fake_github, github_host):
    """replace(): the first makes the branch and opens the pull request; new content moves the branch
    (force: the new commit is not a descendant) and updates the open pull request's title and body;
    the same content again touches nothing."""
    first = github_host.replace(CHANGE)
    head = fake_github.commit_of(BRANCH)["sha"]
    assert (first.created, first.updated, first.head) == (True, False, head)
    edited = with_change(
        files={"content/profiles/anna-kowalska.md": b"---\nname: Anna K.\n---\n"}, title="Anna K.", body="new"
    )
    second = github_host.replace(edited)
    assert (second.created, second.updated, second.number) == (False, True, first.number)
    moved = fake_github.commit_of(BRANCH)
    assert second.head == moved["sha"] != head
    assert moved["parents"] == [fake_github.commit_of("main")["sha"]]  # from main, not on the old commit
    assert fake_github.files_of(BRANCH) == SEED | {
        "content/profiles/anna-kowalska.md": b"---\nname: Anna K.\n---\n"
    }
    [pull] = fake_github.pulls
    assert (pull["title"], pull["body"], pull["state"]) == ("Anna K.", "new", "open")
    requests = len(fake_github.requests)
    third = github_host.replace(edited)
    assert (third.created, third.updated, third.head) == (False, False, second.head)
    writes = [r for r in fake_github.requests[requests:] if r["method"] in ("PATCH", "POST")]
    assert writes
    assert all(r["path"].endswith(("/git/blobs", "/git/trees")) for r in writes)  # no commit, ref or PR
    assert len(fake_github.pulls) == 1


def test_github_replace_opens_a_new_pull_request_when_the_old_one_was_closed(fake_github, github_host):
    """Staff closed the issue's pull request; the next edit opens a new one on the same branch."""
    first = github_host.replace(CHANGE)
    closed = fake_github.answer(
        "PATCH",
        f"/repos/cucon/site/pulls/{first.number}",
        {"authorization": f"Bearer {TOKEN}"},
        b'{"state": "closed"}',
    )
    assert closed[0] == 200
    again = github_host.replace(with_change(body="edited", files={"content/profiles/x.md": b"x"}))
    assert again.created is True
    assert [pull["state"] for pull in fake_github.pulls] == ["closed", "open"]


def test_github_commit_status(fake_github, github_host):
    """set_status() posts the state, a description of at most 140 characters, the context and the link;
    an unknown state or a SHA that is not one is refused before any request."""
    result = github_host.replace(CHANGE)
    github_host.set_status(result.head, "failure", "x" * 300, "cucon/checks", "https://example.org/run/1")
    [status] = fake_github.statuses
    assert (status["sha"], status["state"], status["context"]) == (result.head, "failure", "cucon/checks")
    assert status["description"] == "x" * 140
    assert status["target_url"] == "https://example.org/run/1"
    for sha, state in ((result.head, "green"), ("../../issues/1", "success"), (result.head[:7], "success")):
        with pytest.raises(ValueError, match="refused commit status"):
            github_host.set_status(sha, state, "d", "cucon/checks")
    assert len(fake_github.statuses) == 1


def test_the_fake_refuses_a_branch_move_that_is_not_a_fast_forward_without_force(fake_github, github_host):
    """As GitHub does (PATCH git/refs): a move to an unrelated commit needs force."""
    github_host.propose(CHANGE)
    main = fake_github.commit_of("main")["sha"]
    answer = fake_github.answer(
        "PATCH",
        f"/repos/cucon/site/git/refs/heads/{BRANCH}",
        {"authorization": f"Bearer {TOKEN}"},
        f'{{"sha": "{main}"}}'.encode(),
    )
    assert answer[0] == 422
    assert "not a fast forward" in answer[1]["message"]


@pytest.mark.parametrize("bad", BAD_PATHS)
def test_github_refuses_paths_before_any_request(fake_github, github_host, bad):
    """A path that could leave the work tree is a ValueError before the API is called at all."""
    with pytest.raises(ValueError, match="refused path"):
        github_host.propose(with_change(files={bad: b"x"}))
    assert fake_github.requests == []


@pytest.mark.parametrize(
    ("status", "headers", "error", "retry_after"),
    [
        (502, {}, ForgeUnavailable, None),
        (500, {}, ForgeUnavailable, None),
        (503, {"Retry-After": "30"}, ForgeUnavailable, 30.0),
        (429, {"Retry-After": "7"}, ForgeUnavailable, 7.0),
        (403, {"Retry-After": "60"}, ForgeUnavailable, 60.0),
        (401, {}, ForgeRefused, None),
        (403, {}, ForgeRefused, None),
        (404, {}, ForgeRefused, None),
        (422, {}, ForgeRefused, None),
    ],
)
@pytest.mark.parametrize("forge", ["GitHub", "GitLab"])
def test_failures_are_sorted_into_retry_or_give_up(request, forge, status, headers, error, retry_after):
    """GitHub and GitLab alike: 5xx, 429 and rate-limited 403 mean try later (with Retry-After); other
    4xx mean give up; once the forge answers again, the proposal goes through."""
    fake = request.getfixturevalue(f"fake_{forge.lower()}")
    host = request.getfixturevalue(f"{forge.lower()}_host")
    fake.fail_with, fake.fail_headers = status, headers
    with pytest.raises(error, match=f"{forge} answered {status}") as caught:
        host.propose(CHANGE)
    if error is ForgeUnavailable:
        assert caught.value.retry_after == retry_after
    else:
        assert caught.value.status == status
    fake.reset()
    assert host.propose(CHANGE).created is True


def test_github_spent_primary_rate_limit_is_unavailable(fake_github, github_host):
    """A 403 with x-ratelimit-remaining: 0 waits until x-ratelimit-reset."""
    fake_github.fail_with = 403
    fake_github.fail_headers = {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(2**33)}
    with pytest.raises(ForgeUnavailable) as caught:
        github_host.propose(CHANGE)
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 3600


def test_github_wrong_token_is_refused(fake_github):
    """A token the forge does not know is refused for good, with GitHub's message."""
    with (
        GitHubHost(fake_github.url, "wrong", "cucon/site") as host,
        pytest.raises(ForgeRefused, match=r"401.*Bad credentials"),
    ):
        host.propose(CHANGE)


HOSTS = {
    "GitHub": lambda url, **options: GitHubHost(url, TOKEN, "cucon/site", **options),
    "GitLab": lambda url, **options: GitLabHost(url, GITLAB_TOKEN, "kulturamt/cucon-site", **options),
}
"""How each forge's host is made for the fake at an address (the tokens are defined below)."""


@pytest.mark.parametrize("forge", HOSTS)
def test_unreachable_or_slow_is_unavailable(request, forge):
    """GitHub and GitLab alike: a refused connection and an answer slower than the timeout are both
    ForgeUnavailable, naming the forge."""
    with (
        HOSTS[forge](f"http://127.0.0.1:{free_port()}") as host,
        pytest.raises(ForgeUnavailable, match=f"{forge} could not be reached"),
    ):
        host.propose(CHANGE)
    fake = request.getfixturevalue(f"fake_{forge.lower()}")
    fake.delay = 0.5
    with (
        HOSTS[forge](fake.url, timeout=0.1) as host,
        pytest.raises(ForgeUnavailable, match=f"{forge} did not answer"),
    ):
        host.propose(CHANGE)


def test_github_token_never_reaches_logs_or_errors(fake_github, github_host, caplog):
    """Every log record (httpx's included, at DEBUG) and every error message is free of the token."""
    caplog.set_level(logging.DEBUG)
    github_host.propose(CHANGE)
    github_host.propose(CHANGE)
    messages = []
    for status in (401, 502):
        fake_github.fail_with = status
        with pytest.raises((ForgeRefused, ForgeUnavailable)) as caught:
            github_host.propose(with_change(branch=f"submissions/profile/x-{status}"))
        messages.append(str(caught.value))
    assert "opened pull request #1" in caplog.text
    assert TOKEN not in caplog.text
    assert TOKEN not in " ".join(messages)
    assert TOKEN not in repr(github_host)


# --- a working clone left behind by a crash -------------------------------------------------------


def _lock(relative: str):
    """A crash that leaves the lock file ``relative`` under .git behind."""
    return lambda clone: (clone / ".git" / relative).write_bytes(b"")


def _truncate_index(clone: Path) -> None:
    """A crash halfway through writing the index: the file is cut short."""
    index = clone / ".git" / "index"
    index.write_bytes(index.read_bytes()[:40])


def _detach_with_a_partial_commit(clone: Path) -> None:
    """A crash after commit wrote its objects but before the branch moved, on a detached HEAD."""
    git(clone, "checkout", "-q", "--detach")
    (clone / "stray.md").write_text("half of a change\n")
    git(clone, "add", "stray.md")
    (clone / ".git" / "index.lock").write_bytes(b"DIRC")


CRASH_STATES = {
    "index.lock": _lock("index.lock"),
    "HEAD.lock": _lock("HEAD.lock"),
    "config.lock": _lock("config.lock"),
    "shallow.lock": _lock("shallow.lock"),
    "branch ref lock": _lock("refs/heads/main.lock"),
    "packed-refs.lock": _lock("packed-refs.lock"),
    "reflog lock": _lock("logs/refs/heads/main.lock"),
    "truncated index": _truncate_index,
    "detached HEAD, staged file and index.lock": _detach_with_a_partial_commit,
    "no .git/HEAD": lambda clone: (clone / ".git" / "HEAD").unlink(),
}


@pytest.mark.parametrize("crash", CRASH_STATES.values(), ids=CRASH_STATES.keys())
def test_plain_git_repairs_a_clone_a_crash_left_behind(bare_remote, plain_host, crash):
    """Whatever state a killed git left in the working clone, the next proposal is pushed, exactly as
    it would be from a fresh clone, and no lock file stays behind."""
    plain_host.propose(with_change(branch="submissions/profile/first-1111111"))
    crash(plain_host.clone)
    assert plain_host.propose(CHANGE).created is True
    assert files_on(bare_remote, BRANCH) == SEED | CHANGE.files
    assert git(bare_remote, "rev-list", "--count", BRANCH).strip() == "2"
    assert not list((plain_host.clone / ".git").rglob("*.lock"))


def test_plain_git_leaves_a_lock_newer_than_the_operation_alone(bare_remote, plain_host):
    """A lock file that appeared after the operation began belongs to a live git: it is not removed."""
    plain_host.propose(with_change(branch="submissions/profile/first-1111111"))
    lock = plain_host.clone / ".git" / "index.lock"
    lock.write_bytes(b"")
    future = lock.stat().st_mtime + 3600
    os.utime(lock, (future, future))
    with pytest.raises(ForgeUnavailable):
        plain_host.propose(CHANGE)
    assert lock.exists()


def test_stale_locks_are_looked_for_only_where_git_puts_them(tmp_path):
    """Locks in .git itself and under refs/ and logs/ are removed; the object store is never walked,
    so a lock-like file there is neither removed nor reported."""
    git_dir = tmp_path / ".git"
    where_git_locks = [
        "index.lock",
        "HEAD.lock",
        "config.lock",
        "refs/heads/a/b.lock",
        "logs/refs/heads/a.lock",
    ]
    elsewhere = ["objects/pack/tmp_pack_1.lock", "objects/info/commit-graph.lock"]
    for name in where_git_locks + elsewhere:
        (git_dir / name).parent.mkdir(parents=True, exist_ok=True)
        (git_dir / name).write_bytes(b"")
    assert remove_stale_locks(git_dir, time.time() + 1) == []
    assert [name for name in where_git_locks + elsewhere if (git_dir / name).exists()] == elsewhere


# --- GitLab ---------------------------------------------------------------------------------------

GITLAB_TOKEN = "glpat-s3cr3t-token-never-logged"


@pytest.fixture
def fake_gitlab() -> Iterator[FakeGitLab]:
    """A running FakeGitLab seeded with SEED."""
    with FakeGitLab(token=GITLAB_TOKEN, project="kulturamt/cucon-site", files=SEED) as fake:
        yield fake


@pytest.fixture
def gitlab_host(fake_gitlab: FakeGitLab) -> Iterator[GitLabHost]:
    """A GitLabHost talking to the fake by the project's path, closed after the test."""
    with GitLabHost(fake_gitlab.url, GITLAB_TOKEN, "kulturamt/cucon-site", timeout=5.0) as host:
        yield host


def writes(fake: FakeGitLab) -> list[str]:
    """The POSTs the fake received, as "POST <path below the project>"."""
    return [r["path"].split("/", 5)[-1] for r in fake.requests if r["method"] == "POST"]


def test_gitlab_opens_a_labelled_merge_request_with_the_files(fake_gitlab, gitlab_host):
    """One commit on the branch from main with exactly the change; the MR targets main with the
    change's title, description and labels, and removes its branch when merged."""
    result = gitlab_host.propose(CHANGE)
    assert result.created is True
    assert fake_gitlab.files_of(BRANCH) == SEED | CHANGE.files
    commit = fake_gitlab.commit_of(BRANCH)
    assert (commit["message"], commit["parent"]) == (CHANGE.message, fake_gitlab.commit_of("main")["id"])
    assert result.head == commit["id"]
    [request] = fake_gitlab.merge_requests
    assert (result.number, result.url) == (request["iid"], request["web_url"])
    assert result.url.endswith("/kulturamt/cucon-site/-/merge_requests/1")
    assert (request["source_branch"], request["target_branch"]) == (BRANCH, "main")
    assert (request["title"], request["description"]) == (CHANGE.title, CHANGE.body)
    assert request["labels"] == ["submission", "profile"]
    assert request["force_remove_source_branch"] is True
    assert writes(fake_gitlab) == ["repository/commits", "merge_requests"]
    headers = fake_gitlab.requests[-1]["headers"]
    assert headers["private-token"] == GITLAB_TOKEN
    assert headers["user-agent"].startswith("cucon/")
    assert all("/projects/kulturamt%2Fcucon-site/" in r["path"] for r in fake_gitlab.requests)


def test_gitlab_updates_existing_files_and_deletes(fake_gitlab, gitlab_host):
    """A file main has is updated, a new one created, a deleted one gone; the numeric id works too."""
    change = with_change(
        files={"README.md": b"# New\n", "content/new.md": b"new\n"},
        deletions=("content/profiles/jan-novak.md",),
        labels=(),
    )
    with GitLabHost(fake_gitlab.url, GITLAB_TOKEN, str(fake_gitlab.project_id)) as host:
        host.propose(change)
    expected = {k: v for k, v in SEED.items() if "jan-novak" not in k} | change.files
    assert fake_gitlab.files_of(BRANCH) == expected
    assert fake_gitlab.merge_requests[0]["labels"] == []


def test_gitlab_proposing_again_returns_the_same_merge_request(fake_gitlab, gitlab_host):
    """The second proposal finds the branch and its open MR: created=False, no second commit."""
    first = gitlab_host.propose(CHANGE)
    head = fake_gitlab.commit_of(BRANCH)["id"]
    again = gitlab_host.propose(CHANGE)
    assert (again.created, again.number, again.url) == (False, first.number, first.url)
    assert len(fake_gitlab.merge_requests) == 1
    assert fake_gitlab.commit_of(BRANCH)["id"] == head
    assert writes(fake_gitlab) == ["repository/commits", "merge_requests"]


def test_gitlab_opens_the_missing_merge_request_of_an_existing_branch(fake_gitlab, gitlab_host):
    """When GitLab failed after the commit, the retry opens the MR once and commits nothing again."""
    fake_gitlab.fail_with, fake_gitlab.fail_match = 502, r"^POST .*/merge_requests$"
    with pytest.raises(ForgeUnavailable, match="GitLab answered 502"):
        gitlab_host.propose(CHANGE)
    assert sorted(fake_gitlab.branches) == sorted(["main", BRANCH])
    assert fake_gitlab.merge_requests == []
    head = fake_gitlab.commit_of(BRANCH)["id"]
    fake_gitlab.reset()
    result = gitlab_host.propose(CHANGE)
    assert result.created is True
    assert [m["iid"] for m in fake_gitlab.merge_requests] == [result.number]
    assert fake_gitlab.commit_of(BRANCH)["id"] == head


def test_gitlab_refuses_a_change_that_changes_nothing(fake_gitlab, gitlab_host):
    """Files exactly as main has them, or deleting a file main lacks, make no branch: ForgeRefused."""
    for change in (
        with_change(files={"README.md": SEED["README.md"]}),
        with_change(files={}, deletions=("x.md",)),
    ):
        with pytest.raises(ForgeRefused, match="as it is"):
            gitlab_host.propose(change)
    assert sorted(fake_gitlab.branches) == ["main"]


def test_gitlab_description_runs_no_quick_action(fake_gitlab, gitlab_host):
    """Every line of the description that GitLab could run as a quick action reaches it neutralised."""
    body = "Anna\n/close\n  /assign @eve\n/label ~spam\nnot/a command"
    gitlab_host.propose(with_change(body=body))
    description = fake_gitlab.merge_requests[0]["description"]
    assert description == f"Anna\n{BREAK}/close\n{BREAK}  /assign @eve\n{BREAK}/label ~spam\nnot/a command"
    assert [line for line in description.splitlines() if line.lstrip().startswith("/")] == []


@pytest.mark.parametrize("bad", BAD_PATHS)
def test_gitlab_refuses_paths_before_any_request(fake_gitlab, gitlab_host, bad):
    """A path that could leave the work tree is a ValueError before the API is called at all."""
    with pytest.raises(ValueError, match="refused path"):
        gitlab_host.propose(with_change(files={bad: b"x"}))
    assert fake_gitlab.requests == []


@pytest.mark.parametrize("bad", ["submissions/../main", "-x", "a b", "x.lock"])
def test_gitlab_refuses_branches_before_any_request(fake_gitlab, gitlab_host, bad):
    """A branch name git or GitLab could read otherwise is a ValueError, and nothing is sent."""
    with pytest.raises(ValueError, match="refused branch"):
        gitlab_host.propose(with_change(branch=bad))
    assert fake_gitlab.requests == []


@pytest.mark.parametrize("bad", ["site", "../x", "a/../b", "a b/c", "group/", "1 2", "a/b?c"])
def test_gitlab_refuses_a_project_that_is_neither_a_number_nor_a_path(fake_gitlab, bad):
    """The project is a number or group/name (subgroups allowed); anything else is refused at once."""
    with pytest.raises(ValueError, match="project must be"):
        GitLabHost(fake_gitlab.url, GITLAB_TOKEN, bad)
    assert (
        GitLabHost(fake_gitlab.url, GITLAB_TOKEN, "kulturamt/sub/cucon-site").project
        == "kulturamt/sub/cucon-site"
    )
    assert fake_gitlab.requests == []


def test_gitlab_wrong_token_is_refused(fake_gitlab):
    """A token GitLab does not know is refused for good, with GitLab's message, the token unnamed."""
    with (
        GitLabHost(fake_gitlab.url, "wrong-token", "kulturamt/cucon-site") as host,
        pytest.raises(ForgeRefused, match=r"401.*401 Unauthorized") as caught,
    ):
        host.propose(CHANGE)
    assert "wrong-token" not in str(caught.value)
    assert caught.value.status == 401


def test_gitlab_replace_makes_moves_and_keeps_one_merge_request(fake_gitlab, gitlab_host):
    """replace(): the first makes the branch and opens the MR; new content forces the branch onto one
    new commit on main and updates the open MR's title and description; the same content again
    commits nothing and touches no MR."""
    first = gitlab_host.replace(CHANGE)
    head = fake_gitlab.commit_of(BRANCH)["id"]
    assert (first.created, first.updated, first.head) == (True, False, head)
    edited = with_change(
        files={"content/profiles/anna-kowalska.md": b"---\nname: Anna K.\n---\n"},
        title="Anna K.",
        body="/close",
    )
    second = gitlab_host.replace(edited)
    assert (second.created, second.updated, second.number) == (False, True, first.number)
    moved = fake_gitlab.commit_of(BRANCH)
    assert second.head == moved["id"] != head
    assert moved["parent"] == fake_gitlab.commit_of("main")["id"]  # from main, not on the old commit
    assert fake_gitlab.files_of(BRANCH) == SEED | edited.files
    [request] = fake_gitlab.merge_requests
    assert (request["title"], request["description"], request["state"]) == (
        "Anna K.",
        f"{BREAK}/close",
        "opened",
    )
    requests = len(fake_gitlab.requests)
    third = gitlab_host.replace(edited)
    assert (third.created, third.updated, third.head) == (False, False, second.head)
    assert [r for r in fake_gitlab.requests[requests:] if r["method"] != "GET"] == []
    assert len(fake_gitlab.merge_requests) == 1


def test_gitlab_replace_opens_a_new_merge_request_when_the_old_one_was_closed(fake_gitlab, gitlab_host):
    """Staff closed the MR; the next edit opens a new one on the same branch."""
    first = gitlab_host.replace(CHANGE)
    closed = fake_gitlab.answer(
        "PUT",
        f"/api/v4/projects/{fake_gitlab.project_id}/merge_requests/{first.number}",
        {"private-token": GITLAB_TOKEN},
        b'{"state_event": "close"}',
    )
    assert closed[0] == 200
    again = gitlab_host.replace(with_change(body="edited", files={"content/profiles/x.md": b"x"}))
    assert again.created is True
    assert [m["state"] for m in fake_gitlab.merge_requests] == ["closed", "opened"]
    assert fake_gitlab.files_of(BRANCH) == SEED | {"content/profiles/x.md": b"x"}


def test_gitlab_commit_status_and_comment(fake_gitlab, gitlab_host):
    """set_status() maps GitHub's states to GitLab's and cuts the description to 140 characters; a
    state or SHA that is not one is refused before any request; comment() writes a note without quick
    actions and returns its address on the merge request."""
    result = gitlab_host.propose(CHANGE)
    for state in ("failure", "error", "success", "pending"):
        gitlab_host.set_status(result.head, state, "x" * 300, "cucon/checks", "https://example.org/run/1")
    assert [s["status"] for s in fake_gitlab.statuses] == ["failed", "failed", "success", "pending"]
    status = fake_gitlab.statuses[0]
    assert (status["sha"], status["name"], status["description"]) == (result.head, "cucon/checks", "x" * 140)
    assert status["target_url"] == "https://example.org/run/1"
    requests = len(fake_gitlab.requests)
    for sha, state in (
        (result.head, "failed"),
        ("../../merge_requests/1", "success"),
        (result.head[:7], "success"),
    ):
        with pytest.raises(ValueError, match="refused commit status"):
            gitlab_host.set_status(sha, state, "d", "cucon/checks")
    assert len(fake_gitlab.requests) == requests
    url = gitlab_host.comment(result.number, "Checks failed.\n/approve")
    [note] = fake_gitlab.notes
    assert (note["merge_request"], note["body"]) == (result.number, f"Checks failed.\n{BREAK}/approve")
    assert url == f"{result.url}#note_{note['id']}"
    with pytest.raises(ForgeRefused, match="404"):
        gitlab_host.comment(99, "x")


def test_gitlab_token_branch_and_paths_never_reach_logs_or_errors(fake_gitlab, gitlab_host, caplog):
    """Log records (httpx's included, at DEBUG) and errors are free of the token; errors also of the
    branch and file names, which carry slugs."""
    caplog.set_level(logging.DEBUG)
    gitlab_host.propose(CHANGE)
    gitlab_host.propose(CHANGE)
    messages = []
    for status in (401, 502):
        fake_gitlab.fail_with = status
        for match in (r"/repository/branches/", r"/repository/files/"):
            fake_gitlab.fail_match = match
            with pytest.raises((ForgeRefused, ForgeUnavailable)) as caught:
                gitlab_host.propose(with_change(branch=f"submissions/profile/x-{status}"))
            messages.append(str(caught.value))
    assert "opened merge request !1" in caplog.text
    assert GITLAB_TOKEN not in caplog.text
    assert GITLAB_TOKEN not in " ".join(messages)
    assert "<branch>" in messages[0], messages
    assert "<path>" in messages[1], messages
    assert not any("x-401" in m or "x-502" in m or "anna-kowalska" in m for m in messages), messages
    assert GITLAB_TOKEN not in repr(gitlab_host)
