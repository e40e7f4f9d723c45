"""A supervisor's desk that dies holding a claim on a lead whose earlier resend result
its desk has not taken in yet: once the claim has lapsed, the owning desk takes that
result in (it was never taken, and the push leaves the row alone until it is), unless
the claim lapsed with its post on the wire."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from leaddesk.app.floor_resend import Retarget, resend_for_floor
from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sending.poster import Poster
from leaddesk.team import floor_claims
from leaddesk.team.floor import Floor
from tests.support.cli_home import free_port
from tests.support.floor import floor_rows, login_url, set_up_floor
from tests.support.history_data import populate

UNTAKEN = "SELECT unique_id FROM floor_leads WHERE NOT result_taken"


@contextmanager
def resent_by_sue(
    floor_url: str, tmp_path: Path
) -> Iterator[tuple[TeamDesk, TeamDesk, Store, int]]:
    """Ann's failed lead, resent by Sue for the floor and failed again: a result for Ann's
    desk to take in. Ann's desk, Sue's, Ann's history and the lead's id there."""
    set_up_floor(floor_url)
    dead = f"http://127.0.0.1:{free_port()}/x"
    ann = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann"), 60.0)
    sue = TeamDesk(Floor(login_url(floor_url, "sue"), "desk-sue", "sue"), 60.0)
    try:
        with Store(tmp_path / "history.sqlite3") as store, Poster() as poster:
            [lead_id] = populate(store, [State.FAILED], destination=dead)
            assert ann.sync(store) is not None
            [first] = resend_for_floor(sue, poster, failed=True, target=Retarget(dead))
            assert first.state is State.FAILED
            yield ann, sue, store, lead_id
    finally:
        ann.close()
        sue.close()


def test_a_result_under_a_lapsed_claim_is_taken_in_by_its_desk(
    floor_url: str, tmp_path: Path
) -> None:
    with resent_by_sue(floor_url, tmp_path) as (ann, sue, store, lead_id):
        # Sue's desk claims it for a second try, and dies there: its lease lapses.
        with sue.floor.connection() as db:
            claim = floor_claims.claim_next(db, "desk-sue", 0.0, failed=True)
        assert claim is not None
        synced = ann.sync(store)
        assert synced is not None and synced.taken == [lead_id]
        now = store.get(lead_id)
        assert now is not None and any("desk-sue" in error for error in now.errors)
        assert floor_rows(floor_url, UNTAKEN) == []


def test_a_result_under_a_claim_that_lapsed_mid_post_is_not_taken_as_it_was(
    floor_url: str, tmp_path: Path
) -> None:
    """The claiming desk died with its post on the wire: the lead may be at the dealer,
    and the earlier "failed" taken in would invite the agent to send it again."""
    with resent_by_sue(floor_url, tmp_path) as (ann, sue, store, lead_id):
        with sue.floor.connection() as db:
            claim = floor_claims.claim_next(db, "desk-sue", 60.0, failed=True)
            assert claim is not None
            assert floor_claims.mark_posting(db, claim.lead.floor_id, "desk-sue")
        with psycopg.connect(floor_url, autocommit=True) as admin:  # Sue's desk died
            admin.execute("UPDATE floor_leads SET claim_until = now() - interval '1 second'")
        synced = ann.sync(store)
        assert synced is not None and synced.taken == []
        now = store.get(lead_id)
        assert now is not None and not any("desk-sue" in error for error in now.errors)
