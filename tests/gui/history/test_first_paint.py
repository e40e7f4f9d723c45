"""Work held back until the history's first screen of rows is painted: the totals' count
starts once the table has painted (not while the first screen is being laid out), and at
once for a pane that is not shown."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.app.history_access import HistoryAccess
from leaddesk.gui.history.first_paint import AfterFirstPaint
from leaddesk.gui.history.pane import HistoryPane
from leaddesk.gui.history.summary_strip import COUNTING
from leaddesk.history.history_query import ReadOnlyHistory
from leaddesk.history.store import Store
from tests.support.history_data import populate
from tests.support.history_pane_rig import MIXED


class Paints(QObject):
    """How many Paint events a widget has received so far."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__(widget)
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def test_the_totals_are_counted_once_the_first_rows_are_painted(
    qtbot: QtBot, tmp_path: Path
) -> None:
    paints_when_opened: list[int] = []
    paints: Paints | None = None

    def open_history(path: Path) -> ReadOnlyHistory:
        paints_when_opened.append(-1 if paints is None else paints.count)
        return ReadOnlyHistory(path)

    with Store(tmp_path / "history.sqlite3") as store:
        populate(store, MIXED)
        pane = HistoryPane(
            HistoryAccess(store), wake_sender=lambda: None, open_history=open_history
        )
        qtbot.addWidget(pane)
        paints = Paints(pane.table.viewport())
        pane.show()
        try:
            qtbot.waitUntil(lambda: COUNTING not in pane.summary.text())
            assert len(paints_when_opened) == 1, "one count for the first screen"
            assert paints_when_opened[0] >= 1, "counted before the rows were painted"
            assert f"{len(MIXED)} leads" in pane.summary.text()
        finally:
            pane.shutdown()


def test_a_pane_never_shown_counts_all_the_same(qtbot: QtBot, tmp_path: Path) -> None:
    with Store(tmp_path / "history.sqlite3") as store:
        populate(store, MIXED)
        pane = HistoryPane(HistoryAccess(store), wake_sender=lambda: None)
        qtbot.addWidget(pane)
        try:
            qtbot.waitUntil(lambda: COUNTING not in pane.summary.text())
            assert pane.attention == 4  # rejected, failed, unconfirmed, rejected
        finally:
            pane.shutdown()


def test_the_work_runs_once_whichever_comes_first(qtbot: QtBot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    runs: list[str] = []
    waiting = AfterFirstPaint(widget, lambda: runs.append("ran"))
    widget.show()
    qtbot.waitUntil(lambda: runs == ["ran"])
    assert not waiting.pending
    waiting.run()  # asked again, as a view change would
    widget.repaint()  # painted again
    QApplication.processEvents()
    assert runs == ["ran"]
