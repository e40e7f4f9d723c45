"""Setting a property the stylesheet selects on (role, invalid): Qt applies a stylesheet
when a widget is polished, so a change afterwards needs the widget polished again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Set the property and restyle the widget, if it has been styled yet; one not shown
    yet reads the property when it first is (and the form is built faster)."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    if widget.testAttribute(Qt.WidgetAttribute.WA_WState_Polished):
        widget.style().unpolish(widget)
        widget.style().polish(widget)
