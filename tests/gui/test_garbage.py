"""Cyclic garbage is collected on the GUI thread, never by whichever thread allocates."""

from __future__ import annotations

import gc
import threading
import weakref

from pytestqt.qtbot import QtBot

from leaddesk.gui.garbage import GuiThreadCollector


class Cycle:
    def __init__(self) -> None:
        self.me = self


def test_garbage_in_a_cycle_is_collected_by_the_gui_threads_timer(qtbot: QtBot) -> None:
    collected_in: list[str] = []

    class Watched(Cycle):
        def __del__(self) -> None:
            collected_in.append(threading.current_thread().name)

    thresholds = gc.get_threshold()
    collector = GuiThreadCollector()
    try:
        assert not gc.isenabled(), "no thread may start a collection by allocating"
        gone = weakref.ref(Watched())
        gc.set_threshold(1, 1, 1)  # due at the next check
        other = threading.Thread(target=lambda: [Cycle() for _ in range(10_000)], name="worker")
        other.start()
        other.join()
        assert gone() is not None, "the worker's allocations collected nothing"
        qtbot.waitUntil(lambda: gone() is None, timeout=5000)
        assert collected_in == [threading.main_thread().name]
    finally:
        gc.set_threshold(*thresholds)
        collector.stop()
        collector.deleteLater()
    assert gc.isenabled()
