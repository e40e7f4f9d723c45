"""Reading the history's rows into records: stored leads and their attempts."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence

from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State
from leaddesk.domain.stored import IN_FLIGHT, Attempt, StoredLead


def fetch_one(db: sqlite3.Connection, lead_id: int) -> StoredLead:
    found = fetch(db, [lead_id])
    if not found:
        raise ValueError(f"There is no lead {lead_id} in the history.")
    return found[0]


def fetch(db: sqlite3.Connection, ids: Sequence[int]) -> list[StoredLead]:
    """The leads with these ids, in the order given."""
    found: dict[int, StoredLead] = {}
    for start in range(0, len(ids), 500):  # stay under SQLite's variable limit
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for row in db.execute(
            "SELECT l.id, l.created_at, l.updated_at, l.state, l.destination, l.fields,"
            " l.customer_id, l.errors, l.tries, l.due_at,"
            " (SELECT COUNT(*) FROM attempts a WHERE a.lead_id = l.id), l.destination_name"
            f" FROM leads l WHERE l.id IN ({marks})",
            chunk,
        ):
            found[row[0]] = StoredLead(
                id=row[0],
                created_at=row[1],
                updated_at=row[2],
                state=State(row[3]),
                destination=row[4],
                lead=_stored_lead(row[5]),
                customer_id=row[6],
                errors=tuple(json.loads(row[7])),
                tries=row[8],
                due_at=row[9],
                attempts=row[10],
                destination_name=row[11],
            )
    return [found[i] for i in ids if i in found]


def read_attempts(db: sqlite3.Connection, lead_id: int) -> list[Attempt]:
    """Every attempt to send this lead, oldest first, with the post it was part of."""
    rows = db.execute(
        "SELECT a.lead_id, p.started_at, p.destination, p.request, p.status, p.reply,"
        " p.elapsed, a.outcome, a.customer_id, a.errors, p.format FROM attempts a"
        " JOIN posts p ON p.id = a.post_id WHERE a.lead_id = ? ORDER BY a.id",
        (lead_id,),
    ).fetchall()
    return [
        Attempt(
            row[0],
            row[1],
            row[2],
            row[3],
            row[4],
            row[5],
            row[6],
            None if row[7] == IN_FLIGHT else Outcome(row[7]),
            row[8],
            tuple(json.loads(row[9])),
            row[10],
        )
        for row in rows
    ]


def _stored_lead(fields_json: str) -> Lead:
    """A lead as it was stored (and sent), without validating it again: rules may have
    tightened since, and a lead in the history must always load."""
    values = json.loads(fields_json)
    fields = {name: str(values.get(name, "")) for name in FIELD_NAMES}
    return Lead.trusted(fields)
