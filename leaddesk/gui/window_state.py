"""What LeadDesk remembers of its window from one run to the next, in window.ini: the
window's size, place and docks, which folded sections of the form are open, and the
destination last chosen. Not settings: nothing here changes what a lead is or where
it goes, so it lives apart from the config files the settings dialog writes.

The window never opens larger than the screen it opens on (its available part, without
the task bar): a size remembered from a larger screen, or the first size on a small or
scaled one, is cut down to it, and the window moved onto it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDockWidget, QMainWindow

if TYPE_CHECKING:
    from leaddesk.gui.collapsible import CollapsibleSection

# A first start: the form and the history side by side, both readable, where the screen
# has the room (window_layout decides the history's place on a narrower one).
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
        """The window's size, place and docks as they were; `dock`'s first width if none;
        the window on the screen whatever it held."""
        geometry = self._ini.value("window/geometry")
        size = self._ini.value("window/size")
        room = available_area(window).size()
        if isinstance(size, QSize) and room.expandedTo(size) != room:
            # From a larger screen: as large as this one allows (Qt's restoreGeometry
            # shrinks such a window to its smallest).
            window.resize(size.boundedTo(room))
        elif isinstance(geometry, QByteArray):
            window.restoreGeometry(geometry)
        else:
            window.resize(*FIRST_SIZE)
        state = self._ini.value("window/state")
        if isinstance(state, QByteArray):
            window.restoreState(state)
        else:
            window.resizeDocks([dock], [FIRST_DOCK_WIDTH], Qt.Orientation.Horizontal)
        fit_on_screen(window)

    def save(self, window: QMainWindow, sections: Iterable[CollapsibleSection]) -> None:
        """Written to disk at once (sync): the process may end as soon as the window closes."""
        self._ini.setValue("window/geometry", window.saveGeometry())
        self._ini.setValue("window/size", window.frameGeometry().size())
        self._ini.setValue("window/state", window.saveState())
        for section in sections:
            self._ini.setValue(f"sections/{section.key}", section.is_expanded())
        self._ini.sync()

    def remembered_destination(self) -> str:
        """The name of the destination last chosen ("" if none was)."""
        return str(self._ini.value("form/destination", "", str))

    def remember_destination(self, name: str) -> None:
        self._ini.setValue("form/destination", name)


def available_area(window: QMainWindow) -> QRect:
    """The part of the window's screen a window may use (the primary screen's before the
    window has one of its own)."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_on_screen(window: QMainWindow) -> None:
    """Cut the window down to its screen's available area and move it onto it. Counts the
    frame the window manager adds (title bar, borders) once the window has one: before
    it is shown, its frame is not known and only the inside is fitted."""
    if window.isMaximized() or window.isFullScreen():
        return
    area = available_area(window)
    frame = window.frameGeometry()
    inside = window.geometry()
    extra_width = max(frame.width() - inside.width(), 0)
    extra_height = max(frame.height() - inside.height(), 0)
    width = min(inside.width(), area.width() - extra_width)
    height = min(inside.height(), area.height() - extra_height)
    if (width, height) != (inside.width(), inside.height()):
        window.resize(width, height)
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.x()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.y()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(x, y)
