"""Marked widgets look marked, on a light and a dark palette, without an application-wide
stylesheet: a field's message in the error colour, an invalid input tinted (seen in its
pixels) without changing its size, banners and notices on their backgrounds, and all of it
again in the new colours when the system switches between light and dark."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLineEdit, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from leaddesk.domain.contrast import READABLE, contrast_ratio
from leaddesk.gui.app import create_application
from leaddesk.gui.field_message import FieldMessage
from leaddesk.gui.style_property import apply_look, colours, refresh_looks, set_style_property

Roles = QPalette.ColorRole


def palette_of(window: str, text: str) -> QPalette:
    palette = QPalette(QApplication.palette())
    for role in (Roles.Window, Roles.Base):
        palette.setColor(role, QColor(window))
    for role in (Roles.WindowText, Roles.Text, Roles.ButtonText):
        palette.setColor(role, QColor(text))
    return palette


LIGHT = ("#ffffff", "#000000")
DARK = ("#1e1e1e", "#ffffff")


@pytest.fixture
def app_palette(qapp: QApplication) -> Iterator[None]:
    before = QApplication.palette()
    yield
    QApplication.setPalette(before)
    refresh_looks(qapp)


def test_the_application_has_no_stylesheet_of_its_own(qapp: QApplication) -> None:
    """One for the whole application would have Qt draw every widget through its
    stylesheet engine, and slow the form's first frame."""
    assert create_application().styleSheet() == ""


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_error_colour_reads_on_the_window(scheme: tuple[str, str]) -> None:
    window, _text = scheme
    colour = colours(palette_of(*scheme))
    assert contrast_ratio(colour["error"], window) >= READABLE
    # Text on a notice or a banner is the palette's own text colour.
    assert contrast_ratio(colour["warning"], scheme[1]) >= READABLE
    assert contrast_ratio(colour["notice"], scheme[1]) >= READABLE


def test_a_field_message_is_in_the_error_colour(qtbot: QtBot) -> None:
    message = FieldMessage()
    qtbot.addWidget(message)
    expected = colours(QApplication.palette())["error"]
    assert message.palette().color(Roles.WindowText).name() == expected


def inside(widget: QWidget) -> str:
    image = widget.grab().toImage()
    return str(image.pixelColor(image.width() - 12, image.height() // 2).name())


def test_an_invalid_input_is_tinted_and_keeps_its_size_and_place(qtbot: QtBot) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    column = QVBoxLayout(box)
    line, below = QLineEdit(box), QLineEdit(box)
    column.addWidget(line)
    column.addWidget(below)
    box.show()
    qtbot.waitExposed(box)
    tint = colours(QApplication.palette())["notice"]
    plain = inside(line)
    assert plain != tint
    before = (line.geometry(), below.geometry(), line.sizeHint())
    set_style_property(line, "invalid", True)
    assert inside(line) == tint
    assert (line.geometry(), below.geometry(), line.sizeHint()) == before
    set_style_property(line, "invalid", False)
    assert inside(line) == plain
    assert line.styleSheet() == ""


def test_a_label_marked_as_an_error_and_unmarked_again(qtbot: QtBot) -> None:
    label = QLabel("2 need attention")
    qtbot.addWidget(label)
    plain = label.palette().color(Roles.WindowText).name()
    set_style_property(label, "role", "field-error")
    assert label.palette().color(Roles.WindowText).name() == colours(label.palette())["error"]
    set_style_property(label, "role", "")
    assert label.palette().color(Roles.WindowText).name() == plain


def test_banners_and_notices_have_their_backgrounds(qtbot: QtBot) -> None:
    colour = colours(QApplication.palette())
    banner = QLabel("Demo mode")
    banner.setObjectName("demo_banner")
    apply_look(banner)
    notice = QFrame()
    notice.setObjectName("notice")
    set_style_property(notice, "severity", "error")
    for widget in (banner, notice):
        qtbot.addWidget(widget)
        widget.resize(200, 40)
        widget.show()
        qtbot.waitExposed(widget)
    middle = banner.grab().toImage().pixelColor(100, 20).name()
    assert middle == colour["warning"]
    assert notice.grab().toImage().pixelColor(100, 20).name() == colour["notice"]


def test_switching_to_dark_restyles_what_is_marked(
    qtbot: QtBot, qapp: QApplication, app_palette: None
) -> None:
    message = FieldMessage()
    line = QLineEdit()
    for widget in (message, line):
        qtbot.addWidget(widget)
    set_style_property(line, "invalid", True)
    light_error = colours(palette_of(*LIGHT))["error"]
    dark_error = colours(palette_of(*DARK))["error"]
    QApplication.setPalette(palette_of(*LIGHT))
    refresh_looks(qapp)
    assert message.palette().color(Roles.WindowText).name() == light_error
    assert line.palette().color(Roles.Base).name() == colours(palette_of(*LIGHT))["notice"]
    QApplication.setPalette(palette_of(*DARK))
    refresh_looks(qapp)
    assert message.palette().color(Roles.WindowText).name() == dark_error
    assert line.palette().color(Roles.Base).name() == colours(palette_of(*DARK))["notice"]
    # What is not marked keeps the palette's own text colour.
    assert message.palette().color(Roles.Window).name() == DARK[0]
