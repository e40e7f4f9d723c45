"""The history pane in a real window: a Store on a temporary file, the sandbox on loopback,
a started SendWorker. Filters, the search, counts, details, copy, resend (failed and
unconfirmed), edit and resend, live updates and export, read as an agent sees them.
"""

from __future__ import annotations

import contextlib
import csv
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from PySide6.QtCore import (
    QEvent,
    QPoint,
    Qt,
    QThreadPool,
    QTimer,
)
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton, QToolButton
from pytestqt.exceptions import TimeoutError as QtTimeoutError
from pytestqt.qtbot import QtBot

from leaddesk.app.history_access import HistoryAccess
from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.domain.states import State
from leaddesk.gui.history.filter_bar import SEARCH_DELAY_MS
from leaddesk.gui.history.model import LEAD_ID_ROLE, PAGE_ROWS, STATE_ROLE
from leaddesk.gui.history.pane import HistoryPane
from leaddesk.gui.history.summary_strip import COUNTING, THIS_VIEW, TODAY
from leaddesk.gui.history.totals import TotalsCounter
from leaddesk.gui.line_breaks import LINE_BREAK
from leaddesk.history.export import HEADER
from leaddesk.history.history_query import (
    COLUMNS,
    Column,
    Filter,
    Query,
    ReadOnlyHistory,
    lead_ids,
)
from leaddesk.history.store import Store, StoredLead
from leaddesk.sandbox import REJECT_MESSAGE, Faults, Sandbox
from tests.support.gui_helpers import (
    GOOD_CALL,
    QUICK,
    Bench,
    DialogAnswerer,
    Rig,
    activate,
    click,
    focused,
    press,
    type_call,
    type_into,
    type_text,
    visible_error,
    wait_for_state,
)
from tests.support.history_data import REJECTED_ERROR, populate
from tests.support.history_model_rig import fetch_all
from tests.support.history_pane_rig import (
    MIXED,
    counted,
    filter_button,
    history_fails_once,
    pane_of,
    searching,
    select_rows,
    stored_before_opening,
    top_visible_lead,
)
from tests.support.leads import make_lead

CTRL = Qt.KeyboardModifier.ControlModifier
SANDBOX_PHONE2_ERROR = "phone2 must be 10 digits, numbers only"  # what the sandbox says


def shown_ids(pane: HistoryPane) -> list[int]:
    model = pane.model
    return [model.data(model.index(row, 0), LEAD_ID_ROLE) for row in range(model.rowCount())]


def shown_state(pane: HistoryPane, lead_id: int) -> str | None:
    row = pane.model.row_of(lead_id)
    if row is None:
        return None
    return str(pane.model.data(pane.model.index(row, 0), STATE_ROLE))


def submit_button(rig: Rig) -> QPushButton:
    button = rig.window.findChild(QPushButton, "submit")
    assert isinstance(button, QPushButton)
    return button


def submit_call(qtbot: QtBot, rig: Rig, **changes: str) -> int:
    """Type a good call into the form (with changes) and submit it; the new lead's id."""
    before = {lead.id for lead in rig.store.history()}
    type_call(qtbot, rig.form, {**GOOD_CALL, **changes})
    click(qtbot, submit_button(rig))
    (new,) = {lead.id for lead in rig.store.history()} - before
    return new


def stored(rig: Rig, lead_id: int) -> StoredLead:
    lead = rig.store.get(lead_id)
    assert lead is not None
    return lead


def rejected_by_the_sandbox(qtbot: QtBot, rig: Rig) -> int:
    """A lead with a phone2 the sandbox refuses (stored as an older LeadDesk might have)."""
    bad = make_lead(1).replace(phone2="123")
    lead_id = rig.store.add(bad, rig.desk.destination.url)
    rig.worker.wake()
    wait_for_state(qtbot, rig.store, lead_id, State.REJECTED)
    qtbot.waitUntil(lambda: shown_state(pane_of(rig), lead_id) == "rejected")
    return lead_id


# --- filters, search and counts ----------------------------------------------------------

WANTED = {
    Filter.ALL: set(State),
    Filter.ATTENTION: {State.REJECTED, State.FAILED, State.UNCONFIRMED},
    Filter.QUEUED: {State.QUEUED, State.SENDING},
    Filter.ACCEPTED: {State.ACCEPTED},
}


def test_each_filter_button_shows_its_rows(qtbot: QtBot, bench: Bench) -> None:
    ids = stored_before_opening(bench, MIXED)
    states = dict(zip(ids, MIXED, strict=True))
    rig = bench.open()
    pane = pane_of(rig)
    assert shown_ids(pane) == ids[::-1]  # All, newest first
    for choice in (Filter.ATTENTION, Filter.QUEUED, Filter.ACCEPTED, Filter.ALL):
        click(qtbot, filter_button(rig, choice))
        expected = [i for i in ids[::-1] if states[i] in WANTED[choice]]
        assert shown_ids(pane) == expected, choice
        assert pane.model.query.filter is choice
        assert filter_button(rig, choice).isChecked()
        others = [filter_button(rig, other) for other in Filter if other is not choice]
        assert not any(button.isChecked() for button in others)


def test_search_filters_after_a_pause_in_typing(qtbot: QtBot, bench: Bench) -> None:
    stored_before_opening(bench, [State.ACCEPTED] * 25)  # Ann Smith0 … Ann Smith24
    rig = bench.open()
    pane = pane_of(rig)
    type_text(qtbot, pane.search, "smith2")
    assert pane.model.rowCount() == 25  # not on every keystroke
    qtbot.waitUntil(lambda: pane.model.rowCount() == 6, timeout=SEARCH_DELAY_MS * 10)
    name = COLUMNS.index(Column.NAME)
    names = {pane.model.data(pane.model.index(row, name)) for row in range(6)}
    assert names == {f"Ann Smith{i}" for i in (2, 20, 21, 22, 23, 24)}

    press(qtbot, pane.search, Qt.Key.Key_A, CTRL)
    type_text(qtbot, pane.search, "(801) 312-0007")  # a phone as the agent reads it out
    qtbot.waitUntil(lambda: pane.model.rowCount() == 1, timeout=SEARCH_DELAY_MS * 10)
    assert pane.model.data(pane.model.index(0, name)) == "Ann Smith7"

    press(qtbot, pane.search, Qt.Key.Key_A, CTRL)
    press(qtbot, pane.search, Qt.Key.Key_Delete)
    qtbot.waitUntil(lambda: pane.model.rowCount() == 25, timeout=SEARCH_DELAY_MS * 10)


def test_search_and_filter_combine(qtbot: QtBot, bench: Bench) -> None:
    ids = stored_before_opening(bench, MIXED)
    rig = bench.open()
    pane = pane_of(rig)
    click(qtbot, filter_button(rig, Filter.ATTENTION))
    type_text(qtbot, pane.search, "smith1")
    press(qtbot, pane.search, Qt.Key.Key_Return)  # Return searches at once
    assert shown_ids(pane) == [ids[1]]
    click(qtbot, filter_button(rig, Filter.ACCEPTED))
    assert shown_ids(pane) == []
    assert pane.search.text() == "smith1"  # the search stays with the new filter
    expected = lead_ids(rig.store, Query(filter=Filter.ACCEPTED, search="smith1"))
    assert shown_ids(pane) == list(expected)


def click_header(qtbot: QtBot, pane: HistoryPane, column: Column) -> None:
    header = pane.table.horizontalHeader()
    section = COLUMNS.index(column)
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    where = QPoint(x, header.height() // 2)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=where)  # type: ignore[no-untyped-call]


def click_row(qtbot: QtBot, pane: HistoryPane, lead_id: int) -> None:
    row = pane.model.row_of(lead_id)
    assert row is not None, lead_id
    index = pane.model.index(row, COLUMNS.index(Column.NAME))
    pane.table.scrollTo(index)
    where = pane.table.visualRect(index).center()
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=where)  # type: ignore[no-untyped-call]


def on_screen(pane: HistoryPane, lead_id: int) -> bool:
    row = pane.model.row_of(lead_id)
    if row is None:
        return False
    shown = pane.table.visualRect(pane.model.index(row, 0))
    return pane.table.viewport().rect().contains(shown)


def test_sorting_keeps_the_selected_lead_its_details_and_its_place(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, MIXED)
    rig = bench.open()
    pane = pane_of(rig)
    click_row(qtbot, pane, ids[1])
    assert f"Lead {ids[1]}: Rejected" in pane.details.toPlainText()

    click_header(qtbot, pane, Column.NAME)
    assert pane.model.query.sort is Column.NAME
    assert shown_ids(pane) == ids  # Ann Smith0 first: the rows did move
    assert pane.selected_ids() == [ids[1]]
    assert pane.table.currentIndex().row() == pane.model.row_of(ids[1])
    assert f"Lead {ids[1]}: Rejected" in pane.details.toPlainText()
    assert pane.resend_action.isEnabled() and pane.edit_action.isEnabled()

    select_rows(pane, [ids[1], ids[4]])
    click_header(qtbot, pane, Column.NAME)  # again: descending
    assert pane.model.query.descending
    assert sorted(pane.selected_ids()) == [ids[1], ids[4]]
    assert "2 leads selected" in pane.details.toPlainText()


def test_a_filter_keeps_the_selection_only_while_the_lead_is_in_it(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, MIXED)
    rig = bench.open()
    pane = pane_of(rig)
    click_row(qtbot, pane, ids[1])  # rejected
    click(qtbot, filter_button(rig, Filter.ATTENTION))
    assert pane.selected_ids() == [ids[1]]
    assert f"Lead {ids[1]}: Rejected" in pane.details.toPlainText()

    click(qtbot, filter_button(rig, Filter.ACCEPTED))
    assert pane.selected_ids() == []
    assert pane.details.toPlainText() == ""  # no details of a lead no longer shown
    assert not pane.resend_action.isEnabled() and not pane.copy_action.isEnabled()

    click(qtbot, filter_button(rig, Filter.ALL))
    assert pane.selected_ids() == []  # what the agent saw unselected stays so


def test_a_new_sort_scrolls_to_the_selected_lead(qtbot: QtBot, bench: Bench) -> None:
    ids = stored_before_opening(bench, [State.ACCEPTED] * 80)
    rig = bench.open()
    pane = pane_of(rig)
    newest = ids[-1]
    click_row(qtbot, pane, newest)  # the top row, newest first
    assert not on_screen(pane, ids[0])
    click_header(qtbot, pane, Column.TIME)  # oldest first now: the newest is the last row
    assert not pane.model.query.descending
    assert pane.model.row_of(newest) == len(ids) - 1
    assert pane.selected_ids() == [newest]
    assert on_screen(pane, newest)


def test_a_lead_selected_beyond_the_rows_loaded_stays_selected_after_a_sort(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, [State.ACCEPTED] * (PAGE_ROWS + 50))
    rig = bench.open()
    pane = pane_of(rig)
    newest = ids[-1]
    click_row(qtbot, pane, newest)
    click_header(qtbot, pane, Column.TIME)  # oldest first: the newest is past the first page
    assert pane.model.row_of(newest) == len(ids) - 1
    assert pane.selected_ids() == [newest]
    assert on_screen(pane, newest)
    assert f"Lead {newest}: Accepted" in pane.details.toPlainText()


def test_a_lead_shown_in_the_history_is_current_and_followed_by_a_sort(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, [State.ACCEPTED] * 80)
    rig = bench.open()
    pane = pane_of(rig)
    click_row(qtbot, pane, ids[-1])
    rig.window.show_lead_in_history(ids[40])  # as the duplicate question's Show does
    assert pane.selected_ids() == [ids[40]]
    assert pane.table.currentIndex().row() == pane.model.row_of(ids[40])
    click_header(qtbot, pane, Column.TIME)
    assert pane.selected_ids() == [ids[40]]
    assert on_screen(pane, ids[40])


def test_show_in_history_finds_a_lead_past_the_rows_loaded(qtbot: QtBot, bench: Bench) -> None:
    ids = stored_before_opening(bench, [State.ACCEPTED] * (PAGE_ROWS + 50))
    rig = bench.open()
    pane = pane_of(rig)
    oldest = ids[0]
    assert pane.model.row_of(oldest) is None  # not loaded yet
    rig.window.show_lead_in_history(oldest)
    assert pane.selected_ids() == [oldest]
    assert on_screen(pane, oldest)


def test_a_lead_resent_while_sorted_by_state_stays_selected_with_current_details(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, MIXED)
    rig = bench.open()
    # No sending while the rows are compared: the worker moved the queued leads to
    # "sending" and back, which sorts them past the rejected ones, and a lead resent
    # then sorted where it had been (seen on a loaded machine).
    rig.worker.stop()
    rig.worker.wait()
    pane = pane_of(rig)
    click_header(qtbot, pane, Column.STATE)
    click_row(qtbot, pane, ids[1])  # rejected
    row_before = pane.model.row_of(ids[1])
    with DialogAnswerer(None):
        press(qtbot, pane.table, Qt.Key.Key_R, CTRL)
    assert pane.model.row_of(ids[1]) != row_before  # moved to where queued leads sort
    assert pane.selected_ids() == [ids[1]]
    assert pane.table.currentIndex().row() == pane.model.row_of(ids[1])
    qtbot.waitUntil(lambda: f"Lead {ids[1]}: Rejected" not in pane.details.toPlainText())
    assert f"Lead {ids[1]}: " in pane.details.toPlainText()


def test_a_filter_the_history_cannot_read_leaves_the_view_as_it_was(
    qtbot: QtBot, bench: Bench, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = stored_before_opening(bench, MIXED)
    rig = bench.open()
    pane = pane_of(rig)
    click_row(qtbot, pane, ids[3])
    history_fails_once(monkeypatch)
    pane.set_filter(Filter.ATTENTION)
    assert "disk reported an error" in pane.summary.text()
    assert shown_ids(pane) == ids[::-1]  # the rows as they were, still usable
    assert pane.selected_ids() == [ids[3]]
    pane.set_filter(Filter.ATTENTION)  # tried again: it works
    assert pane.model.query.filter is Filter.ATTENTION
    assert pane.selected_ids() == [ids[3]]  # failed, so still in view


def test_thousands_of_selected_leads_are_read_from_the_selection_ranges(
    qtbot: QtBot, bench: Bench
) -> None:
    # selectedRows() asked the model about every cell of every selected row: 8,000
    # rows made each sort take ~0.7 s. Counted in calls into the model, not time.
    ids = stored_before_opening(bench, [State.ACCEPTED] * 600)
    rig = bench.open()
    pane = pane_of(rig)
    fetch_all(pane.model)
    assert pane.model.rowCount() == len(ids)
    pane.table.selectAll()
    calls = 0
    real_count = pane.model.columnCount

    def counting(*args: Any) -> int:
        nonlocal calls
        calls += 1
        return real_count(*args)

    pane.model.columnCount = counting  # type: ignore[method-assign,assignment]
    assert len(pane.selected_ids()) == len(ids)
    assert calls < 10, calls


def test_esc_in_the_search_clears_it_and_leaves_the_form_alone(qtbot: QtBot, bench: Bench) -> None:
    stored_before_opening(bench, [State.ACCEPTED] * 25)
    rig = bench.open()
    pane = pane_of(rig)
    type_into(qtbot, rig.form, "fname", "Zoe")  # a call in progress
    activate(qtbot, rig.window)
    type_text(qtbot, pane.search, "smith2")
    press(qtbot, pane.search, Qt.Key.Key_Return)
    assert pane.model.rowCount() == 6
    with DialogAnswerer(None) as dialog:
        press(qtbot, pane.search, Qt.Key.Key_Escape)
    assert dialog.seen == []  # not the window's Esc: no "discard the typed lead?"
    assert pane.search.text() == ""
    assert pane.model.rowCount() == 25
    assert rig.form.values()["fname"] == "Zoe"

    with DialogAnswerer("Cancel") as dialog:  # an empty search: Esc is the window's again
        press(qtbot, pane.search, Qt.Key.Key_Escape)
    assert len(dialog.seen) == 1 and "has not been submitted" in dialog.only.text
    assert rig.form.values()["fname"] == "Zoe"


# macOS sets KeypadModifier on every arrow key; X11 and Windows on the keypad's arrows.
@pytest.mark.parametrize(
    "modifier",
    [Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier],
    ids=["arrow", "keypad"],
)
def test_down_from_the_search_goes_to_its_first_result(
    qtbot: QtBot, bench: Bench, modifier: Qt.KeyboardModifier
) -> None:
    ids, _rig, pane = searching(qtbot, bench, "smith2")
    press(qtbot, pane.search, Qt.Key.Key_Down, modifier)  # at once: no pause in typing
    assert pane.model.rowCount() == 6
    assert pane.table.hasFocus()
    assert pane.selected_ids() == [ids[24]]  # Ann Smith24, the newest match
    press(qtbot, pane.table, Qt.Key.Key_Down)
    assert pane.selected_ids() == [ids[23]]
    assert f"Lead {ids[23]}" in pane.details.toPlainText()


def test_attention_count_in_the_pane_and_the_status_bar(qtbot: QtBot, bench: Bench) -> None:
    priced = make_lead(10, lead_purchase_price="27.50")
    stored_before_opening(
        bench,
        [State.ACCEPTED, State.ACCEPTED, State.REJECTED, State.FAILED, State.UNCONFIRMED],
        leads=[priced, make_lead(11, lead_purchase_price="2.25")]
        + [make_lead(i) for i in (12, 13, 14)],
    )
    rig = bench.open(faults=Faults(reject_rate=1.0))
    pane = pane_of(rig)
    attention = filter_button(rig, Filter.ATTENTION)
    summary = counted(qtbot, pane)  # in the background: the figures come a moment later
    assert attention.text() == "Needs attention (3)"
    assert rig.label("attention_status") == "3 need attention"
    assert "5 leads · 0 queued · 2 accepted · 1 rejected · 3 to check · $29.75 accepted" in summary

    rig.window.history_dock.hide()  # the pane collapsed: the count stays in sight
    assert rig.window.attention_label.isVisible()

    submit_call(qtbot, rig)
    qtbot.waitUntil(lambda: rig.label("attention_status") == "4 need attention", timeout=8000)
    assert attention.text() == "Needs attention (4)"
    assert "6 leads · 0 queued · 2 accepted · 2 rejected · 4 to check" in pane.summary.text()


def test_no_attention_count_when_nothing_needs_attention(qtbot: QtBot, bench: Bench) -> None:
    stored_before_opening(bench, [State.ACCEPTED])
    rig = bench.open()
    assert "1 lead · 0 queued · 1 accepted" in counted(qtbot, pane_of(rig))
    assert filter_button(rig, Filter.ATTENTION).text() == "Needs attention"
    assert rig.label("attention_status") == ""


# --- the summary strip, counted in the background ------------------------------------------


class HeldHistory(ReadOnlyHistory):
    """The totals' read-only history, whose reads wait until the test lets them go."""

    def __init__(self, path: Path, held: bool) -> None:
        super().__init__(path)
        self.reading = threading.Event()  # a read is waiting, or has begun
        self.go = threading.Event()
        if not held:
            self.go.set()

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        self.reading.set()
        assert self.go.wait(timeout=10), "the test never let the count go on"
        return super().read(sql, params)

    def interrupt(self) -> None:
        self.go.set()
        super().interrupt()


class HeldHistories:
    """Opens the pane's totals' histories; while `hold` is set, each waits at its reads."""

    def __init__(self) -> None:
        self.hold = False
        self.opened: list[HeldHistory] = []

    def __call__(self, path: Path) -> ReadOnlyHistory:
        history = HeldHistory(path, held=self.hold)
        self.opened.append(history)
        return history

    def counting(self, qtbot: QtBot, count: int) -> HeldHistory:
        """The `count`th history opened, once a read of it waits (or runs)."""
        qtbot.waitUntil(lambda: len(self.opened) >= count and self.opened[-1].reading.is_set())
        return self.opened[count - 1]


@pytest.fixture
def held_pane(qtbot: QtBot, tmp_path: Path) -> Iterator[tuple[HistoryPane, HeldHistories]]:
    """A pane of its own over MIXED leads, its totals counted through HeldHistories."""
    histories = HeldHistories()
    with Store(tmp_path / "history.sqlite3") as store:
        populate(store, MIXED)
        pane = HistoryPane(HistoryAccess(store), wake_sender=lambda: None, open_history=histories)
        qtbot.addWidget(pane)
        pane.show()
        try:
            yield pane, histories
        finally:
            pane.shutdown()


def strip(pane: HistoryPane) -> tuple[str, str]:
    """The strip's figures for today and for the view, as the agent reads them."""
    today, view = pane.summary.text().split("\n")
    assert today.startswith(TODAY) and view.startswith(THIS_VIEW), pane.summary.text()
    return today.removeprefix(TODAY), view.removeprefix(THIS_VIEW)


def test_the_view_figure_waits_for_its_count_and_an_older_one_never_shows(
    qtbot: QtBot, held_pane: tuple[HistoryPane, HeldHistories]
) -> None:
    pane, histories = held_pane
    everything = "8 leads · 2 queued · 2 accepted · 2 rejected · 4 to check · $0.00 accepted"
    qtbot.waitUntil(lambda: strip(pane) == (everything, everything))

    histories.hold = True
    pane.set_filter(Filter.ATTENTION)
    first = histories.counting(qtbot, 2)  # the Needs attention count, held
    assert strip(pane) == (everything, COUNTING)  # today's figure stands: no filter in it
    pane.set_filter(Filter.ACCEPTED)  # meanwhile the agent moves on
    assert strip(pane) == (everything, COUNTING)

    first.go.set()  # Needs attention counted; the Accepted count starts, held
    second = histories.counting(qtbot, 3)
    QApplication.processEvents()  # the Needs attention figures, sent before, arrive
    assert strip(pane) == (everything, COUNTING)  # and are dropped: not this view's

    second.go.set()
    accepted = "2 leads · 0 queued · 2 accepted · 0 rejected · 0 to check · $0.00 accepted"
    qtbot.waitUntil(lambda: strip(pane) == (everything, accepted))
    assert filter_button_text(pane, Filter.ATTENTION) == "Needs attention (4)"


def test_a_failure_message_reads_as_written_never_as_markup(
    held_pane: tuple[HistoryPane, HeldHistories],
) -> None:
    pane, _ = held_pane
    message = "Could not export to /home/agent/<b>leads</b>.csv: the folder is read-only."
    pane.summary.show_message(message)
    spoken = QAccessible.queryAccessibleInterface(pane.summary)
    assert spoken is not None
    # A label that took it for rich text would show, and say, "leads" in bold, tags gone.
    assert spoken.text(QAccessible.Text.Name) == message


def test_a_refresh_of_the_same_view_keeps_its_figures_until_the_new_ones(
    qtbot: QtBot, held_pane: tuple[HistoryPane, HeldHistories], tmp_path: Path
) -> None:
    pane, histories = held_pane
    qtbot.waitUntil(lambda: COUNTING not in pane.summary.text())
    before = strip(pane)
    assert before[1].startswith(f"{len(MIXED)} leads")
    with Store(tmp_path / "history.sqlite3") as sender:  # one more lead sent meanwhile
        populate(sender, [State.ACCEPTED])
    histories.hold = True
    pane.refresh_totals()  # as after a batch sent: the same view, counted again
    held = histories.counting(qtbot, 2)
    assert strip(pane) == before  # no placeholder flicker while sending
    held.go.set()
    qtbot.waitUntil(lambda: strip(pane)[1].startswith(f"{len(MIXED) + 1} leads"))
    assert strip(pane)[0].startswith(f"{len(MIXED) + 1} leads")  # today's figure too


def test_shutdown_interrupts_the_count_and_leaves_no_thread(
    qtbot: QtBot, held_pane: tuple[HistoryPane, HeldHistories]
) -> None:
    pane, histories = held_pane
    qtbot.waitUntil(lambda: COUNTING not in pane.summary.text())
    histories.hold = True
    pane.set_filter(Filter.QUEUED)
    histories.counting(qtbot, 2)  # held in its read: only shutdown lets it go
    pane.shutdown()
    pool = pane.findChild(QThreadPool)
    assert isinstance(pool, QThreadPool) and pool.activeThreadCount() == 0
    QApplication.processEvents()
    assert strip(pane)[1] == COUNTING  # nothing came after the shutdown
    pane.refresh_totals()  # a late refresh (a timer, a progress report) counts nothing
    assert len(histories.opened) == 2


def test_a_pane_deleted_while_counting_waits_for_its_thread(qtbot: QtBot, tmp_path: Path) -> None:
    histories = HeldHistories()
    with Store(tmp_path / "history.sqlite3") as store:
        populate(store, MIXED)
        histories.hold = True
        pane = HistoryPane(HistoryAccess(store), wake_sender=lambda: None, open_history=histories)
        held = histories.counting(qtbot, 1)  # its first count, held in its read
        counter = pane.findChild(TotalsCounter)
        pool = pane.findChild(QThreadPool)
        assert isinstance(counter, TotalsCounter) and isinstance(pool, QThreadPool)
        # The count goes on only once the counter is being deleted (before its pool is).
        counter.destroyed.connect(held.go.set)
        gone: list[bool] = []
        pool.destroyed.connect(lambda: gone.append(True))
        pane.deleteLater()  # without shutdown: the pool's own end waits for its thread
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)
        assert gone == [True]
        assert held.go.is_set()
        QApplication.processEvents()  # the result it sent to a deleted counter: no error


def filter_button_text(pane: HistoryPane, choice: Filter) -> str:
    button = pane.findChild(QToolButton, f"filter_{choice.value}")
    assert isinstance(button, QToolButton)
    return button.text()


# --- details and copy -------------------------------------------------------------------


def test_details_show_fields_attempts_request_reply_and_errors(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    lead_id = rejected_by_the_sandbox(qtbot, rig)
    pane = pane_of(rig)
    assert pane.select_lead(lead_id)
    text = pane.details.toPlainText()
    assert f"Lead {lead_id}: Rejected" in text
    assert "The dealer refused it" in text
    assert SANDBOX_PHONE2_ERROR in text
    for label, value in (("First name", "Ann"), ("Last name", "Smith1"), ("City", "Boise")):
        assert f"\n{label}\n{value}\n" in text, label
    assert "Phone 1" in text and "(801) 312-0001" in text
    assert "Attempt 1" in text and "rejected" in text and "HTTP 200" in text
    assert "<phone2>123</phone2>" in text  # the request as sent
    assert '<response success="false">' in text  # the reply as received
    assert text.count(SANDBOX_PHONE2_ERROR) >= 2  # in the lead's errors and the attempt's


def test_copy_puts_the_details_on_the_clipboard(qtbot: QtBot, bench: Bench) -> None:
    ids = stored_before_opening(bench, [State.ACCEPTED, State.REJECTED])
    rig = bench.open()
    pane = pane_of(rig)
    QApplication.clipboard().clear()
    assert pane.select_lead(ids[1])
    assert pane.copy_action.isEnabled()
    pane.copy_action.trigger()
    copied = QApplication.clipboard().text()
    assert copied.startswith(f"Lead {ids[1]}: Rejected")
    assert f"  ! {REJECTED_ERROR}" in copied
    assert "Last name: Smith1" in copied
    assert "Attempt 1:" in copied and "<leads>" in copied  # request XML

    select_rows(pane, ids)
    pane.copy_action.trigger()
    both = QApplication.clipboard().text()
    assert f"Lead {ids[0]}: Accepted, customer {5000 + ids[0]}" in both
    assert f"Lead {ids[1]}: Rejected" in both


def test_with_nothing_selected_the_lead_actions_are_disabled(bench: Bench) -> None:
    ids = stored_before_opening(bench, [State.FAILED, State.REJECTED])
    rig = bench.open()
    pane = pane_of(rig)
    assert pane.selected_ids() == []
    actions = (pane.resend_action, pane.edit_action, pane.copy_action)
    # As the window opens: the Leads menu offers nothing that would do nothing.
    assert [action.isEnabled() for action in actions] == [False, False, False]
    pane.select_lead(ids[0])
    assert [action.isEnabled() for action in actions] == [True, True, True]
    pane.table.clearSelection()
    assert [action.isEnabled() for action in actions] == [False, False, False]


def test_context_menu_offers_the_actions(qtbot: QtBot, bench: Bench) -> None:
    ids = stored_before_opening(bench, [State.FAILED])
    rig = bench.open()
    pane = pane_of(rig)
    pane.select_lead(ids[0])
    found: list[str] = []

    def read_menu() -> None:
        popup = QApplication.activePopupWidget()
        if popup is None:
            QTimer.singleShot(10, read_menu)
            return
        found.extend(action.objectName() for action in popup.actions())
        popup.close()

    QTimer.singleShot(0, read_menu)
    pane.table.menu_requested.emit(pane.table.mapToGlobal(QPoint(5, 5)))
    qtbot.waitUntil(lambda: bool(found))
    assert {"resend", "edit_resend", "copy_details", "export_csv"} <= set(found)


# --- resend -------------------------------------------------------------------------------


def test_resend_of_a_failed_lead_delivers_it_as_the_same_lead(qtbot: QtBot, bench: Bench) -> None:
    dead = bench.dead_url()
    port = urlsplit(dead).port
    assert port is not None
    rig = bench.open(dead, sending=QUICK.replace(retry_limit=1))
    pane = pane_of(rig)
    lead_id = submit_call(qtbot, rig)
    wait_for_state(qtbot, rig.store, lead_id, State.FAILED)
    qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "failed")
    failed = stored(rig, lead_id)
    assert failed.attempts == 1

    with Sandbox(port=port) as revived:  # the dealer's server is back
        assert pane.select_lead(lead_id)
        assert pane.resend_action.isEnabled()
        activate(qtbot, rig.window)
        pane.table.setFocus()
        press(qtbot, pane.table, Qt.Key.Key_R, CTRL)  # the resend shortcut
        wait_for_state(qtbot, rig.store, lead_id, State.ACCEPTED)
        qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "accepted")

        resent = stored(rig, lead_id)
        assert resent.attempts == 2
        assert resent.lead.lead_company_unique_id == failed.lead.lead_company_unique_id
        assert [lead["lead_company_unique_id"] for lead in revived.accepted] == [
            failed.lead.lead_company_unique_id
        ]
        assert shown_ids(pane) == [lead_id]
        assert len(rig.store.history()) == 1


def test_details_follow_the_selected_lead_as_it_changes(qtbot: QtBot, bench: Bench) -> None:
    """Resent from the pane, the selected lead's details and actions follow its new state."""
    rig = bench.open(faults=Faults(reject_rate=1.0))
    pane = pane_of(rig)
    lead_id = submit_call(qtbot, rig)
    wait_for_state(qtbot, rig.store, lead_id, State.REJECTED)
    qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "rejected")
    assert pane.select_lead(lead_id)
    assert "Attempt 1" in pane.details.toPlainText()
    assert rig.sandbox is not None
    rig.sandbox.faults = Faults()
    pane.resend_action.trigger()
    wait_for_state(qtbot, rig.store, lead_id, State.ACCEPTED)
    qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "accepted")
    assert pane.selected_ids() == [lead_id]

    def stale() -> list[str]:
        details = pane.details.toPlainText()
        return [
            problem
            for problem, seen in (
                ("details do not say Accepted", f"Lead {lead_id}: Accepted" not in details),
                ("details lack the second attempt", "Attempt 2" not in details),
                ("Resend stays enabled for an accepted lead", pane.resend_action.isEnabled()),
                ("Edit and resend stays enabled", pane.edit_action.isEnabled()),
            )
            if seen
        ]

    with contextlib.suppress(QtTimeoutError):
        qtbot.waitUntil(lambda: not stale(), timeout=2000)
    assert stale() == []


def test_resend_becomes_available_when_the_selected_lead_is_rejected(
    qtbot: QtBot, bench: Bench
) -> None:
    """The agent selects the lead just submitted; the dealer refuses it a moment later."""
    rig = bench.open(faults=Faults(reject_rate=1.0, delay=0.3))
    pane = pane_of(rig)
    lead_id = submit_call(qtbot, rig)
    assert pane.select_lead(lead_id)
    assert shown_state(pane, lead_id) in ("queued", "sending")
    assert not pane.resend_action.isEnabled()
    wait_for_state(qtbot, rig.store, lead_id, State.REJECTED)
    qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "rejected")
    assert pane.selected_ids() == [lead_id]
    with contextlib.suppress(QtTimeoutError):
        qtbot.waitUntil(pane.resend_action.isEnabled, timeout=2000)
    assert pane.resend_action.isEnabled()
    assert pane.edit_action.isEnabled()
    assert REJECT_MESSAGE in pane.details.toPlainText()


def unconfirmed_lead(qtbot: QtBot, rig: Rig, **changes: str) -> int:
    assert rig.sandbox is not None
    rig.sandbox.faults = Faults(error_rate=1.0)  # HTTP 500: it may have arrived
    lead_id = submit_call(qtbot, rig, **changes)
    wait_for_state(qtbot, rig.store, lead_id, State.UNCONFIRMED)
    qtbot.waitUntil(lambda: shown_state(pane_of(rig), lead_id) == "unconfirmed")
    rig.sandbox.faults = Faults()
    return lead_id


def test_resending_an_unconfirmed_lead_asks_and_skip_resends_nothing(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    pane = pane_of(rig)
    lead_id = unconfirmed_lead(qtbot, rig)
    assert pane.select_lead(lead_id)
    assert pane.resend_action.isEnabled()
    assert not pane.edit_action.isEnabled()  # it may be with the dealer: not edited
    with DialogAnswerer("Skip them") as dialog:
        pane.resend_action.trigger()
    question = dialog.only
    assert question.title == "Resend unconfirmed leads?"
    assert "may already be with the dealer" in question.text
    assert "duplicate" in question.informative
    assert question.buttons == ["Resend anyway", "Skip them"]
    after = stored(rig, lead_id)
    assert after.state is State.UNCONFIRMED and after.attempts == 1
    assert shown_state(pane, lead_id) == "unconfirmed"


def test_resending_an_unconfirmed_lead_anyway_resends_it(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    pane = pane_of(rig)
    lead_id = unconfirmed_lead(qtbot, rig)
    assert rig.sandbox is not None
    assert pane.select_lead(lead_id)
    with DialogAnswerer("Resend anyway") as dialog:
        pane.resend_action.trigger()
    assert dialog.only.title == "Resend unconfirmed leads?"
    wait_for_state(qtbot, rig.store, lead_id, State.ACCEPTED)
    after = stored(rig, lead_id)
    assert after.attempts == 2
    assert rig.sandbox.accepted_count() == {after.lead.lead_company_unique_id: 1}


def test_skipping_unconfirmed_leads_still_resends_the_others_selected(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    pane = pane_of(rig)
    assert rig.sandbox is not None
    unconfirmed = unconfirmed_lead(qtbot, rig)
    activate(qtbot, rig.window)
    rig.sandbox.faults = Faults(reject_rate=1.0)
    rejected = submit_call(qtbot, rig, lname="Jones")
    wait_for_state(qtbot, rig.store, rejected, State.REJECTED)
    qtbot.waitUntil(lambda: shown_state(pane, rejected) == "rejected")
    rig.sandbox.faults = Faults()
    select_rows(pane, [unconfirmed, rejected])
    assert sorted(pane.selected_ids()) == sorted([unconfirmed, rejected])
    with DialogAnswerer("Skip them") as dialog:
        pane.resend_action.trigger()
    assert dialog.only.text.startswith("1 of the selected leads is unconfirmed")
    wait_for_state(qtbot, rig.store, rejected, State.ACCEPTED)
    assert stored(rig, unconfirmed).state is State.UNCONFIRMED
    assert [lead["lname"] for lead in rig.sandbox.accepted] == ["Jones"]


def test_return_on_the_unconfirmed_question_does_not_resend(qtbot: QtBot, bench: Bench) -> None:
    """A question about a possible duplicate defaults to the choice that loses nothing."""
    rig = bench.open()
    pane = pane_of(rig)
    lead_id = unconfirmed_lead(qtbot, rig)
    assert pane.select_lead(lead_id)
    pressed: list[str] = []

    def press_return() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox) or not box.isVisible():
            QTimer.singleShot(10, press_return)
            return
        pressed.append(box.objectName())
        press(qtbot, box, Qt.Key.Key_Return)
        if box.isVisible():  # Return did nothing: do not hang the test
            box.reject()

    QTimer.singleShot(0, press_return)
    pane.resend_action.trigger()
    assert pressed == ["unconfirmed_question"]
    assert stored(rig, lead_id).state is State.UNCONFIRMED


# --- edit and resend --------------------------------------------------------------------


def test_edit_and_resend_shows_the_error_at_its_field_and_resends_the_same_lead(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    pane = pane_of(rig)
    assert rig.sandbox is not None
    lead_id = rejected_by_the_sandbox(qtbot, rig)
    before = stored(rig, lead_id)
    assert before.errors == (SANDBOX_PHONE2_ERROR,)

    assert pane.select_lead(lead_id)
    assert pane.edit_action.isEnabled()
    activate(qtbot, rig.window)
    pane.table.setFocus()
    press(qtbot, pane.table, Qt.Key.Key_E, CTRL)  # Edit and resend

    assert rig.form.values()["lname"] == "Smith1"
    assert visible_error(rig.form, "phone2") == SANDBOX_PHONE2_ERROR
    assert visible_error(rig.form, "phone1") == ""
    assert focused() == "phone2"
    banner = rig.window.edit_banner
    assert banner.isVisible() and banner.text().startswith(f"Editing lead {lead_id}.")
    assert "The dealer said" not in banner.text()  # the error is at its field
    assert submit_button(rig).text() == "&Submit fix"

    phone2 = rig.form.inputs["phone2"].widget
    press(qtbot, phone2, Qt.Key.Key_A, CTRL)
    type_text(qtbot, phone2, "8013127736")
    assert visible_error(rig.form, "phone2") == ""
    click(qtbot, submit_button(rig))
    assert rig.last_result() == f"Lead {lead_id} (Ann Smith1) fixed and queued again."
    assert not banner.isVisible()
    wait_for_state(qtbot, rig.store, lead_id, State.ACCEPTED)

    after = stored(rig, lead_id)
    assert after.lead.phone2 == "8013127736"
    assert after.lead.lead_company_unique_id == before.lead.lead_company_unique_id
    assert after.attempts == 2
    assert [lead.id for lead in rig.store.history()] == [lead_id]  # no new lead
    qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "accepted")
    assert shown_ids(pane) == [lead_id]
    (sent,) = rig.sandbox.accepted
    assert sent["phone2"] == "8013127736"
    assert sent["lead_company_unique_id"] == before.lead.lead_company_unique_id


def test_edit_and_resend_with_an_error_naming_no_field_shows_it_in_the_banner(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open(faults=Faults(reject_rate=1.0))
    pane = pane_of(rig)
    assert rig.sandbox is not None
    lead_id = submit_call(qtbot, rig)
    wait_for_state(qtbot, rig.store, lead_id, State.REJECTED)
    qtbot.waitUntil(lambda: shown_state(pane, lead_id) == "rejected")
    assert pane.select_lead(lead_id)
    pane.edit_action.trigger()
    banner = rig.window.edit_banner.text()
    assert banner.startswith(f"Editing lead {lead_id}.")
    assert banner.endswith(f"The dealer said: {REJECT_MESSAGE}")
    assert all(visible_error(rig.form, name) == "" for name in rig.form.inputs)
    assert "".join(ch for ch in rig.form.values()["phone1"] if ch.isdigit()) == "8013127735"

    rig.sandbox.faults = Faults()
    click(qtbot, submit_button(rig))
    wait_for_state(qtbot, rig.store, lead_id, State.ACCEPTED)
    assert stored(rig, lead_id).attempts == 2
    assert len(rig.store.history()) == 1


def test_editing_another_lead_during_a_fix_names_the_fix_it_would_lose(
    qtbot: QtBot, bench: Bench
) -> None:
    ids = stored_before_opening(bench, MIXED)
    first, second = ids[1], ids[7]  # both rejected
    rig = bench.open()
    pane = pane_of(rig)
    assert pane.select_lead(first)
    pane.edit_action.trigger()
    assert rig.window.edit_banner.text().startswith(f"Editing lead {first}.")
    assert pane.select_lead(second)
    with DialogAnswerer("Cancel") as dialog:
        pane.edit_action.trigger()
    assert f"Your changes to lead {first} have not been resent." in dialog.only.text
    assert dialog.only.title == f"Edit lead {second}?"
    assert f"Discard it and edit lead {second}?" in dialog.only.text
    assert rig.window.edit_banner.text().startswith(f"Editing lead {first}.")


# --- live updates ------------------------------------------------------------------------


def test_selection_and_scroll_stay_while_other_leads_change_state(
    qtbot: QtBot, bench: Bench
) -> None:
    sandbox = bench.sandbox()
    ids = stored_before_opening(bench, [State.FAILED] * 300, destination=sandbox.url())
    rig = bench.open(sandbox.url())
    pane = pane_of(rig)
    target = ids[150]
    loaded = pane.model.rowCount()  # the first page or more: leads changing must keep it
    assert pane.select_lead(target)
    qtbot.waitUntil(lambda: top_visible_lead(pane) != ids[-1])  # scrolled down to it
    scrolled = pane.table.verticalScrollBar().value()
    top = top_visible_lead(pane)
    details = pane.details.toPlainText()

    others = [i for i in ids[100:200:3] if i != target]
    for lead_id in others:  # resent elsewhere (another desk, the command line)
        rig.store.requeue(lead_id)
    rig.worker.wake()
    qtbot.waitUntil(lambda: all(shown_state(pane, i) == "accepted" for i in others), timeout=8000)

    assert pane.selected_ids() == [target]
    assert pane.table.verticalScrollBar().value() == scrolled
    assert top_visible_lead(pane) == top
    assert pane.details.toPlainText() == details
    assert pane.model.rowCount() == loaded


def test_new_leads_arriving_keep_the_selected_lead_and_the_rows_in_view(
    qtbot: QtBot, bench: Bench
) -> None:
    sandbox = bench.sandbox()
    ids = stored_before_opening(bench, [State.ACCEPTED] * 300, destination=sandbox.url())
    rig = bench.open(sandbox.url())
    pane = pane_of(rig)
    target = ids[150]
    assert pane.select_lead(target)
    qtbot.waitUntil(lambda: top_visible_lead(pane) != ids[-1])
    top = top_visible_lead(pane)

    new = rig.store.add_many([(make_lead(1000 + i), sandbox.url()) for i in range(5)])
    rig.worker.wake()
    qtbot.waitUntil(lambda: all(shown_state(pane, i) == "accepted" for i in new), timeout=8000)

    assert shown_ids(pane)[:5] == new[::-1]
    assert pane.selected_ids() == [target]
    assert top_visible_lead(pane) == top  # what the agent was reading did not move


# --- export ------------------------------------------------------------------------------


def test_export_writes_the_current_view(qtbot: QtBot, bench: Bench, tmp_path: Path) -> None:
    states = [State.ACCEPTED, State.REJECTED, State.FAILED, State.UNCONFIRMED] * 6
    ids = stored_before_opening(bench, states)
    rig = bench.open()
    pane = pane_of(rig)
    click(qtbot, filter_button(rig, Filter.ATTENTION))
    type_text(qtbot, pane.search, "smith1")
    press(qtbot, pane.search, Qt.Key.Key_Return)
    in_view = shown_ids(pane)
    assert in_view and len(in_view) < len(ids)

    path = tmp_path / "view.csv"
    assert pane.export_view(path) == len(in_view)

    with path.open(encoding="utf-8-sig", newline="") as file:
        header, *body = list(csv.reader(file))
    assert header == list(HEADER)
    assert [int(line[0]) for line in body] == in_view
    delivery_states = {line[HEADER.index("lead_state")] for line in body}
    assert delivery_states <= {"rejected", "failed", "unconfirmed"}
    lname = len(HEADER) - len(FIELD_NAMES) + FIELD_NAMES.index("lname")
    assert all(line[lname].startswith("Smith1") for line in body)
    shown = pane.summary.text().replace(LINE_BREAK, "")  # the marks where a line may break
    assert shown == f"Exported {len(in_view)} leads to {path}."


def test_export_of_the_whole_history_by_default(bench: Bench, tmp_path: Path) -> None:
    ids = stored_before_opening(bench, [State.ACCEPTED, State.REJECTED, State.QUEUED])
    rig = bench.open()
    path = tmp_path / "all.csv"
    assert pane_of(rig).export_view(path) == 3
    with path.open(encoding="utf-8-sig", newline="") as file:
        assert [int(line[0]) for line in list(csv.reader(file))[1:]] == ids[::-1]


def test_export_writes_all_of_the_view_not_only_the_rows_loaded(
    bench: Bench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("leaddesk.gui.history.model.PAGE_ROWS", 5)
    ids = stored_before_opening(bench, [State.ACCEPTED, State.FAILED] * 40)
    rig = bench.open()
    pane = pane_of(rig)
    pane.set_filter(Filter.ACCEPTED)
    assert pane.model.rowCount() < 40  # the view has loaded only what it shows
    path = tmp_path / "accepted.csv"
    assert pane.export_view(path) == 40
    with path.open(encoding="utf-8-sig", newline="") as file:
        exported = [int(line[0]) for line in list(csv.reader(file))[1:]]
    assert exported == ids[-2::-2]
    # Load the rest: Bench closes the store before Qt is done with the view, and a view
    # that can fetch more would then ask a closed store.
    fetch_all(pane.model)
