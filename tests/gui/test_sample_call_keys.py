"""The spec's sample lead typed as an agent would, on the real window: at most one Tab
between its fields and Ctrl+Enter, 7 keystrokes beyond the data, and the dealer (the
sandbox) gets the lead with the City and State its ZIP filled."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.domain.states import State
from tests.support.gui_helpers import Bench, focused, wait_for_state

# Joe Rogers, 1234 Any St, 84111, 801-555-1234, joe@example.com, own: in the spec's order,
# with the field each lands in.
SAMPLE_CALL = (
    ("fname", "Joe"),
    ("lname", "Rogers"),
    ("address1", "1234 Any St"),
    ("zip", "84111"),
    ("phone1", "8015551234"),
    ("email", "joe@example.com"),
    ("lead_home_ownership", "own"),
)
MOST_KEYS_BEYOND_THE_DATA = 7


@dataclass
class Keyboard:
    """Keys sent where focus is, as a person's keyboard does, counting the ones that are
    not the lead's own characters."""

    qtbot: QtBot
    other_keys: int = 0

    def _target(self) -> QWidget:
        widget = QApplication.focusWidget()
        assert widget is not None, "no widget has focus"
        return widget

    def type(self, text: str) -> None:
        self.qtbot.keyClicks(self._target(), text)  # type: ignore[no-untyped-call]

    def key(
        self, key: Qt.Key, modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier
    ) -> None:
        self.other_keys += 1
        self.qtbot.keyClick(self._target(), key, modifier)  # type: ignore[no-untyped-call]


def test_the_sample_lead_takes_one_tab_between_fields_and_ctrl_enter(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    qtbot.waitUntil(lambda: focused() == "fname")
    keyboard = Keyboard(qtbot)
    for position, (field, text) in enumerate(SAMPLE_CALL):
        if position:
            keyboard.key(Qt.Key.Key_Tab)
        assert focused() == field, f"after {position} Tab(s) focus is not in {field}"
        keyboard.type(text)
    keyboard.key(Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert keyboard.other_keys <= MOST_KEYS_BEYOND_THE_DATA
    wait_for_state(qtbot, rig.store, 1, State.ACCEPTED)
    [lead] = rig.accepted
    assert {name: lead.get(name) for name, _text in SAMPLE_CALL} | {
        "city": lead.get("city"),
        "state": lead.get("state"),
    } == {
        "fname": "Joe",
        "lname": "Rogers",
        "address1": "1234 Any St",
        "zip": "84111",
        "phone1": "8015551234",
        "email": "joe@example.com",
        "lead_home_ownership": "own",
        "city": "Salt Lake City",
        "state": "UT",
    }
    assert focused() == "fname", "ready for the next call"
