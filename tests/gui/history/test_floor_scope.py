"""The History's "Whole floor" scope against a real PostgreSQL floor, on its own (no
window, so no periodic push reads the floor behind the test's back): what the agent has
scrolled to stays when a push changes the floor meanwhile; the table reads as the desk's
own history does (no Tab trap, the state as icon, word and colour, the error in sight).

The order of the floor's answers is the test's: it holds the floor's leads table (a lock
of the floor's owner), so that the view's reads wait for it, in the order PostgreSQL
queued them."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QBrush, QIcon, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.contrast import READABLE, contrast_ratio
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import State
from leaddesk.gui.history.floor_model import FLOOR_COLUMNS, FloorColumn, cell_text
from leaddesk.gui.history.floor_scope import FloorScope
from leaddesk.team import floor_leads
from leaddesk.team.floor import Floor
from tests.support.floor import (
    LeadsHeld,
    failed_lead,
    login_url,
    set_up_floor,
    waiting_for_a_lock,
)
from tests.support.gui_helpers import QUICK, headers_read_out, headers_shown, press

DEALER = "http://127.0.0.1:9/leads"  # never posted to here


@pytest.fixture
def sues_scope(qtbot: QtBot, floor_url: str) -> Iterator[FloorScope]:
    """Sue's (a supervisor's) Whole floor, shown, on a floor of 250 of Ann's leads."""
    set_up_floor(floor_url)
    now = time.time()
    leads = [failed_lead(number, now + number, DEALER) for number in range(1, 251)]
    with Floor(login_url(floor_url, "ann"), "desk-ann", "ann") as ann, ann.connection() as db:
        floor_leads.push(db, "desk-ann", "ann", leads)
    with Floor(login_url(floor_url, "sue"), "desk-sue", "sue") as floor:
        scope = FloorScope(TeamDesk(floor, 120.0), lambda: QUICK, lambda _words: None)
        qtbot.addWidget(scope)
        scope.resize(1000, 600)
        scope.show()
        scope.show_if_stale()
        yield scope
        qtbot.waitUntil(lambda: not scope.reading, timeout=15000)


def names(scope: FloorScope) -> list[str]:
    return [cell_text(lead, FloorColumn.NAME) for lead in scope.model.leads]


def test_a_push_while_the_agent_scrolls_keeps_the_rows_scrolled_to(
    qtbot: QtBot, sues_scope: FloorScope, floor_url: str
) -> None:
    scope = sues_scope
    qtbot.waitUntil(
        lambda: scope.status.text() == "200 floor leads shown, more as you scroll.", timeout=15000
    )
    first = LeadsHeld(floor_url)
    assert first.held.wait(15)
    scope.table.scrollToBottom()  # the agent reads on: the next page is asked for
    qtbot.waitUntil(lambda: waiting_for_a_lock(floor_url, user="sue") == 1, timeout=15000)
    newest = failed_lead(251, time.time() + 1000, DEALER)
    second = LeadsHeld(floor_url, lambda db: floor_leads.push(db, "desk-bob", "bob", [newest]))
    qtbot.waitUntil(lambda: waiting_for_a_lock(floor_url, pid=second.pid) == 1, timeout=15000)
    scope.floor_changed()  # a push reached the floor meanwhile, as the window's push says
    first.release()  # the page the agent asked for comes first
    qtbot.waitUntil(lambda: scope.model.rowCount() == 250, timeout=15000)
    assert scope.status.text() == "250 floor leads shown."
    second.release()  # then bob's lead is on the floor, and the floor is read again
    qtbot.waitUntil(lambda: names(scope)[:1] == ["Ann Lee251"], timeout=15000)
    assert names(scope)[1:] == [f"Ann Lee{n}" for n in range(250, 1, -1)], "rows were lost"
    assert scope.status.text() == "250 floor leads shown, more as you scroll."
    scope.table.scrollToBottom()
    qtbot.waitUntil(lambda: scope.model.rowCount() == 251, timeout=15000)
    assert names(scope) == [f"Ann Lee{n}" for n in range(251, 0, -1)]
    assert scope.status.text() == "251 floor leads shown."


def shown(qtbot: QtBot, scope: FloorScope) -> None:
    qtbot.waitUntil(lambda: scope.model.rowCount() == 200, timeout=15000)


def test_tab_leaves_the_floor_table_once_it_has_rows(qtbot: QtBot, sues_scope: FloorScope) -> None:
    """Arrows move inside the table; Tab and Shift+Tab go on to the next control, as in
    the desk's own history: no keyboard trap."""
    scope = sues_scope
    shown(qtbot, scope)
    table = scope.table
    table.setFocus()
    table.setCurrentIndex(scope.model.index(0, 0))
    press(qtbot, table, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is not table
    table.setFocus()
    press(qtbot, table, Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier)
    assert QApplication.focusWidget() is not table


def test_the_floor_shows_each_state_as_an_icon_a_word_and_a_readable_colour(
    qtbot: QtBot, sues_scope: FloorScope
) -> None:
    scope = sues_scope
    shown(qtbot, scope)
    model = scope.model
    state = model.index(0, FLOOR_COLUMNS.index(FloorColumn.STATE))
    assert model.data(state) == STATE_LOOKS[State.FAILED].label
    icon = model.data(state, Qt.ItemDataRole.DecorationRole)
    assert isinstance(icon, QIcon) and not icon.isNull()
    brush = model.data(state, Qt.ItemDataRole.ForegroundRole)
    assert isinstance(brush, QBrush)
    palette = scope.table.palette()
    for row in (QPalette.ColorRole.Base, QPalette.ColorRole.AlternateBase):
        ratio = contrast_ratio(brush.color().name(), palette.color(row).name())
        assert ratio >= READABLE, (row, round(ratio, 2))
    name = model.index(0, FLOOR_COLUMNS.index(FloorColumn.NAME))
    assert model.data(name, Qt.ItemDataRole.DecorationRole) is None


def test_why_a_floor_lead_failed_is_in_sight_in_a_narrow_history(
    qtbot: QtBot, sues_scope: FloorScope
) -> None:
    """The history's dock at first start is about 600 px wide: the error comes right after
    the state, as in the desk's own history, and the agent after it, not past the table's
    right edge."""
    scope = sues_scope
    scope.resize(600, 600)
    shown(qtbot, scope)
    header = scope.table.horizontalHeader()
    error = FLOOR_COLUMNS.index(FloorColumn.ERROR)
    left = header.sectionViewportPosition(error)
    in_sight = min(left + header.sectionSize(error), header.width()) - max(left, 0)
    assert in_sight >= 150, (left, header.sectionSize(error), header.width())
    agent = FLOOR_COLUMNS.index(FloorColumn.AGENT)
    agent_left = header.sectionViewportPosition(agent)
    assert agent_left >= 0 and agent_left + 40 <= header.width(), "whose lead it is, in sight"


def test_a_screen_reader_hears_the_floors_columns_in_the_order_they_are_shown(
    qtbot: QtBot, sues_scope: FloorScope
) -> None:
    scope = sues_scope
    shown(qtbot, scope)
    on_screen = headers_shown(scope.table)
    assert on_screen[:4] == ["Time", "State", "Error", "Agent"]
    assert headers_read_out(scope.table) == on_screen


def click_header(qtbot: QtBot, scope: FloorScope, column: FloorColumn) -> None:
    header = scope.table.horizontalHeader()
    section = FLOOR_COLUMNS.index(column)
    scope.table.scrollTo(scope.model.index(0, section))
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    where = QPoint(x, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)  # type: ignore[no-untyped-call]


def all_rows_read(qtbot: QtBot, scope: FloorScope) -> list[str]:
    qtbot.waitUntil(lambda: scope.model.rowCount() == 200, timeout=15000)
    scope.table.scrollToBottom()
    qtbot.waitUntil(lambda: scope.model.rowCount() == 250, timeout=15000)
    return names(scope)


def test_a_header_click_sorts_the_whole_floor_not_the_rows_read(
    qtbot: QtBot, sues_scope: FloorScope
) -> None:
    """A supervisor sorts the floor by a column, and the floor sorts all of it (it may hold
    a million leads; the view has read a page): pages read on scrolling follow the order,
    none skipped or repeated."""
    scope = sues_scope
    shown(qtbot, scope)
    assert names(scope)[0] == "Ann Lee250"  # newest first
    click_header(qtbot, scope, FloorColumn.TIME)  # the same column again: oldest first
    qtbot.waitUntil(lambda: names(scope)[:1] == ["Ann Lee1"], timeout=15000)
    assert all_rows_read(qtbot, scope) == [f"Ann Lee{n}" for n in range(1, 251)]

    click_header(qtbot, scope, FloorColumn.NAME)  # A to Z by last name
    by_name = sorted((f"Ann Lee{n}" for n in range(1, 251)), key=lambda name: name.lower())
    qtbot.waitUntil(lambda: names(scope)[:1] == by_name[:1], timeout=15000)
    assert all_rows_read(qtbot, scope) == by_name
    header = scope.table.horizontalHeader()
    assert header.sortIndicatorSection() == FLOOR_COLUMNS.index(FloorColumn.NAME)
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_the_selected_floor_lead_stays_selected_when_the_floor_is_sorted(
    qtbot: QtBot, sues_scope: FloorScope
) -> None:
    scope = sues_scope
    shown(qtbot, scope)
    chosen = scope.model.leads[5]  # Ann Lee245: on the first page by name too
    assert scope.select_floor_lead(chosen.floor_id)
    click_header(qtbot, scope, FloorColumn.NAME)
    qtbot.waitUntil(lambda: names(scope)[:1] == ["Ann Lee1"], timeout=15000)
    assert scope.selected_ids() == [chosen.floor_id]
    assert scope.details.toPlainText().startswith(f"Floor lead {chosen.floor_id}:")
