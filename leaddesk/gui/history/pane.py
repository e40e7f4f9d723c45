"""The history pane: every submission at a glance, failures found fast, fixed and resent.

The pane puts its parts together and keeps them in step: the filter bar (what to see),
the summary strip (the figures), the table and its model (the rows), the selection keeper
(which leads the agent is on) and the lead actions (what to do with them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QPoint, Qt, Signal, Slot
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QMenu,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from leaddesk.app.history_access import HistoryAccess
from leaddesk.domain.errors import StoreError
from leaddesk.gui.history.filter_bar import FilterBar
from leaddesk.gui.history.first_paint import AfterFirstPaint
from leaddesk.gui.history.history_table import HistoryTable
from leaddesk.gui.history.lead_actions import LeadActions
from leaddesk.gui.history.model import HistoryModel
from leaddesk.gui.history.selection_keeper import SelectionKeeper
from leaddesk.gui.history.summary_strip import SummaryStrip
from leaddesk.gui.history.totals import OpenHistory
from leaddesk.gui.lead_details import details_html
from leaddesk.history.history_query import COLUMNS, Column, Filter, Query, ReadOnlyHistory
from leaddesk.history.store import StoredLead
from leaddesk.sending.progress import Progress

_COLUMN_WIDTHS = ((Column.TIME, 80), (Column.STATE, 130), (Column.NAME, 150),
                  (Column.PHONE, 115), (Column.CUSTOMER, 90), (Column.ERROR, 300))  # fmt: skip


class HistoryPane(QWidget):
    edit_requested = Signal(int)  # lead id: load it into the form to fix and resend
    attention_changed = Signal(int)  # how many leads need attention
    selection_changed = Signal(object)  # the states of the selected leads (a set)

    def __init__(
        self,
        history: HistoryAccess,
        wake_sender: Callable[[], None],
        parent: QWidget | None = None,
        resend_to: Callable[[StoredLead], str | None] = lambda lead: None,
        open_history: OpenHistory = ReadOnlyHistory,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history_pane")
        self._history = history
        self.model = HistoryModel(history, self)
        self.attention = 0  # leads needing attention, as last counted
        self.queue_actions: list[QAction] = []  # Send to…, Retry now: in the context menu

        self.filter_bar = FilterBar(self)
        self.filters = self.filter_bar.filters
        self.search = self.filter_bar.search
        self.filter_bar.filter_chosen.connect(self.set_filter)
        self.filter_bar.search_entered.connect(self._apply_search)
        self.summary = SummaryStrip(history.path, lambda: self.model.query, self, open_history)
        self.summary.attention_counted.connect(self._on_attention)

        # Table and details made inside their splitter: moved into it afterwards, the
        # table would be set up twice.
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = self._make_table(splitter)
        self.details = QTextBrowser(splitter)
        self.details.setObjectName("history_details")
        self.details.setAccessibleName("Details of the selected lead")
        self.details.setPlaceholderText("Select a lead to see its details.")
        self.details.setTabChangesFocus(True)  # read, not typed in: Tab goes on

        self.keeper = SelectionKeeper(self.table, self.model)
        self.keeper.failed.connect(self.summary.show_message)
        self.filter_bar.rows_wanted.connect(self.keeper.go_to_rows)
        self.actions_on_leads = LeadActions(
            self, history, self.model, self.keeper, self.summary, wake_sender, resend_to
        )
        self.actions_on_leads.edit_requested.connect(self.edit_requested)
        self.actions_on_leads.requeued.connect(self.show_changed)
        self.resend_action = self.actions_on_leads.resend
        self.edit_action = self.actions_on_leads.edit
        self.copy_action = self.actions_on_leads.copy
        self.export_action = self.actions_on_leads.export
        # Nothing selected yet: the lead actions start disabled, the details empty (as
        # made), and nobody has connected to selection_changed to be told.
        self.actions_on_leads.enable_for([], set())
        self.keeper.touched.connect(self._on_selection)

        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        self.model.query_failed.connect(self._sort_failed)
        # The figures are counted once the first screen of rows is painted (first_paint.py).
        self._first_count = AfterFirstPaint(self.table.viewport(), self.summary.count_first)

    def add_scope(self, chooser: QWidget, other_view: QWidget) -> None:
        """Team mode: a chooser above the filters, and a second view (the whole floor's,
        gui/history/floor_scope.py) in place of this desk's when `show_own_view(False)`."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, chooser)
        layout.addWidget(other_view, 1)
        other_view.hide()
        self._other_view: QWidget | None = other_view
        self._resend_keys = self.resend_action.shortcuts()

    def show_own_view(self, own: bool) -> None:
        other = getattr(self, "_other_view", None)
        if other is None:
            return
        for part in (self.filter_bar, self.summary, self.table.parentWidget()):
            if part is not None:  # the table's parent: its splitter with the details
                part.setVisible(own)
        other.setVisible(not own)
        # The other view has its own Resend on the same keys: one of them listens at a time.
        self.resend_action.setShortcuts(self._resend_keys if own else [])

    def _make_table(self, splitter: QSplitter) -> HistoryTable:
        table = HistoryTable(splitter)
        table.setObjectName("history")
        table.setAccessibleName("Lead history")
        # The row header goes before the model comes: a visible one sizes itself from the
        # header data of hundreds of rows (a call into Python for each) as the model is set.
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        table.setModel(self.model)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        table.setSortingEnabled(True)
        header = table.horizontalHeader()
        header.setSortIndicator(COLUMNS.index(Column.TIME), Qt.SortOrder.DescendingOrder)
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        table.setWordWrap(False)
        # A long reason keeps its start ("Rejected") and its end (the field), the middle
        # cut; the whole of it is in the tooltip and the details below.
        table.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        # Tab leaves the table for the next control (no keyboard trap); arrows move in it.
        table.setTabKeyNavigation(False)
        table.menu_requested.connect(self._context_menu)
        for column, width in _COLUMN_WIDTHS:
            table.setColumnWidth(COLUMNS.index(column), width)
        return table

    # --- the view: filters, search and sort -------------------------------------------

    @Slot(object)
    def set_filter(self, choice: Filter) -> None:
        self._apply(replace(self.model.query, filter=choice))

    def show_everything(self) -> None:
        """Every lead, no filter and no search, in one step (Show in history, for a lead
        that the view hides)."""
        self.filter_bar.clear_search()
        self._apply(replace(self.model.query, filter=Filter.ALL, search=""))

    @Slot(str)
    def _apply_search(self, text: str) -> None:
        if text != self.model.query.search:
            self._apply(replace(self.model.query, search=text))

    def _apply(self, query: Query) -> None:
        try:
            self.model.set_query(query)
        except StoreError as error:
            self.summary.show_message(str(error))
        else:
            self.refresh_totals()
        self._show_query()

    def _show_query(self) -> None:
        """The filter button and the sort indicator of the view shown: after a query the
        history could not read, the controls must not claim the view changed."""
        query = self.model.query
        self.filter_bar.show_filter(query.filter)
        order = Qt.SortOrder.DescendingOrder if query.descending else Qt.SortOrder.AscendingOrder
        header = self.table.horizontalHeader()
        if header.sortIndicatorSection() != COLUMNS.index(query.sort) or (
            header.sortIndicatorOrder() != order
        ):
            header.setSortIndicator(COLUMNS.index(query.sort), order)

    @Slot(str)
    def _sort_failed(self, message: str) -> None:
        self.summary.show_message(message)
        self._show_query()  # the header back to the order still shown

    def shutdown(self) -> None:
        """The window is closing (and its store with it): nothing more is to be read, and
        the totals' thread is done when this returns."""
        self.filter_bar.stop()
        self.keeper.stop()
        self.summary.stop()

    # --- live updates -------------------------------------------------------------

    def on_progress(self, progress: Progress) -> None:
        try:
            self.model.update_leads(progress.leads, follow=self.keeper.followed())
        except StoreError as error:
            self.summary.show_message(str(error))
        self.summary.refresh_soon()

    def lead_added(self, lead_id: int) -> None:
        lead = self._history.get(lead_id)
        if lead is not None:
            self.model.update_leads([lead])
        self.summary.refresh_soon()

    @Slot(list)
    def show_changed(self, ids: list[int]) -> None:
        """Leads the agent queued again (resent, moved, retried now): their rows now."""
        try:
            self.model.update_leads(self._history.get_many(ids), follow=self.keeper.followed())
        except StoreError as error:  # queued all the same: the worker's report shows them
            self.summary.show_message(str(error))
        self.summary.refresh_soon()

    @Slot()
    def refresh_totals(self) -> None:
        """Count the strip's figures again, in the background."""
        self.summary.refresh()

    @Slot(int)
    def _on_attention(self, attention: int) -> None:
        self.attention = attention
        self.filter_bar.show_attention(attention)
        self.attention_changed.emit(attention)

    # --- selection, details and actions ---------------------------------------------

    def selected_ids(self) -> list[int]:
        return self.keeper.selected_ids()

    def select_lead(self, lead_id: int) -> bool:
        """Select a lead and make it the current row, scrolled to; the pages before it
        are loaded if need be. False if the view leaves it out."""
        return self.keeper.select_lead(lead_id)

    @Slot()
    def _on_selection(self) -> None:
        ids = self.selected_ids()
        try:
            states = set(self._history.states(ids).values())  # one read, however many
        except StoreError as error:
            self.details.setPlainText(str(error))
            states = set()
        self.actions_on_leads.enable_for(ids, states)
        self.selection_changed.emit(states)
        if len(ids) != 1:
            self.details.setHtml("" if not ids else f"<p>{len(ids)} leads selected.</p>")
            return
        try:
            lead = self._history.get(ids[0])
            attempts = self._history.attempts(ids[0])
        except StoreError as error:
            self.details.setPlainText(str(error))
            return
        if lead is not None:
            self.details.setHtml(details_html(lead, attempts, self.actions_on_leads.note(lead)))

    def resend_selected(self) -> None:
        self.actions_on_leads.resend_selected()

    def copy_selected(self) -> None:
        self.actions_on_leads.copy_selected()

    def export_view(self, path: Path | None = None) -> int:
        """Write every lead of the current view (not only those on screen) to a CSV file."""
        return self.actions_on_leads.export_view(path)

    @Slot(QPoint)
    def _context_menu(self, where: QPoint) -> None:
        menu = QMenu(self)
        for action in (self.resend_action, *self.queue_actions, self.edit_action,
                       self.copy_action):  # fmt: skip
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.export_action)
        menu.popup(where)
