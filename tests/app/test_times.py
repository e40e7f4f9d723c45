"""One time formatter for every face: each style, on a moment known in local time."""

from __future__ import annotations

from datetime import datetime, timedelta

from leaddesk.app.times import TimeStyle, format_time

MOMENT = datetime(2026, 12, 7, 14, 5, 30)  # local time
WHEN = MOMENT.timestamp()


def test_each_style_writes_the_moment_as_its_place_shows_it() -> None:
    assert format_time(WHEN) == "14:05:30"
    assert format_time(WHEN, TimeStyle.SHORT_CLOCK) == "14:05"
    assert format_time(WHEN, TimeStyle.FULL) == "2026-12-07 14:05:30"
    assert format_time(WHEN, TimeStyle.MINUTE) == "2026-12-07 14:05"
    assert format_time(WHEN, TimeStyle.DAY_AT) == "Dec 07 at 14:05"
    iso = format_time(WHEN, TimeStyle.ISO)
    assert iso.startswith("2026-12-07T14:05:30") and iso[19] in "+-Z"


def test_a_recent_moment_shows_the_day_only_when_it_is_not_today() -> None:
    now = datetime.now().replace(microsecond=0)
    assert format_time(now.timestamp(), TimeStyle.RECENT) == now.strftime("%H:%M")
    earlier = now - timedelta(days=2)
    assert format_time(earlier.timestamp(), TimeStyle.RECENT) == earlier.strftime("%b %d %H:%M")


def test_none_is_now() -> None:
    before = datetime.now().replace(microsecond=0)
    shown = datetime.strptime(format_time(None, TimeStyle.FULL), "%Y-%m-%d %H:%M:%S")
    assert before <= shown <= datetime.now()
