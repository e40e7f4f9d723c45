"""Shared parts for the GUI tests: a window over real parts, typing, and a dialog answerer.

Everything is real: a Store on a temporary file, the sandbox on a loopback port, a started
SendWorker. Tests act through the keyboard and mouse (qtbot) and read what a person sees.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLabel,
    QLineEdit,
    QMessageBox,
    QTableView,
    QWidget,
)
from pytestqt.qtbot import QtBot

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Sending, Settings
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.field_message import FieldMessage
from leaddesk.gui.lead_form import LeadForm
from leaddesk.gui.main_window import MainWindow, open_window
from leaddesk.gui.worker import SendWorker
from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox


def loaded_zips(cache_dir: Path) -> ZipDirectory:
    """A ZIP directory with its index loaded, as the app's warm-up leaves it; building the
    index takes a second or two, so a test run makes one (session fixture) and shares it."""
    zips = ZipDirectory(cache_dir)
    zips.load_now()
    assert zips.is_ready()
    return zips


SOURCE_ID = "SRC1"

# What an agent types for a good lead; the ZIP fills City (Parma) and State (ID).
GOOD_CALL: Mapping[str, str] = {
    "fname": "Ann",
    "lname": "Smith",
    "phone1": "8013127735",
    "zip": "83660",
}

# Fast retries, short timeouts: a test never waits long for an outcome.
QUICK = Sending(
    retry_limit=2,
    backoff_seconds=0.05,
    backoff_max_seconds=0.1,
    connect_timeout=2.0,
    read_timeout=5.0,
    deadline=10.0,
)


# --- typed wrappers: pytest-qt's key and mouse helpers carry no annotations -------------


def type_text(qtbot: QtBot, widget: QWidget, text: str) -> None:
    qtbot.keyClicks(widget, text)  # type: ignore[no-untyped-call]


def press(
    qtbot: QtBot,
    widget: QWidget,
    key: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(widget, key, modifier)  # type: ignore[no-untyped-call]


def click(qtbot: QtBot, widget: QWidget) -> None:
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)  # type: ignore[no-untyped-call]


def headers_read_out(table: QTableView) -> list[str]:
    """A table's column headers in the order a screen reader walks them (Qt's accessible
    table: the corner, then one header cell per column of the model, whatever the order
    the header shows)."""
    spoken = QAccessible.queryAccessibleInterface(table)
    assert spoken is not None
    columns = table.model().columnCount()
    cells = (spoken.child(place) for place in range(1, columns + 1))
    return [cell.text(QAccessible.Text.Name) if cell is not None else "" for cell in cells]


def headers_shown(table: QTableView) -> list[str]:
    """A table's column headers from left to right as the header shows them."""
    header = table.horizontalHeader()
    model = table.model()
    order = (header.logicalIndex(place) for place in range(header.count()))
    return [str(model.headerData(column, Qt.Orientation.Horizontal)) for column in order]


def focused() -> str:
    """The objectName of the widget with keyboard focus ("" when none has it)."""
    widget = QApplication.focusWidget()
    return widget.objectName() if widget is not None else ""


def activate(qtbot: QtBot, window: QWidget) -> None:
    """Show the window and make it the active one, as a person's click would.

    Needed again after a modal dialog: offscreen, activation does not return by itself,
    and window shortcuts (Ctrl+N, Esc, Alt+letter) only work in the active window.
    """
    with qtbot.waitActive(window):
        window.show()
        window.raise_()
        window.activateWindow()


def type_into(qtbot: QtBot, form: LeadForm, name: str, text: str) -> None:
    """Click into a field and type at the end of what it holds."""
    widget = form.inputs[name].widget
    widget.setFocus(Qt.FocusReason.MouseFocusReason)
    if isinstance(widget, QLineEdit):
        press(qtbot, widget, Qt.Key.Key_End)
    type_text(qtbot, widget, text)


def leave(qtbot: QtBot, form: LeadForm, name: str) -> None:
    """Tab out of a field."""
    press(qtbot, form.inputs[name].widget, Qt.Key.Key_Tab)


def type_call(qtbot: QtBot, form: LeadForm, values: Mapping[str, str] = GOOD_CALL) -> None:
    for name, text in values.items():
        type_into(qtbot, form, name, text)


# --- answering modal questions ------------------------------------------------------------


def _plain(text: str) -> str:
    """A button's text without its mnemonic marker: "Send &anyway" -> "Send anyway"."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


@dataclass
class SeenDialog:
    title: str
    text: str
    informative: str
    buttons: list[str]
    clicked: str


ANSWERED = "answeredByTheTest"


@dataclass
class DialogAnswerer:
    """Answers every modal QMessageBox shown inside the `with` block.

    A QTimer.singleShot looks for QApplication.activeModalWidget() while the dialog's own
    event loop runs, records what the dialog says and clicks the button with the given text.
    With no such button (or `button=None`: no dialog expected), it clicks the dialog's
    escape button instead, so that a dialog nobody expected fails the test instead of
    hanging it.
    """

    button: str | None
    timeout: float = 10.0
    seen: list[SeenDialog] = field(default_factory=list)
    _active: bool = False
    _deadline: float = 0.0

    def __enter__(self) -> DialogAnswerer:
        self._active = True
        self._deadline = time.monotonic() + self.timeout
        QTimer.singleShot(0, self._look)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._active = False

    @property
    def only(self) -> SeenDialog:
        assert len(self.seen) == 1, f"expected one dialog, saw {self.seen}"
        return self.seen[0]

    def _look(self) -> None:
        if not self._active:
            return
        modal = QApplication.activeModalWidget()
        # Marked on the dialog itself: an id() of an answered dialog can come back as the
        # next dialog's, which was then never answered and hung the test.
        if isinstance(modal, QMessageBox) and modal.isVisible() and not modal.property(ANSWERED):
            modal.setProperty(ANSWERED, True)
            self._answer(modal)
        if time.monotonic() < self._deadline:
            QTimer.singleShot(10, self._look)

    def _answer(self, box: QMessageBox) -> None:
        buttons = {_plain(button.text()): button for button in box.buttons()}
        chosen: QAbstractButton | None = buttons.get(self.button) if self.button else None
        if chosen is None:
            chosen = box.escapeButton() or box.buttons()[-1]
        self.seen.append(
            SeenDialog(
                title=box.windowTitle(),
                text=box.text(),
                informative=box.informativeText(),
                buttons=sorted(buttons),
                clicked=_plain(chosen.text()),
            )
        )
        chosen.click()


# --- a window over real parts ---------------------------------------------------------------


@dataclass(repr=False)
class Rig:
    """One LeadDesk window with its desk, store, started worker and (maybe) sandbox."""

    window: MainWindow
    desk: Desk
    worker: SendWorker
    store: Store
    sandbox: Sandbox | None

    def __repr__(self) -> str:
        return f"<Rig sending to {self.desk.destination.url or 'nowhere'}>"

    @property
    def form(self) -> LeadForm:
        return self.window.form

    @property
    def accepted(self) -> list[dict[str, str]]:
        assert self.sandbox is not None
        return self.sandbox.accepted

    def label(self, name: str) -> str:
        label = self.window.findChild(QLabel, name)
        assert isinstance(label, QLabel), f"no label named {name}"
        return label.text()

    def last_result(self) -> str:
        return self.label("last_result")

    def queue_status(self) -> str:
        return self.label("queue_status")

    def notices(self) -> list[str]:
        return self.window.notifications.texts()

    def stored_count(self) -> int:
        return len(self.store.history())


class Bench:
    """Builds windows over real parts and takes every one of them down again."""

    def __init__(self, qtbot: QtBot, zips: ZipDirectory) -> None:
        self.qtbot = qtbot
        self.zips = zips
        self.paths = Paths.from_environment()  # the per-test LEADDESK_HOME
        self._rigs: list[Rig] = []
        self._sandboxes: list[Sandbox] = []

    def sandbox(self, faults: Faults | None = None) -> Sandbox:
        sandbox = Sandbox(port=0, faults=faults).start()
        self._sandboxes.append(sandbox)
        return sandbox

    def dead_url(self) -> str:
        """The address of a sandbox that has stopped: nothing listens there."""
        sandbox = Sandbox(port=0).start()
        sandbox.stop()
        return sandbox.url()

    def open(
        self,
        url: str | None = None,
        *,
        faults: Faults | None = None,
        sending: Sending = QUICK,
        source_id: str = SOURCE_ID,
        show: bool = True,
        demo: bool = False,
    ) -> Rig:
        """A window sending to `url`, or to a new sandbox (with these faults) when None;
        `demo`: a desk with no config file of the agent's behind it (`--demo`)."""
        sandbox = None
        if url is None:
            sandbox = self.sandbox(faults)
            url = sandbox.url()
        settings = Settings(sending=sending)
        store = Store(self.paths.database())
        desk = Desk(
            context=Context.of(self.paths, settings, demo=demo),
            destination=Destination(url=url, source_id=source_id),
            store=store,
            draft=Draft(self.paths.data_dir / "draft.json"),
            zips=self.zips,
        )
        worker = SendWorker(desk.outboxes(), settings.sending)
        window = open_window(desk, worker)
        # pytest-qt closes tracked widgets before fixtures are torn down: answer the
        # question about queued leads there, or its modal loop would never end.
        self.qtbot.addWidget(window, before_close_func=quit_now)
        rig = Rig(window, desk, worker, store, sandbox)
        self._rigs.append(rig)
        worker.start()
        if show:
            activate(self.qtbot, window)
        return rig

    def close_all(self) -> None:
        """Close every window (quitting if it asks about queued leads), stop everything."""
        for rig in reversed(self._rigs):
            quit_now(rig.window)
            # Whether or not the window closed: its pane's timers and totals thread must
            # stop before the store closes under them.
            rig.window.history.shutdown()
            rig.worker.stop()
            rig.worker.wait()
            rig.store.close()
        for sandbox in self._sandboxes:
            sandbox.stop()


def quit_now(window: QWidget) -> None:
    """Close a window, answering "Quit now" if it asks about leads.

    Shown or not: pytest-qt closes every tracked window right after this, and a window a
    test never showed (or hid) asks about its queued leads too; unanswered there, the
    question's modal loop never ended and the whole run hung."""
    with DialogAnswerer("Quit now"):
        window.close()


def wait_for_state(qtbot: QtBot, store: Store, lead_id: int, state: str) -> None:
    def reached() -> bool:
        lead = store.get(lead_id)
        return lead is not None and lead.state == state

    qtbot.waitUntil(reached, timeout=8000)


def visible_error(form: LeadForm, name: str) -> str:
    """The message a person sees under a field: the `<field>_error` widget's text."""
    message = form.findChild(QWidget, f"{name}_error")
    assert isinstance(message, QLabel | FieldMessage), f"no message line for {name}"
    return message.text() if message.isVisibleTo(form) else ""


def fresh_form(qtbot: QtBot, zips: ZipDirectory) -> LeadForm:
    """A LeadForm of its own, shown and active, every section built (as once the window
    is attached to its desk)."""
    form = LeadForm(zips)
    form.build_sections()
    qtbot.addWidget(form)
    activate(qtbot, form)
    return form
