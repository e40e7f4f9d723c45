"""GUI stall: the longest event-loop stall of the real window while leads post to a slow sandbox.

    .venv/bin/python bench/gui_stall.py [--leads 1000] [--via-form 50] [--delay 1]
                                        [--batch-size 10] [--idle 3] [--submit-every 1]

The sandbox runs as a separate process (`python -m leaddesk sandbox --delay 1`): every
post waits a second before its answer. The real MainWindow with its SendWorker runs in
this process, in a temporary LeadDesk home, sending to it with the default settings
(batch size 10: 1,000 leads are 100 posts, so the sending takes about 100 s; --batch-size
or --leads shorten it).

A QTimer firing every 5 ms in the GUI thread records each gap between its firings; the
stall is the gap beyond the 5 ms interval. Two phases, in one process and one run:

1. baseline: the window shown and the worker idle (polling), for --idle seconds;
2. sending: (--leads minus --via-form) leads are queued at once with store.add_many
   (timed, but before the phase starts: the app never queues in bulk), the worker is woken,
   and while it sends, --via-form leads go through the form's own path, one every
   --submit-every seconds: the field values are set, then MainWindow.submit() (the
   duplicate check and the insert on the GUI thread, clearing the form, waking the worker)
   is called, as an agent typing a call would. The phase ends when every lead is final.

It prints the maximum and the p99 stall of both phases, the verdict against the issue's
target (the maximum stall while sending under 50 ms), what the GUI thread did in its own
slots (each submit, each progress report handled by the window), and the largest stalls
with the slots that overlapped them. Every lead must end accepted, with as many posts as
batches. Exit status 0 unless the benchmark itself went wrong.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchkit import BenchError, SandboxProcess, load_average, percentile, run_benchmark
from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Slot
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Sending, Settings
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import FINAL_STATES, State
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.app import create_application
from leaddesk.gui.main_window import MainWindow, open_window
from leaddesk.gui.worker import SendWorker
from leaddesk.history.store import Store
from leaddesk.sending.progress import Progress

STALL_TARGET_MS = 50.0
TIMER_MS = 5
MAX_LEADS = 10_000  # distinct valid phone numbers 801-312-0000 .. 801-312-9999
FINAL_POLL_MS = 500
SOURCE_ID = "4321"

_FIRST_NAMES = ("Ann", "Ben", "Carla", "Dev", "Elena", "Farid", "Grace", "Hiro", "Ines", "Jon")


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Phase:
    name: str
    started: float = 0.0
    ended: float = 0.0
    gaps: list[tuple[float, float]] = field(default_factory=list)  # (end time, gap seconds)

    def stalls_ms(self) -> list[float]:
        return [max(0.0, gap * 1000 - TIMER_MS) for _, gap in self.gaps]

    def max_ms(self) -> float:
        return max(self.stalls_ms(), default=0.0)

    def p99_ms(self) -> float:
        return percentile(self.stalls_ms(), 99)


class StallMonitor(QObject):
    """A 5 ms precise timer in the GUI thread; each firing records the gap since the last."""

    def __init__(self) -> None:
        super().__init__()
        self._timer = QTimer(self)
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(TIMER_MS)
        self._timer.timeout.connect(self._tick)
        self._last = 0.0
        self.phase: Phase | None = None

    def start(self, phase: Phase) -> None:
        self.phase = phase
        phase.started = self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> Phase:
        self._timer.stop()
        phase = self.phase
        assert phase is not None
        phase.ended = time.perf_counter()
        self.phase = None
        return phase

    @Slot()
    def _tick(self) -> None:
        now = time.perf_counter()
        if self.phase is not None:
            self.phase.gaps.append((now, now - self._last))
        self._last = now


@dataclass(frozen=True)
class Span:
    """Something the GUI thread did in a slot of ours, from start to end."""

    what: str
    start: float
    end: float

    @property
    def ms(self) -> float:
        return (self.end - self.start) * 1000


class ProgressTimer(QObject):
    """Stands between the worker's `progressed` signal and MainWindow.on_progress, to time it.

    It lives in the GUI thread, so the signal still reaches the window there (queued).
    """

    def __init__(self, window: MainWindow, spans: list[Span]) -> None:
        super().__init__()
        self._window = window
        self._spans = spans
        self.reports = 0

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        start = time.perf_counter()
        self._window.on_progress(progress)
        self._spans.append(Span(f"on_progress({progress.stage})", start, time.perf_counter()))
        self.reports += 1


# --- the leads -----------------------------------------------------------------------------


def lead_values(index: int) -> dict[str, str]:
    """A distinct valid lead's call fields: phone and last name unique (no duplicate prompt)."""
    return {
        "fname": _FIRST_NAMES[index % len(_FIRST_NAMES)],
        "lname": f"Stall{index:05d}",
        "phone1": f"801-312-{index:04d}",
        "address1": f"{100 + index} N University Ave",
        "zip": "84601",
        "city": "Provo",
        "state": "UT",
        "email": f"stall{index:05d}@example.com",
        "contact_time": "Evenings",
    }


# --- the run -------------------------------------------------------------------------------


@dataclass
class Results:
    baseline: Phase
    sending: Phase
    bulk_ms: float
    submits: list[Span]
    set_values: list[Span]
    progress: list[Span]
    polls: list[Span]
    posts: int
    counts: dict[State, int]


class Run:
    def __init__(self, args: argparse.Namespace, home: Path, sandbox_url: str) -> None:
        self.args = args
        self.app = create_application()
        paths = Paths(home / "config", home / "data", home / "logs", home / "cache")
        sending = Sending(batch_size=args.batch_size)
        settings = Settings(sending=sending)
        destination = Destination(url=sandbox_url, source_id=SOURCE_ID)
        self.store = Store(paths.database())
        zips = ZipDirectory(paths.cache_dir)
        zips.load_now()  # the app warms this up at start; not part of either phase
        desk = Desk(
            context=Context.of(paths, settings),
            destination=destination,
            store=self.store,
            draft=Draft(paths.data_dir / "draft.json"),
            zips=zips,
        )
        self.worker = SendWorker(desk.outboxes(), sending)
        self.window = open_window(desk, self.worker)
        self.spans_progress: list[Span] = []
        self.progress_timer = ProgressTimer(self.window, self.spans_progress)
        self.worker.progressed.disconnect(self.window.on_progress)
        self.worker.progressed.connect(self.progress_timer.on_progress)
        self.monitor = StallMonitor()
        self.submits: list[Span] = []
        self.set_values: list[Span] = []
        self.polls: list[Span] = []
        self.url = sandbox_url

    def wait(self, seconds: float, done: Callable[[], bool] | None = None) -> bool:
        """Run the event loop for `seconds`, or until done() (checked every FINAL_POLL_MS)."""
        loop = QEventLoop()
        QTimer.singleShot(round(seconds * 1000), loop.quit)
        poll = QTimer()
        if done is not None:

            def check() -> None:
                start = time.perf_counter()
                finished = done()
                self.polls.append(Span("poll: store.counts()", start, time.perf_counter()))
                if finished:
                    loop.quit()

            poll.setInterval(FINAL_POLL_MS)
            poll.timeout.connect(check)
            poll.start()
        loop.exec()
        poll.stop()
        return done() if done is not None else True

    def start(self) -> None:
        self.worker.start()
        self.window.show()
        if not QTest.qWaitForWindowExposed(self.window):
            raise BenchError("the window was not exposed")
        self.wait(0.5)  # the first paint, focus, the worker's first look

    def submit_one(self, index: int) -> None:
        form = self.window.form
        start = time.perf_counter()
        form.set_values(lead_values(index))
        middle = time.perf_counter()
        self.window.submit()
        end = time.perf_counter()
        self.set_values.append(Span("form.set_values", start, middle))
        self.submits.append(Span("MainWindow.submit", middle, end))
        result = self.window.result_label.text()
        if not result.endswith("queued."):
            raise BenchError(f"form lead {index} was not queued: {result!r}")

    def run(self) -> Results:
        args = self.args
        self.start()
        baseline = Phase("baseline: window shown, worker idle")
        self.monitor.start(baseline)
        self.wait(args.idle)
        self.monitor.stop()

        bulk = args.leads - args.via_form
        bulk_leads = [
            (Lead.parse({**lead_values(i), "source_id": SOURCE_ID}), self.url)
            for i in range(args.via_form, args.leads)
        ]
        started = time.perf_counter()
        self.store.add_many(bulk_leads)
        bulk_ms = (time.perf_counter() - started) * 1000
        self.worker.wake()
        print(f"queued {bulk} leads with store.add_many in {bulk_ms:.0f} ms (not in a phase)")

        sending = Phase("sending: worker posting, form submits")
        submitted = 0

        def submit_next() -> None:
            nonlocal submitted
            if submitted < args.via_form:
                self.submit_one(submitted)
                submitted += 1
            else:
                submitter.stop()

        submitter = QTimer()
        submitter.setInterval(round(args.submit_every * 1000))
        submitter.timeout.connect(submit_next)

        def all_final() -> bool:
            counts = self.store.counts()
            final = sum(counts.get(state, 0) for state in FINAL_STATES)
            return bool(submitted >= args.via_form and final >= args.leads)

        self.monitor.start(sending)
        submitter.start()
        finished = self.wait(args.timeout, all_final)
        self.monitor.stop()
        submitter.stop()
        if not finished:
            raise BenchError(f"not every lead was final within {args.timeout:g} s")
        return Results(
            baseline,
            sending,
            bulk_ms,
            self.submits,
            self.set_values,
            self.spans_progress,
            self.polls,
            self.progress_timer.reports,
            self.store.counts(),
        )

    def close(self) -> None:
        pending = sum(self.store.counts().get(s, 0) for s in (State.QUEUED, State.SENDING))
        if pending:  # closing would ask what to do about them: stop the worker directly
            self.worker.stop()
            self.worker.wait()
            self.window.hide()
        else:
            self.window.close()
            self.worker.wait()
        self.store.close()


# --- the report ----------------------------------------------------------------------------


def summary(spans: Sequence[Span]) -> str:
    if not spans:
        return "none"
    values = [span.ms for span in spans]
    return (
        f"{len(values)} calls, median {statistics.median(values):.2f} ms, "
        f"p99 {percentile(values, 99):.2f} ms, max {max(values):.2f} ms"
    )


def print_report(results: Results, args: argparse.Namespace) -> None:
    print()
    print(f"{'phase':<40} {'seconds':>8} {'ticks':>7} {'p99 ms':>8} {'max ms':>8}")
    for phase in (results.baseline, results.sending):
        print(
            f"{phase.name:<40} {phase.ended - phase.started:>8.1f} {len(phase.gaps):>7} "
            f"{phase.p99_ms():>8.2f} {phase.max_ms():>8.2f}"
        )
    print("(stall: the gap between 5 ms timer firings beyond 5 ms)")
    sending_max = results.sending.max_ms()
    ratio = sending_max / results.baseline.max_ms() if results.baseline.max_ms() else math.inf
    print(f"max stall, sending / baseline: {ratio:.1f}x")
    print()
    verdict = "PASS" if sending_max < STALL_TARGET_MS else "MISS"
    print(f"{'target':<40} {'value':>8} {'target':>8} {'result':>8}")
    print(
        f"{'max stall while sending (ms)':<40} {sending_max:>8.2f} "
        f"{'< ' + f'{STALL_TARGET_MS:g}':>8} {verdict:>8}"
    )
    print()
    print("GUI-thread work in the sending phase, timed in our own slots:")
    print(f"  MainWindow.submit (form leads)       {summary(results.submits)}")
    print(f"  form.set_values before each submit   {summary(results.set_values)}")
    print(f"  MainWindow.on_progress               {summary(results.progress)}")
    print(f"  completion poll (store.counts)       {summary(results.polls)}")
    spans = results.submits + results.set_values + results.progress + results.polls
    print()
    print("largest stalls while sending, and the timed slots that overlapped them:")
    worst = sorted(results.sending.gaps, key=lambda item: item[1], reverse=True)[:8]
    for end, gap in worst:
        start = end - gap
        overlapping = [s for s in spans if s.start < end and s.end > start]
        inside = ", ".join(f"{s.what} {s.ms:.1f} ms" for s in overlapping) or "none of ours"
        offset = end - results.sending.started
        print(f"  {gap * 1000 - TIMER_MS:7.2f} ms at {offset:6.1f} s: {inside}")
    print()
    posts = math.ceil((args.leads - args.via_form) / args.batch_size) + math.ceil(
        args.via_form / args.batch_size
    )
    print(
        f"leads: {dict((str(k), v) for k, v in results.counts.items())}; "
        f"progress reports: {results.posts} (about 2 per post, {posts} or more posts)"
    )


def check_results(results: Results, leads: int) -> None:
    if results.counts != {State.ACCEPTED: leads}:
        raise BenchError(f"the leads did not all end accepted: {results.counts}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--leads", type=int, default=1000, help="leads in all (1000)")
    parser.add_argument(
        "--via-form", type=int, default=50, help="of which submitted through the form (50)"
    )
    parser.add_argument(
        "--delay", type=float, default=1.0, help="the sandbox's delay per post, seconds (1)"
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=Sending().batch_size,
        help=f"leads per post ({Sending().batch_size}, the default setting)",
    )
    parser.add_argument("--idle", type=float, default=3.0, help="seconds of the idle baseline (3)")
    parser.add_argument(
        "--submit-every", type=float, default=1.0, help="seconds between form submits (1)"
    )
    parser.add_argument(
        "--timeout", type=float, default=900.0, help="give up after this many seconds (900)"
    )
    args = parser.parse_args(argv)
    if not 1 <= args.leads <= MAX_LEADS:
        parser.error(f"--leads must be from 1 to {MAX_LEADS}")
    if not 0 <= args.via_form <= args.leads:
        parser.error("--via-form must be from 0 to --leads")
    if not 1 <= args.batch_size <= 100:
        parser.error("--batch-size must be from 1 to 100")
    if args.delay < 0 or args.idle <= 0 or args.submit_every <= 0 or args.timeout <= 0:
        parser.error("--delay must not be negative; --idle, --submit-every, --timeout positive")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    posts = math.ceil((args.leads - args.via_form) / args.batch_size) + math.ceil(
        args.via_form / args.batch_size
    )
    with tempfile.TemporaryDirectory(prefix="leaddesk-bench-stall-") as temp:
        sandbox = SandboxProcess(Path(temp), ["--delay", f"{args.delay:g}"])
        try:
            print(
                f"LeadDesk GUI stall: {args.leads} leads ({args.via_form} through the form), "
                f"batch size {args.batch_size}, sandbox delay {args.delay:g} s per post: about "
                f"{posts} posts, so about {posts * args.delay:.0f} s of sending.\nPython "
                f"{platform.python_version()}, {os.cpu_count()} CPUs, load {load_average()}, "
                f"QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}, GIL switch interval "
                f"{sys.getswitchinterval() * 1000:g} ms\nsandbox: {sandbox.describe()}"
            )
            run = Run(args, Path(temp) / "home", sandbox.url)
            try:
                results = run.run()
            finally:
                run.close()
            print_report(results, args)
            print(f"load average at the end: {load_average()}")
            check_results(results, args.leads)
        finally:
            sandbox.close()
        QApplication.processEvents()
    return 0


if __name__ == "__main__":
    run_benchmark(main, "gui_stall")
