"""Whether a pipe file's first row is a header or the first lead of VICIdial's standard
import (no header row: its columns are known by position).

A wrong answer one way sends a header's rows by position (a first name as the vendor code,
another number as the phone); the other way only costs the first row, which VICIdial's
loader skips anyway when its phone is missing. So the first row, when it has no phone
number LeadDesk can read, is a lead only on a lead's evidence, never because it looks
unlike a header:

- a header's evidence: a cell that is a column name the readers know (a SecurityTrax name
  or one of its aliases, a known layout's column, a name the person's map places);
- a lead's evidence: a cell that is a lead's value where the import has that value (a ZIP,
  an email, another phone number); no column name is any of these. (Not a date: a report
  with a column a day names its columns by dates.)

A row with both, or neither, is not guessed at: the file is refused with what to do.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from leaddesk.domain.fields import FieldProblem, clean_field
from leaddesk.domain.us_states import state_code
from leaddesk.sources.field_names import securitytrax_field, spelling_key
from leaddesk.sources.layouts import LAYOUTS, VICIDIAL_IMPORT_COLUMNS, without_trailing_empty
from leaddesk.sources.mapping import FULL_NAME_KEYS

_IMPORT_PHONE = VICIDIAL_IMPORT_COLUMNS.index("phone_number")
# The standard import's own spellings of three columns (layouts.py spells them as the
# list export does).
_IMPORT_OWN_NAMES = ("middle", "country", "COMMENTS")
_KNOWN_KEYS = frozenset(
    {key for layout in LAYOUTS for key in (*layout.signature, *layout.fields, *layout.own)}
    | {spelling_key(name) for name in (*VICIDIAL_IMPORT_COLUMNS, *_IMPORT_OWN_NAMES)}
    | FULL_NAME_KEYS
)
# What a person types for a phone: digits and the marks between them, no letter (a
# column name such as "1800FLOWERS" would read as a phone number otherwise).
_PHONE_ATTEMPT = re.compile(r"[\d\s().+/-]*\d[\d\s().+/-]*")
_STATE = VICIDIAL_IMPORT_COLUMNS.index("state")


def _valid(field_name: str, cell: str) -> bool:
    if field_name.startswith("phone") and not _PHONE_ATTEMPT.fullmatch(cell):
        return False
    try:
        return bool(clean_field(field_name, cell))
    except FieldProblem:
        return False


# Where the import has a value no column name can be, and how to know it.
_LEAD_VALUES = {
    VICIDIAL_IMPORT_COLUMNS.index("postal_code"): ("a ZIP", "zip"),
    VICIDIAL_IMPORT_COLUMNS.index("email"): ("an email address", "email"),
    VICIDIAL_IMPORT_COLUMNS.index("alt_phone"): ("a phone number", "phone4"),
}


def without_a_usable_phone(row: Sequence[str], delimiter: str) -> bool:
    """Whether a row has the standard import's shape but nothing over its phone column,
    or digits too few for a phone ("555-0101", "(208) 555"): a lead VICIdial's loader
    would skip, or a header of that width. Which, `FirstRow` weighs. (A cell with a
    letter is no phone typed short: a name, "2nd phone", or a note.)"""
    cells = without_trailing_empty(row, len(VICIDIAL_IMPORT_COLUMNS))
    if delimiter != "|" or len(cells) != len(VICIDIAL_IMPORT_COLUMNS):
        return False
    phone = cells[_IMPORT_PHONE].strip()
    return not phone or bool(_PHONE_ATTEMPT.fullmatch(phone))


@dataclass(frozen=True)
class FirstRow:
    """The evidence in a first row: the columns (from 0) holding a known column name, and
    those holding a lead's value where the import has one, with what each holds."""

    names: tuple[int, ...]
    values: tuple[tuple[int, str], ...]

    @classmethod
    def of(cls, row: Sequence[str], mapped: Collection[str] = ()) -> FirstRow:
        """`mapped`: the column names a map or a person placed; they are names too."""
        known = _KNOWN_KEYS | {spelling_key(name) for name in mapped}
        names = tuple(
            index
            for index, cell in enumerate(row)
            if cell.strip()
            and (spelling_key(cell) in known or securitytrax_field(cell) is not None)
            # Idaho's code is also a column name ("ID"); where the import has the state,
            # it is a state.
            and not (index == _STATE and state_code(cell) is not None)
        )
        values = tuple(
            (index, what)
            for index, (what, field_name) in sorted(_LEAD_VALUES.items())
            if index < len(row) and row[index].strip() and _valid(field_name, row[index].strip())
        )
        return cls(names, values)

    @property
    def a_header(self) -> bool:
        return bool(self.names) and not self.values

    @property
    def a_lead(self) -> bool:
        return bool(self.values) and not self.names

    def unsure(self, path: object) -> str:
        """Why the file is refused when the row after this one is a standard import lead
        and this one is neither clearly a header nor a lead. Positions only: the row may
        be a lead's personal details."""
        if self.names:
            names = ", ".join(str(index + 1) for index in self.names)
            values = "; ".join(f"{what} in column {index + 1}" for index, what in self.values)
            evidence = (
                f"It holds column names LeadDesk knows (column {names}) and a lead's values "
                f"where the import has them ({values})."
            )
        else:
            evidence = (
                "None of its cells is a column name LeadDesk knows, and none is a lead's value "
                "where the import has one (a ZIP in column 16, a phone in 20, an email in 21)."
            )
        return (
            f"{path}: the first row could be a header row or the first lead of VICIdial's "
            "standard import (23 pipe-separated columns, no header row; the row after it is "
            "such a lead, and it has no phone number LeadDesk can use in column 5). "
            f"{evidence} Read by position, a header's rows would go into the wrong fields, so "
            "nothing was read. If it is a header, name its columns with --map FILE.toml; if it "
            "is a lead, give it its phone number or delete that line."
        )
