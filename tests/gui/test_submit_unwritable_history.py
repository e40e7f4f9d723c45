"""Submit when the history cannot take the lead: another process holds its write lock past
SQLite's busy timeout (a stuck `leaddesk send`, a DB browser left in a transaction), or the
disk holding the data folder is full. The lead stays in the form, the failure is told at
once in a dialog, nothing is posted; once the history can be written again, one Submit
queues it once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.config.paths import Paths
from tests.support.disk import fill, tmpfs
from tests.support.gui_helpers import (
    Bench,
    DialogAnswerer,
    Rig,
    activate,
    press,
    type_call,
    wait_for_state,
)
from tests.support.history_lock import write_lock_held

CTRL = Qt.KeyboardModifier.ControlModifier


# How long the window may be held by a history another program has locked: long enough
# to wait out this LeadDesk's own worker and a send's short transactions, far shorter
# than SQLite's busy timeout.
GUI_HELD_AT_MOST_SECONDS = 2.5


def submitted_again_and_sent_once(qtbot: QtBot, rig: Rig) -> None:
    """The history writable again: one more Ctrl+Enter queues the lead, once, and it
    reaches the dealer once."""
    activate(qtbot, rig.window)  # offscreen, a closed dialog does not give it back
    with DialogAnswerer(None) as dialog:
        press(qtbot, rig.form.inputs["zip"].widget, Qt.Key.Key_Return, CTRL)
    assert dialog.seen == []
    (lead,) = rig.store.history()
    wait_for_state(qtbot, rig.store, lead.id, "accepted")
    assert [sent["fname"] for sent in rig.accepted] == ["Ann"]


def test_submit_under_a_held_lock_keeps_the_lead_says_so_then_queues_it_once(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    type_call(qtbot, rig.form)
    zip_field = rig.form.inputs["zip"].widget
    with write_lock_held(rig.store.path):
        with DialogAnswerer("OK") as dialog:
            started = time.monotonic()
            press(qtbot, zip_field, Qt.Key.Key_Return, CTRL)
            held_for = time.monotonic() - started
        assert dialog.only.title == "Lead not saved"
        assert "still in the form" in dialog.only.text
        assert rig.form.values()["fname"] == "Ann"
        assert held_for < GUI_HELD_AT_MOST_SECONDS, f"the window froze {held_for:.1f} s"
    assert rig.stored_count() == 0
    assert rig.accepted == []
    submitted_again_and_sent_once(qtbot, rig)
    assert rig.form.values()["fname"] == ""


@pytest.fixture
def small_data_disk() -> Iterator[Path]:
    """The data folder on a small disk of its own; asked for before `bench`, it is taken
    away after the windows have closed."""
    with tmpfs(Paths.from_environment().data_dir, "2m") as folder:
        yield folder


def test_submit_on_a_full_disk_keeps_the_lead_says_so_then_queues_it_once(
    qtbot: QtBot, small_data_disk: Path, bench: Bench
) -> None:
    rig = bench.open()
    type_call(qtbot, rig.form)
    zip_field = rig.form.inputs["zip"].widget
    filler = fill(small_data_disk)
    with DialogAnswerer("OK") as dialog:
        press(qtbot, zip_field, Qt.Key.Key_Return, CTRL)
    assert dialog.only.title == "Lead not saved"
    assert "the disk is full" in dialog.only.text
    assert rig.form.values()["fname"] == "Ann"
    assert rig.stored_count() == 0
    filler.unlink()
    submitted_again_and_sent_once(qtbot, rig)
