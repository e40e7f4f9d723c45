"""The history's lead menu opens where the agent is looking: at the pointer for a right
click, on the row clicked; under the current row for the Menu key, which selects that row
when nothing is selected, so that its actions can be chosen."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QItemSelectionModel, QPoint, QRect, Qt, QTimer
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from leaddesk.domain.states import State
from leaddesk.gui.history.pane import HistoryPane
from tests.support.gui_helpers import Bench
from tests.support.history_pane_rig import pane_of, stored_before_opening


def opened_menu(qtbot: QtBot, request: Callable[[], None]) -> tuple[QRect, dict[str, bool]]:
    """Where the menu `request` opens is on screen, and its actions (enabled or not)."""
    seen: list[tuple[QRect, dict[str, bool]]] = []

    def read_menu() -> None:
        popup = QApplication.activePopupWidget()
        if not isinstance(popup, QMenu):
            QTimer.singleShot(10, read_menu)
            return
        actions = {action.objectName(): action.isEnabled() for action in popup.actions()}
        seen.append((popup.geometry(), actions))
        popup.close()

    QTimer.singleShot(0, read_menu)
    request()
    qtbot.waitUntil(lambda: bool(seen))
    return seen[0]


def current_without_selection(pane: HistoryPane, row: int) -> QRect:
    """The row current (as the keyboard leaves it), nothing selected; its first cell's
    rectangle on screen."""
    table = pane.table
    index = table.model().index(row, 0)
    table.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.NoUpdate)
    table.setFocus(Qt.FocusReason.OtherFocusReason)
    cell = table.visualRect(table.currentIndex())
    return QRect(table.viewport().mapToGlobal(cell.topLeft()), cell.size())


def test_the_menu_key_opens_the_menu_under_the_current_row_and_selects_it(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, [State.FAILED, State.REJECTED])
    pane = pane_of(bench.open())
    cell = current_without_selection(pane, 1)
    assert pane.selected_ids() == []
    lead = pane.model.lead_id(1)

    def menu_key() -> None:
        # What Qt sends the focused widget for the Menu key (its position as Qt has it).
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Keyboard, QPoint(5, 5), pane.table.mapToGlobal(QPoint(5, 5))
        )
        QApplication.sendEvent(pane.table, event)

    where, actions = opened_menu(qtbot, menu_key)
    assert pane.selected_ids() == [lead] and lead in ids
    assert actions["resend"] and actions["copy_details"], actions
    assert abs(where.top() - cell.bottom()) <= 2, (where, cell)  # just under the row
    assert abs(where.left() - cell.left()) <= 2, (where, cell)


def test_a_right_click_opens_the_menu_at_the_pointer(qtbot: QtBot, bench: Bench) -> None:
    stored_before_opening(bench, [State.FAILED, State.REJECTED])
    pane = pane_of(bench.open())
    viewport = pane.table.viewport()
    inside = pane.table.visualRect(pane.table.model().index(0, 1)).center()

    def right_click() -> None:
        event = QContextMenuEvent(
            QContextMenuEvent.Reason.Mouse, inside, viewport.mapToGlobal(inside)
        )
        QApplication.sendEvent(viewport, event)

    where, actions = opened_menu(qtbot, right_click)
    assert where.topLeft() == viewport.mapToGlobal(inside), where
    assert "export_csv" in actions
