"""`leaddesk send` killed mid-file, and two sends at once: nothing lost, nothing sent twice."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from leaddesk.sandbox import Faults, Sandbox
from tests.support.waiting import wait_until

pytestmark = pytest.mark.slow

HEADER = ("fname", "lname", "phone1", "city", "state")


def phones(prefix: str, count: int) -> list[str]:
    return [f"{prefix}{i:04d}" for i in range(1, count + 1)]


def write_csv(path: Path, numbers: list[str]) -> Path:
    lines = [",".join(HEADER)]
    lines += [f"Ann{i},Smith{number},{number},Boise,ID" for i, number in enumerate(numbers)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def configure(home: Path, url: str, batch_size: int) -> None:
    config = home / "config" / "leaddesk.toml"
    config.parent.mkdir(parents=True)
    config.write_text(
        f'[destination]\nurl = "{url}"\nsource_id = "SRC1"\n\n'
        f"[sending]\nbatch_size = {batch_size}\nretry_limit = 3\n"
        "backoff_seconds = 0.05\nbackoff_max_seconds = 0.2\n"
        "connect_timeout = 2\nread_timeout = 10\ndeadline = 20\n",
        encoding="utf-8",
    )


def start(home: Path, *args: str | Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "leaddesk", *map(str, args)],
        env={**os.environ, "LEADDESK_HOME": str(home)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    out, err = process.communicate(timeout=60)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def history(home: Path, *args: str) -> list[dict[str, Any]]:
    result = finish(start(home, "history", "--json", *args))
    assert result.returncode == 0, result.stderr
    leads: list[dict[str, Any]] = json.loads(result.stdout)
    return leads


@dataclass
class KilledAndRerun:
    numbers: list[str]  # phone numbers of the file, in row order
    after_kill: list[dict[str, Any]]  # history --json right after the kill
    second: subprocess.CompletedProcess[str]  # the same command, run again
    final: list[dict[str, Any]]  # history --json after the second run
    accepted: list[dict[str, str]]  # what the sandbox accepted, in order


@pytest.fixture(scope="module")
def killed_and_rerun(tmp_path_factory: pytest.TempPathFactory) -> KilledAndRerun:
    """kill -9 of `leaddesk send` mid-file against a slow sandbox, then the same command."""
    tmp_path = tmp_path_factory.mktemp("kill-9")
    home = tmp_path / "home"
    numbers = phones("801312", 60)
    path = write_csv(tmp_path / "long.csv", numbers)
    with Sandbox(faults=Faults(delay=0.2)) as sandbox:
        configure(home, sandbox.url(), batch_size=1)
        first = start(home, "send", path)
        try:
            since: dict[int, float] = {}

            def some_accepted_and_one_in_flight() -> bool:
                """3 leads accepted and the next post inside the sandbox's 0.2 s delay for
                50 ms: its body has arrived too (urllib3 sends headers and body apart)."""
                assert first.poll() is None, "send ended before it could be killed"
                posts, accepted = sandbox.posts, len(sandbox.accepted)
                if accepted < 3 or posts != accepted + 1:
                    return False
                return time.monotonic() - since.setdefault(posts, time.monotonic()) >= 0.05

            wait_until(some_accepted_and_one_in_flight, "a post in flight after 3 accepted")
        finally:
            first.send_signal(signal.SIGKILL)
            first.communicate(timeout=10)
        assert first.returncode == -signal.SIGKILL
        sandbox.faults = Faults()  # the second run need not be slow
        after_kill = history(home)
        second = finish(start(home, "send", path))
        final = history(home)
        accepted = list(sandbox.accepted)
    return KilledAndRerun(numbers, after_kill, second, final, accepted)


def in_flight(run: KilledAndRerun) -> set[int]:
    return {lead["id"] for lead in run.after_kill if lead["state"] == "sending"}


def test_kill_9_leaves_every_lead_stored_and_the_one_in_flight_sending(
    killed_and_rerun: KilledAndRerun,
) -> None:
    run = killed_and_rerun
    # Every lead of the file was stored before any post; the one in flight is marked so.
    assert sorted(lead["lead"]["phone1"] for lead in run.after_kill) == run.numbers
    assert len(in_flight(run)) == 1, Counter(lead["state"] for lead in run.after_kill)


def test_kill_9_then_rerun_sends_every_lead_once(killed_and_rerun: KilledAndRerun) -> None:
    run = killed_and_rerun
    assert "Traceback" not in run.second.stderr, run.second.stderr
    assert run.second.returncode == 1, "an unconfirmed lead means not all were accepted"
    (recovered,) = in_flight(run)
    assert re.search(rf"^lead {recovered} \(earlier run\): unconfirmed", run.second.stdout, re.M)

    # Every lead of the file is in the history exactly once.
    assert Counter(lead["lead"]["phone1"] for lead in run.final) == Counter(run.numbers)
    assert {lead["id"] for lead in run.final} == {lead["id"] for lead in run.after_kill}
    # The sandbox accepted none twice.
    counts = Counter(lead["phone1"] for lead in run.accepted)
    assert max(counts.values()) == 1, [number for number, n in counts.items() if n > 1]
    accepted_by_sandbox = {lead["phone1"]: lead for lead in run.accepted}
    states = {lead["id"]: lead["state"] for lead in run.final}
    # The lead in flight at the kill is unconfirmed: never resent, never dropped.
    assert states[recovered] == "unconfirmed"
    for lead in run.final:
        sent = accepted_by_sandbox.get(lead["lead"]["phone1"])
        if lead["state"] == "accepted":
            assert sent is not None and sent["customer_id"] == lead["customer_id"]
        else:
            # Only a lead that may have arrived may be anything but accepted, and then it is
            # unconfirmed: never queued, failed or resent.
            assert lead["state"] == "unconfirmed", lead
            assert lead["id"] == recovered
    assert Counter(states.values()) == {"accepted": 59, "unconfirmed": 1}


def test_kill_9_the_post_in_flight_is_on_record(killed_and_rerun: KilledAndRerun) -> None:
    # "Every attempt is recorded": the lead reached the dealer (the sandbox accepted it after
    # the kill), so its history should not say that it was never tried.
    (recovered,) = in_flight(killed_and_rerun)
    lead = next(lead for lead in killed_and_rerun.final if lead["id"] == recovered)
    assert lead["lead"]["phone1"] in {sent["phone1"] for sent in killed_and_rerun.accepted}
    assert lead["attempts"] >= 1, "the post in flight at the kill left no attempt on record"


def test_kill_9_rerun_reports_the_leads_it_sent(killed_and_rerun: KilledAndRerun) -> None:
    # The second run delivered the leads the first one left queued; its output should say so
    # rather than "Sent 0 leads ... skipped".
    run = killed_and_rerun
    queued = {lead["id"] for lead in run.after_kill if lead["state"] == "queued"}
    assert queued
    reported = {
        int(number)
        for number in re.findall(r"^.*\blead (\d+)\b.*\baccepted\b", run.second.stdout, re.M)
    }
    missing = sorted(queued - reported)
    assert not missing, f"the rerun sent leads {missing} but did not say so:\n{run.second.stdout}"


@dataclass
class TwoSends:
    files: list[list[str]]  # phone numbers of each file, in row order
    results: list[subprocess.CompletedProcess[str]]
    counts: Counter[str]
    history: list[dict[str, Any]]
    overlapped: bool


@pytest.fixture(scope="module")
def two_sends(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoSends]:
    """Two `leaddesk send` processes of two files on one data directory at once."""
    tmp_path = tmp_path_factory.mktemp("two-sends")
    home = tmp_path / "home"
    files = [phones("801312", 40), phones("801367", 40)]
    paths = [write_csv(tmp_path / f"file{n}.csv", numbers) for n, numbers in enumerate(files)]
    with Sandbox(faults=Faults(delay=0.08)) as sandbox:
        configure(home, sandbox.url(), batch_size=2)
        first = start(home, "send", paths[0])
        wait_until(lambda: sandbox.posts > 0, "the first send to post")
        second = start(home, "send", paths[1])
        second_numbers = set(files[1])
        wait_until(
            lambda: (
                any(lead["phone1"] in second_numbers for lead in sandbox.accepted)
                or second.poll() is not None
            ),
            "a lead of the second file to arrive",
        )
        overlapped = first.poll() is None
        results = [finish(first), finish(second)]
        yield TwoSends(files, results, sandbox.accepted_count("phone1"), history(home), overlapped)


def test_two_sends_at_once_post_no_lead_twice(two_sends: TwoSends) -> None:
    assert two_sends.overlapped, "the first send ended before the second one began posting"
    for result in two_sends.results:
        assert "Traceback" not in result.stderr, result.stderr
        assert result.returncode == 0, result.stdout + result.stderr
    everything = two_sends.files[0] + two_sends.files[1]
    assert sorted(two_sends.counts) == sorted(everything)
    assert max(two_sends.counts.values()) == 1, [n for n, c in two_sends.counts.items() if c > 1]
    assert Counter(lead["lead"]["phone1"] for lead in two_sends.history) == Counter(everything)
    assert {lead["state"] for lead in two_sends.history} == {"accepted"}


def test_two_sends_at_once_each_reports_every_lead_of_its_file(two_sends: TwoSends) -> None:
    # "It prints one line per lead and a summary", whichever process happened to post it.
    for numbers, result in zip(two_sends.files, two_sends.results, strict=True):
        rows = {int(n) for n in re.findall(r"^row (\d+): lead \d+ accepted", result.stdout, re.M)}
        missing = sorted(set(range(2, len(numbers) + 2)) - rows)
        assert not missing, f"no line for rows {missing} in:\n{result.stdout}"
        assert f"{len(numbers)} leads: {len(numbers)} accepted." in result.stdout
