"""Nothing unhashed is installed, and Publish builds only what main holds.

The locks (requirements.txt, requirements-bot.txt, requirements-test.txt) pin every package with hashes, and every pip
command of the Makefile, .ci/run, the workflows and deploy/ installs with --require-hashes; the only
exception is the package itself, built from the checkout with --no-index --no-deps
--no-build-isolation, which fetches nothing. tools/publish-ref.sh, which Publish runs before it
builds, lets through a tag or a commit of main and refuses everything else, against a real repository.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import pytest
import yaml
from support import REPO, git

LOCKS = ("requirements.txt", "requirements-bot.txt", "requirements-test.txt")
INPUTS = {
    "requirements.txt": "requirements.in",
    "requirements-bot.txt": "requirements-bot.in",
    "requirements-test.txt": "requirements-test.in",
}
BUILD_ONLY = {"pelican", "markdown", "feedgen", "icalendar", "pagefind", "pagefind-bin-extended", "lxml"}
"""Packages of the site build that the bot's lock must not hold (lxml comes with feedgen)."""
PUBLISH_REF = REPO / "tools" / "publish-ref.sh"

PIN = re.compile(r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==(?P<version>[^\s;\\]+)")
HASH = re.compile(r"--hash=sha256:[0-9a-f]{64}\b")
INSTALL = re.compile(r"\b(?:pip3?|pip3?\.\d+|-m pip|uv pip)\s+(?:install|sync)\b|\bpip-sync\b")
LOCAL_PACKAGE_FLAGS = {"--no-index", "--no-deps", "--no-build-isolation"}


# --- the checks ----------------------------------------------------------------------------------


def logical_lines(text: str) -> list[str]:
    """Lines with backslash continuations joined.

    >>> logical_lines("a \\\\\\n  b\\nc")
    ['a    b', 'c']
    """
    return text.replace("\\\n", " ").splitlines()


def lock_problems(text: str, name: str = "requirements.txt") -> list[str]:
    """Every requirement of a lock that is not `name==version` with a sha256 hash, as `file:line: why`.

    >>> lock_problems("six==1.17.0\\n")
    ['requirements.txt:1: six==1.17.0 has no --hash=sha256']
    """
    problems, starts, buffer, physical = [], [], "", 1
    for index, line in enumerate(text.splitlines(), start=1):
        physical = physical if buffer else index
        if line.endswith("\\"):
            buffer += line[:-1] + " "
            continue
        starts.append((physical, buffer + line))
        buffer = ""
    for number, logical in starts:
        requirement = logical.split("#", 1)[0].strip()
        if not requirement:
            continue
        if requirement.startswith(("-r ", "-c ", "--requirement", "--constraint")):
            problems.append(
                f"{name}:{number}: {requirement.split()[0]} includes another file; a lock lists all"
            )
            continue
        pin = PIN.match(requirement)
        if not pin:
            problems.append(f"{name}:{number}: {requirement.split()[0]} is not pinned as name==version")
        elif not HASH.search(requirement):
            problems.append(f"{name}:{number}: {pin[0]} has no --hash=sha256")
    return problems


def install_problems(text: str, where: str) -> list[str]:
    """Every pip install command in a script that could fetch something unhashed, as `where: command`.

    >>> install_problems("pip install -r requirements.txt && pip install --require-hashes -r x.txt", "Makefile")
    ['Makefile: pip install -r requirements.txt: installs without --require-hashes']
    """
    problems = []
    for line in logical_lines(text):
        if line.lstrip().startswith("#"):
            continue
        for command in re.split(r"&&|\|\||;|\|", line):
            command = " ".join(command.split())
            if not INSTALL.search(command):
                continue
            words = set(command.split())
            if "--require-hashes" in words:
                continue
            arguments = command.split(INSTALL.search(command)[0], 1)[1].split()
            positional = [word for word in arguments if not word.startswith("-")]
            local = words >= LOCAL_PACKAGE_FLAGS and positional == ["."]
            if not local:
                problems.append(f"{where}: {command}: installs without --require-hashes")
    return problems


def scripts() -> dict[str, str]:
    """Every place that installs: the Makefile, .ci/run, each workflow step's script, deploy/."""
    found = {
        "Makefile": (REPO / "Makefile").read_text("utf-8"),
        ".ci/run": (REPO / ".ci" / "run").read_text("utf-8"),
    }
    for path in sorted((REPO / "deploy").iterdir()):
        found[f"deploy/{path.name}"] = path.read_text("utf-8")
    for path in sorted((REPO / ".github" / "workflows").glob("*.y*ml")):
        workflow = yaml.safe_load(path.read_text("utf-8"))
        for job_id, job in workflow["jobs"].items():
            for index, step in enumerate(job.get("steps") or []):
                if "run" in step:
                    found[f".github/workflows/{path.name} › {job_id} › step {index + 1}"] = step["run"]
    return found


def pins(text: str) -> dict[str, str]:
    """Package name (normalised) → version of a lock.

    >>> pins("Jinja2==3.1.6 \\\\\\n    --hash=sha256:" + "0" * 64)
    {'jinja2': '3.1.6'}
    """
    found = {}
    for line in logical_lines(text):
        pin = PIN.match(line.strip())
        if pin:
            found[normalised(pin["name"])] = pin["version"]
    return found


def normalised(name: str) -> str:
    """A distribution name as the registries compare it (PEP 503).

    >>> normalised("typing_extensions"), normalised("Jinja2")
    ('typing-extensions', 'jinja2')
    """
    return re.sub(r"[-_.]+", "-", name).lower()


def named_in(path: Path) -> set[str]:
    """The packages a requirements input file names (its `-r` includes followed)."""
    names = set()
    for line in path.read_text("utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            names |= named_in(path.parent / line.split(None, 1)[1])
        elif line and not line.startswith("-"):
            names.add(normalised(re.split(r"[=<>!~;\[ ]", line, maxsplit=1)[0]))
    return names


# --- the real files ------------------------------------------------------------------------------


@pytest.mark.parametrize("lock", LOCKS)
def test_every_pin_of_the_locks_has_hashes(lock):
    """Each lock pins every package as name==version with sha256 hashes, and includes no other file."""
    assert lock_problems((REPO / lock).read_text("utf-8"), lock) == []
    assert pins((REPO / lock).read_text("utf-8")), f"{lock} pins nothing"


@pytest.mark.parametrize("lock", LOCKS)
def test_the_locks_hold_what_their_inputs_name(lock):
    """Every package of requirements.in (or -test.in) is in its lock: the lock was regenerated."""
    missing = named_in(REPO / INPUTS[lock]) - set(pins((REPO / lock).read_text("utf-8")))
    assert not missing, f"{lock} lacks {sorted(missing)}: run `make lock` (CONTRIBUTING.md)"


def test_the_test_lock_keeps_the_runtime_versions_and_the_build_backend():
    """requirements-test.txt has every runtime pin at the same version; setuptools is locked at the
    version pyproject.toml builds with, since the package is installed with --no-build-isolation."""
    runtime = pins((REPO / "requirements.txt").read_text("utf-8"))
    test = pins((REPO / "requirements-test.txt").read_text("utf-8"))
    assert {name: test.get(name) for name in runtime} == runtime
    backend = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["build-system"]["requires"]
    assert backend == [f"setuptools=={runtime['setuptools']}"]
    dependencies = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]
    assert {normalised(d) for d in dependencies} <= named_in(REPO / "requirements.in")


def test_the_bot_lock_is_the_runtime_lock_without_the_build():
    """requirements-bot.txt pins a part of requirements.txt at the same versions: the validator and the
    `bot` extra, without Pelican, Pagefind, feedgen, icalendar or the fonts; pyproject.toml's core and
    `bot` extra are in its input, the `build` extra in requirements.in."""
    runtime = pins((REPO / "requirements.txt").read_text("utf-8"))
    bot = pins((REPO / "requirements-bot.txt").read_text("utf-8"))
    assert {name: runtime.get(name) for name in bot} == bot
    assert not {name for name in bot if name in BUILD_ONLY or name.startswith(("noto-", "fontpkg-"))}
    assert len(bot) < len(runtime)
    project = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]
    extras = project["optional-dependencies"]
    assert {normalised(d) for d in [*project["dependencies"], *extras["bot"]]} <= named_in(
        REPO / "requirements-bot.in"
    )
    assert {normalised(d) for d in extras["build"]} <= named_in(REPO / "requirements.in")
    assert not {normalised(d) for d in extras["build"]} & named_in(REPO / "requirements-bot.in") - {"jinja2"}


def test_the_bot_image_installs_only_the_bot_lock():
    """deploy/Dockerfile copies and installs requirements-bot.txt, and no other lock."""
    docker = (REPO / "deploy" / "Dockerfile").read_text("utf-8")
    installs = [line for line in logical_lines(docker) if INSTALL.search(line)]
    named = set(re.findall(r"requirements[\w-]*\.txt", " ".join(installs)))
    assert named == {"requirements-bot.txt"}
    assert set(re.findall(r"requirements[\w-]*\.txt", docker)) == {"requirements-bot.txt"}


def test_every_install_command_requires_hashes():
    """No pip command of the Makefile, .ci/run, a workflow or deploy/ installs without hashes, except
    the package itself from the checkout, which fetches nothing."""
    found = scripts()
    problems = [p for where, text in found.items() for p in install_problems(text, where)]
    assert problems == []
    commands = [line for text in found.values() for line in logical_lines(text) if INSTALL.search(line)]
    assert len(commands) >= 4, commands  # the Makefile's three, the Dockerfile's


# --- the checks' bad-input table -----------------------------------------------------------------

BAD_LOCKS = [
    ("unhashed pin", "six==1.17.0\n", "six==1.17.0 has no --hash=sha256"),
    ("range, not a pin", "six>=1.17 \\\n    --hash=sha256:" + "a" * 64 + "\n", "is not pinned"),
    ("bare name", "six\n", "six is not pinned"),
    ("git URL", "-e git+https://example.org/x.git#egg=x\n", "is not pinned"),
    ("include", "-r other.txt\n", "includes another file"),
    ("md5 only", "six==1.17.0 --hash=md5:" + "a" * 32 + "\n", "has no --hash=sha256"),
    ("short hash", "six==1.17.0 --hash=sha256:abc\n", "has no --hash=sha256"),
]


@pytest.mark.parametrize(("case", "text", "problem"), BAD_LOCKS, ids=[row[0] for row in BAD_LOCKS])
def test_a_lock_with_an_unhashed_pin_is_refused(case, text, problem):
    """Each row is a lock a test must refuse, with a line number and the reason."""
    [found] = lock_problems(text)
    assert found.startswith("requirements.txt:1: ")
    assert problem in found


BAD_INSTALLS = [
    ("plain -r", "python -m pip install -r requirements.txt"),
    ("pip3", "pip3 install --quiet -r requirements-test.txt"),
    ("one package", "pip install uv==0.13.9"),
    ("local package with its dependencies", "pip install -e ."),
    ("local package with isolated build", "pip install --no-deps ."),
    ("local package from an index", "pip install --no-deps --no-build-isolation ."),
    ("local package plus a name", "pip install --no-index --no-deps --no-build-isolation . requests"),
    ("uv", "uv pip install -r requirements.txt"),
    ("after &&", "make setup && .venv/bin/python -m pip install pytest"),
    ("continued line", "python -m pip install \\\n    --quiet -r requirements.txt"),
]


@pytest.mark.parametrize(("case", "script"), BAD_INSTALLS, ids=[row[0] for row in BAD_INSTALLS])
def test_an_install_without_hashes_is_refused(case, script):
    """Each row is an install command that could fetch something unhashed."""
    assert install_problems(script, "Makefile")


GOOD_INSTALLS = [
    "python -m pip install --quiet --require-hashes -r requirements.txt",
    "python -m pip install --no-index --no-deps --no-build-isolation -e .",
    "python -m pip install --no-cache-dir --no-index --no-deps --no-build-isolation .",
    "npm ci --ignore-scripts",
]


@pytest.mark.parametrize("script", GOOD_INSTALLS)
def test_a_hashed_or_fetch_free_install_passes(script):
    """Hash-checked installs, the fetch-free local package, and what is not pip pass."""
    assert install_problems(script, "Makefile") == []


# --- tools/publish-ref.sh against a real repository ----------------------------------------------


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> dict[str, str | Path]:
    """A clone of a repository whose main has two commits and a tag, with an unmerged branch (tagged
    too): as actions/checkout with fetch-depth 0 leaves it."""
    root = tmp_path_factory.mktemp("publish")
    origin = root / "origin"
    origin.mkdir()
    git(origin, "init", "-q")
    git(origin, "commit", "-q", "--allow-empty", "-m", "first")
    git(origin, "tag", "v1")
    first = git(origin, "rev-parse", "HEAD").strip()
    git(origin, "commit", "-q", "--allow-empty", "-m", "second")
    head = git(origin, "rev-parse", "HEAD").strip()
    git(origin, "checkout", "-q", "-b", "unmerged")
    git(origin, "commit", "-q", "--allow-empty", "-m", "not reviewed")
    git(origin, "tag", "v-unmerged")
    unmerged = git(origin, "rev-parse", "HEAD").strip()
    git(origin, "checkout", "-q", "main")
    git(root, "clone", "-q", str(origin), "clone")
    return {"clone": root / "clone", "first": first, "head": head, "unmerged": unmerged}


def publish_ref(clone: Path, ref: str) -> subprocess.CompletedProcess[str]:
    """Run tools/publish-ref.sh in the clone with REF in its environment, as Publish does."""
    env = {"PATH": os.environ["PATH"], "REF": ref, "MAIN": "main", "HOME": str(clone)}
    return subprocess.run([str(PUBLISH_REF)], cwd=clone, env=env, capture_output=True, text=True, timeout=30)


ALLOWED_REFS = [
    ("empty: the newest main", lambda r: "", "head"),
    ("a tag on main", lambda r: "v1", "first"),
    ("a full SHA of main", lambda r: r["first"], "first"),
    ("a short SHA of main", lambda r: r["first"][:8], "first"),
    ("the newest commit", lambda r: r["head"], "head"),
]


@pytest.mark.parametrize(("case", "ref", "expected"), ALLOWED_REFS, ids=[row[0] for row in ALLOWED_REFS])
def test_a_tag_or_a_commit_of_main_is_published(published, case, ref, expected):
    """The script prints the full SHA the build job then publishes."""
    result = publish_ref(published["clone"], ref(published))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == published[expected]


REFUSED_REFS = [
    ("an unmerged branch", lambda r: "unmerged", "neither a tag nor a commit SHA"),
    ("a remote branch", lambda r: "origin/unmerged", "neither a tag nor a commit SHA"),
    ("main by name", lambda r: "main", "branches are refused"),
    ("a commit not on main", lambda r: r["unmerged"], "is not on main"),
    ("a short commit not on main", lambda r: r["unmerged"][:10], "is not on main"),
    ("a tag not on main", lambda r: "v-unmerged", "tag 'v-unmerged'"),
    ("an unknown SHA", lambda r: "0123456789abcdef", "is not a commit of this repository"),
    ("garbage", lambda r: "$(touch pwned)", "neither a tag nor a commit SHA"),
    ("an option", lambda r: "--output=/tmp/x", "neither a tag nor a commit SHA"),
    ("a range", lambda r: "v1..unmerged", "neither a tag nor a commit SHA"),
    ("a reflog", lambda r: "main@{1}", "neither a tag nor a commit SHA"),
    ("a parent of a branch", lambda r: "unmerged~0", "neither a tag nor a commit SHA"),
    ("a newline", lambda r: "v1\nunmerged", "neither a tag nor a commit SHA"),
    ("very long", lambda r: "a" * 500, "longer than 100 characters"),
]


@pytest.mark.parametrize(("case", "ref", "message"), REFUSED_REFS, ids=[row[0] for row in REFUSED_REFS])
def test_anything_else_is_refused_with_the_reason(published, case, ref, message):
    """Exit status 1, nothing on stdout (so no SHA reaches the build), and the reason on stderr."""
    result = publish_ref(published["clone"], ref(published))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.startswith("publish-ref: ")
    assert message in result.stderr
    assert not (published["clone"] / "pwned").exists()


def test_publish_checks_the_ref_before_anything_is_built():
    """publish.yml's first job runs the script right after the checkout, with the input in `env:`,
    and checks out the commit it printed; no other step reads the input."""
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "publish.yml").read_text("utf-8"))
    steps = workflow["jobs"]["test"]["steps"]
    assert steps[0]["uses"].startswith("actions/checkout@")
    assert steps[0]["with"]["fetch-depth"] == 0
    assert "inputs.ref" not in str(steps[0])
    check = steps[1]
    assert check["env"]["REF"] == "${{ inputs.ref }}"
    assert "tools/publish-ref.sh" in check["run"]
    assert 'git checkout --quiet --detach "$sha"' in check["run"]
    assert shlex.split(check["run"].splitlines()[0]) == ["sha=$(tools/publish-ref.sh)"]
    text = (REPO / ".github" / "workflows" / "publish.yml").read_text("utf-8")
    assert text.count("inputs.ref") == 1
