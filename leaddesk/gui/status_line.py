"""The window's status bar: what was last done, how many leads need attention, and how
many are still queued or being sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QMainWindow

from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import PENDING, State
from leaddesk.gui.style_property import set_style_property

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess


class StatusLine:
    """The labels of one window's status bar; the window tells it what changed."""

    def __init__(self, window: QMainWindow) -> None:
        self.queue_label = QLabel(window)
        self.queue_label.setObjectName("queue_status")
        self.result_label = QLabel(window)
        self.result_label.setObjectName("last_result")
        self.attention_label = QLabel(window)
        self.attention_label.setObjectName("attention_status")
        bar = window.statusBar()
        bar.addWidget(self.result_label, 1)
        bar.addPermanentWidget(self.attention_label)
        bar.addPermanentWidget(self.queue_label)

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
