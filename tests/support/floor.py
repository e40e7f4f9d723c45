"""A call floor for tests: a set-up floor database with agent and supervisor logins, and
desks (LeadDesk homes in team mode) run as real `leaddesk` processes against it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import Connection

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.sandbox import Sandbox
from leaddesk.team.floor_setup import init_floor
from leaddesk.team.schema import AGENT_ROLE, SUPERVISOR_ROLE
from tests.support.cli_home import HEADER, Home, finish, free_port, row

LOGINS = {"ann": AGENT_ROLE, "bob": AGENT_ROLE, "sue": SUPERVISOR_ROLE}


def login_url(admin_url: str, user: str) -> str:
    """The floor's address for another login (the test server trusts loopback)."""
    parts = urlsplit(admin_url)
    return parts._replace(netloc=f"{user}@{parts.hostname}:{parts.port}").geturl()


def set_up_floor(admin_url: str) -> None:
    """`leaddesk team init`'s work, and a login per person of LOGINS in their group."""
    init_floor(admin_url)
    with psycopg.connect(admin_url, autocommit=True) as admin:
        for name, group in LOGINS.items():
            admin.execute(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{name}')"
                f" THEN CREATE ROLE {name} LOGIN; END IF; END $$"
            )
            admin.execute(f"GRANT {group} TO {name}")


def floor_rows(admin_url: str, sql: str = "SELECT unique_id, state FROM floor_leads") -> list[Any]:
    with psycopg.connect(admin_url) as db:
        return db.execute(sql).fetchall()


@dataclass
class FloorDesk:
    """A LeadDesk home in team mode, logged in to the floor as `login`."""

    home: Home
    floor_url: str  # with the desk's login
    extra_env: dict[str, str] = field(default_factory=dict)

    def configure(self, url: str, lease: float | None = None, **sending: float) -> None:
        self.home.configure(url, **sending)
        if lease is not None:
            config = self.home.root / "config" / "leaddesk.toml"
            with config.open("a", encoding="utf-8") as file:
                file.write(f"\n[team]\nclaim_lease_seconds = {lease}\n")

    @property
    def desk_id(self) -> str:
        return (self.home.root / "data" / "desk-id").read_text(encoding="utf-8").strip()

    def start(self, *args: str | Path) -> subprocess.Popen[str]:
        env = {
            **os.environ,
            "LEADDESK_HOME": str(self.home.root),
            "LEADDESK_TEAM_DATABASE": self.floor_url,
            **self.extra_env,
        }
        return subprocess.Popen(
            [sys.executable, "-m", "leaddesk", *map(str, args)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str | Path) -> subprocess.CompletedProcess[str]:
        return finish(self.start(*args))

    def floor_history(self, *args: str) -> list[dict[str, Any]]:
        result = self.run("history", "--floor", "--json", *args)
        assert result.returncode == 0, result.stdout + result.stderr
        found: list[dict[str, Any]] = json.loads(result.stdout)
        return found


def make_desk(root: Path, admin_url: str, login: str, url: str, **kw: float) -> FloorDesk:
    """A desk at `root` logged in as `login`, sending to `url` (`lease`: its claims')."""
    made = FloorDesk(Home(root), login_url(admin_url, login))
    lease = kw.pop("lease", None)
    made.configure(url, lease=lease, **kw)
    return made


def send_while_the_floor_is_unusable(
    root: Path, floor: str
) -> tuple[FloorDesk, subprocess.CompletedProcess[str]]:
    """Ann's desk sends two leads while the floor cannot be used: both reach the dealer,
    the run ends well, and "floor offline" is said once (no traceback)."""
    with Sandbox() as dealer:
        ann = make_desk(root, floor, "ann", dealer.url())
        sent = ann.run("send", ann.home.write_csv("a.csv", HEADER, [row(1), row(2)]))
        assert dealer.accepted_count().total() == 2, sent.stdout + sent.stderr
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "Traceback" not in sent.stderr, sent.stderr
    assert sent.stderr.count("floor offline") == 1, sent.stderr
    return ann, sent


def floor_count(admin_url: str, where: str) -> int:
    [(found,)] = floor_rows(admin_url, f"SELECT count(*) FROM floor_leads WHERE {where}")
    return int(found)


def desk_with_failed_leads(
    root: Path, admin_url: str, count: int
) -> tuple[FloorDesk, dict[int, int]]:
    """Ann's desk at `root`, having sent `count` leads where nothing listens: failed at her
    desk and on the floor. The desk, and the floor ids by Ann's own lead ids."""
    ann = make_desk(root, admin_url, "ann", f"http://127.0.0.1:{free_port()}/x", retry_limit=1)
    rows = [row(i) for i in range(1, count + 1)]
    sent = ann.run("send", ann.home.write_csv("a.csv", HEADER, rows))
    assert sent.returncode == 1, sent.stdout + sent.stderr
    assert floor_count(admin_url, "state = 'failed'") == count, sent.stderr
    found = floor_rows(admin_url, "SELECT id, local_id FROM floor_leads")
    return ann, {int(local): int(floor_id) for floor_id, local in found}


def failed_lead(number: int, when: float, url: str) -> StoredLead:
    """Lead `number` of a desk's history (Ann Lee<number>), failed: not sent to `url`."""
    lead = Lead(fname="Ann", lname=f"Lee{number}", phone1=f"801312{number:04d}", city="Boise",
                state="ID")  # fmt: skip
    return StoredLead(number, when, when, State.FAILED, url, lead.with_unique_id(), "",
                      ("not sent",), 2, None, 2)  # fmt: skip


def _nothing(_db: Connection) -> None:
    pass


class LeadsHeld:
    """The floor's leads table locked by a transaction of the floor's owner, on a thread
    of its own: every read of it waits, in the order PostgreSQL queued them, until
    `release`. `then` runs in that transaction once the table is held (its writes are
    seen at the release, by the reads queued behind the hold)."""

    def __init__(self, admin_url: str, then: Callable[[Connection], object] = _nothing) -> None:
        self._db = psycopg.connect(admin_url)
        self.pid = self._db.info.backend_pid
        self.held = threading.Event()
        self._released = threading.Event()
        self._then = then
        self._thread = threading.Thread(target=self._hold, name="test-floor-hold", daemon=True)
        self._thread.start()

    def _hold(self) -> None:
        with self._db:  # committed at the end of the block, then closed
            self._db.execute("LOCK TABLE floor_leads IN ACCESS EXCLUSIVE MODE")
            self.held.set()
            self._then(self._db)
            self._released.wait(60)

    def release(self) -> None:
        self._released.set()
        self._thread.join(30)


def waiting_for_a_lock(admin_url: str, user: str | None = None, pid: int | None = None) -> int:
    """How many sessions of login `user` (or session `pid`) wait for a lock."""
    who, value = ("usename", user) if user is not None else ("pid", pid)
    with psycopg.connect(admin_url) as db:
        sql = f"SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND {who} = %s"
        row = db.execute(sql, (value,)).fetchone()
    return int(row[0]) if row else 0
