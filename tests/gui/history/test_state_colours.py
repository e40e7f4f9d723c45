"""Each state's colour in the history reads at 4.5:1 or more (WCAG AA) on the rows of a
light and a dark palette, plain and alternating; the state is still an icon and a word."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

from leaddesk.domain.contrast import READABLE, contrast_ratio
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import State
from leaddesk.gui.history.cells import STATE_ICONS, STATE_LABELS, StateIcons, state_brush

Roles = QPalette.ColorRole


def palette_of(base: str, alternate: str, text: str) -> QPalette:
    palette = QPalette()
    for role, colour in (
        (Roles.Window, base),
        (Roles.Base, base),
        (Roles.AlternateBase, alternate),
        (Roles.Text, text),
        (Roles.WindowText, text),
    ):
        palette.setColor(role, QColor(colour))
    return palette


def fusion_light() -> QPalette:
    style = QStyleFactory.create("Fusion")
    assert style is not None
    return style.standardPalette()


def light() -> QPalette:
    return palette_of("#ffffff", "#f7f7f7", "#000000")


def dark() -> QPalette:  # a common dark theme's, the darkest the old colours failed on
    return palette_of("#1e1e1e", "#2b2b2b", "#ffffff")


def fusion_dark() -> QPalette:  # Qt's Fusion in dark mode: its alternating rows are lighter
    return palette_of("#2a2a2a", "#424242", "#ffffff")


PALETTES: dict[str, Callable[[], QPalette]] = {
    "light": light,
    "fusion light": fusion_light,
    "dark": dark,
    "fusion dark": fusion_dark,
}


def text_colour(state: State, palette: QPalette) -> str:
    brush = state_brush(state, palette)
    return (brush.color() if brush is not None else palette.color(Roles.Text)).name()


@pytest.mark.parametrize("name", list(PALETTES))
@pytest.mark.parametrize("state", list(State))
def test_every_state_colour_reads_on_the_palettes_rows(
    qapp: QApplication, state: State, name: str
) -> None:
    palette = PALETTES[name]()
    colour = text_colour(state, palette)
    for row in (Roles.Base, Roles.AlternateBase):
        ratio = contrast_ratio(colour, palette.color(row).name())
        assert ratio >= READABLE, (state, name, colour, row, round(ratio, 2))


@pytest.mark.parametrize("state", [s for s, look in STATE_LOOKS.items() if look.light])
def test_light_and_dark_palettes_get_their_own_colour(qapp: QApplication, state: State) -> None:
    assert text_colour(state, PALETTES["light"]()) == STATE_LOOKS[state].light
    assert text_colour(state, PALETTES["dark"]()) == STATE_LOOKS[state].dark


def test_a_palette_neither_colour_reads_on_falls_back_to_its_text(qapp: QApplication) -> None:
    grey = palette_of("#808080", "#808080", "#000000")
    assert state_brush(State.REJECTED, grey) is None


@pytest.mark.parametrize("state", list(State))
def test_the_state_is_still_an_icon_and_a_word(qapp: QApplication, state: State) -> None:
    assert STATE_LABELS[state]
    assert STATE_LOOKS[state].icon in STATE_ICONS
    assert not StateIcons().of(state).isNull()
