"""Queue control on the history's selection: "Send to…" moves queued, failed and rejected
leads (unconfirmed ones after the question Resend asks) to a destination the agent picks,
with the fields it sets; "Retry now" tries queued leads at once instead of at their next
retry. A lead keeps its lead ID wherever it goes (the store sees to it)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Slot
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout, QWidget

from leaddesk.app.resend import Resent, Target, as_before, resend
from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import FIXABLE, State
from leaddesk.gui.actions import make_action
from leaddesk.gui.destination_picker import DestinationPicker

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess
    from leaddesk.config.settings import Destination
    from leaddesk.gui.floor_errand import FloorRequeue
    from leaddesk.gui.history.pane import HistoryPane

MOVABLE = frozenset({*FIXABLE, State.QUEUED, State.UNCONFIRMED})

_SEND_TO_TIP = "Send the selected queued, failed or rejected leads to a destination you pick"
_SEND_TO_NONE = "Select queued, failed or rejected leads to send them to another destination"
_RETRY_TIP = "Try the selected queued leads now, instead of at their next retry"
_RETRY_NONE = "Select queued leads to try them now"


class SendToDialog(QDialog):
    """Which destination the leads go to: the destinations the form offers."""

    def __init__(self, parent: QWidget, destinations: Sequence[Destination], count: int) -> None:
        from PySide6.QtWidgets import QDialogButtonBox  # its names load when first needed

        super().__init__(parent)
        self.setObjectName("send_to_dialog")
        self.setWindowTitle("Send to another destination")
        label = QLabel(
            f"Send {count} lead{'s' if count != 1 else ''} to the destination chosen here, "
            "with the source fields it sets. Each keeps its lead ID.",
            self,
        )
        label.setWordWrap(True)
        self.picker = DestinationPicker(self)
        self.buttons = QDialogButtonBox(self)
        self.send_button = self.buttons.addButton("&Send", QDialogButtonBox.ButtonRole.AcceptRole)
        self.send_button.setObjectName("send_to_send")
        self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.picker.chosen.connect(self._on_chosen)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(self.picker)
        layout.addWidget(self.buttons)
        self.picker.set_destinations(destinations, "")
        self.picker.combo.setFocus()

    @Slot(object)
    def _on_chosen(self, destination: Destination) -> None:
        self.send_button.setEnabled(not destination.problems())

    def chosen(self) -> Destination | None:
        destination = self.picker.current()
        return destination if destination is not None and not destination.problems() else None


class QueueControl(QObject):
    """The history's Send to… and Retry now actions, enabled by what is selected."""

    def __init__(
        self,
        pane: HistoryPane,
        history: HistoryAccess,
        destinations: Callable[[], list[Destination]],
        wake_sender: Callable[[], None],
        tell: Callable[[str], None],
    ) -> None:
        super().__init__(pane)
        self._pane = pane
        self._history = history
        self._destinations = destinations
        self._wake_sender = wake_sender
        self._tell = tell
        self.floor: FloorRequeue | None = None  # team mode: each lead claimed on the floor
        self.send_to_action = make_action(pane, "Se&nd to…", "send_to", self.send_to_selected)
        self.retry_action = make_action(pane, "Retry no&w", "retry_now", self.retry_selected)
        pane.queue_actions = [self.send_to_action, self.retry_action]
        pane.selection_changed.connect(self._on_selection)
        self._on_selection(set())

    @Slot(object)
    def _on_selection(self, states: Collection[State]) -> None:
        movable, queued = bool(MOVABLE & set(states)), State.QUEUED in states
        self.send_to_action.setEnabled(movable)
        self.send_to_action.setToolTip(_SEND_TO_TIP if movable else _SEND_TO_NONE)
        self.retry_action.setEnabled(queued)
        self.retry_action.setToolTip(_RETRY_TIP if queued else _RETRY_NONE)

    # --- Send to… ---------------------------------------------------------------------

    @Slot()
    def send_to_selected(self) -> list[int]:
        return self.send_to(self._pane.selected_ids())

    def send_to(self, ids: Sequence[int], destination: Destination | None = None) -> list[int]:
        """Move these leads (those that can go) to `destination`, asked for when None; the
        ids moved. Unconfirmed leads go only when the agent says so, as with Resend."""
        try:
            leads = [lead for lead in self._history.get_many(ids) if lead.state in MOVABLE]
        except StoreError as error:
            self._tell(str(error))
            return []
        unconfirmed = [lead for lead in leads if lead.state is State.UNCONFIRMED]
        from leaddesk.gui import questions  # QMessageBox's names: where a question is asked

        force = bool(unconfirmed) and questions.resend_unconfirmed(self._pane, len(unconfirmed))
        leads = [lead for lead in leads if force or lead.state is not State.UNCONFIRMED]
        if not leads:
            return []
        if destination is None:
            destination = self._ask_destination(len(leads))
            if destination is None:
                return []
        target, name = Target.of(destination), destination.name

        def told(moved: list[int]) -> None:
            if moved:
                self._tell(
                    f"{len(moved)} lead{'s' if len(moved) != 1 else ''} queued for "
                    f"{name}; each keeps its lead ID."
                )

        return self._requeue([lead.id for lead in leads], force, lambda _: target, told)

    def _ask_destination(self, count: int) -> Destination | None:
        dialog = SendToDialog(self._pane, self._destinations(), count)
        return dialog.chosen() if dialog.exec() else None

    # --- Retry now --------------------------------------------------------------------

    @Slot()
    def retry_selected(self) -> list[int]:
        try:
            leads = self._history.get_many(self._pane.selected_ids())
        except StoreError as error:
            self._tell(str(error))
            return []
        queued = [lead.id for lead in leads if lead.state is State.QUEUED]

        def told(moved: list[int]) -> None:
            if moved:
                self._tell(f"Trying {len(moved)} lead{'s' if len(moved) != 1 else ''} now.")

        return self._requeue(queued, False, as_before, told)

    def _requeue(
        self,
        ids: Sequence[int],
        force: bool,
        where: Callable[[int], Target | None],
        told: Callable[[list[int]], None],
    ) -> list[int]:
        """Queue these leads again where `where` says; the ids moved (in team mode, those
        moved by the time the floor answered: the others are shown and `told` later)."""
        moved: list[int] = []

        def requeue(history: HistoryAccess, wanted: list[int], _release: bool) -> Resent:
            # Refused one by one: sent meanwhile, or the disk.
            return resend(history, wanted, force, where, refusals=(ValueError, StoreError))

        def finish(done: Resent) -> None:
            moved.extend(done.queued)
            problems = [why for _, why in done.refused]
            if moved:
                self._wake_sender()
                self._pane.show_changed(moved)
            told(moved)
            if problems:
                from PySide6.QtWidgets import QMessageBox

                QMessageBox.information(self._pane, "Not moved", "\n".join(problems))

        if self.floor is None:
            finish(requeue(self._history, list(ids), True))
        else:  # off the GUI thread, as it asks the floor first
            self.floor.requeue(ids, requeue, finish, force)
        return moved
