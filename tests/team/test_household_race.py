"""Two desks sending the same household at the same moment (real `leaddesk send`
processes, the real floor, the sandbox as the dealer): it reaches the dealer once.

The overlap is made certain: the test holds the household's lock on the floor until both
desks wait for it, so both have read their files and ask the floor at the same moment."""

from __future__ import annotations

from pathlib import Path

import psycopg

from leaddesk.domain.lead import Lead
from leaddesk.sandbox import Faults, Sandbox
from leaddesk.team.households import HOUSEHOLD_LOCKS, household_key
from tests.support.cli_home import HEADER, finish, row
from tests.support.floor import floor_count, make_desk
from tests.support.waiting import wait_until


def waiting_for_households(db: psycopg.Connection[tuple[int]]) -> int:
    [(waiting,)] = db.execute(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
        " AND classid = %s",
        (HOUSEHOLD_LOCKS,),
    ).fetchall()
    return int(waiting)


def test_two_desks_sending_one_household_at_once_send_it_once(tmp_path: Path, floor: str) -> None:
    same = row(1)
    key = household_key(Lead(phone1=same[0], city=same[1], lname=same[2], state=same[3],
                             fname=same[4]))  # fmt: skip
    with Sandbox(faults=Faults(delay=0.2)) as dealer:
        desks = [make_desk(tmp_path / name, floor, name, dealer.url()) for name in ("ann", "bob")]
        files = [
            desks[0].home.write_csv("a.csv", HEADER, [same, row(2)]),
            desks[1].home.write_csv("b.csv", HEADER, [row(3), same]),
        ]
        with psycopg.connect(floor, autocommit=True) as holder:
            holder.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (HOUSEHOLD_LOCKS, key))
            sends = [desk.start("send", csv) for desk, csv in zip(desks, files, strict=True)]
            try:
                wait_until(lambda: waiting_for_households(holder) == 2,
                           "both desks to wait for the household")  # fmt: skip
            finally:
                holder.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                               (HOUSEHOLD_LOCKS, key))  # fmt: skip
        results = [finish(send) for send in sends]
        by_phone = dealer.accepted_count("phone1")
    said = "".join(result.stdout for result in results)
    assert by_phone.total() == 3, said  # rows 2 and 3, and the household once
    assert set(by_phone.values()) == {1}, by_phone
    assert said.count("skipped, likely a duplicate of floor lead") == 1, said
    assert sorted(result.returncode for result in results) == [0, 1]  # the one holding back
    assert floor_count(floor, "phone1 = '8013120001'") == 1
    for result in results:
        assert "own history only" not in result.stderr, result.stderr


def test_a_household_held_too_long_elsewhere_does_not_stop_a_send(
    tmp_path: Path, floor: str
) -> None:
    """A desk never waits long on the floor: past the household's wait it checks its own
    history alone, says so, and sends."""
    same = row(1)
    key = household_key(Lead(phone1=same[0], city=same[1], lname=same[2], state=same[3],
                             fname=same[4]))  # fmt: skip
    with Sandbox() as dealer, psycopg.connect(floor, autocommit=True) as holder:
        ann = make_desk(tmp_path / "ann", floor, "ann", dealer.url())
        holder.execute("SELECT pg_advisory_lock(%s, hashtext(%s))", (HOUSEHOLD_LOCKS, key))
        sent = ann.run("send", ann.home.write_csv("a.csv", HEADER, [same]))
        assert dealer.accepted_count().total() == 1
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "own history only" in sent.stderr and "floor offline" not in sent.stderr
    assert floor_count(floor, "state = 'accepted'") == 1  # pushed all the same
