"""Held dialer links attacked: what the disk keeps at every moment a crash could come, and
a held-links file LeadDesk did not write as it now would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from leaddesk.gui.link_inbox import LinkInbox, serve_links
from leaddesk.gui.single_instance import LinkServer
from tests.support.gui_helpers import Bench, DialogAnswerer, Rig, type_call

MARY = {"fname": "Mary Ann", "phone1": "8013127735", "zip": "83660"}
BOB = {"fname": "Bob", "phone1": "8013127736"}


def _on_disk(home: Path) -> list[str]:
    """The first names in the held-links file: what a crash at this moment leaves."""
    path = home / "data" / "held-links.json"
    if not path.exists():
        return []
    return [values.get("fname", "") for values in json.loads(path.read_text(encoding="utf-8"))]


@pytest.mark.parametrize("answer", ["&Replace", "&Keep typing", "&Hold the link"])
def test_a_held_link_being_taken_stays_on_disk_while_the_agent_is_asked(
    qtbot: QtBot,
    serving: tuple[Rig, LinkInbox, LinkServer],
    leaddesk_home: Path,
    answer: str,
) -> None:
    """Taken from the menu while typing: the question is open, and a second link comes
    meanwhile. A crash (kill -9, power cut) then must not lose the taken link: it is in
    neither the form nor the draft yet, so the file must still have it."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    with DialogAnswerer("Hold the link"):
        inbox.receive(dict(MARY))
    assert _on_disk(leaddesk_home) == ["Mary Ann"]
    while_asked: list[list[str]] = []

    def crash_now_then_answer() -> None:
        question = QApplication.activeModalWidget()
        assert isinstance(question, QMessageBox)
        inbox.receive(dict(BOB))  # held: a question is open
        while_asked.append(_on_disk(leaddesk_home))
        [button] = [b for b in question.buttons() if b.text() == answer]
        button.click()

    QTimer.singleShot(0, crash_now_then_answer)
    inbox.held_menu.actions()[0].trigger()
    assert while_asked == [["Mary Ann", "Bob"]]  # was ["Bob"]: Mary Ann lost to a crash
    if answer == "&Replace":  # in the form and its draft now; held no more
        assert rig.form.values()["fname"] == "Mary Ann"
        assert _on_disk(leaddesk_home) == ["Bob"]
        draft = leaddesk_home / "data" / "draft.json"
        assert "Mary Ann" in draft.read_text(encoding="utf-8")
    else:  # back in the menu, and on disk
        assert sorted(_on_disk(leaddesk_home)) == ["Bob", "Mary Ann"]
        assert sorted(values["fname"] for values in inbox.held) == ["Bob", "Mary Ann"]


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # A newer LeadDesk's file (an object around the list), or one edited by hand.
        ('{"version": 2, "links": [{"fname": "Zed", "phone1": "8013127799"}]}', []),
        ('[{"fname": "Zed", "phone1": 8013127799}]', ["Zed"]),  # what is text is held
        ('[{"fname": "Zed", "phone1": "8013127799"}, ', []),
    ],
)
def test_a_held_links_file_it_cannot_read_whole_is_set_aside_not_overwritten(
    qtbot: QtBot, bench: Bench, leaddesk_home: Path, written: str, read: list[str]
) -> None:
    """Before, such a file gave no links (said nowhere), and the next link held replaced
    it: the leads it held were gone."""
    data = leaddesk_home / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "held-links.json").write_text(written, encoding="utf-8")
    rig = bench.open()
    inbox, server = serve_links(rig.window, bench.paths, demo=False)
    try:
        told = rig.last_result()
        type_call(qtbot, rig.form)
        with DialogAnswerer("Hold the link"):
            inbox.receive(dict(MARY))
    finally:
        server.close()
    files = [path for path in data.iterdir() if path.is_file()]
    kept = [path for path in files if b"8013127799" in path.read_bytes()]
    assert [path.read_text(encoding="utf-8") for path in kept] == [written]
    assert kept[0].name.startswith("held-links.json.")
    assert kept[0].stat().st_mode & 0o777 == 0o600
    assert "could not be read" in told and kept[0].name in told
    assert _on_disk(leaddesk_home) == [*read, "Mary Ann"]


def test_a_link_held_in_a_window_that_keeps_no_file_says_it_is_not_saved(
    qtbot: QtBot, bench: Bench, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """A second window of the home (its start link not handed over: the first did not
    answer in time) holds a link: only in its memory, which a quit loses. It said the
    link waits, as if it were kept."""
    _first, _inbox, _server = serving
    second = bench.open()
    inbox, server = serve_links(second.window, bench.paths, demo=False)
    try:
        assert not server.listening
        type_call(qtbot, second.form)
        with DialogAnswerer("Hold the link"):
            inbox.receive(dict(MARY))
        assert [values["fname"] for values in inbox.held] == ["Mary Ann"]
        assert _on_disk(leaddesk_home) == []
        assert "not saved to disk" in second.last_result()
        assert "take it before" in second.last_result()
    finally:
        server.close()


@pytest.mark.parametrize(
    ("answer", "after"), [("&Keep typing", []), ("&Replace", []), ("&Hold the link", ["Mary Ann"])]
)
def test_a_link_asked_about_is_on_disk_until_the_agent_answers(
    qtbot: QtBot,
    serving: tuple[Rig, LinkInbox, LinkServer],
    leaddesk_home: Path,
    answer: str,
    after: list[str],
) -> None:
    """`leaddesk open` was told "ok" when the link arrived; the agent may take minutes to
    answer. A crash meanwhile lost the link: it was only in the question's memory."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    while_asked: list[list[str]] = []

    def crash_now_then_answer() -> None:
        question = QApplication.activeModalWidget()
        assert isinstance(question, QMessageBox)
        while_asked.append(_on_disk(leaddesk_home))
        [button] = [b for b in question.buttons() if b.text() == answer]
        button.click()

    QTimer.singleShot(0, crash_now_then_answer)
    inbox.receive(dict(MARY))
    assert while_asked == [["Mary Ann"]]  # was [[]]
    assert _on_disk(leaddesk_home) == after
    assert rig.form.values()["fname"] == ("Mary Ann" if answer == "&Replace" else "Ann")


def test_a_link_filled_when_its_draft_cannot_be_saved_says_so(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """The form's draft is what keeps a filled link's lead through a crash. Its save
    failing was told, then at once covered by "Filled from the dialer's link"."""
    rig, inbox, _server = serving
    (leaddesk_home / "data" / "draft.json").mkdir(parents=True)  # the save fails there
    inbox.receive(dict(MARY))
    assert rig.form.values()["fname"] == "Mary Ann"
    assert "Could not save the form's draft" in rig.last_result()


def test_two_windows_that_both_listen_do_not_both_keep_the_file(
    qtbot: QtBot, bench: Bench, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    """Two windows of the home can both listen: the first's socket file removed under it
    (a cleaned runtime folder), or two starts at once, each asking before the other
    listens. Both then kept the file, each writing its own list over the other's."""
    first, first_inbox, first_server = serving
    Path(first_server.name).unlink()  # the runtime folder cleaned under the first window
    second = bench.open()
    second_inbox, second_server = serve_links(second.window, bench.paths, demo=False)
    try:
        assert second_server.listening
        for rig, inbox, values in ((first, first_inbox, MARY), (second, second_inbox, BOB)):
            type_call(qtbot, rig.form)
            with DialogAnswerer("Hold the link"):
                inbox.receive(dict(values))
        assert _on_disk(leaddesk_home) == ["Mary Ann"]  # was ["Bob"]: Mary Ann's gone
        assert "not saved to disk" in second.last_result()
    finally:
        second_server.close()
    first_server.close()
    third = bench.open()
    _third_inbox, third_server = serve_links(third.window, bench.paths, demo=False)
    try:  # the file is free again once the windows that had it are gone
        assert [values["fname"] for values in _third_inbox.held] == ["Mary Ann"]
    finally:
        third_server.close()


def test_a_held_link_with_a_long_or_odd_name_has_a_short_plain_menu_entry(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """A link (or a held-links file) may carry thousands of characters in a name; a tab
    in a menu entry's text starts its shortcut's column."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    with DialogAnswerer("Hold the link"):
        inbox.receive({"fname": "Tom & Jerry\t" + "x" * 5000, "phone1": "8013127735"})
    [entry] = inbox.held_menu.actions()
    assert len(entry.text()) <= 100
    assert entry.text().startswith("Tom && Jerry xxx")
    assert entry.text().endswith("…, 8013127735")
    assert "\t" not in entry.text()


def test_return_pressed_as_the_question_comes_holds_the_link(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """The question takes the focus while the agent types (Return in the notes): Return
    was Keep typing, which drops the dialer's lead. Hold keeps both leads."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)

    def press_return() -> None:
        question = QApplication.activeModalWidget()
        assert isinstance(question, QMessageBox)
        QTest.keyClick(question, Qt.Key.Key_Return)

    QTimer.singleShot(0, press_return)
    inbox.receive(dict(MARY))
    assert [values["fname"] for values in inbox.held] == ["Mary Ann"]
    assert rig.form.values()["fname"] == "Ann"


def test_a_data_folder_that_cannot_be_made_leaves_links_held_in_memory_and_says_so(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    """The window still takes links; what it holds it says is not saved."""
    from dataclasses import replace

    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    paths = replace(bench.paths, data_dir=blocker / "data")  # under a file: mkdir fails
    rig = bench.open()
    inbox, server = serve_links(rig.window, paths, demo=False)
    try:
        assert server.listening
        type_call(qtbot, rig.form)
        with DialogAnswerer("Hold the link"):
            inbox.receive(dict(MARY))
        assert [values["fname"] for values in inbox.held] == ["Mary Ann"]
        assert "it is not saved to disk" in rig.last_result()
    finally:
        server.close()
