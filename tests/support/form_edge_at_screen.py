"""Run LeadDesk's real start-up (`leaddesk --demo`) on an offscreen screen of a given size
and scale, then scroll its form from top to end a wheel step at a time and Tab through it,
and print, as JSON, what the form's lower edge cut at each step.

    python -m tests.support.form_edge_at_screen WIDTHxHEIGHT SCALE [--open-sections]

What a reader sees as cut: a label with text, an input, or a section's toggle crossing the
lower edge of the form's view. Then each folded section opened with Space from the top of
the form: its toggle and first field in view? --open-sections opens the folded sections
first (and skips that). Last, submitted from the end of the form with its first fields
empty: is the field that focus went to (the first problem) in view?
"""

from __future__ import annotations

import sys
from typing import Any

from tests.support.window_at_screen import report_at_screen


def walk(window: Any) -> dict[str, Any]:
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QLabel, QScrollArea, QWidget

    form = window.form
    scroll = window.findChild(QScrollArea, "form_scroll")
    assert scroll is not None
    if "--open-sections" in sys.argv:
        form.extra.set_expanded(True)
        form.destination.set_expanded(True)
        QApplication.processEvents()
    viewport = scroll.viewport()
    bar = scroll.verticalScrollBar()

    def seen_pieces() -> list[tuple[str, QWidget]]:
        pieces: list[tuple[str, QWidget]] = [
            (f"label {label.text()!r}", label)
            for label in form.findChildren(QLabel)
            if label.text().strip()
        ]
        pieces += [(f"input {name}", field.widget) for name, field in form.inputs.items()]
        pieces += [(f"toggle {s.key}", s.toggle) for s in (form.extra, form.destination)]
        return [(name, widget) for name, widget in pieces if widget.isVisibleTo(form)]

    def rows_in_view(widget: QWidget) -> tuple[int, int]:
        top = widget.mapTo(viewport, QPoint(0, 0)).y()
        return top, top + widget.height()

    def whole(widget: QWidget) -> bool:
        top, bottom = rows_in_view(widget)
        return top >= 0 and bottom <= viewport.height()

    def cut() -> list[str]:
        edge = viewport.height()
        return [
            name
            for name, widget in seen_pieces()
            if rows_in_view(widget)[0] < edge < rows_in_view(widget)[1]
        ]

    positions = []
    bar.setValue(0)
    QApplication.processEvents()
    while True:
        positions.append({"value": bar.value(), "view": viewport.height(), "cut": cut()})
        if bar.value() >= bar.maximum():
            break
        bar.setValue(bar.value() + bar.singleStep() * QApplication.wheelScrollLines())
        QApplication.processEvents()

    bar.setValue(0)
    form.focus_first()
    QApplication.processEvents()
    tabs = []
    for _ in range(60):
        focused = QApplication.focusWidget()
        if focused is None or not form.isAncestorOf(focused):
            break
        tabs.append(
            {
                "focus": focused.objectName() or type(focused).__name__,
                "whole": whole(focused),
                "cut": cut(),
            }
        )
        QTest.keyClick(focused, Qt.Key.Key_Tab)
        QApplication.processEvents()
    opened = []
    if "--open-sections" not in sys.argv:
        for section in (form.destination, form.extra):  # the lower first: the harder case
            bar.setValue(0)
            section.toggle.setFocus()
            QApplication.processEvents()
            QTest.keyClick(section.toggle, Qt.Key.Key_Space)  # as the agent opens it
            for _ in range(3):  # the new rows laid out, then brought into view
                QApplication.processEvents()
            assert section.content is not None
            first_field = next(
                widget for widget in section.content.findChildren(QWidget)
                if widget in [field.widget for field in form.inputs.values()]
            )  # fmt: skip
            opened.append(
                {
                    "section": section.key,
                    "toggle_whole": whole(section.toggle),
                    "first_field_whole": whole(first_field),
                    "cut": cut(),
                }
            )
            QTest.keyClick(section.toggle, Qt.Key.Key_Space)  # folded again
            QApplication.processEvents()
    # Submitted from the end of the form with its first fields empty: focus goes to the
    # first problem (First name, at the top), which must be in sight to be fixed.
    bar.setValue(bar.maximum())
    form.inputs["lead_comments"].widget.setFocus()
    QApplication.processEvents()
    window.submit()
    QApplication.processEvents()
    focused = QApplication.focusWidget()
    submitted = {
        "focus": focused.objectName() if focused is not None else None,
        "whole": focused is not None and whole(focused),
        "cut": cut(),
    }
    return {
        "content": form.height(),
        "submitted": submitted,
        "opened": opened,
        "whole_view": scroll.height(),
        "positions": positions,
        "tabs": tabs,
    }


if __name__ == "__main__":
    sys.exit(report_at_screen(sys.argv[1:], walk))
