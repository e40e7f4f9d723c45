"""What the desk's own history needs for team mode: the leads changed since a time (to push
to the floor), and a result another desk got for one of its leads (resent for the floor),
taken into its history. Apart from store.py, which stays the store."""

from __future__ import annotations

import json
import time
from collections.abc import Sequence

from leaddesk.domain.states import NEEDS_ATTENTION, State
from leaddesk.domain.stored import StoredLead
from leaddesk.history.store import Store


def changed_since(
    store: Store, since: float, after_id: int = -1, limit: int = 500
) -> list[StoredLead]:
    """Leads changed at `since` (this desk's clock, after lead `after_id` among those of
    that very time) or later, oldest change first: a page, and the next page starts at its
    last lead's (updated_at, id)."""
    rows = store.read(CHANGED_SINCE, (since, after_id, limit))
    return store.get_many([row[0] for row in rows])


# A row value, so that SQLite searches the index leads_updated from `since` on instead of
# scanning it from the start (tests/history/test_floor_results.py reads the plan).
CHANGED_SINCE = (
    "SELECT id FROM leads WHERE (updated_at, id) > (?, ?) ORDER BY updated_at, id LIMIT ?"
)


def note_pushed(store: Store, desk: str, until: float) -> None:
    """The floor has this desk's changes up to `until` (this desk's clock)."""
    with store.transaction() as db:
        db.execute(
            "INSERT INTO floor_pushed (desk, until) VALUES (?, ?) ON CONFLICT (desk)"
            " DO UPDATE SET until = max(until, excluded.until)",
            (desk, until),
        )


# The sweep's own mark, a row of floor_pushed beside the desk's (no schema step): how far
# the floor is known to have every change of this desk, written after a page's commit. The
# floor's newest row of the desk cannot tell it: a push of a few new leads alone (Submit's,
# `send`'s under the household lock) puts rows on the floor newer than a backlog it has
# not been given yet.
SWEPT_SUFFIX = " (swept)"


def note_swept(store: Store, desk: str, until: float) -> None:
    """The floor has every change of this desk up to `until` (this desk's clock)."""
    note_pushed(store, desk + SWEPT_SUFFIX, until)


def swept_until(store: Store, desk: str) -> float:
    """How far the floor has every change of this desk, as far as this desk knows: its
    sweep's mark; else (pushed by a LeadDesk before this one) the newest change noted
    before a push; else 0 (never pushed from here: everything goes)."""
    rows = store.read(
        "SELECT desk, until FROM floor_pushed WHERE desk IN (?, ?)", (desk + SWEPT_SUFFIX, desk)
    )
    marks: dict[str, float] = {row[0]: float(row[1]) for row in rows}
    return marks.get(desk + SWEPT_SUFFIX, marks.get(desk, 0.0))


def never_pushed(store: Store, desk: str, ids: Sequence[int]) -> set[int]:
    """Of these leads, those created after the newest change the floor is known to have:
    no push can have taken them (pages go oldest change first), so no other desk knows
    them. None of them when no push is known here (pushed by a LeadDesk before this one)."""
    rows = store.read("SELECT until FROM floor_pushed WHERE desk = ?", (desk,))
    if not rows:
        return set()
    until = float(rows[0][0])
    return {lead.id for lead in store.get_many(list(ids)) if lead.created_at > until}


def take_result(
    store: Store,
    unique_id: str,
    state: State,
    customer_id: str,
    errors: Sequence[str],
    resent_by: str,
    now: float | None = None,
) -> int | None:
    """Another desk resent this lead and this is what came of it: the lead, if it still
    needs a person here (rejected, failed, unconfirmed), takes that state. Its id, or None
    when it had moved on here (or is not in this history)."""
    now = time.time() if now is None else now
    attention = sorted(state.value for state in NEEDS_ATTENTION)
    note = [*errors] if state is not State.ACCEPTED else []
    note.append(f"Resent for the floor by desk {resent_by}.")
    marks = ",".join("?" * len(attention))
    with store.transaction() as db:
        row = db.execute(
            f"SELECT id FROM leads WHERE unique_id = ? AND state IN ({marks})",
            (unique_id, *attention),
        ).fetchone()
        if row is None:
            return None
        db.execute(
            "UPDATE leads SET state = ?, customer_id = ?, errors = ?, tries = 0, due_at = NULL,"
            " updated_at = ? WHERE id = ?",
            (state.value, customer_id, json.dumps(note), now, row[0]),
        )
        return int(row[0])
