"""`leaddesk open URL`, run as the dialer runs it: a real process that hands the link to the
window open for this LeadDesk home, which fills its form and sends nothing; and when no
window listens (none started, or one crashed), a window that starts and fills itself."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from leaddesk.config.paths import Paths
from leaddesk.gui.link_inbox import LinkInbox, serve_links
from leaddesk.gui.single_instance import LinkServer, server_name
from tests.support.cli_home import Home
from tests.support.gui_helpers import Bench, DialogAnswerer, Rig, quit_now, type_call

PASSWORD, PHONE_PASSWORD = "s3cretAgentPw", "phoneS3cret"
# VICIdial's default web form: the lead's values, then the agent's user and passwords.
LINK = (
    "leaddesk://new?lead_id=104211&vendor_id=VL-77&phone_number=8013127735"
    "&first_name=Mary+Ann&last_name=&postal_code=83660&comments=call+after+5"
    f"&user=6666&pass={PASSWORD}&phone_login=gs102&phone_pass={PHONE_PASSWORD}"
    "&source_id=VICI-SRC&campaign=SOLAR"
)
FILLED = {
    "fname": "Mary Ann",
    "lname": "",
    "phone1": "(801) 312-7735",
    "zip": "83660",
    "city": "Parma",  # from the ZIP
    "state": "ID",
    "lead_comments": "call after 5",
    "lead_company_unique_id": "VL-77",
    "lead_callcenter_notes": "Dialer lead ID: 104211",
    "source_id": "SRC1",  # the destination's, not VICIdial's
}


def start_open(link: str | None = LINK, home: Path | None = None) -> subprocess.Popen[str]:
    env = dict(os.environ)
    if home is not None:
        env["LEADDESK_HOME"] = str(home)
    return subprocess.Popen(
        [sys.executable, "-m", "leaddesk", "open", *([] if link is None else [link])],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finished(qtbot: QtBot, process: subprocess.Popen[str]) -> str:
    """Wait for `leaddesk open` while the window's event loop runs (it answers the
    socket); its exit status must be 0. Returns what it printed."""
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
    out, err = process.communicate()
    assert process.returncode == 0, err
    return out + err


def assert_no_file_holds_the_passwords(root: Path) -> None:
    files = [path for path in root.rglob("*") if path.is_file()]
    assert files
    for path in files:
        data = path.read_bytes()
        assert PASSWORD.encode() not in data, path
        assert PHONE_PASSWORD.encode() not in data, path


def hold_the_dialers_link(qtbot: QtBot, rig: Rig, inbox: LinkInbox) -> None:
    """A lead typed, the dialer's LINK opened, and the agent answering Hold the link."""
    type_call(qtbot, rig.form)
    with DialogAnswerer("Hold the link"):
        finished(qtbot, start_open())
        qtbot.waitUntil(lambda: len(inbox.held) == 1)


def test_open_fills_the_running_windows_form_and_sends_nothing(
    qtbot: QtBot, bench: Bench, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    rig, _inbox, _server = serving
    printed = finished(qtbot, start_open())
    qtbot.waitUntil(lambda: rig.form.values()["fname"] == "Mary Ann")

    shown = rig.form.values()
    assert {name: shown[name] for name in FILLED} == FILLED
    assert not any(shown[name] for name in shown if name not in FILLED)
    # The focus is on the first required field the link left empty, for the agent to ask.
    assert QApplication.focusWidget() is rig.form.inputs["lname"].widget
    assert "check the lead" in rig.last_result()
    # Nothing sent, nothing stored: the lead waits in the form for the agent's Submit.
    assert rig.stored_count() == 0
    assert rig.sandbox is not None and rig.sandbox.connections == 0
    # The lead is on disk (the draft, as for a typed lead); the passwords nowhere.
    assert "Mary Ann" in (leaddesk_home / "data" / "draft.json").read_text(encoding="utf-8")
    rig.window.close()  # the window's own files too: window.ini, the log
    assert_no_file_holds_the_passwords(leaddesk_home)
    assert PASSWORD not in printed and PHONE_PASSWORD not in printed


@pytest.mark.parametrize(
    ("answer", "fname_after", "held"),
    [("Keep typing", "Ann", 0), ("Replace", "Mary Ann", 0), ("Hold the link", "Ann", 1)],
)
def test_a_link_while_typing_asks_first(
    qtbot: QtBot,
    serving: tuple[Rig, LinkInbox, LinkServer],
    answer: str,
    fname_after: str,
    held: int,
) -> None:
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    with DialogAnswerer(answer) as answered:
        finished(qtbot, start_open())
        qtbot.waitUntil(lambda: len(answered.seen) == 1)
    assert answered.only.buttons == ["Hold the link", "Keep typing", "Replace"]
    assert rig.form.values()["fname"] == fname_after
    assert len(inbox.held) == held
    assert inbox.held_menu.menuAction().isVisible() is bool(held)
    assert rig.stored_count() == 0


def test_open_without_a_link_shows_the_open_window_as_it_is(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """The menu entry runs `leaddesk open` with no link: no second window, no question."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    rig.window.showMinimized()
    assert rig.window.isMinimized()
    with DialogAnswerer(None) as answered:
        finished(qtbot, start_open(None))
        qtbot.waitUntil(lambda: not rig.window.isMinimized())
    assert answered.seen == []
    assert rig.form.values()["fname"] == "Ann" and inbox.held == []


def test_a_held_link_is_taken_from_the_leads_menu(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    rig, inbox, _server = serving
    hold_the_dialers_link(qtbot, rig, inbox)
    assert inbox.held_menu.title().replace("&", "") == "Dialer links waiting (1)"
    [entry] = inbox.held_menu.actions()
    assert entry.text() == "Mary Ann, 8013127735"

    with DialogAnswerer("Replace"):  # the agent still has a lead in the form
        entry.trigger()
    assert rig.form.values()["fname"] == "Mary Ann"
    assert inbox.held == [] and not inbox.held_menu.menuAction().isVisible()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe leaves no file behind")
def test_a_socket_left_by_a_crashed_window_does_not_block_the_next(
    qtbot: QtBot, home: Home
) -> None:
    """A window killed with SIGKILL leaves its socket file; `leaddesk open` then starts a
    window, which takes the name over and fills its form."""
    paths = Paths.from_environment({"LEADDESK_HOME": str(home.root)})
    socket_file = Path(server_name(paths, demo=False))
    crashed = home.start()
    try:
        qtbot.waitUntil(socket_file.exists, timeout=30_000)
    finally:
        crashed.kill()
        crashed.communicate()
    assert socket_file.exists()  # nobody removed it

    opened = start_open(home=home.root)
    try:
        draft = home.root / "data" / "draft.json"
        qtbot.waitUntil(
            lambda: draft.exists() and "Mary Ann" in draft.read_text("utf-8"), timeout=30_000
        )
        assert opened.poll() is None  # this process is now the window
        values = json.loads(draft.read_text("utf-8"))
        assert values["fname"] == "Mary Ann" and values["lead_company_unique_id"] == "VL-77"
    finally:
        opened.send_signal(signal.SIGTERM)
        out, err = opened.communicate(timeout=30)
    assert opened.returncode == 0, err
    assert not socket_file.exists()  # a window that closes takes its socket with it
    assert home.leads() == []
    assert_no_file_holds_the_passwords(home.root)
    assert PASSWORD not in out + err


def test_a_window_started_by_open_beside_a_listening_one_hands_over_and_goes(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """Two `leaddesk open` at once, with no window yet: both start one; the window that
    finds the name taken hands its link to the one that listens, and closes."""
    rig, _inbox, server = serving
    late_start = (
        "from leaddesk.gui.app import run_gui\n"
        "raise SystemExit(run_gui(link={'fname': 'Mary Ann', 'zip': '83660'}))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", late_start],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    finished(qtbot, process)
    qtbot.waitUntil(lambda: rig.form.values()["fname"] == "Mary Ann")
    assert rig.form.values()["city"] == "Parma"
    # The window that went left the listening one's socket in place.
    assert sys.platform == "win32" or Path(server.name).exists()


@pytest.mark.skipif(sys.platform == "win32", reason="a named pipe leaves no file behind")
def test_a_window_listens_despite_a_stale_socket_file(qtbot: QtBot, bench: Bench) -> None:
    import socket

    name = server_name(bench.paths, demo=False)
    with socket.socket(socket.AF_UNIX) as stale:  # bound, then gone: what a crash leaves
        stale.bind(name)
    rig = bench.open()
    _inbox, server = serve_links(rig.window, bench.paths, demo=False)
    try:
        assert server.listening
        finished(qtbot, start_open())
        qtbot.waitUntil(lambda: rig.form.values()["fname"] == "Mary Ann")
    finally:
        server.close()


def test_a_second_window_of_the_home_leaves_the_links_to_the_first(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    rig, _inbox, first = serving
    second = LinkServer(first.name)
    assert not second.listen()
    assert first.listening
    finished(qtbot, start_open())
    qtbot.waitUntil(lambda: rig.form.values()["fname"] == "Mary Ann")


def test_a_link_while_a_question_is_open_is_held(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """A second link while the agent is asked about the first: no second question on top
    of the first; the second link waits in the menu."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    asked: list[str] = []

    def second_link_then_keep_typing() -> None:
        question = QApplication.activeModalWidget()
        assert isinstance(question, QMessageBox)
        asked.append(question.text())

        def close_a_question_on_top() -> None:  # so that a failure fails, not hangs
            on_top = QApplication.activeModalWidget()
            if isinstance(on_top, QMessageBox) and on_top is not question:
                asked.append(on_top.text())
                on_top.reject()

        QTimer.singleShot(0, close_a_question_on_top)
        inbox.receive({"fname": "Bob", "phone1": "8013127736"})
        [keep] = [b for b in question.buttons() if b.text() == "&Keep typing"]
        keep.click()

    QTimer.singleShot(0, second_link_then_keep_typing)
    inbox.receive({"fname": "Carla"})
    assert len(asked) == 1
    assert [held["fname"] for held in inbox.held] == ["Bob"]
    assert rig.form.values()["fname"] == "Ann"


# --- held links outlive the window ----------------------------------------------------------


def test_a_held_link_is_back_after_the_window_closes(
    qtbot: QtBot, bench: Bench, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    rig, inbox, server = serving
    hold_the_dialers_link(qtbot, rig, inbox)
    saved = leaddesk_home / "data" / "held-links.json"
    assert saved.stat().st_mode & 0o777 == 0o600  # names and phones: the owner's only
    quit_now(rig.window)
    server.close()
    assert_no_file_holds_the_passwords(leaddesk_home)

    again = bench.open()
    inbox_again, server_again = serve_links(again.window, bench.paths, demo=False)
    try:
        assert inbox_again.held_menu.title().replace("&", "") == "Dialer links waiting (1)"
        assert [entry.text() for entry in inbox_again.held_menu.actions()] == [
            "Mary Ann, 8013127735"
        ]
        assert again.notices() == ["1 dialer link waits under Leads > Dialer links waiting."]
        with DialogAnswerer("Replace"):  # the first window's lead came back as its draft
            inbox_again.held_menu.actions()[0].trigger()
        assert again.form.values()["lead_callcenter_notes"] == "Dialer lead ID: 104211"
        assert inbox_again.held == [] and not saved.exists()
        assert again.notices() == []  # nothing waits any more
    finally:
        server_again.close()


def test_a_held_link_outlives_a_kill_9(qtbot: QtBot, bench: Bench, leaddesk_home: Path) -> None:
    """A window busy with a lead (its draft restored), a link asked about, a second link
    held while the question is open; the window killed. The next window has both links."""
    data = leaddesk_home / "data"
    data.mkdir(parents=True, exist_ok=True)
    (data / "demo-draft.json").write_text(json.dumps({"fname": "Ann", "lname": "Lee"}))
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    app = subprocess.Popen(
        [sys.executable, "-m", "leaddesk", "--demo"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    name = server_name(bench.paths, demo=True)
    try:
        qtbot.waitUntil(lambda: _listens(name), timeout=30_000)
        for link in (LINK, "leaddesk://new?first_name=Bob&phone_number=8013127736"):
            opened = subprocess.run(
                [sys.executable, "-m", "leaddesk", "open", "--demo", link],
                env=env,
                capture_output=True,
                text=True,
                timeout=60,
                check=False,
            )
            assert opened.returncode == 0, opened.stderr
        held = data / "demo-held-links.json"
        qtbot.waitUntil(lambda: "Bob" in (held.read_text() if held.exists() else ""))
    finally:
        app.send_signal(signal.SIGKILL)
        app.wait(timeout=30)
    assert app.returncode == -signal.SIGKILL

    rig = bench.open(demo=True)
    inbox, server = serve_links(rig.window, bench.paths, demo=True)
    try:
        # Both: the link the question was about when the window was killed, too.
        assert [values["fname"] for values in inbox.held] == ["Mary Ann", "Bob"]
        assert inbox.held_menu.menuAction().isVisible()
    finally:
        server.close()


def test_a_link_held_on_a_full_disk_says_it_is_not_saved(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    saved = leaddesk_home / "data" / "held-links.json"
    saved.mkdir()  # where the file goes, a folder: the save fails as on a broken disk
    with DialogAnswerer("Hold the link"):
        finished(qtbot, start_open())
        qtbot.waitUntil(lambda: len(inbox.held) == 1)
    assert "could not be saved to disk" in rig.last_result()
    assert "take it before LeadDesk closes" in rig.last_result()
    assert inbox.held_menu.menuAction().isVisible()  # held all the same, in the menu


def _listens(name: str) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(name)
    connected = socket.waitForConnected(200)
    socket.abort()
    return connected


# --- a link LeadDesk cannot use is told in the window, not only on a terminal --------------


def test_a_link_that_is_not_leaddesks_is_told_in_the_window(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer], leaddesk_home: Path
) -> None:
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    rig.window.showMinimized()
    process = start_open(f"https://dialer.example/form?first_name=Bob&pass={PASSWORD}")
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
    out, err = process.communicate()
    assert process.returncode == 2
    assert "That is not a LeadDesk link" in err  # the terminal's, for whoever runs it
    qtbot.waitUntil(lambda: "The dialer's link was not used" in rig.last_result())
    assert "That is not a LeadDesk link: it must start with leaddesk://new?" in rig.last_result()
    assert not rig.window.isMinimized()  # brought up: the agent clicked something
    assert rig.form.values()["fname"] == "Ann" and inbox.held == []
    rig.window.close()
    assert_no_file_holds_the_passwords(leaddesk_home)
    assert PASSWORD not in out + err


def test_a_link_with_no_lead_field_is_told_in_the_window(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """The window says so, and the command fails (it exited 0, saying nothing of what the
    link held): on the terminal, the names of the link's parameters and the names LeadDesk
    knows, never a value (the agent's password is one)."""
    rig, _inbox, _server = serving
    before = rig.form.values()
    process = start_open(
        f"leaddesk://new?user=6666&pass={PASSWORD}&Phone_Numbr=8013127735&first_name="
    )
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=30_000)
    _out, err = process.communicate()
    assert process.returncode == 2, err
    qtbot.waitUntil(lambda: "names no lead field LeadDesk knows" in rig.last_result())
    assert "nothing was filled" in rig.last_result()
    assert err.startswith("leaddesk: ") and "names no lead field" in err
    assert "user, pass, Phone_Numbr" in err and "first_name (empty)" in err
    assert "phone_number" in err and "postal_code" in err and "fname" in err
    for value in (PASSWORD, "6666", "8013127735"):
        assert value not in err
    assert rig.form.values() == before


def test_a_held_link_taken_while_typing_goes_back_on_keep_typing(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """Taken from the menu too early: Keep typing puts it back, it is not dropped."""
    rig, inbox, _server = serving
    hold_the_dialers_link(qtbot, rig, inbox)
    with DialogAnswerer("Keep typing") as answered:
        inbox.held_menu.actions()[0].trigger()
    assert "Keep typing: the link goes back under" in answered.only.informative
    assert rig.form.values()["fname"] == "Ann"
    assert [values["fname"] for values in inbox.held] == ["Mary Ann"]
    assert inbox.held_menu.menuAction().isVisible()
    assert "waits under Leads > Dialer links waiting (1)" in rig.last_result()


def test_the_oldest_link_taken_and_kept_waiting_is_still_the_oldest(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    """Take the oldest, then Keep typing: the link goes back where it was, not behind the
    links that came after it (the next Take the oldest took another one)."""
    rig, inbox, _server = serving
    type_call(qtbot, rig.form)
    with DialogAnswerer("Hold the link"):
        finished(qtbot, start_open())
        qtbot.waitUntil(lambda: len(inbox.held) == 1)
    with DialogAnswerer("Hold the link"):
        finished(qtbot, start_open(LINK.replace("Mary+Ann", "Bo")))
        qtbot.waitUntil(lambda: len(inbox.held) == 2)
    rig.window.notifications.open_list()
    [notice] = rig.window.notifications.notices()
    [take] = [b for b in notice.findChildren(QPushButton) if b.text() == "Take the oldest"]
    with DialogAnswerer("Keep typing"):
        take.click()
    assert [values["fname"] for values in inbox.held] == ["Mary Ann", "Bo"]
    assert rig.notices() == ["2 dialer links wait under Leads > Dialer links waiting."]
    assert rig.form.values()["fname"] == "Ann"


def test_a_held_link_is_a_notice_that_takes_it(
    qtbot: QtBot, serving: tuple[Rig, LinkInbox, LinkServer]
) -> None:
    rig, inbox, _server = serving
    hold_the_dialers_link(qtbot, rig, inbox)
    assert rig.notices() == ["1 dialer link waits under Leads > Dialer links waiting."]
    rig.window.notifications.open_list()  # F8, as the agent reads it
    [notice] = rig.window.notifications.notices()
    [take] = [b for b in notice.findChildren(QPushButton) if b.text() == "Take the oldest"]
    assert take.isVisible()
    with DialogAnswerer("Replace"):
        take.click()
    assert rig.form.values()["fname"] == "Mary Ann"
    assert inbox.held == [] and rig.notices() == []
