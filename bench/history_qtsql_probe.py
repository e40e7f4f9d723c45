"""Probe, no target: would cells served by Qt's own SQL model meet issue 14's target for
the history's first screen (at most 1.5x Qt's QTableView over a QStandardItemModel)?

    .venv/bin/python bench/history_qtsql_probe.py [--leads 20000] [--repeats 11]

The history pane's model is written in Python, so every painted cell calls into Python
several times; history_pane.py's seventh round in the README found that a bare Python
model alone costs more than the target leaves. This probe times the other road, in cold
children set up as history_pane.py's are (LeadDesk's window shown first, PySide's types
built): the reference arm is history_pane.py's own (the screen's rows read through the
Store into a QStandardItemModel, shown in a QTableView); the probe's arms show the same
rows, as the same texts, in a QSqlQueryModel over a read-only QSQLITE connection, which
serves each cell from C++:

- "opened": the connection opened before timing (as an app would at start-up);
- "cold open": Qt's SQLite driver loaded and the file opened inside the timed region.

Each child checks that its cells are the reference's texts. Prints the medians and each
arm's ratio to the reference. No state icons, colours, filters or search: this is the
floor under a pane built on that model, not a pane.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from benchkit import BenchError, load_average, run_benchmark
from history_pane import (
    BASELINE_SQL,
    CHILD_TIMEOUT,
    PANE_SIZE,
    PaintWatch,
    TimedStore,
    build_history,
    reference_texts,
    run_child,
    settle_pyside,
    show_app_window,
    wait_painted,
)

from leaddesk.gui.app import create_application
from leaddesk.gui.history.cells import STATE_LABELS
from leaddesk.history.history_query import COLUMNS, Column

ROWS = 15  # the rows the pane's first screen shows in its 600x680 dock
PROBE_KINDS = ("opened", "cold open")


def _host(url: str) -> str:
    """SQL for the host of a URL held in `url`, as urlsplit(...).hostname gives it."""
    rest = f"substr({url}, instr({url}, '://') + 3)"
    host = f"substr({rest}, 1, instr({rest} || '/', '/') - 1)"
    return f"substr({host}, 1, instr({host} || ':', ':') - 1)"


_STATE_WORDS = " ".join(
    f"WHEN '{state.value}' THEN '{word}'" for state, word in STATE_LABELS.items()
)
_CELLS = {
    Column.TIME: "strftime('%H:%M', created_at, 'unixepoch', 'localtime')",
    Column.STATE: f"CASE state {_STATE_WORDS} END",
    Column.ERROR: "coalesce(json_extract(errors, '$[0]'), '')",
    Column.NAME: "fname || ' ' || lname",
    Column.PHONE: "'(' || substr(phone1, 1, 3) || ') ' || substr(phone1, 4, 3) || '-'"
    " || substr(phone1, 7)",
    Column.CUSTOMER: "customer_id",
    Column.DESTINATION: _host("destination"),
}
PROBE_SQL = (
    f"SELECT {', '.join(_CELLS[column] for column in COLUMNS)}"
    f" FROM leads ORDER BY id DESC LIMIT {ROWS}"
)


def child(kind: str, database: Path) -> int:
    """One cold sample of a probe arm; prints one JSON line with its time in ms."""
    from PySide6.QtSql import QSqlDatabase, QSqlQuery, QSqlQueryModel
    from PySide6.QtWidgets import QTableView

    create_application()
    settle_pyside()
    _types = (QSqlQueryModel(), QSqlQuery(), QSqlDatabase())  # PySide's QtSql set up
    with tempfile.TemporaryDirectory(prefix="leaddesk-probe-home-") as home:
        window = show_app_window(Path(home))

        def connect() -> QSqlDatabase:
            db = QSqlDatabase.addDatabase("QSQLITE", "history")
            db.setDatabaseName(str(database))
            db.setConnectOptions("QSQLITE_OPEN_READONLY")
            if not db.open():
                raise BenchError(f"QSQLITE cannot open {database}: {db.lastError().text()}")
            return db

        early = connect() if kind == "opened" else None
        start = time.perf_counter()
        db = early if early is not None else connect()
        model = QSqlQueryModel()
        model.setQuery(QSqlQuery(PROBE_SQL, db))
        table = QTableView()
        table.verticalHeader().setVisible(False)
        table.setModel(model)
        table.resize(*PANE_SIZE)
        watch = PaintWatch(table.viewport())
        table.show()
        end = wait_painted(table, watch, 0)
        shown = [
            [str(model.index(row, column).data()) for column in range(len(COLUMNS))]
            for row in range(model.rowCount())
        ]
        store = TimedStore(database)
        try:
            expected = [reference_texts(record) for record in store.read(BASELINE_SQL, (ROWS,))]
        finally:
            store.close()
        if shown != expected:
            raise BenchError(f"the probe's cells differ from the reference's: {shown[:2]}")
        print(json.dumps({"total_ms": (end - start) * 1000}), flush=True)
        table.hide()
        window.hide()
    return 0


def run_probe(kind: str, database: Path) -> float:
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind, str(database)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=CHILD_TIMEOUT)
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or len(lines) != 1:
        raise BenchError(f"the {kind} child exited with {done.returncode}:\n{done.stderr}")
    return float(json.loads(lines[0])["total_ms"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--leads", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=11)
    parser.add_argument("--child", nargs=2, metavar=("KIND", "DATABASE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child is not None:
        return child(args.child[0], Path(args.child[1]))
    print(f"history first screen, QtSql probe: {args.leads} leads, load {load_average()}")
    with tempfile.TemporaryDirectory(prefix="leaddesk-probe-") as temp:
        path = Path(temp) / "history.sqlite3"
        build_history(path, args.leads)
        samples: dict[str, list[float]] = {"reference": [], **{kind: [] for kind in PROBE_KINDS}}
        for index in range(args.repeats + 1):  # the first round warms the page cache
            for kind in samples:
                ms = (
                    run_child("reference", path, ROWS, "app").total_ms
                    if kind == "reference"
                    else run_probe(kind, path)
                )
                if index:
                    samples[kind].append(ms)
    reference = statistics.median(samples["reference"])
    print(f"  reference (QStandardItemModel, rows read through the Store): {reference:.2f} ms")
    for kind in PROBE_KINDS:
        median = statistics.median(samples[kind])
        print(f"  QSqlQueryModel, connection {kind}: {median:.2f} ms, {median / reference:.2f}x")
    print(f"load average at the end: {load_average()}")
    return 0


if __name__ == "__main__":
    run_benchmark(main, "history_qtsql_probe")
