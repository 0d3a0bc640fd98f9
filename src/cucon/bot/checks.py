"""The checks of a pull request (``cucon check``, the build, the summary), run on a branch the
issue-form path made, before any token that can write sees it.

GitHub starts no workflow for a pull request opened with the workflow's own token, so pr.yml never
checks the pull requests of the issue forms. The issue-form path therefore commits the entry onto
its base in a real git worktree, runs the same commands pr.yml runs there (in a child process
whose environment holds no token), and hands the result on; the job that may write reports it as a
commit status named :data:`CONTEXT` on the pull request's head commit, the name pr.yml's job has
too, so staff and branch protection tell a checked pull request from an unchecked one.
"""

from __future__ import annotations

import logging
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from cucon.bot.githost import GIT_OPTIONS, BranchCommit, checked_path, git_environment

logger = logging.getLogger(__name__)

CONTEXT = "cucon/checks"
"""The name of the checks on a pull request: the commit status of the issue-form path and the job of pr.yml."""

CHECK_SECONDS = 600.0
BUILD_SECONDS = 1200.0
"""The longest ``cucon check`` and the build may take, as pr.yml's job timeout would allow."""

REPORT_LINES = 40
"""How many last lines of a failed check's output the report keeps."""

AUTHOR = ("CuCon", "cucon@localhost")


@dataclass(frozen=True)
class Outcome:
    """One check: its name as staff read it, whether it passed, and the end of its output."""

    name: str
    passed: bool
    output: str


@dataclass(frozen=True)
class Checks:
    """The checks of one commit: each outcome, and the summary pr.yml writes for reviewers."""

    head: str
    outcomes: tuple[Outcome, ...]
    summary: str

    @property
    def state(self) -> str:
        """``success`` when every check passed, else ``failure`` (the commit status's state)."""
        return "success" if all(o.passed for o in self.outcomes) else "failure"

    @property
    def description(self) -> str:
        """One line for the commit status (at most 140 characters).

        >>> Checks("0" * 40, (Outcome("cucon check", True, ""), Outcome("build", False, "")), "").description
        'failed: build (passed: cucon check)'
        """
        failed = [o.name for o in self.outcomes if not o.passed]
        passed = [o.name for o in self.outcomes if o.passed]
        if not failed:
            return f"passed: {', '.join(passed)}"
        return f"failed: {', '.join(failed)}" + (f" (passed: {', '.join(passed)})" if passed else "")

    def as_json(self) -> dict:
        """The checks as plain data for the proposal file."""
        return {
            "head": self.head,
            "outcomes": [{"name": o.name, "passed": o.passed, "output": o.output} for o in self.outcomes],
            "summary": self.summary,
        }

    @classmethod
    def from_json(cls, data: dict) -> Checks:
        """The checks of a proposal file; ValueError when it does not read as checks."""
        try:
            outcomes = tuple(
                Outcome(str(o["name"]), o["passed"] is True, str(o["output"])) for o in data["outcomes"]
            )
            return cls(str(data["head"]), outcomes, str(data["summary"]))
        except (KeyError, TypeError) as exc:
            raise ValueError(f"the checks cannot be read: {exc}") from None


def clean_environment() -> dict[str, str]:
    """The environment of a check: this one without any token or the runner's own credentials."""
    return {
        key: value
        for key, value in os.environ.items()
        if "TOKEN" not in key.upper() and not key.startswith("ACTIONS_") and key != "SOURCE_DATE_EPOCH"
    }


def _git(repo: Path, *args: str) -> str:
    """Run git in ``repo`` without user configuration, hooks or signing; its output, stripped."""
    env = clean_environment() | git_environment(AUTHOR)
    result = subprocess.run(
        ["git", *GIT_OPTIONS, *args],
        cwd=repo,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    if result.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed: {result.stderr.strip()[-300:]}")
    return result.stdout.strip()


@contextmanager
def branch_worktree(repo: Path, base: str, change: BranchCommit) -> Iterator[tuple[Path, str, str]]:
    """A git worktree of ``repo`` at ``base`` plus the change, committed: (its folder, the full SHA
    of ``base``, the commit).

    The worktree is removed afterwards; the commit stays in ``repo``'s objects.
    """
    base = _git(repo, "rev-parse", "--verify", f"{base}^{{commit}}")
    with tempfile.TemporaryDirectory(prefix="cucon-checks-") as folder:
        tree = Path(folder) / "tree"
        _git(repo, "worktree", "add", "--detach", "--quiet", str(tree), base)
        try:
            root = tree.resolve()
            for path, data in change.files.items():
                target = tree.joinpath(*checked_path(path).split("/"))
                if not target.parent.resolve().is_relative_to(root):
                    raise ValueError(f"refused path {path!r}: it leads through a link")
                target.parent.mkdir(parents=True, exist_ok=True)
                target.unlink(missing_ok=True)
                target.write_bytes(data)
            for path in change.deletions:
                tree.joinpath(*checked_path(path).split("/")).unlink(missing_ok=True)
            _git(tree, "add", "-A")
            _git(tree, "commit", "--quiet", "--no-verify", "--allow-empty", "-m", change.message)
            yield tree, base, _git(tree, "rev-parse", "HEAD")
        finally:
            _git(repo, "worktree", "remove", "--force", str(tree))


def _child(command: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a command of the checks in a child process without tokens; its output as text."""
    return subprocess.run(
        command,
        cwd=cwd,
        env=clean_environment() | {"NO_COLOR": "1"},
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        errors="replace",
        check=False,
        timeout=timeout,
    )


def _run(name: str, command: list[str], cwd: Path, timeout: float) -> Outcome:
    """Run one check in a child process without tokens; passed when it exits 0 in time."""
    try:
        result = _child(command, cwd, timeout)
    except subprocess.TimeoutExpired:
        return Outcome(name, False, f"{name} took longer than {timeout:g} s and was stopped")
    lines = (result.stdout + result.stderr).strip().splitlines()
    if result.returncode == 0:
        return Outcome(name, True, "")
    logger.info("%s failed with exit status %d", name, result.returncode)
    return Outcome(name, False, "\n".join(lines[-REPORT_LINES:]) or f"exit status {result.returncode}")


def run_checks(tree: Path, base: str, head: str) -> Checks:
    """pr.yml's checks on the worktree at ``head``: ``cucon check``, the build of ``make html`` (into a
    folder of its own) and the summary against ``base``."""
    cucon = [sys.executable, "-m", "cucon.cli"]
    outcomes = [_run("cucon check", [*cucon, "check"], tree, CHECK_SECONDS)]
    with tempfile.TemporaryDirectory(prefix="cucon-checks-output-") as output:
        build = [
            sys.executable,
            "-m",
            "pelican",
            "content",
            "-s",
            "pelicanconf.py",
            "-o",
            output,
            "--log-handler",
            "plain",
        ]
        outcomes.append(_run("build", [*build, "--fatal", "warnings"], tree, BUILD_SECONDS))
    summary = _child(
        [*cucon, "summary", "--base", base, "--head", head, "--repo", str(tree)], tree, CHECK_SECONDS
    )
    outcomes.append(Outcome("summary", summary.returncode == 0, summary.stderr.strip()[-2000:]))
    return Checks(head, tuple(outcomes), summary.stdout)


def report(checks: Checks) -> str:
    """The failed checks' output for a comment on the pull request, each in a code block (so nothing
    in it is markup, a mention or a link).

    >>> print(report(Checks("0" * 40, (Outcome("build", False, "x ``` @team"),), "")))
    - build
    <BLANKLINE>
    ````text
    x ``` @team
    ````
    """
    parts = []
    for outcome in checks.outcomes:
        if outcome.passed:
            continue
        fence = "`" * max(3, 1 + max((len(run) for run in _backtick_runs(outcome.output)), default=0))
        parts.append(f"- {outcome.name}\n\n{fence}text\n{outcome.output}\n{fence}")
    return "\n\n".join(parts)


def _backtick_runs(text: str) -> list[str]:
    """The runs of backticks in a text.

    >>> _backtick_runs("a ` b ``` c")
    ['`', '```']
    """
    runs, current = [], ""
    for char in text:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return [*runs, current] if current else runs
