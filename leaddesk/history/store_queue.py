"""The outbox's queue as people steer it: a destination held after it refused a lead,
leads moved to another destination or tried again now. SQL run inside the store's write
transactions."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.history.duplicate_guard import lead_columns


@dataclass(frozen=True)
class Hold:
    """A destination that refused a lead unprocessed: its queued leads wait for a fix."""

    destination: str  # the URL
    reason: str
    since: float
    waiting: int  # queued leads held back


def hold(db: sqlite3.Connection, destination: str, reason: str, now: float) -> None:
    """Hold a destination's queue; a second refusal keeps the first one's time, so that
    the leads failed since the first are the ones a fix sends again."""
    db.execute("INSERT OR IGNORE INTO holds VALUES (?, ?, ?)", (destination, reason, now))


def release(db: sqlite3.Connection, destinations: Iterable[str]) -> None:
    db.executemany("DELETE FROM holds WHERE destination = ?", [(url,) for url in destinations])


def holds(db: sqlite3.Connection) -> list[Hold]:
    rows = db.execute(
        "SELECT h.destination, h.reason, h.since, (SELECT COUNT(*) FROM leads l"
        " WHERE l.state = 'queued' AND l.destination = h.destination) FROM holds h"
        " ORDER BY h.since"
    ).fetchall()
    return [Hold(*row) for row in rows]


def held(db: sqlite3.Connection, ids: Iterable[int]) -> set[int]:
    """Which of these leads are queued for a held destination."""
    wanted = list(ids)
    found: set[int] = set()
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in db.execute(
                f"SELECT id FROM leads WHERE id IN ({marks}) AND state = 'queued'"
                " AND destination IN (SELECT destination FROM holds)",
                chunk,
            )
        )
    return found


def stuck_at(
    db: sqlite3.Connection, destination: str, destination_name: str | None = None
) -> list[int]:
    """The leads that wait for this destination's fix: queued for it, and failed there
    since it was held (they were refused unprocessed: certainly not with the dealer).
    Only those of the configured destination of that name, when given: two destinations
    can share one dealer URL, and a fix of one is not a fix of the other."""
    row = db.execute("SELECT since FROM holds WHERE destination = ?", (destination,)).fetchone()
    since = float("inf") if row is None else row[0]
    named = "" if destination_name is None else " AND destination_name = ?"
    params = (destination, since) + (() if destination_name is None else (destination_name,))
    return [
        found[0]
        for found in db.execute(
            "SELECT id FROM leads WHERE destination = ? AND (state = 'queued'"
            f" OR (state = 'failed' AND updated_at >= ?)){named} ORDER BY id",
            params,
        )
    ]


def requeue_row(
    db: sqlite3.Connection,
    stored: StoredLead,
    destination: str,
    now: float,
    fields: Mapping[str, str] | None,
    destination_name: str | None,
) -> None:
    """Queue a stored lead again, due now, at this destination (with the lead fields it
    sets, and its name; None keeps the lead's own)."""
    lead = stored.lead.replace(**fields) if fields else stored.lead
    columns = lead_columns(lead) | {
        "state": State.QUEUED.value,
        "tries": 0,
        "due_at": now,
        "updated_at": now,
        "destination": destination,
        "destination_name": (
            stored.destination_name if destination_name is None else destination_name
        ),
    }
    assignments = ", ".join(f"{name} = ?" for name in columns)
    db.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*columns.values(), stored.id))
