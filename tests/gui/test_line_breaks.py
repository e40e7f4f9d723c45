"""Where breakable() offers a line break: only between characters as read, and wherever
Qt would otherwise lay out a long run on one line; the text reads the same."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QTextBoundaryFinder

from leaddesk.gui.line_breaks import LINE_BREAK, UNBROKEN_RUN, breakable

# Characters read as one though written with several: a letter and its accent, a flag, a
# family, a Devanagari syllable; each after an odd number of letters, so that a mark every
# so many code points would fall inside them.
ONE_AS_READ = (
    "e\u0301",
    "\U0001f1fa\U0001f1f8",
    "\U0001f468\u200d\U0001f469\u200d\U0001f467",
    "स्ते",
)


def joined_to_the_one_before(text: str, index: int) -> bool:
    """Whether text[index] belongs with the character before it (Unicode's grapheme rules,
    the cases of ONE_AS_READ): an accent or a vowel sign, a joiner or what it joins, a
    variation selector, or a flag's second letter."""
    here, before = text[index], text[index - 1]
    regional = range(0x1F1E6, 0x1F200)
    if ord(here) in regional and ord(before) in regional:
        run = 0
        while index - 1 - run >= 0 and ord(text[index - 1 - run]) in regional:
            run += 1
        return run % 2 == 1
    joiners = "\u200d\u094d"  # a zero-width joiner, a Devanagari virama
    return unicodedata.category(here).startswith("M") or here in joiners or before in joiners


def mark_places(marked: str) -> list[int]:
    """Where the marks went, as indexes into the text without them."""
    places, seen = [], 0
    for character in marked:
        if character == LINE_BREAK:
            places.append(seen)
        else:
            seen += 1
    return places


@pytest.mark.parametrize("one", ONE_AS_READ)
def test_a_mark_never_parts_what_reads_as_one_character(one: str) -> None:
    text = "Could not export to /home/agent/" + "a" + one * 40 + ".csv"
    marked = breakable(text)
    assert marked.replace(LINE_BREAK, "") == text
    for place in mark_places(marked):
        assert not joined_to_the_one_before(text, place), (place, marked)


def boundaries(kind: QTextBoundaryFinder.BoundaryType, text: str) -> set[int]:
    """Qt's boundaries of this kind, as indexes of code points (Qt counts UTF-16 units)."""
    units, index_of = 0, {}
    for index, character in enumerate(text):
        index_of[units] = index
        units += 2 if ord(character) > 0xFFFF else 1
    index_of[units] = len(text)
    finder = QTextBoundaryFinder(kind, text)
    found, position = set(), finder.toNextBoundary()
    while position != -1:
        if position in index_of:  # Qt may find one between a character's two halves
            found.add(index_of[position])
        position = finder.toNextBoundary()
    return found


# Any text, with more of what decides where a line may break or a character ends.
DECIDING = st.sampled_from(
    ["a", "1", "-", "/", "\\", " ", "\u00a0", "\u0301", "\u200d", "\U0001f1fa"]
)


@settings(max_examples=500)
@given(st.text(st.characters() | DECIDING))
def test_break_marks_only_add_places_to_break(text: str) -> None:
    text = text.replace(LINE_BREAK, "")
    marked = breakable(text)
    assert marked.replace(LINE_BREAK, "") == text
    # Only between characters as read...
    assert set(mark_places(marked)) <= boundaries(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    # ...and wherever Qt would otherwise lay out a long run on one line, a place to break:
    # a run goes on only to the end of the character it has reached.
    breaks = sorted(boundaries(QTextBoundaryFinder.BoundaryType.Line, marked))
    for start, end in itertools.pairwise([0, *breaks]):
        run = marked[start:end].rstrip(LINE_BREAK)
        characters = sorted(boundaries(QTextBoundaryFinder.BoundaryType.Grapheme, run))
        last = characters[-2] if len(characters) > 1 else 0
        assert len(run[:last].replace(LINE_BREAK, "")) <= UNBROKEN_RUN, (text, marked)
