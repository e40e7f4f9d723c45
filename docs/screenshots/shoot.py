"""Start LeadDesk in demo mode for a screenshot: a history with refused leads in it, and
(--dark) a dark palette. Run by docs/screenshots/take.sh under Xvfb, from the repository
root, with LEADDESK_HOME set to a temporary folder.

    python docs/screenshots/shoot.py [--dark] [--history]

--history opens the history once the window is ready, as F9 does (no window manager
under Xvfb gives the window the keyboard for a real F9).
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.cli.main import main
from leaddesk.config.paths import Paths
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from tests.support.history_data import populate

SEEN = (State.ACCEPTED, State.REJECTED, State.ACCEPTED, State.FAILED, State.UNCONFIRMED,
        State.REJECTED, State.ACCEPTED)  # fmt: skip


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#2b2b2b"),
        (QPalette.ColorRole.WindowText, "#e8e8e8"),
        (QPalette.ColorRole.Base, "#1e1e1e"),
        (QPalette.ColorRole.AlternateBase, "#262626"),
        (QPalette.ColorRole.Text, "#e8e8e8"),
        (QPalette.ColorRole.Button, "#353535"),
        (QPalette.ColorRole.ButtonText, "#e8e8e8"),
        (QPalette.ColorRole.Highlight, "#3d6fb4"),
        (QPalette.ColorRole.HighlightedText, "#ffffff"),
        (QPalette.ColorRole.PlaceholderText, "#8a8a8a"),
        (QPalette.ColorRole.ToolTipBase, "#353535"),
        (QPalette.ColorRole.ToolTipText, "#e8e8e8"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def run() -> int:
    with Store(Paths.from_environment().database(demo=True)) as store:
        if not store.history():
            populate(store, SEEN)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if "--dark" in sys.argv:
        app.setPalette(dark_palette())
    if "--history" in sys.argv:
        QTimer.singleShot(3000, open_history)
    return main(["--demo"])


def open_history() -> None:
    from leaddesk.gui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.attached:
            widget.menus.history_toggle.trigger()
            return
    QTimer.singleShot(200, open_history)


if __name__ == "__main__":
    sys.exit(run())
