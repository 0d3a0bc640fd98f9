"""A hard kill of the real ``cucon bot`` process while git writes its working clone.

The service runs as its own process group against a real bare repository; git on its PATH is the
real git, except that in the working clone its ``reference-transaction`` hook lingers once git holds
the locks of a branch update (``refs/heads/<branch>.lock``, ``HEAD.lock``): in ``checkout -B`` in odd
rounds, in ``commit`` in even ones. Each round posts an entry (202), waits until git lingers there
and SIGKILLs the whole group, as ``docker kill`` or the out-of-memory killer would, leaving the locks
behind. A last start with a plain git must deliver every confirmed entry exactly once.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import test_bot_app as app_tests
from support import free_port, git
from test_bot_app import PROFILE, SECRET, SITE_ORIGIN, branches, form_tokens, jpeg_with_exif, wait_for

logger = logging.getLogger(__name__)
bare_repo = app_tests.bare_repo
ROUNDS = 3
REAL_GIT = shutil.which("git")


def slow_git(folder: Path) -> tuple[Path, Path, Path]:
    """A ``git`` for PATH that runs the real one with a hook lingering while it holds a branch's locks
    in the working clone, once the file ``slow`` exists and after as many such updates as it says;
    return the PATH folder, the ``slow`` switch and the file where the hook notes the locks it holds."""
    hooks, bin_dir = folder / "hooks", folder / "bin"
    hooks.mkdir(parents=True)
    bin_dir.mkdir()
    slow, inside, count = folder / "slow", folder / "inside", folder / "count"
    hook = hooks / "reference-transaction"
    hook.write_text(
        "#!/bin/sh\n"
        f'[ "$1" = prepared ] && [ -e "{slow}" ] || exit 0\n'
        'case "$PWD" in */work/git/clone) ;; *) exit 0 ;; esac\n'
        "locks=$(find .git/HEAD.lock .git/refs/heads -name '*.lock' 2>/dev/null)\n"
        '[ -n "$locks" ] || exit 0\n'
        f'n=$(($(cat "{count}" 2>/dev/null || echo 0) + 1)); echo $n > "{count}"\n'
        f'[ "$n" -gt "$(cat "{slow}")" ] || exit 0\n'
        f'echo "$locks" > "{inside}"; sleep 60\n'
    )
    wrapper = bin_dir / "git"
    wrapper.write_text(
        f"#!{sys.executable}\nimport os, sys\n"
        f"args = [{str('core.hooksPath=' + str(hooks))!r} if a == 'core.hooksPath=/dev/null' else a"
        " for a in sys.argv[1:]]\n"
        f"os.execv({REAL_GIT!r}, ['git', *args])\n"
    )
    hook.chmod(0o755)
    wrapper.chmod(0o755)
    return bin_dir, slow, inside


def start(env: dict[str, str], port: int) -> subprocess.Popen:
    """``cucon bot`` as its own process group; wait until it answers."""
    command = [str(Path(sys.executable).parent / "cucon"), "bot", "--host", "127.0.0.1", "--port", str(port)]
    service = subprocess.Popen(
        command, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )

    def answers() -> bool:
        try:
            return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code in (200, 503)
        except httpx.HTTPError:
            return False

    wait_for(answers, timeout=30)
    return service


def post(url: str, number: int) -> None:
    """Post profile ``number`` as a browser would, and require the 202 that promises delivery."""
    with httpx.Client(base_url=url, timeout=30) as http:
        page = http.get("/profile/new?lang=en")
        data = {**form_tokens(page.text), **PROFILE, "name": f"Erika Muster {'I' * number}"}
        photo = ("portrait.jpg", jpeg_with_exif(), "image/jpeg")
        response = http.post("/profile", data=data, files={"photo": photo}, headers={"Origin": SITE_ORIGIN})
    assert response.status_code == 202, response.text


def test_sigkill_during_git_commit_loses_nothing_and_duplicates_nothing(tmp_path, bare_repo):
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(bare_repo), str(checkout))
    bin_dir, slow, inside = slow_git(tmp_path / "slow-git")
    work = tmp_path / "work"
    env = {
        "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path),
        "CUCON_BOT_SECRET": SECRET,
        "CUCON_BOT_WORKDIR": str(work),
        "CUCON_BOT_CHECKOUT": str(checkout),
        "CUCON_BOT_GIT_REMOTE": str(bare_repo),
        "CUCON_BOT_ALLOWED_ORIGINS": SITE_ORIGIN,
        "CUCON_BOT_POW_MAX_NUMBER": "1000",
        "CUCON_BOT_MIN_FORM_SECONDS": "0",
        "CUCON_BOT_RATE_LIMIT": "1000/60",
    } | {key: os.environ[key] for key in ("PYTHONPATH",) if key in os.environ}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    for number in range(1, ROUNDS + 1):
        began = time.monotonic()
        inside.unlink(missing_ok=True)
        (inside.parent / "count").unlink(missing_ok=True)
        slow.write_text(
            "0" if number % 2 else "1"
        )  # linger in checkout -B, or let it pass and linger in commit
        service = start(env, port)
        post(url, number)
        wait_for(inside.exists)
        os.killpg(service.pid, signal.SIGKILL)
        service.wait()
        left = sorted(str(p.relative_to(work)) for p in (work / "git" / "clone" / ".git").rglob("*.lock"))
        assert left  # the crash left git's locks behind
        logger.warning("round %d: killed after %.2f s, leaving %s", number, time.monotonic() - began, left)
    slow.unlink()
    began = time.monotonic()
    service = start(env, port)
    try:
        wait_for(lambda: httpx.get(f"{url}/healthz").json()["spool"]["proposed"] == ROUNDS, timeout=60)
        health = httpx.get(f"{url}/healthz")
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=15)
    logger.warning("after the restart all %d delivered in %.2f s", ROUNDS, time.monotonic() - began)
    assert health.status_code == 200
    assert health.json()["spool"]["received"] == 0
    delivered = sorted(branches(bare_repo))
    assert len(delivered) == ROUNDS
    for branch in delivered:
        assert git(bare_repo, "rev-list", "--count", f"main..{branch}").strip() == "1"
