"""Python's cyclic garbage collected on the GUI thread only.

Left to itself, the collector runs in whichever thread happens to allocate when a
threshold is crossed: the send worker, the totals' thread, the post deadlines' watcher.
A Qt object in a reference cycle is then destroyed off the GUI thread, which Qt does not
allow and PySide can crash on. So automatic collection is turned off while the window
runs, and a timer on the GUI thread collects each generation as its threshold says.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer, Slot

CHECK_MS = 1000  # often enough that memory stays flat; each check is a few counter reads


class GuiThreadCollector(QObject):
    """Owns the collection for as long as it lives (create it on the GUI thread)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setInterval(CHECK_MS)
        self._timer.timeout.connect(self.collect_due)
        self._was_enabled = gc.isenabled()
        gc.disable()
        self._timer.start()

    @Slot()
    def collect_due(self) -> None:
        """Collect the generations whose thresholds are crossed, as gc itself would."""
        counts = gc.get_count()
        thresholds = gc.get_threshold()
        for generation in (2, 1, 0):
            if thresholds[generation] and counts[generation] > thresholds[generation]:
                gc.collect(generation)  # an older generation's collection takes the younger
                return

    def stop(self) -> None:
        """Hand collection back to Python (at the end of the event loop)."""
        self._timer.stop()
        if self._was_enabled:
            gc.enable()
