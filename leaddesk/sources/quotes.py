"""Quotes that open in a cell and do not close where they should.

The csv module then reads on, into the rows below, as part of one cell: those leads would
reach the dealer inside another lead's comments. Two signs of it are caught, row by row:
a line inside a cell that reads as a row of its own, and a quote still open at the end of
the file. A comment may hold line breaks, so a cell spanning lines is not wrong in itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Iterator

_LINE_BREAK = re.compile(r"\r\n?|\n")


class RecordLines:
    """The file's physical lines as the csv reader takes them (it reads no further than
    the record it is reading): which lines the last records came from."""

    def __init__(self, lines: Iterable[str], taken: int = 0) -> None:
        self._lines = lines
        self.taken = taken  # lines read so far, the header's included
        self.first = taken + 1  # the first line of the record being read
        self.previous_first = self.first
        self.record: list[str] = []
        self.previous: list[str] = []

    def __iter__(self) -> Iterator[str]:
        for line in self._lines:
            self.taken += 1
            self.record.append(line)
            yield line

    def next_record(self) -> None:
        self.previous, self.record = self.record, []
        self.previous_first, self.first = self.first, self.taken + 1


def swallowed_line(cell: str, delimiter: str, width: int) -> int | None:
    """Which line of a cell (1 for the second) reads as a row of its own: as many cells as
    the header names; None when none does."""
    if width < 2 or ("\n" not in cell and "\r" not in cell):
        return None
    for offset, line in enumerate(_LINE_BREAK.split(cell)[1:], start=1):
        if len(next(csv.reader([line], delimiter=delimiter), [])) == width:
            return offset
    return None


def ends_inside_quotes(text: str, delimiter: str) -> bool:
    """Whether a quoted cell is still open at the end of this text, read as the csv module
    reads (a quote opens a cell only as its first character; "" inside is a quote)."""
    if '"' not in text:
        return False
    quoted = closed_just_now = False
    field_start = True
    for char in text:
        if quoted:
            if char == '"':
                quoted, closed_just_now = False, True
            continue
        if closed_just_now:
            closed_just_now = False
            if char == '"':  # "" inside a quoted cell: the cell goes on
                quoted = True
                continue
        if char == '"' and field_start:
            quoted, field_start = True, False
            continue
        field_start = char in (delimiter, "\r", "\n")
    return quoted
