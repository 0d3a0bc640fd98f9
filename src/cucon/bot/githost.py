"""Propose a change to the content repository: a branch with one commit and, on GitHub, a pull request.

One small interface, ``GitHost`` (as Staticman's GitService), with three implementations:
``PlainGitHost`` pushes a branch to any git remote (a local bare repository, Forgejo or Gitea, GitLab
over git) with the git command, ``GitHubHost`` uses GitHub's REST API (blobs, tree, commit, ref,
pull request) with an installation token or a fine-grained token, and ``GitLabHost``
(:mod:`cucon.bot.gitlab`) uses GitLab's REST API v4 on the common base ``ApiHost``.

Proposing is idempotent: the branch name is the key, so a retry after a crash or an outage never makes a
second branch or pull request. Failures come in two kinds: ``ForgeUnavailable`` (keep the change and
try again later) and ``ForgeRefused`` (trying again will not help). Branch names carry the slug of a
name, so the log lines here leave them out; tokens never reach a log line or an error message.
"""

from __future__ import annotations

import base64
import email.utils
import fcntl
import logging
import os
import re
import shutil
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Self
from urllib.parse import quote, urlsplit

import httpx

from cucon import __version__

logger = logging.getLogger(__name__)

USER_AGENT = f"cucon/{__version__} (submission service)"


@dataclass(frozen=True)
class BranchCommit:
    """Files to write and delete on a new branch, and the pull request that proposes them."""

    branch: str
    files: dict[str, bytes]
    deletions: tuple[str, ...]
    message: str
    title: str
    body: str
    labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class ChangeResult:
    """Where a proposed change went; ``created`` is False when its branch was there already.

    ``updated`` is True when :meth:`GitHubHost.replace` moved an existing branch and its open pull
    request to new content; ``head`` is the commit the branch points to, where it is known.
    """

    branch: str
    url: str | None
    number: int | None
    created: bool
    updated: bool = False
    head: str | None = None


class ForgeUnavailable(Exception):
    """The forge could not be reached or answered 5xx/429: keep the change and retry later."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class ForgeRefused(Exception):
    """The forge refused the change for good (4xx other than rate limits): do not retry."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class GitHost(Protocol):
    """A forge that can propose a change."""

    def propose(self, change: BranchCommit) -> ChangeResult:
        """Put the change on its own branch (and open its pull request), once."""
        ...


class PullRequestHost(GitHost, Protocol):
    """A forge with pull requests the issue-form path keeps up to date: one branch and one open pull
    request per issue, the checks' result on its head commit, and comments."""

    def replace(self, change: BranchCommit, base: str | None = None) -> ChangeResult:
        """Point the change's branch at a commit of ``base`` plus the change (force), then update the
        branch's open pull request, or open one."""
        ...

    def set_status(
        self, sha: str, state: str, description: str, context: str, target_url: str | None
    ) -> None:
        """Set a commit status (success, failure, pending or error) on a commit."""
        ...

    def comment(self, number: int, body: str) -> str:
        """Comment on an issue or pull request; its address."""
        ...


# --- checks before anything is written ------------------------------------------------------------

BRANCH = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*")
"""Branch names the service makes: plain segments joined by slashes, nothing git would refuse."""


def checked_branch(name: str) -> str:
    """A branch name as given, or ValueError when git or the forge could read it otherwise.

    >>> checked_branch("submissions/profile/anna-kowalska-1a2b3c4")
    'submissions/profile/anna-kowalska-1a2b3c4'
    >>> checked_branch("submissions/../main")
    Traceback (most recent call last):
    ...
    ValueError: refused branch name 'submissions/../main'
    """
    if not BRANCH.fullmatch(name) or ".." in name or name.endswith((".lock", ".")) or "/." in name:
        raise ValueError(f"refused branch name {name!r}")
    return name


def checked_path(path: str) -> str:
    """A repository-relative path as given, or ValueError when it could reach outside the work tree.

    >>> checked_path("content/profiles/anna-kowalska.md")
    'content/profiles/anna-kowalska.md'
    >>> for bad in ("../x", "/etc/passwd", "content/../../x", ".git/config", "a/.GIT/x", "a\\\\b", "a//b", ""):
    ...     try:
    ...         checked_path(bad)
    ...     except ValueError:
    ...         print("refused", repr(bad))
    refused '../x'
    refused '/etc/passwd'
    refused 'content/../../x'
    refused '.git/config'
    refused 'a/.GIT/x'
    refused 'a\\\\b'
    refused 'a//b'
    refused ''
    """
    parts = path.split("/")
    if (
        not path
        or path.startswith("/")
        or "\\" in path
        or any(ord(c) < 32 for c in path)
        or any(part in ("", ".", "..") or part.lower() == ".git" for part in parts)
    ):
        raise ValueError(f"refused path {path!r}: give a relative path inside the repository")
    return path


def validate_change(change: BranchCommit) -> None:
    """Raise ValueError unless the change is safe to write: sound branch and paths, something to do."""
    checked_branch(change.branch)
    for path in (*change.files, *change.deletions):
        checked_path(path)
    if set(change.files) & set(change.deletions):
        raise ValueError("a path is both written and deleted")
    if not change.files and not change.deletions:
        raise ValueError("the change has no files to write or delete")
    if not change.message.strip() or not change.title.strip():
        raise ValueError("the change needs a commit message and a title")
    if any(not isinstance(data, bytes) for data in change.files.values()):
        raise ValueError("file contents must be bytes")


@contextmanager
def _branch_hidden(branch: str) -> Iterator[None]:
    """Leave the branch name, which carries the slug of a name, out of forge errors: they get logged.

    >>> with _branch_hidden("submissions/profile/anna-1a2b3c4"):
    ...     raise ForgeRefused("No commits between main and submissions/profile/anna-1a2b3c4", 422)
    Traceback (most recent call last):
    ...
    cucon.bot.githost.ForgeRefused: No commits between main and <branch>
    """
    hidden = (branch, branch.rsplit("/", 1)[-1])
    try:
        yield
    except ForgeUnavailable as exc:
        raise ForgeUnavailable(_hide(str(exc), hidden), exc.retry_after) from None
    except ForgeRefused as exc:
        raise ForgeRefused(_hide(str(exc), hidden), exc.status) from None


def _hide(text: str, names: tuple[str, ...]) -> str:
    """Text with each of the names replaced by <branch>."""
    for name in names:
        text = text.replace(name, "<branch>")
    return text


# --- plain git ------------------------------------------------------------------------------------

GIT_OPTIONS = (
    "-c", "commit.gpgsign=false",
    "-c", "core.hooksPath=/dev/null",
    "-c", "core.autocrlf=false",
    "-c", "init.defaultBranch=main",
    "-c", "advice.detachedHead=false",
)  # fmt: skip
"""Settings every git call gets, whatever a configuration file somewhere would say."""

PASSED_THROUGH = ("GIT_SSH_COMMAND", "SSH_AUTH_SOCK")


@contextmanager
def held_exclusively(path: Path) -> Iterator[None]:
    """Hold an exclusive ``flock`` on ``path`` (created if missing): the service's own git lock.

    The kernel lets go of it when the process dies, so a crash never leaves it held.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


LOCK_FOLDERS = ("refs", "logs")
"""Folders of ``.git`` where git puts the locks of refs and reflogs (``refs/heads/<branch>.lock``…);
its other locks (``index.lock``, ``HEAD.lock``, ``config.lock``, ``packed-refs.lock``,
``shallow.lock``…) lie in ``.git`` itself. The object store is never walked."""


def git_locks(git_dir: Path) -> list[Path]:
    """The ``*.lock`` files where git puts them: in ``git_dir`` itself and under refs/ and logs/.

    >>> import tempfile
    >>> git_dir = Path(tempfile.mkdtemp())
    >>> for name in ("index.lock", "refs/heads/a/b.lock", "logs/HEAD.lock", "objects/pack/x.lock"):
    ...     (git_dir / name).parent.mkdir(parents=True, exist_ok=True)
    ...     _ = (git_dir / name).write_bytes(b"")
    >>> [str(lock.relative_to(git_dir)) for lock in git_locks(git_dir)]
    ['index.lock', 'logs/HEAD.lock', 'refs/heads/a/b.lock']
    """
    locks = list(git_dir.glob("*.lock"))
    for folder in LOCK_FOLDERS:
        locks += (git_dir / folder).rglob("*.lock")
    return sorted(locks)


def remove_stale_locks(git_dir: Path, started: float) -> list[Path]:
    """Remove git's ``*.lock`` files (:func:`git_locks`) last changed before ``started``; return those left.

    Call it only while holding the service's git lock (:func:`held_exclusively`) and before starting
    any git process: then no git of this service is running, and a lock older than the start of the
    operation was left by one that died (a kill, an out-of-memory kill, a power cut). A lock changed
    since ``started`` belongs to some other live git and stays.

    >>> import tempfile
    >>> git_dir = Path(tempfile.mkdtemp())
    >>> (git_dir / "index.lock").write_bytes(b"")
    0
    >>> remove_stale_locks(git_dir, time.time() + 1), (git_dir / "index.lock").exists()
    ([], False)
    """
    left = []
    for lock in git_locks(git_dir):
        try:
            if lock.is_file() and lock.stat().st_mtime < started:
                lock.unlink()
                logger.warning(
                    "git_stale_lock_removed",
                    extra={"event": "git_stale_lock_removed", "lock": _lock_kind(lock, git_dir)},
                )
            else:
                left.append(lock)
        except FileNotFoundError:
            continue
    return left


def _lock_kind(lock: Path, git_dir: Path) -> str:
    """What a lock is, for the log: its name in ``.git``, else its folder (a branch name carries a slug).

    >>> _lock_kind(Path("/c/.git/refs/heads/submissions/profile/anna-1a2b.lock"), Path("/c/.git"))
    'refs/*.lock'
    >>> _lock_kind(Path("/c/.git/index.lock"), Path("/c/.git"))
    'index.lock'
    """
    return lock.name if lock.parent == git_dir else f"{lock.relative_to(git_dir).parts[0]}/*.lock"


def git_environment(author: tuple[str, str]) -> dict[str, str]:
    """The git settings of every commit the service makes: no user or system configuration, no
    prompts, and ``author`` (name, address) as author and committer.

    >>> git_environment(("CuCon", "cucon@localhost"))["GIT_COMMITTER_NAME"]
    'CuCon'
    """
    name, address = author
    return {
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_TERMINAL_PROMPT": "0",
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": address,
        "GIT_COMMITTER_NAME": name,
        "GIT_COMMITTER_EMAIL": address,
    }


"""Variables kept from the service's environment, so a deploy key for an SSH remote still works."""


class PlainGitHost:
    """Commit to a branch and push it to any git remote, from a working clone kept in ``workdir/clone``."""

    def __init__(
        self,
        remote: str,
        base_branch: str = "main",
        *,
        workdir: Path,
        author: tuple[str, str] = ("CuCon", "cucon@localhost"),
        timeout: float = 120.0,
    ) -> None:
        self.remote = remote
        self.base_branch = checked_branch(base_branch)
        self.workdir = Path(workdir)
        self.clone = self.workdir / "clone"
        self.author = author
        self.timeout = timeout
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"PlainGitHost({self._redact(self.remote)!r}, {self.base_branch!r})"

    def propose(self, change: BranchCommit) -> ChangeResult:
        """Push the change as a new branch, unless the remote has that branch already."""
        validate_change(change)
        with self._lock, held_exclusively(self.workdir / "git.flock"), _branch_hidden(change.branch):
            return self._push(change, started=time.time())

    def _push(self, change: BranchCommit, started: float) -> ChangeResult:
        """Commit the change in the working clone and push it, once."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        heads = self._remote_heads(self.base_branch, change.branch)
        if change.branch in heads:
            return ChangeResult(change.branch, None, None, created=False)
        if self.base_branch not in heads:
            raise ForgeRefused("the remote has no base branch to start from")
        self._prepare(change.branch, started)
        self._write(change)
        if self._git("diff", "--cached", "--quiet", check=False).returncode == 0:
            raise ForgeRefused("the change leaves the repository as it is")
        self._git("commit", "-q", "--no-verify", "-m", change.message)
        commit = self._git("rev-parse", "--short", "HEAD").stdout.strip()
        pushed = self._git(
            "push", "-q", "--no-verify", "origin", f"HEAD:refs/heads/{change.branch}", check=False
        )
        self._git("checkout", "-q", "--detach", check=False)
        self._git("branch", "-q", "-D", change.branch, check=False)
        if pushed.returncode != 0:
            if change.branch in self._remote_heads(change.branch):
                return ChangeResult(change.branch, None, None, created=False)
            raise ForgeUnavailable(f"git push failed: {self._last_line(pushed)}")
        logger.info("pushed commit %s on a new branch", commit)
        return ChangeResult(change.branch, None, None, created=True)

    def _remote_heads(self, *branches: str) -> set[str]:
        """Which of these branches the remote has."""
        result = self._git(
            "ls-remote", "--heads", self.remote, *(f"refs/heads/{b}" for b in branches), cwd=self.workdir
        )
        names = {line.split("\t", 1)[-1] for line in result.stdout.splitlines()}
        return {b for b in branches if f"refs/heads/{b}" in names}

    def _prepare(self, branch: str, started: float) -> None:
        """Fetch the base branch into the working clone and start the branch from it, on a clean tree;
        recreate the clone from the remote when whatever a crash left cannot be repaired in place."""
        git_dir = self.clone / ".git"
        if git_dir.is_dir() and remove_stale_locks(git_dir, started):
            raise ForgeUnavailable("another git is at work in the working clone")
        try:
            self._reset_to_base(branch)
        except ForgeUnavailable as exc:
            logger.warning(
                "git_clone_recreated",
                extra={"event": "git_clone_recreated", "reason": self._redact(str(exc))},
            )
            shutil.rmtree(self.clone, ignore_errors=True)
            self._reset_to_base(branch)

    def _reset_to_base(self, branch: str) -> None:
        """Make the clone (new if missing) hold origin's base branch, checked out as ``branch``."""
        if not (self.clone / ".git").is_dir():
            shutil.rmtree(self.clone, ignore_errors=True)
            self.clone.mkdir(parents=True)
            self._git("init", "-q")
            self._git("remote", "add", "origin", self.remote)
        else:
            self._git("remote", "set-url", "origin", self.remote)
        base = f"refs/remotes/origin/{self.base_branch}"
        self._git("fetch", "-q", "--no-tags", "origin", f"+refs/heads/{self.base_branch}:{base}")
        self._git("checkout", "-q", "--force", "-B", branch, base)
        self._git("clean", "-q", "-fdx")

    def _write(self, change: BranchCommit) -> None:
        """Write and delete the change's files, after making sure none goes through a symbolic link."""
        root = self.clone.resolve()
        targets = {path: self.clone.joinpath(*path.split("/")) for path in (*change.files, *change.deletions)}
        for path, target in targets.items():
            if not target.parent.resolve().is_relative_to(root) or target.is_dir():
                raise ValueError(f"refused path {path!r}: it leads through a link or to a folder")
        for path, data in change.files.items():
            targets[path].parent.mkdir(parents=True, exist_ok=True)
            targets[path].unlink(missing_ok=True)
            targets[path].write_bytes(data)
        for path in change.deletions:
            targets[path].unlink(missing_ok=True)
        self._git("add", "-A")

    def _git(
        self, *args: str, cwd: Path | None = None, check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        """Run git without a shell, user configuration or prompts; a failure is ForgeUnavailable."""
        env = {
            "PATH": os.environ.get("PATH", os.defpath),
            "HOME": str(self.workdir),
            **git_environment(self.author),
            "LC_ALL": "C",
        } | {key: os.environ[key] for key in PASSED_THROUGH if key in os.environ}
        try:
            result = subprocess.run(
                ["git", *GIT_OPTIONS, *args],
                cwd=cwd or self.clone,
                env=env,
                stdin=subprocess.DEVNULL,
                capture_output=True,
                text=True,
                errors="replace",
                check=False,
                timeout=self.timeout,
            )
        except subprocess.TimeoutExpired:
            raise ForgeUnavailable(f"git {args[0]} took longer than {self.timeout:g} s") from None
        if check and result.returncode != 0:
            raise ForgeUnavailable(f"git {args[0]} failed: {self._last_line(result)}")
        return result

    def _last_line(self, result: subprocess.CompletedProcess[str]) -> str:
        """The last line git wrote to stderr, with any password of the remote's address hidden."""
        lines = result.stderr.strip().splitlines() or [f"exit status {result.returncode}"]
        return self._redact(lines[-1])

    def _redact(self, text: str) -> str:
        """Text with the password (or token) of the remote's address replaced by ***."""
        password = urlsplit(self.remote).password if "://" in self.remote else None
        return text.replace(password, "***") if password else text


# --- forges with a REST API -----------------------------------------------------------------------

COMMIT_SHA = re.compile(r"[0-9a-f]{40}")
"""A full commit id, as the API hosts take one (a base to replace onto, a commit to set a status on)."""
COMMIT_STATES = ("success", "failure", "pending", "error")
"""The commit states the checks set (GitHub's names; GitLabHost maps them to its own)."""


def checked_status(state: str, sha: str) -> None:
    """ValueError unless ``state`` is one of :data:`COMMIT_STATES` and ``sha`` a full commit id.

    >>> checked_status("success", "0" * 40)
    >>> checked_status("merged", "0" * 40)
    Traceback (most recent call last):
    ...
    ValueError: refused commit status 'merged' on '0000000000000000000000000000000000000000'
    """
    if state not in COMMIT_STATES or not COMMIT_SHA.fullmatch(sha):
        raise ValueError(f"refused commit status {state!r} on {sha!r}")


class ApiHost:
    """What the hosts of a forge's REST API share: the HTTP client and the guard around each proposal."""

    forge = "The forge"
    _headers: dict[str, str]

    def __init__(self, api_url: str, base_branch: str, timeout: float, client: httpx.Client | None) -> None:
        self.api_url = api_url.rstrip("/")
        self.base_branch = checked_branch(base_branch)
        self.timeout = timeout
        self._client = client or httpx.Client()
        self._owns_client = client is None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the HTTP client, if this host made it."""
        if self._owns_client:
            self._client.close()

    def _guarded(self, change: BranchCommit, work: Callable[[], ChangeResult]) -> ChangeResult:
        """Run ``work`` for a checked change, the branch name kept out of errors and an answer that
        cannot be read made ForgeUnavailable."""
        validate_change(change)
        with _branch_hidden(change.branch):
            try:
                return work()
            except (KeyError, TypeError, ValueError):
                raise ForgeUnavailable(f"{self.forge}'s answer could not be read") from None

    def replace(self, change: BranchCommit, base: str | None = None) -> ChangeResult:
        """Point the change's branch at one new commit on ``base`` (a commit SHA; default the base
        branch's newest), replacing what the branch held, and update its open pull or merge request's
        title and text, or open one. A branch that holds that very content already is left as it is."""
        if base is not None and not COMMIT_SHA.fullmatch(base):
            raise ValueError(f"refused base commit {base!r}")
        return self._guarded(change, lambda: self._replace(change, base))

    def _replace(self, change: BranchCommit, base: str | None) -> ChangeResult:
        """The forge's API calls of one replacement."""
        raise NotImplementedError

    def _request(self, method: str, url: str, label: str, **options: Any) -> httpx.Response:
        """One request with this host's client, headers and timeout (:func:`forge_request`)."""
        return forge_request(
            self._client,
            self.forge,
            method,
            url,
            label,
            headers=self._headers,
            timeout=self.timeout,
            **options,
        )


# --- GitHub ---------------------------------------------------------------------------------------


class GitHubHost(ApiHost):
    """Open pull requests through GitHub's REST API: blobs, a tree, a commit, a ref, a pull request."""

    forge = "GitHub"

    def __init__(
        self,
        api_url: str,
        token: str,
        repository: str,
        base_branch: str = "main",
        timeout: float = 20.0,
        client: httpx.Client | None = None,
    ) -> None:
        owner, _, name = repository.partition("/")
        if not owner or not name or "/" in name:
            raise ValueError(f"repository must read owner/name, not {repository!r}")
        super().__init__(api_url, base_branch, timeout, client)
        self.repository = repository
        self.owner = owner
        self._headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": "2022-11-28",
            "User-Agent": USER_AGENT,
        }

    def __repr__(self) -> str:
        return f"GitHubHost({self.api_url!r}, repository={self.repository!r})"

    def propose(self, change: BranchCommit) -> ChangeResult:
        """Commit the change onto a new branch and open its pull request, or find the one there is."""
        return self._guarded(change, lambda: self._propose(change))

    def _propose(self, change: BranchCommit) -> ChangeResult:
        """The API calls of one proposal: blobs, tree, commit, ref, then the pull request."""
        base = self._call("GET", f"git/ref/heads/{quote(self.base_branch)}").json()["object"]["sha"]
        base_tree = self._call("GET", f"git/commits/{base}").json()["tree"]["sha"]
        tree = self._tree(base_tree, change)
        commit = self._call(
            "POST", "git/commits", json={"message": change.message, "tree": tree, "parents": [base]}
        ).json()["sha"]
        ref = {"ref": f"refs/heads/{change.branch}", "sha": commit}
        response = self._call("POST", "git/refs", json=ref, accept={422})
        if response.status_code == 422:
            if "already exists" not in _message_of(response):
                raise ForgeRefused(f"GitHub refused the branch: {_message_of(response)}", 422)
            existing = self._find_pull(change.branch)
            if existing:
                return self._labelled(existing, change)
        return self._open_pull(change)

    def _replace(self, change: BranchCommit, base: str | None) -> ChangeResult:
        """The API calls of one replacement: the commit, the branch (made or forced), the pull request."""
        base = base or self._call("GET", f"git/ref/heads/{quote(self.base_branch)}").json()["object"]["sha"]
        base_tree = self._call("GET", f"git/commits/{base}").json()["tree"]["sha"]
        tree = self._tree(base_tree, change)
        ref = f"heads/{quote(change.branch)}"
        existing = self._call("GET", f"git/ref/{ref}", accept={404})
        if existing.status_code == 200:
            head = existing.json()["object"]["sha"]
            head_commit = self._call("GET", f"git/commits/{head}").json()
            if head_commit["tree"]["sha"] == tree and [p["sha"] for p in head_commit["parents"]] == [base]:
                found = self._find_pull(change.branch, state="open")
                if found:
                    return ChangeResult(change.branch, found.url, found.number, False, head=head)
                return self._open_pull(change, head)
        commit = self._call(
            "POST", "git/commits", json={"message": change.message, "tree": tree, "parents": [base]}
        ).json()["sha"]
        if existing.status_code == 200:
            self._call("PATCH", f"git/refs/{ref}", json={"sha": commit, "force": True})
        else:
            self._call("POST", "git/refs", json={"ref": f"refs/heads/{change.branch}", "sha": commit})
        found = self._find_pull(change.branch, state="open")
        if found is None:
            return self._open_pull(change, commit)
        update = {"title": change.title, "body": change.body}
        self._call("PATCH", f"pulls/{int(found.number)}", json=update)
        logger.info("updated pull request #%d", found.number)
        return ChangeResult(change.branch, found.url, found.number, False, updated=True, head=commit)

    def set_status(
        self, sha: str, state: str, description: str, context: str, target_url: str | None = None
    ) -> None:
        """Set a commit status on ``sha``: ``state`` success, failure, pending or error."""
        checked_status(state, sha)
        status = {"state": state, "description": description[:140], "context": context}
        if target_url:
            status["target_url"] = target_url
        self._call("POST", f"statuses/{sha}", json=status)

    def comment(self, number: int, body: str) -> str:
        """Write a comment on an issue (or pull request) and return its address."""
        response = self._call("POST", f"issues/{int(number)}/comments", json={"body": body})
        try:
            return str(response.json()["html_url"])
        except (KeyError, TypeError, ValueError):
            raise ForgeUnavailable("GitHub's answer could not be read") from None

    def _tree(self, base_tree: str, change: BranchCommit) -> str:
        """Upload the change's files and make the tree of ``base_tree`` with them; refuse no change."""
        entries = [
            {"path": path, "mode": "100644", "type": "blob", "sha": self._blob(data)}
            for path, data in sorted(change.files.items())
        ] + [{"path": path, "mode": "100644", "type": "blob", "sha": None} for path in change.deletions]
        tree = self._call("POST", "git/trees", json={"base_tree": base_tree, "tree": entries}).json()["sha"]
        if tree == base_tree:
            raise ForgeRefused("the change leaves the repository as it is")
        return tree

    def _blob(self, data: bytes) -> str:
        """Upload one file's content and return its blob sha."""
        content = base64.b64encode(data).decode("ascii")
        return self._call("POST", "git/blobs", json={"content": content, "encoding": "base64"}).json()["sha"]

    def _open_pull(self, change: BranchCommit, head: str | None = None) -> ChangeResult:
        """Open the pull request of a pushed branch (at commit ``head``, where known) and label it."""
        pull = {
            "title": change.title,
            "body": change.body,
            "head": change.branch,
            "base": self.base_branch,
            "maintainer_can_modify": False,
        }
        response = self._call("POST", "pulls", json=pull, accept={422})
        if response.status_code == 422:
            existing = self._find_pull(change.branch) if "already exists" in _message_of(response) else None
            if existing:
                return self._labelled(existing, change)
            raise ForgeRefused(f"GitHub refused the pull request: {_message_of(response)}", 422)
        created = response.json()
        result = ChangeResult(change.branch, created["html_url"], created["number"], created=True, head=head)
        logger.info("opened pull request #%d", result.number)
        return self._labelled(result, change)

    def _labelled(self, pull: ChangeResult, change: BranchCommit) -> ChangeResult:
        """The pull request, with the change's labels added (again: a retry after a crash between
        opening it and labelling it finds it unlabelled; adding a label twice changes nothing)."""
        if change.labels and pull.number is not None:
            self._call("POST", f"issues/{int(pull.number)}/labels", json={"labels": list(change.labels)})
        return pull

    def _find_pull(self, branch: str, state: str = "all") -> ChangeResult | None:
        """The newest pull request whose head is this branch: open or closed, or only ``state``."""
        params = {"head": f"{self.owner}:{branch}", "state": state}
        pulls = self._call("GET", "pulls", params=params).json()
        if not pulls:
            return None
        number = max(pull["number"] for pull in pulls)
        url = next(pull["html_url"] for pull in pulls if pull["number"] == number)
        return ChangeResult(branch, url, number, created=False)

    def _call(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, str] | None = None,
        accept: frozenset[int] | set[int] = frozenset(),
    ) -> httpx.Response:
        """One request to the repository's API; 2xx and ``accept`` come back, the rest is raised."""
        url = f"{self.api_url}/repos/{self.repository}/{path}"
        return self._request(method, url, path, json=json, params=params, accept=accept)


def forge_request(
    client: httpx.Client,
    forge: str,
    method: str,
    url: str,
    path: str,
    *,
    headers: dict[str, str],
    timeout: float,
    json: Any = None,
    params: dict[str, str] | None = None,
    accept: frozenset[int] | set[int] = frozenset(),
) -> httpx.Response:
    """One request to a forge's API; 2xx and ``accept`` come back, the rest is raised as
    ForgeUnavailable (no answer, 5xx, 429, 403 with Retry-After) or ForgeRefused (other 4xx)."""
    try:
        response = client.request(method, url, json=json, params=params, headers=headers, timeout=timeout)
    except httpx.TimeoutException:
        raise ForgeUnavailable(f"{forge} did not answer {method} {path} within {timeout:g} s") from None
    except httpx.TransportError as exc:
        raise ForgeUnavailable(f"{forge} could not be reached ({type(exc).__name__})") from None
    status = response.status_code
    if 200 <= status < 300 or status in accept:
        return response
    retry_after = _retry_after(response)
    message = f"{forge} answered {status} to {method} {path}: {_message_of(response)}"
    # A spent rate limit is 429, or 403 with Retry-After or x-ratelimit-remaining: 0 (GitHub's docs).
    if status == 429 or status >= 500 or (status == 403 and retry_after is not None):
        raise ForgeUnavailable(message, retry_after)
    raise ForgeRefused(message, status)


def _message_of(response: httpx.Response) -> str:
    """The API's error message and the messages of its listed errors, short."""
    try:
        data = response.json()
    except ValueError:
        return response.reason_phrase or "no message"
    if not isinstance(data, dict):
        return response.reason_phrase or "no message"
    parts = [str(data.get("message") or data.get("error") or response.reason_phrase)]
    for error in data.get("errors") or []:
        if isinstance(error, dict) and error.get("message"):
            parts.append(str(error["message"]))
    return "; ".join(parts)[:300]


def _retry_after(response: httpx.Response) -> float | None:
    """Seconds to wait, from Retry-After (seconds or a date) or from a spent primary rate limit."""
    value = response.headers.get("retry-after")
    if value:
        try:
            return max(0.0, float(value))
        except ValueError:
            try:
                return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                return None
    if response.headers.get("x-ratelimit-remaining") == "0":
        try:
            return max(0.0, float(response.headers.get("x-ratelimit-reset", "")) - time.time())
        except ValueError:
            return None
    return None
