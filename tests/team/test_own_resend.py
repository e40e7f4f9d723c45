"""A desk resending its own lead (`leaddesk resend ID`) while a supervisor resends it for
the floor: whichever starts first posts it, the other is told why not, and the dealer
receives it once. Real PostgreSQL, real `leaddesk` processes, the sandbox as the dealer;
the overlap is made certain by a slow dealer and waiting for the claim or the post."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.sandbox import Faults, Sandbox
from tests.support.cli_home import HEADER, finish, free_port, row
from tests.support.floor import (
    FloorDesk,
    desk_with_failed_leads,
    floor_count,
    floor_rows,
    make_desk,
)
from tests.support.waiting import wait_until


@pytest.fixture
def ann_failed(tmp_path: Path, floor: str) -> tuple[FloorDesk, dict[int, int]]:
    return desk_with_failed_leads(tmp_path / "ann", floor, 3)


def test_a_desk_cannot_resend_its_lead_while_a_supervisor_posts_it(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, floor_ids = ann_failed
    local, floor_id = next(iter(floor_ids.items()))
    with Sandbox(faults=Faults(delay=3)) as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        resending = sue.start("resend", "--floor", str(floor_id), "--url", dealer.url())
        wait_until(lambda: floor_count(floor, f"id = {floor_id} AND claim_posting") == 1,
                   "the supervisor's post to begin")  # fmt: skip
        own = ann.run("resend", str(local), "--url", dealer.url())
        supervisor = finish(resending)
        assert dealer.accepted_count().total() == 1  # only the supervisor's post
    assert f"lead {local}: not resent: being resent by desk {sue.desk_id}" in own.stdout, (
        own.stdout + own.stderr
    )
    assert supervisor.returncode == 0 and "accepted" in supervisor.stdout, supervisor.stdout
    # The result reaches Ann's history; resending it now is refused as for any accepted lead.
    synced = ann.run("sync")
    assert "1 resent elsewhere taken in" in synced.stdout, synced.stdout + synced.stderr
    [accepted] = [lead for lead in ann.home.leads() if lead.id == local]
    assert accepted.state.value == "accepted"


def test_a_supervisor_cannot_resend_a_lead_its_desk_is_posting(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, floor_ids = ann_failed
    local, floor_id = next(iter(floor_ids.items()))
    with Sandbox(faults=Faults(delay=3)) as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        own = ann.start("resend", str(local), "--url", dealer.url())
        wait_until(lambda: dealer.posts == 1, "the desk's own post to reach the dealer")
        floor_resend = sue.run("resend", "--floor", str(floor_id), "--url", dealer.url())
        floor_failed = sue.run("resend", "--floor", "--failed", "--url", dealer.url())
        mine = finish(own)
        received = dealer.accepted_count()
    assert mine.returncode == 0 and "accepted" in mine.stdout, mine.stdout + mine.stderr
    assert f"floor lead {floor_id}: not resent" in floor_resend.stdout, floor_resend.stdout
    # --failed took the two other failed leads, not the one being posted at its desk.
    assert f"floor lead {floor_id} " not in floor_failed.stdout, floor_failed.stdout
    assert floor_failed.stdout.count("accepted") == 2, floor_failed.stdout
    assert len(received) == 3 and set(received.values()) == {1}
    # Its desk's push after the command: accepted on the floor, no claim left behind.
    assert floor_count(floor, f"id = {floor_id} AND state = 'accepted'") == 1
    assert floor_count(floor, "claim_desk IS NOT NULL") == 0


def test_the_outbox_of_a_desk_never_reposts_a_lead_a_supervisor_may_resend(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    """A failed lead is the floor's to resend: the desk's later sends leave it alone, and
    while a lead is in the desk's outbox (queued on the floor) no supervisor takes it."""
    ann, floor_ids = ann_failed
    with Sandbox(faults=Faults(delay=1)) as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        ann.home.configure(dealer.url(), batch_size=1)
        sending = ann.start("send", ann.home.write_csv("b.csv", HEADER, [row(7), row(8)]))
        wait_until(lambda: floor_count(floor, "state = 'queued'") == 2, "the queued leads")
        resent = sue.run("resend", "--floor", "--failed", "--url", dealer.url())
        sent = finish(sending)
        received = dealer.accepted_count()
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert resent.stdout.count("accepted") == 3, resent.stdout  # Ann's 3 failed ones only
    assert len(received) == 5 and set(received.values()) == {1}
    resent_ids = floor_rows(floor, "SELECT id FROM floor_leads WHERE resent_by IS NOT NULL")
    assert {fid for (fid,) in resent_ids} == set(floor_ids.values())


def test_with_the_floor_offline_a_desk_resends_only_leads_the_floor_never_had(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, floor_ids = ann_failed
    pushed = next(iter(floor_ids))
    ann.floor_url = f"postgresql://ann@127.0.0.1:{free_port()}/nowhere"  # the floor is down
    late = ann.run("send", ann.home.write_csv("c.csv", HEADER, [row(9)]))
    assert late.returncode == 1 and "floor offline" in late.stderr, late.stdout + late.stderr
    [never] = [lead.id for lead in ann.home.leads() if lead.id not in floor_ids]
    with Sandbox() as dealer:
        own = ann.run("resend", str(pushed), str(never), "--url", dealer.url())
        received = dealer.accepted_count()
    assert f"lead {pushed}: not resent: the floor is offline" in own.stdout, own.stdout
    assert f"lead {never} accepted" in own.stdout, own.stdout
    assert received.total() == 1


def test_sending_a_file_again_leaves_its_failed_lead_to_the_supervisor_posting_it(
    tmp_path: Path, floor: str, ann_failed: tuple[FloorDesk, dict[int, int]]
) -> None:
    ann, floor_ids = ann_failed
    local, floor_id = next(iter(floor_ids.items()))
    with Sandbox(faults=Faults(delay=3)) as dealer:
        sue = make_desk(tmp_path / "sue", floor, "sue", dealer.url())
        resending = sue.start("resend", "--floor", str(floor_id), "--url", dealer.url())
        wait_until(lambda: floor_count(floor, f"id = {floor_id} AND claim_posting") == 1,
                   "the supervisor's post to begin")  # fmt: skip
        again = ann.run("send", ann.home.root.parent / "a.csv", "--url", dealer.url())
        finish(resending)
        received = dealer.accepted_count()
    assert f"lead {local}: not resent: being resent by desk" in again.stdout, again.stdout
    assert len(received) == 3 and set(received.values()) == {1}  # the others from the file
