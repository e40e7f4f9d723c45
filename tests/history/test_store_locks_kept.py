"""A process holds several Stores of one history (the window: its own, the sender's, the
history pane's threads). SQLite keeps each process's POSIX lock on the file, and a close()
of any descriptor of that file drops every lock the process holds on it: opening a Store
must not open and close the file itself once it exists. With the lock gone, another
program that opened and closed the history (`leaddesk history`, a DB browser, a backup)
took itself for the last one and deleted the WAL: what this process queued after that
was invisible to every other process and gone once it exited, and a Store opened after
that could not write ("disk I/O error"): a sender reopened after a problem never sent
again."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from leaddesk.history.store import Store
from tests.support.leads import make_lead

URL = "http://127.0.0.1:9/a/b"

# Another program: opens the history, reads, closes.
READER = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
print(db.execute("SELECT count(*) FROM leads").fetchone()[0])
db.close()
"""


def count_seen_by_another_process(path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", READER, str(path)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_leads_queued_after_another_program_read_the_history_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    with Store(path) as window, Store(path) as sender:
        assert count_seen_by_another_process(path) == 0
        window.add(make_lead(1), URL)
        sender.add(make_lead(2), URL)
        assert count_seen_by_another_process(path) == 2
        with Store(path) as reopened:  # as the sender does after a problem
            reopened.add(make_lead(3), URL)
        assert Path(f"{path}-wal").exists()
    assert count_seen_by_another_process(path) == 3
