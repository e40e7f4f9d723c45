"""A dialer's export opened in a spreadsheet and saved again, as floor managers do before
sending it on: the spreadsheet's way of writing cells is read, and no lead is lost or sent
with the spreadsheet's quotes in its values."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from leaddesk.sources.layouts import VICIDIAL
from leaddesk.sources.rows import LeadFile
from tests.support.lead_layouts import VICIDIAL_COLUMNS, vicidial_row

DEFAULTS = {"source_id": "S1"}


@pytest.mark.parametrize("delimiter", [",", ";"])
def test_a_vicidial_list_export_saved_by_a_spreadsheet_reads_its_quoted_cells(
    tmp_path: Path, delimiter: str
) -> None:
    """VICIdial's own export quotes nothing (tab-separated, a quote is a character), but a
    spreadsheet saving it as CSV quotes each cell holding the delimiter or a quote. Read
    as unquoted, such a row had too many cells (the lead refused) or kept the quotes."""
    first = vicidial_row(1) | {
        "address1": f"12 Elm St{delimiter} Apt 4",
        "comments": 'he said "call after 5"',
    }
    second = vicidial_row(2) | {"last_name": f"Lee{delimiter} Jr."}
    path = tmp_path / "LIST_1000_20261201101112.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as file:
        writer = csv.writer(file, delimiter=delimiter)
        writer.writerow(VICIDIAL_COLUMNS)
        for row in (first, second):
            writer.writerow([row.get(column, "") for column in VICIDIAL_COLUMNS])
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is VICIDIAL
        rows = list(leads.rows())
    assert [row.problems for row in rows] == [{}, {}]
    one, two = (row.lead for row in rows)
    assert one is not None and two is not None
    assert one.address1 == f"12 Elm St{delimiter} Apt 4"
    assert one.lead_comments == 'he said "call after 5"'
    assert two.lname == f"Lee{delimiter} Jr." and two.phone1 == "2085550002"
