"""A desk's push to the floor: only what the floor has not seen, page by page, and a
closing push that stops after a few pages leaves the rest to the next, losing nothing."""

from __future__ import annotations

from pathlib import Path

from leaddesk.app.team_desk import PUSH_PAGE, TeamDesk
from leaddesk.domain.lead import Lead
from leaddesk.history.store import Store
from leaddesk.team.floor import Floor
from tests.support.floor import floor_rows, login_url, set_up_floor


def test_a_long_history_goes_to_the_floor_in_pages_none_lost_none_doubled(
    floor_url: str, db_path: Path
) -> None:
    set_up_floor(floor_url)
    total = PUSH_PAGE * 2 + 7
    leads = [
        (Lead(fname="Ann", lname=f"Lee{i}", phone1=f"80131{i:05d}", city="Boise", state="ID"),
         "https://dealer.test/")
        for i in range(total)
    ]  # fmt: skip
    team = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann"), 60.0)
    with Store(db_path) as store, team.floor:
        store.add_many(leads[: PUSH_PAGE + 3], now=1000.0)
        store.add_many(leads[PUSH_PAGE + 3 :], now=2000.0)
        first = team.sync(store, max_pages=1)
        assert first is not None and (first.pushed, first.more) == (PUSH_PAGE, True)
        rest = team.sync(store)
        assert rest is not None and not rest.more
        again = team.sync(store)
    assert len(floor_rows(floor_url)) == total
    assert len({unique_id for unique_id, _ in floor_rows(floor_url)}) == total
    assert again is not None and again.pushed == 0  # the floor had it all: nothing changed
