"""The History's scope chooser in team mode: this desk's leads, or the whole floor's."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

MY_DESK, WHOLE_FLOOR = "My desk", "Whole floor"


class ScopeChoice(QComboBox):
    """My desk / Whole floor, above the History's filters (team mode only)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("history_scope")
        self.setAccessibleName("Whose leads the history shows")
        self.addItems([MY_DESK, WHOLE_FLOOR])

    @property
    def whole_floor(self) -> bool:
        return self.currentText() == WHOLE_FLOOR
