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
    moment = datetime.fromtimestamp(time.time() if when is None else when)
    if style is TimeStyle.ISO:
        return moment.astimezone().isoformat(timespec="seconds")
    if style is TimeStyle.RECENT:
        today = moment.date() == datetime.now().date()
        return moment.strftime("%H:%M" if today else "%b %d %H:%M")
    return moment.strftime(style.value)
