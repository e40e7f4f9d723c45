"""Non-modal notices below the form: a rejected, failed or unconfirmed lead, a destination
that holds its queue.

They never take focus or block typing, and never move the fields being typed in (they
sit under the form, by the Submit button); each stays until dismissed, so that a problem
seen mid-call can be dealt with after it. A notice may offer what fixes it (buttons).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

MAX_SHOWN = 5

NoticeAction = tuple[str, Callable[[], object]]  # a button's text, and what it does


class Notice(QFrame):
    dismissed = Signal()

    def __init__(
        self,
        key: str,
        text: str,
        severity: str,
        parent: QWidget | None = None,
        actions: Sequence[NoticeAction] = (),
    ) -> None:
        super().__init__(parent)
        self.key = key
        self.is_dismissed = False
        self.setObjectName("notice")
        self.setProperty("severity", severity)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.label, 1)
        buttons = layout
        if actions:  # their buttons in a row under the text: the text keeps the width
            layout.removeWidget(self.label)
            column = QVBoxLayout()
            column.addWidget(self.label)
            buttons = QHBoxLayout()
            column.addLayout(buttons)
            layout.addLayout(column, 1)
        for text_, does in actions:
            button = QPushButton(text_, self)
            button.setObjectName("notice_action")
            button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
            button.clicked.connect(lambda _checked=False, does=does: does())
            buttons.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        if actions:
            buttons.addStretch(1)
        close = QPushButton("Dismiss", self)
        close.setObjectName("dismiss")
        close.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        close.setAccessibleName(f"Dismiss: {text}")
        close.clicked.connect(self.dismiss)
        buttons.addWidget(close, 0, Qt.AlignmentFlag.AlignTop)

    @Slot()
    def dismiss(self) -> None:
        self.is_dismissed = True
        self.hide()
        self.dismissed.emit()
        self.deleteLater()


class NotificationArea(QWidget):
    changed = Signal(int)  # how many notices are shown

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notifications")
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(4)
        self.hide()

    def notify(
        self, key: str, text: str, severity: str = "error", actions: Sequence[NoticeAction] = ()
    ) -> Notice:
        """Show a notice; a newer notice about the same thing replaces the older one."""
        self.dismiss(key)
        notice = Notice(key, text, severity, self, actions)
        notice.dismissed.connect(self._on_removed)
        self._layout.insertWidget(0, notice)
        for old in self.notices()[MAX_SHOWN:]:
            old.dismiss()
        self.show()
        self.changed.emit(len(self.notices()))
        return notice

    def dismiss(self, key: str) -> None:
        """Take away the notice about this thing, if one is shown (it was dealt with)."""
        for notice in self.notices():
            if notice.key == key:
                notice.dismiss()

    def notices(self) -> list[Notice]:
        found = []
        for index in range(self._layout.count()):
            item = self._layout.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, Notice) and not widget.is_dismissed:
                found.append(widget)
        return found

    def texts(self) -> list[str]:
        return [notice.label.text() for notice in self.notices()]

    @Slot()
    def _on_removed(self) -> None:
        shown = len(self.notices())
        self.setVisible(shown > 0)
        self.changed.emit(shown)
