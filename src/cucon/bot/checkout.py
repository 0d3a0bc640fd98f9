"""The clone of the site repository that the service validates against."""

from __future__ import annotations

import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

from cucon.bot.logs import logger

CHECKOUT_REFRESH_SECONDS = 30.0


class Checkout:
    """The clone of the site repository: brought up to origin/<base> before validating, under a lock."""

    def __init__(
        self,
        path: Path,
        base: str,
        clock: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        remote: str | None = None,
    ):
        self.path = path
        self.base = base
        self.remote = remote
        """Where to clone the checkout from anew when its own ``origin`` cannot be read."""
        self.clock = clock
        self.wall_clock = wall_clock
        self.last_refresh: float | None = None
        """When a refresh last succeeded (Unix seconds), for /healthz."""
        self.last_error: str | None = None
        """The step at which the newest refresh failed (``fetch``, ``checkout``, ``locked``, ``clone``),
        or None."""
        self.lock = threading.Lock()
        self._refreshed: float | None = None
        self._head: str | None = None

    def head(self) -> str | None:
        """The commit the checkout is at (read once after each refresh), or None for no git clone."""
        if self._head is None and (self.path / ".git").exists():
            result = subprocess.run(
                ["git", "rev-parse", "--verify", "HEAD"],
                cwd=self.path,
                capture_output=True,
                text=True,
                check=False,
            )
            self._head = result.stdout.strip() or None
        return self._head

    @property
    def content(self) -> Path:
        return self.path / "content"

    def refresh(self) -> None:
        """``git fetch`` and check out origin/<base>, at most every 30 s; keep the old tree if it fails.

        Holds the service's git lock on the clone, so stale ``*.lock`` files a killed git left are
        removed first (:func:`~cucon.bot.githost.remove_stale_locks`); a half-written index is
        dropped and rebuilt, and a detached HEAD is put back on <base>. A clone that still fails
        while its remote answers (objects missing, HEAD or config broken) is cloned anew.
        """
        from cucon.bot.githost import held_exclusively, remove_stale_locks

        now = self.clock()
        if self._refreshed is not None and now - self._refreshed < CHECKOUT_REFRESH_SECONDS:
            return
        self._refreshed = now
        git_dir = self.path / ".git"
        if not git_dir.is_dir():
            return
        try:
            with held_exclusively(git_dir / "cucon-service.flock"):
                if remove_stale_locks(git_dir, time.time()):
                    self._failed("locked")
                    return
                remote = self._origin()
                fetched = self._git("fetch", "--quiet", "--no-tags", "origin", self.base)
                if fetched and self._check_out_base():
                    self.last_refresh, self.last_error = self.wall_clock(), None
                elif remote is None or not self._answers(remote):
                    self._failed("fetch" if not fetched else "checkout")
                elif self._clone_anew(remote):
                    self.last_refresh, self.last_error = self.wall_clock(), None
                else:
                    self._failed("clone")
        finally:
            self._head = None

    def _origin(self) -> str | None:
        """The address of the clone's ``origin`` (read from its config file alone), else ``remote``."""
        result = self._run(
            self.path.parent, "config", "--file", str(self.path / ".git" / "config"), "remote.origin.url"
        )
        return result.stdout.strip() if result.returncode == 0 and result.stdout.strip() else self.remote

    def _answers(self, remote: str) -> bool:
        """Whether the remote answers with its base branch (then a failing clone is at fault)."""
        found = self._run(self.path.parent, "ls-remote", "--heads", remote, f"refs/heads/{self.base}")
        return found.returncode == 0 and bool(found.stdout.strip())

    def _clone_anew(self, remote: str) -> bool:
        """Replace the clone by a new one of ``remote`` (made beside it, then renamed into its place)."""
        fresh = self.path.with_name(f".{self.path.name}.new")
        broken = self.path.with_name(f".{self.path.name}.broken")
        shutil.rmtree(fresh, ignore_errors=True)
        shutil.rmtree(broken, ignore_errors=True)
        cloned = self._run(
            self.path.parent, "clone", "--quiet", "--no-tags", "-b", self.base, remote, str(fresh)
        )
        if cloned.returncode != 0:
            shutil.rmtree(fresh, ignore_errors=True)
            return False
        self.path.rename(broken)
        fresh.rename(self.path)
        shutil.rmtree(broken, ignore_errors=True)
        logger.warning("checkout_recreated", extra={"event": "checkout_recreated"})
        return True

    def _check_out_base(self) -> bool:
        """Check out origin/<base> as <base> over anything; once more without the index if that fails."""
        step = ("checkout", "--quiet", "--force", "-B", self.base, f"origin/{self.base}")
        if self._git(*step):
            return True
        (self.path / ".git" / "index").unlink(missing_ok=True)
        return self._git(*step)

    def _git(self, *args: str) -> bool:
        """Run one git command in the clone; whether it succeeded."""
        return self._run(self.path, *args).returncode == 0

    @staticmethod
    def _run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
        """Run one git command, without hooks, in ``cwd``."""
        return subprocess.run(
            ["git", "-c", "core.hooksPath=/dev/null", *args],
            cwd=cwd,
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    def _failed(self, step: str) -> None:
        """Log a refresh that failed at ``step``, and keep the step for /healthz."""
        self.last_error = step
        logger.warning("checkout_refresh_failed", extra={"event": "checkout_refresh_failed", "step": step})

    def refresh_unless_busy(self) -> None:
        """:meth:`refresh` when nobody holds the lock; never wait for it (a link's page uses this)."""
        if self.lock.acquire(blocking=False):
            try:
                self.refresh()
            finally:
                self.lock.release()
