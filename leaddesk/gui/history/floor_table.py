"""The floor's table laid out as the desk's own history is (gui/history/pane.py): why a
lead failed right after its state (and whose lead it is), long reasons cut in the middle,
and Tab going on to the next control rather than from cell to cell (arrows move inside
the table)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTableView

from leaddesk.gui.history.floor_model import FLOOR_COLUMNS, FloorColumn

_WIDTHS = ((FloorColumn.TIME, 110), (FloorColumn.STATE, 130), (FloorColumn.ERROR, 240),
           (FloorColumn.NAME, 150), (FloorColumn.PHONE, 115), (FloorColumn.AGENT, 90),
           (FloorColumn.DESK, 90))  # fmt: skip
# The order on screen (the model's, which the details and resend use, is unchanged): a
# supervisor reads whose lead it is beside why it failed, both in a 600 px dock.
_SHOWN_FIRST = (FloorColumn.TIME, FloorColumn.STATE, FloorColumn.ERROR, FloorColumn.AGENT)


def show_like_the_own_history(table: QTableView) -> None:
    table.setTabKeyNavigation(False)
    table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
    for column, width in _WIDTHS:
        table.setColumnWidth(FLOOR_COLUMNS.index(column), width)
    header = table.horizontalHeader()
    for place, column in enumerate(_SHOWN_FIRST):
        header.moveSection(header.visualIndex(FLOOR_COLUMNS.index(column)), place)
