"""The window's Settings dialog opened: to change and save, or only to look at in demo
mode (the sandbox destination read-only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from leaddesk.app.desk import Desk
    from leaddesk.config.config_files import Loaded


def open_settings(desk: Desk, parent: QWidget, apply: Callable[[Loaded], None]) -> None:
    """`apply` is given the settings saved, if the agent saved any."""
    # The dialog is built only when opened: it is not part of the first frame.
    from leaddesk.gui.settings_dialog import SettingsDialog

    if desk.loaded is None:  # demo mode: to look at, not to change
        show_read_only(desk, parent)
        return
    dialog = SettingsDialog(desk.paths, desk.loaded, desk.history, parent)
    if dialog.exec() and dialog.saved is not None:
        apply(dialog.saved)


def show_read_only(desk: Desk, parent: QWidget) -> None:
    """The settings of a desk that has no config file to save to (demo mode): its
    destination (the sandbox) and the rest, to look at."""
    from leaddesk.config.config_files import Loaded
    from leaddesk.gui.settings_dialog import DEMO_NOTE, SettingsDialog

    shown = desk.destination.replace(locked=True)
    settings = desk.settings.replace(destinations=(shown,), default_destination=shown.name)
    dialog = SettingsDialog(desk.paths, Loaded(settings), desk.history, parent, DEMO_NOTE)
    dialog.setObjectName("settings_dialog_read_only")
    dialog.exec()
