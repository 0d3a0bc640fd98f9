"""How long each stage of the build took: lines in the build log that the benchmark reads."""

from __future__ import annotations

import logging
import resource
import time


class Stopwatch:
    """Logs ``cucon stage NAME: X s, CPU Y s, peak N MiB`` for each stage, through the caller's logger.

    CPU is user + system time of this process and of the children it has waited for (the forked
    page writers), not of the image workers, whose fork server outlives the stage."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.started = time.perf_counter()
        self.cpu_started = _cpu_seconds()

    def lap(self, stage: str) -> None:
        """Log the time since the last lap under a stage name."""
        now, cpu = time.perf_counter(), _cpu_seconds()
        self.logger.info(
            "cucon stage %s: %.2f s, CPU %.2f s, peak %d MiB",
            stage,
            now - self.started,
            cpu - self.cpu_started,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        )
        self.started, self.cpu_started = now, cpu


def _cpu_seconds() -> float:
    """User + system time of this process and of its children waited for, so far."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
