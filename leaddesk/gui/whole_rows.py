"""A scroll area that never shows a row of its content cut in two at its lower edge.

The form scrolls on a short screen, and wherever its view happened to end, the next row
(a label, an input, the "More" toggle) showed only its top half: a label cut short. While
the content does not fit, the view ends just above the first piece it would cut, and a
strip of background takes the rest; scrolled to the end, the view is whole again.

A field given focus other than by a click (Tab, a mnemonic, the first problem after a
submit) is scrolled into sight: Qt does so only for Tab. The field being typed in stays in
sight when the view shrinks under it (a notice appearing above the form).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QPoint, Qt, QTimer, Slot
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget

# The view gives up at most this share of its height: a piece taller than that is cut
# rather than leaving most of the view empty.
LONGEST_TRIM_SHARE = 0.4

# What a reader sees as one piece (a label, an input with its message), as the content
# knows them: asked of the content rather than found among all its children, whose
# Qt-made parts PySide would first have to wrap, in the window's first frame.
Pieces = Callable[[], Iterable[QWidget]]


def spans(content: QWidget, pieces: Iterable[QWidget]) -> list[tuple[int, int]]:
    """The vertical extent (top, bottom) of each visible piece, in the content's
    coordinates, joined where they overlap: between two spans the content can be cut
    without cutting anything."""
    found: list[tuple[int, int]] = []
    origin = QPoint(0, 0)
    for piece in pieces:
        if piece.isVisibleTo(content):
            top = piece.mapTo(content, origin).y()
            found.append((top, top + piece.height()))
    found.sort()
    joined: list[tuple[int, int]] = []
    for top, bottom in found:
        if joined and top < joined[-1][1]:
            joined[-1] = (joined[-1][0], max(joined[-1][1], bottom))
        else:
            joined.append((top, bottom))
    return joined


def clean_edge(content: QWidget, pieces: Iterable[QWidget], edge: int) -> int:
    """The lowest place at or above `edge` where the content can be cut cleanly."""
    for top, bottom in spans(content, pieces):
        if top < edge < bottom:
            return top
    return edge


class WholeRowsScrollArea(QScrollArea):
    def __init__(self, pieces: Pieces, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._pieces = pieces
        self._trim = 0  # the strip of the view given up at the bottom
        self._snapping = False
        self._height = 0  # the scroll area's own, as last seen by resizeEvent
        bar = self.verticalScrollBar()
        bar.valueChanged.connect(self._snap)
        bar.rangeChanged.connect(self._snap)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._follow_focus)

    @property
    def trim(self) -> int:
        return self._trim

    @Slot(QWidget)
    def bring_into_view(self, piece: QWidget) -> None:
        """Scroll so that `piece` (a section just opened, say) is in view, as much of it
        as fits with its top in sight, once the content has been laid out anew."""
        QTimer.singleShot(0, self, lambda: self._bring_into_view(piece))

    def _bring_into_view(self, piece: QWidget) -> None:
        content = self.widget()
        bar = self.verticalScrollBar()
        if content is None or not piece.isVisibleTo(content):
            return
        top = piece.mapTo(content, QPoint(0, 0)).y()
        value = max(bar.value(), top + piece.height() - bar.height())
        bar.setValue(min(value, top))

    @Slot(QWidget, QWidget)
    def _follow_focus(self, old: QWidget | None, new: QWidget | None) -> None:
        """Bring a field that focus went to into sight, unless it was clicked (it is in
        sight, under the pointer, and must stay there) or focus came back to the window
        from elsewhere (a dialog, a list that dropped down): the view stays where the
        agent left it."""
        content = self.widget()
        if old is None or new is None or content is None or not content.isAncestorOf(new):
            return
        if old.window() is not new.window():
            return
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return
        self.ensureWidgetVisible(new)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._snap()
        # Qt hands the viewport's resize events here too (the strip given up growing as
        # the agent scrolls): only the scroll area's own height going down is a shrink.
        shrunk = self._height - self.height()
        self._height = self.height()
        if shrunk > 0:
            self._keep_focus_in_sight(shrunk)

    def _keep_focus_in_sight(self, shrunk: int) -> None:
        """A notice appearing above the form (the edit banner, say) shrinks the view while
        the agent types: a field that was in the taller view stays in sight, rather than
        going behind its lower edge. One scrolled away from stays where it is.

        The view gives up what it lost at its top rather than at its bottom: under a
        notice above the form the field keeps its place on the screen, and what showed
        below it (its message) still shows. Qt's ensureWidgetVisible would add a margin
        of its own, and the field would jump up the screen."""
        content = self.widget()
        field = QApplication.focusWidget()
        if content is None or field is None or not content.isAncestorOf(field):
            return
        bar = self.verticalScrollBar()
        first = bar.value()
        top = field.mapTo(content, QPoint(0, 0)).y()
        bottom = top + field.height()
        was_in_sight = first <= top and bottom <= first + bar.height() + shrunk
        # The scroll bar runs the view's height, the strip given up included (see _snap).
        if was_in_sight and bottom > first + bar.height() - self._trim:
            bar.setValue(min(first + shrunk, top))

    @Slot()
    def _snap(self) -> None:
        content = self.widget()
        bar = self.verticalScrollBar()
        if self._snapping or content is None:
            return
        trim = 0
        # The scroll bar runs the view's whole height, the strip given up included (the
        # viewport is not asked: PySide would first set up its types for every widget Qt
        # makes, in the window's first frame). Hidden, everything is in sight.
        if bar.isVisibleTo(self):
            whole = bar.height()
            first = bar.value()
            # Scrolled to the end, the view ends where the content does.
            if first < content.height() - whole:
                edge = first + whole
                trim = edge - clean_edge(content, self._pieces(), edge)
                if trim > whole * LONGEST_TRIM_SHARE:
                    trim = 0
        if trim != self._trim:
            self._snapping = True  # the margins change the scroll bar's range
            try:
                self._trim = trim
                self.setViewportMargins(0, 0, 0, trim)
            finally:
                self._snapping = False
