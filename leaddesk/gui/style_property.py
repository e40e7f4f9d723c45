"""How a marked widget looks: an error's colour, an invalid input's frame and tint, a
notice's and a banner's background, in colours that read on the system's light or dark
palette.

A widget is marked by a property (role, invalid, severity) or by its object name, and
`set_style_property` / `apply_look` give it the look that mark calls for: palette colours
for text and an input's background, a frame drawn over an invalid input
(gui/invalid_frame.py: a stylesheet border would change the input's height, and the field
would move as the agent fixes it), or a small stylesheet of its own for a framed
background. There is no
application-wide stylesheet: with one, Qt draws every widget of the window through its
stylesheet engine, which made building and showing the form noticeably slower, while only
a handful of widgets are ever marked.
"""

from __future__ import annotations

import weakref

import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QGraphicsEffect,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

LOOK_PROPERTY = "leaddesk_look"  # set on every widget given a look: it has one
ERROR_ROLE = "field-error"
BANNERS = frozenset({"demo_banner", "no_destination", "editing_banner"})
_INPUTS = (QLineEdit, QComboBox, QPlainTextEdit)
# Every widget given a look, to give it again in a new palette. Asked for all the app's
# widgets instead, Qt would hand Python the ones it made itself (scroll areas' viewports),
# and PySide would first build the types of every widget class to tell which they are.
# A widget leaves the set when Python lets go of it; one Qt deleted while Python still
# holds it (a closed dialog's label) is passed over.
_MARKED: weakref.WeakSet[QWidget] = weakref.WeakSet()


def colours(palette: QPalette) -> dict[str, str]:
    """The error, notice and warning colours for this palette: error text reads at 4.5:1
    or better on the window, and the palette's own text on the notice and warning
    backgrounds (tests/gui/test_style_property.py)."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    return {
        "error": "#ff8a80" if dark else "#c62828",
        "notice": "#4a1f1f" if dark else "#fdecea",
        "warning": "#4a3b12" if dark else "#fff4d6",
    }


def set_style_property(widget: QWidget, name: str, value: object) -> None:
    """Mark `widget` (role, invalid, severity) and give it the look the mark calls for."""
    if widget.property(name) == value and widget.property(LOOK_PROPERTY):
        return
    widget.setProperty(name, value)
    apply_look(widget)


def apply_look(widget: QWidget, palette: QPalette | None = None) -> None:
    """Give `widget` the look its marks call for (none, if it has none), in the colours of
    `palette` (the application's by default)."""
    colour = colours(palette or QApplication.palette())
    widget.setProperty(LOOK_PROPERTY, True)
    _MARKED.add(widget)
    name = widget.objectName()
    text_colour: str | None = None
    sheet = ""
    if widget.property("role") == ERROR_ROLE:
        text_colour = colour["error"]
    if isinstance(widget, _INPUTS):
        invalid = widget.property("invalid") is True
        if invalid or widget.findChild(QGraphicsEffect) is not None:
            # Loaded at the first refusal, not for the form's first frame.
            from leaddesk.gui.invalid_frame import mark_invalid

            mark_invalid(widget, colour["error"] if invalid else None)
        _set_colours(widget, {QPalette.ColorRole.Base: colour["notice"] if invalid else None})
        return
    if name == "notice":
        # A selector, so that the notice's own buttons keep their normal look.
        if widget.property("severity") == "error":
            rule = f"background: {colour['notice']}; border: 1px solid {colour['error']};"
        else:
            rule = f"background: {colour['warning']};"
        sheet = f"QFrame#notice {{ {rule} border-radius: 4px; }}"
    elif name == "notice_line":  # a flat button whose text starts at the left, like a label
        error = widget.property("severity") == "error"
        sheet = "text-align: left;" + (f" color: {colour['error']};" if error else "")
    elif name == "history_hint":  # a small chip in the status bar, framed in every style
        mid = (palette or QApplication.palette()).color(QPalette.ColorRole.Mid).name()
        sheet = (
            f"QPushButton#history_hint {{ border: 1px solid {mid}; border-radius: 3px;"
            " padding: 0px 6px; }"
        )
    elif name in BANNERS:
        rule = f"background: {colour['warning']}; padding: 6px; border-radius: 4px;"
        sheet = f"QLabel#{name} {{ {rule} }}"
    _set_colours(
        widget,
        {QPalette.ColorRole.WindowText: text_colour, QPalette.ColorRole.Text: text_colour},
    )
    if widget.styleSheet() != sheet:
        widget.setStyleSheet(sheet)


def follow_the_palette(app: QApplication) -> None:
    """Give every marked widget its look again whenever the application's palette or the
    system's colour scheme changes (light and dark, a high-contrast theme). Once per
    application, however often it is set up."""
    if app.property(LOOK_PROPERTY):
        return
    app.setProperty(LOOK_PROPERTY, True)
    app.styleHints().colorSchemeChanged.connect(lambda _scheme: refresh_looks(app))
    app.paletteChanged.connect(lambda _palette: refresh_looks(app))


def refresh_looks(app: QApplication) -> None:
    """Every marked widget again, in the palette the system has now (light or dark)."""
    palette = app.palette()
    for widget in list(_MARKED):  # a copy: apply_look adds to the set
        if shiboken6.isValid(widget):
            apply_look(widget, palette)


def _set_colours(widget: QWidget, colours_by_role: dict[QPalette.ColorRole, str | None]) -> None:
    """Set the roles given a colour; with none given any, the widget inherits its palette."""
    wanted = {role: colour for role, colour in colours_by_role.items() if colour is not None}
    if not wanted:
        if widget.testAttribute(Qt.WidgetAttribute.WA_SetPalette):
            widget.setPalette(QPalette())  # back to the one it inherits
        return
    palette = widget.palette()
    for role, colour in wanted.items():
        palette.setColor(role, colour)
    widget.setPalette(palette)
