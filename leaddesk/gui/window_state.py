"""What LeadDesk remembers of its window from one run to the next, in window.ini: the
window's size, place and docks, which folded sections of the form are open, and the
destination last chosen. Not settings: nothing here changes what a lead is or where
it goes, so it lives apart from the config files the settings dialog writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow

if TYPE_CHECKING:
    from leaddesk.gui.collapsible import CollapsibleSection

# A first start: the form and the history side by side, both readable.
FIRST_SIZE = (1340, 720)
FIRST_DOCK_WIDTH = 600


class WindowState:
    """window.ini, read and written as the window is built, used and closed."""

    def __init__(self, path: Path) -> None:
        self._ini = QSettings(str(path), QSettings.Format.IniFormat)

    def restore_sections(self, sections: Iterable[CollapsibleSection]) -> None:
        for section in sections:
            expanded = self._ini.value(f"sections/{section.key}", False, bool)
            section.set_expanded(bool(expanded))

    def restore_window(self, window: QMainWindow, dock: QDockWidget) -> None:
        """The window's size, place and docks as they were; `dock`'s first width if none."""
        geometry = self._ini.value("window/geometry")
        if isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
        else:
            window.resize(*FIRST_SIZE)
        state = self._ini.value("window/state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        else:
            window.resizeDocks([dock], [FIRST_DOCK_WIDTH], Qt.Orientation.Horizontal)

    def save(self, window: QMainWindow, sections: Iterable[CollapsibleSection]) -> None:
        """Written to disk at once (sync): the process may end as soon as the window closes."""
        self._ini.setValue("window/geometry", window.saveGeometry())
        self._ini.setValue("window/state", window.saveState())
        for section in sections:
            self._ini.setValue(f"sections/{section.key}", section.is_expanded())
        self._ini.sync()

    def remembered_destination(self) -> str:
        """The name of the destination last chosen ("" if none was)."""
        return str(self._ini.value("form/destination", "", str))

    def remember_destination(self, name: str) -> None:
        self._ini.setValue("form/destination", name)
