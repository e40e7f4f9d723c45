"""Team floor: simulated desks pushing to one PostgreSQL floor; how long from a desk's
accepted lead to its appearance in the floor view, and the floor view's first screen.

    .venv/bin/python bench/team_floor.py [--desks 10] [--leads 50] [--sync-seconds 1]
                                         [--first-screen-rows 100000] [--database URL]
    # the issue's figures: --desks 50 --leads 200 --first-screen-rows 1000000

Each desk is a thread with a LeadDesk home of its own (its SQLite history) and its own
pool to the floor, as a window's desk has: it queues a lead, records it accepted (no HTTP:
the dealer is not what is measured) and pushes to the floor every --sync-seconds, as the
window does. A lead's latency is from its accepted commit at the desk to the floor's
commit of its accepted state (`seen_at`, the same machine's clock). Afterwards every lead
must be on the floor once, accepted: none lost, none doubled.

Then the floor is filled to --first-screen-rows leads (generated on the server) and the
floor view's first screen (200 leads newest first) is timed for a supervisor (every desk)
and an agent (row-level security: their own leads only), and the supervisor's first screen
after a header click, for each sort both ways.

Without --database, a PostgreSQL server of its own is started in a temporary folder
(initdb, run as `postgres` when root), as the tests do. With it: an empty database, and a
role that may create tables and roles (the floor's owner).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from contextlib import ExitStack
from pathlib import Path

import psycopg
from benchkit import REPO_ROOT, BenchError, load_average, percentile, run_benchmark

from leaddesk.app.team_desk import TeamDesk
from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.history.store import Store
from leaddesk.team import floor_leads
from leaddesk.team.floor import Floor
from leaddesk.team.floor_setup import init_floor
from leaddesk.wire.formats import everywhere

sys.path.insert(0, str(REPO_ROOT))  # the tests' PostgreSQL starter
from tests.support.floor import login_url, set_up_floor
from tests.support.postgres import find_bin_dir, running_postgres

FIRST_SCREEN = 200


class Request:
    """What Store.claim needs of a wire format, for a post that never leaves."""

    name = "bench"

    def build(self, leads: object) -> bytes:
        return b"<bench/>"


def run_desk(
    number: int, root: Path, url: str, leads: int, sync_seconds: float, pace: float,
    accepted: dict[str, float], failures: list[BaseException],
) -> None:  # fmt: skip
    try:
        floor = Floor(url, f"bench-desk-{number:03d}", f"agent{number:03d}")
        team = TeamDesk(floor, 60.0)
        with Store(root / f"desk{number}" / "history.sqlite3") as store, floor:
            next_sync = time.monotonic() + sync_seconds
            for i in range(leads):
                phone = f"801{200 + number:03d}{i:04d}"
                lead = Lead(fname=f"Ann{i}", lname=f"Desk{number}", phone1=phone, city="Boise",
                            state="ID")  # fmt: skip
                store.add(lead, "https://dealer.test/", destination_name="Bench")
                claim = store.claim(f"bench-{number}", 1, everywhere(Request()))
                assert claim is not None
                results = tuple(LeadResult(stored.lead, Outcome.ACCEPTED, f"C{i}")
                                for stored in claim.leads)  # fmt: skip
                post = PostResult(claim.destination, claim.request, 200, b"", 0.0, results)
                store.record(f"bench-{number}", claim, post, Sending())
                accepted[claim.leads[0].lead.lead_company_unique_id] = time.time()
                if time.monotonic() >= next_sync:
                    team.sync(store)
                    next_sync = time.monotonic() + sync_seconds
                time.sleep(pace)
            time.sleep(sync_seconds)  # the window's next periodic push
            team.sync(store)
    except BaseException as error:  # handed to the main thread
        failures.append(error)


def measure_pushes(admin: str, args: argparse.Namespace, root: Path) -> None:
    accepted: dict[str, float] = {}
    failures: list[BaseException] = []
    agent = login_url(admin, "ann")
    threads = [
        threading.Thread(target=run_desk, args=(n, root, agent, args.leads, args.sync_seconds,
                                                args.pace, accepted, failures))
        for n in range(args.desks)
    ]  # fmt: skip
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        raise BenchError(f"a desk failed: {failures[0]!r}")
    took = time.monotonic() - started
    with psycopg.connect(admin) as db:
        rows = db.execute(
            "SELECT unique_id, state, extract(epoch FROM seen_at) FROM floor_leads"
        ).fetchall()
    expected = args.desks * args.leads
    on_floor = {row[0] for row in rows}
    lost = len(set(accepted) - on_floor)
    doubled = len(rows) - len(on_floor)
    not_accepted = sum(1 for row in rows if row[1] != "accepted")
    delays = [float(row[2]) - accepted[row[0]] for row in rows if row[0] in accepted]
    print(f"{args.desks} desks x {args.leads} leads = {expected} leads in {took:.1f} s, "
          f"pushed every {args.sync_seconds:g} s (load {load_average()})")  # fmt: skip
    print(f"  accepted -> visible on the floor: median {statistics.median(delays):.2f} s, "
          f"p95 {percentile(delays, 95):.2f} s, max {max(delays):.2f} s")  # fmt: skip
    print(f"  on the floor: {len(rows)} rows; lost {lost}, doubled {doubled}, "
          f"not accepted {not_accepted}")  # fmt: skip
    if lost or doubled or not_accepted or len(rows) != expected:
        raise BenchError("the floor does not hold every lead once, accepted")


def measure_first_screen(admin: str, rows: int) -> None:
    with psycopg.connect(admin) as db:
        have = int(db.execute("SELECT count(*) FROM floor_leads").fetchone()[0])  # type: ignore[index]
        filled = time.monotonic()
        db.execute(
            """INSERT INTO floor_leads (desk, local_id, unique_id, agent, agent_role,
                created_at, updated_at, state, destination, fields, fname, lname, lname_key,
                phone1, email)
            SELECT 'filler-' || (g %% 500), g, 'filler-' || g, 'agent' || (g %% 500),
                CASE WHEN g %% 500 = 0 THEN 'ann' ELSE 'filler' END,
                1.7e9 + g, 1.7e9 + g, (ARRAY['accepted','failed','rejected'])[1 + g %% 3],
                'https://dealer.test/', '{}', 'Ann', 'Filler' || g, 'filler' || g,
                lpad((g %% 10000000000)::text, 10, '0'), ''
            FROM generate_series(1, %s) AS g""",
            (max(0, rows - have),),
        )
        db.commit()
        db.execute("ANALYZE floor_leads")
        print(f"  filled the floor to {rows} leads in {time.monotonic() - filled:.1f} s")
    for login in ("sue", "ann"):
        with Floor(login_url(admin, login), "bench-viewer", login) as floor:
            times = []
            for _ in range(7):
                started = time.perf_counter()
                with floor.connection() as db:
                    shown = floor_leads.history(db, limit=FIRST_SCREEN)
                times.append(time.perf_counter() - started)
        who = "supervisor (every desk)" if login == "sue" else "agent (own leads, RLS)"
        median, most = statistics.median(times) * 1000, max(times) * 1000
        print(f"  first screen of the floor view, {who}: {len(shown)} leads, median "
              f"{median:.1f} ms, max {most:.1f} ms")  # fmt: skip


def measure_sorted_first_pages(admin: str) -> None:
    """The first screen a supervisor gets after a header click: each sort, both ways."""
    with Floor(login_url(admin, "sue"), "bench-viewer", "sue") as floor:
        for key in floor_leads.FLOOR_SORTS:
            for descending in (False, True):
                times = []
                for _ in range(3):
                    started = time.perf_counter()
                    with floor.connection() as db:
                        floor_leads.history(db, limit=FIRST_SCREEN, sort=key, descending=descending)
                    times.append(time.perf_counter() - started)
                way = "descending" if descending else "ascending"
                print(f"  first screen sorted by {key}, {way}: median "
                      f"{statistics.median(times) * 1000:.1f} ms")  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--desks", type=int, default=10)
    parser.add_argument("--leads", type=int, default=50, help="per desk")
    parser.add_argument("--sync-seconds", type=float, default=1.0)
    parser.add_argument("--pace", type=float, default=0.02, help="seconds between leads")
    parser.add_argument("--first-screen-rows", type=int, default=100_000)
    parser.add_argument("--database", metavar="URL", help="an empty database, as its owner")
    args = parser.parse_args()
    with ExitStack() as stack:
        root = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="team-floor-")))
        admin = args.database
        if admin is None:
            bin_dir = find_bin_dir()
            if bin_dir is None:
                raise BenchError("no PostgreSQL (initdb, pg_ctl) found; give --database URL")
            server = stack.enter_context(running_postgres(bin_dir))
            admin = server.create_database()
        init_floor(admin)
        set_up_floor(admin)
        measure_pushes(admin, args, root)
        measure_first_screen(admin, args.first_screen_rows)
        measure_sorted_first_pages(admin)
    return 0


if __name__ == "__main__":
    run_benchmark(main, "team_floor")
