"""One way to make a QAction: its text, the objectName tests and the window find it by,
what it does, and its keys."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

Keys = str | QKeySequence.StandardKey


def make_action(
    parent: QObject, text: str, name: str, does: Callable[[], object], *keys: Keys
) -> QAction:
    action = QAction(text, parent)
    action.setObjectName(name)
    action.setShortcuts([QKeySequence(key) for key in keys])
    action.triggered.connect(does)
    return action
