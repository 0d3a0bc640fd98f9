"""A hard kill of the real ``cucon bot`` process at each git step of a delivery, then a forge outage.

The service runs as its own process group against a real bare repository; git on its PATH is the
real git behind a small wrapper that, in the working clone and only for the step the file ``slow``
names, makes git linger while it holds its locks: ``checkout -B`` and ``commit`` in their
``reference-transaction`` hook (the locks of HEAD and the branch held), ``add`` in its
``core.fsmonitor`` hook (``index.lock`` held), and the push in the remote's ``pre-receive`` hook
(objects sent, the branch not yet made). Each round starts the service, posts an entry (202), waits
until git lingers there and SIGKILLs the whole group, as ``docker kill`` or the out-of-memory killer
would; every step gets :data:`ROUNDS_PER_STEP` rounds.

Then the remote goes away: a start with a plain git and a small ``CUCON_BOT_HEALTH_STUCK_SECONDS``
must answer ``/healthz`` with 503 while delivery fails, and, once the remote is back, deliver every
confirmed entry exactly once (one branch with one commit each) within a bounded time and answer 200.
With the GitHub forge (:class:`HoldingGitHub`, the fake GitHub on 127.0.0.1) the kill lands after
each API call of a proposal was done but before its answer arrived: blobs, tree, commit, branch, pull
request, labels. A last start delivers every entry as one branch and one labelled pull request.
The rounds' timings are logged (``pytest --log-cli-level=INFO tests/test_bot_crash.py``).
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from fakes.github import FakeGitHub
from support import (
    PROFILE,
    SECRET,
    SITE_ORIGIN,
    branches,
    form_tokens,
    free_port,
    git,
    jpeg_with_exif,
    service_env,
    wait_for,
)

logger = logging.getLogger(__name__)
STEPS = ("checkout -B", "add", "commit", "push")
"""The git steps of a delivery a kill lands in, as the wrapper names them (the command, then flags)."""
ROUNDS_PER_STEP = 2
REAL_GIT = shutil.which("git")
DELIVERY_BOUND = 180.0
"""Seconds within which every entry is delivered once the remote is back (its first retry is due
after 30 s)."""


def lingering_git(folder: Path, clone: Path) -> tuple[Path, Path, Path]:
    """A ``git`` for PATH that runs the real one, lingering in the working clone at the step the file
    ``slow`` names; return the PATH folder, the ``slow`` switch and the file where git, lingering,
    notes the locks it holds (written once it lingers)."""
    hooks, push_hooks, bin_dir = folder / "hooks", folder / "push-hooks", folder / "bin"
    for made in (hooks, push_hooks, bin_dir):
        made.mkdir(parents=True)
    slow, inside = folder / "slow", folder / "inside"
    linger = folder / "linger"
    linger.write_text(
        "#!/bin/sh\n"
        f"find '{clone}/.git' -name '*.lock' -not -path '*/objects/*' > '{inside}.new'\n"
        f"mv '{inside}.new' '{inside}'\n"
        "exec sleep 60\n"
    )
    (hooks / "reference-transaction").write_text(
        f'#!/bin/sh\n[ "$1" = prepared ] || exit 0\nexec "{linger}"\n'
    )
    (push_hooks / "pre-receive").write_text(f'#!/bin/sh\nexec "{linger}"\n')
    wrapper = bin_dir / "git"
    wrapper.write_text(
        f"#!{sys.executable}\n"
        "import os, sys\n"
        "args = sys.argv[1:]\n"
        "at = 0\n"
        "while at < len(args) and args[at] == '-c':\n"
        "    at += 2\n"
        "command, rest = args[at:at + 1], args[at + 1:]\n"
        f"wanted = open({str(slow)!r}).read().split() if os.path.exists({str(slow)!r}) else None\n"
        f"if wanted and os.getcwd() == {str(clone)!r} and command == wanted[:1]"
        " and all(flag in rest for flag in wanted[1:]):\n"
        "    if command == ['add']:\n"
        f"        args = ['-c', 'core.fsmonitor=' + {str(linger)!r}, *args]\n"
        "    elif command == ['push']:\n"
        f"        args = [*args[:at + 1], '--receive-pack=git -c core.hooksPath={push_hooks} receive-pack', *rest]\n"
        "    else:\n"
        f"        args = ['core.hooksPath=' + {str(hooks)!r} if a == 'core.hooksPath=/dev/null' else a for a in args]\n"
        f"os.execv({REAL_GIT!r}, ['git', *args])\n"
    )
    for script in (linger, hooks / "reference-transaction", push_hooks / "pre-receive", wrapper):
        script.chmod(0o755)
    return bin_dir, slow, inside


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    """``cucon bot`` as its own process group; wait until it answers."""
    command = [str(Path(sys.executable).parent / "cucon"), "bot", "--host", "127.0.0.1", "--port", str(port)]
    service = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wait_for(lambda: health(port) is not None, timeout=60)
    return service


def health(port: int) -> httpx.Response | None:
    """The service's answer to GET /healthz, or None while it does not answer."""
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5)
    except httpx.HTTPError:
        return None


def post(url: str, number: int) -> None:
    """Post profile ``number`` as a browser would, and require the 202 that promises delivery."""
    with httpx.Client(base_url=url, timeout=60) as http:
        page = http.get("/profile/new?lang=en")
        data = {**form_tokens(page.text), **PROFILE, "name": f"Erika Muster {'I' * number}"}
        photo = ("portrait.jpg", jpeg_with_exif(), "image/jpeg")
        response = http.post("/profile", data=data, files={"photo": photo}, headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 202, response.text


def delivered(answer: httpx.Response, count: int) -> bool:
    """Whether /healthz answered 200 with ``count`` entries proposed."""
    return answer.status_code == 200 and answer.json()["spool"]["proposed"] == count


def kill(service: subprocess.Popen) -> None:
    """SIGKILL the service's whole process group (git and its hooks included)."""
    os.killpg(service.pid, signal.SIGKILL)
    service.wait()


def test_sigkill_at_each_git_step_then_an_outage_loses_nothing_and_duplicates_nothing(
    tmp_path, bare_repo, caplog
):
    caplog.set_level(logging.WARNING, logger="httpx")  # no line per poll of /healthz
    checkout, work = tmp_path / "checkout", tmp_path / "work"
    clone = work / "git" / "clone"
    git(tmp_path, "clone", "-q", str(bare_repo), str(checkout))
    bin_dir, slow, inside = lingering_git(tmp_path / "lingering-git", clone)
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        **service_env(work, checkout, bare_repo),
        "CUCON_BOT_MIN_FORM_SECONDS": "0",
        "CUCON_BOT_RATE_LIMIT": "1000/60",
        "CUCON_BOT_HEALTH_STUCK_SECONDS": "1",
    } | {key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    rounds = [step for step in STEPS for _ in range(ROUNDS_PER_STEP)]
    table = []
    for number, step in enumerate(rounds, start=1):
        began = time.monotonic()
        inside.unlink(missing_ok=True)
        slow.write_text(step)
        service = start(env, port)
        up = time.monotonic() - began
        post(url, number)
        wait_for(inside.exists, timeout=60)
        held = sorted(str(Path(p).relative_to(clone)) for p in inside.read_text().split())
        kill(service)
        killed = time.monotonic() - began
        assert branches(bare_repo) == []  # nothing was delivered before the kill
        if step != "push":
            assert held  # git died holding its locks: they stay behind for the next start
        left = sorted(str(p.relative_to(clone)) for p in (clone / ".git").rglob("*.lock"))
        table.append(f"{number:>5}  {step:<11}  {up:>7.2f}  {killed:>8.2f}  {', '.join(left) or '-'}")
        logger.info("round %s", table[-1])
    slow.unlink()

    away = bare_repo.with_name("away.git")
    bare_repo.rename(away)  # the forge is down
    began = time.monotonic()
    service = start(env, port)
    try:
        wait_for(lambda: health(port).status_code == 503, timeout=90)
        stuck = health(port).json()
        unhealthy = time.monotonic() - began
        away.rename(bare_repo)  # and back
        back = time.monotonic()
        wait_for(lambda: delivered(health(port), len(rounds)), timeout=DELIVERY_BOUND)
        delivered_after = time.monotonic() - back
        healthy = health(port)
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=30)
    table.insert(0, "round  step         up (s)  kill (s)  locks left in the working clone")
    table.append(f"forge down: /healthz 503 after {unhealthy:.2f} s ({stuck['delivery']['last_error']})")
    table.append(
        f"forge back: all {len(rounds)} entries delivered and /healthz 200 after {delivered_after:.2f} s"
    )
    logger.info("crash rounds:\n%s", "\n".join(table))
    assert stuck["ok"] is False
    assert stuck["delivery"]["last_error"] == "forge unavailable"
    assert healthy.status_code == 200
    assert healthy.json()["ok"] is True
    assert healthy.json()["spool"]["received"] == 0
    made = sorted(branches(bare_repo))
    assert len(made) == len(rounds)  # one branch per confirmed entry, none twice
    for branch in made:
        assert git(bare_repo, "rev-list", "--count", f"main..{branch}").strip() == "1"


API_STEPS = {
    "blobs": r"POST .*/git/blobs$",
    "tree": r"POST .*/git/trees$",
    "commit": r"POST .*/git/commits$",
    "branch": r"POST .*/git/refs$",
    "pull request": r"POST .*/pulls$",
    "labels": r"POST .*/labels$",
}
"""The GitHub API calls of a proposal a kill lands after, as "METHOD path" patterns."""


class HoldingGitHub(FakeGitHub):
    """The fake GitHub, holding back its answer to a request that matches ``hold`` once it is done."""

    def __init__(self, **options) -> None:
        super().__init__(**options)
        self.hold: str | None = None
        self.held = threading.Event()
        self.release = threading.Event()

    def answer(self, method: str, target: str, headers: dict[str, str], raw: bytes):
        done = super().answer(method, target, headers, raw)
        if self.hold and re.search(self.hold, f"{method} {urlsplit(target).path}"):
            self.held.set()
            self.release.wait(60)
        return done


def test_sigkill_between_the_github_api_calls_opens_each_pull_request_once(tmp_path, bare_repo, caplog):
    caplog.set_level(logging.WARNING, logger="httpx")
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(bare_repo), str(checkout))
    rounds = [step for step in API_STEPS for _ in range(ROUNDS_PER_STEP)]
    table = ["round  step          up (s)  kill (s)"]
    with HoldingGitHub() as fake:
        env = {
            "PATH": os.environ["PATH"],
            "HOME": str(tmp_path),
            "CUCON_BOT_SECRET": SECRET,
            "CUCON_BOT_WORKDIR": str(tmp_path / "work"),
            "CUCON_BOT_CHECKOUT": str(checkout),
            "CUCON_BOT_FORGE": "github",
            "CUCON_BOT_GITHUB_API": fake.url,
            "CUCON_BOT_GITHUB_TOKEN": fake.token,
            "CUCON_BOT_GITHUB_REPOSITORY": fake.repository,
            "CUCON_BOT_ALLOWED_ORIGINS": SITE_ORIGIN,
            "CUCON_BOT_POW_MAX_NUMBER": "1000",
            "CUCON_BOT_MIN_FORM_SECONDS": "0",
            "CUCON_BOT_RATE_LIMIT": "1000/60",
        } | {key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}
        port = free_port()
        for number, step in enumerate(rounds, start=1):
            began = time.monotonic()
            fake.held.clear()
            fake.release.clear()
            fake.hold = API_STEPS[step]
            service = start(env, port)
            up = time.monotonic() - began
            post(f"http://127.0.0.1:{port}", number)
            assert fake.held.wait(60)
            kill(service)
            fake.hold = None
            fake.release.set()
            table.append(f"{number:>5}  {step:<12}  {up:>7.2f}  {time.monotonic() - began:>8.2f}")
            logger.info("round %s", table[-1])
        began = time.monotonic()
        service = start(env, port)
        try:
            wait_for(lambda: delivered(health(port), len(rounds)), timeout=DELIVERY_BOUND)
        finally:
            os.killpg(service.pid, signal.SIGTERM)
            service.wait(timeout=30)
        table.append(f"restart: all {len(rounds)} entries proposed after {time.monotonic() - began:.2f} s")
        logger.info("GitHub crash rounds:\n%s", "\n".join(table))
        pulls = fake.pulls
        made = [branch for branch in fake.branches if branch != "main"]
    assert len(made) == len(rounds)  # one branch per confirmed entry
    assert sorted(pull["head"]["ref"] for pull in pulls) == sorted(made)  # one pull request per branch
    for pull in pulls:
        assert [label["name"] for label in pull["labels"]] == ["bot", "new-profile"], pull["head"]["ref"]
