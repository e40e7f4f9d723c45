"""How each lead state looks and reads, in one table: its label, what to do about it, the
words of a notice, its icon and its colours. The window and the command line both read it,
so a new state is one row here (tests/domain/test_state_words.py fails until it has every entry).

No Qt here: the icon is a name the window maps to its own icon, colours are hex strings."""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.domain.states import State


@dataclass(frozen=True)
class StateLook:
    label: str  # the word for it in the table and the details: "Accepted"
    advice: str  # what it means for the agent, and what to do next
    happened: str  # a notice's verb phrase: "Lead 7 (Ann Lee) was rejected by the dealer"
    caution: str  # said before a resend, or "" when a resend is safe; no full stop
    icon: str  # the window's icon for it (leaddesk.gui.history.cells maps the name)
    # Colour goes with an icon and a word, never alone (colour-blind agents, grey screens).
    # None: the palette's own text colour. Each reads at 4.5:1 or more (WCAG AA): light on
    # white and the light greys of alternating rows (down to #e9e7e3), dark on dark bases
    # from #19232d to #424242. The window picks whichever reads on its palette, or the
    # palette's text colour when neither does (leaddesk.gui.history.cells.state_brush).
    light: str | None
    dark: str | None


_RED_LIGHT, _RED_DARK = "#b71c1c", "#ffa8a0"

STATE_LOOKS: dict[State, StateLook] = {
    State.QUEUED: StateLook(
        label="Queued",
        advice="Waiting to be sent; it goes out by itself.",
        happened="is waiting to be sent",
        caution="",
        icon="retry",
        light=None,
        dark=None,
    ),
    State.SENDING: StateLook(
        label="Sending",
        advice="Being sent now.",
        happened="is being sent",
        caution="",
        icon="upload",
        light=None,
        dark=None,
    ),
    State.ACCEPTED: StateLook(
        label="Accepted",
        advice="The dealer has it.",
        happened="was accepted by the dealer",
        caution="",
        icon="done",
        light="#1b5e20",
        dark="#81c784",
    ),
    State.REJECTED: StateLook(
        label="Rejected",
        advice="The dealer refused it: fix what the errors say, then Edit and resend.",
        happened="was rejected by the dealer",
        caution="",
        icon="refused",
        light=_RED_LIGHT,
        dark=_RED_DARK,
    ),
    State.FAILED: StateLook(
        label="Failed",
        advice="It never reached the dealer: resend it when the network or server is back.",
        happened="could not be delivered",
        caution="",
        icon="failed",
        light=_RED_LIGHT,
        dark=_RED_DARK,
    ),
    State.UNCONFIRMED: StateLook(
        label="Unconfirmed",
        advice=(
            "It may have reached the dealer, but no answer came back. Check with the dealer "
            "before resending: a resend may create a duplicate."
        ),
        happened="is unconfirmed",
        caution="Check with the dealer before resending",
        icon="unsure",
        light="#8a5100",
        dark="#ffb74d",
    ),
}
