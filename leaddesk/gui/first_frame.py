"""When a window's first frame is on screen: the moment the rest of start-up (settings,
history, worker) may take the GUI thread without keeping the agent from seeing the form.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal, Slot
from PySide6.QtGui import QWindow

FIRST_FRAME_FALLBACK_MS = 1000  # a window started minimised is never exposed


class FirstFrameWatch(QObject):
    """Emits `painted` once: a moment after the watched window is first exposed, or after
    FIRST_FRAME_FALLBACK_MS if it never is."""

    painted = Signal()

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self._handle: QWindow | None = None
        self._sent = False

    def watch(self, handle: QWindow | None) -> None:
        """Start watching: call once the window is shown (it has its handle then)."""
        self._handle = handle
        if handle is not None:
            handle.installEventFilter(self)
        QTimer.singleShot(FIRST_FRAME_FALLBACK_MS, self._announce)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        handle = self._handle
        if (
            handle is not None
            and watched is handle
            and event.type() == QEvent.Type.Expose
            and handle.isExposed()
        ):
            handle.removeEventFilter(self)
            # The expose is painted, and the frame handed to the window system, as it is
            # delivered after this filter; an event posted now runs once that is done. The
            # window system puts the frame on screen without this thread, so the rest of
            # start-up may take the thread from then on.
            QTimer.singleShot(0, self._announce)
        return super().eventFilter(watched, event)

    @Slot()
    def _announce(self) -> None:
        if not self._sent:
            self._sent = True
            self.painted.emit()
