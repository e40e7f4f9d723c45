"""Text cells a spreadsheet would take for formulas, made safe in exported CSV files.

A lead's comments, notes or name are what a caller said: "=HYPERLINK(...)" typed into
one becomes a live formula when a supervisor opens the export in Excel or LibreOffice
(CSV injection). A cell that starts as a formula would is written with an apostrophe in
front, which spreadsheets show as text and hide. Reading a CSV file takes that apostrophe
off again, so that an exported file sent with `leaddesk send` carries the lead's own
values, exactly.
"""

from __future__ import annotations

import re

# Spreadsheets start a formula at these; tab and carriage return can hide one after them.
_STARTS_A_FORMULA = re.compile(r"'*[=+\-@\t\r]")
_GUARDED = re.compile(r"'+[=+\-@\t\r]")


def guarded(cell: str) -> str:
    """The cell as it is written to a CSV file: an apostrophe before a would-be formula.

    Cells that already start with apostrophes before one get one more, so that
    `unguarded` gives back exactly what was guarded."""
    return "'" + cell if _STARTS_A_FORMULA.match(cell) else cell


def unguarded(cell: str) -> str:
    """The value of a cell read from a CSV file: the guard's apostrophe taken off."""
    return cell[1:] if _GUARDED.match(cell) else cell
