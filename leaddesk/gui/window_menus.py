"""The main window's menu bar and keyboard shortcuts: File, View, Leads and Help, and Esc
for a new lead. What they do is the window's, handed in as MenuCommands; this module
only lays them out, and does not know the window's class.

The history's keys (Resend, Edit and resend) work from anywhere in the window on the
leads selected in the history; where they can do nothing, the status line says why
(KeyWithReason), rather than a key that silently does nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from PySide6.QtCore import QObject, Qt, Slot
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QDockWidget, QMainWindow

from leaddesk.gui.actions import make_action

Command = Callable[[], object]
Selected = Callable[[], list[int]]  # the ids of the leads selected in the history
Tell = Callable[[str], None]  # a line in the status bar

NOTHING_SELECTED = "Select a failed lead in the history first (F9 shows the history)."


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
        self.history_toggle = toggle = history_dock.toggleViewAction()
        toggle.setObjectName("toggle_history")
        toggle.setText("&History")
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

    def reach_from_anywhere(
        self, window: QMainWindow, resend: QAction, edit: QAction, selected: Selected, tell: Tell
    ) -> None:
        """Resend (Ctrl+R) and Edit and resend (Ctrl+E) from anywhere in the window; when
        the selection gives them nothing to do, their keys say why in the status line."""
        self._why_not = [
            KeyWithReason(window, resend, lambda: _why_not_resend(selected()), tell),
            KeyWithReason(window, edit, lambda: _why_not_edit(selected()), tell),
        ]


class KeyWithReason(QObject):
    """An action's keys, made window-wide; while the action is disabled, the same keys
    tell `reason()` instead (Qt gives a key to the one enabled shortcut that holds it)."""

    def __init__(
        self, window: QMainWindow, action: QAction, reason: Callable[[], str], tell: Tell
    ) -> None:
        super().__init__(window)
        self._reason = reason
        self._tell = tell
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        window.addAction(action)  # its keys work in the window, not only in the history
        self._action = action
        self._explainers: list[QShortcut] = []
        for keys in action.shortcuts():
            explainer = QShortcut(keys, window)
            explainer.setObjectName(f"why_not_{action.objectName()}")
            explainer.activated.connect(self._explain)
            self._explainers.append(explainer)
        self._follow()
        action.changed.connect(self._follow)  # enabled, or its keys given up (Whole floor)

    @Slot()
    def _follow(self) -> None:
        """Explain while the action is disabled and still holds its keys: once it gives
        them up (the Whole floor view takes Ctrl+R), a second holder would make Qt give the
        keys to neither."""
        holds_keys = bool(self._action.shortcuts())
        for explainer in self._explainers:
            explainer.setEnabled(holds_keys and not self._action.isEnabled())

    @Slot()
    def _explain(self) -> None:
        self._tell(self._reason())


def _why_not_resend(selected: list[int]) -> str:
    if not selected:
        return NOTHING_SELECTED
    return "None of the selected leads needs resending: only failed or unconfirmed ones do."


def _why_not_edit(selected: list[int]) -> str:
    if not selected:
        return NOTHING_SELECTED
    if len(selected) > 1:
        return "Select one lead to edit and resend (several are selected)."
    return "Only a rejected or failed lead can be edited and resent."
