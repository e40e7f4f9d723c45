"""Start-up: process start to a shown LeadDesk window, against a bare PySide6 window.

    .venv/bin/python bench/gui_startup.py [--samples 7] [--profile N]

Each sample is a fresh Python process, timed by this parent from Popen: a script of its
own for each kind, so that neither pays this bench's imports and set-up (argparse, json,
subprocess, statistics, benchkit). Both children notice their first frame the same way
(the same lines in each): a 1 ms timer in the event loop finds the shown window before its
first expose is delivered and watches that expose; the "shown" mark is taken by an event
posted from it, which runs as soon as the expose's paint is done, before anything the
window itself posted from the same expose. The timer then notes when the window is ready,
prints the marks and closes it, so that the child leaves the normal way (draft saved,
worker stopped and waited for). A child whose window was already exposed when its timer
found it says so ("seen poll": its mark is late) and the report counts them:

- leaddesk (bench/startup_leaddesk.py): the real start-up path of
  `python -m leaddesk --demo`:
  leaddesk.cli.main.main(["--demo"])
  -> run_gui -> create_application, MainWindow (the form from the field list, the draft,
  window.ini), show, app.exec(); after its first frame: Context (demo: the sandbox's
  listening socket), store, Desk, history pane, SendWorker, attach. Shown is the first
  frame; ready is attach done, ready to submit (settings read, the history's first page
  shown, the submit flow and the worker built). A moment later the worker starts (and
  with its first outbox the demo sandbox), the dialer-link server starts, and the
  history's totals are counted; tests/gui/test_startup.py submits a lead at the ready
  mark and sees it accepted.
- bare (bench/startup_bare.py): a minimal script, a QApplication and a QMainWindow
  holding 30 labelled QLineEdits in a two-column grid (the same number of inputs as the
  lead form), shown and noticed the same way (ready when shown).

The kinds alternate, after one untimed warm-up start of each (so both find the files in
the page cache, and LeadDesk its compiled bytecode, as an installed copy does). The
children run with LEADDESK_HOME in a temporary folder; every leaddesk sample after the
warm-up finds the history and window.ini that an earlier start left, as on an agent's
machine. It prints the medians and LeadDesk's ratios to the bare window's shown mark:
shown (target at most 1.5x) and ready to submit (at most 2x), and PASS/MISS. Exit status
0 unless the benchmark itself failed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from benchkit import BenchError, load_average, run_benchmark

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

RATIO_TARGET = 1.5  # LeadDesk shown / bare shown
READY_TARGET = 2.0  # LeadDesk ready to submit / bare shown
CHILD_TIMEOUT = 60.0
BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
KINDS = ("bare", "leaddesk")


# --- the parent ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Sample:
    kind: str
    wall: float  # parent: Popen to shown
    ready: float  # parent: Popen to ready (attached)
    in_script: float  # child: its first line of code to shown
    imported: float  # child: its first line of code to the Qt (and LeadDesk) imports done
    application: float  # child: ... to the QApplication created
    exit_after: float  # parent: the line to the child's exit
    seen: str  # "expose": the first expose was watched; "poll": found already exposed


def run_child(kind: str, home: Path, profile_path: Path | None = None) -> Sample:
    command = [sys.executable, str(BENCH_DIR / f"startup_{kind}.py")]
    if profile_path is not None:
        command.append(str(profile_path))
    env = dict(os.environ, LEADDESK_HOME=str(home))
    # An installed LeadDesk starts from compiled bytecode (pip and PyInstaller write it);
    # a shell that sets PYTHONDONTWRITEBYTECODE would have every start compile LeadDesk's
    # sources again, which no agent's machine does. The warm-up start writes the cache.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        wall = time.perf_counter() - started
        seen = time.perf_counter()
        _, errors = process.communicate(timeout=CHILD_TIMEOUT)
        exit_after = time.perf_counter() - seen
    except BaseException:
        process.kill()
        process.wait()
        raise
    if process.returncode != 0 or not line.strip():
        raise BenchError(
            f"the {kind} child exited with status {process.returncode} "
            f"(printed {line.strip()!r}); its stderr:\n{errors.strip()}"
        )
    words = line.split()
    pairs = dict(zip(words[::2], words[1::2], strict=True))
    noticed = pairs.pop("seen", "poll")
    marks = {name: float(value) for name, value in pairs.items()}
    marks.setdefault("ready", marks["shown"])  # the bare window is ready when shown
    # The line comes a moment after the child's "printed" mark; each mark is counted back
    # from it, alike in both arms (the child's marks are on one clock).
    shown_wall = wall - (marks["printed"] - marks["shown"])
    ready_wall = wall - (marks["printed"] - marks["ready"])
    return Sample(
        kind,
        shown_wall,
        ready_wall,
        marks["shown"],
        marks["imported"],
        marks["application"],
        exit_after,
        noticed,
    )


def median(samples: Sequence[Sample], attribute: str) -> float:
    return statistics.median(float(getattr(sample, attribute)) for sample in samples)


def print_report(samples: Sequence[Sample]) -> None:
    by_kind = {kind: [s for s in samples if s.kind == kind] for kind in KINDS}
    print()
    print(f"{'start-up (ms, medians)':<26} {'bare':>9} {'leaddesk':>9} {'extra':>9}")
    rows = (
        ("process start -> shown", "wall"),
        ("  interpreter + site", None),
        ("  imports", "imported"),
        ("  QApplication", None),
        ("  build + show", None),
    )
    for label, attribute in rows:
        values = []
        for kind in KINDS:
            group = by_kind[kind]
            if attribute is not None:
                values.append(1000 * median(group, attribute))
            elif label.strip() == "interpreter + site":
                values.append(1000 * statistics.median(s.wall - s.in_script for s in group))
            elif label.strip() == "QApplication":
                values.append(1000 * statistics.median(s.application - s.imported for s in group))
            else:
                values.append(1000 * statistics.median(s.in_script - s.application for s in group))
        print(f"{label:<26} {values[0]:>9.1f} {values[1]:>9.1f} {values[1] - values[0]:>+9.1f}")
    ready = [1000 * median(by_kind[kind], "ready") for kind in KINDS]
    print(
        f"{'process start -> ready':<26} {ready[0]:>9.1f} {ready[1]:>9.1f} "
        f"{ready[1] - ready[0]:>+9.1f}"
    )
    print(
        "  (ready to submit: attach done after the first frame: settings read, the history's\n"
        "   first page shown, the worker built; a moment later the worker, the demo sandbox\n"
        "   and the dialer-link server start, and the totals are counted)"
    )
    for kind in KINDS:
        walls = ", ".join(f"{1000 * s.wall:.0f}" for s in by_kind[kind])
        print(f"{kind} samples (ms): {walls}")
    exits = {kind: 1000 * median(by_kind[kind], "exit_after") for kind in KINDS}
    print(
        f"exit after the line (not timed): bare {exits['bare']:.0f} ms, "
        f"leaddesk {exits['leaddesk']:.0f} ms"
    )
    for kind in KINDS:
        late = sum(1 for s in by_kind[kind] if s.seen != "expose")
        if late:
            print(f"{kind}: {late} of {len(by_kind[kind])} first frames found already exposed")
    bare = median(by_kind["bare"], "wall")
    ratio = median(by_kind["leaddesk"], "wall") / bare
    ready_ratio = median(by_kind["leaddesk"], "ready") / bare
    print()
    print(f"{'ratio to the bare window':<26} {'value':>9} {'target':>9} {'result':>9}")
    for label, value, target in (
        ("leaddesk shown / bare", ratio, RATIO_TARGET),
        ("leaddesk ready / bare", ready_ratio, READY_TARGET),
    ):
        verdict = "PASS" if value <= target else "MISS"
        print(f"{label:<26} {value:>9.2f} {'<= ' + f'{target:g}':>9} {verdict:>9}")


def print_profile(path: Path, top: int) -> None:
    import io
    import pstats

    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(str(path), stream=out).sort_stats(order).print_stats(top)
        print(f"\n--- profile of one leaddesk start (in the child, its imports too), by {order}")
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        print("\n".join(line for line in lines[start:] if line.strip()))


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--samples", type=int, default=7, help="timed starts of each kind (7)")
    parser.add_argument(
        "--profile",
        type=int,
        default=0,
        metavar="N",
        help="afterwards, profile one more leaddesk start and print its top N functions",
    )
    args = parser.parse_args(argv)
    if args.samples < 1:
        parser.error("--samples must be 1 or more")
    if args.profile < 0:
        parser.error("--profile must be 0 or more")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="leaddesk-bench-startup-") as temp:
        home = Path(temp) / "home"
        print(
            f"LeadDesk start-up: {args.samples} starts of each kind, alternating, after one "
            f"warm-up each; Python {platform.python_version()}, {os.cpu_count()} CPUs, "
            f"load {load_average()}, QT_QPA_PLATFORM={os.environ['QT_QPA_PLATFORM']}\n"
            f"LEADDESK_HOME: {home}"
        )
        for kind in KINDS:
            run_child(kind, home)  # warm-up: page cache, and leaddesk's first-run files
        samples: list[Sample] = []
        for index in range(args.samples):
            order = KINDS if index % 2 == 0 else tuple(reversed(KINDS))
            samples += [run_child(kind, home) for kind in order]
        print_report(samples)
        print(f"load average at the end: {load_average()}")
        if args.profile:
            profile_path = Path(temp) / "startup.prof"
            run_child("leaddesk", home, profile_path)
            print_profile(profile_path, args.profile)
    return 0


if __name__ == "__main__":
    run_benchmark(main, "gui_startup")
