"""Notices in one line that never moves the form: refusals arriving while the agent types
leave First name where it was, with focus; F8 opens the list, Delete and Esc work it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from leaddesk.gui.notifications import NotificationArea
from leaddesk.sandbox import Faults
from tests.support.gui_helpers import Bench, Rig, focused, press, type_call, type_text

CALLS = [
    {"fname": name, "lname": "Refused", "phone1": f"80131277{index:02d}", "zip": "83660"}
    for index, name in enumerate(["Ann", "Bob", "Cy", "Di", "Ed"], start=10)
]


def first_name_place(rig: Rig) -> tuple[QPoint, int, int]:
    widget = rig.form.inputs["fname"].widget
    return widget.mapTo(rig.window, QPoint(0, 0)), widget.width(), widget.height()


def five_refusals_while_typing(qtbot: QtBot, rig: Rig) -> None:
    for call in CALLS:
        type_call(qtbot, rig.form, call)
        press(
            qtbot,
            rig.form.inputs["zip"].widget,
            Qt.Key.Key_Return,
            Qt.KeyboardModifier.ControlModifier,
        )
        qtbot.waitUntil(lambda: focused() == "fname" and not rig.form.inputs["fname"].text())
    type_text(qtbot, rig.form.inputs["fname"].widget, "Jo")  # the next call, being typed
    qtbot.waitUntil(lambda: len(rig.notices()) == 5, timeout=15000)


def test_five_refusals_leave_first_name_in_place_and_focused(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    rig.window.resize(1024, 700)
    qtbot.waitUntil(lambda: focused() == "fname")
    QApplication.processEvents()  # the layout of the new size (the history now a panel)
    before = first_name_place(rig)
    five_refusals_while_typing(qtbot, rig)
    type_text(qtbot, rig.form.inputs["fname"].widget, "e")
    QApplication.processEvents()
    assert first_name_place(rig) == before
    assert focused() == "fname"
    assert rig.form.inputs["fname"].text() == "Joe"
    line = rig.window.notifications.line
    assert line.isVisible() and line.full_text().startswith("⚠ 5 notices · F8 · Lead ")
    assert line.height() == rig.window.notifications.height()


def test_f8_opens_the_list_delete_dismisses_esc_returns_to_the_form(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    five_refusals_while_typing(qtbot, rig)
    area: NotificationArea = rig.window.notifications
    press(qtbot, rig.form.inputs["fname"].widget, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: area.notice_list.isVisible() and focused() == "dismiss")
    assert [label.startswith("Lead ") for label in rig.notices()] == [True] * 5
    focus = QApplication.focusWidget()
    assert focus is not None
    press(qtbot, focus, Qt.Key.Key_Delete)
    assert len(rig.notices()) == 4
    assert focused() == "dismiss"  # on to the next notice
    focus = QApplication.focusWidget()
    assert focus is not None
    press(qtbot, focus, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not area.notice_list.isVisible())
    qtbot.waitUntil(lambda: focused() == "fname")
    assert rig.form.inputs["fname"].text() == "Jo", "Esc in the list is not the window's New lead"


def test_shift_f8_dismisses_every_notice_from_the_form(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    five_refusals_while_typing(qtbot, rig)
    fname = rig.form.inputs["fname"].widget
    assert isinstance(fname, QLineEdit)
    press(qtbot, fname, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert rig.notices() == []
    assert not rig.window.notifications.isVisible()
    assert focused() == "fname"
