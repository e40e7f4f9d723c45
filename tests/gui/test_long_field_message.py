"""A field message longer than its two lines (a dealer's own words placed at the field
for Edit and resend, or any text not LeadDesk's) moves no field: the line keeps its
height, shows what fits ending in "… (F8: whole text)", and the whole text is in the
notices list and the field's accessible description. And the status bar's "History ·
F9" while the history is a closed panel."""

from __future__ import annotations

from PySide6.QtCore import QPoint, QSize, Qt
from PySide6.QtGui import QAccessible, QFontMetrics
from PySide6.QtWidgets import QApplication, QStyle
from pytestqt.qtbot import QtBot

from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import Outcome
from leaddesk.gui.field_message import CUT_SUFFIX, RESERVED_LINES, FieldMessage, fit_to_lines
from leaddesk.gui.window_layout import HISTORY_MIN_WIDTH
from leaddesk.history.store import Store
from tests.support.gui_helpers import Bench, Rig, click, focused, press, type_text
from tests.support.history_states import settle

DEALER_ON_LAST_NAME = (
    "Last name matches a customer who asked not to be called again; confirm with the "
    "customer that this is a new household, then add a note for the dealer before "
    "resending this lead (reference DNC-2291-77, compliance desk)."
)
DEALER_ON_PHONE = (
    "phone1 is on the dealer's do-not-call list since 2024-03-01; a lead with this number "
    "is refused until the customer gives written consent to the dealer's office."
)


def places(rig: Rig) -> dict[str, tuple[QPoint, QSize]]:
    """Where each input in sight is in the window, and its size."""
    return {
        name: (field.widget.mapTo(rig.window, QPoint(0, 0)), field.widget.size())
        for name, field in rig.form.inputs.items()
        if field.widget.isVisible()
    }


def at_the_narrowest_form(qtbot: QtBot, rig: Rig) -> None:
    """The window as narrow as keeps the history beside the form: the form at the width
    it asks for, the least room its messages get on any screen."""
    window, place = rig.window, rig.window.history_place
    separator = window.style().pixelMetric(QStyle.PixelMetric.PM_DockWidgetSeparatorExtent)
    window.resize(place.form_width() + HISTORY_MIN_WIDTH + separator, 720)
    qtbot.waitUntil(lambda: not place.narrow and window.history_dock.isVisible())
    QApplication.processEvents()


def message_line(rig: Rig, name: str) -> FieldMessage:
    line = rig.form.findChild(FieldMessage, f"{name}_error")
    assert isinstance(line, FieldMessage)
    return line


def assert_cut_within_its_lines(line: FieldMessage, whole: str) -> None:
    reserved = line.fontMetrics().lineSpacing() * RESERVED_LINES
    assert line.height() == reserved, "the line grew"
    assert line.is_cut() and line.whole_text() == whole
    shown = line.text()
    assert shown.endswith(CUT_SUFFIX) and shown.count("\n") == RESERVED_LINES - 1, shown
    metrics = line.fontMetrics()
    assert all(metrics.horizontalAdvance(part) <= line.width() for part in shown.split("\n"))
    assert line.accessibleName() == whole


def test_a_long_message_above_the_field_being_typed_moves_no_field(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    at_the_narrowest_form(qtbot, rig)
    phone = rig.form.inputs["phone1"].widget
    click(qtbot, phone)
    type_text(qtbot, phone, "801")
    before = places(rig)

    line = message_line(rig, "fname")
    line.setText(DEALER_ON_LAST_NAME + " " + DEALER_ON_PHONE)  # any text, as long as it comes
    QApplication.processEvents()
    assert places(rig) == before, "a field moved"
    assert_cut_within_its_lines(line, DEALER_ON_LAST_NAME + " " + DEALER_ON_PHONE)
    assert rig.notices() == [f"First name: {DEALER_ON_LAST_NAME} {DEALER_ON_PHONE}"]
    type_text(qtbot, phone, "5551234")
    assert focused() == "phone1" and rig.form.values()["phone1"].endswith("555-1234")

    line.setText("First name is required.")
    QApplication.processEvents()
    assert places(rig) == before
    assert line.text() == "First name is required." and not line.is_cut()
    assert rig.notices() == [], "the whole text's notice goes with the cut message"


def test_edit_and_resend_shows_a_long_dealer_error_at_its_field_without_moving_fields(
    qtbot: QtBot, bench: Bench
) -> None:
    sandbox = bench.sandbox()
    store = Store(bench.paths.database())
    lead = Lead.parse({"fname": "Joe", "lname": "Rogers", "city": "Salt Lake City",
                       "state": "UT", "phone1": "8015551234", "source_id": "SRC1"})  # fmt: skip
    lead_id = store.add(lead, sandbox.url())
    settle(store, Outcome.REJECTED, DEALER_ON_LAST_NAME, DEALER_ON_PHONE)
    store.close()
    rig = bench.open(sandbox.url())
    at_the_narrowest_form(qtbot, rig)

    rig.window.edit_lead(lead_id)
    QApplication.processEvents()
    assert focused() == "lname", "focus on the first field the dealer named"
    before = places(rig)
    for name, said in (("lname", DEALER_ON_LAST_NAME), ("phone1", DEALER_ON_PHONE)):
        assert_cut_within_its_lines(message_line(rig, name), said)
        widget = rig.form.inputs[name].widget
        assert widget.accessibleDescription() == f"Invalid: {said}"
        assert said in rig.notices(), "named by the dealer: no label before it"

    last_name = rig.form.inputs["lname"].widget
    press(qtbot, last_name, Qt.Key.Key_End)
    type_text(qtbot, last_name, "s")  # the fix, checked as it is typed: no message now
    QApplication.processEvents()
    assert rig.form.problem_text("lname") == ""
    assert places(rig) == before, "a field moved while Last name was typed"
    assert rig.notices() == [DEALER_ON_PHONE]


def test_a_cut_message_is_whole_again_where_the_form_is_wider(qtbot: QtBot, bench: Bench) -> None:
    rig = bench.open()
    at_the_narrowest_form(qtbot, rig)
    line = message_line(rig, "fname")
    line.setText(DEALER_ON_PHONE)
    QApplication.processEvents()
    assert line.is_cut() and rig.notices() == [f"First name: {DEALER_ON_PHONE}"]

    rig.window.resize(1024, 700)  # the history a panel: the form has the whole width
    qtbot.waitUntil(lambda: rig.window.history_place.narrow and not line.is_cut())
    assert line.text() == DEALER_ON_PHONE
    assert rig.notices() == []


def test_a_word_longer_than_the_line_is_broken_not_cut_at_the_edge(qtbot: QtBot) -> None:
    line = FieldMessage()
    qtbot.addWidget(line)
    metrics = QFontMetrics(line.font())
    url = "https://dealer.example.com/" + "x" * 400
    shown, cut = fit_to_lines(f"See {url} for why.", line.font(), 240)
    assert cut and shown.endswith(CUT_SUFFIX) and shown.count("\n") == 1
    assert all(metrics.horizontalAdvance(part) <= 240 for part in shown.split("\n"))
    word = "x" * 60  # wider than one line, narrower than two
    shown, cut = fit_to_lines(word, line.font(), metrics.horizontalAdvance(word) * 2 // 3)
    assert not cut and shown.replace("\n", "") == word


# --- "History · F9" -------------------------------------------------------------------


def spoken_name(widget: object) -> str:
    interface = QAccessible.queryAccessibleInterface(widget)  # type: ignore[arg-type]
    assert interface is not None
    return interface.text(QAccessible.Text.Name)


def test_the_status_bar_says_f9_opens_the_history_while_it_is_a_closed_panel(
    qtbot: QtBot, bench: Bench
) -> None:
    rig = bench.open()
    window = rig.window
    hint = window.status_line.history_hint
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.history_place.narrow and hint.isVisible())
    assert hint.text() == "History · F9"
    assert spoken_name(hint) == "History closed: press F9 to open it"
    window.show_result("Lead 1234567 (Alexandria Featherstonehaugh) accepted — customer 12345678.")
    QApplication.processEvents()
    assert window.result_label.width() >= window.result_label.sizeHint().width(), "result cut"
    assert hint.width() >= hint.sizeHint().width(), "hint cut"
    bar = window.statusBar().height()

    press(qtbot, rig.form.inputs["fname"].widget, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: window.history_dock.isVisible() and not hint.isVisible())
    QApplication.processEvents()
    assert window.statusBar().height() == bar, "the hint going changed the status bar's height"
    press(qtbot, window.history.table, Qt.Key.Key_F9)
    qtbot.waitUntil(lambda: not window.history_dock.isVisible() and hint.isVisible())
    click(qtbot, hint)  # a click opens it as F9 does
    qtbot.waitUntil(lambda: window.history_dock.isVisible() and not hint.isVisible())
    press(qtbot, window.history.table, Qt.Key.Key_Escape)
    qtbot.waitUntil(hint.isVisible)

    window.resize(window.history_place.form_width() + HISTORY_MIN_WIDTH + 200, 720)
    qtbot.waitUntil(lambda: not window.history_place.narrow)
    assert window.history_dock.isVisible() and not hint.isVisible(), "beside the form: no hint"
