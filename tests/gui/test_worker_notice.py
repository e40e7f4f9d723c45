"""The sender's own trouble with the history (another process holding its write lock past
the busy timeout) is told in a notice at once, and the notice goes once leads go out
again: a warning left up after the trouble has passed says something false. (Before the
history kept its locks when a Store opened, the sender here never sent again at all: the
locker's exit deleted the WAL under the window; tests/history/test_store_locks_kept.py.)"""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.support.gui_helpers import Bench, Rig, press, type_call, wait_for_state
from tests.support.history_lock import write_lock_held

CTRL = Qt.KeyboardModifier.ControlModifier


def history_notices(rig: Rig) -> list[str]:
    return [text for text in rig.notices() if "history database" in text]


def test_the_senders_notice_goes_once_a_lead_goes_out_again(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    with write_lock_held(rig.store.path):
        rig.worker.wake()  # the sender looks for due leads now, and meets the lock
        qtbot.waitUntil(lambda: bool(history_notices(rig)), timeout=15000)
        assert "locked" in history_notices(rig)[0]
    type_call(qtbot, rig.form)
    press(qtbot, rig.form.inputs["zip"].widget, Qt.Key.Key_Return, CTRL)
    (lead,) = rig.store.history()
    wait_for_state(qtbot, rig.store, lead.id, "accepted")
    qtbot.waitUntil(lambda: rig.accepted != [], timeout=5000)
    assert history_notices(rig) == []
