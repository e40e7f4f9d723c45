"""Notices about leads and destinations, in one place that never moves the form: a rejected,
failed or unconfirmed lead, a destination that holds its queue, a worker's problem.

The window shows one line of a fixed height under the form, "3 notices · F8 · <the
latest>", whatever arrives: five refusals in a row leave the field being typed where it
was, with focus. F8 (or a click on the line) opens the list, where each notice is read
whole, offers what fixes it (buttons) and is dismissed (its button, or Delete); Esc
closes the list and gives focus back to where it was; Shift+F8 dismisses them all. F8
puts focus on the newest notice's first offer (Edit and resend, for a refused lead), so
that F8 then Enter does what fixes it; Dismiss is the focus only where nothing is offered.
What became of a lead is also said in the status bar, which is announced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from leaddesk.gui.style_property import apply_look, set_style_property

MAX_KEPT = 50  # older notices go: the history keeps every lead's state anyway
OPEN_KEY = "F8"
DISMISS_ALL_KEY = "Shift+F8"

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
        set_style_property(self, "severity", severity)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        column = QVBoxLayout(self)
        column.setContentsMargins(10, 6, 6, 6)
        self.label = QLabel(text, self)
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        column.addWidget(self.label)
        buttons = QHBoxLayout()
        column.addLayout(buttons)
        self.offers: list[QPushButton] = []
        for text_, does in actions:
            button = QPushButton(text_, self)
            button.setObjectName("notice_action")
            button.setAccessibleName(f"{text_}: {text}")  # which notice, as Dismiss says
            button.clicked.connect(lambda _checked=False, does=does: self._take_offer(does))
            buttons.addWidget(button)
            self.offers.append(button)
        buttons.addStretch(1)
        self.dismiss_button = QPushButton("Dismiss", self)
        self.dismiss_button.setObjectName("dismiss")
        self.dismiss_button.setAccessibleName(f"Dismiss: {text}")
        self.dismiss_button.setToolTip("Dismiss this notice (Delete)")
        self.dismiss_button.clicked.connect(self.dismiss)
        buttons.addWidget(self.dismiss_button)

    def first_button(self) -> QPushButton:
        """Where F8 puts focus: what fixes it, if anything is offered."""
        return self.offers[0] if self.offers else self.dismiss_button

    def _take_offer(self, does: Callable[[], object]) -> None:
        # The offer leads to the form, the history or a dialog: the list closes first, so
        # that it is not left over them with focus.
        shown_in = self.window()
        if isinstance(shown_in, NoticeList) and shown_in.isVisible():
            shown_in.reject()
        does()

    @Slot()
    def dismiss(self) -> None:
        self.is_dismissed = True
        self.hide()
        self.dismissed.emit()
        self.deleteLater()


class NoticeList(QDialog):
    """The notices, newest first, each whole; not modal, so that the form stays usable."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notice_list")
        self.setWindowTitle("Notices")
        self.resize(520, 360)
        outer = QVBoxLayout(self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        inner = QWidget(scroll)
        self.column = QVBoxLayout(inner)
        self.column.setSpacing(4)
        self.column.addStretch(1)
        scroll.setWidget(inner)
        outer.addWidget(scroll, 1)
        row = QHBoxLayout()
        self.dismiss_all = QPushButton("Dismiss all", self)  # Shift+F8; Alt letters are the form's
        self.dismiss_all.setObjectName("dismiss_all")
        self.dismiss_all.setToolTip(f"Dismiss every notice ({DISMISS_ALL_KEY})")
        close = QPushButton("Close", self)
        close.setObjectName("close_notices")
        close.setToolTip("Back to the form (Esc)")
        close.clicked.connect(self.reject)
        row.addWidget(self.dismiss_all)
        row.addStretch(1)
        row.addWidget(close)
        outer.addLayout(row)
        delete = QShortcut(QKeySequence(Qt.Key.Key_Delete), self)
        delete.activated.connect(self._dismiss_focused)

    def notices(self) -> list[Notice]:
        found = []
        for index in range(self.column.count()):
            item = self.column.itemAt(index)
            widget = item.widget() if item is not None else None
            if isinstance(widget, Notice) and not widget.is_dismissed:
                found.append(widget)
        return found

    def open_at_first(self) -> None:
        self.show()
        self.raise_()
        self.activateWindow()
        shown = self.notices()
        if shown:
            shown[0].first_button().setFocus(Qt.FocusReason.ShortcutFocusReason)

    def done(self, result: int) -> None:
        super().done(result)
        owner = self.parentWidget()
        if owner is not None:  # back to the form, its focus where the agent left it
            owner.window().activateWindow()

    @Slot()
    def _dismiss_focused(self) -> None:
        focus = QApplication.focusWidget()
        shown = self.notices()
        for position, notice in enumerate(shown):
            if focus is not None and notice.isAncestorOf(focus):
                notice.dismiss()
                rest = [n for n in shown if n is not notice]
                if rest:
                    rest[min(position, len(rest) - 1)].first_button().setFocus()
                return


class NotificationArea(QWidget):
    """The one line under the form, and the list it opens. Its height never changes, shown
    or not, so that nothing above or beside it moves."""

    changed = Signal(int)  # how many notices there are

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notifications")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = _NoticeLine(self)
        self.line.clicked.connect(self.open_list)
        layout.addWidget(self.line)
        self.setFixedHeight(self.line.sizeHint().height())
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(True)  # hidden or shown, the form keeps its place
        policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
        self.setSizePolicy(policy)
        self._list: NoticeList | None = None  # made with the first notice, not at start
        self.open_action = QAction("&Notices…", self)
        self.open_action.setObjectName("open_notices")
        self.open_action.setShortcut(QKeySequence(OPEN_KEY))
        self.open_action.triggered.connect(self.open_list)
        self.dismiss_all_action = QAction("Dismiss all notices", self)
        self.dismiss_all_action.setObjectName("dismiss_all_notices")
        self.dismiss_all_action.setShortcut(QKeySequence(DISMISS_ALL_KEY))
        self.dismiss_all_action.triggered.connect(self.dismiss_all)
        if parent is not None:  # the window's: they work wherever focus is in it
            parent.addAction(self.open_action)
            parent.addAction(self.dismiss_all_action)
        self.hide()

    def notify(
        self, key: str, text: str, severity: str = "error", actions: Sequence[NoticeAction] = ()
    ) -> Notice:
        """Add a notice; a newer notice about the same thing replaces the older one. It
        never takes focus: the agent reads it when the call allows (F8)."""
        self.dismiss(key)
        notice = Notice(key, text, severity, self.notice_list, actions)
        notice.dismissed.connect(self._on_removed)
        self.notice_list.column.insertWidget(0, notice)
        for old in self.notices()[MAX_KEPT:]:
            old.dismiss()
        self._show_count()  # said to a screen reader by the window's status line
        return notice

    def dismiss(self, key: str) -> None:
        """Take away the notice about this thing, if there is one (it was dealt with)."""
        for notice in self.notices():
            if notice.key == key:
                notice.dismiss()

    @Slot()
    def dismiss_all(self) -> None:
        for notice in self.notices():
            notice.dismiss()

    @property
    def notice_list(self) -> NoticeList:
        if self._list is None:
            self._list = NoticeList(self)
            self._list.dismiss_all.clicked.connect(self.dismiss_all)
        return self._list

    def notices(self) -> list[Notice]:
        return self._list.notices() if self._list is not None else []

    def texts(self) -> list[str]:
        return [notice.label.text() for notice in self.notices()]

    @Slot()
    def open_list(self) -> None:
        if self.notices():
            self.notice_list.open_at_first()

    @Slot()
    def _on_removed(self) -> None:
        self._show_count()
        if not self.notices() and self._list is not None and self._list.isVisible():
            self._list.reject()  # nothing left to read: back to the form

    def _show_count(self) -> None:
        shown = self.notices()
        self.line.show_notices(shown)
        self.setVisible(bool(shown))
        self.changed.emit(len(shown))


class _NoticeLine(QPushButton):
    """ "3 notices · F8 · <the latest>", cut to the width it has: never wider than the
    window allows, never taller than one line."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("notice_line")
        self.setFlat(True)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # F8 reaches it; Tab stays in the form
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        apply_look(self)
        self._full = ""

    def show_notices(self, notices: Sequence[Notice]) -> None:
        count = len(notices)
        words = "1 notice" if count == 1 else f"{count} notices"
        if not count:
            self._full = ""
        else:
            self._full = f"⚠ {words} · {OPEN_KEY} · {notices[0].label.text()}"
            set_style_property(self, "severity", str(notices[0].property("severity")))
        self.setAccessibleName(f"{words}, press {OPEN_KEY} to read them" if count else "No notices")
        self.setToolTip(f"Read the notices ({OPEN_KEY})" if count else "")
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        room = max(0, self.width() - 16)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, room))
