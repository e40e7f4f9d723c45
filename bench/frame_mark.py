"""How both arms of bench/gui_startup.py notice their window's first frame, in one place
so that they notice it exactly alike (each arm imports this, so each pays the same).

A 1 ms timer of the arm's calls `look(window)`: the first time the window is visible it
watches the window's first expose (the timer runs before the window system's events, so it
is there before the expose is delivered), and the "shown" mark is taken by an event posted
from that expose, which runs once the expose's paint is done and before anything the window
itself posted then (this watch is installed last, so it is called first). A window already
exposed when first looked at is marked at once and said to be late ("poll").
"""

import time

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget


class FirstFrame(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.shown: float | None = None
        self.seen = ""  # "expose" (watched) or "poll" (found exposed: marked late)

    def look(self, window: QWidget) -> bool:
        """Watch `window` (from the arm's timer); whether its first frame is marked."""
        if not self.seen:
            handle = window.windowHandle()
            if not window.isVisible() or handle is None:
                return False
            if handle.isExposed():
                self.seen = "poll"
                self._note()
            else:
                self.seen = "expose"
                handle.installEventFilter(self)
        return self.shown is not None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Expose and watched.isExposed():  # type: ignore[attr-defined]
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._note)  # after the expose's paint
        return False

    def _note(self) -> None:
        if self.shown is None:
            self.shown = time.perf_counter()
