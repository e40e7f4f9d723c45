"""A supervisor resends a lead again while its desk is taking in the result of the first
resend: the desk must end up with the second result too, or its next push puts the lead
back to failed on the floor, for a supervisor to post again."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from leaddesk.app.floor_resend import Retarget, resend_for_floor
from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.sending.poster import Poster
from leaddesk.team.floor import Floor
from tests.support.cli_home import free_port
from tests.support.floor import floor_rows, login_url, set_up_floor
from tests.support.history_data import populate
from tests.support.waiting import wait_until

# Ann's desk has read the results and committed that read (its pool keeps the connection).
RESULTS_READ = (
    "SELECT count(*) FROM pg_stat_activity WHERE usename = 'ann' AND state = 'idle'"
    " AND query = 'COMMIT'"
)


def test_a_second_resend_while_the_desk_takes_the_first_result_is_not_lost(
    floor_url: str, tmp_path: Path
) -> None:
    set_up_floor(floor_url)
    path = tmp_path / "history.sqlite3"
    dead = f"http://127.0.0.1:{free_port()}/x"
    ann = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann"), 60.0)
    ann_again = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann"), 60.0)
    sue = TeamDesk(Floor(login_url(floor_url, "sue"), "desk-sue", "sue"), 60.0)
    with Store(path) as store, Store(path) as syncing, Sandbox() as dealer, Poster() as poster:
        [lead_id] = populate(store, [State.FAILED], destination=dead)
        assert ann.sync(store) is not None
        ann.close()  # its connection gone: the next one of Ann's is the racing sync's
        # A first resend for the floor fails too: a result for Ann's desk to take in.
        [first] = resend_for_floor(sue, poster, failed=True, target=Retarget(dead))
        assert first.state is State.FAILED
        # Ann's desk reads it, then waits for its own history (busy with a write).
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")
        taking = threading.Thread(target=ann_again.sync, args=(syncing,))
        taking.start()
        wait_until(lambda: floor_rows(floor_url, RESULTS_READ) == [(1,)], "the results read")
        # Meanwhile a supervisor resends it again, and it is accepted this time.
        [second] = resend_for_floor(sue, poster, failed=True, target=Retarget(dealer.url()))
        assert second.state is State.ACCEPTED
        blocker.execute("ROLLBACK")
        blocker.close()
        taking.join(30)
        ann_again.sync(store)
        now = store.get(lead_id)
        assert now is not None and now.state is State.ACCEPTED
        assert floor_rows(floor_url) == [(now.lead.lead_company_unique_id, "accepted")]
        # Nothing left failed for a supervisor to post again.
        assert resend_for_floor(sue, poster, failed=True, target=Retarget(dealer.url())) == []
        assert dealer.accepted_count().total() == 1
    ann_again.close()
    sue.close()
