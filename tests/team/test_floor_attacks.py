"""Attacks on "no lead is ever sent twice by accident" in team mode, with real `leaddesk`
processes, the real PostgreSQL server and the sandbox as the dealer: desks killed or cut
off mid-resend, three resending at once, a floor a schema version ahead, an agent reaching
for another agent's lead."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
import pytest

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.sandbox import Faults, Sandbox
from leaddesk.team import floor_claims, floor_leads, own_claims
from leaddesk.team.floor import Floor
from leaddesk.team.schema import FLOOR_SCHEMA_VERSION
from tests.support.cli_home import HEADER, finish, row
from tests.support.floor import (
    FloorDesk,
    desk_with_failed_leads,
    floor_count,
    floor_rows,
    login_url,
    make_desk,
)
from tests.support.postgres import PostgresServer
from tests.support.waiting import wait_until


@pytest.fixture
def ann_failed(tmp_path: Path, floor: str) -> tuple[FloorDesk, dict[int, int]]:
    return desk_with_failed_leads(tmp_path / "ann", floor, 6)


def lapsed(floor: str, floor_id: int) -> None:
    with psycopg.connect(floor, autocommit=True) as db:  # now() of each query
        wait_until(
            lambda: db.execute(f"SELECT claim_until < now() FROM floor_leads WHERE id = {floor_id}")
            .fetchone() == (True,),
            "the lease to lapse",
        )  # fmt: skip


def test_three_desks_resending_every_failed_lead_at_once_post_each_once(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    _, floor_ids = ann_failed
    with Sandbox(faults=Faults(delay=0.2)) as dealer:
        sues = [make_desk(tmp_path / f"sue-{i}", floor, "sue", dealer.url()) for i in range(3)]
        runs = [sue.start("resend", "--floor", "--failed", "--url", dealer.url()) for sue in sues]
        results = [finish(run) for run in runs]
        received = dealer.accepted_count()
    said = "".join(result.stdout for result in results)
    assert all(result.returncode == 0 for result in results), said
    assert len(received) == 6 and set(received.values()) == {1}, received
    posted = sorted(int(line.split()[2]) for line in said.splitlines() if "accepted" in line)
    assert posted == sorted(floor_ids.values())
    assert sum(1 for result in results if "accepted" in result.stdout) >= 2, said  # shared
    assert floor_count(floor, "claim_desk IS NOT NULL") == 0


def test_a_desk_killed_mid_post_leaves_the_lead_unconfirmed_at_its_own_desk_too(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, floor_ids = ann_failed
    local, floor_id = next(iter(floor_ids.items()))
    with Sandbox(faults=Faults(delay=5)) as slow, Sandbox() as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", slow.url(), lease=3)
        running = sue.start("resend", "--floor", str(floor_id), "--url", slow.url())
        wait_until(lambda: floor_count(floor, f"id = {floor_id} AND claim_posting") == 1,
                   "the post")  # fmt: skip
        running.kill()  # SIGKILL between "posting" and the result
        running.communicate()
        lapsed(floor, floor_id)
        own = ann.run("resend", str(local), "--url", dealer.url())
        assert "may have arrived" in own.stdout and "--force" in own.stdout, own.stdout
        assert dealer.accepted_count().total() == 0  # not posted again behind the dealer
        [mine] = [lead for lead in ann.home.leads() if lead.id == local]
        assert mine.state is State.UNCONFIRMED
        again = sue.run("resend", "--floor", "--failed", "--url", dealer.url())
        assert f"floor lead {floor_id} " not in again.stdout, again.stdout
        forced = ann.run("resend", str(local), "--force", "--url", dealer.url())
        assert f"lead {local} accepted" in forced.stdout, forced.stdout + forced.stderr
        assert dealer.accepted_count()[mine.lead.lead_company_unique_id] == 1
    assert floor_count(floor, f"id = {floor_id} AND state = 'accepted'") == 1


def test_the_floor_lost_between_the_post_and_its_result_never_makes_the_lead_resendable(
    tmp_path: Path,
    floor: str,
    postgres: PostgresServer,
    ann_failed: tuple[FloorDesk, dict[int, int]],
) -> None:
    ann, floor_ids = ann_failed
    local, floor_id = next(iter(floor_ids.items()))
    with Sandbox(faults=Faults(delay=2)) as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url(), lease=3)
        running = sue.start("resend", "--floor", str(floor_id), "--url", dealer.url())
        wait_until(lambda: floor_count(floor, f"id = {floor_id} AND claim_posting") == 1,
                   "the post")  # fmt: skip
        postgres.stop()
        try:
            cut_off = finish(running)
        finally:
            postgres.start()
        assert dealer.accepted_count().total() == 1
        assert "result could not be written" in cut_off.stdout, cut_off.stdout + cut_off.stderr
        lapsed(floor, floor_id)
        other = make_desk(tmp_path / "sue-2", floor, "sue", dealer.url())
        later = other.run("resend", "--floor", "--failed", "--url", dealer.url())
        assert f"floor lead {floor_id} unconfirmed" in later.stdout, later.stdout
        assert dealer.accepted_count().total() == 6  # the other five, and that one once
    synced = ann.run("sync")
    assert synced.returncode == 0, synced.stderr
    [mine] = [lead for lead in ann.home.leads() if lead.id == local]
    assert mine.state is State.UNCONFIRMED  # never "failed, safe to retry"
    again = ann.run("resend", str(local))
    assert f"lead {local}: not resent" in again.stdout, again.stdout + again.stderr


def test_a_connection_dropped_before_the_result_is_written_loses_no_result(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, floor_ids = ann_failed
    local, floor_id = next(iter(floor_ids.items()))
    with Sandbox(faults=Faults(delay=2)) as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        running = sue.start("resend", "--floor", str(floor_id), "--url", dealer.url())
        wait_until(lambda: floor_count(floor, f"id = {floor_id} AND claim_posting") == 1,
                   "the post")  # fmt: skip
        with psycopg.connect(floor, autocommit=True) as admin:  # the desk's connections die
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'sue'"
            )
        done = finish(running)
        assert dealer.accepted_count().total() == 1
    assert f"floor lead {floor_id} accepted" in done.stdout, done.stdout + done.stderr
    assert "could not be written" not in done.stdout
    synced = ann.run("sync")
    assert "1 resent elsewhere taken in" in synced.stdout, synced.stdout + synced.stderr
    [mine] = [lead for lead in ann.home.leads() if lead.id == local]
    assert mine.state is State.ACCEPTED


def test_a_desk_works_on_a_floor_one_schema_version_ahead(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, _ = ann_failed
    with psycopg.connect(floor, autocommit=True) as admin:  # what a newer LeadDesk would add
        admin.execute("ALTER TABLE floor_leads ADD COLUMN callback_at TIMESTAMPTZ")
        admin.execute("ALTER TABLE floor_leads ADD COLUMN notes TEXT NOT NULL DEFAULT ''")
        admin.execute("CREATE TABLE floor_notices (id BIGSERIAL PRIMARY KEY, body TEXT)")
        admin.execute(
            "INSERT INTO floor_schema_version (version) VALUES (%s)", (FLOOR_SCHEMA_VERSION + 1,)
        )
    with Sandbox() as dealer:
        bob = make_desk(tmp_path / "bob", floor, "bob", dealer.url())
        sent = bob.run("send", bob.home.write_csv("b.csv", HEADER, [row(20), row(1)]))
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        resent = sue.run("resend", "--floor", "--failed", "--url", dealer.url())
        received = dealer.accepted_count("phone1")
    assert sent.returncode == 1, sent.stdout + sent.stderr  # row 1 is Ann's household
    assert "floor offline" not in sent.stderr + resent.stderr
    assert "skipped, likely a duplicate of floor lead" in sent.stdout, sent.stdout
    assert resent.stdout.count("accepted") == 6, resent.stdout
    assert received.total() == 7 and set(received.values()) == {1}
    assert floor_count(floor, "true") == 7
    synced = ann.run("sync")
    assert "6 resent elsewhere taken in" in synced.stdout, synced.stdout + synced.stderr


def failed_lead(local_id: int, phone: str) -> StoredLead:
    lead = Lead(fname="Ann", lname="Lee", phone1=phone, city="Boise", state="ID")
    now = time.time()
    return StoredLead(local_id, now, now, State.FAILED, "https://x.test/", lead.with_unique_id(),
                      "", ("no answer",), 6, None, 6)  # fmt: skip


def test_an_agent_cannot_claim_mark_or_release_another_agents_lead(floor: str) -> None:
    bobs = failed_lead(1, "8013120009")
    bob = Floor(login_url(floor, "bob"), "desk-bob", "bob")
    with bob, bob.connection() as db:
        floor_leads.push(db, "desk-bob", "bob", [bobs])
    [(floor_id,)] = floor_rows(floor, "SELECT id FROM floor_leads")
    unique_id = bobs.lead.lead_company_unique_id
    ann = Floor(login_url(floor, "ann"), "desk-ann", "ann")
    with ann, ann.connection() as db:
        assert floor_claims.claim_next(db, "desk-ann", 60.0, ids=[floor_id]) is None
        assert not floor_claims.mark_posting(db, floor_id, "desk-ann")
        assert not floor_claims.record_result(db, floor_id, "desk-ann", State.ACCEPTED, "C", [])
        # Naming Bob's desk and lead ID gets Ann nowhere either: a row she cannot see is
        # one she may not resend (not one the floor lacks), and none of it is read.
        found = own_claims.claim_own(db, "desk-bob", "desk-ann (own)", [unique_id], 60.0)
        assert (found.claimed, found.lapsed) == ({}, {})
        assert "under another login" in found.busy[unique_id]
    sue = Floor(login_url(floor, "sue"), "desk-sue", "sue")
    with sue, sue.connection() as db:
        claim = floor_claims.claim_next(db, "desk-sue", 60.0, ids=[floor_id])
        assert claim is not None and floor_claims.mark_posting(db, floor_id, "desk-sue")
    ann = Floor(login_url(floor, "ann"), "desk-ann", "ann")
    with ann, ann.connection() as db:  # nor free the supervisor's claim for another post
        own_claims.release_own(db, "desk-sue", [floor_id])
        floor_claims.release(db, floor_id, "desk-sue")
        cleared = db.execute("UPDATE floor_leads SET claim_desk = NULL WHERE id = %s",
                             (floor_id,))  # fmt: skip
        assert cleared.rowcount == 0
    assert floor_rows(floor, "SELECT claim_desk, claim_posting, state FROM floor_leads") == [
        ("desk-sue", True, "failed")
    ]
