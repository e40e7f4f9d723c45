"""Queueing new leads: the rows they become, and the duplicate guard, asked inside the
transaction that inserts them (Store.queue_unless_duplicate).

Asked apart from the insert, the guard lets two processes that queue the same lead at once
(two sends of one file, the window and a send) both find nothing and both queue it.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from decimal import Decimal

from leaddesk.domain.lead import Lead
from leaddesk.domain.name_key import name_key
from leaddesk.domain.states import State


@dataclass(frozen=True)
class Queued:
    """The lead was queued as this new lead."""

    lead_id: int


@dataclass(frozen=True)
class DuplicateOf:
    """Not queued: likely the same lead as this recent one of the history (as it stands
    in the same transaction, so a lead another process just queued counts)."""

    lead_id: int
    state: State


@dataclass(frozen=True)
class SameAsItem:
    """Not queued: same phone and last name as an earlier item (by index) of the batch."""

    index: int


Verdict = Queued | DuplicateOf | SameAsItem


def recent_duplicate(
    db: sqlite3.Connection,
    lead: Lead,
    within_days: int,
    now: float,
    approved: Collection[int] = (),
) -> DuplicateOf | None:
    """The newest lead of the last `within_days` days with the same phone1 and last name
    that was not rejected, leaving out the `approved` ones."""
    if within_days <= 0:
        return None
    # The names are compared here, not by their stored keys: an older LeadDesk still open
    # while this one updated the file keys the leads it adds the old way. Leads of one phone
    # number are few.
    found = db.execute(
        "SELECT id, lname, state FROM leads WHERE phone1 = ? AND state != 'rejected'"
        " AND created_at >= ? ORDER BY id DESC",
        (lead.phone1, now - within_days * 86400),
    ).fetchall()
    key = name_key(lead.lname)
    return next(
        (
            DuplicateOf(int(lead_id), State(state))
            for lead_id, lname, state in found
            if name_key(lname) == key and lead_id not in approved
        ),
        None,
    )


def judge_batch(
    db: sqlite3.Connection,
    leads: Sequence[Lead],
    within_days: int,
    now: float,
    approved: Collection[int] = (),
) -> list[DuplicateOf | SameAsItem | None]:
    """Per lead, why it should not be queued, or None. Each is compared with the history
    as it was before the batch, then with the batch's earlier leads that go ahead."""
    verdicts: list[DuplicateOf | SameAsItem | None] = []
    first: dict[tuple[str, str], int] = {}
    for index, lead in enumerate(leads):
        key = (lead.phone1, name_key(lead.lname))
        verdict: DuplicateOf | SameAsItem | None = recent_duplicate(
            db, lead, within_days, now, approved
        )
        if verdict is None and within_days > 0 and key in first:
            verdict = SameAsItem(first[key])
        if verdict is None:
            first.setdefault(key, index)
        verdicts.append(verdict)
    return verdicts


def insert_queued(
    db: sqlite3.Connection, items: Sequence[tuple[Lead, str]], now: float, destination_name: str
) -> list[int]:
    """Insert leads as queued for the URL each goes to; their ids. The caller's
    transaction makes it all or nothing."""
    ids = []
    for lead, destination in items:
        lead = lead.with_unique_id()
        columns = lead_columns(lead) | {
            "created_at": now,
            "updated_at": now,
            "state": State.QUEUED.value,
            "destination": destination,
            "destination_name": destination_name,
            "due_at": now,
        }
        names = ", ".join(columns)
        marks = ", ".join("?" * len(columns))
        cursor = db.execute(
            f"INSERT INTO leads ({names}) VALUES ({marks})", tuple(columns.values())
        )
        ids.append(rowid(cursor))
    return ids


def lead_columns(lead: Lead) -> dict[str, str | int]:
    """The lead and the columns derived from it for searching, the duplicate guard and
    the history's totals."""
    return {
        "fields": json.dumps(lead.values(), ensure_ascii=False),
        "unique_id": lead.lead_company_unique_id,
        "fname": lead.fname,
        "lname": lead.lname,
        "phone1": lead.phone1,
        "email": lead.email,
        "lname_key": name_key(lead.lname),
        "price_cents": _cents(lead.lead_purchase_price),
    }


def _cents(price: str) -> int:
    """The model sends prices as XX.YY; blank is no price."""
    return int(Decimal(price) * 100) if price else 0


def rowid(cursor: sqlite3.Cursor) -> int:
    assert cursor.lastrowid is not None
    return cursor.lastrowid
