"""Two windows of one LeadDesk home (a second `leaddesk` started beside the first): each
keeps the lead typed in it on disk in a file of its own, so that neither overwrites nor
removes the other's, and a crash of either loses nothing. What a crash leaves is the files
as they are at that moment: these tests read them while both windows are still open."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.config.draft import Draft
from leaddesk.gui.draft_slot import DraftSlot
from tests.support.gui_helpers import Bench, Rig, activate, press, type_call

CTRL = Qt.KeyboardModifier.ControlModifier
BOB = {"fname": "Bob", "lname": "Jones", "phone1": "8013127736", "zip": "83660"}


def autosaved(qtbot: QtBot, rig: Rig) -> None:
    """Wait until the window's autosave after the last edit has run."""
    qtbot.waitUntil(lambda: not rig.window.drafts.timer.isActive(), timeout=3000)


def saved_names(bench: Bench) -> set[str]:
    """The first names of every lead kept in a draft file of the home."""
    drafts = sorted(bench.paths.data_dir.glob("draft*.json"))
    return {Draft(path).load().get("fname", "") for path in drafts} - {""}


def test_a_second_window_neither_shows_nor_overwrites_the_first_windows_lead(
    qtbot: QtBot, bench: Bench
) -> None:
    first = bench.open()
    type_call(qtbot, first.form)
    autosaved(qtbot, first)
    assert first.sandbox is not None
    second = bench.open(first.sandbox.url())
    # The same lead in two windows would be one press away from being sent twice.
    assert second.form.values()["fname"] == ""
    type_call(qtbot, second.form, BOB)
    autosaved(qtbot, second)
    assert saved_names(bench) == {"Ann", "Bob"}  # a crash of either now loses neither


def test_a_lead_queued_in_one_window_leaves_the_other_windows_draft_on_disk(
    qtbot: QtBot, bench: Bench
) -> None:
    first = bench.open()
    assert first.sandbox is not None
    second = bench.open(first.sandbox.url())
    type_call(qtbot, second.form, BOB)
    autosaved(qtbot, second)
    activate(qtbot, first.window)  # Ctrl+Enter goes to the active window
    type_call(qtbot, first.form)
    press(qtbot, first.form.inputs["zip"].widget, Qt.Key.Key_Return, CTRL)
    assert [lead.lead.fname for lead in first.store.history()] == ["Ann"]
    assert saved_names(bench) == {"Bob"}  # the second window's lead, still safe from a crash


def test_after_both_windows_are_gone_each_lead_comes_back_in_a_window(
    qtbot: QtBot, bench: Bench
) -> None:
    first = bench.open()
    assert first.sandbox is not None
    second = bench.open(first.sandbox.url())
    type_call(qtbot, first.form)
    type_call(qtbot, second.form, BOB)
    for rig in (first, second):
        autosaved(qtbot, rig)
        rig.window.close()
    again = [bench.open(first.sandbox.url()) for _ in range(2)]
    assert {rig.form.values()["fname"] for rig in again} == {"Ann", "Bob"}


HOLDER = """
import sys, time
from pathlib import Path
from leaddesk.config.draft import Draft
from leaddesk.gui.draft_slot import DraftSlot
from leaddesk.gui.draft_slot import DraftSlot
slot = DraftSlot(Draft(Path(sys.argv[1])))
print(slot.draft.path.name, flush=True)
time.sleep(60)
"""


def test_the_slot_of_a_window_killed_outright_is_taken_by_the_next_one(tmp_path: Path) -> None:
    """A window process killed with SIGKILL leaves its lock file behind: the next window
    takes that slot (and its lead) back, while a live window's slot stays its own."""
    home_draft = tmp_path / "data" / "draft.json"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(home_draft)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "draft.json"
        Draft(home_draft).save({"fname": "Ann"})  # its autosave, before the crash
        beside = DraftSlot(Draft(home_draft))
        assert beside.draft.path.name == "draft-2.json"  # the live window's file is its own
        beside.release()
    finally:
        holder.kill()
        holder.wait()
    after = DraftSlot(Draft(home_draft))
    try:
        assert after.draft.path == home_draft
        assert after.draft.load() == {"fname": "Ann"}
    finally:
        after.release()
