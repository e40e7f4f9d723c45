"""The lead form, generated from the Lead model's field metadata.

Fields of the call come first, in the order of a phone conversation; custom fields and
notes sit below, and the destination's values in a collapsed section, prefilled.
Problems are shown next to their field with the model's own message. A field is not
nagged while first typed: its message appears when the agent leaves it, or on submit,
and then follows every keystroke until it is fixed.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from leaddesk.domain.fields import FIELDS, FieldProblem, LeadInvalid, Section, clean_field
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.announce import announce
from leaddesk.gui.collapsible import CollapsibleSection
from leaddesk.gui.field_inputs import FieldInput, accessible_name
from leaddesk.gui.field_message import FieldMessage
from leaddesk.gui.style_property import set_style_property

if TYPE_CHECKING:
    from leaddesk.domain.lead import Lead

ZIP_WAIT_MS = 100  # how often a ZIP typed before the index was ready looks again

# The call fields, two to a row, in the order of the spec's sample call (name, address,
# ZIP, phone, email, home ownership) so that Tab goes from one to the next; what most
# calls leave empty (other phones, Address line 2, ...) comes after. Every CALL field is
# here exactly once, and lead type, a destination's value, sits beside home ownership.
CALL_ROWS: tuple[tuple[str, ...], ...] = (
    ("fname", "lname"),
    ("address1", "zip"),
    ("city", "state"),
    ("phone1", "email"),
    ("lead_home_ownership", "lead_type_id"),
    ("contact_time", "phone2"),
    ("phone3", "phone4"),
    ("address2", "spouse"),
    ("lead_comments",),
)
IN_CALL_ROWS = frozenset(name for row in CALL_ROWS for name in row)
# The rows of the sample call: in sight without scrolling on every screen a floor uses
# (1024x700, 150% scaling); the rows after them may scroll on the smallest.
MAIN_FIELDS = frozenset(name for row in CALL_ROWS[:5] for name in row)
# Filled by the ZIP: Tab steps over them once filled so (they come last in the chain).
ZIP_FILLED = ("city", "state")

# Mnemonic letters (Alt+letter) for the fields an agent jumps to most. F and H belong to
# the File and Help menus, N and S to the New lead and Submit buttons.
MNEMONICS = {
    "fname": "i",
    "lname": "L",
    "phone1": "P",
    "address1": "A",
    "zip": "Z",
    "city": "y",
    "state": "t",
    "email": "E",
    "lead_home_ownership": "w",
    "contact_time": "B",
    "lead_comments": "o",
}


class LeadForm(QWidget):
    edited = Signal()  # any change a person made: drives the autosave
    # A field's message too long for its lines: (field, the whole text), "" once it is not.
    message_cut = Signal(str, str)
    section_opened = Signal(QWidget)  # a folded section the agent opened: to be brought into view

    def __init__(self, zip_directory: ZipDirectory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._zips = zip_directory
        self.inputs: dict[str, FieldInput] = {}
        self._errors: dict[str, FieldMessage] = {}
        self._pieces: list[QWidget] = []  # what reads as one: see pieces()
        self._shown: set[str] = set()  # fields whose message is on screen, updated live
        self._counter: QLabel | None = None
        self._zip_filled = False  # City and State hold what the ZIP put there
        self._zip_waiting = QTimer(self)  # a ZIP typed before the index was ready
        self._zip_waiting.setInterval(ZIP_WAIT_MS)
        self._zip_waiting.timeout.connect(self._fill_from_zip)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self._grid(CALL_ROWS))
        self.extra = CollapsibleSection("More: custom fields and notes", "extra", self)
        layout.addWidget(self.extra)
        self.destination = CollapsibleSection("Destination and lead source", "destination", self)
        layout.addWidget(self.destination)
        self._pieces += [self.extra.toggle, self.destination.toggle]
        layout.addStretch(1)
        self._sections_built = False
        for section in (self.extra, self.destination):
            section.toggled.connect(self._on_section_toggled)
            section.opened.connect(self.section_opened)
        self._set_tab_order()

    def build_sections(self) -> None:
        """The folded sections' inputs, built when first needed (opened, filled, or the
        form put to work) rather than before the window's first frame: half the form's
        inputs are in them, out of sight."""
        if self._sections_built:
            return
        self._sections_built = True
        self.extra.set_content(self._grid(_pairs(Section.EXTRA)))
        self.destination.set_content(self._grid(_pairs(Section.DESTINATION)))
        self._set_tab_order()

    @Slot(str, bool)
    def _on_section_toggled(self, _key: str, expanded: bool) -> None:
        if expanded:
            self.build_sections()

    # --- values ---------------------------------------------------------------------

    def values(self) -> dict[str, str]:
        self.build_sections()
        return {name: field.text() for name, field in self.inputs.items()}

    def set_values(self, values: Mapping[str, str]) -> None:
        if any(name not in self.inputs and value for name, value in values.items()):
            self.build_sections()
        for name, value in values.items():
            if name in self.inputs:
                self.inputs[name].set_text(value)
        self._update_counter()

    def clear_call(self, defaults: Mapping[str, str]) -> None:
        """Empty the form for the next call; destination fields go back to their defaults."""
        self.build_sections()
        for name, field in self.inputs.items():
            field.set_text(defaults.get(name, ""))
        for name in list(self._shown):
            self._show_problem(name, "")
        self._zip_waiting.stop()
        self._set_zip_filled(False)
        self._update_counter()
        self.focus_first()

    def has_call_data(self, defaults: Mapping[str, str]) -> bool:
        """True when the agent typed something that starting over would lose."""
        return any(
            value.strip() and value.strip() != defaults.get(name, "").strip()
            for name, value in self.values().items()
        )

    def focus_first(self) -> None:
        self.inputs["fname"].widget.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- checking ---------------------------------------------------------------------

    def check(self) -> Lead | None:
        """The lead if every field is good; otherwise show every problem and focus the first."""
        from leaddesk.domain.lead import Lead  # loaded after the window is on screen

        try:
            lead = Lead.parse(self.values())
        except LeadInvalid as invalid:
            self.show_problems(invalid.problems)
            return None
        for name in list(self._shown):
            self._show_problem(name, "")
        return lead

    def check_filled(self) -> None:
        """Show the problems of every field that has a value (a restored draft, say)."""
        for name, field in self.inputs.items():
            if field.text().strip():
                self._check_field(name)

    def show_problems(self, problems: Mapping[str, str]) -> None:
        self.build_sections()
        for name in list(self._shown):
            if name not in problems:
                self._show_problem(name, "")
        for name, message in problems.items():
            if name in self.inputs:
                self._show_problem(name, message, say=False)
        for name in problems:
            if name in self.inputs:
                self.reveal(name)  # every problem in sight, not only the first
        first = next((name for name in self.inputs if name in problems), None)
        if first is not None:
            self.inputs[first].widget.setFocus(Qt.FocusReason.OtherFocusReason)
            # Said once, not once a field: the count, and the first (where focus now is).
            count = sum(1 for name in problems if name in self.inputs)
            fields = "1 field needs" if count == 1 else f"{count} fields need"
            announce(self.inputs[first].widget, f"{fields} fixing. {problems[first]}")

    def pieces(self) -> list[QWidget]:
        """What a reader sees as one piece, never to be cut by the edge of the form's view
        (gui/whole_rows.py): each field's label, input and message, and the section
        toggles. Hidden ones (a folded section's) included: the view skips those."""
        return self._pieces

    def problem_text(self, name: str) -> str:
        """The message at a field, whole (even when cut short on screen), or "" when none is."""
        return self._errors[name].whole_text()

    def reveal(self, name: str) -> None:
        """Open the section a field is in, so that focus and messages can be seen."""
        for section in (self.extra, self.destination):
            if section.content is not None and section.content.isAncestorOf(
                self.inputs[name].widget
            ):
                section.set_expanded(True)

    # --- building -------------------------------------------------------------------

    def _grid(self, rows: tuple[tuple[str, ...], ...]) -> QWidget:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(2)
        for column in (1, 3):
            grid.setColumnStretch(column, 1)
        for row_index, names in enumerate(rows):
            wide = len(names) == 1  # a lone field spans both columns
            for slot, name in enumerate(names):
                self._add_field(grid, row_index * 2, slot * 2, name, span=3 if wide else 1)
        return box

    def _add_field(self, grid: QGridLayout, row: int, column: int, name: str, span: int) -> None:
        spec = next(spec for spec in FIELDS if spec.name == name)
        field = FieldInput(spec, self)
        self.inputs[name] = field
        label = QLabel(_label_text(spec.label, spec.required, MNEMONICS.get(name)), self)
        label.setBuddy(field.widget)
        # What a screen reader says for the input's label (on Linux a combo's name is its
        # value, and the label comes from this relation): "State, required", not "State *".
        label.setAccessibleName(accessible_name(spec))
        label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        grid.addWidget(label, row, column)
        grid.addWidget(field.widget, row, column + 1, 1, span)
        error = FieldMessage(self)
        error.setObjectName(f"{name}_error")
        error.cut.connect(lambda whole, name=name: self.message_cut.emit(name, whole))
        self._errors[name] = error
        self._pieces += [label, field.widget, error]
        # Under the label and the input: more room, fewer lines.
        grid.addWidget(error, row + 1, column, 1, span + 1)
        field.edited.connect(self._on_edited)
        field.left.connect(self._on_left)
        if spec.name == "contact_time" and spec.max_length:
            self._counter = QLabel(self)
            self._counter.setObjectName("contact_time_counter")
            self._pieces.append(self._counter)
            self._counter.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(self._counter, row + 1, column + 1, 1, 1, Qt.AlignmentFlag.AlignRight)
            # The message wraps clear of the counter at its right ("50/50" and a gap).
            counter_room = self._counter.fontMetrics().horizontalAdvance("00/00") + 12
            error.setContentsMargins(0, 0, counter_room, 0)
            self._update_counter()

    def _set_tab_order(self) -> None:
        """Tab follows the rows of the call, then each section's toggle and its fields.
        City and State, once the ZIP filled them, come after the call's other fields: the
        sample call needs one Tab between its fields, and they stay reachable."""
        call = [name for row in CALL_ROWS for name in row]
        if self._zip_filled:
            call = [name for name in call if name not in ZIP_FILLED] + list(ZIP_FILLED)
        widgets: list[QWidget] = [self.inputs[name].widget for name in call]
        for section, kind in ((self.extra, Section.EXTRA), (self.destination, Section.DESTINATION)):
            widgets.append(section.toggle)
            widgets += [
                self.inputs[s.name].widget
                for s in FIELDS
                if s.section is kind and s.name in self.inputs and s.name not in IN_CALL_ROWS
            ]
        for first, second in itertools.pairwise(widgets):
            QWidget.setTabOrder(first, second)

    def _set_zip_filled(self, filled: bool) -> None:
        if filled != self._zip_filled:
            self._zip_filled = filled
            self._set_tab_order()

    # --- live checking ----------------------------------------------------------------

    @Slot(str)
    def _on_edited(self, name: str) -> None:
        if name in self._shown:
            self._check_field(name)
        if name == "zip":
            self._fill_from_zip()
        if name == "contact_time":
            self._update_counter()
        self.edited.emit()

    @Slot(str)
    def _on_left(self, name: str) -> None:
        if self.inputs[name].text().strip():
            self._check_field(name)

    def _check_field(self, name: str) -> None:
        try:
            clean_field(name, self.inputs[name].text())
        except FieldProblem as problem:
            self._show_problem(name, str(problem))
        else:
            self._show_problem(name, "")

    def _show_problem(self, name: str, message: str, say: bool = True) -> None:
        """The message at the field, its invalid look and accessible description, said to
        a screen reader when it is new (Qt has no invalid-entry state to set)."""
        said_before = self._errors[name].text()
        self._errors[name].setText(message)
        field = self.inputs[name]
        set_style_property(field.widget, "invalid", bool(message))
        field.widget.setAccessibleDescription(f"Invalid: {message}" if message else field.spec.help)
        if message:
            self._shown.add(name)
            if say and message != said_before:
                announce(field.widget, message)
        else:
            self._shown.discard(name)

    @Slot()
    def _fill_from_zip(self) -> None:
        """A known ZIP fills city and state when the agent has not typed them yet. A ZIP
        typed before the index is ready is looked up again until it is: the index is
        read in the background in the first seconds after start."""
        zip_text = self.inputs["zip"].text()
        if len("".join(ch for ch in zip_text if ch.isdigit())) != 5:
            self._zip_waiting.stop()
            return
        if not self._zips.is_ready():
            self._zip_waiting.start()
            return
        self._zip_waiting.stop()
        place = self._zips.lookup(zip_text)
        if place is None:
            return
        filled = False
        for name, value in (("city", place.city), ("state", place.state)):
            if not self.inputs[name].text().strip():
                self.inputs[name].set_text(value)
                filled = True
                if name in self._shown:
                    self._check_field(name)
        if filled:
            self._set_zip_filled(True)
            self.edited.emit()  # the autosave keeps what the ZIP filled

    def _update_counter(self) -> None:
        if self._counter is None:
            return
        limit = self.inputs["contact_time"].spec.max_length or 0
        used = len(self.inputs["contact_time"].text().strip())
        self._counter.setText(f"{used}/{limit}")
        over = used > limit
        set_style_property(self._counter, "role", "field-error" if over else "counter")


def _pairs(section: Section) -> tuple[tuple[str, ...], ...]:
    names = [
        spec.name for spec in FIELDS if spec.section is section and spec.name not in IN_CALL_ROWS
    ]
    return tuple(tuple(names[i : i + 2]) for i in range(0, len(names), 2))


def _label_text(label: str, required: bool, mnemonic: str | None) -> str:
    text = label.replace("&", "&&")
    if mnemonic and mnemonic in text:
        index = text.index(mnemonic)
        text = text[:index] + "&" + text[index:]
    return text + (" *" if required else "")


assert sorted(n for row in CALL_ROWS for n in row) == sorted(
    [spec.name for spec in FIELDS if spec.section is Section.CALL] + ["lead_type_id"]
), "CALL_ROWS must hold every call field, and lead type, exactly once"
