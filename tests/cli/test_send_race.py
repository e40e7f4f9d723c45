"""Two `leaddesk send` of one file at once (real processes, one history file, the sandbox):
each lead is queued once and reaches the dealer once, whichever process posts it."""

from __future__ import annotations

import os
import platform
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

ROWS = 300
# The syscalls SQLite's busy handler sleeps in (usleep: nanosleep or clock_nanosleep).
SLEEP_SYSCALLS = {"x86_64": {"35", "230"}, "aarch64": {"101", "115"}}.get(platform.machine())


def write_csv(path: Path, count: int) -> Path:
    lines = ["fname,lname,phone1,city,state"]
    lines += [f"Ann,Smith{i},801312{i:04d},Boise,ID" for i in range(1, count + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def configure(home: Path) -> None:
    config = home / "config" / "leaddesk.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        "[sending]\nbatch_size = 10\nretry_limit = 3\nbackoff_seconds = 0.05\n"
        "backoff_max_seconds = 0.2\nconnect_timeout = 2\nread_timeout = 10\ndeadline = 20\n",
        encoding="utf-8",
    )


def start_send(home: Path, csv: Path, url: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "leaddesk", "send", str(csv), "--url", url, "--source-id", "X"],
        env={**os.environ, "LEADDESK_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def waiting_for_the_write_lock(process: subprocess.Popen[str]) -> bool:
    """The process sleeps in SQLite's busy handler: it asked for the history's write lock.
    (Nothing else in `send` sleeps before it queues the file's leads.)"""
    assert process.poll() is None, finish(process).stderr
    try:
        syscall = Path(f"/proc/{process.pid}/syscall").read_text().split()
    except OSError:
        return False
    return bool(syscall) and syscall[0] in (SLEEP_SYSCALLS or set())


@pytest.mark.skipif(
    not Path("/proc/self/syscall").exists() or SLEEP_SYSCALLS is None,
    reason="tells when a process waits for the write lock through Linux's /proc",
)
def test_two_sends_of_one_file_at_once_send_each_lead_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    configure(home)
    csv = write_csv(tmp_path / "leads.csv", ROWS)
    database = home / "data" / "history.sqlite3"
    Store(database).close()  # set up, so that the sends' opening takes no write lock
    with Sandbox(faults=Faults(delay=0.05)) as sandbox:
        # Hold the write lock until both sends wait for it: both have read the file and done
        # all they do before queueing, so both ask to queue the same leads at the same moment.
        holder = sqlite3.connect(database, isolation_level=None, timeout=5.0)
        holder.execute("BEGIN IMMEDIATE")
        try:
            sends = [start_send(home, csv, sandbox.url()), start_send(home, csv, sandbox.url())]
            wait_until(
                lambda: all(waiting_for_the_write_lock(send) for send in sends),
                "both sends to wait for the history's write lock",
                timeout=4.0,  # within the store's 5 s busy timeout
            )
        finally:
            holder.execute("COMMIT")
            holder.close()
        # The sandbox's delay keeps the first send posting while the second one starts.
        wait_until(lambda: sandbox.posts > 0, "a post")
        overlapped = all(send.poll() is None for send in sends)
        results = [finish(send) for send in sends]
        counts = sandbox.accepted_count("phone1")

    for result in results:
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr
        assert f"{ROWS} leads: {ROWS} accepted." in result.stdout, result.stdout[-2000:]
    assert overlapped, "a send ended before the other one could post"
    assert sum(counts.values()) == ROWS, f"the dealer got {sum(counts.values())} leads"
    assert len(counts) == ROWS and set(counts.values()) == {1}
    with Store(database) as store:
        stored = store.history()
    assert Counter(lead.lead.phone1 for lead in stored) == Counter(counts)
    assert {lead.state.value for lead in stored} == {"accepted"}
    # The sends read the file in chunks, each queued with the guard in one transaction: a
    # row is queued by one send and found queued by the other, which reports its fate all
    # the same.
    waited = [
        re.findall(r"^row (\d+): already queued by another send as lead \d+$", r.stdout, re.M)
        for r in results
    ]
    assert sum(map(len, waited)) == ROWS
    assert not set(waited[0]) & set(waited[1])
    for result in results:
        reported = re.findall(r"^row (\d+): lead \d+ accepted", result.stdout, re.M)
        assert sorted(map(int, reported)) == list(range(2, ROWS + 2))
