"""Run as `python -m tests.support.widget_types_at_start`: `leaddesk --demo` started in this
process (run_gui) on a 1280x720 screen, left to paint its history's first screen, a row of
it selected, the window made shorter twice under the field being typed (the second time
with a list dropped down) and the history's context menu opened; then it prints, as JSON,
the names of the PySide6.QtWidgets classes that PySide has built Python types for by then
and by the moment the window was ready to submit, how many leads were selected and the
class of the popup open, and closes the window. The caller puts leads in the demo history
first: with none, there is no row to select, and the selection's path would go untried.
With --palette, the application's palette then turns dark, as when the system switches to
a dark theme while LeadDesk runs.

PySide builds a class's Python type the first time the class is imported or an object of it
is handed to Python. A widget that Qt made itself (a scroll area's viewport, a header's
child) handed to Python makes it build the types of every widget class, with their enums,
to find the widget's own: ~20 ms, paid on the GUI thread. The caller sets LEADDESK_HOME.
"""

from __future__ import annotations

import json
import sys
import time

from PySide6 import QtWidgets
from PySide6.QtCore import QPoint, QTimer
from PySide6.QtGui import QColor, QContextMenuEvent, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.gui import app
from leaddesk.gui.main_window import MainWindow
from tests.support.window_at_screen import configure_screen

GIVE_UP_SECONDS = 30.0


def main() -> int:
    windows: list[MainWindow] = []

    seen: dict[str, object] = {}

    def recording(*args: object, **kwargs: object) -> MainWindow:
        window = MainWindow(*args, **kwargs)  # type: ignore[arg-type]
        windows.append(window)
        attach = window.attach

        def attach_and_note(*args: object, **kwargs: object) -> None:
            attach(*args, **kwargs)  # type: ignore[arg-type]
            # Ready to submit: what PySide has built by then held up that moment.
            seen["at_ready"] = sorted(name for name in vars(QtWidgets) if name.startswith("Q"))

        window.attach = attach_and_note  # type: ignore[method-assign]
        return window

    app.MainWindow = recording  # type: ignore[attr-defined,assignment]
    configure_screen(1280, 720, 1.0)  # wide enough for the history beside the form
    app.create_application()  # run_gui finds it; made first so the timer has a loop
    give_up_at = time.monotonic() + GIVE_UP_SECONDS
    steps = [
        "select",
        "shrink",
        "dropdown",
        "menu",
        *(["palette"] if "--palette" in sys.argv else []),
        "report",
    ]

    def tick() -> None:
        window = windows[-1] if windows else None
        if time.monotonic() > give_up_at:
            print(json.dumps({"error": "the history never showed its first screen"}))
            timer.stop()
            QApplication.quit()
            return
        history = getattr(window, "history", None)
        if window is None or history is None or history._first_count.pending:
            return
        step = steps.pop(0)
        if step == "select":
            history.table.selectRow(0)
            seen["selected"] = len(history.selected_ids())
        elif step == "shrink":
            # The form's view shrinking under the field being typed, as a notice appearing
            # above it does: the field kept in sight.
            window.form.inputs["lead_comments"].widget.setFocus()
            window.resize(window.width(), window.height() - 150)
        elif step == "dropdown":
            # Shrinking again with a list dropped down: its list, Qt's, has the focus.
            ownership = window.form.inputs["lead_home_ownership"].widget
            assert isinstance(ownership, QtWidgets.QComboBox)
            ownership.setFocus()
            ownership.showPopup()
            window.resize(window.width(), window.height() - 50)
            ownership.hidePopup()
        elif step == "menu":
            viewport = history.table.viewport()  # a right click there, as Qt delivers it
            where = QPoint(10, 10)
            click = QContextMenuEvent(
                QContextMenuEvent.Reason.Mouse, where, viewport.mapToGlobal(where)
            )
            QApplication.sendEvent(viewport, click)
        elif step == "palette":
            QApplication.setPalette(QPalette(QColor("#202020")))  # every marked widget anew
        else:
            timer.stop()
            built = sorted(name for name in vars(QtWidgets) if name.startswith("Q"))
            popup = QApplication.activePopupWidget()  # the pane's own menu, made in Python
            seen["popup"] = type(popup).__name__ if popup is not None else None
            print(json.dumps({"built": built, **seen}), flush=True)
            for widget in (popup, window):
                if widget is not None:
                    widget.close()

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    return app.run_gui(demo=True)


if __name__ == "__main__":
    sys.exit(main())
