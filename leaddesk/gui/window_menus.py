"""The main window's menu bar and keyboard shortcuts: File, View, Leads and Help, and Esc
for a new lead. What they do is the window's, handed in as MenuCommands; this module
only lays them out, and does not know the window's class.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow

from leaddesk.gui.actions import make_action

Command = Callable[[], object]


@dataclass(frozen=True)
class MenuCommands:
    """What the menus' entries do: the window's slots."""

    submit: Command
    new_lead: Command
    open_settings: Command
    quit: Command
    find_in_history: Command
    show_about: Command


class WindowMenus:
    """One window's menus. Keeps the actions it enables and disables, and the Leads menu
    that the history fills; not the window (it would hold the window in a cycle)."""

    def __init__(self, window: QMainWindow, history_dock: QDockWidget, does: MenuCommands) -> None:
        menu_bar = window.menuBar()
        menu = menu_bar.addMenu("&File")
        self.submit_action = make_action(
            window, "&Submit lead", "submit_action", does.submit, "Ctrl+Return", "Ctrl+Enter"
        )
        self.new_action = make_action(
            window, "&New lead", "new_action", does.new_lead, QKeySequence.StandardKey.New
        )
        self.settings_action = make_action(
            window, "S&ettings…", "settings_action", does.open_settings,
            "Ctrl+,", QKeySequence.StandardKey.Preferences,
        )  # fmt: skip
        quit_action = make_action(
            window, "&Quit", "quit_action", does.quit, QKeySequence.StandardKey.Quit
        )
        for action in (self.new_action, self.submit_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        escape.activated.connect(does.new_lead)
        view = menu_bar.addMenu("&View")
        toggle = history_dock.toggleViewAction()
        toggle.setObjectName("toggle_history")
        toggle.setShortcut(QKeySequence("F9"))
        view.addAction(toggle)
        self.find_action = make_action(
            window, "&Find in history", "find_action", does.find_in_history,
            QKeySequence.StandardKey.Find,
        )  # fmt: skip
        view.addAction(self.find_action)
        self._leads_menu = menu_bar.addMenu("Lea&ds")  # filled by fill_leads_menu
        help_menu = menu_bar.addMenu("&Help")
        about = make_action(window, "&About LeadDesk", "about_action", does.show_about)
        help_menu.addAction(about)

    def fill_leads_menu(self, actions: Iterable[QAction]) -> None:
        """The history's actions on selected leads, once the history exists (attach)."""
        for action in actions:
            self._leads_menu.addAction(action)

    def add_import(self, action: QAction) -> None:
        """Leads > Import… (gui/import_dialog.py), below the history's actions."""
        self._leads_menu.addSeparator()
        self._leads_menu.addAction(action)

    def set_ready(self, ready: bool) -> None:
        """The actions that need the settings or the history: enabled once attached."""
        for action in (self.submit_action, self.new_action, self.settings_action):
            action.setEnabled(ready)
        self.find_action.setEnabled(ready)
