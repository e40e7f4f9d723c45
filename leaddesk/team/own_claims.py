"""A desk resending its own leads (`leaddesk resend ID`, a file's failed rows sent again)
takes the same claims as a resend for the floor, so that a supervisor's floor resend and
the desk's own one never both post a lead.

The claim is taken before the desk queues the lead again and marked "posting" at once:
from then on the lead may leave this desk. The desk gives it back once the floor has the
lead's new state (queued: no desk resends a queued lead). A desk that dies before that
leaves a claim that lapses mid-post: whoever finds it marks the lead unconfirmed, as for a
floor resend, and nobody posts it again without --force.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field

import psycopg
from psycopg.types.json import Jsonb

from leaddesk.domain.stored import StoredLead
from leaddesk.team.floor import Connection
from leaddesk.team.floor_claims import LAPSED_MID_POST


@dataclass
class OwnClaims:
    """What the floor said of a desk's own leads, by their lead IDs (unique_id)."""

    claimed: dict[str, int] = field(default_factory=dict)  # unique_id -> floor id
    busy: dict[str, str] = field(default_factory=dict)  # unique_id -> why not now
    lapsed: dict[str, str] = field(default_factory=dict)  # unique_id -> the reason noted


def claim_own(
    db: Connection,
    desk: str,
    holder: str,
    unique_ids: Collection[str],
    lease_seconds: float,
    force: bool = False,
) -> OwnClaims:
    """Claim these leads of `desk` for `holder` (one run of it), marked posting. A lead the
    floor does not have is in none of the answer's parts: no other desk can resend it."""
    wanted = list(unique_ids)
    found = OwnClaims()
    on_floor = {
        row[0]
        for row in db.execute(
            "SELECT unique_id FROM floor_leads WHERE desk = %s AND unique_id = ANY(%s)",
            (desk, wanted),
        ).fetchall()
    }
    rows = db.execute(
        """SELECT id, unique_id, claim_desk, claim_until > now(), claim_posting, result_taken,
            resent_by
        FROM floor_leads WHERE desk = %s AND unique_id = ANY(%s)
        FOR UPDATE SKIP LOCKED""",
        (desk, wanted),
    ).fetchall()
    for unique_id in _hidden(db, desk, set(wanted) - on_floor):
        found.busy[unique_id] = (
            "on the floor under another login, where a supervisor may be resending it "
            "(IT: give this desk's floor rows to this login)"
        )
    locked = on_floor - {row[1] for row in rows}
    for unique_id in locked:  # another desk is claiming it this very moment
        found.busy[unique_id] = "being claimed by another desk right now"
    take: list[int] = []
    for floor_id, unique_id, claim_desk, live, posting, result_taken, resent_by in rows:
        if claim_desk is not None and live:
            found.busy[unique_id] = f"being resent by desk {claim_desk}"
        elif not result_taken:
            found.busy[unique_id] = (
                f"resent by desk {resent_by} meanwhile (leaddesk sync takes its result in)"
            )
        elif claim_desk is not None and posting and not force:
            reason = LAPSED_MID_POST.format(desk=claim_desk)
            _mark_unconfirmed(db, floor_id, claim_desk, reason)
            found.lapsed[unique_id] = reason
        else:
            take.append(floor_id)
            found.claimed[unique_id] = floor_id
    if take:
        db.execute(
            "UPDATE floor_leads SET claim_desk = %s, claim_posting = true,"
            " claim_until = now() + make_interval(secs => %s) WHERE id = ANY(%s)",
            (holder, lease_seconds, take),
        )
    return found


def _hidden(db: Connection, desk: str, unique_ids: Collection[str]) -> set[str]:
    """Of these leads of `desk`, which this login cannot see, the floor has all the same:
    pushed under another login (a shared machine, a desk handed over). Row-level security
    hides those rows, so an insert of each is tried and undone: one that conflicts is
    there. DO NOTHING: no policy of the hidden row is asked, nothing of it is read."""
    if not unique_ids:
        return set()
    with db.transaction():  # a savepoint, always rolled back
        rows = db.execute(
            """INSERT INTO floor_leads (desk, local_id, unique_id, agent, created_at,
                updated_at, state, destination, fields, fname, lname, lname_key, phone1, email)
            SELECT %s, 0, u, '', 0, 0, 'queued', '', '{}', '', '', '', '', ''
            FROM unnest(%s::text[]) AS u
            ON CONFLICT (desk, unique_id) DO NOTHING RETURNING unique_id""",
            (desk, list(unique_ids)),
        ).fetchall()
        raise psycopg.Rollback()  # ends this savepoint only, quietly
    return set(unique_ids) - {row[0] for row in rows}


def _mark_unconfirmed(db: Connection, floor_id: int, claim_desk: str, reason: str) -> None:
    """A claim that lapsed mid-post: the lead may have arrived. The owning desk takes this
    into its history like any result of a resend elsewhere."""
    db.execute(
        """UPDATE floor_leads SET state = 'unconfirmed', errors = %s, resent_by = %s,
            resent_at = now(), seen_at = now(), result_taken = false, claim_desk = NULL,
            claim_until = NULL, claim_posting = false
        WHERE id = %s""",
        (Jsonb([reason]), claim_desk, floor_id),
    )


def publish_claimed(db: Connection, desk: str, holder: str, leads: Sequence[StoredLead]) -> None:
    """These claimed leads' state as the desk has it now, put on the floor whatever the
    desk's clock said before: the push leaves a row alone unless the desk's change is
    stamped later than the floor's, and a desk whose clock was set back since would leave
    a lead it queues again failed there, for a supervisor to resend as well. The holder
    of the claim is the one desk that may resend it meanwhile, so its word stands."""
    for stored in leads:
        db.execute(
            """UPDATE floor_leads SET state = %s, customer_id = %s, errors = %s, tries = %s,
                attempts = %s, destination = %s, destination_name = %s,
                updated_at = GREATEST(updated_at, %s), seen_at = now()
            WHERE desk = %s AND unique_id = %s AND claim_desk = %s""",
            (
                stored.state.value,
                stored.customer_id,
                Jsonb(list(stored.errors)),
                stored.tries,
                stored.attempts,
                stored.destination,
                stored.destination_name,
                stored.updated_at,
                desk,
                stored.lead.lead_company_unique_id,
                holder,
            ),
        )


def release_own(db: Connection, holder: str, floor_ids: Collection[int]) -> None:
    """The floor has these leads' new state: give their claims back."""
    db.execute(
        "UPDATE floor_leads SET claim_desk = NULL, claim_until = NULL, claim_posting = false"
        " WHERE id = ANY(%s) AND claim_desk = %s",
        (list(floor_ids), holder),
    )
