"""The rows of the History's "Whole floor" scope: the floor's leads with their agent and
desk, as read a page at a time (gui/history/floor_scope.py reads them off the GUI
thread and hands them here)."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from leaddesk.app.times import TimeStyle, format_time
from leaddesk.domain.fields import format_phone
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.gui.history.cells import StateBrushes, StateIcons
from leaddesk.team.floor_leads import FloorLead

Index = QModelIndex | QPersistentModelIndex


class FloorColumn(StrEnum):
    # In the order shown and read out (a screen reader follows the model's order): why a
    # lead failed right after its state, and whose lead it is, both in sight in a 600 px
    # dock, as in the desk's own history.
    TIME = "Time"
    STATE = "State"
    ERROR = "Error"
    AGENT = "Agent"
    NAME = "Name"
    PHONE = "Phone"
    DESK = "Desk"
    CUSTOMER = "Customer ID"


FLOOR_COLUMNS = tuple(FloorColumn)
# The floor's sort (team/floor_leads.FLOOR_SORTS) for each column: sorted on the server,
# as the floor may hold a million leads and the view has read a few pages of them.
SORT_KEYS = {
    FloorColumn.TIME: "time",
    FloorColumn.STATE: "state",
    FloorColumn.ERROR: "error",
    FloorColumn.AGENT: "agent",
    FloorColumn.NAME: "name",
    FloorColumn.PHONE: "phone",
    FloorColumn.DESK: "desk",
    FloorColumn.CUSTOMER: "customer",
}
_STATE_COLUMN = FLOOR_COLUMNS.index(FloorColumn.STATE)
_TEXT_ROLES = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)


def cell_text(lead: FloorLead, column: FloorColumn) -> str:
    stored = lead.stored
    if column is FloorColumn.TIME:
        return format_time(stored.created_at, TimeStyle.DAY_AT)
    if column is FloorColumn.STATE:
        return STATE_LOOKS[stored.state].label
    if column is FloorColumn.NAME:
        return f"{stored.lead.fname} {stored.lead.lname}".strip()
    if column is FloorColumn.PHONE:
        return format_phone(stored.lead.phone1)
    if column is FloorColumn.AGENT:
        return lead.agent
    if column is FloorColumn.DESK:
        return lead.desk
    if column is FloorColumn.CUSTOMER:
        return stored.customer_id
    return stored.errors[0] if stored.errors else ""


class FloorModel(QAbstractTableModel):
    """The floor's leads read so far, in the view's order; `more_wanted` when the view
    scrolls to the end of them and the floor has more; `sort_wanted` (a key of
    FLOOR_SORTS, descending) when a header is clicked, for the floor to sort."""

    more_wanted = Signal()
    sort_wanted = Signal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.leads: list[FloorLead] = []
        self.has_more = False
        self._asked_more = False  # one page asked at a time
        # The state as the desk's own history shows it: an icon and a colour beside the word.
        self._icons = StateIcons()
        self._brushes = StateBrushes()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.leads)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FLOOR_COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        lead = self.leads[index.row()]
        if role in _TEXT_ROLES:
            return cell_text(lead, FLOOR_COLUMNS[index.column()])
        if index.column() != _STATE_COLUMN:
            return None
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.of(lead.stored.state)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brushes.of(lead.stored.state)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if orientation is Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return FLOOR_COLUMNS[section].value
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.sort_wanted.emit(SORT_KEYS[FLOOR_COLUMNS[column]], descending)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and self.has_more and not self._asked_more

    def fetchMore(self, parent: Index) -> None:
        if self.canFetchMore(parent):
            self._asked_more = True
            self.more_wanted.emit()

    def show(self, leads: Sequence[FloorLead], has_more: bool) -> None:
        """The first page of a view (or the view read again)."""
        self.beginResetModel()
        self.leads = list(leads)
        self.has_more = has_more
        self._asked_more = False
        self.endResetModel()

    def add_page(self, leads: Sequence[FloorLead], has_more: bool) -> None:
        known = {lead.floor_id for lead in self.leads}
        new = [lead for lead in leads if lead.floor_id not in known]
        if new:
            first = len(self.leads)
            self.beginInsertRows(QModelIndex(), first, first + len(new) - 1)
            self.leads += new
            self.endInsertRows()
        self.has_more = has_more
        self._asked_more = False

    def page_dropped(self) -> None:
        """The page asked for did not come (the floor offline, or the view changed)."""
        self._asked_more = False

    def update_leads(self, leads: Sequence[FloorLead]) -> None:
        """These leads as the floor has them now (after a resend), in their rows."""
        by_id = {lead.floor_id: lead for lead in leads}
        for row, old in enumerate(self.leads):
            if old.floor_id in by_id:
                self.leads[row] = by_id[old.floor_id]
                self.dataChanged.emit(self.index(row, 0), self.index(row, len(FLOOR_COLUMNS) - 1))

    def row_of(self, floor_id: int) -> int | None:
        return next((row for row, lead in enumerate(self.leads) if lead.floor_id == floor_id), None)
