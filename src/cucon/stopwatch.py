"""How long each stage of the build took: lines in the build log that the benchmark reads."""

from __future__ import annotations

import logging
import resource
import time


class Stopwatch:
    """Logs ``cucon stage NAME: X s, peak N MiB`` for each stage, through the caller's logger."""

    def __init__(self, logger: logging.Logger) -> None:
        self.logger = logger
        self.started = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Log the time since the last lap under a stage name."""
        now = time.perf_counter()
        self.logger.info(
            "cucon stage %s: %.2f s, peak %d MiB",
            stage,
            now - self.started,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        )
        self.started = now
