"""`cucon scope` on real git history: only plain files inside content/ make a content-only pull request."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from support import output_of, run_cucon

from cucon.scope import changed_paths, code_change


def git(repo: Path, *args: str) -> str:
    """Run git in a test repository and return what it printed."""
    result = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=True)
    return result.stdout


def commit_all(repo: Path, message: str) -> str:
    """Commit every change in the working tree and return the new commit's id."""
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def write(repo: Path, path: str, text: str = "x\n") -> None:
    """Write a file of the repository, with its folders."""
    (repo / path).parent.mkdir(parents=True, exist_ok=True)
    (repo / path).write_text(text, "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A real git repository on main: some content, a symlink in content/, and code beside it."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for key, value in (("user.name", "Test"), ("user.email", "test@example.org"), ("core.symlinks", "true")):
        git(repo, "config", key, value)
    write(repo, "content/profiles/anna.md", "---\ntitle: Anna\n---\nHallo\n")
    write(repo, "content/profiles/anna.jpg", "not really a picture\n")
    write(repo, "content/cities/hannover.yaml", "names: {de: Hannover}\n")
    write(repo, "Makefile", "all:\n")
    write(repo, "src/cucon/cli.py", "print()\n")
    os.symlink("anna.md", repo / "content/profiles/old-link.md")
    commit_all(repo, "main")
    git(repo, "checkout", "-q", "-b", "pr")
    return repo


def _submodule(repo: Path) -> None:
    """Record a commit of another repository as a submodule (gitlink) inside content/."""
    sha = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{sha},content/vendor")


def _symlink(target: str, path: str) -> Callable[[Path], None]:
    """A change that adds a symlink."""
    return lambda repo: os.symlink(target, repo / path)


def _to_symlink(repo: Path) -> None:
    """Turn a content file into a symlink to code (a type change)."""
    (repo / "content/profiles/anna.md").unlink()
    os.symlink("../../Makefile", repo / "content/profiles/anna.md")


def _rename(old: str, new: str) -> Callable[[Path], None]:
    """A change that moves a file."""

    def move(repo: Path) -> None:
        (repo / new).parent.mkdir(parents=True, exist_ok=True)
        (repo / old).rename(repo / new)

    return move


def _both(*changes: Callable[[Path], None]) -> Callable[[Path], None]:
    """Several changes in one commit."""
    return lambda repo: [change(repo) for change in changes] and None


CHANGES = [
    # (id, change to the working tree, expected scope)
    ("edit-profile", lambda r: write(r, "content/profiles/anna.md", "---\ntitle: Anna B\n---\n"), "content"),
    ("add-image", lambda r: write(r, "content/profiles/ben.jpg"), "content"),
    ("add-yaml", lambda r: write(r, "content/cities/leipzig.yaml"), "content"),
    ("delete-content", lambda r: (r / "content/cities/hannover.yaml").unlink(), "content"),
    ("rename-in-content", _rename("content/profiles/anna.md", "content/profiles/anna-b.md"), "content"),
    ("executable-bit", lambda r: (r / "content/profiles/anna.jpg").chmod(0o755), "content"),
    ("edit-code", lambda r: write(r, "Makefile", "all:\n\techo hi\n"), "code"),
    (
        "content-and-code",
        _both(lambda r: write(r, "content/profiles/ben.md"), lambda r: write(r, "x.py")),
        "code",
    ),
    ("rename-content-out", _rename("content/profiles/anna.md", "plugins/anna.py"), "code"),
    ("rename-code-in", _rename("src/cucon/cli.py", "content/cli.py"), "code"),
    ("delete-code", lambda r: (r / "Makefile").unlink(), "code"),
    ("add-symlink", _symlink("../../Makefile", "content/profiles/ben.md"), "code"),
    ("add-symlink-to-content", _symlink("anna.md", "content/profiles/ben.md"), "code"),
    ("file-to-symlink", _to_symlink, "code"),
    ("delete-symlink", lambda r: (r / "content/profiles/old-link.md").unlink(), "code"),
    ("submodule-in-content", _submodule, "code"),
    ("gitattributes-in-content", lambda r: write(r, "content/.gitattributes", "* filter=x\n"), "code"),
    ("gitmodules", lambda r: write(r, ".gitmodules"), "code"),
    ("other-case", lambda r: write(r, "Content/profiles/ben.md"), "code"),
    ("longer-folder-name", lambda r: write(r, "contents/profiles/ben.md"), "code"),
    ("folder-name-prefix", lambda r: write(r, "content.md"), "code"),
    ("workflow", lambda r: write(r, ".github/workflows/pr.yml"), "code"),
    ("nothing", lambda r: None, "code"),
]


@pytest.mark.parametrize(("change", "scope"), [pytest.param(*c[1:], id=c[0]) for c in CHANGES])
def test_a_change_is_content_only_when_every_path_is_a_plain_file_in_content(repo, change, scope):
    """Renames and deletions count both sides; a path outside content/ or a symlink makes it code."""
    change(repo)
    head = commit_all(repo, "pull request")
    reason = code_change(changed_paths(repo, "main", head))
    assert ("code" if reason else "content") == scope, reason


@pytest.mark.parametrize(
    ("change", "scope", "reason"),
    [
        (lambda r: write(r, "content/profiles/ben.md"), "content", ""),
        (lambda r: write(r, "content/profiles/ben.md\n::error::x"), "content", ""),
        (
            _symlink("../../Makefile", "content/profiles/ben.md"),
            "code",
            "a code change: 'content/profiles/ben.md'",
        ),
        (
            lambda r: write(r, "::stop-commands::x\n::error::y"),
            "code",
            "a code change: '::stop-commands::x\\n::",
        ),
    ],
    ids=["content", "content-odd-name", "code", "code-odd-name"],
)
def test_the_command_prints_the_scope_and_logs_why_it_is_code(repo, change, scope, reason):
    """`cucon scope` prints one word for the workflow; the reason names the path quoted, on one line."""
    change(repo)
    head = commit_all(repo, "pull request")
    result = run_cucon("scope", "--base", "main", "--head", head, cwd=repo)
    assert result.returncode == 0, output_of(result)
    assert result.stdout == f"{scope}\n"
    assert reason in result.stderr
    assert all(not line.startswith("::") for line in output_of(result).splitlines())


def test_a_code_change_hidden_in_an_earlier_commit_of_the_pull_request_counts(repo):
    """The whole pull request counts, not only its last commit."""
    write(repo, "Makefile", "all:\n\techo hi\n")
    commit_all(repo, "code")
    write(repo, "content/profiles/ben.md")
    head = commit_all(repo, "content")
    assert code_change(changed_paths(repo, "main", head)) == "'Makefile' is outside content/"


def test_a_merged_branch_with_code_makes_a_code_change(repo):
    """A pull request that merges in a branch carrying code is a code change."""
    git(repo, "checkout", "-q", "-b", "side", "main")
    write(repo, "plugins/evil.py")
    commit_all(repo, "side")
    git(repo, "checkout", "-q", "pr")
    write(repo, "content/profiles/ben.md")
    commit_all(repo, "content")
    git(repo, "merge", "-q", "--no-edit", "side")
    head = git(repo, "rev-parse", "HEAD").strip()
    assert code_change(changed_paths(repo, "main", head)) == "'plugins/evil.py' is outside content/"


def test_code_that_main_gained_since_the_branch_point_is_not_the_pull_requests(repo):
    """Main moving on with code after the pull request branched off leaves a content change content-only."""
    write(repo, "content/profiles/ben.md")
    head = commit_all(repo, "content")
    git(repo, "checkout", "-q", "main")
    write(repo, "Makefile", "all:\n\techo main\n")
    base = commit_all(repo, "main moves on")
    assert code_change(changed_paths(repo, base, head)) is None


def test_a_revision_git_does_not_know_is_an_error(repo):
    """An unknown SHA stops the command with git's reason and exit 2, and prints no scope."""
    result = run_cucon("scope", "--base", "main", "--head", "0" * 40, cwd=repo)
    assert result.returncode == 2
    assert result.stdout == ""
    assert "git rev-parse failed" in result.stderr
