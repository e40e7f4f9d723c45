"""Reading leads from a CSV file whose header row names SecurityTrax fields.

Any subset of the fields, in any order. Each row is checked by the Lead model; a row with
problems is reported (row number, field, message) and never sent. A cell that LeadDesk's
export guarded against spreadsheet formulas is read as the value it guarded.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from leaddesk.errors import CsvError
from leaddesk.fields import FIELD_BY_NAME, FIELD_NAMES, REQUIRED_FIELDS, LeadInvalid
from leaddesk.formula_guard import unguarded
from leaddesk.lead import Lead


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
    """Leads from the file; `defaults` fill fields that a row leaves blank (destination values)."""
    text = _read_text(path)
    # newline="" keeps line breaks inside quoted cells, as the csv module asks.
    reader = csv.reader(io.StringIO(text, newline=""))
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
    try:
        for row_number, row in enumerate(reader, start=2):
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
        raise CsvError(f"{path} is not a readable CSV file: {error}.") from None
    return result


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


def _check_header(path: Path, header: list[str]) -> None:
    unknown = [name for name in header if name not in FIELD_BY_NAME]
    if len(unknown) == len(header):
        # Not a header at all, most likely the first lead: its values are personal data and
        # this message reaches the log, so it names none of them.
        raise CsvError(
            f"{path}: the first row names no SecurityTrax field; it needs a header row of "
            f"field names, in lower case; a lead needs at least {', '.join(REQUIRED_FIELDS)}."
        )
    if unknown:
        raise CsvError(
            f"{path}: unknown column{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(repr(name) for name in unknown)}. Columns must be SecurityTrax field "
            f"names: {', '.join(FIELD_NAMES)}."
        )
    repeated = sorted({name for name in header if header.count(name) > 1})
    if repeated:
        raise CsvError(f"{path}: column {', '.join(repeated)} appears more than once.")
