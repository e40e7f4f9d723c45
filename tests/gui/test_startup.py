"""Start-up as `leaddesk` runs it (leaddesk.gui.app.run_gui, in this process): the window is
on screen with the form and the restored draft before the settings, the history and the
worker load; then they load, and a failure among them is told and ends the run.

A Watcher looks at the main window from inside run_gui's event loop, as
bench/gui_startup.py's children do: a 1 ms timer finds the shown window before its first
expose is delivered and watches that expose, and the first sight is taken by an event
posted from it (after its paint); then, once the window is attached.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from leaddesk.config.paths import Paths
from leaddesk.domain.errors import StoreError, UsageError
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui import app
from leaddesk.gui.app import HISTORY_UPDATED, run_gui
from leaddesk.gui.draft_keeper import AUTOSAVE_MS
from leaddesk.gui.edit_session import EDITING_KEY
from leaddesk.gui.history.pane import HistoryPane
from leaddesk.gui.main_window import MainWindow
from leaddesk.history.store import Store
from leaddesk.history.store_file import needs_update
from tests.support.gui_helpers import DialogAnswerer, quit_now
from tests.support.history_data import version_1_database

GIVE_UP_SECONDS = 30.0


@dataclass
class Sight:
    """What the window showed at one moment."""

    attached: bool
    fname: str
    dock_holds_history: bool
    submit_enabled: bool
    source_id: str | None  # None: the destination section is not built yet
    result: str
    queue: str


def look(window: MainWindow) -> Sight:
    source = window.form.inputs.get("source_id")
    return Sight(
        attached=window.attached,
        fname=window.form.inputs["fname"].text(),
        dock_holds_history=isinstance(window.history_dock.widget(), HistoryPane),
        submit_enabled=window.submit_button.isEnabled(),
        source_id=None if source is None else source.text(),
        result=window.result_label.text(),
        queue=window.queue_label.text(),
    )


class ExposeWatch(QObject):
    """Calls `seen` from an event posted when the watched window is first exposed: it runs
    once the expose's paint is done, before anything the window itself posted then."""

    def __init__(self, seen: Callable[[], None]) -> None:
        super().__init__()
        self._seen = seen

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Expose and watched.isExposed():  # type: ignore[attr-defined]
            watched.removeEventFilter(self)
            QTimer.singleShot(0, self._seen)
        return False


@dataclass
class Watcher:
    """Watches run_gui's window: `at_first_sight` runs once it is first visible and
    exposed, `once_attached` once attach() is done (neither may be given). Closes every
    window after GIVE_UP_SECONDS, so that a start-up that never ends fails the test."""

    at_first_sight: Callable[[MainWindow], None] = lambda window: None
    once_attached: Callable[[MainWindow], None] = quit_now
    first: Sight | None = None
    attached: Sight | None = None
    gave_up: bool = False
    _timer: QTimer = field(default_factory=QTimer)
    # Time, not ticks: a loaded machine runs a 1 ms timer far less often than that.
    _give_up_at: float = field(default_factory=lambda: time.monotonic() + GIVE_UP_SECONDS)

    _windows: list[MainWindow] = field(default_factory=list)
    _expose: ExposeWatch | None = None

    def __post_init__(self) -> None:
        # The windows run_gui makes, as it makes them: going through every top-level widget
        # (dialogs of earlier tests included) to find one crashed PySide now and then.
        def recording(*args: Any, **kwargs: Any) -> MainWindow:
            window = MainWindow(*args, **kwargs)
            self._windows.append(window)
            return window

        app.MainWindow = recording  # type: ignore[attr-defined,assignment]
        self._timer.setTimerType(Qt.TimerType.PreciseTimer)
        self._timer.setInterval(1)
        self._timer.timeout.connect(self._tick)
        self._timer.start()

    def _tick(self) -> None:
        if time.monotonic() > self._give_up_at:
            self.gave_up = True
            self._timer.stop()
            for widget in QApplication.topLevelWidgets():
                widget.close()
            return
        window = self._windows[-1] if self._windows else None
        if window is None or not window.isVisible():
            return
        handle = window.windowHandle()
        if handle is None:
            return
        if self._expose is None:
            # The watch holds no window: one kept alive past its test crashes a later one.
            self._expose = ExposeWatch(self._first_sight)
            if handle.isExposed():  # too late to watch: a sight after the first frame
                self._first_sight()
            else:
                handle.installEventFilter(self._expose)
            return
        if self.first is not None and window.attached and self.attached is None:
            self.attached = look(window)
            self._timer.stop()
            self.once_attached(window)

    def _first_sight(self) -> None:
        window = self._windows[-1] if self._windows else None
        if self.first is None and window is not None:
            self.first = look(window)
            self.at_first_sight(window)

    def stop(self) -> None:
        self._timer.stop()
        self._expose = None
        app.MainWindow = MainWindow  # type: ignore[attr-defined]
        self._windows.clear()


BROKEN_CONFIG = 'agent_name = "Pat\n'


def write_broken_config(home: Path) -> Path:
    """A user config file that is not valid TOML."""
    config = home / "config" / "leaddesk.toml"
    config.parent.mkdir(parents=True)
    config.write_text(BROKEN_CONFIG, encoding="utf-8")
    return config


@pytest.fixture
def demo_draft(leaddesk_home: Path) -> Path:
    draft = leaddesk_home / "data" / "demo-draft.json"
    draft.parent.mkdir(parents=True)
    draft.write_text(json.dumps({"fname": "Early", "phone1": "(801) 312-7735"}), encoding="utf-8")
    return draft


def test_the_form_is_on_screen_before_the_settings_and_history_load(
    qapp: QApplication, demo_draft: Path
) -> None:
    watcher = Watcher()
    status = run_gui(demo=True)
    watcher.stop()
    assert status == 0 and not watcher.gave_up
    first, attached = watcher.first, watcher.attached
    assert first is not None and attached is not None
    # The first frame: the form with the restored lead in it; nothing loaded behind it yet,
    # so the buttons that need it wait.
    assert first == Sight(
        attached=False,
        fname="Early",
        dock_holds_history=False,
        submit_enabled=False,
        source_id=None,
        result="Restored the lead you were typing before LeadDesk closed.",
        queue="",
    )
    # Then the settings (the demo destination's values), the history and the counts.
    assert attached.fname == "Early"
    assert attached.dock_holds_history and attached.submit_enabled
    assert attached.source_id == "DEMO"
    assert attached.result == "Restored the lead you were typing before LeadDesk closed."
    assert attached.queue == "Queued 0 · Sending 0"


def quit_once_said(window: MainWindow, words: str, told: list[str]) -> None:
    """Close the window once its status line says `words` (or time is up), noting in
    `told` what it said last."""
    poll = QTimer(window)
    give_up_at = time.monotonic() + GIVE_UP_SECONDS

    def said() -> None:
        text = window.result_label.text()
        if words in text or time.monotonic() > give_up_at:
            told.append(text)
            poll.stop()
            quit_now(window)

    poll.timeout.connect(said)
    poll.start(10)


def test_a_lead_submitted_the_moment_the_window_is_ready_reaches_the_demo_dealer(
    qapp: QApplication, demo_draft: Path
) -> None:
    """Ready to submit means it: the demo dealer and the dialer-link server start a moment
    after the window is ready, and a lead sent at once is queued, posted and accepted."""
    told: list[str] = []

    def submit_at_once(window: MainWindow) -> None:
        form = window.form.inputs
        form["lname"].set_text("Ready")
        form["city"].set_text("Notus")
        form["state"].set_text("ID")
        QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        told.append(window.result_label.text())  # what the agent reads at once
        quit_once_said(window, "accepted", told)

    watcher = Watcher(once_attached=submit_at_once)
    status = run_gui(demo=True)
    watcher.stop()
    assert status == 0 and not watcher.gave_up
    assert told[0].startswith("Lead 1 (Early Ready) queued")
    assert told[-1].startswith("Lead 1 (Early Ready) accepted — customer")
    with Store(Paths.from_environment().database(demo=True)) as store:
        (stored,) = store.history()
    assert stored.lead.lname == "Ready" and str(stored.state) == "accepted"


def test_an_older_history_is_updated_and_the_window_says_so(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    database = Paths.from_environment().database(demo=True)
    version_1_database(database, [("accepted", "27.50"), ("rejected", "")])
    assert needs_update(database)
    watcher = Watcher()
    status = run_gui(demo=True)
    watcher.stop()
    assert status == 0 and watcher.attached is not None
    assert watcher.attached.result == HISTORY_UPDATED
    assert not needs_update(database)
    with Store(database) as store:
        assert [lead.lead.lead_purchase_price for lead in store.history()] == ["", "27.50"]


def test_an_update_of_the_history_keeps_what_the_window_said_before(
    qapp: QApplication, demo_draft: Path
) -> None:
    version_1_database(Paths.from_environment().database(demo=True), [("accepted", "")])
    watcher = Watcher()
    run_gui(demo=True)
    watcher.stop()
    assert watcher.attached is not None
    assert watcher.attached.result == "Restored the lead you were typing before LeadDesk closed."


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_quit_request_while_starting_ends_it_before_the_history_opens(
    qapp: QApplication, demo_draft: Path, leaddesk_home: Path
) -> None:
    watcher = Watcher(at_first_sight=lambda window: os.kill(os.getpid(), signal.SIGTERM))
    status = run_gui(demo=True)
    watcher.stop()
    assert status == 0 and not watcher.gave_up
    assert watcher.first is not None and watcher.attached is None
    assert not (leaddesk_home / "data" / "demo.sqlite3").exists()
    # Nothing typed was lost: the draft is as it was.
    assert json.loads(demo_draft.read_text(encoding="utf-8"))["fname"] == "Early"
    window_state = (leaddesk_home / "config" / "window.ini").read_text(encoding="utf-8")
    assert "geometry=" in window_state


def test_keys_and_the_autosave_before_attach_do_nothing_harmful(
    qapp: QApplication, demo_draft: Path, leaddesk_home: Path
) -> None:
    """Esc, Ctrl+Enter and a typed change in the first moments, before the history and
    settings are there: nothing breaks, nothing is lost, nothing is sent."""

    def early(window: MainWindow) -> None:
        QTest.keyClick(window.form.inputs["fname"].widget, Qt.Key.Key_Escape)
        QTest.keyClick(window, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        window.form.inputs["lname"].set_text("Typed")
        window.save_draft()  # what the autosave timer would do

    watcher = Watcher(at_first_sight=early)
    status = run_gui(demo=True)
    watcher.stop()
    assert status == 0 and not watcher.gave_up
    assert watcher.attached is not None and watcher.attached.fname == "Early"
    assert watcher.attached.queue == "Queued 0 · Sending 0"  # the early Ctrl+Enter sent nothing
    with Store(Paths.from_environment().database(demo=True)) as store:
        assert store.history() == []
    draft = json.loads(demo_draft.read_text(encoding="utf-8"))
    assert (draft["fname"], draft["lname"]) == ("Early", "Typed")


def test_a_history_that_cannot_be_opened_is_told_and_ends_the_run(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    blocked = leaddesk_home / "data" / "demo.sqlite3"
    blocked.mkdir(parents=True)  # a folder where the database file should be
    watcher = Watcher()
    with DialogAnswerer("OK") as answerer:
        status = run_gui(demo=True)
    watcher.stop()
    assert status == 2 and not watcher.gave_up
    assert watcher.first is not None and watcher.attached is None
    assert answerer.only.title == "LeadDesk cannot open its history"
    assert str(blocked) in answerer.only.text
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_bad_url_on_the_command_line_ends_the_run_with_its_message(
    qapp: QApplication,
) -> None:
    watcher = Watcher()
    with DialogAnswerer("OK") as answerer, pytest.raises(UsageError, match="http") as raised:
        run_gui(url="ftp://dealer.example/leadpostxml.php", source_id="SRC1")
    watcher.stop()
    assert not watcher.gave_up and watcher.attached is None
    # The same message in the window (a shortcut's user) as on the command line.
    assert answerer.only.title == "LeadDesk cannot start"
    assert answerer.only.text == str(raised.value)
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_broken_config_is_asked_about_over_the_shown_window(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    config = write_broken_config(leaddesk_home)
    watcher = Watcher()
    with DialogAnswerer("Quit") as answerer:
        status = run_gui()
    watcher.stop()
    assert status == 2 and not watcher.gave_up
    assert watcher.first is not None and watcher.attached is None
    assert answerer.only.title == "LeadDesk settings cannot be read"
    assert config.read_text(encoding="utf-8") == BROKEN_CONFIG


# --- found in review: the draft, failures and closing while starting ---------------------


def test_a_restored_draft_keeps_its_lead_source_values(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    """Offering the destinations at attach fills the lead source fields; the values the
    draft restored there win, and blank ones take the destination's."""
    draft = leaddesk_home / "data" / "demo-draft.json"
    draft.parent.mkdir(parents=True)
    restored = {"fname": "Ann", "lead_source_info": "Referral from Bob", "lead_promo_code": "X"}
    draft.write_text(json.dumps(restored), encoding="utf-8")
    values: dict[str, str] = {}

    def read_then_quit(window: MainWindow) -> None:
        values.update(window.form.values())
        quit_now(window)

    watcher = Watcher(once_attached=read_then_quit)
    assert run_gui(demo=True) == 0
    watcher.stop()
    assert (values["lead_source_info"], values["lead_promo_code"]) == ("Referral from Bob", "X")
    assert values["source_id"] == "DEMO"  # blank in the draft: the destination's


def test_an_unexpected_failure_while_starting_is_told_and_ends_the_run(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not a window left half-started that can never submit: the agent is told, the run
    ends with status 2, and a StoreError's message is what the dialog says."""

    def locked(*args: object, **kwargs: object) -> None:
        raise StoreError("The history database is locked by another LeadDesk.")

    # Demo start moves leads an earlier run left queued to this run's sandbox.
    monkeypatch.setattr(Store, "retarget_queued", locked)
    watcher = Watcher()
    with DialogAnswerer("OK") as answerer:
        status = run_gui(demo=True)
    watcher.stop()
    assert status == 2 and not watcher.gave_up and watcher.attached is None
    assert answerer.only.title == "LeadDesk cannot start"
    assert "locked by another LeadDesk" in answerer.only.text
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())


def test_a_bug_while_starting_is_told_and_raised_after_the_window_closes(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    # Late in attach (the status bar's count): the history pane is built by then.
    monkeypatch.setattr(Store, "counts", broken)
    watcher = Watcher()
    with DialogAnswerer("OK") as answerer, pytest.raises(ZeroDivisionError):
        run_gui(demo=True)
    watcher.stop()
    assert "ZeroDivisionError" in answerer.only.text
    assert not any(w.isVisible() for w in QApplication.topLevelWidgets())


def test_typing_then_closing_before_attach_keeps_the_typing(
    qapp: QApplication, demo_draft: Path
) -> None:
    def type_then_close(window: MainWindow) -> None:
        QTest.keyClicks(window.form.inputs["lname"].widget, "Typed")
        window.close()  # the title bar's X, Ctrl+Q or SIGTERM at that moment

    watcher = Watcher(at_first_sight=type_then_close)
    assert run_gui(demo=True) == 0
    watcher.stop()
    assert watcher.attached is None
    draft = json.loads(demo_draft.read_text(encoding="utf-8"))
    assert (draft["fname"], draft["lname"]) == ("Early", "Typed")


def test_a_fix_in_progress_stays_a_fix_while_a_broken_config_is_asked_about(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    """The restored draft starts the autosave (a state or a choice restored emits edited);
    if it fires while the broken-config question is open, the draft it writes still says
    which lead is being fixed."""
    draft = leaddesk_home / "data" / "draft.json"
    draft.parent.mkdir(parents=True)
    draft.write_text(
        json.dumps({"fname": "Ann", "lname": "Smith", "state": "ID", EDITING_KEY: "7"}),
        encoding="utf-8",
    )
    write_broken_config(leaddesk_home)
    seen: list[str] = []
    watcher = Watcher(at_first_sight=lambda window: seen.append(window.edit_banner.text()))
    # The question opens right after the first frame; the agent answers it once the
    # autosave has rewritten the draft (with every field of the form, which the draft
    # written above lacks).
    answerer = DialogAnswerer("Quit")
    give_up = time.monotonic() + GIVE_UP_SECONDS

    def answer_once_saved() -> None:
        if "city" in json.loads(draft.read_text(encoding="utf-8")):
            answerer.__enter__()
        elif time.monotonic() < give_up:
            QTimer.singleShot(10, answer_once_saved)

    QTimer.singleShot(AUTOSAVE_MS, answer_once_saved)
    status = run_gui()
    answerer.__exit__(None, None, None)
    watcher.stop()
    assert status == 2
    assert seen and seen[0].startswith("Editing lead 7.")
    saved = json.loads(draft.read_text(encoding="utf-8"))
    assert "city" in saved  # written by the autosave, not the draft this test wrote
    assert saved[EDITING_KEY] == "7"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_a_quit_request_during_the_broken_config_question_exits_0(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    config = write_broken_config(leaddesk_home)

    give_up = time.monotonic() + GIVE_UP_SECONDS

    def quit_when_asked() -> None:
        if QApplication.activeModalWidget() is None:
            if time.monotonic() < give_up:  # never asked: the watcher fails the test
                QTimer.singleShot(5, quit_when_asked)
            return
        os.kill(os.getpid(), signal.SIGTERM)

    QTimer.singleShot(0, quit_when_asked)
    watcher = Watcher()
    assert run_gui() == 0
    watcher.stop()
    assert config.read_text(encoding="utf-8") == BROKEN_CONFIG


def test_nothing_starts_after_the_window_has_closed(
    qtbot: QtBot, qapp: QApplication, demo_draft: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker, the ZIP index and the phone formatter start a moment after attach; a
    window closed sooner (here at once) starts none of them, even if the event loop runs
    on."""
    kept: list[MainWindow] = []  # as the garbage collector may leave it, for a while
    started: list[str] = []
    monkeypatch.setattr(ZipDirectory, "warm_up_in_background", lambda zips: started.append("zips"))
    monkeypatch.setattr(app, "_import_in_background", lambda: started.append("phones"))

    def keep_and_close(window: MainWindow) -> None:
        kept.append(window)
        quit_now(window)

    watcher = Watcher(once_attached=keep_and_close)
    assert run_gui(demo=True) == 0
    watcher.stop()
    latest = max(app.WORKER_START_MS, app.ZIPS_WARM_UP_MS, app.PHONES_IMPORT_MS)
    qtbot.wait(latest + 200)  # past all three start times, with events processed
    (window,) = kept
    assert not window.worker.isRunning() and not window.worker.isFinished(), (
        "the worker was started after its window had closed"
    )
    assert started == []  # nor the ZIP index's loading, nor the phone formatter's import


def test_a_refused_link_with_no_window_open_starts_one_that_says_why(
    qapp: QApplication, leaddesk_home: Path
) -> None:
    """`leaddesk open` with a link it cannot use and no window running: the window it
    starts says why, as a running one would (a browser runs it, and shows no terminal)."""
    from leaddesk.app.dialer_link import NO_KNOWN_FIELD, refused
    from leaddesk.gui.app import open_link

    told: list[str] = []

    watcher = Watcher(once_attached=lambda window: quit_once_said(window, "no lead field", told))
    status = open_link(refused(NO_KNOWN_FIELD), demo=True)
    watcher.stop()
    assert status == 0 and not watcher.gave_up
    assert told == [NO_KNOWN_FIELD]
