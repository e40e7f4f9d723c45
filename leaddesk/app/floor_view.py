"""The window's view of the floor (team mode): its leads a page at a time, newest first,
and one lead again after a resend. Qt-free; the window calls these off its GUI thread,
since the floor is across a network and may hold a million leads."""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.states import State
from leaddesk.team import floor_leads
from leaddesk.team.floor_leads import FloorLead

FLOOR_PAGE = 200  # rows per read: a first screen at once, the rest as the agent scrolls


@dataclass(frozen=True)
class FloorQuery:
    """What of the floor is shown: one state, one agent, a text in a name, phone, email
    or customer ID (blank: any); in what order (a key of floor_leads.FLOOR_SORTS)."""

    state: State | None = None
    agent: str = ""
    search: str = ""
    sort: str = "time"
    descending: bool = True


def floor_page(
    team: TeamDesk, query: FloorQuery, offset: int = 0, limit: int = FLOOR_PAGE
) -> list[FloorLead]:
    """One page of the floor's leads this login may see (FloorOffline when it cannot be
    read)."""
    with team.floor.connection() as db:
        return floor_leads.history(
            db,
            query.state,
            query.agent.strip() or None,
            query.search.strip(),
            limit,
            offset,
            query.sort,
            query.descending,
        )


def floor_leads_again(team: TeamDesk, floor_ids: list[int]) -> list[FloorLead]:
    """These leads as the floor has them now (after a resend), those this login sees."""
    found = []
    with team.floor.connection() as db:
        for floor_id in floor_ids:
            lead = floor_leads.get(db, floor_id)
            if lead is not None:
                found.append(lead)
    return found
