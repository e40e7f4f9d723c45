"""The table of how each state looks and reads: every state has every entry, and its colours
can be read (WCAG AA, 4.5:1) on the backgrounds they are meant for."""

from __future__ import annotations

import pytest

from leaddesk.domain.contrast import READABLE, contrast_ratio
from leaddesk.domain.state_words import STATE_LOOKS, StateLook
from leaddesk.domain.states import NEEDS_ATTENTION, State

WHITE = "#ffffff"
# Light table backgrounds: white, and the alternating rows' greys of common styles.
LIGHT_BASES = (WHITE, "#f7f7f7", "#efefef", "#e9e7e3")
# Dark ones: common dark themes' (the darkest, #1e1e1e, where the old colours read at 3:1),
# and Qt's Fusion dark palette's, and the lighter grey of alternating dark rows.
DARK_WINDOWS = ("#1e1e1e", "#19232d", "#2b2b2b", "#353535", "#424242")


def contrast(first: str, second: str) -> float:
    return contrast_ratio(first, second)


def test_the_contrast_function_agrees_with_known_figures() -> None:
    assert contrast("#000000", WHITE) == pytest.approx(21.0)
    assert contrast(WHITE, WHITE) == pytest.approx(1.0)
    assert contrast("#767676", WHITE) == pytest.approx(4.54, abs=0.01)  # the AA grey


@pytest.mark.parametrize("state", list(State))
def test_every_state_has_every_entry(state: State) -> None:
    look = STATE_LOOKS[state]
    assert isinstance(look, StateLook)
    for text in (look.label, look.advice, look.happened, look.icon):
        assert text.strip() == text and text, state
    assert look.label.lower() == state.value  # the command line says it so, mid-line
    assert not look.caution.endswith(".")  # sentences around it add their own
    assert (look.light is None) == (look.dark is None), state


def test_the_table_has_no_state_that_is_not_one() -> None:
    assert set(STATE_LOOKS) == set(State)


def test_states_that_need_attention_are_coloured_the_rest_in_the_palette_text() -> None:
    coloured = {state for state, look in STATE_LOOKS.items() if look.light is not None}
    assert coloured == NEEDS_ATTENTION | {State.ACCEPTED}


def test_each_state_has_its_own_icon_so_colour_is_never_alone() -> None:
    assert len({look.icon for look in STATE_LOOKS.values()}) == len(State)


def test_only_an_unconfirmed_lead_cautions_before_a_resend() -> None:
    cautious = {state for state, look in STATE_LOOKS.items() if look.caution}
    assert cautious == {State.UNCONFIRMED}


@pytest.mark.parametrize("base", LIGHT_BASES)
@pytest.mark.parametrize("state", list(State))
def test_light_colours_read_on_light_rows(state: State, base: str) -> None:
    colour = STATE_LOOKS[state].light
    if colour is not None:
        assert contrast(colour, base) >= READABLE, (state, colour, base)


@pytest.mark.parametrize("window", DARK_WINDOWS)
@pytest.mark.parametrize("state", list(State))
def test_dark_colours_read_on_a_dark_window(state: State, window: str) -> None:
    colour = STATE_LOOKS[state].dark
    if colour is not None:
        assert contrast(colour, window) >= READABLE, (state, colour, window)
