"""Which dealer the form's lead goes to: the destinations the picker offers (the one
chosen last time first, as window.ini remembers it), and a choice's values put in the
form's lead source fields, while the call typed so far stays."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QLabel

    from leaddesk.app.desk import Desk
    from leaddesk.config.settings import Destination
    from leaddesk.gui.destination_picker import DestinationPicker
    from leaddesk.gui.lead_form import LeadForm
    from leaddesk.gui.window_state import WindowState


class DestinationChoice:
    """One window's choice of destination, from attach on. `no_destination` is the
    window's warning, shown while the chosen destination has no URL."""

    def __init__(
        self,
        desk: Desk,
        picker: DestinationPicker,
        form: LeadForm,
        no_destination: QLabel,
        window_state: WindowState,
    ) -> None:
        self._desk = desk
        self._picker = picker
        self._form = form
        self._no_destination = no_destination
        self._window_state = window_state
        no_destination.setVisible(not desk.destination.url)
        # Emitted on the GUI thread only (the agent's pick), so a plain method will do.
        picker.chosen.connect(self.choose)

    def offer(self) -> None:
        """The settings' destinations in the picker (again, after the settings change)."""
        remembered = self._window_state.remembered_destination()
        self._picker.set_destinations(*self._desk.offered(remembered))

    def choose(self, destination: Destination) -> None:
        """Another dealer: its values replace the lead source fields; the call stays."""
        from leaddesk.config.settings import DESTINATION_FIELDS

        desk = self._desk
        desk.destination = destination
        defaults = desk.lead_defaults()
        # The destination's fields and the rep (the agent's name) are the lead's source.
        source_fields = (*DESTINATION_FIELDS, "lead_callcenter_rep")
        self._form.set_values({name: defaults.get(name, "") for name in source_fields})
        self._no_destination.setVisible(not destination.url)
        if destination in desk.settings.offered():
            self._window_state.remember_destination(destination.name)
