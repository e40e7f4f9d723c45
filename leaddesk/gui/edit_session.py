"""Edit and resend: the form fixing a rejected or failed lead from the history, which
submitting sends again as the same lead (its id and lead ID kept).

While a fix is in progress the banner above the form says which lead it is and what the
dealer said that no field could show, the Submit button reads "Submit fix", and the
destination picker is locked: a fix goes back to the dealer that refused the lead. The
draft remembers the lead being fixed (EDITING_KEY), so that a fix interrupted by a crash
or a close is still a fix of the same lead when LeadDesk starts again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from leaddesk.domain.errors import StoreError
from leaddesk.gui.style_property import apply_look

if TYPE_CHECKING:
    from leaddesk.app.desk import Desk
    from leaddesk.domain.lead import Lead
    from leaddesk.gui.destination_picker import DestinationPicker
    from leaddesk.gui.lead_form import LeadForm

EDITING_KEY = "_editing_lead"  # in the draft: the history lead being fixed
FIX_SUBMIT_TEXT = "&Submit fix"


class EditSession:
    """Which history lead the form is fixing, if any, and what that changes in the window.

    A plain object, not a QObject: the window owns it, and the window's slots call it.
    It holds no reference to the window or its methods (only to widgets inside it; what
    to tell the agent is returned): with one, window and session would form a cycle, and
    a dropped window would linger, hidden but alive, until the garbage collector ran,
    instead of being deleted at once as it is.
    """

    def __init__(
        self,
        window: QWidget,
        form: LeadForm,
        picker: DestinationPicker,
        submit_button: QPushButton,
    ) -> None:
        self._form = form
        self._picker = picker
        self._submit_button = submit_button
        self._submit_text = submit_button.text()  # what it says again once a fix ends
        self.lead_id: int | None = None  # the history lead the form is fixing, if any
        self.banner = QLabel(window)  # placed above the form by the window
        self.banner.setObjectName("editing_banner")
        self.banner.setWordWrap(True)
        apply_look(self.banner)
        self.banner.hide()

    def start(self, desk: Desk, lead_id: int) -> str | None:
        """Load a rejected or failed lead into the form, with the dealer's errors at the
        fields they concern; submitting resends it as the same lead. What to tell the
        agent in the status bar: None when the agent chose to keep the typed lead."""
        from leaddesk.app.fix import fixable
        from leaddesk.gui import questions

        defaults = desk.lead_defaults()
        if self._form.has_call_data(defaults) and not questions.discard_typed_lead(
            self._form.window(), self.unsent_changes(), editing=lead_id
        ):
            return None
        try:
            stored = fixable(desk.history, lead_id)
        except StoreError as error:
            return str(error)
        if stored is None:
            return f"Lead {lead_id} can be edited only when rejected or failed."
        self._picker.select(stored.destination_name)  # the dealer it goes back to
        self._form.clear_call({})
        self._form.set_values(stored.lead.values())
        from leaddesk.domain.error_fields import errors_by_field

        placed, unplaced = errors_by_field(stored.errors)
        self.begin(lead_id, unplaced)
        self._form.show_problems(placed)
        if not placed:
            self._form.focus_first()
        return f"Editing lead {lead_id}: fix it, then submit to resend it."

    def begin(self, lead_id: int, notes: list[str] | None = None) -> None:
        """The form now fixes this lead; `notes` are the dealer's errors no field shows."""
        self.lead_id = lead_id
        # A fix goes back to the dealer that refused the lead, with that dealer's values.
        self._picker.set_locked(True)
        text = f"Editing lead {lead_id}. Submit resends it as the same lead; Esc cancels."
        if notes:
            text += " The dealer said: " + "; ".join(notes)
        self.banner.setText(text)
        self.banner.show()
        self._submit_button.setText(FIX_SUBMIT_TEXT)

    def end(self) -> None:
        """No fix in progress: the form takes new leads again, to any dealer."""
        self.lead_id = None
        self._picker.set_locked(False)
        self.banner.hide()
        self._submit_button.setText(self._submit_text)

    def resend(self, desk: Desk, lead: Lead) -> int:
        """Store the fixed lead in place of the one being fixed and queue it again, to its
        dealer as configured now; its id. Raises StoreError or ValueError (from the store)
        when it could not be, and the form keeps the fix."""
        lead_id = self.lead_id
        if lead_id is None:
            raise RuntimeError("resend() with no fix in progress")
        from leaddesk.app.fix import fix_and_resend

        return fix_and_resend(desk.history, lead_id, lead, desk.resend_url)

    def unsent_changes(self) -> str:
        """What starting a new lead would lose, for the question that asks first."""
        if self.lead_id is not None:
            return f"Your changes to lead {self.lead_id} have not been resent."
        return "The lead in the form has not been submitted."

    def draft_entries(self) -> dict[str, str]:
        """What the draft keeps beside the form's values: the lead being fixed, if any."""
        return {EDITING_KEY: str(self.lead_id)} if self.lead_id is not None else {}

    def restore(self, draft: Mapping[str, str]) -> dict[str, str]:
        """The form's values in a draft as loaded (without EDITING_KEY); a fix that was in
        progress when LeadDesk closed is in progress again, if the draft holds a lead."""
        values = dict(draft)
        editing = values.pop(EDITING_KEY, "")
        # Only a plain number that can be a lead id: not a hand-edited "²", nor one past
        # what SQLite stores.
        if values and editing.isascii() and editing.isdigit() and int(editing) < 2**63:
            self.begin(int(editing))
        return values

    def check_restored(self, desk: Desk, restored: Mapping[str, str]) -> str | None:
        """Once the history is open: a restored fix of a lead that is gone or no longer
        rejected or failed (purged, resent by another LeadDesk) goes on as a new lead, not
        a Submit that can only refuse. A fix that goes on is for the dealer that refused
        the lead, as when it began, with the values it had (`restored`, the draft's); the
        window starts with the dealer chosen last in any window, whose values filled the
        fix's empty fields. What to tell the agent, if anything."""
        if self.lead_id is None:
            return None
        from leaddesk.app.fix import fixable

        lead_id = self.lead_id
        try:
            stored = fixable(desk.history, lead_id)
        except StoreError:
            return None  # Submit says what is wrong with the history
        if stored is not None:
            self._picker.select(stored.destination_name)  # puts in that dealer's values
            self._form.set_values(restored)  # and the fix's own over them, empty ones too
            return None
        self.end()
        return (
            f"Restored the lead you were fixing; lead {lead_id} can no longer be resent, "
            "so Submit sends it as a new lead."
        )
