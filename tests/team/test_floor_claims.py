"""Claims on the floor's leads: one desk at a time, a lapsed claim whose post never began
is simply taken over, a claim that lapsed mid-post is told apart."""

from __future__ import annotations

import time

import psycopg

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.team import floor_claims, floor_leads
from leaddesk.team.floor import Floor
from tests.support.floor import login_url, set_up_floor
from tests.support.waiting import wait_until


def failed_lead() -> StoredLead:
    lead = Lead(fname="Ann", lname="Lee", phone1="8013120001", city="Boise", state="ID")
    now = time.time()
    return StoredLead(1, now, now, State.FAILED, "https://x.test/", lead.with_unique_id(), "",
                      ("no answer",), 6, None, 6)  # fmt: skip


def test_a_claim_is_one_desks_until_its_lease_lapses(floor_url: str) -> None:
    set_up_floor(floor_url)
    floor = Floor(login_url(floor_url, "sue"), "desk-sue", "sue")
    with floor:
        with floor.connection() as db:
            floor_leads.push(db, "desk-ann", "ann", [failed_lead()])
        with floor.connection() as db:
            first = floor_claims.claim_next(db, "desk-1", 1.0, failed=True)
        with floor.connection() as db:
            assert floor_claims.claim_next(db, "desk-2", 1.0, failed=True) is None
        assert first is not None and first.lapsed_mid_post is None
        with psycopg.connect(floor_url, autocommit=True) as admin:
            wait_until(
                lambda: admin.execute("SELECT bool_and(claim_until < now()) FROM floor_leads")
                .fetchone() == (True,),
                "the lease to lapse",
            )  # fmt: skip
        with floor.connection() as db:  # desk-1 never began its post: desk-2 simply posts
            second = floor_claims.claim_next(db, "desk-2", 60.0, failed=True)
            assert second is not None and second.lapsed_mid_post is None
            assert not floor_claims.mark_posting(db, first.lead.floor_id, "desk-1")
            assert floor_claims.mark_posting(db, second.lead.floor_id, "desk-2")
        with floor.connection() as db:
            assert not floor_claims.record_result(
                db, first.lead.floor_id, "desk-1", State.ACCEPTED, "C1", []
            )
            assert floor_claims.record_result(
                db, second.lead.floor_id, "desk-2", State.ACCEPTED, "C2", []
            )
        with floor.connection() as db:
            [result] = floor_claims.results_for(db, "desk-ann")
    assert (result.state, result.customer_id, result.resent_by) == (State.ACCEPTED, "C2", "desk-2")
