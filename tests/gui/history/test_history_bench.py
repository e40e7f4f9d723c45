"""bench/history_pane.py's cold children time each arm after LeadDesk's window is shown, as
the app builds its history inside that window. An arm's own window must not make that
window lose its activation inside the arm's timed region, nor leave it repaints still to
do: it would repaint (its inactive colours, what was queued since its first frame) and run
its focus handlers there, in the baseline's and the reference's timed region before their
first screen, in the pane's after it: the reference made slower, the pane's ratio kinder."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QTableView, QWidget
from pytestqt.qtbot import QtBot

BENCH = Path(__file__).resolve().parents[3] / "bench"


class EventLog(QObject):
    def __init__(self, watched: QWidget) -> None:
        super().__init__(watched)
        self.kinds: list[QEvent.Type] = []
        watched.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        self.kinds.append(event.type())
        return False


def history_bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCH))  # it imports benchkit, beside it
    spec = importlib.util.spec_from_file_location("history_pane_bench", BENCH / "history_pane.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_an_arm_shown_after_the_app_window_leaves_that_window_unchanged(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bench = history_bench(monkeypatch)
    window: QWidget = bench.show_app_window(tmp_path)
    qtbot.addWidget(window)
    log = EventLog(window)
    arm = QTableView()  # as the baseline and the reference show theirs, timed
    qtbot.addWidget(arm)
    watch = bench.PaintWatch(arm.viewport())
    arm.show()
    bench.wait_painted(arm, watch, 0)
    touched = {QEvent.Type.WindowDeactivate, QEvent.Type.ActivationChange, QEvent.Type.Paint}
    touched.add(QEvent.Type.UpdateRequest)
    assert not touched & set(log.kinds), [k.name for k in log.kinds]
