"""The keyboard across the whole window: the history's keys (Ctrl+R, Ctrl+E) from any
field, saying why when they can do nothing, and a Tab walk that visits every control
once, the history table included (no trap), and comes back to First name."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.domain.states import State
from leaddesk.gui.window_menus import NOTHING_SELECTED
from leaddesk.sandbox import Faults
from tests.support.gui_helpers import (
    GOOD_CALL,
    Bench,
    Rig,
    activate,
    click,
    press,
    type_call,
    wait_for_state,
)

CTRL = Qt.KeyboardModifier.ControlModifier


def rejected_lead(qtbot: QtBot, rig: Rig) -> int:
    type_call(qtbot, rig.form, GOOD_CALL)
    button = rig.window.findChild(QPushButton, "submit")
    assert isinstance(button, QPushButton)
    click(qtbot, button)
    (lead,) = rig.store.history()
    wait_for_state(qtbot, rig.store, lead.id, State.REJECTED)
    return lead.id


def test_history_keys_with_nothing_selected_say_why_in_the_status_line(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    fname = rig.form.inputs["fname"].widget
    fname.setFocus()
    press(qtbot, fname, Qt.Key.Key_R, CTRL)
    assert rig.last_result() == NOTHING_SELECTED
    rig.window.show_result("")
    press(qtbot, fname, Qt.Key.Key_E, CTRL)
    assert rig.last_result() == NOTHING_SELECTED


def test_edit_and_resend_and_resend_work_from_the_form(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    lead_id = rejected_lead(qtbot, rig)
    assert rig.window.history.select_lead(lead_id)
    qtbot.waitUntil(rig.window.history.resend_action.isEnabled)
    activate(qtbot, rig.window)
    fname = rig.form.inputs["fname"].widget
    fname.setFocus()
    assert rig.form.values()["lname"] == ""

    press(qtbot, fname, Qt.Key.Key_E, CTRL)
    assert rig.form.values()["lname"] == GOOD_CALL["lname"], "the lead is in the form to fix"

    assert rig.sandbox is not None
    posts = rig.sandbox.posts
    press(qtbot, fname, Qt.Key.Key_R, CTRL)
    qtbot.waitUntil(lambda: rig.sandbox is not None and rig.sandbox.posts > posts)


def test_ctrl_r_on_an_accepted_lead_says_why_not(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    type_call(qtbot, rig.form, GOOD_CALL)
    button = rig.window.findChild(QPushButton, "submit")
    assert isinstance(button, QPushButton)
    click(qtbot, button)
    (lead,) = rig.store.history()
    wait_for_state(qtbot, rig.store, lead.id, State.ACCEPTED)
    assert rig.window.history.select_lead(lead.id)
    fname = rig.form.inputs["fname"].widget
    fname.setFocus()
    press(qtbot, fname, Qt.Key.Key_R, CTRL)
    assert "None of the selected leads needs resending" in rig.last_result()
    press(qtbot, fname, Qt.Key.Key_E, CTRL)
    assert "Only a rejected or failed lead" in rig.last_result()


def tab_stops(window: QWidget) -> set[QWidget]:
    """Every control Tab should reach: shown, enabled, taking focus from Tab."""
    return {
        widget
        for widget in window.findChildren(QWidget)
        if widget.isVisible()
        and widget.isEnabled()
        and widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus
        and widget.focusProxy() is None
    }


def test_a_tab_walk_visits_every_control_once_and_comes_back_to_first_name(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    lead_id = rejected_lead(qtbot, rig)
    assert rig.window.history.select_lead(lead_id)  # the table has rows: no trap either
    activate(qtbot, rig.window)
    fname = rig.form.inputs["fname"].widget
    fname.setFocus()
    visited: list[QWidget] = []
    for _ in range(200):
        current = QApplication.focusWidget()
        assert current is not None
        press(qtbot, current, Qt.Key.Key_Tab)
        now = QApplication.focusWidget()
        assert now is not None
        if now is fname:
            break
        assert now not in visited, f"Tab came to {now.objectName() or now} twice"
        visited.append(now)
    else:
        raise AssertionError("Tab never came back to First name")
    assert rig.window.history.table in visited, "Tab never reached the history table"
    missed = tab_stops(rig.window) - {fname, *visited}
    assert not missed, [widget.objectName() or repr(widget) for widget in missed]

    # Shift+Tab goes back the same way, out of the table too.
    table = rig.window.history.table
    table.setFocus()
    press(qtbot, table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is not table
