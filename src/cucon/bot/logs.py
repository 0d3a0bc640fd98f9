"""The service's event log: JSON lines with an event name and plain values, never personal data."""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

logger = logging.getLogger("cucon.bot.app")
"""The logger of every part of the service; its name is the one the service has always logged under."""


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event, and the record's plain extra values."""

    RESERVED = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {
        "message",
        "asctime",
        "color_message",
    }

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        for key, value in vars(record).items():
            if key not in self.RESERVED and isinstance(value, str | int | float | bool | None):
                data[key] = value
        if record.exc_info and record.exc_info[0] is not None:
            data["error"] = record.exc_info[0].__name__
        return json.dumps(data, ensure_ascii=False)


def log_event(event: str, **values: Any) -> None:
    """Log an event with plain values (ids, counts, statuses; never personal data)."""
    logger.info(event, extra={"event": event, **values})
