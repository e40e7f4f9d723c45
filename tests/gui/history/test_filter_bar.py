"""The history's search box: its clear button, made once there is something to clear."""

from __future__ import annotations

from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot

from leaddesk.gui.history.filter_bar import FilterBar
from tests.support.gui_helpers import click, type_text


def test_the_clear_button_comes_with_the_first_text_and_clears_it(qtbot: QtBot) -> None:
    bar = FilterBar()
    qtbot.addWidget(bar)
    bar.show()
    assert not bar.search.isClearButtonEnabled()  # an empty box: nothing to clear yet
    type_text(qtbot, bar.search, "smith")
    assert bar.search.isClearButtonEnabled()
    buttons = [button for button in bar.search.findChildren(QToolButton) if button.isVisible()]
    assert len(buttons) == 1, "one clear button, shown"
    with qtbot.waitSignal(bar.search_entered) as entered:
        click(qtbot, buttons[0])
        bar.search.returnPressed.emit()
    assert bar.search.text() == ""
    assert entered.args == [""]
    bar.search.setText("again")  # and it stays for later searches
    assert bar.search.isClearButtonEnabled()
