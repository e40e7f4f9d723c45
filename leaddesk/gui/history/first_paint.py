"""Work that can wait until the history's first screen of rows is on screen.

The pane's totals are counted on a thread of their own; started while the first screen is
still being laid out and painted, that thread competes with the GUI thread for the CPU and
for Python's lock (each row the table paints asks Python for its cells), and the rows come
later. So the first count starts once the table has painted, or at once when it is not
going to paint soon (the pane made hidden, or never shown).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer, Slot
from PySide6.QtWidgets import QWidget

# A shown widget that no paint reaches for this long (a window that is never exposed) does
# not hold the work back any longer.
LONGEST_WAIT_MS = 1000


class AfterFirstPaint(QObject):
    """Calls `then` once: just after `widget` first paints, or from the event loop if the
    widget is not visible by then (nothing to wait for)."""

    def __init__(self, widget: QWidget, then: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._then: Callable[[], None] | None = then
        widget.installEventFilter(self)
        # From the event loop, not now: the widget's owner may show it right after this.
        QTimer.singleShot(0, self, self._unless_shown)

    @property
    def pending(self) -> bool:
        return self._then is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self._widget and event.type() == QEvent.Type.Paint and self.pending:
            # Once this paint is done and on screen: the next turn of the event loop.
            QTimer.singleShot(0, self, self.run)
        return False

    @Slot()
    def _unless_shown(self) -> None:
        if not self._widget.isVisible():
            self.run()
        elif self.pending:
            # A timer of its own: QTimer.singleShot with a delay and a receiver makes
            # PySide build its QMetaMethod type and enums the first time, just as the
            # first screen is about to paint.
            fallback = QTimer(self)
            fallback.setSingleShot(True)
            fallback.timeout.connect(self.run)
            fallback.start(LONGEST_WAIT_MS)

    @Slot()
    def run(self) -> None:
        """Do the work now, if it has not been done (later calls do nothing)."""
        then, self._then = self._then, None
        if then is None:
            return
        self._widget.removeEventFilter(self)
        then()
