"""Why a lead was refused, in sight in the history beside the form at 1280x720 without
scrolling sideways; the whole of it in the details."""

from __future__ import annotations

from PySide6.QtCore import QRect
from pytestqt.qtbot import QtBot

from leaddesk.domain.states import State
from leaddesk.gui.history.pane import HistoryPane
from leaddesk.history.history_query import COLUMNS, Column
from leaddesk.sandbox import REJECT_MESSAGE, Faults
from tests.support.gui_helpers import Bench, headers_read_out, headers_shown, wait_for_state
from tests.support.leads import make_lead


def test_the_refusal_reason_is_in_sight_at_1280x720(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    rig.window.resize(1280, 720)
    qtbot.waitUntil(lambda: rig.window.width() == 1280)
    lead_id = rig.store.add(make_lead(1), rig.desk.destination.url)
    rig.worker.wake()
    wait_for_state(qtbot, rig.store, lead_id, State.REJECTED)
    pane = rig.window.history
    assert isinstance(pane, HistoryPane)

    def reason_shown() -> bool:  # the row, refreshed with its refusal (not only queued)
        row = pane.model.row_of(lead_id)
        error = COLUMNS.index(Column.ERROR)
        return row is not None and str(pane.model.index(row, error).data() or "") != ""

    qtbot.waitUntil(reason_shown)
    assert rig.window.history_dock.isVisible() and not rig.window.history_dock.isFloating()
    assert pane.table.horizontalScrollBar().value() == 0
    row = pane.model.row_of(lead_id)
    assert row is not None
    index = pane.model.index(row, COLUMNS.index(Column.ERROR))
    shown = pane.table.visualRect(index)
    viewport: QRect = pane.table.viewport().rect()
    assert viewport.contains(shown.topLeft()) and shown.width() >= 180, (shown, viewport)
    assert shown.right() <= viewport.right(), "the reason runs past the table's right edge"
    assert index.data().startswith("Rejected")
    assert pane.select_lead(lead_id)
    assert REJECT_MESSAGE in pane.details.toPlainText(), "the whole reason in the details"


def test_a_screen_reader_hears_the_columns_in_the_order_they_are_shown(
    qtbot: QtBot, bench: Bench
) -> None:
    """Qt's accessible table walks the model's columns, not the header's: a blind agent
    must hear why a lead failed right after its state, where a sighted one reads it."""
    rig = bench.open()
    pane = rig.window.history
    assert isinstance(pane, HistoryPane)
    shown = headers_shown(pane.table)
    assert shown[:3] == ["Time", "State", "First error"]
    assert headers_read_out(pane.table) == shown
