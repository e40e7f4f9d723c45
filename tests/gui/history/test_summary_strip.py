"""The history's summary strip, in plain text: a long failure message is wrapped within
the narrowest history and shown whole, never widening the history (and so never taking
width from the form)."""

from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from leaddesk.gui.history.summary_strip import SummaryStrip
from leaddesk.gui.window_layout import HISTORY_MIN_WIDTH
from leaddesk.history.history_query import Query
from leaddesk.history.store import Store

# Words, and a path whose parts a line may break between, as an export's failure reads.
LONG_FAILURE = (
    "Could not export 200 leads to /home/agent/Documents/LeadDesk/exports/2026-12-07/"
    "needs-attention-searched-for-rogers.csv: the folder is read-only; choose another "
    "folder, or ask whoever looks after this computer to let you write there."
)


def test_a_long_failure_message_wraps_within_the_narrowest_history(
    qtbot: QtBot, tmp_path: Path
) -> None:
    database = tmp_path / "history.sqlite3"
    with Store(database):
        pass
    strip = SummaryStrip(database, Query)
    qtbot.addWidget(strip)
    try:
        strip.show_failure(LONG_FAILURE)
        strip.resize(HISTORY_MIN_WIDTH, strip.heightForWidth(HISTORY_MIN_WIDTH))
        strip.show()
        assert strip.text() == LONG_FAILURE
        assert strip.minimumSizeHint().width() <= HISTORY_MIN_WIDTH
        lines = strip.height() // strip.fontMetrics().lineSpacing()
        assert lines >= 3, strip.height()  # all of it, on as many lines as it takes
    finally:
        strip.stop()
