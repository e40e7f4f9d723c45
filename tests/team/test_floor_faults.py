"""The floor failing under the desks: the server stopped mid-send and started again, two
desks resending the same failed leads at once, a desk killed holding a claim. Real
PostgreSQL, real `leaddesk` processes, the sandbox as the dealer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from leaddesk.sandbox import Faults, Sandbox
from tests.support.cli_home import HEADER, Home, finish, free_port, row
from tests.support.floor import FloorDesk, floor_rows, login_url
from tests.support.postgres import PostgresServer
from tests.support.waiting import wait_until


def desk(tmp_path: Path, floor: str, name: str, login: str, url: str, **kw: float) -> FloorDesk:
    made = FloorDesk(Home(tmp_path / name), login_url(floor, login))
    lease = kw.pop("lease", None)
    made.configure(url, lease=lease, **kw)
    return made


def count(floor: str, where: str) -> int:
    [(found,)] = floor_rows(floor, f"SELECT count(*) FROM floor_leads WHERE {where}")
    return int(found)


@pytest.fixture
def failed_on_the_floor(tmp_path: Path, floor: str) -> Iterator[tuple[FloorDesk, list[int]]]:
    """Ann's desk sent 6 leads to an address where nothing listens: failed, on the floor."""
    ann = desk(tmp_path, floor, "ann", "ann", f"http://127.0.0.1:{free_port()}/x", retry_limit=1)
    csv = ann.home.write_csv("ann.csv", HEADER, [row(i) for i in range(1, 7)])
    sent = ann.run("send", csv)
    assert sent.returncode == 1 and sent.stdout.count("failed") >= 6, sent.stdout + sent.stderr
    ids = [int(found) for (found,) in floor_rows(floor, "SELECT id FROM floor_leads")]
    assert len(ids) == 6 and count(floor, "state = 'failed'") == 6
    yield ann, ids


def test_the_floor_stopped_mid_send_the_desk_keeps_sending_and_syncs_later(
    tmp_path: Path, floor: str, postgres: PostgresServer
) -> None:
    with Sandbox(faults=Faults(delay=0.5)) as dealer:
        ann = desk(tmp_path, floor, "ann", "ann", dealer.url(), batch_size=1)
        csv = ann.home.write_csv("a.csv", HEADER, [row(i) for i in range(1, 9)])
        sending = ann.start("send", csv)
        # The queued leads reach the floor before they are posted; then the floor stops.
        wait_until(lambda: count(floor, "state = 'queued'") == 8, "the queued leads pushed")
        postgres.stop()
        try:
            first = finish(sending)
            second = ann.run("send", ann.home.write_csv("b.csv", HEADER, [row(9), row(10)]))
        finally:
            postgres.start()
        assert dealer.accepted_count().total() == 10
    for result in (first, second):
        assert result.returncode == 0, result.stdout + result.stderr
        assert result.stderr.count("floor offline") == 1, result.stderr
    assert "own history only" in second.stderr  # its duplicate guard said how far it saw
    assert count(floor, "true") == 8  # as the floor last saw them: queued
    synced = ann.run("sync")
    assert synced.returncode == 0, synced.stderr
    assert count(floor, "state = 'accepted'") == 10
    assert count(floor, "true") == 10  # none lost, none doubled
    assert {lead["lead"]["lead_company_unique_id"] for lead in ann.floor_history()} == {
        lead.lead.lead_company_unique_id for lead in ann.home.leads()
    }


def test_two_desks_resending_the_same_failed_leads_post_each_once(
    tmp_path: Path, floor: str, failed_on_the_floor: tuple[FloorDesk, list[int]]
) -> None:
    ann, ids = failed_on_the_floor
    with Sandbox(faults=Faults(delay=0.1)) as dealer:
        first = desk(tmp_path, floor, "sue-1", "sue", dealer.url())
        second = desk(tmp_path, floor, "sue-2", "sue", dealer.url())
        runs = [each.start("resend", "--floor", "--failed", "--url", dealer.url())
                for each in (first, second)]  # fmt: skip
        results = [finish(run) for run in runs]
        received = dealer.accepted_count()
    for result in results:
        assert result.returncode == 0, result.stdout + result.stderr
    assert len(received) == 6 and set(received.values()) == {1}  # each reached the dealer once
    said = "".join(result.stdout for result in results)
    assert sorted(int(line.split()[2]) for line in said.splitlines() if "accepted" in line) == ids
    assert count(floor, "state = 'accepted' AND resent_by IS NOT NULL") == 6
    # The owning desk takes the results into its own history at its next sync.
    synced = ann.run("sync")
    assert "6 resent elsewhere taken in" in synced.stdout, synced.stdout + synced.stderr
    assert {lead.state.value for lead in ann.home.leads()} == {"accepted"}
    assert count(floor, "true") == 6


def test_a_desk_killed_holding_a_claim_leaves_the_lead_to_another_after_the_lease(
    tmp_path: Path, floor: str, failed_on_the_floor: tuple[FloorDesk, list[int]]
) -> None:
    _, ids = failed_on_the_floor
    with Sandbox(faults=Faults(delay=5)) as slow, Sandbox() as dealer:
        holder = desk(tmp_path, floor, "sue-1", "sue", slow.url(), lease=4)
        other = desk(tmp_path, floor, "sue-2", "sue", dealer.url(), lease=4)
        running = holder.start("resend", "--floor", str(ids[0]), "--url", slow.url())
        wait_until(lambda: count(floor, f"id = {ids[0]} AND claim_posting") == 1, "the post")
        running.kill()  # SIGKILL: the claim stays behind, its post begun
        running.communicate()
        early = other.run("resend", "--floor", str(ids[0]), "--url", dealer.url())
        assert "being resent by desk" in early.stdout, early.stdout + early.stderr
        with psycopg.connect(floor, autocommit=True) as db:  # now() of each query
            wait_until(
                lambda: bool(db.execute(
                    f"SELECT claim_until < now() FROM floor_leads WHERE id = {ids[0]}"
                ).fetchone() == (True,)),
                "the lease to lapse",
            )  # fmt: skip
        taken = other.run("resend", "--floor", str(ids[0]), "--url", dealer.url())
        # Its post had begun: the lead may be with the dealer, so not posted again silently.
        assert f"floor lead {ids[0]} unconfirmed" in taken.stdout, taken.stdout + taken.stderr
        assert "may have arrived" in taken.stdout
        assert dealer.accepted_count().total() == 0
        forced = other.run("resend", "--floor", str(ids[0]), "--force", "--url", dealer.url())
        assert forced.returncode == 0 and "accepted" in forced.stdout, forced.stdout
        assert dealer.accepted_count().total() == 1
