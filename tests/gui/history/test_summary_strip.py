"""The history's summary strip, in plain text: a long failure message is wrapped within
the narrowest history and shown whole, never widening the history (and so never taking
width from the form)."""

from __future__ import annotations

import itertools
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QTextBoundaryFinder
from PySide6.QtGui import QAccessible
from pytestqt.qtbot import QtBot

from leaddesk.gui.history.summary_strip import LINE_BREAK, UNBROKEN_RUN, SummaryStrip, breakable
from leaddesk.gui.window_layout import HISTORY_MIN_WIDTH
from leaddesk.history.history_query import Query
from leaddesk.history.store import Store

# Words, and a path whose parts a line may break between, as an export's failure reads.
LONG_FAILURE = (
    "Could not export 200 leads to /home/agent/Documents/LeadDesk/exports/2026-12-07/"
    "needs-attention-searched-for-rogers.csv: the folder is read-only; choose another "
    "folder, or ask whoever looks after this computer to let you write there."
)


def test_a_long_failure_message_wraps_within_the_narrowest_history(
    qtbot: QtBot, tmp_path: Path
) -> None:
    database = tmp_path / "history.sqlite3"
    with Store(database):
        pass
    strip = SummaryStrip(database, Query)
    qtbot.addWidget(strip)
    try:
        strip.show_message(LONG_FAILURE)
        strip.resize(HISTORY_MIN_WIDTH, strip.heightForWidth(HISTORY_MIN_WIDTH))
        strip.show()
        assert strip.text() == LONG_FAILURE
        assert strip.minimumSizeHint().width() <= HISTORY_MIN_WIDTH
        lines = strip.height() // strip.fontMetrics().lineSpacing()
        assert lines >= 3, strip.height()  # all of it, on as many lines as it takes
    finally:
        strip.stop()


# What no word wrap could break: a Windows path, and one long run of text.
UNBROKEN_FAILURES = (
    "Could not export to C:\\Users\\agent.okafor\\Documents\\LeadDesk\\exports\\2026"
    "\\December\\NeedsAttentionSearchedForRogersAndOkafor.csv: the folder is read-only.",
    "The dealer said: " + "X" * 160,
    # Qt breaks no line between a hyphen or a slash and a digit, nor at a no-break space.
    "Exported 200 leads to /home/agent/leads-2026-12-07-2026-12-31-000123-000456-000789"
    "-000999-000111-000222-000333.csv.",
    "Exported 200 leads to /home/agent/exports/2026/12/07/2026/12/31/000123/000456/000789"
    "/000999/000111/000222/000333.csv.",
    "The dealer said: Rejected:\u00a0duplicate\u00a0lead\u00a0for\u00a0this\u00a0phone"
    "\u00a0number\u00a0within\u00a030\u00a0days;\u00a0ask\u00a0the\u00a0dealer\u00a0before"
    "\u00a0sending\u00a0it\u00a0again.",
)


@pytest.fixture
def strip(qtbot: QtBot, tmp_path: Path) -> SummaryStrip:
    database = tmp_path / "history.sqlite3"
    with Store(database):
        pass
    made = SummaryStrip(database, Query)
    qtbot.addWidget(made)
    return made


@pytest.mark.parametrize("message", UNBROKEN_FAILURES)
def test_a_message_no_word_wrap_could_break_still_fits_the_narrowest_history(
    strip: SummaryStrip, message: str
) -> None:
    try:
        strip.show_message(message)
        # Before, the strip asked for the whole run's width: 1323 px for 160 letters.
        assert strip.minimumSizeHint().width() <= HISTORY_MIN_WIDTH
        assert strip.text().replace(LINE_BREAK, "") == message  # every character shown
        spoken = QAccessible.queryAccessibleInterface(strip)
        assert spoken is not None
        assert spoken.text(QAccessible.Text.Name) == message  # said without the marks
    finally:
        strip.stop()


def test_the_figures_are_said_as_shown_after_a_failure(strip: SummaryStrip) -> None:
    try:
        strip.show_message("The history could not be read: disk I/O error.")
        strip.refresh()  # counted again: the figures replace the failure
        spoken = QAccessible.queryAccessibleInterface(strip)
        assert spoken is not None
        assert spoken.text(QAccessible.Text.Name) == strip.text()
        assert "disk" not in spoken.text(QAccessible.Text.Name)
    finally:
        strip.stop()


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
