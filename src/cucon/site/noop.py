"""The build that has nothing to do: the last build's output still stands, so leave it as it is.

A build whose inputs are all the same as the last complete build's would write the same bytes.
The inputs are the content (its stamp, :func:`cucon.stamps.content_stamp`: size, modification and
change time, inode of every file and folder), the code (:func:`cucon.stamps.code_digest`, as the
check's snapshot and the incremental state key it too), the theme (every
file: templates, translations, static files), the settings (every one but the build time), and
the build time: what a build shows changes with time only at moments the last build knew of
(:func:`next_change`). The last complete build keeps them in :data:`NOOP_FILE`; a build that finds
them all the same, its clock before the next such moment, exits before it reads, matches or plans
anything (:func:`nothing_to_do`). Any other build deletes that file first, so a build that fails
half-way is never taken for a complete one.

This module imports only the standard library and small modules of it (:mod:`cucon.stamps`,
:mod:`cucon.dates`, :mod:`cucon.calls`): the adapter decides with it before it imports the rest of
the site's code.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from zoneinfo import ZoneInfo

from cucon.calls import CLOSING_SOON_DAYS
from cucon.dates import build_time
from cucon.stamps import (
    STATE_FOLDER,
    SUMMARY_FILE,
    Stamp,
    code_digest,
    content_stamp,
    files_digest,
    fingerprint,
    plain,
)

logger = logging.getLogger(__name__)

NOOP_FILE = "inputs.json"
"""The inputs of the last complete build, and until when its output stands (in the state folder)."""

NOOP_VERSION = 1

NOTHING_TO_DO = "cucon build: nothing to do"
"""How the build log begins the one line of a build that has nothing to do."""

DAY_ZONES = ("UTC", "Europe/Berlin")
"""Where the build day is counted (besides ``TIMEZONE`` and the zones of the content's moments): UTC
(an empty calendar's year), Berlin (the sample network's moving dates, the digests' week)."""


def state_folder(settings: Mapping) -> Path:
    """The build's state folder."""
    return Path(settings["CACHE_PATH"]) / STATE_FOLDER


def inputs_key(settings: Mapping) -> str:
    """A hash over what every output depends on besides content and time: code, libraries, theme, settings."""
    chosen = sorted((k, plain(v)) for k, v in settings.items() if k.isupper() and k != "CUCON_BUILD_TIME")
    return fingerprint(
        NOOP_VERSION,
        code_digest(),
        files_digest([Path(settings["THEME"])]),
        chosen,
        os.getcwd(),  # paths in messages are relative to it
    )


def next_change(moments: Iterable[dt.datetime], now: dt.datetime, timezone: str) -> dt.datetime:
    """The first moment after ``now`` at which an output can change with time alone: one of the
    content's ``moments`` (:func:`content_moments`) or the start of the next day in one of the zones
    where days are counted (:data:`DAY_ZONES`, ``timezone``, the zones of the moments).

    >>> now = dt.datetime(2026, 12, 5, 10, tzinfo=dt.UTC)
    >>> next_change([], now, "Europe/Berlin").isoformat()
    '2026-12-05T23:00:00+00:00'
    >>> tokyo = dt.datetime(2026, 12, 6, 20, tzinfo=ZoneInfo("Asia/Tokyo"))  # a moment tomorrow in Tokyo
    >>> next_change([now, tokyo], now, "UTC").isoformat()
    '2026-12-05T15:00:00+00:00'
    """
    moments = list(moments)
    zones = {ZoneInfo(name) for name in (*DAY_ZONES, timezone)}
    zones.update(m.tzinfo for m in moments if isinstance(m.tzinfo, ZoneInfo))
    found = [m for m in moments if m > now]
    for zone in zones:
        tomorrow = now.astimezone(zone).date() + dt.timedelta(days=1)
        found.append(dt.datetime.combine(tomorrow, dt.time(), zone))
    return min(found).astimezone(dt.UTC)


def content_moments(entries: Iterable) -> Iterator[dt.datetime]:
    """The moments at which an entry's facts change with time: a call's opening, the start of its last
    two weeks (closing soon) and its deadline; an event's start and end (upcoming or past)."""
    for entry in entries:
        if entry.deadline is not None:
            yield entry.deadline
            yield entry.deadline - dt.timedelta(days=CLOSING_SOON_DAYS)
        for moment in (entry.opens, entry.event_start, entry.event_end):
            if moment is not None:
                yield moment


def nothing_to_do(settings: Mapping) -> bool:
    """Whether the last complete build's output stands for a build with these settings: same inputs
    and content, and its clock between the last build's and the next change. Says so in the log and in
    the state's summary."""
    if settings.get("CUCON_INCREMENTAL", True) is not True or settings.get("WRITE_SELECTED"):
        return False
    folder = state_folder(settings)
    try:
        saved = json.loads((folder / NOOP_FILE).read_text("utf-8"))
        now = build_time(settings.get("CUCON_BUILD_TIME"))
        if saved.get("version") != NOOP_VERSION or saved["output"] != _where(settings):
            return False
        built, until = dt.datetime.fromisoformat(saved["built"]), dt.datetime.fromisoformat(saved["until"])
        if not (built <= now < until) or not Path(settings["OUTPUT_PATH"]).is_dir():
            return False
        if saved["content"] != _digest(content_stamp(settings["PATH"])):
            return False
        if saved["inputs"] != inputs_key(settings):
            return False
        summary = {"written": 0, "changed": 0, "kept": saved["kept"], "removed": 0}
        summary["read"] = {"reused": True, "changed": 0}
        (folder / SUMMARY_FILE).write_text(json.dumps({**summary, "nothing-to-do": True}) + "\n", "utf-8")
    except (OSError, ValueError, KeyError, TypeError):
        return False
    logger.info(
        "%s: content, code, theme and settings are those of the last build and nothing it shows changes "
        "before %s; %s left as it is",
        NOTHING_TO_DO,
        until.isoformat(),
        settings["OUTPUT_PATH"],
    )
    return True


def forget(folder: Path) -> None:
    """Forget the last build's inputs: a build is under way, and until it completes nothing stands."""
    (Path(folder) / NOOP_FILE).unlink(missing_ok=True)


def keep(settings: Mapping, stamp: Stamp, built: dt.datetime, until: dt.datetime, kept: int) -> None:
    """Keep the inputs of a build that completed, and the first moment its output may change."""
    saved = {
        "version": NOOP_VERSION,
        "output": _where(settings),
        "inputs": inputs_key(settings),
        "content": _digest(stamp),
        "built": built.isoformat(),
        "until": until.isoformat(),
        "kept": kept,
    }
    path = state_folder(settings) / NOOP_FILE
    temporary = path.with_name(f"{path.name}.tmp")
    temporary.write_text(json.dumps(saved) + "\n", "utf-8")
    temporary.replace(path)


def _digest(stamp: Stamp) -> str:
    return fingerprint(sorted(stamp.items()))


def _where(settings: Mapping) -> list[str]:
    """The content and output folders, absolute."""
    return [os.path.abspath(settings["PATH"]), os.path.abspath(settings["OUTPUT_PATH"])]
