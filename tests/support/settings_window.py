"""Windows built from real config files, and the settings dialog driven as an agent drives it."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLineEdit,
)
from pytestqt.qtbot import QtBot

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk
from leaddesk.config import config_files
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination
from leaddesk.gui.main_window import open_window
from leaddesk.gui.settings_dialog import SettingsDialog
from leaddesk.gui.worker import SendWorker
from leaddesk.history.store import Store
from tests.support.gui_helpers import (
    Bench,
    Rig,
    quit_now,
    type_text,
)
from tests.support.settings_files import write

OTHER_CALL = {"fname": "Bob", "lname": "Jones", "phone1": "2083453210", "zip": "83660"}


class Floor:
    """Windows built from the config files, as the app builds them."""

    def __init__(self, bench: Bench) -> None:
        self.bench = bench
        self.paths = bench.paths
        self.rigs: list[Rig] = []

    @property
    def site_file(self) -> Path:
        assert self.paths.site_config_file is not None
        return self.paths.site_config_file

    def write_user(self, text: str) -> None:
        write(self.paths.config_file, text)

    def write_site(self, text: str) -> None:
        write(self.site_file, text)

    def open(self) -> Rig:
        loaded = config_files.load(self.paths)
        settings = loaded.settings
        store = Store(self.paths.database())
        desk = Desk(
            context=Context(self.paths, loaded),
            destination=settings.starting_destination() or Destination(),
            store=store,
            draft=Draft(self.paths.data_dir / "draft.json"),
            zips=self.bench.zips,
        )
        worker = SendWorker(desk.outboxes(), settings.sending)
        window = open_window(desk, worker)
        self.bench.qtbot.addWidget(window, before_close_func=quit_now)
        rig = Rig(window, desk, worker, store, None)
        self.rigs.append(rig)
        worker.start()
        window.show()
        self.bench.qtbot.waitExposed(window)
        return rig

    def close(self, rig: Rig) -> None:
        """Close a window as the agent does; its store stays open until the test ends, as
        the app's does until it quits (the history pane's timers still read it)."""
        quit_now(rig.window)
        rig.worker.stop()
        rig.worker.wait()

    def close_all(self) -> None:
        """Close and delete every window before its store closes: a closed window's
        history pane may still have a totals timer running, which reads the store."""
        for rig in reversed(self.rigs):
            self.close(rig)
            rig.window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        for rig in self.rigs:
            rig.store.close()


def choose(rig: Rig, name: str) -> None:
    """Pick a destination in the window's `destination` combo by its name."""
    combo = rig.window.findChild(QComboBox, "destination")
    assert isinstance(combo, QComboBox)
    texts = [combo.itemText(i) for i in range(combo.count())]
    matches = [i for i, text in enumerate(texts) if text == name or text.startswith(name + " ")]
    assert matches, f"{name} is not offered: {texts}"
    combo.setCurrentIndex(matches[0])


def line(dialog: SettingsDialog, name: str) -> QLineEdit:
    found = dialog.findChild(QLineEdit, name)
    assert isinstance(found, QLineEdit), name
    return found


def retype(qtbot: QtBot, edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    edit.clear()
    type_text(qtbot, edit, text)


def list_texts(dialog: SettingsDialog) -> list[str]:
    return [dialog.list.item(i).text() for i in range(dialog.list.count())]


def select(dialog: SettingsDialog, name: str) -> None:
    rows = [i for i, text in enumerate(list_texts(dialog)) if text.split(" (")[0] == name]
    assert rows, f"{name} not in {list_texts(dialog)}"
    dialog.list.setCurrentRow(rows[0])


@dataclass
class SettingsDriver:
    """Acts on the modal SettingsDialog that the code under test opens with exec().

    Polls for the dialog while its event loop runs and calls `action` on it once; the
    action ends by saving or cancelling. If the action fails, the dialog is cancelled so
    that the test fails instead of hanging, and the failure is raised on leaving `with`.
    """

    action: Callable[[SettingsDialog], None]
    timeout: float = 10.0
    seen: list[SettingsDialog] = field(default_factory=list)
    _failure: BaseException | None = None
    _deadline: float = 0.0

    def __enter__(self) -> SettingsDriver:
        self._deadline = time.monotonic() + self.timeout
        QTimer.singleShot(0, self._look)
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._deadline = 0.0
        if self._failure is not None and error is None:
            raise self._failure

    def _look(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, SettingsDialog) and modal.isVisible() and not self.seen:
            self.seen.append(modal)
            try:
                self.action(modal)
            except BaseException as failure:
                self._failure = failure
                modal.reject()
            if modal.isVisible():
                modal.reject()
            return
        if time.monotonic() < self._deadline:
            QTimer.singleShot(10, self._look)
