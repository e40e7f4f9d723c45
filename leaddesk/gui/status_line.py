"""The window's status bar: what was last done, how many leads need attention, and how
many are still queued or being sent; and, while the history is a closed panel (a narrow
window), that F9 opens it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton

from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import PENDING, State
from leaddesk.gui.style_property import apply_look, set_style_property

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess
    from leaddesk.gui.window_layout import HistoryPlace

HISTORY_HINT = "History · F9"
HISTORY_HINT_SPOKEN = "History closed: press F9 to open it"


class StatusLine:
    """The labels of one window's status bar; the window tells it what changed."""

    def __init__(self, window: QMainWindow) -> None:
        self.queue_label = QLabel(window)
        self.queue_label.setObjectName("queue_status")
        self.result_label = QLabel(window)
        self.result_label.setObjectName("last_result")
        self.attention_label = QLabel(window)
        self.attention_label.setObjectName("attention_status")
        # A flat button, so that a click opens the history too; F9 is the way in, and Tab
        # stays in the form.
        self.history_hint = QPushButton(HISTORY_HINT, window)
        self.history_hint.setObjectName("history_hint")
        apply_look(self.history_hint)
        self.history_hint.setFlat(True)
        self.history_hint.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.history_hint.setAccessibleName(HISTORY_HINT_SPOKEN)
        self.history_hint.setToolTip("Open the history (F9)")
        self.history_hint.hide()
        bar = window.statusBar()
        bar.addWidget(self.result_label, 1)
        bar.addPermanentWidget(self.history_hint)
        bar.addPermanentWidget(self.attention_label)
        bar.addPermanentWidget(self.queue_label)

    def offer_history(self, place: HistoryPlace, toggle: QAction) -> None:
        """Say "History · F9" while the history is a closed panel; a click opens it."""
        place.closed_panel.connect(self.history_hint.setVisible)
        self.history_hint.setVisible(place.panel_closed)
        self.history_hint.clicked.connect(toggle.trigger)

    def show_result(self, text: str) -> None:
        self.result_label.setText(text)

    def show_queue(self, history: HistoryAccess) -> None:
        """The leads not answered yet, as the store counts them now."""
        try:
            counts = history.counts(PENDING)
        except StoreError as error:
            self.queue_label.setText("History unavailable")
            self.queue_label.setToolTip(str(error))
            return
        queued, sending = counts.get(State.QUEUED, 0), counts.get(State.SENDING, 0)
        self.queue_label.setText(f"Queued {queued} · Sending {sending}")

    def show_attention(self, count: int) -> None:
        """Stays in the status bar when the history is closed: failures are never out of sight."""
        self.attention_label.setText(f"{count} need attention" if count else "")
        set_style_property(self.attention_label, "role", "field-error" if count else "")
