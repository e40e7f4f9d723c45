"""Start LeadDesk in demo mode for a screenshot: a history with refused leads in it, and
(--dark) a dark palette. Run by docs/screenshots/take.sh under Xvfb, from the repository
root, with LEADDESK_HOME set to a temporary folder.

    python docs/screenshots/shoot.py [--dark] [--history] [--messages]

--history opens the history once the window is ready, as F9 does (no window manager
under Xvfb gives the window the keyboard for a real F9). --messages shows field messages:
Edit and resend of a lead a dealer refused with long words about two fields, and a bad
email and ZIP typed and left. --typing shows a call being typed: the sample fields
filled, an email left unfinished (its message), the comments being written.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

from leaddesk.cli.main import main
from leaddesk.config.paths import Paths
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from tests.support.history_data import URL, populate
from tests.support.history_states import settle
from tests.support.leads import make_lead

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
            if "--messages" in sys.argv:
                store.add(make_lead(len(SEEN)), URL)
                settle(store, Outcome.REJECTED, *DEALER_SAID)
    app = QApplication(sys.argv[:1])
    app.setStyle("Fusion")
    if "--dark" in sys.argv:
        app.setPalette(dark_palette())
    if "--history" in sys.argv:
        QTimer.singleShot(3000, open_history)
    if "--messages" in sys.argv:
        QTimer.singleShot(3000, show_messages)
    if "--typing" in sys.argv:
        QTimer.singleShot(3000, show_typing)
    return main(["--demo"])


DEALER_SAID = (
    "Last name matches a customer who asked not to be called again; confirm with the "
    "customer that this is a new household, then add a note for the dealer before "
    "resending this lead (reference DNC-2291-77, compliance desk).",
    "phone1 must be 10 digits, numbers only",
)


def show_messages() -> None:
    from leaddesk.gui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.attached:
            widget.edit_lead(len(SEEN) + 1)
            form = widget.form
            for name, typed in (("email", "ann@example"), ("zip", "8366")):
                form.inputs[name].set_text(typed)
                form.inputs[name].left.emit(name)  # as when the agent tabs on
            form.inputs["lname"].widget.setFocus()
            return
    QTimer.singleShot(200, show_messages)


TYPED = (
    ("fname", "Dana"),
    ("lname", "O'Connor"),
    ("address1", "14 Ridge View Dr"),
    ("zip", "83702"),
    ("phone1", "(208) 555-0177"),
    ("email", "dana.oconnor@example"),
    ("lead_home_ownership", "own"),
    ("contact_time", "After 5 pm"),
    ("lead_comments", "Wants a quote for cameras and door sensors."),
)


def show_typing() -> None:
    from leaddesk.gui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.attached:
            form = widget.form
            for name, typed in TYPED:
                form.inputs[name].set_text(typed)
                form.inputs[name].edited.emit(name)  # the ZIP fills City and State
                form.inputs[name].left.emit(name)  # as when the agent tabs on
            form.inputs["lead_comments"].widget.setFocus()
            return
    QTimer.singleShot(200, show_typing)


def open_history() -> None:
    from leaddesk.gui.main_window import MainWindow

    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, MainWindow) and widget.attached:
            widget.menus.history_toggle.trigger()
            return
    QTimer.singleShot(200, open_history)


if __name__ == "__main__":
    sys.exit(run())
