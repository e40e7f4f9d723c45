"""What the agent can do with the leads selected in the history: resend them, fix one
and resend it, copy their details, and export the whole view."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import QWidget

from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.queue_notes import QueueNote, note_of
from leaddesk.app.resend import Resent, Target, resend
from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import FIXABLE, NEEDS_ATTENTION, State
from leaddesk.gui.actions import make_action
from leaddesk.gui.history.model import HistoryModel
from leaddesk.gui.history.selection_keeper import SelectionKeeper
from leaddesk.gui.history.summary_strip import SummaryStrip
from leaddesk.gui.lead_details import details_text
from leaddesk.history.store import StoredLead

if TYPE_CHECKING:
    from leaddesk.gui.floor_errand import FloorRequeue


class LeadActions(QObject):
    """The actions, on the pane (their keys work while it or a child has the focus)."""

    edit_requested = Signal(int)  # lead id: load it into the form to fix and resend
    requeued = Signal(list)  # ids of the leads queued again: their rows are to be shown

    def __init__(
        self,
        pane: QWidget,
        history: HistoryAccess,
        model: HistoryModel,
        keeper: SelectionKeeper,
        strip: SummaryStrip,
        wake_sender: Callable[[], None],
        resend_to: Callable[[StoredLead], str | None],
    ) -> None:
        super().__init__(pane)
        self._pane = pane  # the parent of the dialogs
        self._history = history
        self._model = model
        self._keeper = keeper
        self._strip = strip  # where failures are told
        self._wake_sender = wake_sender
        self._resend_to = resend_to  # the URL a resent lead goes to now (None: as before)
        self.floor: FloorRequeue | None = None  # team mode: each lead claimed on the floor
        self.resend = make_action(pane, "&Resend", "resend", self.resend_selected, "Ctrl+R")
        self.resend.setToolTip("Send the selected leads that need attention again")
        self.edit = make_action(
            pane, "&Edit and resend", "edit_resend", self._edit_selected, "Ctrl+E"
        )
        self.copy = make_action(
            pane, "&Copy details", "copy_details", self.copy_selected,
            QKeySequence.StandardKey.Copy,
        )  # fmt: skip
        self.export = make_action(pane, "E&xport this view to CSV…", "export_csv", self.export_view)
        for action in (self.resend, self.edit, self.copy):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            pane.addAction(action)
        pane.addAction(self.export)

    def enable_for(self, ids: list[int], states: set[State]) -> None:
        """Each action enabled only where it can do something for these selected leads."""
        self.resend.setEnabled(bool(states & NEEDS_ATTENTION))
        self.edit.setEnabled(len(ids) == 1 and states <= FIXABLE)
        self.copy.setEnabled(bool(ids))

    def note(self, lead: StoredLead) -> QueueNote | None:
        return note_of(self._history, lead, self._model.notes.retry_limit)

    @Slot()
    def resend_selected(self) -> None:
        ids = self._keeper.selected_ids()
        if not ids:
            return
        try:
            leads = self._history.get_many(ids)
        except StoreError as error:
            self._strip.show_message(str(error))
            return
        unconfirmed = [lead for lead in leads if lead.state is State.UNCONFIRMED]
        force = False
        # The questions' module loads QMessageBox, whose names PySide sets up as it loads:
        # not with the history, before the window is ready to submit.
        from leaddesk.gui import questions

        if unconfirmed and not questions.resend_unconfirmed(self._pane, len(unconfirmed)):
            leads = [lead for lead in leads if lead.state is not State.UNCONFIRMED]
        else:
            force = bool(unconfirmed)
        by_id = {lead.id: lead for lead in leads}

        def where(lead_id: int) -> Target | None:
            url = self._resend_to(by_id[lead_id])
            return None if url is None else Target(url)

        def requeue(history: HistoryAccess, ids: list[int], _release: bool) -> Resent:
            return resend(history, ids, force, where, refusals=(ValueError, StoreError))

        if self.floor is None:
            self._resent(requeue(self._history, list(by_id), True))
        else:  # off the GUI thread, as it asks the floor first
            self.floor.requeue(list(by_id), requeue, self._resent, force)

    def _resent(self, done: Resent) -> None:
        resent, problems = done.queued, [why for _, why in done.refused]
        if resent:
            self._wake_sender()
            self.requeued.emit(resent)
        if problems:
            from PySide6.QtWidgets import QMessageBox  # its names load when first needed

            QMessageBox.information(self._pane, "Not resent", "\n".join(problems))
        self._strip.refresh_soon()

    @Slot()
    def _edit_selected(self) -> None:
        ids = self._keeper.selected_ids()
        if len(ids) == 1:
            self.edit_requested.emit(ids[0])

    @Slot()
    def copy_selected(self) -> None:
        texts = []
        try:
            for lead in self._history.get_many(self._keeper.selected_ids()):
                texts.append(details_text(lead, self._history.attempts(lead.id), self.note(lead)))
        except StoreError as error:
            self._strip.show_message(str(error))
            return
        if texts:
            QGuiApplication.clipboard().setText("\n\n".join(texts))

    @Slot()
    def export_view(self, path: Path | None = None) -> int:
        """Write every lead of the current view (not only those on screen) to a CSV file."""
        from PySide6.QtWidgets import QFileDialog, QMessageBox  # names loaded when first needed

        if path is None:
            chosen, _ = QFileDialog.getSaveFileName(
                self._pane, "Export leads", str(Path.home() / "leads.csv"), "CSV files (*.csv)"
            )
            if not chosen:
                return 0
            path = Path(chosen)
        try:
            ids = self._history.lead_ids(self._model.query)  # all of the view, loaded or not
            written = self._history.export_csv(ids, path)
        except (OSError, StoreError) as error:
            QMessageBox.warning(self._pane, "Export failed", f"Could not write {path}: {error}")
            return 0
        self._strip.show_message(f"Exported {written} leads to {path}.")
        return written
