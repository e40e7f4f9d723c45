"""The floor's table laid out as the desk's own history is (gui/history/pane.py): widths
that keep why a lead failed and whose it is in sight, long reasons cut in the middle,
and Tab going on to the next control rather than from cell to cell (arrows move inside
the table)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from leaddesk.gui.history.floor_model import FLOOR_COLUMNS, FloorColumn

_WIDTHS = ((FloorColumn.TIME, 110), (FloorColumn.STATE, 130), (FloorColumn.ERROR, 240),
           (FloorColumn.NAME, 150), (FloorColumn.PHONE, 115), (FloorColumn.AGENT, 90),
           (FloorColumn.DESK, 90))  # fmt: skip


def show_like_the_own_history(table: QTableView) -> None:
    table.setTabKeyNavigation(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    for column, width in _WIDTHS:
        table.setColumnWidth(FLOOR_COLUMNS.index(column), width)
