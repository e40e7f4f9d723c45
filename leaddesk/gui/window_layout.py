"""Where the main window's parts sit in its central area, top to bottom: the demo banner,
the no-destination warning, the destination picker, the editing banner, the form (which
scrolls), the notices (below the form: a notice never moves a field) and the buttons.
The window builds the parts; this module only places them.

And where the history sits (HistoryPlace): beside the form while the window is wide
enough for both, else a panel over the form that F9 opens; the form keeps its width.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeyEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollBar,
    QVBoxLayout,
    QWidget,
)

from leaddesk.gui.style_property import apply_look
from leaddesk.gui.whole_rows import WholeRowsScrollArea

if TYPE_CHECKING:
    from leaddesk.gui.lead_form import LeadForm

# Room for the separator between the form and the history, in any style (Fusion's is 6
# pixels, Windows' 4): read from QStyle, it would have PySide set up all of QStyle's names
# for the first frame.
DOCK_SEPARATOR = 8
QWIDGETSIZE_MAX = (1 << 24) - 1  # Qt's "no maximum" for a widget's size

NO_DESTINATION_TEXT = (
    "No destination is set, so leads cannot be sent. Add one in Settings (Ctrl+,), "
    "start LeadDesk with --url and --source-id, or try --demo."
)


def lay_out_central(
    window: QMainWindow,
    *,
    demo: bool,
    above_form: tuple[QWidget, ...],
    form: LeadForm,
    below_form: QWidget,
    buttons: tuple[QPushButton, QPushButton],
) -> QLabel:
    """The central area, set on `window`; its no-destination warning, hidden until the
    settings say (the window's attach). `above_form` go under that warning; the form's view
    never ends through one of its pieces, and follows a section the agent opens; `buttons`
    are the one on the left and the one on the right."""
    central = QWidget(window)
    layout = QVBoxLayout(central)
    if demo:
        banner = QLabel(
            "Demo mode: leads go to a built-in sandbox, not to a dealer, "
            "and are kept apart from real ones.",
            central,
        )
        banner.setObjectName("demo_banner")
        banner.setWordWrap(True)
        apply_look(banner)
        layout.addWidget(banner)
    no_destination = QLabel(NO_DESTINATION_TEXT, central)
    no_destination.setObjectName("no_destination")
    no_destination.setWordWrap(True)
    apply_look(no_destination)
    no_destination.hide()
    layout.addWidget(no_destination)
    for widget in above_form:
        layout.addWidget(widget)
    scroll = WholeRowsScrollArea(form.pieces, central)
    scroll.setObjectName("form_scroll")
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not here
    scroll.setWidget(form)
    form.section_opened.connect(scroll.bring_into_view)
    layout.addWidget(scroll, 1)
    layout.addWidget(below_form)
    left, right = buttons
    row = QHBoxLayout()
    row.addWidget(left)
    row.addStretch(1)
    row.addWidget(right)
    layout.addLayout(row)
    window.setCentralWidget(central)
    return no_destination


# The narrowest history beside the form that still shows a lead's time, state and
# reason; below it the history is a panel instead (HistoryPlace).
HISTORY_MIN_WIDTH = 440
# What the form wants, in average characters of its font: two labels and two inputs a
# row, each input wide enough for a whole street address or email address.
FORM_WIDTH_CHARS = 104
PANEL_SHARE = 0.62  # of the window's width, for the history as a panel


class HistoryPlace(QObject):
    """Where the history sits, so that the form keeps its width. Beside the form while the
    window has room for both (the history never wider than leaves the form its width);
    on a narrower window, a panel over the form's right-hand side that F9 opens and
    closes (as do Show in history and Find), the form keeping its place and the field
    being typed its focus underneath."""

    # Whether the history is a panel that is closed, so that the status line says F9
    # opens it: emitted when that changes.
    closed_panel = Signal(bool)

    def __init__(
        self, window: QMainWindow, dock: QDockWidget, form: QWidget, toggle: QAction
    ) -> None:
        super().__init__(window)  # the window is its parent, never one of its attributes:
        # a reference back to it would hold the window in a cycle that Python's collector
        # takes apart while Qt still sends it events
        self._dock = dock
        self._form = form
        # A scroll bar's own width, not the style's metric: asking QStyle makes PySide set up
        # all of QStyle's names (hundreds), for the first frame.
        self._scroll_bar_width = QScrollBar(Qt.Orientation.Vertical).sizeHint().width()
        self.narrow = False
        self._open_beside = True  # whether the agent keeps the history open beside the form
        self.panel_closed = False  # a panel, closed (closed_panel says when it changes)
        dock.addAction(toggle)  # F9 closes the panel from inside it as well
        # So does Esc (an Esc the search box takes to clear itself excepted), claimed in the
        # panel before the window's Esc (a new lead) sees it; beside the form, Esc in the
        # history starts a new lead as anywhere else.
        dock.installEventFilter(self)
        dock.visibilityChanged.connect(self._on_visibility)
        window.installEventFilter(self)

    @property
    def _window(self) -> QMainWindow:
        window = self.parent()
        assert isinstance(window, QMainWindow)
        return window

    def form_width(self) -> int:
        """The width the central area needs for the form uncut, its scroll bar included."""
        chars = self._form.fontMetrics().averageCharWidth() * FORM_WIDTH_CHARS
        central = self._window.centralWidget()
        layout = central.layout() if central is not None else None
        margins = layout.contentsMargins() if layout is not None else QMargins()
        scroll_bar = self._scroll_bar_width
        wanted = max(self._form.sizeHint().width(), chars)
        return wanted + scroll_bar + margins.left() + margins.right() + 4

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        # Only the two events that change the window's width: this filter also sees the
        # window's last events as it is destroyed, when it is no longer a QMainWindow.
        if kind in (QEvent.Type.Resize, QEvent.Type.Show) and isinstance(watched, QMainWindow):
            self.arrange()
        elif (
            kind in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(watched, QDockWidget)
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.narrow
        ):
            event.accept()  # the override: Esc comes here as a key, not the window's shortcut
            if kind == QEvent.Type.KeyPress:
                watched.hide()
            return True
        return False

    def arrange(self) -> None:
        """The history's place for the window's width now."""
        form_width = self.form_width()
        narrow = self._window.width() < form_width + HISTORY_MIN_WIDTH
        if narrow and not self.narrow:
            self._become_panel()
        elif not narrow and self.narrow:
            self._go_beside()
        if self.narrow:
            if self._dock.isVisible():
                self._place_panel()
        else:
            room = self._window.width() - form_width - DOCK_SEPARATOR
            self._dock.setMaximumWidth(max(room, HISTORY_MIN_WIDTH))
        self._tell_if_closed()

    def _tell_if_closed(self) -> None:
        """isHidden, not isVisible: a panel is open or closed before the window is shown."""
        closed = self.narrow and self._dock.isHidden()
        if closed != self.panel_closed:
            self.panel_closed = closed
            self.closed_panel.emit(closed)

    def _become_panel(self) -> None:
        self.narrow = True
        self._open_beside = self._dock.isVisible() or not self._window.isVisible()
        self._dock.hide()
        self._dock.setMaximumWidth(QWIDGETSIZE_MAX)
        self._dock.setFloating(True)  # shown from now on as a panel, never beside the form

    def _go_beside(self) -> None:
        self.narrow = False
        was_open = self._dock.isVisible()
        self._dock.setFloating(False)
        self._dock.setVisible(self._open_beside or was_open)

    def _place_panel(self) -> None:
        """Over the right-hand part of the window's central area, its full height. From
        the window's width: the central area may not be laid out again yet."""
        window = self._window
        central = window.centralWidget()
        if central is None:
            return
        top = central.mapToGlobal(QPoint(0, 0)).y()
        right = window.mapToGlobal(QPoint(window.width(), 0)).x()
        width = max(int(window.width() * PANEL_SHARE), 1)
        self._dock.setGeometry(QRect(right - width, top, width, central.height()))

    @Slot(bool)
    def _on_visibility(self, visible: bool) -> None:
        self._tell_if_closed()
        if not self.narrow:
            return
        if visible:
            self._place_panel()
            self._dock.raise_()
            self._dock.activateWindow()
            from PySide6.QtWidgets import QAbstractItemView  # when the panel first opens

            table = self._dock.findChild(QAbstractItemView, "history")
            target = table if table is not None else self._dock.widget()
            if target is not None:
                target.setFocus(Qt.FocusReason.ShortcutFocusReason)
        elif self._window.isVisible():
            self._window.activateWindow()  # back to the field that was being typed
