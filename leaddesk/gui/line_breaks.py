"""Places to break a line that Qt would not find: a label wraps its text only where the
text offers a break, so one long run (a Windows path, a dealer's words run together) sets
the label's width, and the window's with it."""

from __future__ import annotations

from PySide6.QtCore import QTextBoundaryFinder

# Where a line may break that Qt would not break it: a zero-width space, unseen.
LINE_BREAK = "\u200b"
UNBROKEN_RUN = 24  # code points without a place Qt would break, before one is offered


def breakable(text: str) -> str:
    """The text with a place to break the line after each backslash and in every long run
    of characters that offers none; it reads the same. Where a line may break is Qt's own
    word (a hyphen or a slash before a digit, or a no-break space, offers no place), and
    a mark goes only between characters as read, never inside an accented letter, a flag
    or an emoji made of several."""
    lines = _boundaries(QTextBoundaryFinder.BoundaryType.Line, text)
    characters = _boundaries(QTextBoundaryFinder.BoundaryType.Grapheme, text)
    marked: list[str] = []
    run = 0  # code points since the last place a line may break
    start = 0
    for end in sorted(characters):
        if start in lines:
            run = 0
        elif start > 0 and (run >= UNBROKEN_RUN or text[start - 1] == "\\"):
            marked.append(LINE_BREAK)
            run = 0
        marked.append(text[start:end])
        run += end - start
        start = end
    return "".join(marked)


def _boundaries(kind: QTextBoundaryFinder.BoundaryType, text: str) -> set[int]:
    """Where Qt finds a boundary of this kind, as indexes into `text` (Qt counts UTF-16
    units, a character beyond the first plane being two)."""
    index_of: dict[int, int] = {}
    unit = 0
    for index, character in enumerate(text):
        index_of[unit] = index
        unit += 2 if ord(character) > 0xFFFF else 1
    index_of[unit] = len(text)
    finder = QTextBoundaryFinder(kind, text)
    found: set[int] = set()
    position = finder.toNextBoundary()
    while position != -1:
        if position in index_of:  # not between the halves of one (Qt may say so)
            found.add(index_of[position])
        position = finder.toNextBoundary()
    return found
