"""The history table's model without a view: Qt's model tester, what each cell shows, sorting,
live updates in place, and rows read from the store only when asked for."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from leaddesk.app.history_access import HistoryAccess
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import State
from leaddesk.gui.history.cells import STATE_ICONS
from leaddesk.gui.history.model import (
    BLOCK_ROWS,
    CACHED_BLOCKS,
    LEAD_ID_ROLE,
    PAGE_ROWS,
    STATE_ROLE,
    HistoryModel,
)
from leaddesk.history.history_query import COLUMNS, Column, Filter, Query, Row, lead_ids, rows
from leaddesk.history.store import Store
from tests.support.history_data import (
    REJECTED_ERROR,
    URL,
    populate,
)
from tests.support.history_model_rig import SMALL_PAGE, answer, column, fetch_all, shown_ids
from tests.support.leads import make_lead

DISPLAY = Qt.ItemDataRole.DisplayRole
MIXABLE = (State.ACCEPTED, State.REJECTED, State.FAILED, State.UNCONFIRMED, State.QUEUED)


@pytest.fixture
def model(qtbot: QtBot, store: Store) -> HistoryModel:
    return HistoryModel(HistoryAccess(store))


def mixed_states(count: int, seed: int = 5) -> list[State]:
    chooser = random.Random(seed)
    return [chooser.choice(MIXABLE) for _ in range(count)]


def cell(model: HistoryModel, row: int, name: Column, role: int = DISPLAY) -> Any:
    return model.data(model.index(row, column(name)), role)


# --- Qt's own checks ----------------------------------------------------------------------


def test_model_tester_passes_on_an_empty_history(qtmodeltester: Any, model: HistoryModel) -> None:
    qtmodeltester.check(model)
    assert model.rowCount() == 0
    assert model.columnCount() == len(COLUMNS)


def test_model_tester_passes_on_a_few_hundred_leads_through_changes(
    qtmodeltester: Any, store: Store, model: HistoryModel
) -> None:
    populate(store, mixed_states(300))
    model.reload()
    # Qt's tester stays attached and checks every signal of the changes that follow.
    qtmodeltester.check(model)
    assert model.rowCount() == 300
    for choice in Filter:
        model.set_query(Query(filter=choice, search="smith1"))
    model.set_query(Query(filter=Filter.ATTENTION))
    model.sort(column(Column.NAME), Qt.SortOrder.AscendingOrder)
    model.sort(column(Column.TIME), Qt.SortOrder.DescendingOrder)
    first = model.lead_id(0)
    store.requeue(first)  # leaves the attention view
    (new,) = store.add_many([(make_lead(1), URL)])
    model.update_leads(store.get_many([first, new]))
    answer(store, [(first, Outcome.REJECTED), (new, Outcome.REJECTED)])
    model.update_leads(store.get_many([first, new]))  # both need attention now
    qtmodeltester.check(model)


# --- rows and cells -------------------------------------------------------------------------


@pytest.mark.parametrize("choice", list(Filter))
def test_row_count_is_what_the_query_matches(
    store: Store, model: HistoryModel, choice: Filter
) -> None:
    populate(store, mixed_states(120))
    for search in ("", "smith4", "801312001"):
        query = Query(filter=choice, search=search)
        model.set_query(query)
        assert model.rowCount() == len(lead_ids(store, query))
        assert shown_ids(model) == list(lead_ids(store, query))
        assert model.query == query


def test_header_labels(model: HistoryModel) -> None:
    labels = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(COLUMNS))]
    assert labels == ["Time", "State", "First error", "Name", "Phone", "Customer ID", "Destination"]


def test_cells_of_an_accepted_lead(store: Store, model: HistoryModel) -> None:
    (lead_id,) = populate(store, [State.ACCEPTED], leads=[make_lead(7, lname="Smith")])
    model.reload()
    created = store.get(lead_id)
    assert created is not None
    assert cell(model, 0, Column.TIME) == datetime.fromtimestamp(created.created_at).strftime(
        "%H:%M"
    )
    assert cell(model, 0, Column.NAME) == "Ann Smith"
    assert cell(model, 0, Column.PHONE) == "(801) 312-0007"
    assert cell(model, 0, Column.STATE) == "Accepted"
    assert cell(model, 0, Column.CUSTOMER) == str(5000 + lead_id)
    assert cell(model, 0, Column.ERROR) == ""
    assert cell(model, 0, Column.DESTINATION) == "127.0.0.1"
    for name in COLUMNS:
        assert cell(model, 0, name, LEAD_ID_ROLE) == lead_id
        assert cell(model, 0, name, STATE_ROLE) == "accepted"


def test_tooltips_give_the_full_time_destination_and_error(
    store: Store, model: HistoryModel
) -> None:
    (lead_id,) = populate(store, [State.REJECTED])
    model.reload()
    created = store.get(lead_id)
    assert created is not None
    tooltip = Qt.ItemDataRole.ToolTipRole
    full_time = datetime.fromtimestamp(created.created_at).strftime("%Y-%m-%d %H:%M:%S")
    assert cell(model, 0, Column.TIME, tooltip) == full_time
    assert cell(model, 0, Column.DESTINATION, tooltip) == URL
    assert cell(model, 0, Column.ERROR, tooltip) == REJECTED_ERROR
    assert cell(model, 0, Column.ERROR) == REJECTED_ERROR
    assert cell(model, 0, Column.NAME, tooltip) is None


def test_an_older_lead_shows_its_date(store: Store, model: HistoryModel) -> None:
    populate(store, [State.ACCEPTED], now=time.time() - 40 * 86400)
    model.reload()
    created = datetime.fromtimestamp(time.time() - 40 * 86400)
    assert cell(model, 0, Column.TIME).startswith(created.strftime("%b %d"))


def test_every_state_has_a_word_and_its_own_icon_and_failures_a_colour(
    store: Store, model: HistoryModel
) -> None:
    states = [State.ACCEPTED, State.REJECTED, State.FAILED, State.UNCONFIRMED, State.QUEUED]
    populate(store, states)
    model.reload()
    by_state = {State(cell(model, row, Column.STATE, STATE_ROLE)): row for row in range(5)}
    icons: dict[State, int] = {}
    for state, row in by_state.items():
        icon = cell(model, row, Column.STATE, Qt.ItemDataRole.DecorationRole)
        assert isinstance(icon, QIcon) and not icon.isNull(), state
        icons[state] = icon.cacheKey()
        assert cell(model, row, Column.STATE) == state.value.capitalize()
        # Only the state column is decorated.
        assert cell(model, row, Column.NAME, Qt.ItemDataRole.DecorationRole) is None
    assert len(set(icons.values())) == len(states)  # not colour alone

    def colour(state: State) -> QColor | None:
        brush = cell(model, by_state[state], Column.STATE, Qt.ItemDataRole.ForegroundRole)
        return brush.color() if isinstance(brush, QBrush) else None

    red = QColor(STATE_LOOKS[State.REJECTED].light)
    assert colour(State.REJECTED) == red and colour(State.FAILED) == red
    assert colour(State.UNCONFIRMED) not in (None, red)
    assert colour(State.ACCEPTED) not in (None, red)
    assert colour(State.QUEUED) is None


def test_every_state_names_an_icon_the_window_has() -> None:
    for state in State:
        assert STATE_LOOKS[state].icon in STATE_ICONS, state


@pytest.fixture
def dark_window(qtbot: QtBot) -> Iterator[None]:
    """The application's palette with a dark window, as a dark desktop theme gives it."""
    before = QGuiApplication.palette()
    dark = QPalette(before)
    dark.setColor(QPalette.ColorRole.Window, QColor("#353535"))
    dark.setColor(QPalette.ColorRole.WindowText, QColor("#ffffff"))
    # The rows the state is drawn on: their colours, not the window's, choose the state's.
    dark.setColor(QPalette.ColorRole.Base, QColor("#2a2a2a"))
    dark.setColor(QPalette.ColorRole.AlternateBase, QColor("#424242"))
    dark.setColor(QPalette.ColorRole.Text, QColor("#ffffff"))
    QApplication.setPalette(dark)
    yield
    QApplication.setPalette(before)


def test_on_a_dark_window_the_states_take_their_dark_colours(
    store: Store, model: HistoryModel, dark_window: None
) -> None:
    states = [State.ACCEPTED, State.REJECTED, State.FAILED, State.UNCONFIRMED, State.QUEUED]
    populate(store, states)
    model.reload()
    for row in range(len(states)):
        state = State(cell(model, row, Column.STATE, STATE_ROLE))
        brush = cell(model, row, Column.STATE, Qt.ItemDataRole.ForegroundRole)
        colour = STATE_LOOKS[state].dark
        if colour is None:
            assert brush is None, state
        else:
            assert isinstance(brush, QBrush) and brush.color() == QColor(colour), state
            assert colour != STATE_LOOKS[state].light


def test_data_outside_the_table_is_none(store: Store, model: HistoryModel) -> None:
    populate(store, [State.ACCEPTED])
    model.reload()
    assert model.data(QModelIndex()) is None
    assert model.rowCount(model.index(0, 0)) == 0
    assert model.flags(QModelIndex()) == Qt.ItemFlag.NoItemFlags
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsSelectable


# --- sorting -----------------------------------------------------------------------------


def test_sort_changes_the_order_and_the_query(
    qtbot: QtBot, store: Store, model: HistoryModel
) -> None:
    people = ["Young", "Adams", "Moss", "Baker", "Cole"]
    populate(
        store,
        [State.ACCEPTED] * 5,
        leads=[make_lead(i, lname=name) for i, name in enumerate(people)],
    )
    model.reload()
    assert cell(model, 0, Column.NAME) == "Ann Cole"  # newest first
    with qtbot.waitSignal(model.modelReset):
        model.sort(column(Column.NAME), Qt.SortOrder.AscendingOrder)
    assert [cell(model, row, Column.NAME) for row in range(5)] == [
        f"Ann {name}" for name in sorted(people)
    ]
    assert model.query.sort is Column.NAME and not model.query.descending
    model.sort(column(Column.NAME), Qt.SortOrder.DescendingOrder)
    assert [cell(model, row, Column.NAME) for row in range(5)] == [
        f"Ann {name}" for name in sorted(people, reverse=True)
    ]
    model.sort(column(Column.TIME), Qt.SortOrder.DescendingOrder)
    assert shown_ids(model) == sorted(shown_ids(model), reverse=True)


def test_sort_keeps_the_filter(store: Store, model: HistoryModel) -> None:
    populate(store, mixed_states(60))
    model.set_query(Query(filter=Filter.ATTENTION))
    model.sort(column(Column.PHONE), Qt.SortOrder.AscendingOrder)
    expected = Query(filter=Filter.ATTENTION, sort=Column.PHONE, descending=False)
    assert model.query == expected
    assert shown_ids(model) == list(lead_ids(store, expected))


# --- live updates -----------------------------------------------------------------------


def test_a_state_change_updates_its_row_in_place(
    qtbot: QtBot, store: Store, model: HistoryModel
) -> None:
    ids = store.add_many([(make_lead(i), URL) for i in range(5)])
    model.reload()
    target = ids[2]
    row = model.row_of(target)
    assert row is not None and cell(model, row, Column.STATE) == "Queued"
    answer(store, [(i, Outcome.REJECTED if i == target else Outcome.ACCEPTED) for i in ids])

    def is_the_row(first: QModelIndex, last: QModelIndex, *roles: Any) -> bool:
        return first.row() == row and last.row() == row

    with (
        qtbot.waitSignal(model.dataChanged, check_params_cb=is_the_row),
        qtbot.assertNotEmitted(model.modelReset),
        qtbot.assertNotEmitted(model.rowsInserted),
        qtbot.assertNotEmitted(model.rowsRemoved),
    ):
        model.update_leads(store.get_many([target]))
    assert model.rowCount() == 5
    assert model.row_of(target) == row
    assert cell(model, row, Column.STATE) == "Rejected"
    assert cell(model, row, Column.ERROR) == REJECTED_ERROR
    assert cell(model, row - 1, Column.STATE) == "Queued"  # not reported yet: as it was


def test_a_new_lead_goes_on_top_when_newest_first(
    qtbot: QtBot, store: Store, model: HistoryModel
) -> None:
    populate(store, mixed_states(30))
    model.reload()
    cell(model, 0, Column.NAME)  # rows read before the insert must not go stale
    (new,) = store.add_many([(make_lead(500, lname="Newest"), URL)])
    with (
        qtbot.waitSignal(model.rowsInserted, check_params_cb=lambda _p, a, b: (a, b) == (0, 0)),
        qtbot.assertNotEmitted(model.modelReset),
    ):
        model.update_leads(store.get_many([new]))
    assert model.rowCount() == 31
    assert model.lead_id(0) == new and cell(model, 0, Column.NAME) == "Ann Newest"
    assert shown_ids(model) == list(lead_ids(store, model.query))


def test_a_lead_that_leaves_the_filter_is_removed(
    qtbot: QtBot, store: Store, model: HistoryModel
) -> None:
    ids = populate(store, [State.REJECTED, State.FAILED, State.UNCONFIRMED, State.ACCEPTED])
    model.set_query(Query(filter=Filter.ATTENTION))
    assert shown_ids(model) == ids[2::-1]
    store.requeue(ids[1])
    with (
        qtbot.waitSignal(model.rowsRemoved, check_params_cb=lambda _p, a, b: (a, b) == (1, 1)),
        qtbot.assertNotEmitted(model.modelReset),
    ):
        model.update_leads(store.get_many([ids[1]]))
    assert shown_ids(model) == [ids[2], ids[0]]
    assert model.row_of(ids[1]) is None
    assert cell(model, 1, Column.STATE) == "Rejected"


def test_a_lead_that_enters_the_filter_takes_its_place_in_the_order(
    store: Store, model: HistoryModel
) -> None:
    """A queued lead that comes back rejected joins "Needs attention" where it belongs."""
    older, middle, newer = store.add_many([(make_lead(i), URL) for i in range(3)])
    answer(store, [(older, Outcome.REJECTED)])
    answer(store, [(middle, Outcome.NOT_SENT)])
    store.requeue(middle)
    answer(store, [(newer, Outcome.REJECTED)])
    model.set_query(Query(filter=Filter.ATTENTION))
    assert shown_ids(model) == [newer, older]
    answer(store, [(middle, Outcome.REJECTED)])
    model.update_leads(store.get_many([middle]))
    assert shown_ids(model) == list(lead_ids(store, model.query)) == [newer, middle, older]


def test_a_lead_that_already_left_is_not_inserted_again(store: Store, model: HistoryModel) -> None:
    ids = populate(store, [State.ACCEPTED, State.ACCEPTED])
    model.set_query(Query(filter=Filter.ACCEPTED))
    (queued,) = store.add_many([(make_lead(9), URL)])
    model.update_leads(store.get_many([queued]))  # queued: not for this view
    assert shown_ids(model) == ids[::-1]


# --- reading rows lazily ------------------------------------------------------------------


def test_rows_are_read_from_the_store_only_when_asked_for(
    store: Store, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    store.add_many([(make_lead(i), URL) for i in range(1000)])
    read: list[int] = []

    def counting_rows(store: Store, ids: Sequence[int]) -> dict[int, Row]:
        read.extend(ids)
        return rows(store, ids)

    # The model reads rows through leaddesk.app.history_access, which asks the query.
    monkeypatch.setattr("leaddesk.history.history_query.rows", counting_rows)
    model = HistoryModel(HistoryAccess(store))
    assert model.rowCount() == PAGE_ROWS < 1000
    assert read == []

    assert cell(model, 0, Column.NAME) == "Ann Smith999"
    assert len(model._blocks) == 1
    assert len(read) == BLOCK_ROWS < PAGE_ROWS
    assert sum(len(block) for block in model._blocks.values()) == BLOCK_ROWS

    cell(model, 1, Column.PHONE)
    cell(model, BLOCK_ROWS - 1, Column.STATE)
    assert len(read) == BLOCK_ROWS  # the same block, already read

    fetch_all(model)
    assert cell(model, 999, Column.NAME) == "Ann Smith0"
    assert len(model._blocks) == 2 and len(read) == 2 * BLOCK_ROWS


def test_only_a_few_blocks_stay_cached(store: Store, qtbot: QtBot) -> None:
    count = BLOCK_ROWS * (CACHED_BLOCKS + 1)
    store.add_many([(make_lead(i), URL) for i in range(count)])
    model = HistoryModel(HistoryAccess(store))
    fetch_all(model)
    assert model.rowCount() == count
    for row in range(0, count, BLOCK_ROWS):
        cell(model, row, Column.NAME)
    assert len(model._blocks) == CACHED_BLOCKS
    # An evicted block is read again when the view comes back to it.
    assert cell(model, 0, Column.NAME) == f"Ann Smith{count - 1}"


def test_rows_after_a_new_page_show_although_their_block_was_read_in_part(
    store: Store, qtbot: QtBot
) -> None:
    """A lead added on top pushes the first page one past a block's start; the view shows
    that one row, then scrolls on and loads the next page into the same block."""
    count = PAGE_ROWS + BLOCK_ROWS
    store.add_many([(make_lead(i), URL) for i in range(count)])
    model = HistoryModel(HistoryAccess(store))
    assert model.rowCount() == PAGE_ROWS
    (new,) = store.add_many([(make_lead(count), URL)])
    model.update_leads(store.get_many([new]))
    assert model.rowCount() == PAGE_ROWS + 1
    assert cell(model, PAGE_ROWS, Column.NAME) == f"Ann Smith{count - PAGE_ROWS}"
    model.fetchMore(QModelIndex())
    assert model.rowCount() == count + 1
    assert cell(model, PAGE_ROWS + 1, Column.NAME) == f"Ann Smith{count - PAGE_ROWS - 1}"


# --- loading ids a page at a time -----------------------------------------------------------

PAGE = SMALL_PAGE  # with the small_pages fixture


def test_ids_are_loaded_a_page_at_a_time(
    qtbot: QtBot, store: Store, small_pages: int, qtmodeltester: Any
) -> None:
    store.add_many([(make_lead(i), URL) for i in range(25)])
    model = HistoryModel(HistoryAccess(store))
    assert model.rowCount() == small_pages  # the first page at once: no empty first frame
    assert model.canFetchMore(QModelIndex())
    with qtbot.waitSignal(
        model.rowsInserted, check_params_cb=lambda _p, a, b: (a, b) == (PAGE, 2 * PAGE - 1)
    ):
        model.fetchMore(QModelIndex())
    fetch_all(model)
    assert model.rowCount() == 25 and not model.canFetchMore(QModelIndex())
    assert shown_ids(model) == list(lead_ids(store, model.query))
    qtmodeltester.check(model)


@pytest.mark.parametrize("sort", [Column.TIME, Column.NAME, Column.PHONE])
def test_pages_follow_every_sort(store: Store, small_pages: int, sort: Column) -> None:
    populate(store, mixed_states(35))
    model = HistoryModel(HistoryAccess(store))
    for descending in (False, True):
        model.sort(column(sort), Qt.SortOrder(int(descending)))
        fetch_all(model)
        assert shown_ids(model) == list(lead_ids(store, model.query))


def test_a_new_lead_on_top_is_neither_repeated_nor_skipped_by_later_pages(
    store: Store, small_pages: int
) -> None:
    store.add_many([(make_lead(i), URL) for i in range(25)])
    model = HistoryModel(HistoryAccess(store))
    (new,) = store.add_many([(make_lead(99), URL)])
    model.update_leads(store.get_many([new]))
    assert model.lead_id(0) == new
    fetch_all(model)
    assert shown_ids(model) == list(lead_ids(store, model.query))


def test_a_lead_belonging_to_a_page_not_loaded_yet_comes_with_that_page(
    store: Store, small_pages: int
) -> None:
    store.add_many([(make_lead(i), URL) for i in range(25)])
    model = HistoryModel(HistoryAccess(store))
    model.sort(column(Column.TIME), Qt.SortOrder.AscendingOrder)  # oldest first
    (new,) = store.add_many([(make_lead(99), URL)])
    model.update_leads(store.get_many([new]))  # it belongs at the very end
    assert model.row_of(new) is None
    fetch_all(model)
    assert shown_ids(model) == list(lead_ids(store, model.query))
    assert shown_ids(model)[-1] == new


@pytest.mark.parametrize("sort", [Column.CUSTOMER, Column.STATE, Column.ERROR])
def test_a_lead_whose_sort_key_changes_is_not_shown_twice(
    store: Store, small_pages: int, sort: Column
) -> None:
    """Sorted by a column the send loop changes, a lead of a loaded page that moves past
    the page's end must not come again with a later page."""
    ids = store.add_many([(make_lead(i), URL) for i in range(3 * PAGE)])
    model = HistoryModel(HistoryAccess(store))
    model.sort(column(sort), Qt.SortOrder.AscendingOrder)
    loaded = [model.lead_id(row) for row in range(model.rowCount())]
    assert len(loaded) == PAGE
    moved = loaded[2]
    answer(store, [(i, Outcome.ACCEPTED if i == moved else Outcome.REJECTED) for i in ids])
    model.update_leads(store.get_many(ids))
    fetch_all(model)
    shown = shown_ids(model)
    repeated = sorted({i for i in shown if shown.count(i) > 1})
    assert repeated == []
    assert sorted(shown) == sorted(ids)


def test_a_lead_whose_sort_key_changes_moves_as_one_row(
    qtbot: QtBot, store: Store, small_pages: int, qtmodeltester: Any
) -> None:
    """A move, not a removal and an insertion: the view keeps the row selected and current
    (a resent lead, sorted by State, stays the one the agent is looking at)."""
    ids = store.add_many([(make_lead(i), URL) for i in range(2 * PAGE)])
    answer(store, [(i, Outcome.REJECTED if i in ids[:5] else Outcome.ACCEPTED) for i in ids])
    model = HistoryModel(HistoryAccess(store))
    model.sort(column(Column.STATE), Qt.SortOrder.AscendingOrder)  # accepted, then rejected
    fetch_all(model)
    qtmodeltester.check(model)
    moved = ids[2]  # the third rejected lead
    assert model.row_of(moved) == 2 * PAGE - 3
    store.requeue(moved)  # "queued" sorts between them: before the first rejected one
    followed = QPersistentModelIndex(model.index(2 * PAGE - 3, 0))
    with (
        qtbot.waitSignal(model.rowsMoved, timeout=1000),
        qtbot.assertNotEmitted(model.rowsRemoved),
        qtbot.assertNotEmitted(model.rowsInserted),
    ):
        model.update_leads(store.get_many([moved]))
    assert model.row_of(moved) == 2 * PAGE - 5
    assert followed.row() == 2 * PAGE - 5  # what the view's selection holds on to
    assert cell(model, 2 * PAGE - 5, Column.STATE) == "Queued"
    fetch_all(model)
    assert shown_ids(model) == list(lead_ids(store, model.query))
    qtmodeltester.check(model)


def test_reveal_loads_the_pages_up_to_a_lead(store: Store, small_pages: int) -> None:
    ids = store.add_many([(make_lead(i), URL) for i in range(10 * PAGE)])
    answer(store, [(i, Outcome.REJECTED if i == ids[1] else Outcome.ACCEPTED) for i in ids])
    model = HistoryModel(HistoryAccess(store))
    assert model.row_of(ids[3]) is None  # newest first: the fourth oldest is far down
    row = model.reveal(ids[3])
    assert row is not None and model.lead_id(row) == ids[3]
    assert shown_ids(model) == list(lead_ids(store, model.query))[: model.rowCount()]
    model.set_query(Query(filter=Filter.ACCEPTED))
    assert model.reveal(ids[1]) is None  # rejected: the view leaves it out
