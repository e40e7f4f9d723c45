"""Who sees what on the floor (PostgreSQL roles and row-level security): an agent reads
and changes only the leads of their own login, a supervisor every desk's; the duplicate
question crosses agents without showing another agent's lead."""

from __future__ import annotations

import dataclasses
import time

import psycopg
import pytest

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.team import floor_claims, floor_leads
from leaddesk.team.floor import Floor
from tests.support.floor import login_url, set_up_floor


def stored(local_id: int, phone: str, lname: str) -> StoredLead:
    lead = Lead(fname="Ann", lname=lname, phone1=phone, city="Boise", state="ID").with_unique_id()
    now = time.time()
    return StoredLead(local_id, now, now, State.ACCEPTED, "https://x.test/", lead, "C1", (), 0,
                      None, 1)  # fmt: skip


@pytest.fixture
def floor_of_two_agents(floor_url: str) -> str:
    set_up_floor(floor_url)
    for login, desk, phone, lname in (
        ("ann", "desk-ann", "8013120001", "Núñez"),
        ("bob", "desk-bob", "8013120002", "Olsen"),
    ):
        floor = Floor(login_url(floor_url, login), desk, login.title())
        with floor, floor.connection() as db:
            floor_leads.push(db, desk, login.title(), [stored(1, phone, lname)])
    return floor_url


def test_an_agent_reads_only_their_own_leads(floor_of_two_agents: str) -> None:
    with psycopg.connect(login_url(floor_of_two_agents, "ann")) as ann:
        rows = ann.execute("SELECT desk, lname FROM floor_leads").fetchall()
        counted = ann.execute("SELECT count(*) FROM floor_leads WHERE desk = 'desk-bob'")
        assert counted.fetchone() == (0,)
    assert rows == [("desk-ann", "Núñez")]


def test_an_agent_cannot_change_or_claim_another_agents_lead(floor_of_two_agents: str) -> None:
    with psycopg.connect(login_url(floor_of_two_agents, "ann")) as ann:
        changed = ann.execute("UPDATE floor_leads SET state = 'failed' WHERE desk = 'desk-bob'")
        assert changed.rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # nor push as bob
            ann.execute(
                "INSERT INTO floor_leads (desk, local_id, unique_id, agent, agent_role,"
                " created_at, updated_at, state, destination, fields, fname, lname,"
                " lname_key, phone1, email) VALUES ('desk-bob', 9, 'u9', 'Bob', 'bob', 0, 0,"
                " 'failed', '', '{}', '', '', '', '', '')"
            )


def test_a_supervisor_reads_every_desk(floor_of_two_agents: str) -> None:
    floor = Floor(login_url(floor_of_two_agents, "sue"), "desk-sue", "Sue")
    with floor, floor.connection() as db:
        leads = floor_leads.history(db)
        bobs = floor_leads.history(db, agent="Bob")
    assert sorted(lead.desk for lead in leads) == ["desk-ann", "desk-bob"]
    assert [lead.stored.lead.lname for lead in bobs] == ["Olsen"]


def test_the_duplicate_question_crosses_agents_without_their_names(
    floor_of_two_agents: str,
) -> None:
    asked = [
        Lead(fname="Zed", lname="NUNEZ", phone1="8013120001", city="Boise", state="ID"),
        Lead(fname="Zed", lname="Other", phone1="8013120001", city="Boise", state="ID"),
    ]
    floor = Floor(login_url(floor_of_two_agents, "bob"), "desk-bob", "Bob")
    with floor, floor.connection() as db:
        found = floor_leads.duplicates(db, "desk-bob", asked, 30, time.time())
        old = floor_leads.duplicates(db, "desk-bob", asked, 30, time.time() + 31 * 86400)
    assert found[1] is None and old == [None, None]
    assert found[0] is not None
    assert (found[0].desk, found[0].agent, found[0].state) == ("desk-ann", "Ann", State.ACCEPTED)


def test_an_agent_cannot_resend_another_agents_lead_a_supervisor_can(floor_url: str) -> None:
    set_up_floor(floor_url)
    failed = dataclasses.replace(stored(1, "8013120003", "Park"), state=State.FAILED)
    ann = Floor(login_url(floor_url, "ann"), "desk-ann", "ann")
    with ann, ann.connection() as db:
        floor_leads.push(db, "desk-ann", "ann", [failed])
    bob = Floor(login_url(floor_url, "bob"), "desk-bob", "bob")
    with bob, bob.connection() as db:
        assert floor_claims.claim_next(db, "desk-bob", 60.0, failed=True) is None
    sue = Floor(login_url(floor_url, "sue"), "desk-sue", "sue")
    with sue, sue.connection() as db:
        claim = floor_claims.claim_next(db, "desk-sue", 60.0, failed=True)
    assert claim is not None and claim.lead.desk == "desk-ann"


def test_the_floor_sorts_every_column_both_ways_and_an_agent_still_sees_only_theirs(
    floor_of_two_agents: str,
) -> None:
    with (
        Floor(login_url(floor_of_two_agents, "sue"), "desk-sue", "sue") as sue,
        sue.connection() as db,
    ):
        for key in floor_leads.FLOOR_SORTS:  # each sort is valid SQL on the floor
            for descending in (False, True):
                assert len(floor_leads.history(db, sort=key, descending=descending)) == 2
        by_agent = floor_leads.history(db, sort="agent", descending=False)
        assert [lead.agent for lead in by_agent] == ["Ann", "Bob"]
        by_name = floor_leads.history(db, sort="name", descending=True)
        assert [lead.stored.lead.lname for lead in by_name] == ["Olsen", "Núñez"]
    with (
        Floor(login_url(floor_of_two_agents, "ann"), "desk-ann", "ann") as ann,
        ann.connection() as db,
    ):
        assert [lead.agent for lead in floor_leads.history(db, sort="agent")] == ["Ann"]
