"""What a screen reader gets, read through Qt's accessibility interface (what AT-SPI and
UIA are served from): names, roles, the required and invalid states as Qt 6.11 can carry
them (it has no state for either: the name says "required", the description "Invalid:"),
and the announcements of a field's problem and of a submit's result."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleInterface
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.domain.fields import FIELDS, REQUIRED_FIELDS, FieldSpec, clean_field
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.announce import announcer
from leaddesk.gui.field_inputs import accessible_name
from leaddesk.gui.lead_form import LeadForm
from leaddesk.sandbox import Faults
from tests.support.gui_helpers import (
    GOOD_CALL,
    Bench,
    Rig,
    fresh_form,
    leave,
    press,
    type_call,
    type_into,
)

Text = QAccessible.Text


def reader(widget: QWidget) -> QAccessibleInterface:
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid(), widget.objectName()
    return interface


@pytest.fixture
def form(qtbot: QtBot, zips: ZipDirectory) -> LeadForm:
    return fresh_form(qtbot, zips)


def label_of(interface: QAccessibleInterface) -> str:
    """The name of the label a screen reader reads for this input (its Label relation)."""
    labels = interface.relations(QAccessible.RelationFlag.Label)
    assert len(labels) == 1
    return labels[0][0].text(Text.Name)


@pytest.mark.parametrize("spec", FIELDS, ids=[spec.name for spec in FIELDS])
def test_a_required_field_says_so_and_only_a_required_one(form: LeadForm, spec: FieldSpec) -> None:
    expected = f"{spec.label}, required" if spec.required else spec.label
    widget = form.inputs[spec.name].widget
    interface = reader(widget)
    assert label_of(interface) == expected  # what Orca reads before the input
    if not isinstance(widget, QComboBox):  # a combo's name is its value on Linux (below)
        assert interface.text(Text.Name) == expected


@pytest.mark.parametrize("field", ["lead_home_ownership", "lead_type_id", "state"])
def test_every_combo_is_labelled_by_its_label_and_speaks_words(
    qtbot: QtBot, form: LeadForm, field: str
) -> None:
    box = form.inputs[field].widget
    assert isinstance(box, QComboBox)
    interface = reader(box)
    assert interface.role() == QAccessible.Role.ComboBox
    spec = next(spec for spec in FIELDS if spec.name == field)
    assert box.accessibleName() == accessible_name(spec)  # Windows and macOS read this
    assert label_of(interface) == accessible_name(spec)  # Linux reads the label relation
    spoken = interface.text(Text.Value)
    assert spoken == "" or any(ch.isalpha() for ch in spoken), f"{field} reads {spoken!r}"
    assert "—" not in spoken


def test_a_fields_problem_marks_it_invalid_and_is_announced(qtbot: QtBot, form: LeadForm) -> None:
    phone = form.inputs["phone1"].widget
    type_into(qtbot, form, "phone1", "801312")
    try:
        clean_field("phone1", "801312")
    except ValueError as problem:
        message = str(problem)
    with qtbot.waitSignal(announcer().said, timeout=2000) as said:
        leave(qtbot, form, "phone1")
    assert said.args == [message]
    assert reader(phone).text(Text.Description) == f"Invalid: {message}"
    # Typing on does not say it again at every keystroke; the fix clears it.
    with qtbot.assertNotEmitted(announcer().said):
        type_into(qtbot, form, "phone1", "7")
    type_into(qtbot, form, "phone1", "735")
    assert not reader(phone).text(Text.Description).startswith("Invalid")
    assert reader(phone).text(Text.Description) == form.inputs["phone1"].spec.help


def test_a_check_on_submit_says_its_problems_once(qtbot: QtBot, form: LeadForm) -> None:
    heard: list[str] = []
    announcer().said.connect(heard.append)
    try:
        assert form.check() is None  # an empty form: every required field
    finally:
        announcer().said.disconnect(heard.append)
    assert heard == [f"{len(REQUIRED_FIELDS)} fields need fixing. First name is required."]
    assert reader(form.inputs["fname"].widget).text(Text.Description).startswith("Invalid: ")


def test_a_message_appearing_does_not_move_the_field_being_typed(
    qtbot: QtBot, form: LeadForm
) -> None:
    form.resize(900, 700)
    type_into(qtbot, form, "phone1", "801312")
    email = form.inputs["email"].widget
    before = email.geometry()
    leave(qtbot, form, "phone1")  # on into Email; Phone 1's message appears
    assert form.problem_text("phone1")
    qtbot.keyClicks(email, "joe@example")  # type: ignore[no-untyped-call]
    leave(qtbot, form, "email")  # on into Home ownership
    ownership = form.inputs["lead_home_ownership"].widget
    assert email.geometry() == before
    assert form.problem_text("email")
    message = form.findChild(QWidget, "email_error")
    assert message is not None and message.isVisible()
    assert message.height() >= message.heightForWidth(message.width()), "shown whole"
    assert ownership.hasFocus()


def submit_and_hear(qtbot: QtBot, rig: Rig, until: str) -> list[str]:
    """Type the good call, submit it with Ctrl+Enter, and return what the screen reader
    was told, once it has been told something with `until` in it."""
    heard: list[str] = []
    announcer().said.connect(heard.append)
    try:
        type_call(qtbot, rig.form, GOOD_CALL)
        press(
            qtbot,
            rig.form.inputs["zip"].widget,
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier,
        )
        qtbot.waitUntil(lambda: any(until in words for words in heard), timeout=10000)
    finally:
        announcer().said.disconnect(heard.append)
    return heard


def test_a_submits_result_is_announced_queued_then_accepted(qtbot: QtBot, bench: Bench) -> None:
    heard = submit_and_hear(qtbot, bench.open(), "accepted")
    assert any("queued" in words for words in heard)


def test_a_refusal_is_announced(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    submit_and_hear(qtbot, rig, "rejected")
    line = rig.window.notifications.line
    assert reader(line).text(Text.Name) == "1 notice, press F8 to read them"


def test_the_history_search_box_has_a_name(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    search = rig.window.findChild(QLineEdit, "history_search")
    assert search is not None
    interface = reader(search)
    assert interface.role() == QAccessible.Role.EditableText
    assert interface.text(Text.Name) == "Search the history"
