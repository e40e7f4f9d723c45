"""The app never hands Python a widget that Qt made itself.

Given one (a scroll area's viewport, say), PySide builds the Python types of every widget
class, with their enums, to find that widget's own: ~20 ms on the GUI thread. The history
pane asked for its table's viewport as it was made, and so held up "ready to submit" by
about that much at every start (tests/support/widget_types_at_start.py says how this is
seen).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from leaddesk.config.paths import Paths
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from tests.support.history_data import populate

SCRIPT = Path(__file__).parents[1] / "support" / "widget_types_at_start.py"
# Widget classes LeadDesk never uses: their types are built only by that search.
NEVER_USED = ("QCalendarWidget", "QColumnView", "QDial", "QLCDNumber", "QMdiArea", "QWizard")


def test_start_history_and_its_menu_build_no_types_for_unused_widgets(tmp_path: Path) -> None:
    env = {**os.environ, "LEADDESK_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    # Rows to show, select and open the menu on (a refused one: it needs attention).
    database = Paths.from_environment(env).database(demo=True)
    database.parent.mkdir(parents=True)
    with Store(database) as store:
        populate(store, [State.REJECTED, State.ACCEPTED])
    done = subprocess.run(
        [sys.executable, str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr
    report = json.loads(lines[-1])
    assert "error" not in report, report
    assert report["selected"] == 1 and report["popup"] == "QMenu", report
    built = set(report["built"])
    assert "QTableView" in built and "QLineEdit" in built  # the window's own classes
    assert not built.intersection(NEVER_USED), sorted(built.intersection(NEVER_USED))
