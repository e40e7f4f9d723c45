"""Every message a field can show fits whole in the two lines it keeps, at the narrowest
room that field's message has on the screens a floor uses (1024x700; 1920x1080 at 150%
and 200%; 1366x768 at 125%), in LeadDesk started the real way (`leaddesk --demo`, its
folded sections opened) in a process of its own for each (tests/support/
message_room_at_screen.py). And the status bar there: "History · F9" while the history
is a closed panel, whole, named for a screen reader, beside a long result still whole.

The messages are LeadDesk's own (leaddesk/domain/fields.py, email_problems.py): each
check of each field walked with input that breaks it, then any text (hypothesis). They
must fit at FONT_SLACK of the measured room: a desk's font may be a little wider than
this machine's."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import QApplication

from leaddesk.domain.fields import FIELD_NAMES, FIELDS, FieldProblem, FieldSpec, Kind, clean_field
from leaddesk.gui.field_message import fits
from tests.support.message_room_at_screen import LONG_RESULT
from tests.support.window_at_screen import run_at_screen

SCREENS = (("1024x700", 1.0), ("1920x1080", 1.5), ("1366x768", 1.25), ("1920x1080", 2.0))
NARROW_SCREENS = {("1024x700", 1.0), ("1366x768", 1.25), ("1920x1080", 2.0)}
FONT_SLACK = 0.9


@dataclass(frozen=True)
class Rooms:
    font: str
    narrowest: dict[str, int]  # field: the least room its message had on any screen
    seen: dict[tuple[str, float], dict[str, Any]]  # what each screen showed

    def fits(self, name: str, message: str) -> bool:
        font = QFont()
        font.fromString(self.font)
        return fits(message, QFontMetrics(font), int(self.narrowest[name] * FONT_SLACK))


def start_at(home: Path, screen: str, scale: float) -> dict[str, Any]:
    found: dict[str, Any] = run_at_screen(
        "tests.support.message_room_at_screen", home, screen, scale
    )
    return found


@pytest.fixture(scope="module")
def rooms(tmp_path_factory: pytest.TempPathFactory, qapp: QApplication) -> Rooms:
    seen = {
        (screen, scale): start_at(tmp_path_factory.mktemp("home"), screen, scale)
        for screen, scale in SCREENS
    }
    narrowest: dict[str, int] = {}
    fonts = {found["font"] for found in seen.values()}
    assert len(fonts) == 1, fonts
    for found in seen.values():
        for name, (room, visible) in found["rooms"].items():
            assert visible, f"{name}'s message line is not shown with its section open"
            narrowest[name] = min(room, narrowest.get(name, room))
    assert set(narrowest) == set(FIELD_NAMES)
    return Rooms(fonts.pop(), narrowest, seen)


# --- every check of every field, broken on purpose --------------------------------------

BAD_EMAILS = (
    "joe", "joe@", "@example.com", "a@b@example.com", "jo e@example.com", "joe@example",
    "joe..x@example.com", ".joe@example.com", "joe.@example.com", "joe@-example.com",
    "joe@example-.com", "joe@example.123", "joe@x.local", "joe,x@example.com",
    "joe@exa_mple.com", "Joe Rogers <joe@example.com>", '"joe"@example.com', "joe@[1.2.3.4]",
    "j" * 70 + "@example.com", "joe@" + "a" * 70 + ".com", "joe@" + ("a" * 60 + ".") * 5 + "com",
    "joe\u200b@example.com", "joe@xn--abc.com", "joe@ab--c.com", "joe@example.com.",
    "<>()[]\\,;:@example.com", "joe@" + "é" * 300 + ".com",
)  # fmt: skip
BAD_BY_KIND: dict[Kind, tuple[object, ...]] = {
    Kind.PHONE: ("123", "801-555-1234 x12", "+44 20 7946 0958", "(809) 555-0134", "phone"),
    Kind.ZIP: ("1234", "836600", "ABCDE", "83660-12"),
    Kind.STATE: ("Zz", "Idahoo", "Ontario"),
    Kind.EMAIL: BAD_EMAILS,
    Kind.MONEY: ("-1", "abc", "1.005", "100000", "$1,000,000.00", "NaN", "1e3"),
    Kind.CHOICE: ("maybe", "1"),
}


def bad_inputs(spec: FieldSpec) -> list[object]:
    """Input that breaks each of the field's checks once: blank when required, a control
    character (near the end of the longest text it takes), too long, not text, and what
    its kind refuses."""
    limit = spec.max_length or 255
    inputs: list[object] = ["", "Ann\x07", "x" * (limit - 1) + "\x1f", "x" * (limit * 400)]
    inputs += [2.5, True, Decimal("1.5"), *BAD_BY_KIND.get(spec.kind, ())]
    return inputs


def message(name: str, value: object) -> str | None:
    try:
        clean_field(name, value)
    except FieldProblem as problem:
        return str(problem)
    return None


def test_every_check_of_every_field_gives_a_message_that_fits(rooms: Rooms) -> None:
    seen: set[str] = set()
    for spec in FIELDS:
        for value in bad_inputs(spec):
            text = message(spec.name, value)
            if text is None:
                continue
            seen.add(text)
            assert rooms.fits(spec.name, text), f"{spec.name}: {text!r} needs more than 2 lines"
    # The walk reached each kind of message, not only "required".
    for part in ("is required", "hidden character", "at most", "must be text", "10-digit",
                 "ZIP+4", "US state", "@", "amount", "negative", "cent", "one of"):  # fmt: skip
        assert any(part in text for text in seen), f"no message with {part!r} was walked"


EMAILISH = st.text(alphabet=st.sampled_from(list('ajz09@.-_+ ,;<>"[]()é\u200b\u00a0!#~')))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    address=st.one_of(
        EMAILISH,
        st.tuples(st.emails(), EMAILISH).map("".join),
        st.tuples(EMAILISH, st.emails()).map("".join),
        st.text(),
    )
)
def test_any_email_typed_gets_a_message_that_fits(rooms: Rooms, address: str) -> None:
    text = message("email", address)
    if text is not None:
        assert rooms.fits("email", text), repr(text)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(FIELD_NAMES), value=st.text(max_size=5000))
def test_any_text_in_any_field_gets_a_message_that_fits(
    rooms: Rooms, name: str, value: str
) -> None:
    text = message(name, value)
    if text is not None:
        assert rooms.fits(name, text), f"{name}: {text!r}"


# --- the status bar at those screens ----------------------------------------------------


def test_history_hint_in_the_status_bar_while_the_history_is_a_closed_panel(rooms: Rooms) -> None:
    for screen, found in rooms.seen.items():
        hint, result = found["history_hint"], found["result"]
        assert result["text"] == LONG_RESULT
        assert result["width"] >= result["hint_width"], f"{screen}: the result is cut"
        if screen in NARROW_SCREENS:
            assert found["narrow"], screen
            assert hint["visible"], f"{screen}: no hint that F9 opens the history"
            assert hint["text"] == "History · F9"
            assert hint["width"] >= hint["hint_width"], f"{screen}: the hint is cut"
            assert hint["name"] == "History closed: press F9 to open it"
        else:
            assert not found["narrow"] and not hint["visible"], f"{screen}: history beside"
