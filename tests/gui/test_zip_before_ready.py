"""A ZIP typed at any moment after the window shows fills City and State: on a first
start the ZIP index is still being built when the agent types, and is applied once ready."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.lead_form import LeadForm
from tests.support.gui_helpers import activate, focused, press, type_into


def test_zip_typed_before_the_index_is_ready_fills_city_and_state(
    qtbot: QtBot, tmp_path: Path
) -> None:
    zips = ZipDirectory(tmp_path / "cold-cache")  # a first start: no index on disk yet
    form = LeadForm(zips)
    form.build_sections()
    qtbot.addWidget(form)
    activate(qtbot, form)
    zips.warm_up_in_background()  # as the app does once the window is on screen
    type_into(qtbot, form, "address1", "1234 Any St")
    press(qtbot, form.inputs["address1"].widget, Qt.Key.Key_Tab)
    type_into(qtbot, form, "zip", "84111")
    assert not zips.is_ready(), "the index was ready before the ZIP: nothing tested"
    assert form.inputs["city"].text() == ""
    qtbot.waitUntil(lambda: form.inputs["city"].text() == "Salt Lake City", timeout=120_000)
    assert form.values()["state"] == "UT"
    assert focused() == "zip", "filling City and State leaves the agent where they type"
    press(qtbot, form.inputs["zip"].widget, Qt.Key.Key_Tab)
    assert focused() == "phone1", "Tab steps over the City and State the ZIP filled"


def test_city_and_state_the_zip_filled_come_last_in_the_tab_chain(
    qtbot: QtBot, zips: ZipDirectory
) -> None:
    form = LeadForm(zips)
    form.build_sections()
    qtbot.addWidget(form)
    activate(qtbot, form)
    type_into(qtbot, form, "zip", "83660")
    form.inputs["address2"].widget.setFocus(Qt.FocusReason.MouseFocusReason)
    press(qtbot, form.inputs["address2"].widget, Qt.Key.Key_Tab)
    assert focused() == "spouse"
    press(qtbot, form.inputs["spouse"].widget, Qt.Key.Key_Tab)
    assert focused() == "lead_comments"
    press(qtbot, form.inputs["lead_comments"].widget, Qt.Key.Key_Tab)
    assert focused() == "city", "still reachable by Tab, after the call's other fields"
    press(qtbot, form.inputs["city"].widget, Qt.Key.Key_Tab)
    assert focused() == "state"


def test_a_zip_without_city_and_state_filled_tabs_into_city(
    qtbot: QtBot, zips: ZipDirectory
) -> None:
    form = LeadForm(zips)
    qtbot.addWidget(form)
    activate(qtbot, form)
    type_into(qtbot, form, "zip", "00000")  # no such ZIP: City and State to be typed
    press(qtbot, form.inputs["zip"].widget, Qt.Key.Key_Tab)
    assert focused() == "city"


def test_lead_type_sits_beside_home_ownership_preset_from_the_destination(
    qtbot: QtBot, zips: ZipDirectory
) -> None:
    form = LeadForm(zips)
    qtbot.addWidget(form)
    activate(qtbot, form)
    form.clear_call({"lead_type_id": "2", "source_id": "SRC1"})  # the destination's values
    ownership = form.inputs["lead_home_ownership"].widget
    lead_type = form.inputs["lead_type_id"].widget
    assert lead_type.isVisible() and not form.destination.is_expanded()
    assert lead_type.y() == ownership.y() and lead_type.x() > ownership.x()
    assert form.values()["lead_type_id"] == "2"
    assert lead_type.accessibleName() == "Lead type"
