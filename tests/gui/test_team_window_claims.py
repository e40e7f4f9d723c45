"""The window in team mode keeps the command line's two promises: its own resends (Resend,
Send to…, Retry now) claim each lead on the floor first, so a supervisor's floor resend
of the same lead at the same moment cannot post it twice; and Submit holds the household
on the floor around its duplicate checks and insert, without ever waiting long for it.

Real PostgreSQL, real `leaddesk` processes for the supervisor and the other desk, the
sandbox as the dealer; the overlap is made certain by a slow dealer, or by the test
holding a claim or a household lock itself."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from pytestqt.wait_signal import SignalBlocker

from leaddesk.config.settings import Destination, Settings
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.gui.floor_errand import FloorRequeue
from leaddesk.sandbox import Faults, Sandbox
from leaddesk.team.households import HOUSEHOLD_LOCKS, household_key
from tests.support.cli_home import HEADER, finish
from tests.support.floor import floor_count, floor_rows, login_url, make_desk, set_up_floor
from tests.support.gui_helpers import (
    GOOD_CALL,
    SOURCE_ID,
    DialogAnswerer,
    Rig,
    press,
    type_call,
    wait_for_state,
)
from tests.support.postgres import find_bin_dir, running_postgres
from tests.support.team_window import TeamBench, link_of, submit, wait_online
from tests.support.waiting import wait_until


def failed_at_ann(qtbot: QtBot, team_bench: TeamBench, floor_url: str) -> tuple[Rig, int, int]:
    """Ann's window sent a lead where nothing listens: failed at her desk and on the floor.
    Ann's rig, the lead's floor id, and the dealer's port (to start it there)."""
    set_up_floor(floor_url)
    gone = Sandbox().start()
    port, url = gone.port, gone.url()
    gone.stop()
    ann = team_bench.open("ann", login_url(floor_url, "ann"), url)
    type_call(qtbot, ann.form)
    submit(qtbot, ann)
    wait_for_state(qtbot, ann.store, 1, State.FAILED)
    qtbot.waitUntil(lambda: [s for _, s in floor_rows(floor_url)] == ["failed"], timeout=15000)
    [(floor_id,)] = floor_rows(floor_url, "SELECT id FROM floor_leads")
    return ann, int(floor_id), port


def settled(qtbot: QtBot, requeue: FloorRequeue) -> SignalBlocker:
    """Waits for the window's own resend to be done with the floor (not raising: what
    the dealer received and the window said tell whether it went right)."""
    return qtbot.waitSignal(requeue.settled, timeout=20000, raising=False)


def hold_claim(floor_url: str, floor_id: int, holder: str) -> None:
    """A supervisor's desk holding the lead's claim, mid-post, as `resend --floor` does."""
    with psycopg.connect(floor_url) as db:
        db.execute(
            "UPDATE floor_leads SET claim_desk = %s, claim_posting = true,"
            " claim_until = now() + interval '5 minutes' WHERE id = %s",
            (holder, floor_id),
        )


def let_go(floor_url: str, floor_id: int) -> None:
    with psycopg.connect(floor_url) as db:
        db.execute(
            "UPDATE floor_leads SET claim_desk = NULL, claim_posting = false,"
            " claim_until = NULL WHERE id = %s",
            (floor_id,),
        )


def test_the_windows_resend_leaves_a_lead_to_the_supervisor_posting_it(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, tmp_path: Path
) -> None:
    ann, floor_id, port = failed_at_ann(qtbot, team_bench, floor_url)
    with Sandbox(port=port, faults=Faults(delay=3)) as dealer:  # the dealer is back, slow
        sue = make_desk(tmp_path / "sue", floor_url, "sue", dealer.url())
        resending = sue.start("resend", "--floor", str(floor_id), "--url", dealer.url())
        qtbot.waitUntil(
            lambda: floor_count(floor_url, f"id = {floor_id} AND claim_posting") == 1,
            timeout=15000,
        )
        pane, requeue = ann.window.history, link_of(ann).requeue
        assert requeue is not None
        assert pane.select_lead(1)
        pane.table.setFocus()
        with DialogAnswerer("OK") as answers, settled(qtbot, requeue):
            press(qtbot, pane.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        supervisor = finish(resending)
        assert supervisor.returncode == 0, supervisor.stdout + supervisor.stderr
        # The supervisor's result reaches Ann's history at her next push; nothing more left.
        wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)
        assert dealer.accepted_count().total() == 1
        said = answers.only
        assert said.title == "Not resent"
        assert f"Lead 1: not resent: being resent by desk {sue.desk_id}" in said.text
    assert floor_count(floor_url, "claim_desk IS NOT NULL") == 0


def test_send_to_and_retry_now_claim_the_lead_on_the_floor(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str
) -> None:
    ann, floor_id, _port = failed_at_ann(qtbot, team_bench, floor_url)
    control = ann.window.queue_watch.control
    requeue = link_of(ann).requeue
    assert requeue is not None
    with Sandbox() as dealer:
        there = Destination(name="Dealer", url=dealer.url(), source_id=SOURCE_ID)
        hold_claim(floor_url, floor_id, "desk-sue")
        with DialogAnswerer("OK") as answers, settled(qtbot, requeue):
            control.send_to([1], there)
        assert "Lead 1: not resent: being resent by desk desk-sue" in answers.only.text
        left = ann.store.get(1)
        assert left is not None and left.state is State.FAILED  # left to the supervisor

        # Retry now of a queued lead (its next try far off) asks the floor too.
        with ann.store.transaction() as db:
            db.execute("UPDATE leads SET state = 'queued', due_at = ?, destination = ?"
                       " WHERE id = 1", (time.time() + 3600, dealer.url()))  # fmt: skip
        ann.window.history.show_changed([1])
        assert ann.window.history.select_lead(1)
        with DialogAnswerer("OK") as answers, settled(qtbot, requeue):
            control.retry_selected()
        assert "Lead 1: not resent: being resent by desk desk-sue" in answers.only.text
        assert dealer.posts == 0

        let_go(floor_url, floor_id)  # the supervisor's desk gave it back
        with DialogAnswerer(None) as answers, settled(qtbot, requeue):
            control.retry_selected()
        assert not answers.seen
        wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)
        assert dealer.accepted_count().total() == 1
    # Its queued state was pushed before the claim went back: none is left behind.
    qtbot.waitUntil(lambda: floor_count(floor_url, "state = 'accepted'") == 1, timeout=15000)
    assert floor_count(floor_url, "claim_desk IS NOT NULL") == 0


def test_submit_does_not_wait_on_a_household_held_elsewhere_nor_send_it_twice(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, tmp_path: Path
) -> None:
    """Bob's `leaddesk send` of the household waits for a lock the test holds; Ann's
    Submit of it meanwhile gives up on the floor at once, says so and queues on her own
    history; Bob then finds her lead and holds his row back."""
    set_up_floor(floor_url)
    row = (GOOD_CALL["phone1"], "Boise", GOOD_CALL["lname"], "Idaho", "Bo", "bo@example.com")
    key = household_key(Lead(phone1=row[0], city=row[1], lname=row[2], state=row[3],
                             fname=row[4]))  # fmt: skip
    with Sandbox(faults=Faults(delay=0.2)) as dealer:
        ann = team_bench.open("ann", login_url(floor_url, "ann"), dealer.url())
        wait_online(qtbot, ann)
        bob = make_desk(tmp_path / "bob", floor_url, "bob", dealer.url())
        with psycopg.connect(floor_url, autocommit=True) as holder:
            holder.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (HOUSEHOLD_LOCKS, key))
            sending = bob.start("send", bob.home.write_csv("b.csv", HEADER, [row]))
            try:
                qtbot.waitUntil(lambda: waiting_for_households(holder) == 1, timeout=15000)
                type_call(qtbot, ann.form)
                with DialogAnswerer(None) as answers:
                    took = submit(qtbot, ann)
                assert not answers.seen
                assert took < 1.0, f"Submit waited {took:.2f} s on a household held elsewhere"
                assert ann.stored_count() == 1
                assert any("own history only" in text for text in ann.notices())
                # Ann's lead reaches the floor before Bob's desk may look.
                qtbot.waitUntil(lambda: floor_count(floor_url, "true") == 1, timeout=15000)
            finally:
                holder.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                               (HOUSEHOLD_LOCKS, key))  # fmt: skip
        sent = finish(sending)
        wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)
        by_phone = dealer.accepted_count("phone1")
    assert "skipped, likely a duplicate of floor lead" in sent.stdout, sent.stdout + sent.stderr
    assert by_phone.total() == 1, by_phone


def test_a_window_and_a_desk_submitting_one_household_at_once_send_it_once(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, tmp_path: Path
) -> None:
    """Both wait for the household (the test holds it until both do, then lets go): the
    one that has it first queues and pushes; the other finds that lead on the floor."""
    set_up_floor(floor_url)
    row = (GOOD_CALL["phone1"], "Boise", GOOD_CALL["lname"], "Idaho", "Bo", "bo@example.com")
    key = household_key(Lead(phone1=row[0], city=row[1], lname=row[2], state=row[3],
                             fname=row[4]))  # fmt: skip
    with Sandbox() as dealer:
        ann = team_bench.open("ann", login_url(floor_url, "ann"), dealer.url())
        wait_online(qtbot, ann)
        bob = make_desk(tmp_path / "bob", floor_url, "bob", dealer.url())
        locked, watching, both_waited = threading.Event(), threading.Event(), threading.Event()

        def hold_until_both_wait() -> None:
            with psycopg.connect(floor_url, autocommit=True) as holder:
                holder.execute("SELECT pg_advisory_lock(%s, hashtext(%s))",
                               (HOUSEHOLD_LOCKS, key))  # fmt: skip
                locked.set()
                watching.wait(30)
                try:
                    wait_until(lambda: waiting_for_households(holder) == 2, "both", 15)
                    both_waited.set()
                finally:
                    holder.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                                   (HOUSEHOLD_LOCKS, key))  # fmt: skip

        holding = threading.Thread(target=hold_until_both_wait, daemon=True)
        holding.start()
        assert locked.wait(15)
        sending = bob.start("send", bob.home.write_csv("b.csv", HEADER, [row]))
        with psycopg.connect(floor_url, autocommit=True) as watch:
            qtbot.waitUntil(lambda: waiting_for_households(watch) == 1, timeout=15000)
        type_call(qtbot, ann.form)
        watching.set()
        with DialogAnswerer("Don't send") as answers:
            took = submit(qtbot, ann)
        holding.join(30)
        sent = finish(sending)
        assert took < 1.0, f"Submit waited {took:.2f} s"
        assert both_waited.is_set(), "the window did not wait for the household"
        if answers.seen:  # Bob's desk had the household first: Ann was asked
            assert answers.only.title == "Likely duplicate on the floor"
            assert ann.stored_count() == 0
        else:  # Ann's had it first: Bob's desk held its row back
            assert "skipped, likely a duplicate of floor lead" in sent.stdout, sent.stdout
            wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)
        qtbot.waitUntil(lambda: floor_count(floor_url, "true") == 1, timeout=15000)
        assert dealer.accepted_count("phone1").total() == 1
    assert not any("own history only" in text for text in ann.notices())
    assert "own history only" not in sent.stderr, sent.stderr


def test_with_the_floor_down_the_windows_resend_is_quick_and_leaves_floor_leads(
    qtbot: QtBot, team_bench: TeamBench
) -> None:
    """A lead the floor has may be a supervisor's to post this minute: with the floor
    down, the window's Resend leaves it, says why, and never holds the window long."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries")
    with running_postgres(bin_dir) as server:
        ann, _floor_id, port = failed_at_ann(qtbot, team_bench, server.create_database())
        server.stop("immediate")
        requeue = link_of(ann).requeue
        assert requeue is not None
        pane = ann.window.history
        assert pane.select_lead(1)
        with Sandbox(port=port) as dealer:
            with DialogAnswerer("OK") as answers, settled(qtbot, requeue):
                started = time.monotonic()
                pane.resend_selected()
                took = time.monotonic() - started
            assert took < 1.0, f"Resend held the window {took:.2f} s on a floor that is down"
            assert "Lead 1: not resent: the floor is offline" in answers.only.text
            left = ann.store.get(1)
            assert left is not None and left.state is State.FAILED
            assert dealer.posts == 0


def test_a_destination_fixed_in_settings_leaves_a_lead_a_supervisor_posts(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str
) -> None:
    set_up_floor(floor_url)
    with Sandbox() as dealer:
        wrong = dealer.url().replace("leadpostxml.php", "wrong/leadpostxml.php")
        ann = team_bench.open("ann", login_url(floor_url, "ann"), wrong)
        name = ann.desk.destination.name
        old = Settings(destinations=(Destination(name=name, url=wrong, source_id=SOURCE_ID),))
        new = Settings(destinations=(Destination(name=name, url=dealer.url(),
                                                 source_id=SOURCE_ID),))  # fmt: skip
        type_call(qtbot, ann.form)
        submit(qtbot, ann)
        wait_for_state(qtbot, ann.store, 1, State.FAILED)  # refused: the destination holds
        assert [hold.destination for hold in ann.store.holds()] == [wrong]
        qtbot.waitUntil(lambda: [s for _, s in floor_rows(floor_url)] == ["failed"], timeout=15000)
        [(floor_id,)] = floor_rows(floor_url, "SELECT id FROM floor_leads")
        requeue = link_of(ann).requeue
        assert requeue is not None

        hold_claim(floor_url, floor_id, "desk-sue")
        with settled(qtbot, requeue):
            said = ann.window.queue_watch.settings_changed(old, new)
        said = said or ann.last_result()
        assert "Lead 1: not resent: being resent by desk desk-sue" in said, said
        left = ann.store.get(1)
        assert left is not None and (left.state, left.destination) == (State.FAILED, wrong)

        let_go(floor_url, floor_id)
        with settled(qtbot, requeue):
            said = ann.window.queue_watch.settings_changed(old, new)
        said = said or ann.last_result()
        assert "1 lead waiting for the fix go out now." in said, said
        wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)
        assert dealer.accepted_count().total() == 1
    assert floor_count(floor_url, "claim_desk IS NOT NULL") == 0


def waiting_for_households(db: psycopg.Connection[tuple[int]]) -> int:
    [(waiting,)] = db.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND classid = %s",
        (HOUSEHOLD_LOCKS,),
    ).fetchall()
    return int(waiting)


def test_edit_and_resend_waits_for_the_supervisor_posting_the_lead(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str
) -> None:
    ann, floor_id, port = failed_at_ann(qtbot, team_bench, floor_url)
    requeue = link_of(ann).requeue
    assert requeue is not None
    hold_claim(floor_url, floor_id, "desk-sue")
    ann.window.edit_lead(1)
    assert ann.window.edit_session.lead_id == 1
    with DialogAnswerer("OK") as answers, settled(qtbot, requeue):
        submit(qtbot, ann)
    said = answers.only
    assert said.title == "Fix not resent"
    assert "Lead 1: not resent: being resent by desk desk-sue" in said.text
    assert ann.window.edit_session.lead_id == 1, "the fix stays in the form"
    assert ann.form.values()["lname"] == GOOD_CALL["lname"]
    left = ann.store.get(1)
    assert left is not None and left.state is State.FAILED

    let_go(floor_url, floor_id)
    with Sandbox(port=port) as dealer:
        with DialogAnswerer(None) as answers, settled(qtbot, requeue):
            submit(qtbot, ann)
        assert not answers.seen
        assert ann.window.edit_session.lead_id is None  # the fix went: the form is free
        wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)
        assert dealer.accepted_count().total() == 1
    qtbot.waitUntil(lambda: floor_count(floor_url, "state = 'accepted'") == 1, timeout=15000)
    assert floor_count(floor_url, "claim_desk IS NOT NULL") == 0
