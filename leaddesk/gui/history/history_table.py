"""The history's table: Qt's QTableView with a viewport made in Python, and a lead menu
that opens where the agent is looking, from the mouse or from the keyboard."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Signal
from PySide6.QtGui import QContextMenuEvent, QPalette
from PySide6.QtWidgets import QTableView, QWidget


def _viewport_made_here() -> QWidget:
    """A scroll area's viewport, set up as Qt sets up its own. Python is handed the table's
    viewport (the first paint is watched on it, the menu placed by it), and handed the one
    Qt made, PySide would first build the types and enums of every widget class to find
    which it is: the longest step of opening the history, before "ready to submit"
    (tests/gui/test_widget_types.py)."""
    viewport = QWidget()
    viewport.setObjectName("qt_scrollarea_viewport")
    viewport.setBackgroundRole(QPalette.ColorRole.Base)
    viewport.setAutoFillBackground(True)
    return viewport


class HistoryTable(QTableView):
    menu_requested = Signal(QPoint)  # where the lead menu goes, in global coordinates

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setViewport(_viewport_made_here())

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        """A right click: the menu at the pointer, for the row clicked (Qt selects it). The
        Menu key: the menu under the current row, which it selects when nothing is, so that
        its actions are there to choose (Qt places a keyboard menu a header's height too
        low, and leaves the current row unselected)."""
        if event.reason() != QContextMenuEvent.Reason.Keyboard:
            self.menu_requested.emit(event.globalPos())
            return
        current = self.currentIndex()
        if not current.isValid():
            self.menu_requested.emit(self.viewport().mapToGlobal(QPoint(0, 0)))
            return
        selection = self.selectionModel()
        if selection is not None and not selection.hasSelection():
            self.selectRow(current.row())
        cell = self.visualRect(current)
        self.menu_requested.emit(self.viewport().mapToGlobal(cell.bottomLeft()))
