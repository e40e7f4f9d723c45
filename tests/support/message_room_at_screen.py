"""Run LeadDesk's real start-up (`leaddesk --demo`) on an offscreen screen of a given size
and scale (as tests/support/window_at_screen.py does), open the form's folded sections,
and print as JSON the room each field's message line has, its font, and the status bar
with a long result said in it.

    python -m tests.support.message_room_at_screen WIDTHxHEIGHT SCALE

The caller sets LEADDESK_HOME.
"""

from __future__ import annotations

import sys
from typing import Any

from tests.support.window_at_screen import report_at_screen

# As long as the status bar's usual results get: a long name, a seven-digit id.
LONG_RESULT = "Lead 1234567 (Alexandria Featherstonehaugh) accepted — customer 12345678."


def measure(window: Any) -> dict[str, Any]:
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QApplication

    from leaddesk.gui.field_message import FieldMessage

    form = window.form
    for section in (form.extra, form.destination):
        section.set_expanded(True)
    window.show_result(LONG_RESULT)
    window.status_line.show_attention(12)
    QApplication.processEvents()
    rooms = {}
    font = ""
    for message in form.findChildren(FieldMessage):
        name = message.objectName().removesuffix("_error")
        rooms[name] = [message.contentsRect().width() - 2 * message.margin(), message.isVisible()]
        font = message.font().toString()
    status = window.status_line
    hint = status.history_hint
    spoken = QAccessible.queryAccessibleInterface(hint)
    return {
        "font": font,
        "rooms": rooms,
        "narrow": window.history_place.narrow,
        "result": {
            "text": status.result_label.text(),
            "width": status.result_label.width(),
            "hint_width": status.result_label.sizeHint().width(),
        },
        "history_hint": {
            "visible": hint.isVisible(),
            "text": hint.text(),
            "width": hint.width(),
            "hint_width": hint.sizeHint().width(),
            "name": spoken.text(QAccessible.Text.Name) if spoken is not None else "",
        },
    }


if __name__ == "__main__":
    sys.exit(report_at_screen(sys.argv[1:], measure))
