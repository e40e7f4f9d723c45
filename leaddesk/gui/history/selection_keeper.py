"""Which leads the agent has selected and is reading, kept through what changes the
rows: a new sort, filter or search, live updates, rows coming in or moving."""

from __future__ import annotations

from PySide6.QtCore import (
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QTableView

from leaddesk.domain.errors import StoreError
from leaddesk.gui.history.model import HistoryModel


class SelectionKeeper(QObject):
    # The selected leads may have changed, or changed state: their details and the
    # actions on them are to be shown again.
    touched = Signal()
    failed = Signal(str)  # what the history could not read while keeping the selection

    def __init__(self, table: QTableView, model: HistoryModel) -> None:
        super().__init__(table)
        self._table = table
        self._model = model
        # Details and actions follow the selected leads as they change, not only as the
        # selection does; coalesced, as a batch reports many leads at once.
        self._touch_timer = QTimer(self)
        self._touch_timer.setSingleShot(True)
        self._touch_timer.setInterval(0)
        self._touch_timer.timeout.connect(self.touched)
        table.selectionModel().selectionChanged.connect(self.touched)
        # A new sort, filter or search resets the model: the selection goes with the rows.
        self._kept_ids: list[int] = []
        self._kept_current: int | None = None
        model.modelAboutToBeReset.connect(self._remember)
        model.modelReset.connect(self._restore)
        model.dataChanged.connect(self._touch_timer.start)
        model.rowsRemoved.connect(self._touch_timer.start)
        model.rowsAboutToBeInserted.connect(self._note_first_visible)
        model.rowsInserted.connect(self._after_insert)
        model.rowsAboutToBeMoved.connect(self._note_first_visible)
        model.rowsMoved.connect(self._after_move)
        model.rowsMoved.connect(self._touch_timer.start)
        self._first_visible = -1

    def stop(self) -> None:
        self._touch_timer.stop()

    def selected_ids(self) -> list[int]:
        return [self._model.lead_id(row) for row in self._selected_rows()]

    def _selected_rows(self) -> list[int]:
        # From the selection's ranges: selectedRows() asks the model about every cell of
        # every row, and thousands of rows selected made each click take a second.
        selection = self._table.selectionModel().selection()
        rows: set[int] = set()
        for number in range(selection.size()):
            selected = selection.at(number)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def current_lead(self) -> int | None:
        current = self._table.currentIndex()
        return self._model.lead_id(current.row()) if current.isValid() else None

    def followed(self) -> set[int]:
        """The leads the agent has selected or is on: a live change keeps them in view."""
        current = self.current_lead()
        return set(self.selected_ids()) | (set() if current is None else {current})

    def select_lead(self, lead_id: int) -> bool:
        """Select a lead and make it the current row, scrolled to; the pages before it
        are loaded if need be. False if the view leaves it out."""
        try:
            row = self._model.reveal(lead_id)
        except StoreError as error:
            self.failed.emit(str(error))
            return False
        if row is None:
            return False
        index = self._model.index(row, 0)
        flag = QItemSelectionModel.SelectionFlag
        self._table.selectionModel().setCurrentIndex(index, flag.ClearAndSelect | flag.Rows)
        self._table.scrollTo(index)
        return True

    def go_to_rows(self) -> None:
        """From the search to its results, as in a mail client: the first row (or the one
        already current) selected, the table with the keyboard."""
        if self._model.rowCount() == 0:
            return
        index = self._table.currentIndex()
        if not index.isValid():
            index = self._model.index(0, 0)
        flag = QItemSelectionModel.SelectionFlag
        self._table.selectionModel().setCurrentIndex(index, flag.ClearAndSelect | flag.Rows)
        self._table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    @Slot()
    def _remember(self) -> None:
        self._kept_ids = self.selected_ids()
        current = self.current_lead()
        self._kept_current = current if current in self._kept_ids else None

    @Slot()
    def _restore(self) -> None:
        """The leads selected before a new sort, filter or search stay selected while the
        view still holds them (the pages before them loaded if need be), the current one
        scrolled to: sorting by name must not lose the lead the agent was reading."""
        kept, current_id = self._kept_ids, self._kept_current
        self._kept_ids, self._kept_current = [], None
        try:
            positions = self._model.rows_of(kept)
        except StoreError as error:
            self.failed.emit(str(error))
            positions = {}
        rows = list(positions.values())
        last_column = self._model.columnCount() - 1
        chosen = QItemSelection()
        for row in rows:
            chosen.select(self._model.index(row, 0), self._model.index(row, last_column))
        selection = self._table.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        if chosen.isEmpty():
            self.touched.emit()  # nothing kept: the details and actions say so
            return
        selection.select(chosen, flag.ClearAndSelect)  # their details follow
        # The lead that was current, or else the first kept one, is current and in sight.
        current = positions.get(current_id) if current_id is not None else None
        index = self._model.index(min(rows) if current is None else current, 0)
        selection.setCurrentIndex(index, flag.NoUpdate)
        self._table.scrollTo(index)

    @Slot()
    def _note_first_visible(self) -> None:
        """Before rows come in or move: which row the agent reads at the top."""
        self._first_visible = self._table.rowAt(0)

    @Slot(QModelIndex, int, int)
    def _after_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        """Rows added above what the agent is reading push it down: scroll with them, so
        that the same leads stay in view (at the very top, new leads simply appear)."""
        bar = self._table.verticalScrollBar()
        if self._first_visible > 0 and first <= self._first_visible and bar.value() > 0:
            bar.setValue(bar.value() + last - first + 1)

    @Slot(QModelIndex, int, int, QModelIndex, int)
    def _after_move(
        self, parent: QModelIndex, start: int, end: int, destination: QModelIndex, row: int
    ) -> None:
        """A row moving from below what the agent reads to above it pushes the rows down
        by one, and one moving the other way pulls them up: scroll with them."""
        first = self._first_visible
        if first <= 0:
            return
        bar = self._table.verticalScrollBar()
        if start > first and row <= first:
            bar.setValue(bar.value() + 1)
        elif start < first and row > first:
            bar.setValue(bar.value() - 1)
