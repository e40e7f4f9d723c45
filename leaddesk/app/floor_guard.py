"""The duplicate guard across the floor, for both faces: before a lead is queued, is the
same household (phone and last name) recent at another desk? Asked of the floor when it
is reachable; when it is not, the desk's own guard (history.duplicate_guard) is all there
is, and the agent is told so.

The window asks with `wait=False`: a floor not known to be online is not waited for, so
Submit stays instant (the periodic push keeps that knowledge fresh).
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.lead import Lead
from leaddesk.team.floor_leads import FloorMatch

OWN_HISTORY_ONLY = (
    "duplicates are checked against this desk's own history only (the floor is offline)."
)


def floor_duplicates(
    team: TeamDesk, leads: Sequence[Lead], duplicate_days: int, wait: bool = True
) -> list[FloorMatch | None] | None:
    """Per lead, a recent lead of another desk with its household; None when the floor
    cannot be asked now (say OWN_HISTORY_ONLY)."""
    if duplicate_days <= 0 or not leads:
        return [None] * len(leads)
    if not wait and not team.floor.known_online:
        return None
    return team.duplicates(leads, duplicate_days, time.time())


def held_words(match: FloorMatch) -> str:
    """Why a lead is held back, without the other agent's lead's names or phone."""
    return (
        f"likely a duplicate of floor lead {match.floor_id} "
        f"({match.state}, agent {match.agent} at desk {match.desk})"
    )
