"""The history's filter buttons and search box: what the agent asks to see."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal, Slot
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from leaddesk.history.history_query import Filter

SEARCH_DELAY_MS = 200  # wait for a pause in typing before searching 100,000 leads
_SEARCH_KEY_EVENTS = (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)


class FilterBar(QWidget):
    """A row of filter buttons above a search box. It says what the agent chose; the pane
    decides what the view then shows, and tells the bar (`show_filter`)."""

    filter_chosen = Signal(object)  # the Filter whose button was clicked
    search_entered = Signal(str)  # the search text, after a pause in typing or at Enter
    rows_wanted = Signal()  # Down or Page Down in the search box: on to the results

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.filters = QButtonGroup(self)
        buttons = QHBoxLayout()
        for index, choice in enumerate(Filter):
            button = QToolButton(self)
            button.setObjectName(f"filter_{choice.value}")
            button.setText(choice.label)
            button.setCheckable(True)
            button.setChecked(choice is Filter.ALL)
            button.setAutoRaise(True)
            self.filters.addButton(button, index)
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.filters.idClicked.connect(self._on_filter)

        self.search = QLineEdit(self)
        self.search.setObjectName("history_search")
        self.search.setPlaceholderText("Search name, phone, email, customer ID, lead ID")
        # Its clear button (an icon, an action and a button of their own) is made when
        # there is first something to clear: nothing is shown for an empty box anyway.
        self.search.textChanged.connect(self._offer_clearing)
        self.search.setAccessibleName("Search the history")
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._enter_search)
        self.search.textEdited.connect(lambda _text: self._search_timer.start())
        self.search.returnPressed.connect(self._enter_search)
        self.search.installEventFilter(self)  # Esc clears it, Down goes on to the rows

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(buttons)
        layout.addWidget(self.search)

    def show_filter(self, choice: Filter) -> None:
        self.filters.button(list(Filter).index(choice)).setChecked(True)

    def show_attention(self, count: int) -> None:
        """The Needs attention button with how many leads need it (none: no number)."""
        label = Filter.ATTENTION.label
        button = self.filters.button(list(Filter).index(Filter.ATTENTION))
        button.setText(f"{label} ({count})" if count else label)

    def clear_search(self) -> None:
        """An empty box, with no search still to come from what was typed."""
        self._search_timer.stop()
        self.search.clear()

    def stop(self) -> None:
        self._search_timer.stop()

    @Slot(str)
    def _offer_clearing(self, text: str) -> None:
        if text:
            self.search.setClearButtonEnabled(True)
            self.search.textChanged.disconnect(self._offer_clearing)

    @Slot(int)
    def _on_filter(self, index: int) -> None:
        self.filter_chosen.emit(list(Filter)[index])

    @Slot()
    def _enter_search(self) -> None:
        self._search_timer.stop()
        self.search_entered.emit(self.search.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is not self.search or event.type() not in _SEARCH_KEY_EVENTS:
            return False
        assert isinstance(event, QKeyEvent)
        # The keypad's arrows (and every arrow on macOS) carry KeypadModifier.
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        key = event.key()
        if key == Qt.Key.Key_Escape and self.search.text():
            # Claimed before the window's Esc (a new lead) sees it: Esc in a search box
            # clears the search. An empty box lets Esc through to the window.
            if event.type() == QEvent.Type.KeyPress:
                self.search.clear()
                self._enter_search()
            event.accept()
            return event.type() == QEvent.Type.KeyPress
        if key in (Qt.Key.Key_Down, Qt.Key.Key_PageDown) and event.type() == QEvent.Type.KeyPress:
            self._enter_search()  # what was typed counts now, not after the pause
            self.rows_wanted.emit()
            return True
        return False
