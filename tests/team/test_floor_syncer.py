"""The window's periodic push to the floor (app/floor_syncer.py): leads queued at the desk
reach the floor on their own, and their later states follow, with none doubled."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import psycopg

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


def lee_queued(db_path: Path) -> None:
    with Store(db_path) as store:
        lead = Lead(fname="Ann", lname="Lee", phone1="8013120001", city="Boise", state="ID")
        store.add(lead, "https://dealer.test/")


def on_the_floor_with_a_result(floor_url: str, db_path: Path, result: str) -> TeamDesk:
    """Ann's desk with a lead on the floor, and a supervisor's result for it there
    (`result`: the SET clause of what the result holds) that her desk has yet to take."""
    set_up_floor(floor_url)
    lee_queued(db_path)
    team = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann"), 60.0)
    with Store(db_path) as store:
        assert team.sync(store) is not None
    with psycopg.connect(floor_url, autocommit=True) as admin:
        admin.execute(
            f"UPDATE floor_leads SET {result}, result_taken = false,"
            " resent_by = 'sue', resent_at = now()"
        )
    return team


def a_second_lead_reaches_the_floor(syncer: FloorSyncer, floor_url: str, db_path: Path) -> None:
    with Store(db_path) as store:
        store.add(
            Lead(fname="Bo", lname="Kim", phone1="8013120002", city="Boise", state="ID"),
            "https://dealer.test/",
        )
    syncer.sync_now()
    wait_until(lambda: len(floor_rows(floor_url)) == 2, "the pushes going on")


def test_a_floor_that_answers_an_error_is_offline_for_a_while_not_the_end_of_the_pushes(
    floor_url: str, db_path: Path
) -> None:
    """A floor whose table lost a column (a migration half done) answered an error no one
    translated: the push's thread died, and the floor missed every later lead of this
    desk without a word."""
    set_up_floor(floor_url)
    said: list[str] = []
    with psycopg.connect(floor_url, autocommit=True) as admin:
        admin.execute("ALTER TABLE floor_leads RENAME COLUMN email TO email_gone")
    team = TeamDesk(Floor(login_url(floor_url, "ann"), "desk-ann", "ann", said.append), 60.0)
    syncer = FloorSyncer(team, db_path, every_seconds=0.2).start()
    try:
        lee_queued(db_path)
        wait_until(lambda: bool(said), "the floor's error told")
        assert "UndefinedColumn" in said[0], said
        assert "Lee" not in " ".join(said) and "8013120001" not in " ".join(said)
        with psycopg.connect(floor_url, autocommit=True) as admin:
            admin.execute("ALTER TABLE floor_leads RENAME COLUMN email_gone TO email")
        syncer.sync_now()
        wait_until(lambda: [s for _, s in floor_rows(floor_url)] == ["queued"], "pushed again")
    finally:
        syncer.stop()


def test_a_resend_result_in_a_state_this_leaddesk_does_not_know_stops_no_push(
    floor_url: str, db_path: Path
) -> None:
    """A supervisor's newer LeadDesk may mark a result with a state this one has no word
    for: reading it raised, and the pushes of this desk stopped for good."""
    team = on_the_floor_with_a_result(floor_url, db_path, "state = 'archived'")
    syncer = FloorSyncer(team, db_path, every_seconds=0.2).start()
    try:
        a_second_lead_reaches_the_floor(syncer, floor_url, db_path)
    finally:
        syncer.stop()
    assert sorted(s for _, s in floor_rows(floor_url)) == ["archived", "queued"]


def test_a_push_that_fails_unforeseen_is_told_and_the_pushes_go_on(
    floor_url: str, db_path: Path
) -> None:
    """A floor row no LeadDesk wrote (a hand edit: a result's errors a number, not a
    list) made reading it raise in Python: the push's thread died without a word."""
    team = on_the_floor_with_a_result(floor_url, db_path, "state = 'rejected', errors = '5'")
    told: list[str] = []
    passes: list[object] = []
    syncer = FloorSyncer(
        team, db_path, every_seconds=0.05, on_pass=passes.append, on_trouble=told.append
    ).start()
    try:
        wait_until(lambda: bool(told), "the failed push told")
        assert "TypeError" in told[0] and "keeps sending on its own" in told[0], told
        failed_so_far = len(passes)
        wait_until(lambda: len(passes) >= failed_so_far + 3, "more failed pushes")
        assert len(told) == 1, told  # told once, not at every pass
        with psycopg.connect(floor_url, autocommit=True) as admin:
            admin.execute("UPDATE floor_leads SET errors = '[]'")  # the row mended
        a_second_lead_reaches_the_floor(syncer, floor_url, db_path)
    finally:
        syncer.stop()
