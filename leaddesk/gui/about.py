"""Help → About: the version, and where LeadDesk keeps its data, settings and logs (what
support asks for first)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from leaddesk import __version__
from leaddesk.config.paths import Paths


def show_about(parent: QWidget, paths: Paths) -> None:
    QMessageBox.about(
        parent,
        "About LeadDesk",
        f"LeadDesk {__version__}\n\nData: {paths.data_dir}\nConfig: {paths.config_dir}\n"
        f"Logs: {paths.log_dir}",
    )
