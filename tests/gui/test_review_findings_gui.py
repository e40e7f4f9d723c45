"""Window findings of a second engineer's review, kept as tests."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from leaddesk.desk import Desk
from leaddesk.draft import Draft
from leaddesk.gui.main_window import open_window
from leaddesk.gui.worker import SendWorker
from leaddesk.sandbox import Faults
from leaddesk.settings import Destination, Settings
from leaddesk.states import State
from leaddesk.store import Store
from tests.support.gui_helpers import (
    QUICK,
    Bench,
    Rig,
    quit_now,
    type_call,
)


def two_dealer_window(qtbot: QtBot, bench: Bench, a_faults: Faults) -> tuple[Rig, list[str]]:
    a, b = bench.sandbox(a_faults), bench.sandbox()
    first = Destination(name="A", url=a.url(), source_id="SRCA")
    second = Destination(name="B", url=b.url(), source_id="SRCB")
    settings = Settings(sending=QUICK, destinations=(first, second), default_destination="A")
    store = Store(bench.paths.database())
    desk = Desk(bench.paths, settings, first, store, Draft(bench.paths.data_dir / "d.json"),
                bench.zips)  # fmt: skip
    worker = SendWorker(store.path, settings.sending, bench.paths.data_dir / "senders")
    window = open_window(desk, worker)
    qtbot.addWidget(window, before_close_func=quit_now)
    rig = Rig(window, desk, worker, store, a)
    bench._rigs.append(rig)
    worker.start()
    window.show()
    return rig, [a.url(), b.url()]


def test_a_fix_goes_back_to_the_dealer_that_refused_it(qtbot: QtBot, bench: Bench) -> None:
    rig, _ = two_dealer_window(qtbot, bench, Faults(reject_rate=1.0))
    type_call(qtbot, rig.window.form)
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.REJECTED)
    rig.window.picker.combo.setCurrentIndex(1)  # the agent had moved on to dealer B
    rig.window.edit_lead(1)
    assert rig.window.picker.current() is not None
    assert rig.window.picker.current().name == "A"  # type: ignore[union-attr]
    assert not rig.window.picker.combo.isEnabled(), "no switching dealers mid-fix"
    assert rig.window.form.values()["source_id"] == "SRCA"
    assert rig.sandbox is not None
    rig.sandbox.faults = Faults()
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.ACCEPTED)
    assert [lead["source_id"] for lead in rig.sandbox.accepted] == ["SRCA"]
    assert rig.window.picker.combo.isEnabled(), "the picker is free again after the fix"


def test_return_on_the_duplicate_question_does_not_send(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    type_call(qtbot, rig.window.form)
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.ACCEPTED)
    type_call(qtbot, rig.window.form)

    asked: list[str] = []
    give_up = time.monotonic() + 10.0

    def press_return() -> None:
        """Return on the question once it is up (its own event loop runs these timers)."""
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            asked.append(box.windowTitle())
            qtbot.keyClick(box, Qt.Key.Key_Return)  # type: ignore[no-untyped-call]
        elif time.monotonic() < give_up:  # not for ever: a later test's dialog is not ours
            QTimer.singleShot(10, press_return)

    QTimer.singleShot(10, press_return)
    rig.window.submit()
    assert len(asked) == 1 and "duplicate" in asked[0].lower(), asked
    assert len(rig.store.history()) == 1, "Return kept the duplicate in the form"
    assert rig.window.form.values()["lname"] == "Smith"
