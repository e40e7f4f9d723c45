"""`leaddesk team init`: the floor's schema, versioned and safe to run again, and a floor
one step ahead (a newer desk updated it) still serving a desk of the version before."""

from __future__ import annotations

import subprocess
from pathlib import Path

import psycopg

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.team import floor_leads
from leaddesk.team.floor import Floor, FloorOffline
from leaddesk.team.floor_setup import init_floor
from leaddesk.team.schema import FLOOR_SCHEMA_VERSION, setup_sql
from tests.support.floor import floor_rows, login_url, set_up_floor
from tests.support.postgres import PostgresServer


def stored(local_id: int, phone: str = "8013120001", lname: str = "Smith") -> StoredLead:
    lead = Lead(fname="Ann", lname=lname, phone1=phone, city="Boise", state="ID").with_unique_id()
    return StoredLead(local_id, 1000.0, 1000.0 + local_id, State.QUEUED, "https://x.test/",
                      lead, "", (), 0, 1000.0, 0)  # fmt: skip


def test_init_migrates_once_and_again_finds_nothing_to_do(floor_url: str) -> None:
    first, second = init_floor(floor_url), init_floor(floor_url)
    assert (first.before, first.after) == (0, FLOOR_SCHEMA_VERSION)
    assert (second.before, second.after) == (FLOOR_SCHEMA_VERSION, FLOOR_SCHEMA_VERSION)
    assert floor_rows(floor_url, "SELECT version FROM floor_schema_version") == [(1,)]


def test_the_sql_file_sets_up_the_same_floor_with_psql(
    postgres: PostgresServer, floor_url: str
) -> None:
    psql = postgres.bin_dir / "psql"
    result = subprocess.run(
        [str(psql), "-v", "ON_ERROR_STOP=1", "-q", floor_url],
        input=setup_sql(),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert init_floor(floor_url).before == FLOOR_SCHEMA_VERSION


def test_a_desk_refuses_a_floor_not_set_up_and_says_so_once(floor_url: str) -> None:
    said: list[str] = []
    with Floor(floor_url, "desk-a", "Ann", on_offline=said.append) as floor:
        for _ in range(2):
            try:
                with floor.connection():
                    raise AssertionError("a floor without its schema was used")
            except FloorOffline:
                pass
    assert len(said) == 1 and "leaddesk team init" in said[0]


def test_a_floor_one_step_ahead_still_serves_this_desk(floor_url: str) -> None:
    set_up_floor(floor_url)
    with psycopg.connect(floor_url) as admin:  # what a newer LeadDesk's step may do: add
        admin.execute("ALTER TABLE floor_leads ADD COLUMN callback_at TIMESTAMPTZ")
        admin.execute("INSERT INTO floor_schema_version (version) VALUES (%s)",
                      (FLOOR_SCHEMA_VERSION + 1,))  # fmt: skip
    assert init_floor(floor_url).ahead  # this desk's init leaves the newer floor alone
    with Floor(login_url(floor_url, "ann"), "desk-a", "Ann") as floor:
        with floor.connection() as db:
            floor_leads.push(db, "desk-a", "Ann", [stored(1)])
        with floor.connection() as db:
            [found] = floor_leads.history(db)
    assert (found.desk, found.agent, found.stored.id) == ("desk-a", "Ann", 1)


def test_the_shipped_sql_file_is_what_team_init_runs() -> None:
    shipped = Path(__file__).parents[2] / "docs" / "team.sql"
    assert shipped.read_text(encoding="utf-8") == setup_sql(), (
        "docs/team.sql is stale: leaddesk team init --sql > docs/team.sql"
    )
