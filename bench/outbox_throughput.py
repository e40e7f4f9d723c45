"""Outbox throughput: leads per second through the outbox, against a bare requests.Session.

    .venv/bin/python bench/outbox_throughput.py [--leads 2000] [--dir DIR] [--in-process]
                                                [--profile N]

In one run, against one sandbox (by default in a separate process, so that it does not
compete with the client for the GIL), it times:

1. bare: a plain keep-alive requests.Session posting the XML documents, one lead each, in turn;
2. batch 1: the same leads added to a fresh store, drained by an Outbox with a real Poster
   (batch size 1: these are byte for byte the documents the bare session posted);
3. batch 25: the same again with batch size 25, in another fresh store.

Each outbox run is checked afterwards: every lead accepted in the store with its own
customer ID, one post per batch recorded, and the sandbox's own tally of posts and accepted
leads grown by as much. It prints leads per second and the ratios against issue 3's targets
(batch 1 >= 0.5x bare: the durable bookkeeping costs at most half; batch 25 >= 5x batch 1).

The exit status is 0 whether or not the targets are met (this is a report); 1 when the
benchmark itself went wrong (the sandbox did not start, a lead was not accepted, ...).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import platform
import pstats
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Protocol

import requests
from benchkit import BenchError, SandboxProcess, run_benchmark

from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Poster
from leaddesk.wire.securitytrax_xml import CONTENT_TYPE, Verdict, build_document, parse_reply

BATCH1_VS_BARE_TARGET = 0.5
BATCH25_VS_BATCH1_TARGET = 5.0
BIG_BATCH = 25
MAX_LEADS = 10_000  # distinct valid phone numbers 801-312-0000 .. 801-312-9999
WARM_UP_POSTS = 20  # untimed posts first, so that neither side pays for its first request
DRAIN_TIMEOUT = 600.0  # seconds an outbox run may take before the benchmark gives up

_FIRST_NAMES = ("Ann", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jon")
# The sandbox's log line for each request (leaddesk.sandbox.server._Exchange), e.g.
# "POST /bench/leadpostxml.php leads=1 accepted=1 rejected=0 fault=none status=200 0.9 ms".
_LOG_LINE = re.compile(rb"\bPOST \S+ leads=\S+ accepted=(\d+) rejected=\d+ fault=\S+ status=(\S+)")


@dataclass(frozen=True)
class Tally:
    """What the sandbox has seen so far: posts it answered 200, and leads it accepted."""

    posts: int
    accepted: int

    def __sub__(self, other: Tally) -> Tally:
        return Tally(self.posts - other.posts, self.accepted - other.accepted)


@dataclass(frozen=True)
class Measurement:
    label: str
    leads: int
    posts: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.leads / self.seconds


class SandboxHandle(Protocol):
    url: str

    def tally(self) -> Tally: ...

    def close(self) -> None: ...


# --- the sandbox ---------------------------------------------------------------------------


class InProcessSandbox:
    """The sandbox on a thread of this process (it then shares the GIL with the client)."""

    def __init__(self) -> None:
        self._sandbox = Sandbox(port=0).start()
        self.url = self._sandbox.url("bench")

    def tally(self) -> Tally:
        # Both are counted before the reply is written, so they are complete once a post returns.
        return Tally(self._sandbox.posts, len(self._sandbox.accepted))

    def close(self) -> None:
        self._sandbox.stop()

    def describe(self) -> str:
        return "in this process (a thread; shares the GIL with the client)"


class SubprocessSandbox(SandboxProcess):
    """The sandbox in a process of its own; its tally comes from its log."""

    def __init__(self, log_dir: Path) -> None:
        super().__init__(log_dir)
        self._reader: IO[bytes] = self.log_path.open("rb")
        self._pending = b""
        self._posts = 0
        self._accepted = 0

    def tally(self) -> Tally:
        """The sandbox logs each request after answering it, so this may lag a little."""
        self._pending += self._reader.read()
        *lines, self._pending = self._pending.split(b"\n")
        for line in lines:
            match = _LOG_LINE.search(line)
            if match and match.group(2) == b"200":
                self._posts += 1
                self._accepted += int(match.group(1))
        return Tally(self._posts, self._accepted)

    def close(self) -> None:
        super().close()
        if hasattr(self, "_reader"):
            self._reader.close()


def wait_for_tally(sandbox: SandboxHandle, expected: Tally, timeout: float = 10.0) -> Tally:
    """The sandbox's tally once it has reached `expected` (or the last seen, at the timeout)."""
    deadline = time.monotonic() + timeout
    while True:
        seen = sandbox.tally()
        if (seen.posts >= expected.posts and seen.accepted >= expected.accepted) or (
            time.monotonic() >= deadline
        ):
            return seen
        time.sleep(0.02)


# --- the leads -----------------------------------------------------------------------------


def make_leads(count: int) -> list[Lead]:
    """Distinct valid leads, each with its lead ID already given so that every run (bare,
    batch 1, batch 25) posts exactly the same documents."""
    return [
        Lead.parse(
            {
                "source_id": "4321",
                "lead_source_info": "Benchmark",
                "fname": _FIRST_NAMES[i % len(_FIRST_NAMES)],
                "lname": f"Bench{i:05d}",
                "address1": f"{100 + i} N University Ave",
                "city": "Provo",
                "state": "UT",
                "zip": "84601",
                "phone1": f"801-312-{i:04d}",
                "email": f"lead{i:05d}@example.com",
                "contact_time": "Evenings",
            }
        ).with_unique_id()
        for i in range(count)
    ]


# --- the three runs ------------------------------------------------------------------------


def warm_up(sandbox: SandboxHandle, documents: Sequence[bytes]) -> None:
    """A few untimed posts (imports, first connections, caches on both sides)."""
    before = sandbox.tally()
    posted = documents[:WARM_UP_POSTS]
    with requests.Session() as session:
        for document in posted:
            session.post(
                sandbox.url, data=document, headers={"Content-Type": CONTENT_TYPE}, timeout=30
            )
    _check_sandbox("warm-up", sandbox, before, Tally(len(posted), len(posted)))


def run_bare(sandbox: SandboxHandle, documents: Sequence[bytes]) -> Measurement:
    """A keep-alive requests.Session posting the documents one after the other."""
    before = sandbox.tally()
    replies: list[tuple[int, bytes]] = []
    with requests.Session() as session:
        session.headers.update({"Content-Type": CONTENT_TYPE})
        started = time.perf_counter()
        for document in documents:
            response = session.post(sandbox.url, data=document, timeout=(10, 30))
            replies.append((response.status_code, response.content))
        seconds = time.perf_counter() - started
    # Checked after the clock stops: the bare session only posts and reads.
    for number, (status, body) in enumerate(replies, 1):
        if status != 200:
            raise BenchError(f"bare session: post {number} was answered HTTP {status}")
        answer = parse_reply(body, 1)[0]
        if answer.verdict is not Verdict.ACCEPTED:
            raise BenchError(f"bare session: lead {number} was not accepted: {answer.errors}")
    _check_sandbox("bare session", sandbox, before, Tally(len(documents), len(documents)))
    return Measurement("bare requests.Session", len(documents), len(documents), seconds)


def run_outbox(
    sandbox: SandboxHandle,
    leads: Sequence[Lead],
    documents: Sequence[bytes],
    batch_size: int,
    work_dir: Path,
    profile: cProfile.Profile | None = None,
) -> Measurement:
    """Queue the leads in a fresh store, then time an Outbox draining them to the sandbox."""
    label = f"outbox, batch size {batch_size}"
    directory = Path(tempfile.mkdtemp(prefix=f"batch{batch_size}-", dir=work_dir))
    database = directory / "history.sqlite3"
    sending = Sending(batch_size=batch_size)
    expected_posts = math.ceil(len(leads) / batch_size)
    with Store(database) as store:
        ids = store.add_many([(lead, sandbox.url) for lead in leads])
        with (
            Poster(sending.timeouts()) as poster,
            Outbox(store, poster, sending, directory / "senders") as outbox,
        ):
            stop = threading.Event()
            guard = threading.Timer(DRAIN_TIMEOUT, stop.set)
            guard.daemon = True
            guard.start()
            before = sandbox.tally()
            if profile is not None:
                profile.enable()
            started = time.perf_counter()
            outbox.run_until_final(ids, stop)
            seconds = time.perf_counter() - started
            if profile is not None:
                profile.disable()
            guard.cancel()
        if stop.is_set():
            raise BenchError(f"{label}: the leads were not all sent within {DRAIN_TIMEOUT:g} s")
        _check_store(label, store, ids, len(leads))
    _check_posts(label, database, expected_posts, documents if batch_size == 1 else None)
    _check_sandbox(label, sandbox, before, Tally(expected_posts, len(leads)))
    return Measurement(label, len(leads), expected_posts, seconds)


def _check_store(label: str, store: Store, ids: Sequence[int], count: int) -> None:
    stored = store.get_many(ids)
    not_accepted = [lead for lead in stored if lead.state is not State.ACCEPTED]
    if len(stored) != count or not_accepted:
        first = not_accepted[0] if not_accepted else None
        why = f"; lead {first.id} is {first.state}: {first.errors}" if first else ""
        raise BenchError(f"{label}: {len(not_accepted)} of {count} leads not accepted{why}")
    counts = store.counts()
    if counts != {State.ACCEPTED: count}:
        raise BenchError(f"{label}: the store's counts are {counts}, not {count} accepted")
    customer_ids = {lead.customer_id for lead in stored}
    if "" in customer_ids or len(customer_ids) != count:
        raise BenchError(f"{label}: the accepted leads do not each have their own customer ID")
    if any(lead.attempts != 1 for lead in stored):
        raise BenchError(f"{label}: some lead was posted more than once")


def _check_posts(
    label: str, database: Path, expected: int, documents: Sequence[bytes] | None
) -> None:
    """The posts the store recorded; with batch size 1, they are the bare session's documents."""
    with closing(sqlite3.connect(database)) as db:
        requests_sent = [row[0] for row in db.execute("SELECT request FROM posts")]
    if len(requests_sent) != expected:
        raise BenchError(f"{label}: {len(requests_sent)} posts recorded, expected {expected}")
    if documents is not None and sorted(requests_sent) != sorted(
        document.decode("utf-8") for document in documents
    ):
        raise BenchError(f"{label}: the documents posted differ from the bare session's")


def _check_sandbox(label: str, sandbox: SandboxHandle, before: Tally, expected: Tally) -> None:
    target = Tally(before.posts + expected.posts, before.accepted + expected.accepted)
    grown = wait_for_tally(sandbox, target) - before
    if grown != expected:
        raise BenchError(
            f"{label}: the sandbox answered {grown.posts} posts and accepted {grown.accepted} "
            f"leads, expected {expected.posts} posts and {expected.accepted} leads"
        )


# --- the report ----------------------------------------------------------------------------


def print_report(bare: Measurement, batch1: Measurement, batch25: Measurement) -> None:
    print()
    print(f"{'run':<24} {'posts':>6} {'seconds':>8} {'leads/s':>9} {'ms/lead':>8}")
    for run in (bare, batch1, batch25):
        print(
            f"{run.label:<24} {run.posts:>6} {run.seconds:>8.2f} {run.per_second:>9.0f}"
            f" {1000 * run.seconds / run.leads:>8.3f}"
        )
    print()
    print(f"{'ratio':<24} {'value':>6} {'target':>8} {'result':>9}")
    for name, value, target in (
        ("batch1 / bare", batch1.per_second / bare.per_second, BATCH1_VS_BARE_TARGET),
        (
            f"batch{BIG_BATCH} / batch1",
            batch25.per_second / batch1.per_second,
            BATCH25_VS_BATCH1_TARGET,
        ),
    ):
        verdict = "PASS" if value >= target else "MISS"
        print(f"{name:<24} {value:>6.2f} {'>= ' + f'{target:g}':>8} {verdict:>9}")


def print_profile(profile: cProfile.Profile, top: int) -> None:
    for order in ("tottime", "cumulative"):
        out = io.StringIO()
        stats = pstats.Stats(profile, stream=out)
        stats.sort_stats(order).print_stats(top)
        print(f"\n--- profile of an outbox batch-1 drain (client side), by {order} ---")
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join(line for line in lines[start:] if line.strip()))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--leads", type=int, default=2000, help=f"leads per run, 1 to {MAX_LEADS} (2000)"
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="where to put the stores (default: the system's temp folder); "
        "its disk's fsync speed matters, as the store syncs every commit",
    )
    parser.add_argument(
        "--in-process",
        action="store_true",
        help="run the sandbox on a thread of this process instead of its own process",
    )
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, profile one more batch-1 drain (untimed) and print its top N functions",
    )
    args = parser.parse_args(argv)
    if not 1 <= args.leads <= MAX_LEADS:
        parser.error(f"--leads must be from 1 to {MAX_LEADS}")
    if args.profile < 0:
        parser.error("--profile must be 0 or more")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    leads = make_leads(args.leads)
    documents = [build_document([lead]) for lead in leads]
    with tempfile.TemporaryDirectory(prefix="leaddesk-bench-", dir=args.dir) as temp:
        work_dir = Path(temp)
        sandbox: InProcessSandbox | SubprocessSandbox = (
            InProcessSandbox() if args.in_process else SubprocessSandbox(work_dir)
        )
        try:
            print(
                f"LeadDesk outbox throughput: {args.leads} leads per run; Python "
                f"{platform.python_version()}, {os.cpu_count()} CPUs\n"
                f"sandbox: {sandbox.describe()}\nstores:  {work_dir}"
            )
            warm_up(sandbox, documents)
            bare = run_bare(sandbox, documents)
            batch1 = run_outbox(sandbox, leads, documents, 1, work_dir)
            batch25 = run_outbox(sandbox, leads, documents, BIG_BATCH, work_dir)
            print_report(bare, batch1, batch25)
            if args.profile:
                profile = cProfile.Profile()
                run_outbox(sandbox, leads, documents, 1, work_dir, profile)
                print_profile(profile, args.profile)
        finally:
            sandbox.close()
    return 0


if __name__ == "__main__":
    run_benchmark(main, "outbox_throughput")
