"""Every time LeadDesk shows a person, in one place: the window, its history, the lead's
details, its questions and the command line each pick a style here, so that a moment
reads the same wherever it is shown."""

from __future__ import annotations

import time
from datetime import datetime
from enum import Enum


class TimeStyle(Enum):
    """How a moment is written, by where it is shown (the local time zone throughout)."""

    CLOCK = "%H:%M:%S"  # a retry's time: retries come seconds apart
    SHORT_CLOCK = "%H:%M"  # the same where room is short (the history row's note)
    FULL = "%Y-%m-%d %H:%M:%S"  # a lead's details, a row's tooltip
    MINUTE = "%Y-%m-%d %H:%M"  # the command line's history and show
    DAY_AT = "%b %d at %H:%M"  # in a sentence: "Lead 7 (…, accepted, Dec 07 at 14:05)"
    RECENT = "recent"  # the history row: 14:05 today, "Dec 06 14:05" before
    ISO = "iso"  # JSON output: 2026-12-07T14:05:30+01:00


def format_time(when: float | None, style: TimeStyle = TimeStyle.CLOCK) -> str:
    """`when` (seconds since the epoch; None: now) written in `style`."""
    if style is TimeStyle.ISO:
        moment = datetime.fromtimestamp(time.time() if when is None else when)
        return moment.astimezone().isoformat(timespec="seconds")
    # The time module's own calls: datetime's strftime and timetuple import `time` each
    # time they run, through PySide's import hook in the window, and a history row's time
    # cost several times as much that way. (datetime rounds to the microsecond first: a
    # moment within half a microsecond of the next second is the only one written apart.)
    local = time.localtime(when)
    form = style.value
    if style is TimeStyle.RECENT:
        form = "%H:%M" if local[:3] == time.localtime()[:3] else "%b %d %H:%M"
    return time.strftime(form, local)
