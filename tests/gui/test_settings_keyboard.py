"""Settings and the first start by keyboard alone: a first destination ready to be typed,
Add leaving its name selected to be typed over, each Alt+letter used once in the dialog
and in each menu, and Settings to look at (not change) in demo mode."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QLabel,
    QMenu,
    QWidget,
)
from pytestqt.qtbot import QtBot

from leaddesk.app.history_access import HistoryAccess
from leaddesk.config import config_files
from leaddesk.gui.settings_dialog import DEMO_NOTE, SettingsDialog
from leaddesk.history.store import Store
from tests.support.gui_helpers import Bench, activate, focused, press, type_text
from tests.support.settings_window import Floor, line, list_texts

MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonics(texts: Iterable[str]) -> list[str]:
    return [found.group(1).casefold() for text in texts for found in MNEMONIC.finditer(text)]


def duplicates(texts: Iterable[str]) -> dict[str, int]:
    return {letter: n for letter, n in Counter(mnemonics(texts)).items() if n > 1}


def dialog_texts(dialog: QWidget) -> list[str]:
    """What an Alt+letter can reach in a dialog: tabs, buttons and labels of inputs."""
    texts = [button.text() for button in dialog.findChildren(QAbstractButton)]
    texts += [label.text() for label in dialog.findChildren(QLabel) if label.buddy()]
    if isinstance(dialog, SettingsDialog):
        texts += [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())]
    return texts


def open_dialog(qtbot: QtBot, floor: Floor, store: Store) -> SettingsDialog:
    dialog = SettingsDialog(floor.paths, config_files.load(floor.paths), HistoryAccess(store))
    qtbot.addWidget(dialog)
    activate(qtbot, dialog)  # Alt+letters work in the active window only
    return dialog


def test_the_first_destination_is_ready_to_be_typed(qtbot: QtBot, floor: Floor) -> None:
    with Store(floor.paths.database()) as store:
        dialog = open_dialog(qtbot, floor, store)  # no config file: no destination yet
        assert dialog.list.count() == 1 and dialog.list.isEnabled()
        assert dialog.editor.isEnabled()
        qtbot.waitUntil(lambda: focused() == "destination_name")
        name = line(dialog, "destination_name")
        assert name.selectedText() == "New destination"
        type_text(qtbot, name, "Acme Alarms")
        assert name.text() == "Acme Alarms"
        assert list_texts(dialog)[0].startswith("Acme Alarms")


def test_add_selects_the_new_name_to_be_typed_over(qtbot: QtBot, floor: Floor) -> None:
    floor.write_user('[[destinations]]\nname = "North"\nurl = "https://north.example/x"\n')
    with Store(floor.paths.database()) as store:
        dialog = open_dialog(qtbot, floor, store)
        assert list_texts(dialog)[0].startswith("North")
        press(qtbot, dialog.list, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: dialog.list.count() == 2)
        assert focused() == "destination_name"
        name = line(dialog, "destination_name")
        type_text(qtbot, name, "South")
        assert name.text() == "South"


def test_each_alt_letter_once_in_the_settings_dialog(qtbot: QtBot, floor: Floor) -> None:
    with Store(floor.paths.database()) as store:
        dialog = open_dialog(qtbot, floor, store)
        texts = dialog_texts(dialog)
        assert len(mnemonics(texts)) >= 8, texts
        assert not duplicates(texts), texts


def test_each_alt_letter_once_in_the_window_and_each_menu(qtbot: QtBot, bench: Bench) -> None:
    window = bench.open().window
    bar = window.menuBar()
    menus = [action.menu() for action in bar.actions()]
    titles = [action.text() for action in bar.actions()]
    outside_history = [
        widget
        for widget in window.findChildren(QWidget)
        if widget.isVisible() and not window.history.isAncestorOf(widget)
    ]
    in_window = [w.text() for w in outside_history if isinstance(w, QAbstractButton)]
    in_window += [
        w.text() for w in outside_history if isinstance(w, QLabel) and w.buddy() is not None
    ]
    assert not duplicates(titles + in_window), titles + in_window
    for menu in menus:
        assert isinstance(menu, QMenu)
        entries = [action.text() for action in menu.actions() if not action.isSeparator()]
        assert not duplicates(entries), (menu.title(), entries)


def test_settings_in_demo_mode_show_the_sandbox_read_only(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open(demo=True)  # a desk with no config file behind it
    seen: dict[str, object] = {}

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, SettingsDialog):
            QTimer.singleShot(10, look)
            return
        name = line(dialog, "destination_name")
        url = line(dialog, "destination_url")
        boxes = dialog.findChildren(QDialogButtonBox)
        seen.update(
            items=list_texts(dialog),
            url=url.text(),
            read_only=name.isReadOnly() and url.isReadOnly(),
            note=dialog.lock_note.text() if dialog.lock_note.isVisible() else "",
            buttons=[b.text().replace("&", "") for box in boxes for b in box.buttons()],
            add=dialog.findChild(QAbstractButton, "add_destination").isEnabled(),  # type: ignore[union-attr]
        )
        dialog.reject()

    QTimer.singleShot(0, look)
    rig.window.menus.settings_action.trigger()
    assert seen["url"] == rig.desk.destination.url
    assert seen["read_only"] is True
    assert seen["note"] == DEMO_NOTE
    assert seen["buttons"] == ["Close"]
    assert seen["add"] is False
    assert isinstance(seen["items"], list) and len(seen["items"]) == 1
