"""The history pane of a real window, for tests: leads stored before it opens, its rows,
filter buttons, selection, summary strip and search."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from PySide6.QtCore import (
    QItemSelectionModel,
    QPoint,
)
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from leaddesk.domain.errors import StoreError
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.gui.history.model import LEAD_ID_ROLE
from leaddesk.gui.history.pane import HistoryPane
from leaddesk.gui.history.summary_strip import COUNTING
from leaddesk.history import history_query
from leaddesk.history.history_query import (
    Filter,
    lead_page,
)
from leaddesk.history.store import Store
from tests.support.gui_helpers import (
    Bench,
    Rig,
    activate,
    type_text,
)
from tests.support.history_data import URL, populate


def stored_before_opening(
    bench: Bench,
    states: Sequence[State],
    leads: Sequence[Lead] | None = None,
    destination: str = URL,
) -> list[int]:
    """Leads in these states in the history the next window opens (queued ones due later)."""
    with Store(bench.paths.database()) as store:
        return populate(store, states, leads=leads, destination=destination)


def pane_of(rig: Rig) -> HistoryPane:
    return rig.window.history


def filter_button(rig: Rig, choice: Filter) -> QToolButton:
    button = rig.window.findChild(QToolButton, f"filter_{choice.value}")
    assert isinstance(button, QToolButton), choice
    return button


def select_rows(pane: HistoryPane, ids: Sequence[int]) -> None:
    selection = pane.table.selectionModel()
    flag = QItemSelectionModel.SelectionFlag
    selection.clearSelection()
    for lead_id in ids:
        row = pane.model.row_of(lead_id)
        assert row is not None, lead_id
        selection.select(pane.model.index(row, 0), flag.Select | flag.Rows)


def top_visible_lead(pane: HistoryPane) -> int:
    index = pane.table.indexAt(QPoint(2, 2))
    assert index.isValid()
    return int(pane.model.data(index, LEAD_ID_ROLE))


def counted(qtbot: QtBot, pane: HistoryPane) -> str:
    """The summary strip once both of its figures are counted (in the background)."""
    qtbot.waitUntil(lambda: COUNTING not in pane.summary.text(), timeout=8000)
    return pane.summary.text()


MIXED = (
    State.ACCEPTED,
    State.REJECTED,
    State.QUEUED,
    State.FAILED,
    State.UNCONFIRMED,
    State.ACCEPTED,
    State.QUEUED,
    State.REJECTED,
)


def history_fails_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The next page the history model reads fails as a disk error would."""
    failures = [StoreError("Cannot use the history database: the disk reported an error.")]

    def failing_once(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return lead_page(*args, **kwargs)

    # The window reads its pages through leaddesk.app.history_access, which asks the query.
    monkeypatch.setattr(history_query, "lead_page", failing_once)


def searching(qtbot: QtBot, bench: Bench, text: str) -> tuple[list[int], Rig, HistoryPane]:
    """25 leads (Ann Smith0 … Ann Smith24), the window active, `text` typed in the search."""
    ids = stored_before_opening(bench, [State.ACCEPTED] * 25)
    rig = bench.open()
    pane = pane_of(rig)
    activate(qtbot, rig.window)
    type_text(qtbot, pane.search, text)
    return ids, rig, pane
