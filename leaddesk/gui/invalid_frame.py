"""The red frame around an input whose value is refused.

Drawn over the input by a graphics effect, not as a border of the input's own: a
stylesheet border changes an input's size (and so moves the fields below while the agent
fixes it), a palette cannot colour a frame in most styles, and a drop-down that cannot be
typed into paints no background a tint could show on. An effect adds no widget, so a
screen reader meets the same controls as before.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPen
from PySide6.QtWidgets import QComboBox, QGraphicsEffect, QWidget

FRAME_WIDTH = 2  # device-independent pixels: seen at a glance, inside the input's own edge
_RADIUS = 3


class InvalidFrame(QGraphicsEffect):
    """Paints the input as it is, then a frame in `colour` just inside its edge."""

    def __init__(self, colour: str, input_widget: QWidget) -> None:
        super().__init__(input_widget)  # owned by the input, as Qt owns an effect it is given
        self._colour = QColor(colour)

    def colour(self) -> str:
        return str(self._colour.name())

    def set_colour(self, colour: str) -> None:
        if QColor(colour) != self._colour:
            self._colour = QColor(colour)
            self.update()

    def draw(self, painter: QPainter) -> None:
        self.drawSource(painter)
        bounds = self.sourceBoundingRect(Qt.CoordinateSystem.LogicalCoordinates)
        half = FRAME_WIDTH / 2
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(self._colour, FRAME_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(QRectF(bounds).adjusted(half, half, -half, -half), _RADIUS, _RADIUS)
        painter.restore()


def mark_invalid(input_widget: QWidget, colour: str | None) -> None:
    """Frame `input_widget` in `colour`, or take its frame away (None)."""
    line = input_widget.lineEdit() if isinstance(input_widget, QComboBox) else None
    if line is not None:
        # An editable drop-down's typing line paints over an effect on the drop-down
        # itself: the frame goes around the line, just inside the drop-down's edge.
        input_widget = line
    effect = input_widget.graphicsEffect()
    if colour is None:
        if isinstance(effect, InvalidFrame):
            input_widget.setGraphicsEffect(None)  # type: ignore[arg-type]
        return
    if isinstance(effect, InvalidFrame):
        effect.set_colour(colour)
    else:
        input_widget.setGraphicsEffect(InvalidFrame(colour, input_widget))
