"""A sender that died mid-post: who left leads in sending, and those leads made
unconfirmed, since they may have arrived (Store.claim_owners, Store.mark_orphans_unconfirmed)."""

from __future__ import annotations

import json
import sqlite3

from leaddesk.domain.stored import IN_FLIGHT

ORPHAN_REASON = "LeadDesk stopped while sending this lead; it may have arrived."


def claim_owners(db: sqlite3.Connection) -> set[str]:
    """The owners of leads left in sending."""
    rows = db.execute("SELECT DISTINCT claimed_by FROM leads WHERE state = 'sending'").fetchall()
    return {row[0] for row in rows if row[0]}


def mark_orphans_unconfirmed(db: sqlite3.Connection, owner: str, now: float) -> list[int]:
    """The leads `owner` left in sending, made unconfirmed with their attempts in flight:
    never resent silently. Their ids. Run inside a write transaction."""
    ids = [
        row[0]
        for row in db.execute(
            "SELECT id FROM leads WHERE state = 'sending' AND claimed_by = ?", (owner,)
        )
    ]
    db.execute(
        "UPDATE leads SET state = 'unconfirmed', errors = ?, claimed_by = NULL,"
        " claimed_at = NULL, updated_at = ? WHERE state = 'sending' AND claimed_by = ?",
        (json.dumps([ORPHAN_REASON]), now, owner),
    )
    db.executemany(
        "UPDATE attempts SET outcome = 'unconfirmed', errors = ? WHERE lead_id = ? AND outcome = ?",
        [(json.dumps([ORPHAN_REASON]), lead_id, IN_FLIGHT) for lead_id in ids],
    )
    return ids
