"""The app never hands Python a widget that Qt made itself, and its history loads without
the types PySide sets up slowest.

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
from typing import Any

from leaddesk.config.paths import Paths
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from tests.support.history_data import populate

SCRIPT = "tests.support.widget_types_at_start"
# Widget classes LeadDesk never uses: their types are built only by that search.
NEVER_USED = ("QCalendarWidget", "QColumnView", "QDial", "QLCDNumber", "QMdiArea", "QWizard")


def built_types(home: Path, *options: str) -> set[str]:
    """The widget classes PySide has built types for by the end of the script's steps."""
    report = start_report(home, *options)
    built = set(report["built"])
    assert "QTableView" in built and "QLineEdit" in built  # the window's own classes
    return built


def start_report(home: Path, *options: str) -> dict[str, Any]:
    """What the script saw in a demo start (the widget classes PySide has built types for
    at ready and at the end of its steps), its history holding a refused and an accepted
    lead to show, select and open the menu on."""
    env = {**os.environ, "LEADDESK_HOME": str(home), "QT_QPA_PLATFORM": "offscreen"}
    database = Paths.from_environment(env).database(demo=True)
    database.parent.mkdir(parents=True)
    with Store(database) as store:
        populate(store, [State.REJECTED, State.ACCEPTED])
    done = subprocess.run(
        [sys.executable, "-m", SCRIPT, *options],
        env=env,
        capture_output=True,
        text=True,
        timeout=90,
        cwd=Path(__file__).parents[2],
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr
    report: dict[str, Any] = json.loads(lines[-1])
    assert "error" not in report, report
    assert report["selected"] == 1 and report["popup"] == "QMenu", report
    return report


def test_start_history_and_its_menu_build_no_types_for_unused_widgets(tmp_path: Path) -> None:
    built = built_types(tmp_path)
    assert not built.intersection(NEVER_USED), sorted(built.intersection(NEVER_USED))


def test_a_new_palette_builds_no_types_for_unused_widgets(tmp_path: Path) -> None:
    """The system turning dark restyles every marked widget: found among all the app's
    widgets, Qt's own included, it held up the window once more."""
    built = built_types(tmp_path, "--palette")
    assert not built.intersection(NEVER_USED), sorted(built.intersection(NEVER_USED))


def test_ready_to_submit_comes_before_qmessagebox(tmp_path: Path) -> None:
    """PySide sets up QMessageBox's names (its buttons, roles, icons) as it loads: the
    questions load where one is asked, after the window is ready to submit."""
    report = start_report(tmp_path)
    assert "QTableView" in report["at_ready"]  # the history is there
    assert "QMessageBox" not in report["at_ready"], report["at_ready"]
