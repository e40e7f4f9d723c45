"""Resending the floor's leads: exactly one desk posts a lead at a time, however many
resend it at once.

A desk claims a lead (SELECT ... FOR UPDATE SKIP LOCKED: a row another desk is claiming is
passed over, not waited for) with a lease; it marks the claim "posting" before its post
leaves and writes the result back, releasing the claim. A desk that dies holding a claim
leaves it to the others once the lease lapses; if its post had started, the lead may have
arrived, so the next desk marks it unconfirmed instead of posting it again (a person can
force it, as with any unconfirmed lead).
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from psycopg.types.json import Jsonb

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.team.floor import Connection
from leaddesk.team.floor_leads import SELECTED, FloorLead, floor_lead

LAPSED_MID_POST = "Desk {desk} stopped while resending this lead; it may have arrived."

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FloorClaim:
    """A lead this desk may now post; `lapsed_mid_post`: the desk that held it before
    died after its post had started."""

    lead: FloorLead
    lapsed_mid_post: str | None  # that desk


def claim_next(
    db: Connection,
    desk: str,
    lease_seconds: float,
    ids: Collection[int] = (),
    failed: bool = False,
    force: bool = False,
    done: Collection[int] = (),
) -> FloorClaim | None:
    """Claim one lead of these ids (or any failed one), resendable and claimed by no desk
    (or by one whose lease lapsed), leaving out `done`."""
    states = [State.FAILED.value, State.REJECTED.value]
    if force:
        states.append(State.UNCONFIRMED.value)
    row = db.execute(
        f"""WITH wanted AS (
            SELECT id, claim_desk AS lapsed_desk, claim_posting AS lapsed_posting
            FROM floor_leads
            WHERE (id = ANY(%(ids)s) OR (%(failed)s AND state = 'failed'))
              AND state = ANY(%(states)s) AND NOT (id = ANY(%(done)s))
              AND (claim_until IS NULL OR claim_until < now())
            ORDER BY id LIMIT 1
            FOR UPDATE SKIP LOCKED)
        UPDATE floor_leads AS f SET claim_desk = %(desk)s, claim_posting = false,
            claim_until = now() + make_interval(secs => %(lease)s)
        FROM wanted WHERE f.id = wanted.id
        RETURNING {", ".join("f." + name.strip() for name in SELECTED.split(","))},
            wanted.lapsed_desk, wanted.lapsed_posting""",
        {
            "ids": list(ids),
            "failed": failed,
            "states": states,
            "done": list(done),
            "desk": desk,
            "lease": lease_seconds,
        },
    ).fetchone()
    if row is None:
        return None
    lapsed = row[-2] if row[-1] else None
    return FloorClaim(floor_lead(row[:-2]), lapsed)


def mark_posting(db: Connection, floor_id: int, desk: str) -> bool:
    """The post is about to leave: from now the lead may arrive. False if the claim was
    lost (the lease lapsed and another desk took it)."""
    cursor = db.execute(
        "UPDATE floor_leads SET claim_posting = true WHERE id = %s AND claim_desk = %s"
        " AND claim_until > now()",
        (floor_id, desk),
    )
    return cursor.rowcount == 1


def record_result(
    db: Connection,
    floor_id: int,
    desk: str,
    state: State,
    customer_id: str,
    errors: Sequence[str],
    sent: Lead | None = None,
    destination: str | None = None,
    destination_name: str | None = None,
) -> bool:
    """What came of this desk's resend, for the floor and for the owning desk to take into
    its history; the claim is released. False if this desk no longer held the claim."""
    cursor = db.execute(
        """UPDATE floor_leads SET state = %s, customer_id = %s, errors = %s,
            fields = COALESCE(%s, fields), destination = COALESCE(%s, destination),
            destination_name = COALESCE(%s, destination_name),
            attempts = attempts + 1, resent_by = %s, resent_at = now(), seen_at = now(),
            result_taken = false, claim_desk = NULL, claim_until = NULL, claim_posting = false
        WHERE id = %s AND claim_desk = %s""",
        (
            state.value,
            customer_id,
            Jsonb(list(errors)),
            Jsonb(sent.values()) if sent is not None else None,
            destination,
            destination_name,
            desk,
            floor_id,
            desk,
        ),
    )
    return cursor.rowcount == 1


def release(db: Connection, floor_id: int, desk: str) -> None:
    """Give a claim back unused (nothing was posted)."""
    db.execute(
        "UPDATE floor_leads SET claim_desk = NULL, claim_until = NULL, claim_posting = false"
        " WHERE id = %s AND claim_desk = %s",
        (floor_id, desk),
    )


def holders(db: Connection, ids: Collection[int]) -> dict[int, str]:
    """Which desk holds a live claim on each of these leads."""
    rows = db.execute(
        "SELECT id, claim_desk FROM floor_leads WHERE id = ANY(%s) AND claim_until > now()",
        (list(ids),),
    ).fetchall()
    return {int(row[0]): row[1] for row in rows}


@dataclass(frozen=True)
class ResentResult:
    """A lead of this desk that another desk resent for the floor, and what came of it."""

    floor_id: int
    unique_id: str
    local_id: int
    state: State
    customer_id: str
    errors: tuple[str, ...]
    resent_by: str
    resent_at: datetime  # which result this is: the lead may be resent again meanwhile


def results_for(db: Connection, desk: str) -> list[ResentResult]:
    """This desk's leads resent elsewhere whose result it has not taken yet: also under a
    claim that lapsed (the desk that took it for another try died), else the result
    stayed untaken, and the desk's own resend refused, until a supervisor resent it. Not
    under a claim that lapsed mid-post: its post may have arrived, and the earlier result
    ("failed") would say otherwise; the next claim marks it unconfirmed, and that is taken."""
    rows = db.execute(
        "SELECT id, unique_id, local_id, state, customer_id, errors, resent_by, resent_at"
        " FROM floor_leads WHERE desk = %s AND NOT result_taken"
        " AND (claim_desk IS NULL OR (claim_until < now() AND NOT claim_posting))",
        (desk,),
    ).fetchall()
    known = {state.value for state in State}
    unknown = sum(1 for r in rows if r[3] not in known)
    if unknown:  # a newer LeadDesk's state: left for a desk that knows it, pushes go on
        log.warning("%d resend results in a state this LeadDesk does not know", unknown)
    return [
        ResentResult(int(r[0]), r[1], int(r[2]), State(r[3]), r[4], tuple(r[5]), r[6], r[7])
        for r in rows
        if r[3] in known
    ]


def taken(db: Connection, results: Sequence[ResentResult]) -> None:
    """The owning desk has these results in its history. A lead resent again since they
    were read keeps its newer result for the desk to take at its next sync."""
    db.execute(
        "UPDATE floor_leads AS f SET result_taken = true"
        " FROM unnest(%s::bigint[], %s::timestamptz[]) AS t(id, resent_at)"
        " WHERE f.id = t.id AND f.resent_at = t.resent_at",
        ([result.floor_id for result in results], [result.resent_at for result in results]),
    )
