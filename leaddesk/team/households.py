"""One household checked at one desk at a time: the floor's duplicate check and the push
of the leads it let through are one critical section per household (phone and folded last
name), so that two desks entering the same household at the same moment cannot both find
the floor without it.

A transaction-scoped advisory lock per household: no table, no schema step (desks of the
version before simply do not take it), released by the commit that follows the push, or
by the server if the desk dies. A desk waits for another's lock only a few seconds: past
that the floor is treated as offline for this check (said, and the desk's own history
guards), as a desk never waits long on the floor.
"""

from __future__ import annotations

from collections.abc import Sequence

from leaddesk.domain.lead import Lead
from leaddesk.domain.name_key import name_key
from leaddesk.team.floor import Connection

# The advisory locks' first key: household locks apart from any other use of pg locks.
HOUSEHOLD_LOCKS = 16016
LOCK_WAIT_SECONDS = 10.0


def household_key(lead: Lead) -> str:
    """What the duplicate check compares: the phone and the folded last name."""
    return f"{lead.phone1}:{name_key(lead.lname)}"


def lock_households(
    db: Connection, leads: Sequence[Lead], wait_seconds: float = LOCK_WAIT_SECONDS
) -> None:
    """Hold these leads' households until the transaction ends, in one order at every desk
    (no two desks each wait for the other). psycopg.errors.LockNotAvailable past
    `wait_seconds`."""
    keys = sorted({household_key(lead) for lead in leads})
    db.execute(f"SET LOCAL lock_timeout = '{max(1, round(wait_seconds * 1000))}ms'")
    db.execute(
        "SELECT pg_advisory_xact_lock(%s, hashtext(s.key))"
        " FROM (SELECT key FROM unnest(%s::text[]) AS key ORDER BY key) AS s",
        (HOUSEHOLD_LOCKS, keys),
    )
    db.execute("SET LOCAL lock_timeout = 0")
