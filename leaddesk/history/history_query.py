"""What the history pane asks of the store: filtered, searched, sorted windows of leads,
and the totals shown above them. Qt-free, so it is tested and measured without a display.

A view holds only the ids of the leads it shows (8 bytes each, in an array) and asks for
the rows of the part on screen; 100,000 leads never sit in Python as objects.
"""

from __future__ import annotations

import json
import time
from array import array
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any, Protocol

from leaddesk.domain.states import NEEDS_ATTENTION, PENDING, State
from leaddesk.history.search import search_clause
from leaddesk.history.store import Store

# The store's own translation of disk and lock problems into StoreError, so that a reader
# with its own connection says the same things as the Store does.
from leaddesk.history.store_file import connect_read_only, environment_errors


class Filter(StrEnum):
    ALL = "all"
    ATTENTION = "attention"  # rejected, failed or unconfirmed
    QUEUED = "queued"  # queued or sending: not yet answered
    ACCEPTED = "accepted"

    @property
    def label(self) -> str:
        return {
            Filter.ALL: "All",
            Filter.ATTENTION: "Needs attention",
            Filter.QUEUED: "Queued",
            Filter.ACCEPTED: "Accepted",
        }[self]

    def states(self) -> tuple[State, ...] | None:
        if self is Filter.ATTENTION:
            return tuple(sorted(NEEDS_ATTENTION))
        if self is Filter.QUEUED:
            return tuple(sorted(PENDING))
        if self is Filter.ACCEPTED:
            return (State.ACCEPTED,)
        return None


class Column(StrEnum):
    # The history's columns in the order they are shown, and read out: a screen reader
    # walks a table's cells in its model's order, whatever the header shows. The state
    # next to the time (what an agent scans the history for), and why a lead failed right
    # after it, in sight beside the form at 1280x720.
    TIME = "time"
    STATE = "state"
    ERROR = "error"
    NAME = "name"
    PHONE = "phone"
    CUSTOMER = "customer"
    DESTINATION = "destination"

    @property
    def label(self) -> str:
        return {
            Column.TIME: "Time",
            Column.NAME: "Name",
            Column.PHONE: "Phone",
            Column.DESTINATION: "Destination",
            Column.STATE: "State",
            Column.CUSTOMER: "Customer ID",
            Column.ERROR: "First error",
        }[self]


COLUMNS = tuple(Column)

# How each column sorts; ids break ties so that the order is stable.
_ORDER_BY: dict[Column, tuple[str, ...]] = {
    Column.TIME: (),
    Column.NAME: ("lname_key", "fname"),
    Column.PHONE: ("phone1",),
    Column.DESTINATION: ("destination_name", "destination"),
    Column.STATE: ("state",),
    Column.CUSTOMER: ("length(customer_id)", "customer_id"),  # 9999 before 10000
    Column.ERROR: ("errors",),
}


@dataclass(frozen=True)
class Query:
    filter: Filter = Filter.ALL
    search: str = ""
    sort: Column = Column.TIME
    descending: bool = True  # newest first

    def where(self) -> tuple[str, list[object]]:
        clauses: list[str] = []
        params: list[object] = []
        states = self.filter.states()
        if states is not None:
            clauses.append(f"state IN ({','.join('?' * len(states))})")
            params.extend(state.value for state in states)
        matching, search_params = search_clause(self.search)
        if matching:
            clauses.append(matching)
            params.extend(search_params)
        return (f"WHERE {' AND '.join(clauses)}" if clauses else ""), params


@dataclass(frozen=True)
class Row:
    """What a history table row shows of a lead."""

    id: int
    created_at: float
    fname: str
    lname: str
    phone1: str
    destination: str
    state: State
    customer_id: str
    first_error: str
    destination_name: str = ""
    tries: int = 0  # failed tries so far, and when the next is due: a queued lead's note
    due_at: float | None = None

    @property
    def name(self) -> str:
        return f"{self.fname} {self.lname}".strip()


@dataclass(frozen=True)
class Totals:
    sent: int  # leads in the range, whatever became of them
    accepted: int
    rejected: int
    needs_attention: int
    accepted_cents: int


def _ordering(query: Query) -> tuple[tuple[str, ...], str]:
    """The sort columns (ids last, so that the order is total) and the direction."""
    return (*_ORDER_BY[query.sort], "id"), ("DESC" if query.descending else "ASC")


def lead_ids(store: Store, query: Query) -> array[int]:
    """The ids of every lead the query matches, in its order (for exports)."""
    where, params = query.where()
    columns, direction = _ordering(query)
    order = ", ".join(f"{column} {direction}" for column in columns)
    # One JSON array rather than a Python tuple per row: half the time for 100,000 ids.
    ordered = f"SELECT id FROM leads {where} ORDER BY {order}"
    ((ids_json,),) = store.read(f"SELECT json_group_array(id) FROM ({ordered})", params)
    return array("q", json.loads(ids_json))


Cursor = tuple[object, ...]  # the sort key of the last lead of a page


def lead_page(
    store: Store, query: Query, after: Cursor | None, limit: int
) -> tuple[list[int], Cursor | None]:
    """The ids of the next `limit` leads the query matches after the cursor, and the cursor
    to ask for the page after them (None at the end).

    Pages follow the sort key, not a position: a lead added on top meanwhile neither
    repeats a lead nor skips one.
    """
    where, params = query.where()
    columns, direction = _ordering(query)
    if after is not None:
        keys = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        comparison = f"({keys}) {'<' if direction == 'DESC' else '>'} ({marks})"
        where = f"{where} AND {comparison}" if where else f"WHERE {comparison}"
        params = [*params, *after]
    order = ", ".join(f"{column} {direction}" for column in columns)
    found = store.read(
        f"SELECT {', '.join(columns)} FROM leads {where} ORDER BY {order} LIMIT ?",
        [*params, limit],
    )
    ids = [record[-1] for record in found]
    cursor = tuple(found[-1]) if len(found) == limit else None
    return ids, cursor


def sort_key(store: Store, query: Query, lead_id: int) -> Cursor | None:
    """A lead's place in the query's order, as a tuple that sorts ascending (compare with
    the query's direction in mind); None when the lead does not match the query."""
    where, params = query.where()
    columns, _ = _ordering(query)
    found = store.read(
        f"SELECT {', '.join(columns)} FROM leads {where + ' AND' if where else 'WHERE'} id = ?",
        [*params, lead_id],
    )
    return tuple(found[0]) if found else None


def rows(store: Store, ids: Sequence[int]) -> dict[int, Row]:
    """The rows of these leads, by id."""
    found: dict[int, Row] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        # The first error taken out by SQLite: no JSON decoded here for each row.
        for record in store.read(
            "SELECT id, created_at, fname, lname, phone1, destination, state, customer_id,"
            " COALESCE(json_extract(errors, '$[0]'), ''), destination_name, tries, due_at"
            " FROM leads"
            f" WHERE id IN ({marks})",
            chunk,
        ):
            (lead_id, created_at, fname, lname, phone1, destination, state, customer,
             first_error, destination_name, tries, due_at) = record  # fmt: skip
            found[lead_id] = Row(
                lead_id, created_at, fname, lname, phone1, destination, _STATES[state],
                customer, first_error, destination_name, tries, due_at,
            )  # fmt: skip
    return found


_STATES = {state.value: state for state in State}  # a dict look-up is 5x State(value)


class Reader(Protocol):
    """Anything that answers read-only SQL: the window's Store, or a ReadOnlyHistory."""

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]: ...


class ReadOnlyHistory:
    """A read-only connection of its own to a history file, for counting on another thread
    while the window's Store goes on (sqlite3 lets go of the GIL while SQLite steps, so the
    two run side by side). Open, use and close it on the one thread; interrupt() may be
    called from any thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with environment_errors(path):
            self._db = connect_read_only(path)

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        with environment_errors(self.path):
            return self._db.execute(sql, params).fetchall()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside see the history as it was at the first of them (one read
        transaction): figures counted together agree with each other."""
        with environment_errors(self.path):
            self._db.execute("BEGIN")
        try:
            yield
        finally:
            if self._db.in_transaction:
                with environment_errors(self.path):
                    self._db.execute("COMMIT")

    def interrupt(self) -> None:
        """Stop the statement running now (it raises sqlite3.OperationalError there)."""
        self._db.interrupt()

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> ReadOnlyHistory:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def totals(store: Reader, query: Query, since: float | None = None) -> Totals:
    """Counts and the accepted price total of the query's leads (created since `since`).

    Counted per state from the (state, price) index, then added up here for the filter.
    """
    clauses: list[str] = []
    params: list[object] = []
    matching, search_params = search_clause(query.search)
    if matching:
        clauses.append(matching)
        params.extend(search_params)
    if since is not None:
        clauses.append("created_at >= ?")
        params.append(since)
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    # For a time range, "+state" keeps SQLite from grouping along the state index (reading
    # every lead) instead of taking the range from the created_at index, several times faster.
    group = "+state" if since is not None else "state"
    per_state = {
        State(state): (count, int(cents))
        for state, count, cents in store.read(
            f"SELECT state, COUNT(*), TOTAL(price_cents) FROM leads {where} GROUP BY {group}",
            params,
        )
    }
    wanted = query.filter.states()
    if wanted is not None:
        per_state = {state: figures for state, figures in per_state.items() if state in wanted}

    def count(*states: State) -> int:
        return sum(per_state.get(state, (0, 0))[0] for state in states)

    return Totals(
        sent=sum(figures[0] for figures in per_state.values()),
        accepted=count(State.ACCEPTED),
        rejected=count(State.REJECTED),
        needs_attention=count(*NEEDS_ATTENTION),
        accepted_cents=per_state.get(State.ACCEPTED, (0, 0))[1],
    )


def attention_count(store: Reader) -> int:
    marks = ",".join("?" * len(NEEDS_ATTENTION))
    ((count,),) = store.read(
        f"SELECT COUNT(*) FROM leads WHERE state IN ({marks})",
        [state.value for state in NEEDS_ATTENTION],
    )
    return int(count)


@dataclass(frozen=True)
class Summary:
    """What the pane's summary strip shows: today's totals, the view's, and how many leads
    need attention (whatever the view)."""

    today: Totals
    view: Totals
    attention: int


def summary(history: ReadOnlyHistory, query: Query, since: float) -> Summary:
    """The strip's figures for a view with this query, today being from `since` on; all
    three from one snapshot of the history."""
    with history.snapshot():
        return Summary(
            today=totals(history, Query(), since=since),
            view=totals(history, query),
            attention=attention_count(history),
        )


def start_of_today(now: float | None = None) -> float:
    moment = datetime.fromtimestamp(time.time() if now is None else now)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def matches(query: Query, row: Row) -> bool:
    """Whether a lead whose row changed still belongs in a view with this query's filter.
    (The search is not re-checked: a row does not leave a search because its state moved.)"""
    states = query.filter.states()
    return states is None or row.state in states
