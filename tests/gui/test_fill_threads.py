"""LeadDesk's windows paint on the GUI thread: Qt's fill threads are turned off
(gui/app.py, NO_FILL_THREADS), as they cost the history's first screen more than they
save. Checked in a fresh process, since Qt reads the setting once, at its first fill."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/task").is_dir(), reason="threads are listed through /proc"
)

# A tall table painted, then the names of the process's threads: Qt names the threads of
# its fill pool "Thread (pooled)".
PAINT_AND_LIST_THREADS = textwrap.dedent(
    """
    import os, sys
    from PySide6.QtGui import QStandardItem, QStandardItemModel
    from PySide6.QtWidgets import QApplication, QTableView
    if sys.argv[1] == "leaddesk":
        from leaddesk.gui.app import create_application
        app = create_application()
    else:
        app = QApplication([])
    model = QStandardItemModel(200, 3)
    for row in range(200):
        model.setItem(row, 0, QStandardItem(f"row {row}"))
    table = QTableView()
    table.setModel(model)
    table.resize(400, 600)
    table.show()
    image = table.grab()  # every part painted, its scroll bars with it
    assert image.height() >= 600, image.height()
    names = [
        open(f"/proc/self/task/{task}/comm").read().strip()
        for task in os.listdir("/proc/self/task")
    ]
    print("|".join(names))
    """
)


def threads_after_painting(setup: str) -> list[str]:
    environment = {k: v for k, v in os.environ.items() if k != "QT_NO_GUI_THREADPOOL"}
    environment["QT_QPA_PLATFORM"] = "offscreen"
    done = subprocess.run(
        [sys.executable, "-c", PAINT_AND_LIST_THREADS, setup],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=True,
    )
    return done.stdout.strip().splitlines()[-1].split("|")


def test_plain_qt_fills_a_tall_table_with_threads() -> None:
    # The control: without LeadDesk's set-up, the same painting starts Qt's fill threads
    # (were it not so, the test below would prove nothing).
    assert "Thread (pooled)" in threads_after_painting("plain")


def test_leaddesk_paints_the_same_table_on_its_own_thread() -> None:
    assert "Thread (pooled)" not in threads_after_painting("leaddesk")
