"""A lead file read as it comes, one row at a time: never whole in memory, so a file of
any length starts at once and takes no more memory than a short one.

Each row becomes a Lead or the problems that keep it from being one (row number, field,
message). A cell that swallowed the rows below it (a quote left open) is a problem of its
row: the rows inside it never reach the dealer inside another lead's cell.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
from collections.abc import Callable, Collection, Iterator, Mapping
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
from leaddesk.sources.first_row import FirstRow, without_a_usable_phone
from leaddesk.sources.layouts import (
    FULL_NAME,
    VICIDIAL_IMPORT,
    VICIDIAL_IMPORT_COLUMNS,
    dialled_abroad,
    headerless_layout,
    recognise,
    without_trailing_empty,
)
from leaddesk.sources.mapping import NO_FIELD, ColumnMapping, read_map, suggest
from leaddesk.sources.names import split_full_name
from leaddesk.sources.quotes import RecordLines, ends_inside_quotes, swallowed_line

ZipPlaces = Callable[[str], Place | None]


def _mark_unreadable(error: UnicodeError) -> tuple[str, int]:
    """Bytes the encoding cannot read become NUL, which no lead's text holds (the model
    refuses control characters): the row is then reported, where U+FFFD, the usual
    replacement, could be a character the file really has."""
    assert isinstance(error, UnicodeDecodeError)
    return "\x00", error.end


_UNREADABLE = "leaddesk-mark-unreadable"
codecs.register_error(_UNREADABLE, _mark_unreadable)


class CsvRefused(CsvError):
    """A CsvError whose message for the user may quote the file's header cells; `for_log`
    says the same with positions and counts only (cells may be a lead's personal data)."""

    def __init__(self, message: str, for_log: str) -> None:
        super().__init__(message)
        self.for_log = for_log


@dataclass
class SourceRow:
    row: int  # the line number a spreadsheet shows: the header is row 1 (if there is one)
    lead: Lead | None
    problems: dict[str, str] = field(default_factory=dict)  # field ("" the row) -> message
    filled_from_zip: bool = False


# Told with a refusal when the first row looks like a lead of VICIdial's standard import
# but has no phone, and the row after it (if any) does not make the file one.
_NOT_AN_IMPORT = (
    " The first row has the shape of VICIdial's standard import (23 pipe-separated columns)"
    " but no phone number in the fifth (or too few digits for one), and {after}; such a"
    " file is read when one of its first two rows has one."
)


class LeadFile:
    """A lead file opened for reading: its dialect, header and mapping are known at once;
    `rows()` reads the rest as it goes. Use as a context manager."""

    def __init__(
        self,
        path: Path,
        map_path: Path | None = None,
        defaults: Mapping[str, str] | None = None,
        zip_places: ZipPlaces | None = None,
        chosen: Mapping[str, str | None] | None = None,
    ) -> None:
        """`chosen`: fields a person picked for columns (by header), over the map's."""
        self.path = path
        self._defaults = dict(defaults or {})
        self._zip_places = zip_places
        try:
            self.dialect: FileDialect = sniff(path)
            self._binary: IO[bytes] = path.open("rb")
        except OSError as error:
            raise CsvError(f"Cannot read {path}: {error.strerror or error}.") from None
        self._text = io.TextIOWrapper(
            self._binary, encoding=self.dialect.encoding, errors=_UNREADABLE, newline=""
        )
        self.header = self._read_header()
        layout = recognise(self.header, path.name)
        mapped, constants = read_map(map_path) if map_path is not None else ({}, {})
        self.mapping: ColumnMapping = suggest(self.header, layout, {**mapped, **(chosen or {})})
        # Lines read ahead of rows() (the first, when it is a lead rather than a header):
        # read again as rows.
        self._pending_lines: list[str] = []
        self._headerless = False
        self._not_an_import = ""  # why the first row, a lead's shape, is not read as one
        if layout is None and self._first_row_is_a_lead({**mapped, **(chosen or {})}):
            layout, self._headerless = VICIDIAL_IMPORT, True
            self.header = list(VICIDIAL_IMPORT_COLUMNS)
            self.mapping = suggest(self.header, layout, {**mapped, **(chosen or {})})
        self.mapping.constants = constants
        self.mapping.notes += _unused_map_columns(mapped, self.header)
        hint = self._not_an_import
        _refuse_a_header_run_into_a_lead(path, self.mapping, hint)
        if not self.mapping.targets() and not constants:
            raise CsvError(
                f"{path}: no column of the first row names a lead field ({self.dialect.describe()},"
                f" {len(self.header)} columns). It needs a header row of column names; "
                f"place other names with --map FILE.toml.{hint}"
            )
        self._quoted = layout is None or layout.reads_quotes(self.dialect.delimiter)
        self._plan = [
            (column.index, column.target)
            for column in self.mapping.columns
            if column.target is not None
        ]
        self._clean = layout.clean if layout is not None else None
        code_key = layout.country_code_column if layout is not None else None
        self._country_code_at = next(
            (
                c.index
                for c in self.mapping.columns
                if code_key and spelling_key(c.header) == code_key
            ),
            None,
        )

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

    @property
    def first_row(self) -> int:
        """The row number of the file's first lead: 2 below a header row, else 1."""
        return 1 if self._headerless else 2

    def _first_row_is_a_lead(self, mapped: Collection[str]) -> bool:
        """Whether the file is VICIdial's standard import, which has no header row: its
        first row has a phone number where the format has one; or has none, or too few
        digits for one (a lead not sent: the loader skips it, or LeadDesk refuses it), and
        both it and the row after it say lead: the row after it has a phone there, and the
        first holds a lead's values where the import has them and no column name (see
        first_row.py). A header read as a lead would have its rows sent by position, into
        the wrong fields: a row that is neither clearly a header nor a lead is refused.
        `mapped`: the column names a map or a person placed."""
        delimiter = self.dialect.delimiter
        if headerless_layout(self.header, delimiter):
            self._pending_lines = [self._header_line]
            return True
        if not without_a_usable_phone(self.header, delimiter):
            return False
        first = FirstRow.of(self.header, mapped)
        if not first.values and (first.names or self._names_only()):
            return False
        ahead = self._lines_to_next_row()
        following = ahead[-1] if ahead else ""
        try:
            cells = next(csv.reader(io.StringIO(following), delimiter=delimiter), [])
        except csv.Error:  # a cell past the csv module's limit: no lead, rows() says so
            cells = []
        if headerless_layout(cells, delimiter):
            if not first.a_lead:
                raise CsvError(first.unsure(self.path))
            self._pending_lines = [self._header_line, *ahead]
            return True
        self._pending_lines = ahead  # rows 2... of a file with a header row after all
        after = "neither has the row after it" if following.strip() else "there is no other row"
        self._not_an_import = _NOT_AN_IMPORT.format(after=after)
        return False

    def _lines_to_next_row(self) -> list[str]:
        """The lines up to the next one with cells (blank lines between rows are passed
        over, as rows() passes them), a few at most; [] at the end of the file."""
        lines: list[str] = []
        for line in iter(self._text.readline, ""):
            lines.append(line)
            if line.replace(self.dialect.delimiter, "").strip() or len(lines) >= 100:
                break
        return lines

    def _names_only(self) -> bool:
        """Whether every cell of the first row looks like a column name."""
        return all(column.name_like for column in self.mapping.columns if column.header)

    def _read_header(self) -> list[str]:
        self._header_line = self._text.readline()
        reader = csv.reader(io.StringIO(self._header_line), delimiter=self.dialect.delimiter)
        try:
            header = [name.strip() for name in next(reader, [])]
        except csv.Error as error:  # a cell past the csv module's limit: no header row
            raise CsvError(
                f"{self.path}: line 1 cannot be read as a row of cells ({error}); it needs a "
                "header row of column names, or a VICIdial standard import's first lead."
            ) from None
        if not any(header):
            raise CsvError(f"{self.path} is empty: it needs a header row of column names.")
        return header

    def rows(self) -> Iterator[SourceRow]:
        """Each row with a value, in order. A row is handed on once the next one is read,
        so that the last can be told from a quote left open to the end of the file."""
        header_rows = self.first_row - 1
        lines = RecordLines(itertools.chain(self._pending_lines, self._text), taken=header_rows)
        delimiter = self.dialect.delimiter
        reader = (
            csv.reader(lines, delimiter=delimiter)
            if self._quoted
            else csv.reader(lines, delimiter=delimiter, quoting=csv.QUOTE_NONE)
        )
        width, row_number, held = len(self.header), 1, None
        try:
            for row_number, cells in enumerate(reader, start=header_rows + 1):
                first_line = lines.first
                lines.next_record()
                if not any(cell.strip() for cell in cells):
                    continue
                if held is not None:
                    yield held
                held = self._row(row_number, cells, width, first_line)
        except csv.Error as error:
            # Most often a cell grown past the csv module's limit: a quote that never closed.
            # The rows before it were read whole: the last of them is handed on first.
            if held is not None:
                yield held
            raise CsvError(
                f"{self.path} cannot be read past row {row_number + 1} (from line {lines.first}): "
                f"{error}; a quote that opens in a cell and never closes would do this."
            ) from None
        if held is not None:
            if self._quoted and ends_inside_quotes("".join(lines.previous), delimiter):
                column = self._shown(len(cells) - 1)
                held = SourceRow(held.row, None, {"": (
                    f"a quote in column {column} (from line {lines.previous_first}) is never "
                    "closed: it runs to the end of the file"
                )})  # fmt: skip
            yield held

    def _row(self, row: int, cells: list[str], width: int, first_line: int) -> SourceRow:
        layout = self.mapping.layout
        if layout is not None and layout.trailing_empty_ignored:
            cells = list(without_trailing_empty(cells, width))
        problem = self._row_problem(cells, width, first_line)
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
        at = self._country_code_at
        abroad = dialled_abroad(cells[at]) if at is not None and at < len(cells) else None
        phone = {"phone1": abroad} if abroad is not None else {}
        try:
            lead = Lead.parse(values)
        except LeadInvalid as invalid:
            return SourceRow(row, None, dict(invalid.problems) | phone, filled)
        return SourceRow(row, None if phone else lead, phone, filled)

    def _row_problem(self, cells: list[str], width: int, first_line: int) -> str | None:
        if len(cells) > width:
            return f"it has {len(cells)} cells but the header names {width} columns"
        for index, cell in enumerate(cells):
            if "\x00" in cell:
                return (
                    f"column {self._shown(index)} is not readable as "
                    f"{self.dialect.encoding_name} text; save the file as CSV UTF-8"
                )
            swallowed = swallowed_line(cell, self.dialect.delimiter, width)
            if swallowed is not None:
                return (
                    f"a quote in column {self._shown(index)} (from line {first_line}) runs on "
                    f"into line {first_line + swallowed}, which reads as a row of its own (the "
                    "rows inside it were not read as leads); close the quote, or write a "
                    'quote inside a cell as two quotes ("")'
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


def _refuse_a_header_run_into_a_lead(path: Path, mapping: ColumnMapping, hint: str) -> None:
    """A header whose line break was lost has the first lead's cells as column names:
    unknown, and some unlike any name (a phone number, an email address). They are that
    lead's details, so the file is refused naming their positions only (the message may
    reach the log), and `hint`. A known layout's own columns may look like anything."""
    unknown = [column for column in mapping.unplaced if column.reason.startswith(NO_FIELD)]
    if mapping.layout is None and any(not column.name_like for column in unknown):
        positions = ", ".join(str(column.index + 1) for column in unknown)
        plural = "s" if len(unknown) > 1 else ""
        message = (
            f"{path}: column{plural} {positions} of the header row name no SecurityTrax field "
            "(their text is not shown: if the header row ran into the first lead, it is that "
            "lead's details). Put the header on a line of its own, or place the columns with --map."
            + hint
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
