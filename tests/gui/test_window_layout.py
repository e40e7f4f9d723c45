"""The window at real screens: the form first, uncut, at 1024x700, 1280x720 and a
1920x1080 screen at 150% (and 125%, 200%): the sample call's fields in sight, every label
whole; the history beside it where there is room,
else a panel that F9 opens; a window never larger than its screen.

The screens are Qt's offscreen platform set to each size and QT_SCALE_FACTOR to each
scale, in a LeadDesk started the real way (`leaddesk --demo`) in a process of its own
(tests/support/window_at_screen.py): a scale is set once per process."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from pytestqt.qtbot import QtBot

from leaddesk.gui.window_layout import HISTORY_MIN_WIDTH
from tests.support.gui_helpers import Bench, activate, focused, press, type_into
from tests.support.window_at_screen import run_at_screen


def start_at(home: Path, screen: str, scale: float, *extra: str) -> dict[str, Any]:
    """What LeadDesk's window showed on this screen, once ready (window_at_screen)."""
    found: dict[str, Any] = run_at_screen(
        "tests.support.window_at_screen", home, screen, scale, *extra
    )
    return found


def rect(values: list[int]) -> QRect:
    return QRect(*values[:4])


def assert_form_uncut(seen: dict[str, Any]) -> None:
    screen = rect(seen["screen"])
    frame = rect(seen["frame"])
    assert screen.contains(frame), f"window {frame} larger than or off the screen {screen}"
    window = rect(seen["window"])
    # What of the window is on the screen, in the window's own coordinates.
    in_sight = window.intersected(screen).translated(-window.x(), -window.y())
    status = seen["status_bar"]
    assert status[4] and in_sight.contains(rect(status)), "the status bar is off-screen"
    assert seen["inputs"], "no inputs measured"
    assert {name for name, measured in seen["inputs"].items() if measured["main"]} >= {
        "fname", "lname", "address1", "zip", "city", "state", "phone1", "email",
        "lead_home_ownership", "lead_type_id",
    }  # fmt: skip
    for name, measured in seen["inputs"].items():
        assert measured["shown"], name
        assert measured["width"] >= measured["hint_width"] or measured["width"] >= 150, (
            f"{name} is squeezed to {measured['width']} px"
        )
        label = measured["label"]
        assert label is not None, f"{name} has no label"
        assert label["hint_width"] <= label["width"], f"the label {label['text']!r} is cut"
        if not measured["main"]:
            continue  # the fields most calls leave empty may scroll on the smallest screens
        assert in_sight.contains(rect(measured["rect"])), f"{name} is not fully in sight"
        assert measured["visible"] == measured["rect"], f"{name} is cut by its scroll area"
        assert in_sight.contains(rect(label["rect"])), f"the label of {name} is out of sight"
        assert label["visible"] == label["rect"], f"the label of {name} is cut"


@pytest.mark.parametrize(
    ("screen", "scale"),
    [("1024x700", 1.0), ("1280x720", 1.0), ("1920x1080", 1.5), ("1366x768", 1.25),
     ("2560x1440", 2.0), ("1920x1080", 2.0)],
)  # fmt: skip
def test_every_main_input_and_its_label_in_sight(tmp_path: Path, screen: str, scale: float) -> None:
    assert_form_uncut(start_at(tmp_path / "home", screen, scale))


def test_the_reason_in_sight_beside_the_form_at_1280x720(tmp_path: Path) -> None:
    for screen, scale in (("1280x720", 1.0), ("1920x1080", 1.5)):
        seen = start_at(tmp_path / f"home-{scale}", screen, scale)
        assert seen["history_docked"], "at 1280 wide the history sits beside the form"
        column = seen["error_column"]
        assert column["x"] >= 0
        assert column["x"] + min(column["width"], 200) <= column["viewport_width"], column


def test_a_narrow_screen_keeps_the_history_in_a_panel(tmp_path: Path) -> None:
    seen = start_at(tmp_path / "home", "1024x700", 1.0)
    assert not seen["history_visible"], "at 1024 wide the form has the window to itself"


def test_a_window_from_a_larger_screen_fits_a_smaller_one(tmp_path: Path) -> None:
    home = tmp_path / "home"
    big = start_at(home, "2560x1440", 1.0, "--resize", "2400x1300")
    assert_form_uncut(big)
    small = start_at(home, "1024x700", 1.0)
    assert_form_uncut(small)
    assert rect(small["frame"]).size().toTuple() == (1024, 700)


# --- the history as a panel, in this process --------------------------------------------


def test_f9_opens_and_closes_the_history_panel_over_a_narrow_window(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    window = rig.window
    place = window.history_place
    window.resize(place.form_width() + HISTORY_MIN_WIDTH - 60, 680)
    central = window.centralWidget()
    assert central is not None
    qtbot.waitUntil(lambda: place.narrow and central.width() == window.width())
    assert not window.history_dock.isVisible()
    fname = rig.form.inputs["fname"].widget
    type_into(qtbot, rig.form, "fname", "Ann")
    where = fname.mapTo(window, QPoint(0, 0))
    width = fname.width()

    press(qtbot, fname, Qt.Key.Key_F9)
    qtbot.waitUntil(window.history_dock.isVisible)
    assert window.history_dock.isFloating()
    panel = window.history_dock.geometry()
    assert panel.right() <= central.mapToGlobal(QPoint(central.width(), 0)).x()
    assert panel.width() >= HISTORY_MIN_WIDTH - 60
    assert (fname.mapTo(window, QPoint(0, 0)), fname.width()) == (where, width), "form moved"
    qtbot.waitUntil(lambda: focused() == "history")

    press(qtbot, window.history.table, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not window.history_dock.isVisible())
    activate(qtbot, window)
    assert window.focusWidget() is fname, "back to the field being typed"
    assert rig.form.values()["fname"] == "Ann"

    press(qtbot, fname, Qt.Key.Key_F9)
    qtbot.waitUntil(window.history_dock.isVisible)
    press(qtbot, window.history.table, Qt.Key.Key_Escape)  # Esc closes the panel too
    qtbot.waitUntil(lambda: not window.history_dock.isVisible())
    assert rig.form.values()["fname"] == "Ann", "Esc in the panel is no new lead"

    window.resize(place.form_width() + HISTORY_MIN_WIDTH + 200, 700)
    qtbot.waitUntil(lambda: not place.narrow)
    assert window.history_dock.isVisible() and not window.history_dock.isFloating()
    assert central.width() >= place.form_width() - 1, "the history never squeezes the form"
