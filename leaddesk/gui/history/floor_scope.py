"""The History's "Whole floor" scope (team mode): every desk's leads this login may see
(a supervisor all, an agent their own: the floor's row-level security decides), with
their agent and desk, filtered by agent, state and text; a floor lead's details; and
Resend (Ctrl+R) of the selected floor leads (app/floor_resend.py).

The floor is across a network and may hold a million leads: it is read a page at a time,
and every read and resend runs on a thread of its own. Results cross to the GUI thread by
this widget's signals (queued by Qt: the receivers are its slots).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from html import escape

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from leaddesk.app.floor_resend import FloorResent, resend_for_floor, resent_words
from leaddesk.app.floor_view import FLOOR_PAGE, FloorQuery, floor_leads_again, floor_page
from leaddesk.app.outboxes import make_poster
from leaddesk.app.team_desk import TeamDesk
from leaddesk.config.settings import Sending
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import NEEDS_ATTENTION, State
from leaddesk.gui.actions import make_action
from leaddesk.gui.history.floor_model import FLOOR_COLUMNS, FloorColumn, FloorModel
from leaddesk.gui.history.floor_table import show_like_the_own_history
from leaddesk.gui.lead_details import details_html
from leaddesk.team.floor import FloorOffline
from leaddesk.team.floor_leads import FloorLead

log = logging.getLogger(__name__)

TYPING_PAUSE_MS = 300  # wait for a pause in typing before asking the floor
MOST_READ_AGAIN = 5 * FLOOR_PAGE  # a refresh reads again at most this many rows


@dataclass(frozen=True)
class _Read:
    generation: int
    offset: int
    limit: int
    leads: list[FloorLead]
    has_more: bool = False  # the floor had a row past these
    problem: str = ""


@dataclass(frozen=True)
class _Resent:
    results: list[FloorResent]
    leads: list[FloorLead]  # as the floor has them after the resend
    problem: str = ""


def _off_gui_thread(name: str, work: Callable[[], None]) -> None:
    threading.Thread(target=work, name=name, daemon=True).start()


def _to_gui(emit: Callable[[], None]) -> None:
    """A thread's result sent to the view (queued to the GUI thread by Qt)."""
    try:
        emit()
    except RuntimeError:  # the window closed meanwhile: nobody to tell
        log.debug("floor result dropped: the view is gone")


class FloorScope(QWidget):
    _read_done = Signal(object)  # _Read, from a reading thread
    _resend_done = Signal(object)  # _Resent, from the resending thread
    resend_finished = Signal()  # for whoever waits on a resend (tests, the status line)

    def __init__(
        self,
        team: TeamDesk,
        sending: Callable[[], Sending],
        tell: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("floor_scope")
        self._team = team
        self._sending = sending  # the desk's sending settings, as they are at a resend
        self._tell = tell
        self._query = FloorQuery()
        self._generation = 0
        self._stale = True  # the floor changed since it was last read
        # One read at a time: a refresh landing after a page would take the view back to
        # its first rows, a page after a refresh sit where the floor has moved from.
        self._reading = False
        self._refresh_wanted = False
        self._page_wanted = False
        self._resending = False
        self._reselect: list[int] = []  # selected before a sort: selected again after it
        self.model = FloorModel(self)
        self.model.more_wanted.connect(self._read_more)
        self._read_done.connect(self._on_read)
        self._resend_done.connect(self._on_resent)

        self.agent = self._line_edit("floor_agent", "Agent", "Show one agent's leads")
        self.search = self._line_edit("floor_search", "Search name, phone, email, customer ID",
                                      "Search the floor")  # fmt: skip
        self.state = QComboBox(self)
        self.state.setObjectName("floor_state")
        self.state.setAccessibleName("Show leads in this state")
        self.state.addItem("All states", None)
        for state in State:
            self.state.addItem(STATE_LOOKS[state].label, state)
        self.state.currentIndexChanged.connect(self._query_changed)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self._query_changed)
        for box in (self.agent, self.search):
            box.textEdited.connect(lambda _text: self._typing.start())
            box.returnPressed.connect(self._query_changed)
        self.status = QLabel(self)
        self.status.setObjectName("floor_status")

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.table = QTableView(splitter)
        self.table.setObjectName("floor_history")
        self.table.setAccessibleName("The whole floor's leads")
        self.table.verticalHeader().setVisible(False)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        show_like_the_own_history(self.table)
        # Newest first, as the floor is read until a header is clicked.
        newest = FLOOR_COLUMNS.index(FloorColumn.TIME)
        self.table.horizontalHeader().setSortIndicator(newest, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)
        self.model.sort_wanted.connect(self._sort_changed)
        self.table.selectionModel().selectionChanged.connect(self._on_selection)
        self.details = QTextBrowser(splitter)
        self.details.setObjectName("floor_details")
        self.details.setAccessibleName("Details of the selected floor lead")
        self.details.setPlaceholderText("Select a floor lead to see its details.")
        self.details.setTabChangesFocus(True)  # read, not typed in: Tab goes on
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        self.resend_action = make_action(
            self, "&Resend", "floor_resend", self.resend_selected, "Ctrl+R"
        )
        self.resend_action.setToolTip("Resend the selected floor leads from this desk")
        self.resend_action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.resend_action.setEnabled(False)
        self.addAction(self.resend_action)

        filters = QHBoxLayout()
        filters.addWidget(self.agent, 1)
        filters.addWidget(self.state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filters)
        layout.addWidget(self.search)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)

    def _line_edit(self, name: str, placeholder: str, accessible: str) -> QLineEdit:
        box = QLineEdit(self)
        box.setObjectName(name)
        box.setPlaceholderText(placeholder)
        box.setClearButtonEnabled(True)
        box.setAccessibleName(accessible)
        return box

    # --- reading the floor ------------------------------------------------------------

    def floor_changed(self) -> None:
        """A push reached the floor: read it again if shown, else when next shown."""
        self._stale = True
        if self.isVisible():
            self.refresh()

    @property
    def reading(self) -> bool:
        """A read of the floor for this view is on its way."""
        return self._reading

    def refresh(self) -> None:
        """The view read again from its first row (as many rows as are shown, within
        reason), keeping the selected leads selected: once the read on its way is in."""
        self._stale = False
        if self._reading:
            self._refresh_wanted = True  # pushes meanwhile come to one read
            return
        rows = min(max(FLOOR_PAGE, self.model.rowCount()), MOST_READ_AGAIN)
        self._read(0, rows)

    def show_if_stale(self) -> None:
        if self._stale:
            self.refresh()

    @Slot(str, bool)
    def _sort_changed(self, key: str, descending: bool) -> None:
        # The same leads in another order: the selected ones stay selected where the
        # first page has them, as in the desk's own history.
        self._reselect = self.selected_ids()
        self._show_query(replace(self._query, sort=key, descending=descending))

    @Slot()
    def _query_changed(self) -> None:
        self._typing.stop()
        query = replace(
            self._query,
            agent=self.agent.text(),
            search=self.search.text(),
            state=self.state.currentData(),
        )
        self._show_query(query)

    def _show_query(self, query: FloorQuery) -> None:
        """The view read again from its first row, if `query` is not what it shows."""
        if query != self._query:
            self._query = query
            self._generation += 1  # what is read for the view left is dropped
            self._stale = self._refresh_wanted = self._page_wanted = False
            self.model.show([], False)
            self._read(0, FLOOR_PAGE)

    @Slot()
    def _read_more(self) -> None:
        if self._reading:
            self._page_wanted = True
            self.status.setText("Reading more…")
        else:
            self._read(self.model.rowCount(), FLOOR_PAGE)

    def _read(self, offset: int, limit: int) -> None:
        generation, query, team = self._generation, self._query, self._team
        self._reading = True
        if offset or not self.model.rowCount():  # a refresh of rows shown reads quietly
            self.status.setText("Reading the floor…" if offset == 0 else "Reading more…")

        def work() -> None:
            try:  # one row past the limit says whether there are more
                found = floor_page(team, query, offset, limit + 1)
                read = _Read(generation, offset, limit, found[:limit], len(found) > limit)
            except FloorOffline as error:
                read = _Read(generation, offset, limit, [], problem=f"Floor offline: {error}.")
            except Exception as error:  # unforeseen: said and logged, not a view stuck reading
                log.exception("floor read failed")
                why = f"The floor could not be read ({type(error).__name__})."
                read = _Read(generation, offset, limit, [], problem=why)
            _to_gui(lambda: self._read_done.emit(read))

        _off_gui_thread("leaddesk-floor-read", work)

    @Slot(object)
    def _on_read(self, read: _Read) -> None:
        if read.generation != self._generation:
            return  # a view the agent has left since: its read is on its way instead
        self._reading = False
        if read.problem:
            self._page_wanted = False
            self.model.page_dropped()  # the next scroll to the end asks again
            self.status.setText(read.problem)
            return
        whole = read.limit >= self.model.rowCount()  # the read covers every row shown
        if read.offset:
            self.model.add_page(read.leads, read.has_more)
        elif read.leads != self.model.leads[: None if whole else len(read.leads)]:
            chosen = self.selected_ids() or self._reselect
            self.model.show(read.leads, read.has_more)
            if self._select(chosen):
                self.table.scrollTo(self.table.selectionModel().selectedRows()[0])
            self._page_wanted = False  # the view asks again if the agent is at the end
        elif whole:
            self.model.has_more = read.has_more  # as shown: the agent's place is kept
        # else: the first rows of more than a refresh reads, unchanged: the rest stays
        self._reselect = []
        shown = self.model.rowCount()
        more = ", more as you scroll" if self.model.has_more else ""
        self.status.setText(f"{shown} floor lead{'s' if shown != 1 else ''} shown{more}.")
        self._read_what_waited()

    def _read_what_waited(self) -> None:
        """The page the agent scrolled to first, then a refresh of all that is shown."""
        if self._page_wanted:
            self._page_wanted = False
            if self.model.has_more:
                self._read_more()
                return
            self.model.page_dropped()
        if self._refresh_wanted:
            self._refresh_wanted = False
            self.refresh()

    # --- selection and details ----------------------------------------------------------

    def selected_ids(self) -> list[int]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.model.leads[row].floor_id for row in rows if row < len(self.model.leads)]

    def select_floor_lead(self, floor_id: int) -> bool:
        return self._select([floor_id])

    def _select(self, floor_ids: list[int]) -> bool:
        from PySide6.QtCore import QItemSelection, QItemSelectionModel

        selection = QItemSelection()
        for floor_id in floor_ids:
            row = self.model.row_of(floor_id)
            if row is not None:
                selection.select(self.model.index(row, 0), self.model.index(row, 0))
        flags = (
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.selectionModel().select(selection, flags)
        return not selection.isEmpty()

    @Slot()
    def _on_selection(self) -> None:
        ids = self.selected_ids()
        leads = [lead for lead in self.model.leads if lead.floor_id in set(ids)]
        states = {lead.stored.state for lead in leads}
        self.resend_action.setEnabled(bool(states & NEEDS_ATTENTION) and not self._resending)
        if len(leads) != 1:
            self.details.setHtml("" if not leads else f"<p>{len(leads)} floor leads selected.</p>")
            return
        lead = leads[0]
        where = (
            f"<p><b>Floor lead {lead.floor_id}</b>: agent {escape(lead.agent)} at desk "
            f"{escape(lead.desk)} (lead {lead.stored.id} there; its attempts' requests and "
            "replies stay at that desk).</p>"
        )
        self.details.setHtml(where + details_html(lead.stored, []))

    # --- resending across the floor -----------------------------------------------------

    @Slot()
    def resend_selected(self) -> None:
        from leaddesk.gui import questions

        ids = self.selected_ids()
        chosen = [lead for lead in self.model.leads if lead.floor_id in set(ids)]
        resendable = [lead for lead in chosen if lead.stored.state in NEEDS_ATTENTION]
        if not resendable or self._resending:
            return
        unconfirmed = sum(1 for lead in resendable if lead.stored.state is State.UNCONFIRMED)
        force = False
        if unconfirmed:
            force = questions.resend_unconfirmed(self, unconfirmed)
            if not force:
                resendable = [
                    lead for lead in resendable if lead.stored.state is not State.UNCONFIRMED
                ]
        if not resendable:
            return
        floor_ids = [lead.floor_id for lead in resendable]
        self._resending = True
        self.resend_action.setEnabled(False)
        self._tell(f"Resending {len(floor_ids)} floor lead(s) from this desk…")
        team, sending = self._team, self._sending()

        def work() -> None:
            try:
                with make_poster(sending) as poster:
                    results = resend_for_floor(team, poster, floor_ids, force=force)
                done = _Resent(results, floor_leads_again(team, floor_ids))
            except FloorOffline as error:
                done = _Resent([], [], f"Floor offline: {error}. Nothing was resent.")
            _to_gui(lambda: self._resend_done.emit(done))

        _off_gui_thread("leaddesk-floor-resend", work)

    @Slot(object)
    def _on_resent(self, done: _Resent) -> None:
        self._resending = False
        self.model.update_leads(done.leads)
        self._on_selection()
        self._tell(done.problem or resent_words(done.results))
        self.resend_finished.emit()
