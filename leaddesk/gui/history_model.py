"""The history table's model: a window onto the store, never the whole history in memory.

It holds the ids of the leads its query matches (an array, 8 bytes a lead) and fetches the
rows of a block of them when the view first asks for one; a few blocks stay cached.
Changes reported by the send worker update rows in place.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from leaddesk.history_query import COLUMNS, Column, Query, Row, lead_ids, matches, rows
from leaddesk.store import State, Store, StoredLead

BLOCK_ROWS = 200
CACHED_BLOCKS = 16

LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2

ModelIndex = QModelIndex | QPersistentModelIndex

STATE_LABELS = {
    State.QUEUED: "Queued",
    State.SENDING: "Sending",
    State.ACCEPTED: "Accepted",
    State.REJECTED: "Rejected",
    State.FAILED: "Failed",
    State.UNCONFIRMED: "Unconfirmed",
}

# Colour goes with an icon and a word, never alone (colour-blind agents, grey screens).
_STATE_COLOURS = {
    State.ACCEPTED: "#2e7d32",
    State.REJECTED: "#c62828",
    State.FAILED: "#c62828",
    State.UNCONFIRMED: "#b26a00",
}
_STATE_ICONS = {
    State.QUEUED: QStyle.StandardPixmap.SP_BrowserReload,
    State.SENDING: QStyle.StandardPixmap.SP_ArrowUp,
    State.ACCEPTED: QStyle.StandardPixmap.SP_DialogApplyButton,
    State.REJECTED: QStyle.StandardPixmap.SP_MessageBoxCritical,
    State.FAILED: QStyle.StandardPixmap.SP_DialogCancelButton,
    State.UNCONFIRMED: QStyle.StandardPixmap.SP_MessageBoxWarning,
}


class HistoryModel(QAbstractTableModel):
    query_changed = Signal()

    def __init__(self, store: Store, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._store = store
        self._query = Query()
        self._ids = lead_ids(store, self._query)
        self._blocks: OrderedDict[int, list[Row]] = OrderedDict()
        self._icons: dict[State, QIcon] = {}

    # --- the query ----------------------------------------------------------------

    @property
    def query(self) -> Query:
        return self._query

    def set_query(self, query: Query) -> None:
        self.beginResetModel()
        self._query = query
        self._ids = lead_ids(self._store, query)
        self._blocks.clear()
        self.endResetModel()
        self.query_changed.emit()

    def reload(self) -> None:
        self.set_query(self._query)

    def lead_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, lead_id: int) -> int | None:
        try:
            return self._ids.index(lead_id)
        except ValueError:
            return None

    def ids(self) -> list[int]:
        return list(self._ids)

    # --- Qt's model interface -----------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section].label
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row, column)
        if role == LEAD_ID_ROLE:
            return row.id
        if role == STATE_ROLE:
            return row.state.value
        if column is Column.STATE:
            if role == Qt.ItemDataRole.DecorationRole:
                return self._icon(row.state)
            if role == Qt.ItemDataRole.ForegroundRole and row.state in _STATE_COLOURS:
                return QBrush(QColor(_STATE_COLOURS[row.state]))
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        self.set_query(replace(self._query, sort=COLUMNS[column], descending=descending))

    # --- live changes ---------------------------------------------------------------

    def update_leads(self, leads: Iterable[StoredLead]) -> None:
        """Show new states in place; add new leads on top; drop rows that left the filter.
        Selection and scroll position stay where they are: no reset."""
        for lead in leads:
            fresh = _row_from(lead)
            position = self.row_of(lead.id)
            if position is None:
                if matches(self._query, fresh) and self._shows_newest_first():
                    self._insert_on_top(fresh)
                continue
            if not matches(self._query, fresh):
                self.beginRemoveRows(QModelIndex(), position, position)
                del self._ids[position]
                self._blocks.clear()  # positions after it moved
                self.endRemoveRows()
                continue
            block = self._blocks.get(position // BLOCK_ROWS)
            if block is not None:
                block[position % BLOCK_ROWS] = fresh
            first, last = self.index(position, 0), self.index(position, len(COLUMNS) - 1)
            self.dataChanged.emit(first, last)

    def _shows_newest_first(self) -> bool:
        return self._query.sort is Column.TIME and self._query.descending

    def _insert_on_top(self, row: Row) -> None:
        if self._query.search.strip():
            return  # whether it matches the search is the store's to say: on the next reload
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._ids.insert(0, row.id)
        self._blocks.clear()
        self.endInsertRows()

    # --- fetching -------------------------------------------------------------------

    def _row(self, position: int) -> Row | None:
        number = position // BLOCK_ROWS
        block = self._blocks.get(number)
        if block is None:
            start = number * BLOCK_ROWS
            ids = self._ids[start : start + BLOCK_ROWS]
            found = rows(self._store, ids)
            block = [found[i] for i in ids if i in found]
            if len(block) != len(ids):  # purged meanwhile: keep positions, show the gap empty
                block = [found.get(i) or _missing(i) for i in ids]
            self._blocks[number] = block
            while len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block[position % BLOCK_ROWS]

    def _icon(self, state: State) -> QIcon:
        if state not in self._icons:
            style = QApplication.style()
            self._icons[state] = style.standardIcon(_STATE_ICONS[state])
        return self._icons[state]


def _row_from(lead: StoredLead) -> Row:
    return Row(
        lead.id,
        lead.created_at,
        lead.lead.fname,
        lead.lead.lname,
        lead.lead.phone1,
        lead.destination,
        lead.state,
        lead.customer_id,
        lead.errors[0] if lead.errors else "",
    )


def _missing(lead_id: int) -> Row:
    return Row(lead_id, 0.0, "", "(deleted)", "", "", State.FAILED, "", "")


def _display(row: Row, column: Column) -> str:
    if column is Column.TIME:
        return _when(row.created_at)
    if column is Column.NAME:
        return row.name
    if column is Column.PHONE:
        return format_phone(row.phone1)
    if column is Column.DESTINATION:
        return urlsplit(row.destination).hostname or row.destination
    if column is Column.STATE:
        return STATE_LABELS[row.state]
    if column is Column.CUSTOMER:
        return row.customer_id
    return row.first_error


def _tooltip(row: Row, column: Column) -> str | None:
    if column is Column.DESTINATION:
        return row.destination
    if column is Column.ERROR and row.first_error:
        return row.first_error
    if column is Column.TIME:
        return datetime.fromtimestamp(row.created_at).strftime("%Y-%m-%d %H:%M:%S")
    return None


def _when(timestamp: float) -> str:
    moment = datetime.fromtimestamp(timestamp)
    if moment.date() == datetime.now().date():
        return moment.strftime("%H:%M")
    return moment.strftime("%b %d %H:%M")


def format_phone(digits: str) -> str:
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return digits
