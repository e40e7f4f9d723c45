"""A desk's push to the floor cut short: its connection terminated by the server, and the
`leaddesk sync` process killed (SIGKILL) mid-push, each after some pages were committed.
The next push gives the floor the rest: no lead lost, none doubled, each as the desk has
it."""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg

from leaddesk.history.store import Store
from tests.support.cli_home import finish
from tests.support.floor import (
    LeadsHeld,
    floor_count,
    floor_rows,
    make_desk,
    waiting_for_a_lock,
)
from tests.support.leads import make_lead
from tests.support.waiting import wait_until

TOTAL = 20_000  # a desk back from a long outage: many pages
STEP_SECONDS = 10.0
URL = "http://127.0.0.1:9/x"


@contextmanager
def mid_page(floor: str, sync: subprocess.Popen[str], beyond: int = 0) -> Iterator[int]:
    """Once `sync` has pushed some pages (more than `beyond` leads), hold the floor's table
    until its next statement waits for it, mid-transaction: the desk's backend pid."""
    wait_until(lambda: floor_count(floor, "true") > beyond, "the first pages")
    hold = LeadsHeld(floor)
    try:
        assert hold.held.wait(30)
        wait_until(lambda: waiting_for_a_lock(floor, "ann") == 1, "the desk's next page")
        [(pid,)] = floor_rows(
            floor, "SELECT pid FROM pg_stat_activity WHERE usename = 'ann' AND state = 'active'"
        )
        yield int(pid)
    finally:
        hold.release()
    assert sync.poll() is not None or sync.wait(30) is not None


def test_a_push_cut_short_twice_loses_and_doubles_nothing(tmp_path: Path, floor: str) -> None:
    ann = make_desk(tmp_path / "ann", floor, "ann", URL)
    ann.home.database.parent.mkdir(parents=True, exist_ok=True)
    with Store(ann.home.database) as store:
        # Changes spread over days: a page spans more than the push's overlap.
        start = time.time() - TOTAL * STEP_SECONDS
        for chunk in range(0, TOTAL, 100):
            store.add_many([(make_lead(i), URL) for i in range(chunk, chunk + 100)],
                           now=start + chunk * STEP_SECONDS)  # fmt: skip
        local = {lead.lead.lead_company_unique_id: lead.state.value for lead in store.history()}
    cut: list[int] = []
    # The server ends the desk's connection in the middle of a page.
    first = ann.start("sync")
    with mid_page(floor, first) as pid, psycopg.connect(floor, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", (pid,))
    said = finish(first)
    assert said.returncode == 1 and "floor offline" in said.stderr, said.stdout + said.stderr
    cut.append(floor_count(floor, "true"))
    # The desk's process killed outright, in a later page.
    second = ann.start("sync")
    with mid_page(floor, second, beyond=cut[0]):
        second.send_signal(signal.SIGKILL)
        second.communicate()
    cut.append(floor_count(floor, "true"))
    assert 0 < cut[0] < cut[1] < TOTAL, cut  # each fault came mid-push, after some pages
    last = ann.run("sync")
    assert last.returncode == 0, last.stdout + last.stderr
    rows = floor_rows(floor)
    assert len(rows) == TOTAL and dict(rows) == local
