"""A section whose content folds away behind a keyboard-reachable toggle."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QSizePolicy, QToolButton, QVBoxLayout, QWidget


class CollapsibleSection(QWidget):
    toggled = Signal(str, bool)  # section key, expanded
    opened = Signal(QWidget)  # this section, opened by the agent (a click, or Space on it)

    def __init__(self, title: str, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = key
        self.content: QWidget | None = None
        self.toggle = QToolButton(self)
        self.toggle.setObjectName(f"{key}_toggle")
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAutoRaise(True)
        self.toggle.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # Space opens it from the keyboard
        self.toggle.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.toggle.toggled.connect(self._on_toggled)
        self.toggle.clicked.connect(self._on_clicked)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 6, 0, 0)
        self._layout.addWidget(self.toggle)

    def set_content(self, content: QWidget) -> None:
        self.content = content
        self._layout.addWidget(content)
        content.setVisible(self.toggle.isChecked())

    def is_expanded(self) -> bool:
        return self.toggle.isChecked()

    def set_expanded(self, expanded: bool) -> None:
        self.toggle.setChecked(expanded)

    @Slot(bool)
    def _on_clicked(self, checked: bool) -> None:
        if checked:
            self.opened.emit(self)

    @Slot(bool)
    def _on_toggled(self, expanded: bool) -> None:
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        if self.content is not None:
            self.content.setVisible(expanded)
        self.toggled.emit(self.key, expanded)
