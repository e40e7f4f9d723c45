"""What `leaddesk send` says of a file before its rows: how it was read and which columns
are not sent; and `--dry-run`, which shows the whole mapping and the first rows as they
would be sent, checks every row, and sends nothing."""

from __future__ import annotations

from typing import TextIO

from leaddesk.domain.server_text import escape_controls
from leaddesk.sources.rows import LeadFile, SourceRow

PREVIEW_ROWS = 5
EXIT_OK, EXIT_NOT_ALL_VALID = 0, 1


def say_how_read(leads: LeadFile, out: TextIO, every_column: bool) -> None:
    """How the file was read; the columns not sent, each named with why (all of them with
    `every_column`; else the ones no layout explains, and a count of the rest). Without
    `every_column`, a plain file (UTF-8, commas, every column placed) goes without a word."""
    mapping = leads.mapping
    layout = f"; {mapping.layout.name}" if mapping.layout is not None else ""
    plain = leads.dialect.encoding in ("utf-8", "utf-8-sig") and leads.dialect.delimiter == ","
    if every_column or not plain or mapping.layout is not None or mapping.unplaced:
        print(f"leaddesk: {leads.path.name}: {leads.dialect.describe()}{layout}.", file=out)
    for note in mapping.notes:
        print(f"leaddesk: {note}", file=out)
    if every_column:
        print("Columns:", file=out)
        for line in mapping.describe():
            print(line, file=out)
        return
    name = mapping.layout.name if mapping.layout is not None else ""
    explained = [c for c in mapping.unplaced if name and c.header.strip() and name in c.reason]
    for column in mapping.unplaced:
        if column not in explained:
            print(f"leaddesk: column {column.shown} not sent: {column.reason}", file=out)
    if explained:
        named = ", ".join(column.shown for column in explained)
        print(
            f"leaddesk: {name} columns not sent: {named} (other systems' ids and details, or "
            "no SecurityTrax field for them; --dry-run says why for each).",
            file=out,
        )


def say_problems(row: SourceRow, out: TextIO, fate: str = "not sent") -> None:
    for name, message in row.problems.items():
        where = f"{name}: " if name else ""
        print(f"row {row.row}: invalid, {fate}: {where}{message}", file=out)


def dry_run(leads: LeadFile, out: TextIO) -> int:
    """Every row checked, the first ones shown as they would be sent; nothing is sent."""
    say_how_read(leads, out, every_column=True)
    valid = invalid = 0
    for row in leads.rows():
        previewed = row.row - leads.first_row < PREVIEW_ROWS
        if previewed:
            _show(row, out)
        if row.lead is None:
            invalid += 1
            if not previewed:
                say_problems(row, out, "would not be sent")
        else:
            valid += 1
    print(
        f"Dry run: {valid} row{'s' if valid != 1 else ''} would be sent, {invalid} "
        f"invalid; nothing was sent (likely duplicates are checked when sending).",
        file=out,
    )
    return EXIT_OK if not invalid else EXIT_NOT_ALL_VALID


def _show(row: SourceRow, out: TextIO) -> None:
    if row.lead is None:  # its problems under it, as a lead's values are
        print(f"row {row.row}: would not be sent:", file=out)
        for name, message in row.problems.items():
            print(f"  {name + ': ' if name else ''}{message}", file=out)
        return
    zip_note = " (city and state from the ZIP)" if row.filled_from_zip else ""
    print(f"row {row.row}: would be sent as{zip_note}:", file=out)
    for name, value in row.lead.values().items():
        if value:
            print(f"  {name} = {escape_controls(value)!r}", file=out)
