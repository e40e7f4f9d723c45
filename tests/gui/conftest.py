"""GUI tests: fail any test that leaves a QThread running, as napari does."""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThread


@pytest.fixture(autouse=True)
def no_thread_left_running(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    started: weakref.WeakSet[QThread] = weakref.WeakSet()
    original_start = QThread.start

    def recording_start(self: QThread, *args: Any) -> None:
        started.add(self)
        original_start(self, *args)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = [thread for thread in started if thread.isRunning()]
    assert not running, f"the test left {len(running)} QThread(s) running"
