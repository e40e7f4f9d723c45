"""Held dialer links on a disk that fails them: each failure is said in the window, not
only in the log, and a held-links file too big to be LeadDesk's is not read at start."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from leaddesk.config.held_links import MAX_FILE_BYTES, HeldLinks, held_links_for
from leaddesk.gui.link_inbox import LinkInbox, serve_links
from leaddesk.gui.single_instance import LinkServer
from tests.support.disk import read_only
from tests.support.gui_helpers import Bench, DialogAnswerer, Rig, type_call

MARY = {"fname": "Mary Ann", "phone1": "8013127735", "zip": "83660"}
BOB = {"fname": "Bob", "phone1": "8013127736"}


def test_a_link_asked_about_that_cannot_be_saved_says_so_while_the_agent_answers(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """The link is saved before the question (a crash while it is open must not lose
    it); that save failing was only logged, and the agent, minutes on the question,
    did not know a crash meanwhile loses the link."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    (leaddesk_home / "data" / "held-links.json").mkdir()  # where the file goes: the save fails
    while_asked: list[str] = []

    def read_then_hold() -> None:
        question = QApplication.activeModalWidget()
        if isinstance(question, QMessageBox):
            while_asked.append(rig.last_result())
            [hold] = [b for b in question.buttons() if b.text() == "&Hold the link"]
            hold.click()

    QTimer.singleShot(0, read_then_hold)
    inbox.receive(dict(MARY))
    [told] = while_asked
    assert "The dialer's link could not be saved to disk" in told
    assert "a crash before you answer loses it" in told
    # Once answered, what became of the link is said, not covered by the earlier words.
    assert "could not be saved to disk" in rig.last_result()
    assert "take it before LeadDesk closes" in rig.last_result()
    assert [values["fname"] for values in inbox.held] == ["Mary Ann"]


def test_a_data_folder_that_cannot_be_written_says_links_are_not_kept(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    """The held links' lock file cannot be made (a read-only data folder): the window
    kept no held link and showed none from before, and said nothing of it."""
    data = tmp_path / "data"
    held_links_for(data, demo=False).save([MARY])
    paths = replace(bench.paths, data_dir=data)
    rig = bench.open()
    with read_only(data):
        inbox, server = serve_links(rig.window, paths, demo=False)
        try:
            assert server.listening
            [told] = [text for text in rig.notices() if "data folder" in text]
            assert "Dialer links held now will not be saved" in told
            assert "Links held before are still in held-links.json" in told
            type_call(qtbot, rig.form)
            with DialogAnswerer("Hold the link"):
                inbox.receive(dict(BOB))
            assert "it is not saved to disk" in rig.last_result()
        finally:
            server.close()
    assert HeldLinks(data / "held-links.json").load() == [MARY]  # untouched


def test_a_held_links_file_too_big_to_be_leaddesks_is_set_aside_unread(
    qtbot: QtBot, bench: Bench, leaddesk_home: Path
) -> None:
    """Read on the window's thread at start-up, whatever its size: a huge (hostile or
    broken) file froze the window, and its links filled the menu."""
    data = leaddesk_home / "data"
    notes = "n" * (MAX_FILE_BYTES // 8)
    held_links_for(data, demo=False).save([{"fname": "Zed", "lead_comments": notes}] * 10)
    written = (data / "held-links.json").read_bytes()
    assert len(written) > MAX_FILE_BYTES
    rig = bench.open()
    inbox, server = serve_links(rig.window, bench.paths, demo=False)
    try:
        assert inbox.held == []
        [aside] = [
            path for path in data.iterdir() if path.name.startswith("held-links.json.unreadable-")
        ]
        assert aside.read_bytes() == written
        assert "could not be read whole" in rig.last_result()
        assert aside.name in rig.last_result()
    finally:
        server.close()
