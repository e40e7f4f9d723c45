"""The history pane: every submission at a glance, failures found fast, fixed and resent."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import (
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPoint,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QMessageBox,
    QSplitter,
    QTableView,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.app.queue_notes import QueueNote, note_of
from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import FIXABLE, NEEDS_ATTENTION, State
from leaddesk.gui import questions
from leaddesk.gui.actions import make_action
from leaddesk.gui.history_model import HistoryModel
from leaddesk.gui.history_totals import OpenHistory, TotalsCounter
from leaddesk.gui.lead_details import details_html, details_text
from leaddesk.history.export import export_csv
from leaddesk.history.history_query import (
    COLUMNS,
    Column,
    Filter,
    Query,
    ReadOnlyHistory,
    Summary,
    Totals,
    lead_ids,
)
from leaddesk.history.store import Store, StoredLead
from leaddesk.sending.outbox import Progress

SEARCH_DELAY_MS = 200  # wait for a pause in typing before searching 100,000 leads
TOTALS_DELAY_MS = 500  # coalesce the totals' refresh while leads are being sent
COUNTING = "…"  # in the strip while its figures are being counted
_SEARCH_KEY_EVENTS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)


class HistoryPane(QWidget):
    edit_requested = Signal(int)  # lead id: load it into the form to fix and resend
    attention_changed = Signal(int)  # how many leads need attention
    selection_changed = Signal(object)  # the states of the selected leads (a set)

    def __init__(
        self,
        store: Store,
        wake_sender: Callable[[], None],
        parent: QWidget | None = None,
        resend_to: Callable[[StoredLead], str | None] = lambda lead: None,
        open_history: OpenHistory = ReadOnlyHistory,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history_pane")
        self._store = store
        self._wake_sender = wake_sender
        self._resend_to = resend_to  # the URL a resent lead goes to now (None: as before)
        self.model = HistoryModel(store, self)
        self.attention = 0  # leads needing attention, as last counted
        self.queue_actions: list[QAction] = []  # Send to…, Retry now: in the context menu

        self.filters = QButtonGroup(self)
        filter_bar = QHBoxLayout()
        for index, choice in enumerate(Filter):
            button = QToolButton(self)
            button.setObjectName(f"filter_{choice.value}")
            button.setText(choice.label)
            button.setCheckable(True)
            button.setChecked(choice is Filter.ALL)
            button.setAutoRaise(True)
            self.filters.addButton(button, index)
            filter_bar.addWidget(button)
        filter_bar.addStretch(1)
        self.filters.idClicked.connect(self._on_filter)

        self.search = QLineEdit(self)
        self.search.setObjectName("history_search")
        self.search.setPlaceholderText("Search name, phone, email, customer ID, lead ID")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search the history")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_search)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.search.installEventFilter(self)  # Esc clears it, Down goes on to the rows

        self.summary = QLabel(self)
        self.summary.setObjectName("history_summary")
        self.summary.setWordWrap(True)
        self._today = COUNTING  # the strip's two figures, as shown
        self._view = COUNTING
        self._show_summary()
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(TOTALS_DELAY_MS)
        self._totals_timer.timeout.connect(self.refresh_totals)
        # Totals read every lead's state: counted on a thread of their own, never holding
        # up the rows. Only the newest request's figures are shown.
        self._counter = TotalsCounter(store.path, self, open_history)
        self._counter.counted.connect(self._on_counted)
        self._counting = 0  # the newest request's number
        self._counting_view: tuple[Filter, str] | None = None  # its filter and search
        self._counted_view: tuple[Filter, str] | None = None  # those of the figure shown

        # Table and details made inside their splitter: moved into it afterwards, the
        # table would be set up twice.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableView(splitter)
        self.table.setObjectName("history")
        self.table.setAccessibleName("Lead history")
        # The row header goes before the model comes: a visible one sizes itself from the
        # header data of hundreds of rows (a call into Python for each) as the model is set.
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setSortingEnabled(True)
        self.table.horizontalHeader().setSortIndicator(
            COLUMNS.index(Column.TIME), Qt.SortOrder.DescendingOrder
        )
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.setWordWrap(False)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.table.customContextMenuRequested.connect(self._context_menu)
        for column, width in ((Column.TIME, 90), (Column.STATE, 170), (Column.NAME, 150),
                              (Column.PHONE, 115), (Column.CUSTOMER, 90),
                              (Column.ERROR, 220)):  # fmt: skip
            self.table.setColumnWidth(COLUMNS.index(column), width)

        self.details = QTextBrowser(splitter)
        self.details.setObjectName("history_details")
        self.details.setAccessibleName("Details of the selected lead")
        self.details.setPlaceholderText("Select a lead to see its details.")

        self._build_actions()
        self._on_selection()  # nothing selected yet: the lead actions start disabled
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(filter_bar)
        layout.addWidget(self.search)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)

        # Details and actions follow the selected leads as they change, not only as the
        # selection does; coalesced, as a batch reports many leads at once.
        self._selection_timer = QTimer(self)
        self._selection_timer.setSingleShot(True)
        self._selection_timer.setInterval(0)
        self._selection_timer.timeout.connect(self._on_selection)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        # A new sort, filter or search resets the model: the selection goes with the rows.
        self._kept_ids: list[int] = []
        self._kept_current: int | None = None
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.modelReset.connect(self._restore_selection)
        self.model.dataChanged.connect(self._selection_timer.start)
        self.model.rowsRemoved.connect(self._selection_timer.start)
        self.model.rowsAboutToBeInserted.connect(self._note_first_visible)
        self.model.rowsInserted.connect(self._after_insert)
        self.model.rowsAboutToBeMoved.connect(self._note_first_visible)
        self.model.rowsMoved.connect(self._after_move)
        self.model.rowsMoved.connect(self._selection_timer.start)
        self.model.query_failed.connect(self._sort_failed)
        self._first_visible = -1
        self.refresh_totals()

    def _build_actions(self) -> None:
        self.resend_action = make_action(self, "&Resend", "resend", self.resend_selected, "Ctrl+R")
        self.resend_action.setToolTip("Send the selected leads that need attention again")
        self.edit_action = make_action(
            self, "&Edit and resend", "edit_resend", self._edit_selected, "Ctrl+E"
        )
        self.copy_action = make_action(
            self, "&Copy details", "copy_details", self.copy_selected,
            QKeySequence.StandardKey.Copy,
        )  # fmt: skip
        self.export_action = make_action(
            self, "E&xport this view to CSV…", "export_csv", self.export_view
        )
        for action in (self.resend_action, self.edit_action, self.copy_action):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.addAction(action)
        self.addAction(self.export_action)

    # --- filters and search -------------------------------------------------------

    @Slot(int)
    def _on_filter(self, index: int) -> None:
        self.set_filter(list(Filter)[index])

    def set_filter(self, choice: Filter) -> None:
        self._apply(replace(self.model.query, filter=choice))

    def show_everything(self) -> None:
        """Every lead, no filter and no search, in one step (Show in history, for a lead
        that the view hides)."""
        self._search_timer.stop()
        self.search.clear()
        self._apply(replace(self.model.query, filter=Filter.ALL, search=""))

    @Slot()
    def _apply_search(self) -> None:
        self._search_timer.stop()
        if self.search.text() != self.model.query.search:
            self._apply(replace(self.model.query, search=self.search.text()))

    def _apply(self, query: Query) -> None:
        try:
            self.model.set_query(query)
        except StoreError as error:
            self._show_failure(str(error))
        else:
            self.refresh_totals()
        self._show_query()

    def _show_query(self) -> None:
        """The filter button and the sort indicator of the view shown: after a query the
        history could not read, the controls must not claim the view changed."""
        query = self.model.query
        self.filters.button(list(Filter).index(query.filter)).setChecked(True)
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() != COLUMNS.index(query.sort) or (
            header.sortIndicatorOrder() != order
        ):
            header.setSortIndicator(COLUMNS.index(query.sort), order)

    def _show_failure(self, message: str) -> None:
        """What the history could not do, where the agent looks: in the summary strip (the
        next figures counted replace it)."""
        self.summary.setText(message)

    @Slot(str)
    def _sort_failed(self, message: str) -> None:
        self._show_failure(message)
        self._show_query()  # the header back to the order still shown

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.search or event.type() not in _SEARCH_KEY_EVENTS:
            return False
        assert isinstance(event, QKeyEvent)
        # The keypad's arrows (and every arrow on macOS) carry KeypadModifier.
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape and self.search.text():
            # Claimed before the window's Esc (a new lead) sees it: Esc in a search box
            # clears the search. An empty box lets Esc through to the window.
            if event.type() == QEvent.Type.KeyPress:
                self.search.clear()
                self._apply_search()
            event.accept()
            return event.type() == QEvent.Type.KeyPress
        if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and event.type() == QEvent.Type.KeyPress:
            self._go_to_rows()
            return True
        return False

    def _go_to_rows(self) -> None:
        """From the search to its results, as in a mail client: the first row (or the one
        already current) selected, the table with the keyboard."""
        self._apply_search()  # what was typed counts now, not after the pause
        if self.model.rowCount() == 0:
            return
        index = self.table.currentIndex()
        if not index.isValid():
            index = self.model.index(0, 0)
        flag = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flag.ClearAndSelect | flag.Rows)
        self.table.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def shutdown(self) -> None:
        """The window is closing (and its store with it): nothing more is to be read, and
        the totals' thread is done when this returns."""
        for timer in (self._search_timer, self._totals_timer, self._selection_timer):
            timer.stop()
        self._counter.stop()

    @Slot()
    def _note_first_visible(self) -> None:
        """Before rows come in or move: which row the agent reads at the top."""
        self._first_visible = self.table.rowAt(0)

    @Slot(QModelIndex, int, int)
    def _after_insert(self, parent: QModelIndex, first: int, last: int) -> None:
        """Rows added above what the agent is reading push it down: scroll with them, so
        that the same leads stay in view (at the very top, new leads simply appear)."""
        bar = self.table.verticalScrollBar()
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
        bar = self.table.verticalScrollBar()
        if start > first and row <= first:
            bar.setValue(bar.value() + 1)
        elif start < first and row > first:
            bar.setValue(bar.value() - 1)

    # --- live updates -------------------------------------------------------------

    def on_progress(self, progress: Progress) -> None:
        try:
            self.model.update_leads(progress.leads, follow=self._followed())
        except StoreError as error:
            self._show_failure(str(error))
        self._totals_timer.start()

    def _followed(self) -> set[int]:
        """The leads the agent has selected or is on: a live change keeps them in view."""
        current = self._current_lead()
        return set(self.selected_ids()) | (set() if current is None else {current})

    def _current_lead(self) -> int | None:
        current = self.table.currentIndex()
        return self.model.lead_id(current.row()) if current.isValid() else None

    def lead_added(self, lead_id: int) -> None:
        lead = self._store.get(lead_id)
        if lead is not None:
            self.model.update_leads([lead])
        self._totals_timer.start()

    def show_changed(self, ids: list[int]) -> None:
        """Leads the agent queued again (resent, moved, retried now): their rows now."""
        try:
            self.model.update_leads(self._store.get_many(ids), follow=self._followed())
        except StoreError as error:  # queued all the same: the worker's report shows them
            self._show_failure(str(error))
        self._totals_timer.start()

    @Slot()
    def refresh_totals(self) -> None:
        """Count the strip's figures again, in the background. A view whose filter or
        search changed shows a placeholder meanwhile, never the figure of another view."""
        self._totals_timer.stop()
        query = self.model.query
        self._counting = self._counter.request(query)
        self._counting_view = (query.filter, query.search)  # the order changes no figure
        if self._counting_view != self._counted_view:
            self._view = COUNTING
            self._show_summary()

    @Slot(int, object)
    def _on_counted(self, number: int, result: Summary | str) -> None:
        if number != self._counting:
            return  # counted for an older view or an older state of the history
        if isinstance(result, str):  # the history could not be read
            self._show_failure(result)
            return
        self._today, self._view = _describe(result.today), _describe(result.view)
        self._counted_view = self._counting_view
        self._show_summary()
        attention = result.attention
        self.attention = attention
        label = Filter.ATTENTION.label
        button = self.filters.button(list(Filter).index(Filter.ATTENTION))
        button.setText(f"{label} ({attention})" if attention else label)
        self.attention_changed.emit(attention)

    # --- selection, details and actions ---------------------------------------------

    def _show_summary(self) -> None:
        self.summary.setText(f"<b>Today</b> {self._today}<br><b>This view</b> {self._view}")

    def selected_ids(self) -> list[int]:
        return [self.model.lead_id(row) for row in self._selected_rows()]

    def _selected_rows(self) -> list[int]:
        # From the selection's ranges: selectedRows() asks the model about every cell of
        # every row, and thousands of rows selected made each click take a second.
        selection = self.table.selectionModel().selection()
        rows: set[int] = set()
        for number in range(selection.size()):
            selected = selection.at(number)
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def select_lead(self, lead_id: int) -> bool:
        """Select a lead and make it the current row, scrolled to; the pages before it
        are loaded if need be. False if the view leaves it out."""
        try:
            row = self.model.reveal(lead_id)
        except StoreError as error:
            self._show_failure(str(error))
            return False
        if row is None:
            return False
        index = self.model.index(row, 0)
        flag = QItemSelectionModel.SelectionFlag
        self.table.selectionModel().setCurrentIndex(index, flag.ClearAndSelect | flag.Rows)
        self.table.scrollTo(index)
        return True

    @Slot()
    def _on_selection(self) -> None:
        ids = self.selected_ids()
        try:
            states = set(self._store.states(ids).values())  # one read, however many
        except StoreError as error:
            self.details.setPlainText(str(error))
            states = set()
        self.resend_action.setEnabled(bool(states & NEEDS_ATTENTION))
        self.edit_action.setEnabled(len(ids) == 1 and states <= FIXABLE)
        self.copy_action.setEnabled(bool(ids))
        self.selection_changed.emit(states)
        if len(ids) != 1:
            self.details.setHtml("" if not ids else f"<p>{len(ids)} leads selected.</p>")
            return
        try:
            lead = self._store.get(ids[0])
            attempts = self._store.attempts(ids[0])
        except StoreError as error:
            self.details.setPlainText(str(error))
            return
        if lead is not None:
            self.details.setHtml(details_html(lead, attempts, self._note(lead)))

    def _note(self, lead: StoredLead) -> QueueNote | None:
        return note_of(self._store, lead, self.model.notes.retry_limit)

    @Slot()
    def _remember_selection(self) -> None:
        self._kept_ids = self.selected_ids()
        current = self._current_lead()
        self._kept_current = current if current in self._kept_ids else None

    @Slot()
    def _restore_selection(self) -> None:
        """The leads selected before a new sort, filter or search stay selected while the
        view still holds them (the pages before them loaded if need be), the current one
        scrolled to: sorting by name must not lose the lead the agent was reading."""
        kept, current_id = self._kept_ids, self._kept_current
        self._kept_ids, self._kept_current = [], None
        try:
            positions = self.model.rows_of(kept)
        except StoreError as error:
            self._show_failure(str(error))
            positions = {}
        rows = list(positions.values())
        last_column = self.model.columnCount() - 1
        chosen = QItemSelection()
        for row in rows:
            chosen.select(self.model.index(row, 0), self.model.index(row, last_column))
        selection = self.table.selectionModel()
        flag = QItemSelectionModel.SelectionFlag
        if chosen.isEmpty():
            self._on_selection()  # nothing kept: the details and actions say so
            return
        selection.select(chosen, flag.ClearAndSelect)  # their details follow
        # The lead that was current, or else the first kept one, is current and in sight.
        current = positions.get(current_id) if current_id is not None else None
        index = self.model.index(min(rows) if current is None else current, 0)
        selection.setCurrentIndex(index, flag.NoUpdate)
        self.table.scrollTo(index)

    @Slot()
    def resend_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            return
        try:
            leads = self._store.get_many(ids)
        except StoreError as error:
            self._show_failure(str(error))
            return
        unconfirmed = [lead for lead in leads if lead.state is State.UNCONFIRMED]
        force = False
        if unconfirmed and not questions.resend_unconfirmed(self, len(unconfirmed)):
            leads = [lead for lead in leads if lead.state is not State.UNCONFIRMED]
        else:
            force = bool(unconfirmed)
        problems = []
        resent = []
        for lead in leads:
            try:
                self._store.requeue(lead.id, force=force, destination=self._resend_to(lead))
                resent.append(lead.id)
            except (ValueError, StoreError) as error:
                problems.append(str(error))
        if resent:
            self._wake_sender()
            self.show_changed(resent)
        if problems:
            QMessageBox.information(self, "Not resent", "\n".join(problems))
        self._totals_timer.start()

    @Slot()
    def _edit_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1:
            self.edit_requested.emit(ids[0])

    @Slot()
    def copy_selected(self) -> None:
        texts = []
        try:
            for lead in self._store.get_many(self.selected_ids()):
                texts.append(details_text(lead, self._store.attempts(lead.id), self._note(lead)))
        except StoreError as error:
            self._show_failure(str(error))
            return
        if texts:
            QGuiApplication.clipboard().setText("\n\n".join(texts))

    @Slot()
    def export_view(self, path: Path | None = None) -> int:
        """Write every lead of the current view (not only those on screen) to a CSV file."""
        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export leads", str(Path.home() / "leads.csv"), "CSV files (*.csv)"
            )
            if not chosen:
                return 0
            path = Path(chosen)
        try:
            ids = lead_ids(self._store, self.model.query)  # all of the view, loaded or not
            written = export_csv(self._store, ids, path)
        except (OSError, StoreError) as error:
            QMessageBox.warning(self, "Export failed", f"Could not write {path}: {error}")
            return 0
        self.summary.setText(f"Exported {written} leads to {path}.")
        return written

    @Slot(QPoint)
    def _context_menu(self, position: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.resend_action, *self.queue_actions, self.edit_action,
                       self.copy_action):  # fmt: skip
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.popup(self.table.viewport().mapToGlobal(position))


def _describe(figures: Totals) -> str:
    """The figures in words. `sent` counts every lead, whatever became of it: a lead still
    queued was never sent, so it is shown as queued and the whole as leads."""
    money = f"${figures.accepted_cents / 100:,.2f}"
    # The states part the leads: what is neither accepted nor to check is queued or sending.
    waiting = figures.sent - figures.accepted - figures.needs_attention
    return (
        f"{figures.sent} lead{'' if figures.sent == 1 else 's'} · {waiting} queued · "
        f"{figures.accepted} accepted · {figures.rejected} rejected · "
        f"{figures.needs_attention} to check · {money} accepted"
    )
