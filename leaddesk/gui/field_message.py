"""The message under a field, shown whole: wrapped over as many lines as it needs, never
cut to a tooltip.

Its space is kept when there is no message (RESERVED_LINES lines), so that a message
appearing does not move the fields below it; a message longer than that space at the
form's width takes more lines, and the form then keeps the field with focus where it
was (LeadForm scrolls by what the message added above it).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from leaddesk.gui.style_property import ERROR_ROLE, set_style_property

RESERVED_LINES = 2


class FieldMessage(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        set_style_property(self, "role", ERROR_ROLE)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The input above sets the column's width; a long message wraps instead of widening it.
        policy = QSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Minimum)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * RESERVED_LINES)

    def setText(self, text: str) -> None:
        if text == self.text():
            return
        super().setText(text)
        self.setAccessibleName(text)
