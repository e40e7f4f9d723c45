"""Notices in one line that never moves the form: refusals arriving while the agent types
leave First name where it was, with focus; F8 opens the list, Delete and Esc work it; F8
then Enter fixes the newest refused lead, and a lead on its way again takes its notice
with it."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
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
    qtbot.waitUntil(lambda: area.notice_list.isVisible() and focused() == "notice_action")
    assert [label.startswith("Lead ") for label in rig.notices()] == [True] * 5
    focus = QApplication.focusWidget()
    assert focus is not None
    press(qtbot, focus, Qt.Key.Key_Delete)
    assert len(rig.notices()) == 4
    assert focused() == "notice_action"  # on to the next notice's offer
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


def newest_offer(rig: Rig) -> str:
    focus = QApplication.focusWidget()
    assert isinstance(focus, QPushButton) and focus.objectName() == "notice_action"
    return focus.text()


def test_f8_then_enter_puts_the_newest_refused_lead_in_the_form_to_fix(
    qtbot: QtBot, bench: Bench
) -> None:
    """Enter on what F8 focuses fixes the lead (it once dismissed the notice unread)."""
    rig = bench.open(faults=Faults(reject_rate=1.0))
    five_refusals_while_typing(qtbot, rig)
    rig.form.inputs["fname"].set_text("")  # the next call not begun after all
    area: NotificationArea = rig.window.notifications
    press(qtbot, rig.form.inputs["fname"].widget, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: area.notice_list.isVisible() and focused() == "notice_action")
    assert newest_offer(rig) == "Edit and resend"
    newest = max(lead.id for lead in rig.store.history())
    focus = QApplication.focusWidget()
    assert focus is not None
    press(qtbot, focus, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not area.notice_list.isVisible())
    assert rig.form.inputs["fname"].text() == "Ed"  # the newest refusal, in the form
    assert rig.last_result() == f"Editing lead {newest}: fix it, then submit to resend it."
    assert len(rig.notices()) == 5  # nothing dismissed unread


def test_a_fixed_lead_resent_and_accepted_takes_its_notice_away(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    five_refusals_while_typing(qtbot, rig)
    rig.form.inputs["fname"].set_text("")
    newest = max(lead.id for lead in rig.store.history())
    assert rig.sandbox is not None
    rig.sandbox.faults = Faults()  # the dealer takes it once fixed
    rig.window.notifications.open_list()
    [edit] = [
        button
        for button in rig.window.notifications.notices()[0].findChildren(QPushButton)
        if button.text() == "Edit and resend"
    ]
    edit.click()
    press(
        qtbot, rig.form.inputs["zip"].widget, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier
    )
    qtbot.waitUntil(lambda: len(rig.accepted) == 1, timeout=15000)
    qtbot.waitUntil(lambda: len(rig.notices()) == 4)
    assert not any(text.startswith(f"Lead {newest} ") for text in rig.notices())


def test_show_in_history_selects_the_lead_with_focus_on_it(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    five_refusals_while_typing(qtbot, rig)
    first = min(lead.id for lead in rig.store.history())
    rig.window.notifications.open_list()
    oldest = rig.window.notifications.notices()[-1]
    [show] = [b for b in oldest.findChildren(QPushButton) if b.text() == "Show in history"]
    show.click()
    history = rig.window.history
    qtbot.waitUntil(lambda: history.selected_ids() == [first])
    qtbot.waitUntil(lambda: QApplication.focusWidget() is history.table)
    assert not rig.window.notifications.notice_list.isVisible()
