"""Text cells a spreadsheet would take for formulas, made safe in exported CSV files.

A lead's comments, notes or name are what a caller said: "=HYPERLINK(...)" typed into
one becomes a live formula when a supervisor opens the export in Excel or LibreOffice
(CSV injection). So an apostrophe goes before anything a spreadsheet would start a
formula with: at the start of a cell, and after every semicolon, tab or line break inside
one, where a spreadsheet reading the file with semicolons or tabs as separators (Excel in
many locales, or LibreOffice as asked) starts a new cell or row. Spreadsheets keep the
apostrophe as text: Excel shows the value without it, LibreOffice with it.

Reading a CSV file (`leaddesk send`) takes those apostrophes off again, so that an
exported file sent again carries the lead's own values, exactly. A hand-made file loses
an apostrophe written before =, +, -, @, a tab or a carriage return in the same places.
The price of the guard: in the export, a note's line that starts with a dash shows one
("'- call after 5").
"""

from __future__ import annotations

import re

# Where a spreadsheet may start a cell: the start, after a semicolon or tab (one of its
# separators in many locales), or after a line break (a new row, for a spreadsheet that
# reads the file with those separators and so sees no quotes); there, what starts a
# formula, after any apostrophes already there (so that taking the guard off gives back
# exactly what was guarded).
_FORMULA_START = re.compile(r"(?:^|(?<=[;\t\r\n]))(?='*[=+\-@\t\r])")
_GUARD = re.compile(r"(?:^|(?<=[;\t\r\n]))'(?='*[=+\-@\t\r])")


def guarded(cell: str) -> str:
    """The cell as it is written to a CSV file: an apostrophe before each would-be formula."""
    return _FORMULA_START.sub("'", cell)


def unguarded(cell: str) -> str:
    """The value of a cell read from a CSV file: the guard's apostrophes taken off."""
    return _GUARD.sub("", cell)
