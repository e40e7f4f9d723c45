"""A lead file read as it comes, one row at a time: never whole in memory, so a file of
any length starts at once and takes no more memory than a short one.

Each row becomes a Lead or the problems that keep it from being one (row number, field,
message). A cell that swallowed the rows below it (a quote left open) is a problem of its
row: the rows inside it never reach the dealer inside another lead's cell.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from leaddesk.domain.errors import CsvError
from leaddesk.domain.fields import LeadInvalid
from leaddesk.domain.lead import Lead
from leaddesk.domain.zip_lookup import Place
from leaddesk.history.formula_guard import unguarded
from leaddesk.sources.dialect import FileDialect, sniff
from leaddesk.sources.field_names import spelling_key
from leaddesk.sources.layouts import FULL_NAME, VICIDIAL, recognise
from leaddesk.sources.mapping import NO_FIELD, ColumnMapping, read_map, suggest
from leaddesk.sources.names import split_full_name

ZipPlaces = Callable[[str], Place | None]
_LINE_BREAK = re.compile(r"\r\n?|\n")


class CsvRefused(CsvError):
    """A CsvError whose message for the user may quote the file's header cells; `for_log`
    says the same with positions and counts only (cells may be a lead's personal data)."""

    def __init__(self, message: str, for_log: str) -> None:
        super().__init__(message)
        self.for_log = for_log


@dataclass
class SourceRow:
    row: int  # the line number a spreadsheet shows: the header is row 1
    lead: Lead | None
    problems: dict[str, str] = field(default_factory=dict)  # field ("" the row) -> message
    filled_from_zip: bool = False


class LeadFile:
    """A lead file opened for reading: its dialect, header and mapping are known at once;
    `rows()` reads the rest as it goes. Use as a context manager."""

    def __init__(
        self,
        path: Path,
        map_path: Path | None = None,
        defaults: Mapping[str, str] | None = None,
        zip_places: ZipPlaces | None = None,
    ) -> None:
        self.path = path
        self._defaults = dict(defaults or {})
        self._zip_places = zip_places
        try:
            self.dialect: FileDialect = sniff(path)
            self._binary: IO[bytes] = path.open("rb")
        except OSError as error:
            raise CsvError(f"Cannot read {path}: {error.strerror or error}.") from None
        self._text = io.TextIOWrapper(
            self._binary, encoding=self.dialect.encoding, errors="replace", newline=""
        )
        self.header = self._read_header()
        layout = recognise(self.header, path.name)
        chosen, constants = read_map(map_path) if map_path is not None else ({}, {})
        self.mapping: ColumnMapping = suggest(self.header, layout, chosen)
        self.mapping.constants = constants
        self.mapping.notes += _unused_map_columns(chosen, self.header)
        _refuse_a_header_run_into_a_lead(path, self.mapping)
        if not self.mapping.targets() and not constants:
            raise CsvError(
                f"{path}: no column of the first row names a lead field ({self.dialect.describe()},"
                f" {len(self.header)} columns). It needs a header row of column names; "
                "place other names with --map FILE.toml."
            )
        # VICIdial's export quotes nothing: a quote in a comment is a character.
        delimiter = self.dialect.delimiter
        self._reader = (
            csv.reader(self._text, delimiter=delimiter, quoting=csv.QUOTE_NONE)
            if layout is VICIDIAL
            else csv.reader(self._text, delimiter=delimiter)
        )
        self._plan = [
            (column.index, column.target)
            for column in self.mapping.columns
            if column.target is not None
        ]
        self._clean = layout.clean if layout is not None else None

    def __enter__(self) -> LeadFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._text.close()

    def bytes_read(self) -> int:
        """How far into the file reading has got (for a progress bar)."""
        return self._binary.tell() if not self._binary.closed else 0

    def size(self) -> int:
        return self.path.stat().st_size

    def _read_header(self) -> list[str]:
        reader = csv.reader(io.StringIO(self._text.readline()), delimiter=self.dialect.delimiter)
        header = [name.strip() for name in next(reader, [])]
        if not any(header):
            raise CsvError(f"{self.path} is empty: it needs a header row of column names.")
        return header

    def rows(self) -> Iterator[SourceRow]:
        width = len(self.header)
        row_number = 1
        try:
            for row_number, cells in enumerate(self._reader, start=2):
                if not any(cell.strip() for cell in cells):
                    continue
                yield self._row(row_number, cells, width)
        except csv.Error as error:
            # Most often a cell grown past the csv module's limit: a quote that never closed.
            raise CsvError(
                f"{self.path} cannot be read past row {row_number}: {error} (a quote that "
                "opens in a cell and never closes would do this)."
            ) from None

    def _row(self, row: int, cells: list[str], width: int) -> SourceRow:
        problem = self._row_problem(cells, width)
        if problem is not None:
            return SourceRow(row, None, {"": problem})
        values = dict(self._defaults)
        values.update(self.mapping.constants)
        full_name = ""
        for index, target in self._plan:
            if index >= len(cells):
                continue
            cell = cells[index]
            if not cell or cell.isspace():
                continue
            if target == FULL_NAME:
                full_name = cell
                continue
            cell = unguarded(cell)
            values[target] = self._clean(target, cell) if self._clean is not None else cell
        if full_name and not (values.get("fname") or values.get("lname")):
            values.update(split_full_name(full_name))
        filled = self._fill_from_zip(values)
        try:
            return SourceRow(row, Lead.parse(values), filled_from_zip=filled)
        except LeadInvalid as invalid:
            return SourceRow(row, None, dict(invalid.problems), filled)

    def _row_problem(self, cells: list[str], width: int) -> str | None:
        if len(cells) > width:
            return f"it has {len(cells)} cells but the header names {width} columns"
        for index, cell in enumerate(cells):
            if "\ufffd" in cell:
                return (
                    f"column {self._shown(index)} is not readable as "
                    f"{self.dialect.describe()} text; save the file as CSV UTF-8"
                )
            if width > 1 and ("\n" in cell or "\r" in cell):
                for line in _LINE_BREAK.split(cell)[1:]:
                    if len(next(csv.reader([line], delimiter=self.dialect.delimiter), [])) == width:
                        return (
                            f"a quote in column {self._shown(index)} runs on over lines that read "
                            "as rows of their own (they were not read as rows); "
                            "close the quote, or write a quote inside a cell as two quotes"
                        )
        return None

    def _shown(self, index: int) -> str:
        columns = self.mapping.columns
        return columns[index].shown if index < len(columns) else str(index + 1)

    def _fill_from_zip(self, values: dict[str, str]) -> bool:
        """City and State from the ZIP when the row has none of its own."""
        if self._zip_places is None or not values.get("zip"):
            return False
        if values.get("city", "").strip() and values.get("state", "").strip():
            return False
        place = self._zip_places(values["zip"].removeprefix("z:"))
        if place is None:
            return False
        if not values.get("city", "").strip():
            values["city"] = place.city.title() if place.city.isupper() else place.city
        if not values.get("state", "").strip():
            values["state"] = place.state
        return True


def _refuse_a_header_run_into_a_lead(path: Path, mapping: ColumnMapping) -> None:
    """A header whose line break was lost has the first lead's cells as column names: as
    many of them as names, unknown, and unlike names. They are that lead's details, so the
    file is refused naming their positions only (the message may reach the log)."""
    unknown = [column for column in mapping.unplaced if column.reason.startswith(NO_FIELD)]
    if not unknown:
        return
    half = 2 * len(unknown) >= len(mapping.columns)
    unlike = mapping.layout is None and any(not column.name_like for column in unknown)
    if half or unlike:
        positions = ", ".join(str(column.index + 1) for column in unknown)
        plural = "s" if len(unknown) > 1 else ""
        message = (
            f"{path}: column{plural} {positions} of the header row name no SecurityTrax field "
            "(their text is not shown: if the header row ran into the first lead, it is that "
            "lead's details). Put the header on a line of its own, or place the columns with --map."
        )
        raise CsvRefused(
            message,
            for_log=f"{path}: {len(unknown)} of the header's {len(mapping.columns)} cells name "
            f"no SecurityTrax field (column{plural} {positions})",
        )


def _unused_map_columns(chosen: Mapping[str, str | None], header: list[str]) -> list[str]:
    present = {spelling_key(name) for name in header}
    return [
        f"the map names column {name!r}, which this file does not have"
        for name in chosen
        if spelling_key(name) not in present
    ]
