"""The lead being typed, kept on disk: saved a moment after each edit, back in the form
when LeadDesk starts again (a fix in progress still a fix of the same lead), cleared
once the lead is queued or discarded. A draft that cannot be saved is said once in the
status line and kept in sight as a notice until a save works again."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from leaddesk.config.draft import Draft
from leaddesk.config.paths import Paths
from leaddesk.gui.draft_slot import DraftSlot

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from leaddesk.gui.edit_session import EditSession
    from leaddesk.gui.lead_form import LeadForm
    from leaddesk.gui.notifications import NotificationArea

AUTOSAVE_MS = 1000
UNSAVED_NOTICE_KEY = "draft-unsaved"


def draft_for(paths: Paths, demo: bool) -> Draft:
    """The lead being typed, kept apart for demo mode as demo leads are."""
    return Draft(paths.data_dir / ("demo-draft.json" if demo else "draft.json"))


def _no_defaults() -> dict[str, str]:
    return {}


class DraftKeeper(QObject):
    """One window's draft. It holds the form and the edit session, never the window, so
    that a closed window is deleted at once (see EditSession); `tell` is the status line's,
    `notices` the window's notice line."""

    # The form's lead needs nothing more to keep it: saved in the draft, or gone from the
    # form (queued, discarded, emptied). A dialer's link kept on disk for it may go.
    settled = Signal()

    def __init__(
        self,
        parent: QWidget,
        draft: Draft,
        form: LeadForm,
        edit_session: EditSession,
        tell: Callable[[str], None],
        notices: NotificationArea,
    ) -> None:
        super().__init__(parent)
        # This window's own file of the home's drafts (draft_slot.py), held until it closes.
        self.slot = DraftSlot(draft)
        self.draft = self.slot.draft
        self._form = form
        self._edit_session = edit_session
        self._tell = tell
        self._notices = notices
        self._failing: str | None = None  # why the last save failed, until one works
        # The values a blank form has (the destination's): until the window is attached,
        # none, and any typed value is a lead worth keeping.
        self.defaults: Callable[[], dict[str, str]] = _no_defaults
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save)
        form.edited.connect(self.timer.start)

    @Slot()
    def save(self) -> str | None:
        """None when saved (or cleared: the form holds no lead), else why not."""
        # What a pending autosave would write, this writes now: one failure told once.
        self.timer.stop()
        try:
            if self._form.has_call_data(self.defaults()):
                self.draft.save(self._form.values() | self._edit_session.draft_entries())
            else:
                self.draft.clear()
        except OSError as error:
            problem = error.strerror or str(error)
            self._failing_now(problem)
            return problem
        self._no_longer_failing()
        self.settled.emit()
        return None

    def _no_longer_failing(self) -> None:
        if self._failing is not None:
            self._failing = None
            self._notices.dismiss(UNSAVED_NOTICE_KEY)

    def _failing_now(self, problem: str) -> None:
        """The status line says a failure once: the same one again a second later, at the
        next autosave, would cover what the agent was told since (where a dialer's link is
        kept, a lead queued). The notice keeps it in sight until a save works."""
        if problem == self._failing:
            return
        self._failing = problem
        self._tell(f"Could not save the form's draft: {problem}.")
        self._notices.notify(
            UNSAVED_NOTICE_KEY,
            f"The lead in the form cannot be saved to disk ({problem}): it would be lost if "
            "LeadDesk closed. Submit it, and check the disk or the data folder.",
            severity="warning",
        )

    def clear(self) -> None:
        """The lead is queued or discarded: nothing to keep, nor to save a moment later."""
        self.draft.clear()
        self.timer.stop()
        # The notice spoke of this lead, now safe or let go: the form's next lead is said
        # afresh if its draft fails too.
        self._no_longer_failing()
        self.settled.emit()

    def restore(self) -> dict[str, str]:
        """The lead being typed when LeadDesk last closed, back in the form at once; a fix
        in progress stays a fix of the same lead. Its fields are checked once the form is
        attached (the checks load phonenumbers and email-validator). The values restored."""
        values = self._edit_session.restore(self.draft.load())
        self._form.set_values(values)
        if values:
            self._tell("Restored the lead you were typing before LeadDesk closed.")
        return values
