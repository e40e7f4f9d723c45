"""What Submit does: the form's checks, the destination's, the duplicate guard's question,
then the lead queued (or a fix queued again) and the agent told. The window owns one and
hands it only what the flow needs, so this module does not know the window.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from leaddesk.app.resend import Resent
from leaddesk.app.submit import destination_problem, queue_unless_duplicate
from leaddesk.domain.errors import StoreError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from leaddesk.app.desk import Desk
    from leaddesk.app.history_access import HistoryAccess
    from leaddesk.domain.lead import Lead
    from leaddesk.gui.edit_session import EditSession
    from leaddesk.gui.floor_errand import FloorRequeue
    from leaddesk.gui.floor_link import FloorLink
    from leaddesk.gui.lead_form import LeadForm
    from leaddesk.history.store import StoredLead

DOUBLE_PRESS_SECONDS = 1.0

# Dialogs (QMessageBox, leaddesk.gui.questions) are imported where they are asked: none
# is part of the window's first frame, and their Qt types cost time to set up.


class SubmitFlow:
    """One window's Submit. `queued(lead_id, message)` is the window's part once a lead is
    in the outbox: clear the form, wake the sender, show the lead in the history."""

    def __init__(
        self,
        parent: QWidget,
        desk: Desk,
        form: LeadForm,
        edit_session: EditSession,
        tell: Callable[[str], None],
        show_lead: Callable[[int], None],
        queued: Callable[[int, str], None],
    ) -> None:
        self._parent = parent  # of the questions asked
        self._desk = desk
        self._form = form
        self._edit_session = edit_session
        self._tell = tell
        self._show_lead = show_lead
        self._queued = queued
        self._submitting = False
        self._last_queued_at = float("-inf")
        self.floor: FloorLink | None = None  # team mode: the floor is asked first
        self._fix_on_floor: int | None = None  # a fix whose claim the floor has yet to give

    def submit(self) -> None:
        """Store the lead in the outbox and clear the form at once; the worker sends it."""
        if self._submitting:
            return
        if self._fix_on_floor is not None:
            self._tell(f"Lead {self._fix_on_floor}: still asking the floor before resending it.")
            return
        self._submitting = True
        try:
            self._submit()
        finally:
            self._submitting = False

    def _submit(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        desk, form = self._desk, self._form
        defaults = desk.lead_defaults()
        if not form.has_call_data(defaults):
            if time.monotonic() - self._last_queued_at < DOUBLE_PRESS_SECONDS:
                return  # the second press of a double press: keep the confirmation in sight
            self._tell("The form is empty: type a lead first.")
            form.focus_first()
            return
        lead = form.check()
        if lead is None:
            count = sum(1 for name in form.inputs if form.problem_text(name))
            self._tell(f"Fix {count} problem{'s' if count != 1 else ''} before submitting.")
            return
        problem = destination_problem(desk.destination, desk.settings)
        if problem is not None:
            self._tell(problem)
            return
        try:
            if self._edit_session.lead_id is not None and self._floor_requeue() is not None:
                self._resend_fix_on_floor(self._edit_session.lead_id, lead)
                return
            if self._edit_session.lead_id is not None:
                lead_id = self._edit_session.resend(desk, lead)
                done = f"Lead {lead_id} ({lead.fname} {lead.lname}) fixed and queued again."
            else:
                queued = self._queue_unless_duplicate(lead)
                if queued is None:
                    return
                lead_id = queued
                done = f"Lead {lead_id} ({lead.fname} {lead.lname}) queued."
        except (StoreError, ValueError) as error:
            QMessageBox.critical(
                self._parent,
                "Lead not saved",
                f"{error}\n\nThe lead was not saved; it is still in the form.",
            )
            return
        self._queued(lead_id, done)
        self._last_queued_at = time.monotonic()

    def _queue_unless_duplicate(self, lead: Lead) -> int | None:
        """Queue the form's lead, asking first if it is likely a duplicate (app.submit); its
        id, or None when the agent keeps it in the form."""
        desk = self._desk
        days = desk.settings.sending.duplicate_days
        if self.floor is not None and self.floor.team is not None:
            return self._queue_on_floor(lead, days)
        return queue_unless_duplicate(
            desk.history, lead, desk.destination, days, self._send_despite_duplicate
        )

    def _floor_requeue(self) -> FloorRequeue | None:
        return self.floor.requeue if self.floor is not None else None

    def _queue_on_floor(self, lead: Lead, days: int) -> int | None:
        """Team mode: the floor's guard and this desk's, and the insert, while the floor
        holds the household (app/team_submit.py); never long: past that, this desk's own."""
        from leaddesk.app.team_submit import queue_on_floor
        from leaddesk.gui import questions

        floor, desk = self.floor, self._desk
        assert floor is not None and floor.team is not None

        def ask(held: str) -> bool:
            return questions.send_despite_floor_duplicate(self._parent, held)

        return queue_on_floor(
            floor.team, desk.history, lead, desk.destination, days,
            self._send_despite_duplicate, ask, floor.own_history_only,
        )  # fmt: skip

    def _resend_fix_on_floor(self, lead_id: int, lead: Lead) -> None:
        """Team mode: the fix is claimed on the floor first (a supervisor may be resending
        the lead), off the GUI thread; the form keeps it until the floor has answered."""
        from leaddesk.app.fix import fix_and_resend

        floor = self._floor_requeue()
        assert floor is not None
        desk = self._desk

        def requeue(history: HistoryAccess, allowed: list[int], _release: bool) -> Resent:
            if lead_id not in allowed:
                return Resent()
            try:
                fix_and_resend(history, lead_id, lead, desk.resend_url)
            except (StoreError, ValueError) as error:
                return Resent([], [(lead_id, str(error))])
            return Resent([lead_id])

        def done(resent: Resent) -> None:
            self._fix_on_floor = None
            words = f"Lead {lead_id} ({lead.fname} {lead.lname}) fixed and queued again."
            if resent.queued and self._edit_session.lead_id == lead_id:
                self._queued(lead_id, words)
                self._last_queued_at = time.monotonic()
            elif resent.queued:  # the agent left the fix meanwhile: the form is theirs
                self._tell(words)
            else:
                from PySide6.QtWidgets import QMessageBox

                why = "\n".join(text for _, text in resent.refused)
                QMessageBox.warning(
                    self._parent, "Fix not resent", f"{why}\n\nThe fix is still in the form."
                )

        self._fix_on_floor = lead_id
        if not floor.requeue([lead_id], requeue, done):
            self._tell(f"Lead {lead_id}: asking the floor before resending it…")

    def _send_despite_duplicate(self, earlier: StoredLead) -> bool:
        from leaddesk.gui import questions

        answer = questions.send_despite_duplicate(self._parent, earlier)
        if answer is questions.Duplicate.SHOW:
            self._show_lead(earlier.id)
        return answer is questions.Duplicate.SEND
