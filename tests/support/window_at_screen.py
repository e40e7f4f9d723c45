"""Run LeadDesk's real start-up (`leaddesk --demo`) on an offscreen screen of a given size
and scale, and print what a person would see of the window once it is ready, as JSON.

    python -m tests.support.window_at_screen WIDTHxHEIGHT SCALE [--resize WxH]

The screen is Qt's offscreen platform configured to that many device pixels; SCALE goes
to QT_SCALE_FACTOR, so 1920x1080 at 1.5 is a 1280x720 desktop as Qt lays it out. The
caller sets LEADDESK_HOME (a window.ini left there by an earlier run is restored);
--resize leaves the window that size (in window.ini) as it closes.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]


def run_at_screen(module: str, home: Path, screen: str, scale: float, *extra: str) -> Any:
    """Run one of these screen scripts (`python -m <module> SCREEN SCALE ...`) in a process
    of its own with this LEADDESK_HOME, and return the JSON it printed last."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("QT_")}
    env["LEADDESK_HOME"] = str(home)
    done = subprocess.run(
        [sys.executable, "-m", module, screen, str(scale), *extra],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    assert done.returncode == 0 and lines, done.stderr
    return json.loads(lines[-1])


def report_when_ready(
    measure: Callable[[Any], dict[str, Any]], then: Callable[[Any], bool] | None = None
) -> int:
    """Start LeadDesk in demo mode; once its window is attached, print measure(window) as
    JSON, then quit, unless `then(window)` says it will see to that itself."""
    from PySide6.QtCore import QTimer

    from leaddesk.gui import app as gui_app
    from leaddesk.gui.main_window import MainWindow

    app = gui_app.create_application()

    def look() -> None:
        window = next((w for w in app.topLevelWidgets() if isinstance(w, MainWindow)), None)
        if window is None or not window.attached:
            QTimer.singleShot(20, look)
            return
        app.processEvents()
        print(json.dumps(measure(window)), flush=True)
        if then is None or not then(window):
            window.request_quit()

    QTimer.singleShot(50, look)
    return gui_app.run_gui(demo=True)


def report_at_screen(argv: list[str], measure: Callable[[Any], dict[str, Any]]) -> int:
    """A screen script's main(): the screen from `WIDTHxHEIGHT SCALE` in argv, then
    LeadDesk started on it and measure(window) printed once it is ready."""
    width, height = (int(part) for part in argv[0].split("x"))
    configure_screen(width, height, float(argv[1]))
    return report_when_ready(measure)


def configure_screen(width: int, height: int, scale: float) -> None:
    """Qt's offscreen platform with one screen of this size; set before Qt starts."""
    config = {
        "screens": [
            {"name": "desk", "x": 0, "y": 0, "width": width, "height": height,
             "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        ]
    }  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="leaddesk-screen-"))
    atexit.register(shutil.rmtree, folder, True)  # Qt has read it by then
    path = folder / "screen.json"
    path.write_text(json.dumps(config), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={path}"
    os.environ["QT_SCALE_FACTOR"] = str(scale)


def measure(window: Any) -> dict[str, Any]:
    """The window against the screen, each main input and its label against the window,
    and the history's first-error column against the history's table."""
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import QLabel

    from leaddesk.domain.fields import FIELDS, Section
    from leaddesk.gui.history.pane import HistoryPane
    from leaddesk.gui.lead_form import IN_CALL_ROWS, MAIN_FIELDS
    from leaddesk.history.history_query import COLUMNS, Column

    def rect_in_window(widget: Any) -> list[int]:
        top_left = widget.mapTo(window, QPoint(0, 0))
        return [top_left.x(), top_left.y(), widget.width(), widget.height()]

    def visible_in_window(widget: Any) -> list[int]:
        """The part of a widget not clipped by any of its parents (a scroll area's
        viewport among them), in the window's coordinates."""
        visible = widget.visibleRegion().boundingRect()
        top_left = widget.mapTo(window, visible.topLeft())
        return [top_left.x(), top_left.y(), visible.width(), visible.height()]

    form = window.form
    labels = {label.buddy(): label for label in form.findChildren(QLabel) if label.buddy()}
    inputs = {}
    for spec in FIELDS:
        in_call = spec.section is Section.CALL or spec.name in IN_CALL_ROWS
        if not in_call or spec.name not in form.inputs:
            continue
        widget = form.inputs[spec.name].widget
        label = labels.get(widget)
        inputs[spec.name] = {
            "rect": rect_in_window(widget),
            "visible": visible_in_window(widget),
            "shown": widget.isVisible(),
            "width": widget.width(),
            "hint_width": widget.sizeHint().width(),
            "main": spec.name in MAIN_FIELDS,
            "label": None
            if label is None
            else {
                "text": label.text(),
                "rect": rect_in_window(label),
                "visible": visible_in_window(label),
                "width": label.width(),
                "hint_width": label.sizeHint().width(),
            },
        }
    frame: QRect = window.frameGeometry()
    available: QRect = window.screen().availableGeometry()
    history = window.history
    assert isinstance(history, HistoryPane)
    table = history.table
    error_column = COLUMNS.index(Column.ERROR)
    header = table.horizontalHeader()
    status = window.statusBar()
    return {
        "screen": [available.x(), available.y(), available.width(), available.height()],
        "frame": [frame.x(), frame.y(), frame.width(), frame.height()],
        "window": [window.x(), window.y(), window.width(), window.height()],
        "status_bar": [*rect_in_window(status), status.isVisible()],
        "history_docked": window.history_dock.isVisible() and not window.history_dock.isFloating(),
        "history_visible": window.history_dock.isVisible(),
        "inputs": inputs,
        "error_column": {
            "x": header.sectionViewportPosition(error_column),
            "width": header.sectionSize(error_column),
            "viewport_width": table.viewport().width(),
        },
    }


def main(argv: list[str]) -> int:
    size, scale = argv[0], float(argv[1])
    resize = [int(part) for part in argv[3].split("x")] if argv[2:3] == ["--resize"] else None
    width, height = (int(part) for part in size.split("x"))
    configure_screen(width, height, scale)

    def resize_then_quit(window: Any) -> bool:
        if resize is None:
            return False
        from PySide6.QtCore import QTimer

        window.resize(*resize)
        QTimer.singleShot(300, window.request_quit)  # once the new size has settled
        return True

    return report_when_ready(measure, resize_then_quit)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
