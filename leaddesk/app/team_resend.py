"""The window's own resends in team mode (Resend, Edit and resend, Retry now, Send to…, a
destination corrected in Settings): each lead is claimed on the floor first, as
`leaddesk resend ID` does (app.own_resend_guard), so that a supervisor's floor resend of
the same lead at the same moment cannot post it twice.

The claim asks the floor, which may be slow or away for a few seconds: this runs on a
thread of its own (never the window's), with its own Store (one per thread), and the
caller hands it what to do with the leads allowed (`Requeue`), on that thread's history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Collection

from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.own_resend_guard import guard_own_resend
from leaddesk.app.resend import Resent
from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.errors import StoreError
from leaddesk.history.store import Store

log = logging.getLogger(__name__)

# Queue again the leads the floor let this desk have: (this thread's history, their ids,
# whether the failed leads held at a corrected address may go too). What came of it.
Requeue = Callable[[HistoryAccess, list[int], bool], Resent]


def not_resent(lead_id: int, why: str) -> str:
    """A lead refused by the floor, in the window's words."""
    return f"Lead {lead_id}: not resent: {why}"


def requeue_on_floor(
    team: TeamDesk,
    history: HistoryAccess,
    ids: Collection[int],
    requeue: Requeue,
    force: bool = False,
    releasing: bool = False,
) -> Resent:
    """Claim these leads of this desk on the floor, `requeue` those allowed, push their
    queued state and give the claims back. Run it off the window's thread: `history` is
    only read for its file, which this thread opens for itself. A lead a supervisor is
    posting is refused with why (`not_resent`); so is every lead when the history cannot
    be opened."""
    wanted = list(ids)
    try:
        with Store(history.path) as store:
            guard = guard_own_resend(team, store, wanted, force, releasing)
            try:
                resent = requeue(HistoryAccess(store), guard.allowed, guard.release_ok)
            finally:
                guard.publish(store)  # the claims go back whatever the requeue did
    except StoreError as error:
        return Resent([], [(lead_id, str(error)) for lead_id in wanted])
    refused = [(lead_id, not_resent(lead_id, why)) for lead_id, why in guard.refused]
    return Resent(resent.queued, refused + resent.refused)
