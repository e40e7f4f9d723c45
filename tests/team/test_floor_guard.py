"""The floor's duplicate guard as the window asks it: never waiting on a floor not known
to be online, and answering once the floor has been reached."""

from __future__ import annotations

import time

from leaddesk.app.floor_guard import OWN_HISTORY_ONLY, floor_duplicates, held_words
from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.team import floor_leads
from leaddesk.team.floor import Floor
from tests.support.cli_home import free_port
from tests.support.floor import login_url, set_up_floor

LEAD = Lead(fname="Ann", lname="Lee", phone1="8013120001", city="Boise", state="ID")


def test_the_window_never_waits_on_a_floor_it_has_not_reached() -> None:
    unreachable = f"postgresql://ann@127.0.0.1:{free_port()}/floor"
    team = TeamDesk(Floor(unreachable, "desk-bob", "bob"), 60.0)
    with team.floor:
        started = time.monotonic()
        assert floor_duplicates(team, [LEAD], 30, wait=False) is None
        assert time.monotonic() - started < 0.5
        assert floor_duplicates(team, [LEAD], 30) is None  # a command waits, briefly
    assert "own history only" in OWN_HISTORY_ONLY


def test_once_the_floor_was_reached_the_window_is_told_of_another_desks_lead(
    floor_url: str,
) -> None:
    set_up_floor(floor_url)
    now = time.time()
    sold = StoredLead(1, now, now, State.ACCEPTED, "https://x.test/", LEAD.with_unique_id(),
                      "C1", (), 0, None, 1)  # fmt: skip
    ann = Floor(login_url(floor_url, "ann"), "desk-ann", "ann")
    with ann, ann.connection() as db:
        floor_leads.push(db, "desk-ann", "ann", [sold])
    team = TeamDesk(Floor(login_url(floor_url, "bob"), "desk-bob", "bob"), 60.0)
    with team.floor:
        assert floor_duplicates(team, [LEAD], 30, wait=False) is None  # not reached yet
        with team.floor.connection():
            pass  # the window's periodic push reaches it
        [match] = floor_duplicates(team, [LEAD], 30, wait=False) or [None]
    assert match is not None
    assert held_words(match).endswith("(accepted, agent ann at desk desk-ann)")
