"""The window's Settings: the dialog opened (to look at only, in demo mode), and new
settings applied to the desk, the sender and whatever waited for a destination's fix."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaddesk.config.config_files import Loaded
    from leaddesk.gui.main_window import MainWindow


def open_settings(window: MainWindow) -> None:
    # The dialog is built only when opened: it is not part of the first frame.
    from leaddesk.gui.settings_dialog import SettingsDialog

    desk = window.desk
    if desk.loaded is None:  # demo mode: to look at, not to change
        show_read_only(window)
        return
    dialog = SettingsDialog(desk.paths, desk.loaded, desk.history, window)
    if dialog.exec() and dialog.saved is not None:
        apply_settings(window, dialog.saved)


def apply_settings(window: MainWindow, loaded: Loaded) -> None:
    old = window.desk.settings
    window.desk.apply(loaded)
    window.worker.use_sending(loaded.settings.sending)
    window.destinations.offer()
    sent = window.queue_watch.settings_changed(old, loaded.settings)  # a fixed destination
    window.show_result(f"Settings saved. {sent}".strip())


def show_read_only(window: MainWindow) -> None:
    """The settings of a desk that has no config file to save to (demo mode): its
    destination (the sandbox) and the rest, to look at."""
    from leaddesk.config.config_files import Loaded
    from leaddesk.config.settings import Settings
    from leaddesk.gui.settings_dialog import DEMO_NOTE, SettingsDialog

    desk = window.desk
    shown = desk.destination.model_copy(update={"locked": True})
    settings = Settings.model_construct(
        **{**dict(desk.settings), "destinations": [shown], "default_destination": shown.name}
    )
    dialog = SettingsDialog(desk.paths, Loaded(settings), desk.history, window, DEMO_NOTE)
    dialog.setObjectName("settings_dialog_read_only")
    dialog.exec()
