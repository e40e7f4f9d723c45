"""Server text made safe to show: whatever a server says, nothing that steers a terminal."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from leaddesk.domain.server_text import ELLIPSIS, printable

UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}
AWKWARD = st.sampled_from(
    ["\x00", "\x07", "\x1b", "\x1b[31m", "\x1b]0;title\x07", "\x7f", "\x85", "\x9b2J", "\u202e",
     "\u2066", "\u200b", "\ufeff", "\u2028", "\r\n", "\t", "\ud800", "é", "漢", " "]
)  # fmt: skip
SERVER_TEXT = st.lists(st.one_of(AWKWARD, st.characters(codec=None)), max_size=80).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=SERVER_TEXT, limit=st.integers(min_value=0, max_value=120))
@example(text="\x1b[2J\x1b[1;31mPWNED\x1b[0m", limit=50)
@example(text="abc\u202edef", limit=2)
def test_printable_leaves_nothing_that_steers_a_terminal(text: str, limit: int) -> None:
    shown = printable(text, limit)
    assert len(shown) <= limit
    assert not any(unicodedata.category(ch) in UNSAFE for ch in shown)
    assert shown == shown.strip()
    assert "  " not in shown
    assert printable(shown, limit) == shown  # already safe text is left as it is


@given(text=st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), max_size=60))
def test_plain_text_within_the_limit_is_unchanged(text: str) -> None:
    assert printable(text, 60) == text


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Not\x1b[31m Found\x1b[0m", "Not Found"),
        ("https://a.example/\x1b]8;;https://evil\x07x", "https://a.example/x"),
        ("line one\r\nline two", "line one line two"),
        ("\x9b2Jcleared", "cleared"),
        ("moved\u202e to", "moved to"),
        ("del\x7fete", "delete"),
    ],
)
def test_escape_codes_and_controls_are_removed(raw: str, shown: str) -> None:
    assert printable(raw) == shown


def test_long_text_is_cut_with_an_ellipsis() -> None:
    shown = printable("x" * 500, 40)
    assert shown == "x" * 39 + ELLIPSIS
