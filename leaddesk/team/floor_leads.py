"""The floor's leads: what a desk pushes (every lead of its own history, upserted so that
pushing twice changes nothing), the floor's view of them, and the duplicate question.

Each function takes a connection in a transaction (Floor.connection); row-level security
decides which rows it sees (leaddesk.team.schema).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from psycopg.types.json import Jsonb

from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.domain.lead import Lead
from leaddesk.domain.name_key import name_key
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.team.floor import Connection


@dataclass(frozen=True)
class FloorLead:
    """A lead as the floor has it: the desk's record, and where it came from."""

    floor_id: int
    desk: str
    agent: str
    stored: StoredLead  # stored.id is its id at its own desk


@dataclass(frozen=True)
class FloorMatch:
    """A recent lead of another desk with the same phone and last name (no names: an agent
    may not read another agent's leads)."""

    floor_id: int
    desk: str
    agent: str
    state: State


_UPSERT = """
INSERT INTO floor_leads (desk, local_id, unique_id, agent, created_at, updated_at, state,
    destination, destination_name, fields, fname, lname, lname_key, phone1, email,
    customer_id, errors, tries, attempts)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (desk, unique_id) DO UPDATE SET
    local_id = EXCLUDED.local_id, agent = EXCLUDED.agent, updated_at = EXCLUDED.updated_at,
    seen_at = now(), state = EXCLUDED.state, destination = EXCLUDED.destination,
    destination_name = EXCLUDED.destination_name, fields = EXCLUDED.fields,
    fname = EXCLUDED.fname, lname = EXCLUDED.lname, lname_key = EXCLUDED.lname_key,
    phone1 = EXCLUDED.phone1, email = EXCLUDED.email, customer_id = EXCLUDED.customer_id,
    errors = EXCLUDED.errors, tries = EXCLUDED.tries, attempts = EXCLUDED.attempts
WHERE floor_leads.updated_at < EXCLUDED.updated_at AND floor_leads.result_taken
"""


def push(db: Connection, desk: str, agent: str, leads: Sequence[StoredLead]) -> int:
    """Put these leads of the desk's history on the floor, or their newer state; how many
    were new or changed there. A lead the floor already has as it is, or with a result of
    a resend elsewhere this desk has yet to take in (newer than what the desk has), is
    left as it is."""
    with db.cursor() as cursor:
        cursor.executemany(_UPSERT, [_row(desk, agent, stored) for stored in leads])
        return max(0, cursor.rowcount)


def _row(desk: str, agent: str, stored: StoredLead) -> tuple[object, ...]:
    lead = stored.lead
    return (
        desk,
        stored.id,
        lead.lead_company_unique_id,
        agent,
        stored.created_at,
        stored.updated_at,
        stored.state.value,
        stored.destination,
        stored.destination_name,
        Jsonb(lead.values()),
        lead.fname,
        lead.lname,
        name_key(lead.lname),
        lead.phone1,
        lead.email,
        stored.customer_id,
        Jsonb(list(stored.errors)),
        stored.tries,
        stored.attempts,
    )


def pushed_until(db: Connection, desk: str) -> float:
    """The desk's newest change the floor has (the desk's clock); 0 when it has none."""
    row = db.execute("SELECT max(updated_at) FROM floor_leads WHERE desk = %s", (desk,)).fetchone()
    return float(row[0]) if row and row[0] is not None else 0.0


SELECTED = """id, desk, agent, local_id, created_at, updated_at, state, destination,
    destination_name, fields, customer_id, errors, tries, attempts"""


# What the floor's view sorts by, and how; the row's id breaks ties, so that pages read
# one after another neither skip nor repeat a lead.
FLOOR_SORTS: dict[str, tuple[str, ...]] = {
    "time": ("created_at",),
    "state": ("state",),
    "error": ("errors->>0",),
    "agent": ("agent",),
    "name": ("lname_key", "fname"),
    "phone": ("phone1",),
    "desk": ("desk",),
    "customer": ("length(customer_id)", "customer_id"),  # 9999 before 10000
}


def history(
    db: Connection,
    state: State | None = None,
    agent: str | None = None,
    search: str = "",
    limit: int | None = None,
    offset: int = 0,
    sort: str = "time",
    descending: bool = True,
) -> list[FloorLead]:
    """The floor's leads (every desk's for a supervisor, one's own for an agent), of one
    state, one agent, holding a text in a name, phone, email or customer ID; sorted by
    one of FLOOR_SORTS, newest first by default."""
    clauses: list[str] = []
    params: list[object] = []
    if state is not None:
        clauses.append("state = %s")
        params.append(state.value)
    if agent:
        clauses.append("agent = %s")
        params.append(agent)
    if search:
        clauses.append(
            "(fname || ' ' || lname || ' ' || phone1 || ' ' || email || ' ' || customer_id)"
            " ILIKE %s"
        )
        params.append(
            "%" + search.replace("\\", "\\\\").replace("%", r"\%").replace("_", r"\_") + "%"
        )
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    way = "DESC" if descending else "ASC"
    order = ", ".join(f"{key} {way}" for key in (*FLOOR_SORTS[sort], "id"))
    sql = f"SELECT {SELECTED} FROM floor_leads {where} ORDER BY {order}"
    if limit is not None:
        sql += " LIMIT %s OFFSET %s"
        params += [limit, offset]
    return [floor_lead(row) for row in db.execute(sql, params).fetchall()]


def get(db: Connection, floor_id: int) -> FloorLead | None:
    """One of the floor's leads, if this login may see it."""
    row = db.execute(f"SELECT {SELECTED} FROM floor_leads WHERE id = %s", (floor_id,)).fetchone()
    return None if row is None else floor_lead(row)


def count(db: Connection) -> int:
    row = db.execute("SELECT count(*) FROM floor_leads").fetchone()
    return int(row[0]) if row else 0


def floor_lead(row: Sequence[Any]) -> FloorLead:
    """A row of SELECTED as a FloorLead."""
    values = row[9] if isinstance(row[9], dict) else json.loads(row[9])
    lead = Lead.trusted({name: str(values.get(name, "")) for name in FIELD_NAMES})
    stored = StoredLead(
        id=int(row[3]),
        created_at=float(row[4]),
        updated_at=float(row[5]),
        state=State(row[6]),
        destination=row[7],
        lead=lead,
        customer_id=row[10],
        errors=tuple(row[11]),
        tries=int(row[12]),
        due_at=None,
        attempts=int(row[13]),
        destination_name=row[8],
    )
    return FloorLead(int(row[0]), row[1], row[2], stored)


def duplicates(
    db: Connection, desk: str, leads: Sequence[Lead], within_days: int, now: float
) -> list[FloorMatch | None]:
    """Per lead, a recent lead of another desk with its phone and last name (not
    rejected), or None. One round trip for the whole batch."""
    if within_days <= 0 or not leads:
        return [None] * len(leads)
    rows = db.execute(
        "SELECT q.position, d.floor_id, d.desk, d.agent, d.state"
        " FROM unnest(%s::text[], %s::text[]) WITH ORDINALITY AS q(phone, key, position)"
        " CROSS JOIN LATERAL floor_duplicate(q.phone, q.key, %s, %s) AS d",
        (
            [lead.phone1 for lead in leads],
            [name_key(lead.lname) for lead in leads],
            now - within_days * 86400,
            desk,
        ),
    ).fetchall()
    found: list[FloorMatch | None] = [None] * len(leads)
    for position, floor_id, other_desk, agent, state in rows:
        found[int(position) - 1] = FloorMatch(int(floor_id), other_desk, agent, State(state))
    return found
