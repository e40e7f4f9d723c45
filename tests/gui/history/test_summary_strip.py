"""The history's summary strip, in plain text: a long failure message is wrapped within
the narrowest history and shown whole, never widening the history (and so never taking
width from the form)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from pytestqt.qtbot import QtBot

from leaddesk.gui.history.summary_strip import SummaryStrip
from leaddesk.gui.line_breaks import LINE_BREAK
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
        strip.show_message(LONG_FAILURE)
        strip.resize(HISTORY_MIN_WIDTH, strip.heightForWidth(HISTORY_MIN_WIDTH))
        strip.show()
        assert strip.text() == LONG_FAILURE
        assert strip.minimumSizeHint().width() <= HISTORY_MIN_WIDTH
        lines = strip.height() // strip.fontMetrics().lineSpacing()
        assert lines >= 3, strip.height()  # all of it, on as many lines as it takes
    finally:
        strip.stop()


# What no word wrap could break: a Windows path, and one long run of text.
UNBROKEN_FAILURES = (
    "Could not export to C:\\Users\\agent.okafor\\Documents\\LeadDesk\\exports\\2026"
    "\\December\\NeedsAttentionSearchedForRogersAndOkafor.csv: the folder is read-only.",
    "The dealer said: " + "X" * 160,
    # Qt breaks no line between a hyphen or a slash and a digit, nor at a no-break space.
    "Exported 200 leads to /home/agent/leads-2026-12-07-2026-12-31-000123-000456-000789"
    "-000999-000111-000222-000333.csv.",
    "Exported 200 leads to /home/agent/exports/2026/12/07/2026/12/31/000123/000456/000789"
    "/000999/000111/000222/000333.csv.",
    "The dealer said: Rejected:\u00a0duplicate\u00a0lead\u00a0for\u00a0this\u00a0phone"
    "\u00a0number\u00a0within\u00a030\u00a0days;\u00a0ask\u00a0the\u00a0dealer\u00a0before"
    "\u00a0sending\u00a0it\u00a0again.",
)


@pytest.fixture
def strip(qtbot: QtBot, tmp_path: Path) -> SummaryStrip:
    database = tmp_path / "history.sqlite3"
    with Store(database):
        pass
    made = SummaryStrip(database, Query)
    qtbot.addWidget(made)
    return made


@pytest.mark.parametrize("message", UNBROKEN_FAILURES)
def test_a_message_no_word_wrap_could_break_still_fits_the_narrowest_history(
    strip: SummaryStrip, message: str
) -> None:
    try:
        strip.show_message(message)
        # Before, the strip asked for the whole run's width: 1323 px for 160 letters.
        assert strip.minimumSizeHint().width() <= HISTORY_MIN_WIDTH
        assert strip.text().replace(LINE_BREAK, "") == message  # every character shown
        spoken = QAccessible.queryAccessibleInterface(strip)
        assert spoken is not None
        assert spoken.text(QAccessible.Text.Name) == message  # said without the marks
    finally:
        strip.stop()


def test_the_figures_are_said_as_shown_after_a_failure(strip: SummaryStrip) -> None:
    try:
        strip.show_message("The history could not be read: disk I/O error.")
        strip.refresh()  # counted again: the figures replace the failure
        spoken = QAccessible.queryAccessibleInterface(strip)
        assert spoken is not None
        assert spoken.text(QAccessible.Text.Name) == strip.text()
        assert "disk" not in spoken.text(QAccessible.Text.Name)
    finally:
        strip.stop()
