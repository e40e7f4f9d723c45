"""The lead form on its own: every input, typing into every validator, ZIP fill, Tab order."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.domain.fields import (
    FIELD_NAMES,
    FIELDS,
    FieldProblem,
    FieldSpec,
    Section,
    clean_field,
)
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.lead_form import IN_CALL_ROWS, MNEMONICS, LeadForm
from tests.support.gui_helpers import (
    click,
    focused,
    fresh_form,
    leave,
    press,
    type_into,
    visible_error,
)

# The spec's sample call in its order (name, address, ZIP, phone, email, ownership), then
# what most calls leave empty; lead type beside home ownership.
CALL_TAB_ORDER = [
    "fname",
    "lname",
    "address1",
    "zip",
    "city",
    "state",
    "phone1",
    "email",
    "lead_home_ownership",
    "lead_type_id",
    "contact_time",
    "phone2",
    "phone3",
    "phone4",
    "address2",
    "spouse",
    "lead_comments",
]


@pytest.fixture
def form(qtbot: QtBot, zips: ZipDirectory) -> LeadForm:
    return fresh_form(qtbot, zips)


def model_message(name: str, value: str) -> str:
    """The Lead model's own message for this value of this field."""
    with pytest.raises(FieldProblem) as problem:
        clean_field(name, value)
    return str(problem.value)


def combo(form: LeadForm, name: str) -> QComboBox:
    widget = form.findChild(QComboBox, name)
    assert isinstance(widget, QComboBox), f"{name} is not a combo box"
    return widget


def line(form: LeadForm, name: str) -> QLineEdit:
    widget = form.findChild(QLineEdit, name)
    assert isinstance(widget, QLineEdit), f"{name} is not a line edit"
    return widget


def items(box: QComboBox) -> list[tuple[str, str]]:
    return [(box.itemText(i), str(box.itemData(i) or "")) for i in range(box.count())]


# --- every input --------------------------------------------------------------------------


def test_there_is_one_input_per_field_named_after_it(form: LeadForm) -> None:
    assert list(form.inputs) != []
    assert sorted(form.inputs) == sorted(FIELD_NAMES)
    for spec in FIELDS:
        found = form.findChild(QWidget, spec.name)
        assert found is form.inputs[spec.name].widget, f"objectName of {spec.name}"


def test_the_folded_sections_are_built_when_first_needed(qtbot: QtBot, zips: ZipDirectory) -> None:
    """Before the window's first frame only the call's inputs exist; opening a section, a
    value for one of its fields, or reading the form's values builds the rest."""
    call_only = sorted(IN_CALL_ROWS)
    builds: list[Callable[[LeadForm], object]] = [
        lambda form: form.extra.set_expanded(True),
        lambda form: form.set_values({"lead_custom1": "x"}),
        lambda form: form.values(),
    ]
    for build in builds:
        form = LeadForm(zips)
        qtbot.addWidget(form)
        assert sorted(form.inputs) == call_only
        assert form.findChild(QWidget, "source_id") is None
        form.set_values({"fname": "Ann", "lead_custom2": ""})  # blank: nothing to build for
        assert sorted(form.inputs) == call_only
        build(form)
        assert sorted(form.inputs) == sorted(FIELD_NAMES)
        assert form.findChild(QWidget, "source_id") is form.inputs["source_id"].widget
        assert form.values()["fname"] == "Ann"
    form.extra.set_expanded(True)
    # Tab goes on from the section's toggle into its fields, as before.
    assert form.extra.toggle.nextInFocusChain() is form.inputs["lead_company_unique_id"].widget


@pytest.mark.parametrize("spec", FIELDS, ids=[spec.name for spec in FIELDS])
def test_every_input_has_an_accessible_name_and_a_tooltip(form: LeadForm, spec: FieldSpec) -> None:
    widget = form.findChild(QWidget, spec.name)
    assert isinstance(widget, QWidget)
    required = ", required" if spec.required else ""
    assert widget.accessibleName() == spec.label + required
    assert widget.toolTip() == spec.help != ""


def test_every_input_has_a_label_whose_buddy_it_is(form: LeadForm) -> None:
    buddies = {
        label.buddy(): label.text()
        for label in form.findChildren(QLabel)
        if label.buddy() is not None
    }
    for spec in FIELDS:
        text = buddies.get(form.inputs[spec.name].widget)
        assert text is not None, f"no label has {spec.name} as its buddy"
        assert text.replace("&", "").removesuffix(" *") == spec.label
        assert text.endswith(" *") == spec.required, f"required mark on {spec.name}"


def test_labels_carry_alt_mnemonics_and_no_two_share_a_letter(form: LeadForm) -> None:
    keys: dict[str, str] = {}
    for label in form.findChildren(QLabel):
        buddy = label.buddy()
        if buddy is None:
            continue
        mnemonic = QKeySequence.mnemonic(label.text()).toString()
        if buddy.objectName() in MNEMONICS:
            assert mnemonic, f"no Alt mnemonic on the label of {buddy.objectName()}"
        if mnemonic:
            assert mnemonic not in keys, f"{mnemonic} on {keys.get(mnemonic)} and {buddy}"
            keys[mnemonic] = buddy.objectName()
    assert {"fname", "lname", "phone1", "zip", "email"} <= set(keys.values())


# --- dropdowns --------------------------------------------------------------------------


def test_home_ownership_offers_blank_own_rent_lease_other(form: LeadForm) -> None:
    box = combo(form, "lead_home_ownership")
    assert not box.isEditable()
    shown = items(box)
    assert shown[0] == ("Not set", "")  # words: a screen reader says a combo's text
    assert shown[1:] == [("Own", "own"), ("Rent", "rent"), ("Lease", "lease"), ("Other", "other")]
    assert form.values()["lead_home_ownership"] == ""


@pytest.mark.parametrize(
    ("typed", "shown", "value"),
    [
        ("Own", "Own", "own"),
        ("R", "Rent", "rent"),
        ("Le", "Lease", "lease"),
        ("Ot", "Other", "other"),
    ],
)
def test_home_ownership_chosen_from_the_keyboard_sends_the_spec_value(
    qtbot: QtBot, form: LeadForm, typed: str, shown: str, value: str
) -> None:
    type_into(qtbot, form, "lead_home_ownership", typed)
    assert combo(form, "lead_home_ownership").currentText() == shown
    assert form.values()["lead_home_ownership"] == value
    assert clean_field("lead_home_ownership", form.values()["lead_home_ownership"]) == value


@pytest.mark.parametrize(
    ("typed", "shown", "value"), [("D", "Default", ""), ("P", "Pending", "2"), ("Q", "Queue", "3")]
)
def test_lead_type_offers_default_pending_queue_with_the_spec_values(
    qtbot: QtBot, form: LeadForm, typed: str, shown: str, value: str
) -> None:
    box = combo(form, "lead_type_id")
    assert items(box) == [("Default", ""), ("Pending", "2"), ("Queue", "3")]
    assert box.isVisible(), "beside home ownership, not in the folded destination section"
    box.setCurrentIndex(2 if value != "3" else 0)  # start elsewhere so the choice is a change
    type_into(qtbot, form, "lead_type_id", typed)
    assert box.currentText() == shown
    assert form.values()["lead_type_id"] == value


# --- state ----------------------------------------------------------------------------------


def test_state_is_an_editable_combo_listing_names_with_codes(form: LeadForm) -> None:
    box = combo(form, "state")
    assert box.isEditable()
    texts = [text for text, _ in items(box)]
    assert "Idaho (ID)" in texts and "Utah (UT)" in texts
    assert box.completer() is not None


@pytest.mark.parametrize("typed", ["id", "ID", "Idaho", "idaho"])
def test_state_typed_as_code_or_name_is_sent_as_the_code(
    qtbot: QtBot, form: LeadForm, typed: str
) -> None:
    type_into(qtbot, form, "state", typed)
    assert combo(form, "state").currentText() == typed
    assert clean_field("state", form.values()["state"]) == "ID"


def test_state_item_picked_from_the_completion_is_sent_as_the_code(
    qtbot: QtBot, form: LeadForm
) -> None:
    type_into(qtbot, form, "state", "Idah")
    popup = QApplication.activePopupWidget()
    assert popup is not None, "typing a state offers completions"
    press(qtbot, popup, Qt.Key.Key_Down)
    press(qtbot, popup, Qt.Key.Key_Return)
    assert combo(form, "state").currentText() == "Idaho (ID)"
    assert form.values()["state"] == "ID"


def test_bad_state_is_shown_at_the_field_on_leaving_it(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "state", "Zz")
    assert visible_error(form, "state") == ""  # not while first typing
    leave(qtbot, form, "state")
    assert focused() == "phone1"
    # Every QLineEdit field shows its message when left; the state combo does not.
    assert visible_error(form, "state") == model_message("state", "Zz")


# --- phones -----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["phone1", "phone2", "phone3", "phone4"])
def test_phones_are_formatted_as_typed(qtbot: QtBot, form: LeadForm, name: str) -> None:
    type_into(qtbot, form, name, "8013127735")
    assert line(form, name).text() == "(801) 312-7735"
    assert visible_error(form, name) == ""
    assert clean_field(name, form.values()[name]) == "8013127735"


def test_bad_phone_message_waits_until_the_field_is_left(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "phone1", "801312")
    assert visible_error(form, "phone1") == ""  # never nagged while first typing
    leave(qtbot, form, "phone1")
    assert focused() == "email"
    expected = model_message("phone1", "801312")
    assert expected.startswith("Phone 1 must be")
    assert visible_error(form, "phone1") == expected
    assert line(form, "phone1").property("invalid") is True


def test_fixing_a_bad_phone_clears_its_message_as_typed(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "phone1", "801312")
    leave(qtbot, form, "phone1")
    assert visible_error(form, "phone1") != ""
    type_into(qtbot, form, "phone1", "773")
    assert visible_error(form, "phone1") == model_message("phone1", "801312773")  # still short
    type_into(qtbot, form, "phone1", "5")
    assert focused() == "phone1"  # cleared live, before leaving the field
    assert visible_error(form, "phone1") == ""
    assert line(form, "phone1").text() == "(801) 312-7735"
    assert line(form, "phone1").property("invalid") is False


# --- ZIP, city and state ------------------------------------------------------------------


def test_typed_zip_fills_empty_city_and_state(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "zip", "8366")
    assert line(form, "city").text() == ""  # looked up only once five digits are typed
    type_into(qtbot, form, "zip", "0")
    assert line(form, "city").text() == "Parma"
    assert combo(form, "state").currentText() == "ID"
    assert form.values()["state"] == "ID"


def test_typed_zip_does_not_overwrite_a_typed_city(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "city", "Nampa")
    type_into(qtbot, form, "zip", "83660")
    assert line(form, "city").text() == "Nampa"
    assert combo(form, "state").currentText() == "ID"  # the empty one is still filled


def test_typed_zip_does_not_overwrite_a_typed_state(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "state", "UT")
    type_into(qtbot, form, "zip", "83660")
    assert combo(form, "state").currentText() == "UT"
    assert line(form, "city").text() == "Parma"


def test_unknown_zip_fills_nothing(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "zip", "00000")
    assert line(form, "city").text() == ""
    assert combo(form, "state").currentText() == ""


def test_bad_zip_is_shown_on_leaving(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "zip", "8366")
    assert visible_error(form, "zip") == ""
    leave(qtbot, form, "zip")
    assert visible_error(form, "zip") == model_message("zip", "8366")
    type_into(qtbot, form, "zip", "0")
    assert visible_error(form, "zip") == ""


# --- other validated inputs ------------------------------------------------------------------


def counter(form: LeadForm) -> str:
    label = form.findChild(QLabel, "contact_time_counter")
    assert isinstance(label, QLabel)
    assert label.isVisibleTo(form)
    return label.text()


def test_contact_time_counts_characters_as_typed(qtbot: QtBot, form: LeadForm) -> None:
    assert counter(form) == "0/50"
    type_into(qtbot, form, "contact_time", "Noon")
    assert counter(form) == "4/50"
    type_into(qtbot, form, "contact_time", " or after 5pm")
    assert counter(form) == "17/50"


def test_contact_time_stops_at_fifty_characters(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "contact_time", "x" * 60)
    assert line(form, "contact_time").text() == "x" * 50
    assert counter(form) == "50/50"
    assert visible_error(form, "contact_time") == ""


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("27.50", "27.50"), ("abc", ""), ("12a3", "123"), ("$1,234.5", "$1,234.5"), ("9.999", "9.99")],
)
def test_price_accepts_money_and_refuses_letters(
    qtbot: QtBot, form: LeadForm, typed: str, shown: str
) -> None:
    click(qtbot, form.destination.toggle)
    type_into(qtbot, form, "lead_purchase_price", typed)
    assert line(form, "lead_purchase_price").text() == shown


def test_bad_email_message_on_leaving_and_cleared_as_fixed(qtbot: QtBot, form: LeadForm) -> None:
    type_into(qtbot, form, "email", "ann@")
    assert visible_error(form, "email") == ""
    leave(qtbot, form, "email")
    expected = model_message("email", "ann@")
    assert expected.startswith("Email needs a domain after the @")
    assert visible_error(form, "email") == expected
    type_into(qtbot, form, "email", "example.com")
    assert visible_error(form, "email") == ""


def test_leaving_an_empty_required_field_does_not_nag(qtbot: QtBot, form: LeadForm) -> None:
    assert focused() == "fname"
    leave(qtbot, form, "fname")
    assert focused() == "lname"
    assert visible_error(form, "fname") == ""


# --- keyboard -------------------------------------------------------------------------------


def tab_through(qtbot: QtBot, count: int) -> list[str]:
    seen = []
    for _ in range(count):
        widget = QApplication.focusWidget()
        assert widget is not None
        press(qtbot, widget, Qt.Key.Key_Tab)
        seen.append(focused())
    return seen


def test_tab_follows_the_layout_of_the_call(qtbot: QtBot, form: LeadForm) -> None:
    form.focus_first()
    assert focused() == "fname"
    expected = [*CALL_TAB_ORDER[1:], "extra_toggle", "destination_toggle"]
    assert tab_through(qtbot, len(expected)) == expected


def test_tab_enters_an_opened_section(qtbot: QtBot, form: LeadForm) -> None:
    click(qtbot, form.extra.toggle)
    form.inputs["lead_comments"].widget.setFocus(Qt.FocusReason.MouseFocusReason)
    extra = [spec.name for spec in FIELDS if spec.section is Section.EXTRA]
    expected = ["extra_toggle", *extra, "destination_toggle"]
    assert tab_through(qtbot, len(expected)) == expected


def test_check_of_an_empty_form_shows_every_required_message(qtbot: QtBot, form: LeadForm) -> None:
    form.inputs["spouse"].widget.setFocus(Qt.FocusReason.MouseFocusReason)
    assert form.check() is None
    for name in ("fname", "lname", "city", "state", "phone1"):
        assert visible_error(form, name) == model_message(name, "")
    assert focused() == "fname"


def test_check_opens_every_closed_section_that_holds_a_problem(
    qtbot: QtBot, form: LeadForm
) -> None:
    type_into(qtbot, form, "fname", "Ann")
    assert form.check() is None  # lname, city, state, phone1 and source_id are missing
    assert focused() == "lname"
    # source_id's message is counted ("Fix 5 problems") but hidden in its closed section
    assert form.problem_text("source_id") == model_message("source_id", "")
    assert form.destination.is_expanded(), "a counted problem is hidden in a closed section"
    assert visible_error(form, "source_id") == model_message("source_id", "")
