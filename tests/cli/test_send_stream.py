"""`leaddesk send` of a file longer than it holds in memory: it starts posting before the
file is read, and killed half-way through the file, the same command sends every lead of
it once (what was queued goes out, the rest is queued then)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from leaddesk.cli.send_stream import MAX_AHEAD
from leaddesk.sandbox import Faults, Sandbox
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

ROWS = MAX_AHEAD + 1000  # more than a run queues before it waits for sending


def run(home: Path, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "leaddesk", *map(str, args)],
        env={**os.environ, "LEADDESK_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def history(home: Path) -> list[dict[str, Any]]:
    out, _ = run(home, "history", "--json").communicate(timeout=60)
    leads: list[dict[str, Any]] = json.loads(out or "[]")
    return leads


def test_killed_half_way_through_a_file_the_rerun_sends_each_lead_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    lines = ["first_name;last_name;phone_number;city;state"]
    lines += [
        f"Ann{i};Smith{i};801{i // 10000 + 312:03d}{i % 10000:04d};Boise;ID" for i in range(ROWS)
    ]
    path = tmp_path / "long.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Sandbox(faults=Faults(delay=0.1)) as sandbox:
        url = sandbox.url()
        first = run(home, "send", path, "--url", url, "--source-id", "S1", "--batch-size", "1")
        try:
            # Posting has begun, and the run waits for it before reading the rest.
            wait_until(lambda: len(sandbox.accepted) >= 3, "the first leads accepted", timeout=30)
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=10)
        stored = history(home)
        assert 3 <= len(stored) < ROWS, "the whole file was queued before posting"
        sandbox.faults = Faults()
        second = run(home, "send", path, "--url", url, "--source-id", "S1", "--batch-size", "100")
        out, err = second.communicate(timeout=300)
        counts = sandbox.accepted_count("phone1")
    assert "Traceback" not in err, err
    assert set(counts.values()) == {1}, "a lead reached the dealer twice"
    final = Counter(lead["state"] for lead in history(home))
    # The post in flight at the kill may have arrived: unconfirmed, never resent.
    assert final["accepted"] + final["unconfirmed"] == ROWS
    assert final["accepted"] <= len(counts) <= ROWS
    assert final["unconfirmed"] <= 1
    # The rerun found the first run's leads: queued ones in the outbox (and sent them),
    # the ones already accepted or unconfirmed skipped; the rest of the file it queued.
    waiting = out.count("already in the outbox as lead")
    skipped = out.count("skipped, likely a duplicate of lead")
    assert waiting + skipped == len(stored)
