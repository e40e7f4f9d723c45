"""The form's view never ends through the middle of a label, an input or a section's
toggle: scrolled a wheel step at a time from top to end, and Tabbed through, on the
screens a floor uses (LeadDesk started the real way, `leaddesk --demo`, in a process of its
own each: tests/support/form_edge_at_screen.py); a folded section opened with Space is
scrolled into view, its toggle and first field whole. And the scroll area itself
(gui/whole_rows.py) over rows of its own: the view ends above a row it would cut, is whole
again at the end, and the end is reached."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.gui.whole_rows import WholeRowsScrollArea
from tests.support.gui_helpers import Bench
from tests.support.window_at_screen import run_at_screen

SCREENS = (
    ("1024x700", 1.0, False),
    ("1280x720", 1.0, False),
    ("1366x768", 1.25, False),
    ("1920x1080", 2.0, False),
    ("1024x700", 1.0, True),
    ("1920x1080", 1.5, True),
)


@pytest.mark.parametrize(("screen", "scale", "open_sections"), SCREENS)
def test_the_form_view_never_ends_through_a_row(
    tmp_path: Path, screen: str, scale: float, open_sections: bool
) -> None:
    extra = ("--open-sections",) if open_sections else ()
    seen: dict[str, Any] = run_at_screen(
        "tests.support.form_edge_at_screen", tmp_path, screen, scale, *extra
    )
    assert seen["content"] > seen["whole_view"], "the form must scroll here to prove anything"
    assert len(seen["positions"]) >= 2
    for position in seen["positions"]:
        assert position["cut"] == [], position
    assert len(seen["tabs"]) >= 19  # every call field and both toggles
    for step in seen["tabs"]:
        assert step["whole"], step  # the field Tab went to is in sight, whole
        assert step["cut"] == [], step
    assert seen["submitted"]["whole"], seen["submitted"]  # the first problem, in sight
    assert seen["submitted"]["cut"] == [], seen["submitted"]
    if not open_sections:
        assert [opened["section"] for opened in seen["opened"]] == ["destination", "extra"]
        for opened in seen["opened"]:  # opened with Space: scrolled into view
            assert opened["toggle_whole"] and opened["first_field_whole"], opened
            assert opened["cut"] == [], opened


ROW_HEIGHT = 30
RowWidget = TypeVar("RowWidget", bound=QWidget)


def scroll_area_over(
    qtbot: QtBot, make: Callable[[str, QWidget], RowWidget]
) -> tuple[WholeRowsScrollArea, list[RowWidget]]:
    """A scroll area over twenty rows of one kind, each ROW_HEIGHT tall, shown."""
    content = QWidget()
    layout = QVBoxLayout(content)
    layout.setSpacing(10)
    made = []
    for number in range(20):
        row = make(f"Row {number}", content)
        row.setFixedHeight(ROW_HEIGHT)
        layout.addWidget(row)
        made.append(row)
    area = WholeRowsScrollArea(lambda: made)
    area.setWidgetResizable(True)
    area.setWidget(content)
    area.resize(300, 215)
    qtbot.addWidget(area)
    area.show()
    qtbot.waitExposed(area)
    return area, made


@pytest.fixture
def rows(qtbot: QtBot) -> tuple[WholeRowsScrollArea, list[QLabel]]:
    return scroll_area_over(qtbot, QLabel)


def cut_rows(area: WholeRowsScrollArea, labels: list[QLabel]) -> list[str]:
    edge = area.viewport().height()
    found = []
    for label in labels:
        top = label.mapTo(area.viewport(), QPoint(0, 0)).y()
        if top < edge < top + label.height():
            found.append(label.text())
    return found


def test_the_view_ends_above_a_row_it_would_cut(
    rows: tuple[WholeRowsScrollArea, list[QLabel]],
) -> None:
    area, labels = rows
    bar = area.verticalScrollBar()
    seen_trim = False
    for value in range(0, bar.maximum() + 1):
        bar.setValue(value)
        assert cut_rows(area, labels) == [], value
        seen_trim = seen_trim or area.trim > 0
    assert seen_trim, "some position must have needed a shorter view"


def test_at_the_end_the_view_is_whole_and_the_last_row_in_sight(
    rows: tuple[WholeRowsScrollArea, list[QLabel]],
) -> None:
    area, labels = rows
    bar = area.verticalScrollBar()
    bar.setValue(bar.maximum())
    bar.setValue(bar.maximum())  # again, once the range has settled
    assert area.trim == 0
    last = labels[-1]
    bottom = last.mapTo(area.viewport(), QPoint(0, last.height())).y()
    assert bottom <= area.viewport().height()


def test_a_view_that_shows_everything_gives_nothing_up(
    rows: tuple[WholeRowsScrollArea, list[QLabel]],
) -> None:
    area, labels = rows
    area.resize(300, 2000)
    assert area.trim == 0
    assert cut_rows(area, labels) == []


@pytest.fixture
def fields(qtbot: QtBot) -> tuple[WholeRowsScrollArea, list[QLineEdit]]:
    area, inputs = scroll_area_over(qtbot, QLineEdit)
    area.activateWindow()
    qtbot.waitUntil(area.isActiveWindow)
    return area, inputs


def in_sight(area: WholeRowsScrollArea, widget: QWidget) -> bool:
    top = widget.mapTo(area.viewport(), QPoint(0, 0)).y()
    return top >= 0 and top + widget.height() <= area.viewport().height()


@pytest.mark.parametrize("at_end", [True, False])
def test_a_field_given_focus_by_the_program_is_brought_into_sight(
    fields: tuple[WholeRowsScrollArea, list[QLineEdit]], at_end: bool
) -> None:
    """As a submit puts focus on the first problem: above the view scrolled to the end, or
    below (behind the strip given up) at the top."""
    area, inputs = fields
    bar = area.verticalScrollBar()
    inputs[10].setFocus(Qt.FocusReason.OtherFocusReason)
    bar.setValue(bar.maximum() if at_end else 0)
    target = inputs[0] if at_end else next(f for f in inputs if not in_sight(area, f))
    target.setFocus(Qt.FocusReason.OtherFocusReason)
    assert in_sight(area, target)
    assert cut_rows_of(area, inputs) == []


def test_a_field_clicked_is_not_moved(
    fields: tuple[WholeRowsScrollArea, list[QLineEdit]],
) -> None:
    """Under the pointer it stays: the view moves only for focus that did not come by a
    click (a half-shown field at the top is clicked where it is)."""
    area, inputs = fields
    bar = area.verticalScrollBar()
    inputs[10].setFocus(Qt.FocusReason.OtherFocusReason)
    bar.setValue(inputs[0].y() + ROW_HEIGHT - 8)  # the first field's last lines in sight
    before = bar.value()
    QTest.mouseClick(inputs[0], Qt.MouseButton.LeftButton, pos=QPoint(5, ROW_HEIGHT - 4))
    assert inputs[0].hasFocus()
    assert bar.value() == before


def cut_rows_of(area: WholeRowsScrollArea, widgets: list[QLineEdit]) -> list[str]:
    edge = area.viewport().height()
    return [
        field.text()
        for field in widgets
        if field.mapTo(area.viewport(), QPoint(0, 0)).y()
        < edge
        < field.mapTo(area.viewport(), QPoint(0, field.height())).y()
    ]


def test_a_field_in_sight_stays_in_sight_when_the_view_shrinks(
    fields: tuple[WholeRowsScrollArea, list[QLineEdit]], qtbot: QtBot
) -> None:
    """As the edit banner appearing above the form does, while the agent types in the
    lowest field in sight."""
    area, inputs = fields
    target = [field for field in inputs if in_sight(area, field)][-1]
    target.setFocus(Qt.FocusReason.OtherFocusReason)
    assert in_sight(area, target)
    height = area.height() - 60
    area.resize(area.width(), height)
    qtbot.waitUntil(lambda: area.height() == height)
    assert in_sight(area, target)
    assert cut_rows_of(area, inputs) == []


def test_a_field_scrolled_away_from_stays_away_when_the_view_shrinks(
    fields: tuple[WholeRowsScrollArea, list[QLineEdit]], qtbot: QtBot
) -> None:
    area, inputs = fields
    bar = area.verticalScrollBar()
    inputs[0].setFocus(Qt.FocusReason.OtherFocusReason)
    bar.setValue(bar.maximum())  # the agent scrolled down to read
    assert not in_sight(area, inputs[0])
    before = bar.value()
    height = area.height() - 60
    area.resize(area.width(), height)
    qtbot.waitUntil(lambda: area.height() == height)
    assert bar.value() == before


def typed_at_the_lower_edge(bench: Bench, qtbot: QtBot) -> tuple[Any, WholeRowsScrollArea, QWidget]:
    """The real window at 1024x640, its form scrolled so that the field being typed (a
    key typed in it) is the last one in sight, at the view's lower edge."""
    window = bench.open().window
    window.resize(1024, 640)
    area = window.findChild(WholeRowsScrollArea, "form_scroll")
    assert isinstance(area, WholeRowsScrollArea)
    bar, content = area.verticalScrollBar(), area.widget()
    assert content is not None
    qtbot.waitUntil(lambda: bar.maximum() > 0)  # the form scrolls
    for field in (field.widget for field in window.form.inputs.values()):
        if not field.isVisibleTo(window):
            continue
        field.setFocus(Qt.FocusReason.OtherFocusReason)
        bottom = field.mapTo(content, QPoint(0, field.height())).y()
        bar.setValue(bottom - area.viewport().height() + 2)
        if bar.value() > 0 and in_sight(area, field):
            break
    else:
        pytest.fail("no field could be put at the view's lower edge")
    QTest.keyClicks(field, "a")
    return window, area, field


def show_edit_banner(window: Any, area: WholeRowsScrollArea, qtbot: QtBot) -> None:
    banner = window.edit_banner
    before = area.height()
    banner.setText("Editing lead 7. Submit resends it as the same lead; Esc cancels.")
    banner.show()
    qtbot.waitUntil(lambda: area.height() <= before - banner.height())  # laid out anew


def test_the_field_being_typed_stays_in_sight_when_the_edit_banner_appears(
    bench: Bench, qtbot: QtBot
) -> None:
    window, area, field = typed_at_the_lower_edge(bench, qtbot)
    show_edit_banner(window, area, qtbot)
    assert in_sight(area, field), field.objectName()


def test_the_field_being_typed_keeps_its_place_when_the_edit_banner_appears(
    bench: Bench, qtbot: QtBot
) -> None:
    """The form gives up the banner's height at its top, not more: the field does not
    jump up the screen (a margin of Qt's own put it higher than it was)."""
    window, area, field = typed_at_the_lower_edge(bench, qtbot)
    before = field.mapTo(window, QPoint(0, 0)).y()
    show_edit_banner(window, area, qtbot)
    assert field.mapTo(window, QPoint(0, 0)).y() == before, field.objectName()


def test_the_view_follows_the_wheel_past_the_field_being_typed(
    fields: tuple[WholeRowsScrollArea, list[QLineEdit]],
) -> None:
    """The agent scrolls up a step at a time to read, focus in a field low in the view:
    each step goes where the wheel put it, the field going out of sight below. (The strip
    given up growing under the field resizes the viewport, which Qt reports to the scroll
    area's resizeEvent too: that is no notice shrinking the view.)"""
    area, inputs = fields
    bar = area.verticalScrollBar()
    bar.setValue(bar.maximum())
    target = [field for field in inputs if in_sight(area, field)][-1]
    target.setFocus(Qt.FocusReason.OtherFocusReason)
    for value in range(bar.maximum() - 1, -1, -1):
        bar.setValue(value)
        assert bar.value() == value, (value, bar.value())
    assert not in_sight(area, target)


def test_the_wheel_scrolls_up_past_comments_being_typed_in(bench: Bench, qtbot: QtBot) -> None:
    """The real window made short (1024x480), the agent typing in Comments at the end of
    the form, scrolls back up to read what was typed above: the view goes where the wheel
    puts it, a few pixels at a time, to the top."""
    window = bench.open().window
    window.resize(1024, 480)
    area = window.findChild(WholeRowsScrollArea, "form_scroll")
    assert isinstance(area, WholeRowsScrollArea)
    bar = area.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    comments = window.form.inputs["lead_comments"].widget
    comments.setFocus(Qt.FocusReason.OtherFocusReason)
    QTest.keyClicks(comments, "a")
    bar.setValue(bar.maximum())
    for value in range(bar.maximum() - 3, -1, -3):
        bar.setValue(value)
        assert bar.value() == value, (value, bar.value())
