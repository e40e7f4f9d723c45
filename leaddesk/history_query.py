"""What the history pane asks of the store: filtered, searched, sorted windows of leads,
and the totals shown above them. Qt-free, so it is tested and measured without a display.

A view holds only the ids of the leads it shows (8 bytes each, in an array) and asks for
the rows of the part on screen; 100,000 leads never sit in Python as objects.
"""

from __future__ import annotations

import json
import time
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from leaddesk.search import search_clause
from leaddesk.store import NEEDS_ATTENTION, State, Store


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
            return (State.QUEUED, State.SENDING)
        if self is Filter.ACCEPTED:
            return (State.ACCEPTED,)
        return None


class Column(StrEnum):
    # The state next to the time: it is what an agent scans the history for.
    TIME = "time"
    STATE = "state"
    NAME = "name"
    PHONE = "phone"
    CUSTOMER = "customer"
    ERROR = "error"
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
_ORDER_BY = {
    Column.TIME: "id",
    Column.NAME: "lname_key, fname",
    Column.PHONE: "phone1",
    Column.DESTINATION: "destination",
    Column.STATE: "state",
    Column.CUSTOMER: "customer_id",
    Column.ERROR: "errors",
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


def lead_ids(store: Store, query: Query) -> array[int]:
    """The ids of every lead the query matches, in its order."""
    where, params = query.where()
    direction = "DESC" if query.descending else "ASC"
    order = ", ".join(f"{part} {direction}" for part in _ORDER_BY[query.sort].split(", "))
    sql = f"SELECT id FROM leads {where} ORDER BY {order}, id {direction}"
    return array("q", (row[0] for row in store.read(sql, params)))


def rows(store: Store, ids: Sequence[int]) -> dict[int, Row]:
    """The rows of these leads, by id."""
    found: dict[int, Row] = {}
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        marks = ",".join("?" * len(chunk))
        for record in store.read(
            "SELECT id, created_at, fname, lname, phone1, destination, state, customer_id,"
            f" errors FROM leads WHERE id IN ({marks})",
            chunk,
        ):
            lead_id, created_at, fname, lname, phone1, destination, state, customer, errors = record
            first_error = next(iter(json.loads(errors)), "")
            found[lead_id] = Row(
                lead_id, created_at, fname, lname, phone1, destination, State(state), customer,
                first_error,
            )  # fmt: skip
    return found


def totals(store: Store, query: Query, since: float | None = None) -> Totals:
    """Counts and the accepted price total of the query's leads (created since `since`)."""
    where, params = query.where()
    if since is not None:
        where = f"{where} AND created_at >= ?" if where else "WHERE created_at >= ?"
        params.append(since)
    attention = ",".join(f"'{state.value}'" for state in NEEDS_ATTENTION)
    ((sent, accepted, rejected, needs, cents),) = store.read(
        "SELECT COUNT(*),"
        " COALESCE(SUM(state = 'accepted'), 0),"
        " COALESCE(SUM(state = 'rejected'), 0),"
        f" COALESCE(SUM(state IN ({attention})), 0),"
        " COALESCE(SUM(CASE WHEN state = 'accepted' THEN price_cents END), 0)"
        f" FROM leads {where}",
        params,
    )
    return Totals(sent, accepted, rejected, needs, cents)


def attention_count(store: Store) -> int:
    marks = ",".join("?" * len(NEEDS_ATTENTION))
    ((count,),) = store.read(
        f"SELECT COUNT(*) FROM leads WHERE state IN ({marks})",
        [state.value for state in NEEDS_ATTENTION],
    )
    return int(count)


def start_of_today(now: float | None = None) -> float:
    moment = datetime.fromtimestamp(time.time() if now is None else now)
    return moment.replace(hour=0, minute=0, second=0, microsecond=0).timestamp()


def matches(query: Query, row: Row) -> bool:
    """Whether a lead whose row changed still belongs in a view with this query's filter.
    (The search is not re-checked: a row does not leave a search because its state moved.)"""
    states = query.filter.states()
    return states is None or row.state in states
