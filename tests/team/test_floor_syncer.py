"""The window's periodic push to the floor (app/floor_syncer.py): leads queued at the desk
reach the floor on their own, and their later states follow, with none doubled."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from leaddesk.app.floor_syncer import FloorSyncer
from leaddesk.app.team_desk import TeamDesk
from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.history.store import Store
from leaddesk.team.floor import Floor
from leaddesk.wire.formats import everywhere
from tests.support.floor import floor_rows, login_url, set_up_floor
from tests.support.waiting import wait_until


class Document:
    name = "test"

    def build(self, leads: Sequence[Lead]) -> bytes:
        return b"<leads/>"


def test_queued_leads_and_their_later_states_reach_the_floor_by_themselves(
    floor_url: str, db_path: Path
) -> None:
    set_up_floor(floor_url)
    team = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann"), 60.0)
    syncer = FloorSyncer(team, db_path, every_seconds=0.2).start()
    try:
        with Store(db_path) as store:
            lead = Lead(fname="Ann", lname="Lee", phone1="8013120001", city="Boise", state="ID")
            store.add(lead, "https://dealer.test/")
            wait_until(lambda: [s for _, s in floor_rows(floor_url)] == ["queued"], "queued")
            claim = store.claim("test", 1, everywhere(Document()))
            assert claim is not None
            answer = LeadResult(claim.leads[0].lead, Outcome.ACCEPTED, "C7")
            post = PostResult(claim.destination, claim.request, 200, b"", 0.1, (answer,))
            store.record("test", claim, post, Sending())
            syncer.sync_now()
            wait_until(lambda: [s for _, s in floor_rows(floor_url)] == ["accepted"], "accepted")
            unique_id = claim.leads[0].lead.lead_company_unique_id
    finally:
        syncer.stop()
    assert floor_rows(floor_url) == [(unique_id, "accepted")]  # one row, never two
