"""The main window's menu bar and keyboard shortcuts: File, View, Leads and Help, and Esc
for a new lead. What they do is the window's; this module only lays them out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut

if TYPE_CHECKING:
    from leaddesk.gui.main_window import MainWindow


class WindowMenus:
    """One window's menus. Keeps the actions it enables and disables, and the Leads menu
    that the history fills; not the window (it would hold the window in a cycle)."""

    def __init__(self, window: MainWindow) -> None:
        menu_bar = window.menuBar()
        menu = menu_bar.addMenu("&File")
        self.submit_action = QAction("&Submit lead", window)
        self.submit_action.setObjectName("submit_action")
        self.submit_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.submit_action.triggered.connect(window.submit)
        self.new_action = QAction("&New lead", window)
        self.new_action.setObjectName("new_action")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(window.new_lead)
        self.settings_action = QAction("S&ettings…", window)
        self.settings_action.setObjectName("settings_action")
        self.settings_action.setShortcuts(
            [QKeySequence("Ctrl+,"), QKeySequence(QKeySequence.StandardKey.Preferences)]
        )
        self.settings_action.triggered.connect(window.open_settings)
        quit_action = QAction("&Quit", window)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(window.close)
        for action in (self.new_action, self.submit_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.settings_action)
        menu.addSeparator()
        menu.addAction(quit_action)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), window)
        escape.activated.connect(window.new_lead)
        view = menu_bar.addMenu("&View")
        toggle = window.history_dock.toggleViewAction()
        toggle.setObjectName("toggle_history")
        toggle.setShortcut(QKeySequence("F9"))
        view.addAction(toggle)
        self.find_action = QAction("&Find in history", window)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(window.find_in_history)
        view.addAction(self.find_action)
        self._leads_menu = menu_bar.addMenu("Lea&ds")  # filled by fill_leads_menu
        help_menu = menu_bar.addMenu("&Help")
        about = QAction("&About LeadDesk", window)
        about.triggered.connect(window.show_about)
        help_menu.addAction(about)

    def fill_leads_menu(self, actions: Iterable[QAction]) -> None:
        """The history's actions on selected leads, once the history exists (attach)."""
        for action in actions:
            self._leads_menu.addAction(action)

    def set_ready(self, ready: bool) -> None:
        """The actions that need the settings or the history: enabled once attached."""
        for action in (self.submit_action, self.new_action, self.settings_action):
            action.setEnabled(ready)
        self.find_action.setEnabled(ready)
