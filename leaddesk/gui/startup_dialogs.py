"""What the window asks before it can work: a config file that cannot be used, and the
first start with no destination."""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QWidget


class BrokenConfig(Enum):
    DEFAULTS = "defaults"  # keep the broken file aside and start with default settings
    RETRY = "retry"  # the agent opened the file to fix it: read it again
    QUIT = "quit"


def ask_about_broken_config(
    message: str, path: Path, parent: QWidget | None = None
) -> BrokenConfig:
    box = QMessageBox(parent)
    box.setObjectName("broken_config")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("LeadDesk settings cannot be read")
    box.setText(message)
    box.setInformativeText(
        "Open the file to fix it, then choose Try again; or start with default settings. "
        f"Nothing is deleted: the file is kept as {path.name}.broken-<date>."
    )
    open_file = box.addButton("&Open the file", QMessageBox.ButtonRole.ActionRole)
    retry = box.addButton("&Try again", QMessageBox.ButtonRole.AcceptRole)
    defaults = box.addButton("Start with &defaults", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    while True:
        box.exec()
        clicked = box.clickedButton()
        if clicked is open_file:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
            continue  # the question stays until the agent has decided
        if clicked is retry:
            return BrokenConfig.RETRY
        if clicked is defaults:
            return BrokenConfig.DEFAULTS
        return BrokenConfig.QUIT


class Welcome(Enum):
    ADD = "add"
    DEMO = "demo"
    LATER = "later"


def welcome(parent: QWidget | None = None) -> Welcome:
    box = QMessageBox(parent)
    box.setObjectName("welcome")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle("Welcome to LeadDesk")
    box.setText("To send leads, LeadDesk needs a destination: your dealer's SecurityTrax address "
                "and the source ID the dealer gave you.")  # fmt: skip
    box.setInformativeText(
        "Add one now, or try LeadDesk in demo mode with a built-in sandbox (no account needed)."
    )
    add = box.addButton("&Add a destination…", QMessageBox.ButtonRole.AcceptRole)
    demo = box.addButton("Try &demo mode", QMessageBox.ButtonRole.ActionRole)
    box.addButton("&Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(add)
    box.exec()
    clicked = box.clickedButton()
    if clicked is add:
        return Welcome.ADD
    return Welcome.DEMO if clicked is demo else Welcome.LATER
