"""Reading leads from a CSV file whose header row names SecurityTrax fields.

Any subset of the fields, in any order. Each row is checked by the Lead model; a row with
problems is reported (row number, field, message) and never sent. A cell that LeadDesk's
export guarded against spreadsheet formulas is read as the value it guarded.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import NoReturn

from leaddesk.domain.errors import CsvError
from leaddesk.domain.fields import FIELD_BY_NAME, FIELD_NAMES, REQUIRED_FIELDS, LeadInvalid
from leaddesk.domain.lead import Lead
from leaddesk.history.formula_guard import unguarded
from leaddesk.sources.rows import CsvRefused as CsvRefused  # its home before issue 15


@dataclass(frozen=True)
class RowProblem:
    row: int  # the line number a spreadsheet shows: the header is row 1
    field: str
    message: str


@dataclass
class CsvLeads:
    leads: list[tuple[int, Lead]] = field(default_factory=list)  # (row, lead)
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def invalid_rows(self) -> set[int]:
        return {problem.row for problem in self.problems}


# Files larger than this are almost certainly not lead lists (a wrong file picked).
MAX_CSV_BYTES = 64 * 1024 * 1024


def read_leads_csv(path: Path, defaults: Mapping[str, str] | None = None) -> CsvLeads:
    """Leads from the file; `defaults` fill fields that a row leaves blank (destination values).

    A file with a quote that opens and does not close where it should is refused whole:
    the csv module reads on into the rows below as part of one cell, and those leads would
    reach the dealer inside another lead's comments.
    """
    # newline="" keeps line breaks inside quoted cells, as the csv module asks.
    lines = _Lines(io.StringIO(_read_text(path), newline="").readlines())
    reader = csv.reader(lines)
    try:
        header = [name.strip() for name in next(reader)]
    except StopIteration:
        raise CsvError(
            f"{path} is empty: it needs a header row of SecurityTrax field names."
        ) from None
    except csv.Error as error:
        raise CsvError(f"{path} is not a readable CSV file: {error}.") from None
    _check_header(path, header)
    result = CsvLeads()
    defaults = dict(defaults or {})
    row_number, first_line = 1, lines.taken + 1
    try:
        for row_number, row in enumerate(reader, start=2):
            _check_swallowed_rows(path, header, row, row_number, first_line)
            if lines.taken == len(lines) and _ends_inside_quotes(lines.since(first_line)):
                _refuse_quote(path, header, row_number, first_line, len(row) - 1, None)
            first_line = lines.taken + 1
            if not any(cell.strip() for cell in row):
                continue
            if len(row) > len(header):
                extra = f"row has {len(row)} cells but the header names {len(header)} columns"
                result.problems.append(RowProblem(row_number, "", extra))
                continue
            values = dict(defaults)
            values.update(
                {
                    name: unguarded(cell)
                    for name, cell in zip(header, row, strict=False)
                    if cell.strip()
                }
            )
            try:
                result.leads.append((row_number, Lead.parse(values)))
            except LeadInvalid as invalid:
                result.problems += [
                    RowProblem(row_number, name, message)
                    for name, message in invalid.problems.items()
                ]
    except csv.Error as error:
        # Most often a cell grown past the csv module's limit: a quote that never closed.
        raise CsvError(
            f"{path} is not a readable CSV file: {error} (row {row_number + 1}, from line "
            f"{first_line}: a quote that opens there and does not close would do this)."
        ) from None
    return result


class _Lines:
    """The file's physical lines, for the csv reader; counts how many it has taken."""

    def __init__(self, lines: list[str]) -> None:
        self._lines = lines
        self.taken = 0

    def __len__(self) -> int:
        return len(self._lines)

    def __iter__(self) -> Iterator[str]:
        while self.taken < len(self._lines):
            self.taken += 1
            yield self._lines[self.taken - 1]

    def since(self, first_line: int) -> str:
        """The text of the lines from this one (counted from 1) to the last one taken."""
        return "".join(self._lines[first_line - 1 : self.taken])


def _check_swallowed_rows(
    path: Path, header: list[str], row: list[str], row_number: int, first_line: int
) -> None:
    """Refuse a row with a cell that swallowed the rows below it.

    A comment may hold line breaks, so a cell spanning lines is not wrong in itself; it is
    when a line inside it reads as a row of its own (as many cells as the header names).
    """
    if len(header) < 2:
        return
    for column, cell in enumerate(row):
        if "\n" not in cell and "\r" not in cell:
            continue
        for offset, line in enumerate(_LINE_BREAK.split(cell)[1:], start=1):
            if len(next(csv.reader([line]), [])) == len(header):
                _refuse_quote(path, header, row_number, first_line, column, first_line + offset)


def _ends_inside_quotes(text: str) -> bool:
    """Whether a quoted cell is still open at the end of this text, read as the csv module
    reads (a quote opens a cell only as its first character; "" inside is a quote)."""
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
        field_start = char in ",\r\n"
    return quoted


def _refuse_quote(
    path: Path, header: list[str], row: int, line: int, column: int, swallowed: int | None
) -> NoReturn:
    where = f"column {header[column]}" if column < len(header) else f"cell {column + 1}"
    what = (
        f"runs on into line {swallowed}, which reads as a row of its own"
        if swallowed is not None
        else "is never closed: it runs to the end of the file"
    )
    raise CsvError(
        f"{path}: row {row} (line {line}) has a quote in {where} that {what}. Nothing was "
        'sent. Close the quote, or write a quote inside a cell as two quotes (""), and send '
        "the file again."
    )


def _read_text(path: Path) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            megabytes = size // 1024 // 1024
            raise CsvError(f"{path} is {megabytes} MB; a lead file of over 64 MB is refused.")
        data = path.read_bytes()
    except OSError as error:
        raise CsvError(f"Cannot read {path}: {error.strerror or error}.") from None
    try:
        return data.decode("utf-8-sig")  # a BOM from Excel's "CSV UTF-8" is dropped
    except UnicodeDecodeError as error:
        raise CsvError(
            f'{path} is not UTF-8 text (byte {error.start + 1}); save it as "CSV UTF-8".'
        ) from None


# What a column name a person typed looks like; a lead's values mostly do not.
_NAME_LIKE = re.compile(r"[a-z][a-z0-9_]{0,39}")
_LINE_BREAK = re.compile(r"\r\n?|\n")


def _check_header(path: Path, header: list[str]) -> None:
    unknown = [(column, name) for column, name in enumerate(header, 1) if name not in FIELD_BY_NAME]
    if len(unknown) == len(header):
        # Not a header at all, most likely the first lead: its values are personal data and
        # this message reaches the log, so it names none of them.
        raise CsvError(
            f"{path}: the first row names no SecurityTrax field; it needs a header row of "
            f"field names, in lower case; a lead needs at least {', '.join(REQUIRED_FIELDS)}."
        )
    if unknown:
        columns = ", ".join(str(column) for column, _ in unknown)
        plural = "s" if len(unknown) > 1 else ""
        # A header that ran into the first lead (a lost line break) has about as many
        # unknown cells as known ones, and they hold the lead's name, city, phone: those
        # are never repeated, on the terminal or in the log.
        plausible = 2 * len(unknown) < len(header)
        plausible &= all(_NAME_LIKE.fullmatch(name) for _, name in unknown)
        named = ", ".join(repr(name) for _, name in unknown)
        what = (
            f"unknown column{plural} {named}"
            if plausible
            else f"column{plural} {columns} of the header row name no SecurityTrax field "
            "(their text is not shown: if the header row ran into the first lead, it is "
            "that lead's details)"
        )
        raise CsvRefused(
            f"{path}: {what}. Columns must be SecurityTrax field names: {', '.join(FIELD_NAMES)}.",
            for_log=f"{path}: {len(unknown)} of the header's {len(header)} cells name no "
            f"SecurityTrax field (column{plural} {columns})",
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise CsvError(f"{path}: column {', '.join(repeated)} appears more than once.")
