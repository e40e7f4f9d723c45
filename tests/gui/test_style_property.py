"""Marked widgets look marked, on a light and a dark palette, without an application-wide
stylesheet: a field's message in the error colour, an invalid input framed and tinted
(seen in its pixels, every kind of input) without changing its size, banners and notices
on their backgrounds, and all of it again in the new colours when the system's palette or
colour scheme changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
import shiboken6
from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFrame,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from leaddesk.domain.contrast import READABLE, contrast_ratio
from leaddesk.gui.app import create_application
from leaddesk.gui.field_message import FieldMessage
from leaddesk.gui.invalid_frame import InvalidFrame
from leaddesk.gui.style_property import (
    ERROR_ROLE,
    apply_look,
    colours,
    refresh_looks,
    set_style_property,
)

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
    message.setText("ZIP must be 5 digits, or ZIP+4 like 83660-1234.")
    expected = colours(QApplication.palette())["error"]
    assert message.palette().color(Roles.WindowText).name() == expected


def edge_colours(widget: QWidget) -> set[str]:
    """The colours on the input's left edge, as the window shows it (its parent's grab)."""
    parent = widget.parentWidget()
    assert parent is not None
    image = parent.grab(widget.geometry()).toImage()
    middle = image.height() // 2
    return {str(image.pixelColor(x, middle).name()) for x in range(3)}


def inside(widget: QWidget) -> str:
    parent = widget.parentWidget()
    assert parent is not None
    image = parent.grab(widget.geometry()).toImage()
    return str(image.pixelColor(image.width() // 2 + 30, image.height() // 2).name())


def plain_combo(parent: QWidget) -> QComboBox:
    combo = QComboBox(parent)
    combo.addItems(["Not set", "Own", "Rent"])
    return combo


def editable_combo(parent: QWidget) -> QComboBox:
    combo = plain_combo(parent)
    combo.setEditable(True)
    return combo


INPUT_KINDS: dict[str, Callable[[QWidget], QWidget]] = {
    "line": QLineEdit,
    "drop-down": plain_combo,
    "editable drop-down": editable_combo,
    "comments": QPlainTextEdit,
}


@pytest.mark.parametrize("kind", INPUT_KINDS)
def test_an_invalid_input_is_framed_and_keeps_its_size_and_place(qtbot: QtBot, kind: str) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    column = QVBoxLayout(box)
    field, below = INPUT_KINDS[kind](box), QLineEdit(box)
    column.addWidget(field)
    column.addWidget(below)
    box.resize(300, 200)
    box.show()
    qtbot.waitExposed(box)
    error = colours(QApplication.palette())["error"]
    assert error not in edge_colours(field)
    before = (field.geometry(), below.geometry(), field.sizeHint())
    set_style_property(field, "invalid", True)
    qtbot.waitUntil(lambda: error in edge_colours(field))
    assert (field.geometry(), below.geometry(), field.sizeHint()) == before
    set_style_property(field, "invalid", False)
    qtbot.waitUntil(lambda: error not in edge_colours(field))
    assert field.styleSheet() == ""


def test_an_invalid_line_is_tinted_inside_too(qtbot: QtBot) -> None:
    box = QWidget()
    qtbot.addWidget(box)
    line = QLineEdit(box)
    QVBoxLayout(box).addWidget(line)
    box.show()
    qtbot.waitExposed(box)
    plain = inside(line)
    set_style_property(line, "invalid", True)
    assert inside(line) == colours(QApplication.palette())["notice"]
    set_style_property(line, "invalid", False)
    assert inside(line) == plain


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
def test_the_frame_stands_out_from_the_input_and_the_window(scheme: tuple[str, str]) -> None:
    """WCAG's 3:1 for what is not text, against the input's inside and the window."""
    window, _text = scheme
    colour = colours(palette_of(*scheme))
    assert contrast_ratio(colour["error"], window) >= 3
    assert contrast_ratio(colour["error"], colour["notice"]) >= 3


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


def test_a_new_palette_restyles_what_is_marked(
    qtbot: QtBot, qapp: QApplication, app_palette: None
) -> None:
    create_application()  # it follows the palette from then on
    message = FieldMessage()
    message.setText("Phone 1 must be a 10-digit US or Canadian number.")
    line = QLineEdit()
    hint = QPushButton("History · F9")
    hint.setObjectName("history_hint")
    apply_look(hint)
    for widget in (message, line, hint):
        qtbot.addWidget(widget)
    set_style_property(line, "invalid", True)
    for scheme in (LIGHT, DARK):
        palette = palette_of(*scheme)
        QApplication.setPalette(palette)  # as the system does when its theme changes
        expected = colours(palette)
        assert message.palette().color(Roles.WindowText).name() == expected["error"]
        assert line.palette().color(Roles.Base).name() == expected["notice"]
        effect = line.graphicsEffect()
        assert isinstance(effect, InvalidFrame) and effect.colour() == expected["error"]
        assert palette.color(Roles.Mid).name() in hint.styleSheet()


def test_a_colour_scheme_change_restyles_what_is_marked(
    qtbot: QtBot, qapp: QApplication, app_palette: None
) -> None:
    create_application()
    message = FieldMessage()
    qtbot.addWidget(message)
    message.setText("City is required.")
    dark = palette_of(*DARK)
    with QSignalBlocker(qapp):  # the palette alone, as if no palette signal came
        QApplication.setPalette(dark)
    qapp.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert message.palette().color(Roles.WindowText).name() == colours(dark)["error"]
    # What is not marked keeps the palette's own text colour.
    assert message.palette().color(Roles.Window).name() == DARK[0]


def test_a_new_palette_passes_over_a_marked_widget_qt_has_deleted(
    qtbot: QtBot, qapp: QApplication, app_palette: None
) -> None:
    """A marked widget that Qt deleted while Python still holds it (a closed dialog's
    label, say) is left out; the others still get their new look."""
    gone = QLabel("gone")
    set_style_property(gone, "role", ERROR_ROLE)
    kept = QLabel("kept")
    qtbot.addWidget(kept)
    set_style_property(kept, "role", ERROR_ROLE)
    shiboken6.delete(gone)  # the C++ widget only: `gone` is still a Python object
    dark = palette_of(*DARK)
    QApplication.setPalette(dark)
    refresh_looks(qapp)
    assert kept.palette().color(Roles.WindowText).name() == colours(dark)["error"]
