"""Reading a file row by row: the layout is recognised, other systems' ids go nowhere,
a column it cannot place is named, and memory does not grow with the file."""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from leaddesk.domain.errors import CsvError
from leaddesk.domain.zip_lookup import Place
from leaddesk.sources.layouts import (
    FACEBOOK,
    GOOGLE_ADS,
    LEAD_PLATFORM,
    VICIDIAL,
    VICIDIAL_IMPORT,
    VICIDIAL_IMPORT_COLUMNS,
    recognise,
)
from leaddesk.sources.mapping import write_map
from leaddesk.sources.rows import LeadFile, SourceRow
from tests.support.lead_layouts import (
    BOBERDOO_COLUMNS,
    FACEBOOK_COLUMNS,
    GOOGLE_ADS_COLUMNS,
    LEADCONDUIT_COLUMNS,
    VICIDIAL_COLUMNS,
    facebook_row,
    vicidial_row,
    write_table,
    write_vicidial,
    write_vicidial_import,
)

DEFAULTS = {"source_id": "S1"}


@pytest.mark.parametrize(
    ("columns", "layout"),
    [
        (VICIDIAL_COLUMNS, VICIDIAL),
        (FACEBOOK_COLUMNS, FACEBOOK),
        (GOOGLE_ADS_COLUMNS, GOOGLE_ADS),
        (LEADCONDUIT_COLUMNS, LEAD_PLATFORM),
        (BOBERDOO_COLUMNS, LEAD_PLATFORM),
        (("fname", "lname", "phone1", "city", "state", "source_id", "campaign_id"), None),
    ],
)
def test_each_layout_is_recognised_by_its_columns(columns: tuple[str, ...], layout: object) -> None:
    assert recognise(columns) is layout


def test_foreign_ids_are_not_placed_and_say_whose_they_are(tmp_path: Path) -> None:
    with LeadFile(write_vicidial(tmp_path, [vicidial_row(1)]), defaults=DEFAULTS) as leads:
        by_header = {column.header: column for column in leads.mapping.columns}
        [row] = leads.rows()
    for header in ("source_id", "list_id", "lead_id"):
        assert by_header[header].target is None
        assert "VICIdial's own" in by_header[header].reason
    assert row.lead is not None and row.lead.source_id == "S1" and row.lead.campaign_id == ""


def test_facebooks_campaign_id_is_facebooks(tmp_path: Path) -> None:
    path = write_table(tmp_path / "fb.csv", FACEBOOK_COLUMNS, [facebook_row(1)])
    with LeadFile(path, defaults=DEFAULTS, zip_places=lambda _: Place("BOISE", "ID")) as leads:
        [campaign] = [c for c in leads.mapping.columns if c.header == "campaign_id"]
        [row] = leads.rows()
    assert campaign.target is None and "not the dealer's Campaign ID" in campaign.reason
    assert row.lead is not None and row.lead.campaign_id == ""
    assert row.filled_from_zip and (row.lead.city, row.lead.state) == ("Boise", "ID")
    assert (row.lead.fname, row.lead.lname, row.lead.phone1) == (
        "Mary",
        "van der Berg1",
        "2085550001",
    )


def test_a_campaign_id_in_a_layout_it_cannot_place_is_not_sent(tmp_path: Path) -> None:
    """A known layout's file with a campaign_id the layout does not list: still not sent."""
    path = tmp_path / "leads.csv"
    path.write_text("first_name,last_name,phone_1,campaign_id,leadid_token\nA,B,2085550101,9,t\n")
    with LeadFile(path, defaults=DEFAULTS) as leads:
        [campaign] = [c for c in leads.mapping.columns if c.header == "campaign_id"]
    assert campaign.target is None and "another system's id" in campaign.reason


def test_headers_match_whatever_their_case_spaces_dashes_or_underscores(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text(
        "First Name,LAST-NAME,Phone1,city,State,Zip_Code\nAnn,Lee,2085550101,Boise,ID,83702\n"
    )
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert not leads.mapping.unplaced
        [row] = leads.rows()
    assert row.lead is not None and (row.lead.fname, row.lead.zip) == ("Ann", "83702")


def test_a_column_it_cannot_place_is_named_with_a_hint(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("fname,lname,phone1,city,state,phon2,Shoe size\nA,B,2085550101,Boise,ID,1,9\n")
    with LeadFile(path, defaults=DEFAULTS) as leads:
        unplaced = {column.header: column.reason for column in leads.mapping.unplaced}
    assert set(unplaced) == {"phon2", "Shoe size"}
    assert unplaced["phon2"].endswith("is it phone2?")


def test_a_saved_mapping_reads_the_file_the_same_way_again(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Who,Tel,Town,ST\nAnn Lee,2085550101,Boise,ID\n")
    map_file = tmp_path / "maps" / "mine.toml"
    map_file.parent.mkdir()
    map_file.write_text('[columns]\nWho = "full_name"\nTel = "phone1"\nST = "state"\n')
    with LeadFile(path, map_file, DEFAULTS) as leads:
        write_map(leads.mapping, tmp_path / "again.toml")
    with LeadFile(path, tmp_path / "again.toml", DEFAULTS) as leads:
        [row] = leads.rows()
    assert row.lead is not None and (row.lead.fname, row.lead.lname) == ("Ann", "Lee")


def test_a_map_naming_no_field_is_refused_saying_what_fields_there_are(tmp_path: Path) -> None:
    path = tmp_path / "leads.csv"
    path.write_text("Who\nAnn\n")
    map_file = tmp_path / "bad.toml"
    map_file.write_text('[columns]\nWho = "customer"\n')
    with pytest.raises(CsvError, match="'customer' is not a SecurityTrax field"):
        LeadFile(path, map_file)


def _peak_reading(path: Path) -> int:
    tracemalloc.start()
    try:
        with LeadFile(path, defaults=DEFAULTS) as leads:
            for _ in leads.rows():
                pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    def write(name: str, count: int) -> Path:
        lines = ["first_name,last_name,phone_number,city,state,comments"]
        lines += [f"Ann{i},Lee{i},208555{i % 10000:04d},Boise,ID,{'x' * 80}" for i in range(count)]
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n")
        return path

    small, large = write("small.csv", 2_000), write("large.csv", 20_000)
    _peak_reading(small)  # imports and caches warm
    assert _peak_reading(large) < 2 * _peak_reading(small) + 1_000_000


# --- VICIdial's standard import: pipes, no header row ----------------------------------------


def read_as_import(path: Path) -> list[SourceRow]:
    """The file's rows, read as VICIdial's standard import: no header, the first lead row 1."""
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is VICIDIAL_IMPORT
        assert leads.header == list(VICIDIAL_IMPORT_COLUMNS)
        assert leads.first_row == 1
        return list(leads.rows())


def test_a_standard_import_file_is_read_from_its_first_line(tmp_path: Path) -> None:
    bad = vicidial_row(2) | {"email": "not-an-email"}
    path = write_vicidial_import(tmp_path / "new.txt", [vicidial_row(1), bad, vicidial_row(3)])
    rows = read_as_import(path)
    # The first lead is row 1 (line 1): no header row to count.
    assert [row.row for row in rows] == [1, 2, 3]
    assert rows[0].lead is not None and rows[0].lead.fname == "Ann1"
    assert rows[1].lead is None and "email" in rows[1].problems
    assert rows[2].lead is not None and rows[2].lead.source_id == "S1"


def test_a_pipe_file_whose_first_row_names_fields_keeps_it_as_its_header(
    tmp_path: Path,
) -> None:
    """As many columns as the standard import, but a header row: read as one."""
    header = ["first_name", "last_name", "phone_number", "city", "state"]
    header += [f"extra{i}" for i in range(len(VICIDIAL_IMPORT_COLUMNS) - len(header))]
    cells = ["Ann", "Lee", "2085550134", "Boise", "ID"] + [""] * (len(header) - 5)
    path = tmp_path / "piped.txt"
    path.write_text("|".join(header) + "\n" + "|".join(cells) + "\n", encoding="utf-8")
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is not VICIDIAL_IMPORT
        [row] = leads.rows()
    assert row.row == 2 and row.lead is not None and row.lead.lname == "Lee"


def test_a_pipe_header_of_that_width_in_words_it_does_not_know_is_refused(
    tmp_path: Path,
) -> None:
    """Not read as VICIdial's header-less import, which would send columns by position."""
    header = ["Referencia", "Origen", "Lista", "Prefijo", "Telefono", "Titulo", "Nombre"]
    header += [f"Campo{i}" for i in range(len(VICIDIAL_IMPORT_COLUMNS) - len(header))]
    cells = ["R1", "X", "1", "1", "2085550134", "", "Ana"] + [""] * (len(header) - 7)
    path = tmp_path / "clientes.txt"
    path.write_text("|".join(header) + "\n" + "|".join(cells) + "\n", encoding="utf-8")
    with pytest.raises(CsvError, match="header row"):
        LeadFile(path, defaults=DEFAULTS)


@pytest.mark.parametrize(("delimiter", "width"), [("|", 22), ("|", 24), ("\t", 23), (",", 23)])
def test_a_headerless_file_of_another_shape_is_still_refused(
    tmp_path: Path, delimiter: str, width: int
) -> None:
    cells = ["VL-1", "SRC", "101", "1", "2085550134", "", "Ann", "", "Lee"]
    cells += ["x"] * (width - len(cells))
    path = tmp_path / "leads.txt"
    path.write_text(delimiter.join(cells) + "\n", encoding="utf-8")
    with pytest.raises(CsvError, match="header row"):
        LeadFile(path, defaults=DEFAULTS)


def test_a_standard_import_whose_first_lead_has_no_phone_is_read_with_that_row_refused(
    tmp_path: Path,
) -> None:
    """VICIdial's loader skips a lead without a phone number; the file was refused whole,
    with a message asking for a header row it never has."""
    first = vicidial_row(1) | {"phone_number": ""}
    path = write_vicidial_import(tmp_path / "new.txt", [first, vicidial_row(2), vicidial_row(3)])
    rows = read_as_import(path)
    assert [row.row for row in rows] == [1, 2, 3]
    assert rows[0].lead is None and "phone1" in rows[0].problems
    assert [row.lead.fname for row in rows[1:] if row.lead is not None] == ["Ann2", "Ann3"]


def test_a_phoneless_first_row_of_that_width_over_no_lead_is_refused_as_neither(
    tmp_path: Path,
) -> None:
    """A first row of the import's width without a phone, over a row that is no standard
    import lead either: refused, and the message names both shapes the file could take."""
    first = vicidial_row(1) | {"phone_number": ""}
    second = vicidial_row(2) | {"phone_number": "call me"}
    path = write_vicidial_import(tmp_path / "new.txt", [first, second])
    with pytest.raises(CsvError, match="standard import") as refused:
        LeadFile(path, defaults=DEFAULTS)
    assert "header row" in str(refused.value)


def test_a_phoneless_first_lead_alone_is_refused_without_speaking_of_a_row_after_it(
    tmp_path: Path,
) -> None:
    path = write_vicidial_import(tmp_path / "new.txt", [vicidial_row(1) | {"phone_number": ""}])
    with pytest.raises(CsvError, match="standard import") as refused:
        LeadFile(path, defaults=DEFAULTS)
    assert "row after it" not in str(refused.value)
    assert "no other row" in str(refused.value)


def test_a_header_of_names_only_is_refused_without_the_import_hint(tmp_path: Path) -> None:
    """A first row of names is a header (in words LeadDesk does not know): the refusal
    speaks of header names, not of a lead the file never had."""
    header = ["Referencia", "Origen", "Lista", "Prefijo", "", "Titulo", "Nombre"]
    header += [f"Campo{i}" for i in range(len(VICIDIAL_IMPORT_COLUMNS) - len(header))]
    cells = ["R1", "X", "1", "1", "2085550134", "", "Ana"] + [""] * (len(header) - 7)
    path = tmp_path / "clientes.txt"
    path.write_text("|".join(header) + "\n" + "|".join(cells) + "\n", encoding="utf-8")
    with pytest.raises(CsvError, match="header row") as refused:
        LeadFile(path, defaults=DEFAULTS)
    assert "standard import" not in str(refused.value)


def test_a_header_of_that_width_with_a_blank_fifth_name_keeps_its_first_row_of_leads(
    tmp_path: Path,
) -> None:
    """The row read ahead to tell a header from a lead without a phone is still row 2."""
    header = ["first_name", "last_name", "city", "state", "", "phone"]
    header += [f"extra{i}" for i in range(len(VICIDIAL_IMPORT_COLUMNS) - len(header))]
    cells = ["Ann", "Lee", "Boise", "ID", "", "2085550134"] + [""] * (len(header) - 6)
    path = tmp_path / "piped.txt"
    lines = ["|".join(header), "|".join(cells), "|".join(["Bo", *cells[1:]])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is not VICIDIAL_IMPORT
        rows = list(leads.rows())
    assert [(row.row, row.lead.fname if row.lead else None) for row in rows] == [
        (2, "Ann"),
        (3, "Bo"),
    ]


@pytest.mark.parametrize(
    "first_lead",
    [
        {"city": "Mobile", "state": "AL", "postal_code": "36602"},  # a name for Cell phone
        {"city": "Price", "state": "UT", "postal_code": "84501"},  # a name for Purchase price
        {"last_name": "Street"},  # a name for Address
        {"phone_number": "(208) 555-0101"},  # VICIdial keeps the digits of a phone
    ],
    ids=["city-Mobile", "city-Price", "surname-Street", "formatted-phone"],
)
def test_a_standard_import_whose_first_lead_holds_a_field_name_is_read(
    tmp_path: Path, first_lead: dict[str, str]
) -> None:
    """Lead 1's values are no header, whatever they say: a header row has no phone number
    in it. Such a file was refused as a header run into a lead."""
    first = vicidial_row(1) | first_lead
    path = write_vicidial_import(tmp_path / "new.txt", [first, vicidial_row(2)])
    rows = read_as_import(path)
    assert [row.row for row in rows] == [1, 2]
    lead = rows[0].lead
    assert lead is not None, rows[0].problems
    assert (lead.fname, lead.phone1) == ("Ann1", re.sub(r"\D", "", first["phone_number"]))
    assert lead.city == first["city"] and lead.lname == first["last_name"]


def test_a_standard_import_saved_with_quoted_text_cells_is_read_without_the_quotes(
    tmp_path: Path,
) -> None:
    """A spreadsheet saving pipes quotes its text cells ("Ann"): the quotes are the
    file's, not the lead's. They were read as part of the values."""
    rows = [vicidial_row(1), vicidial_row(2)]
    path = write_vicidial_import(tmp_path / "new.txt", rows, quote_text=True)
    read = read_as_import(path)
    assert [row.row for row in read] == [1, 2]
    lead = read[0].lead
    assert lead is not None, read[0].problems
    assert (lead.fname, lead.lname, lead.city, lead.state) == ("Ann1", "O'Brien1", "Boise", "ID")
    assert lead.lead_comments == 'gate code 44 says "call after 5"'


def test_a_first_line_with_a_cell_past_the_csv_limit_is_refused_as_a_file_problem(
    tmp_path: Path,
) -> None:
    """The csv module's own error escaped the reader (a traceback in the terminal, a
    failed Import in the window) when the first line held a cell past its limit."""
    first = vicidial_row(1) | {"comments": "x" * 200_000}
    path = write_vicidial_import(tmp_path / "new.txt", [first, vicidial_row(2)])
    with pytest.raises(CsvError, match="line 1") as refused:
        LeadFile(path, defaults=DEFAULTS)
    assert "Ann1" not in str(refused.value) and "xxxx" not in str(refused.value)


def test_a_standard_import_whose_lines_end_in_a_pipe_reads_every_row(tmp_path: Path) -> None:
    """VICIdial's loader ignores a `|` at the end of a line; so does LeadDesk."""
    path = write_vicidial_import(tmp_path / "new.txt", [vicidial_row(1), vicidial_row(2)])
    ended = "".join(f"{line}|\n" for line in path.read_text(encoding="utf-8").splitlines())
    path.write_text(ended, encoding="utf-8")
    rows = read_as_import(path)
    assert [(row.row, row.problems) for row in rows] == [(1, {}), (2, {})]
    assert [row.lead.fname for row in rows if row.lead is not None] == ["Ann1", "Ann2"]


def test_the_row_before_one_the_csv_module_cannot_read_is_still_handed_on(
    tmp_path: Path,
) -> None:
    """Reading stops at a cell past the csv module's limit, saying how far it read: the
    rows before it, the last one too, reach the sender first."""
    path = tmp_path / "leads.csv"
    too_long = '"' + "x" * 200_000 + '"'
    lines = [
        "fname,lname,phone1,city,state",
        "Ann,Lee,2085550134,Boise,ID",
        "Bob,Ray,2085550135,Boise,ID",
        f"Cy,{too_long},2085550136,Boise,ID",
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read: list[str] = []
    with LeadFile(path, defaults=DEFAULTS) as leads, pytest.raises(CsvError, match="past row"):
        for row in leads.rows():
            assert row.lead is not None, row.problems
            read.append(row.lead.fname)
    assert read == ["Ann", "Bob"]


def test_a_header_of_that_width_with_a_blank_fifth_name_over_numbers_is_read_as_a_header(
    tmp_path: Path,
) -> None:
    """A header row (every cell a column name) with nothing over its fifth column, whose
    rows hold a number there (another phone, an id): read by its names, not taken for a
    standard import whose first lead has no phone, which would send each row by position
    (its first name as the vendor code, the unnamed column as the phone)."""
    header = ["first_name", "last_name", "address1", "city", "", "phone_number", "state"]
    header += ["zip", "email"]
    header += [f"extra{i}" for i in range(len(VICIDIAL_IMPORT_COLUMNS) - len(header))]
    cells = ["Ann", "Lee", "12 Elm St", "Boise", "2085550199", "2085550134", "ID", "83702"]
    cells += ["ann@example.com"] + [""] * (len(header) - 9)
    path = tmp_path / "piped.txt"
    path.write_text("|".join(header) + "\n" + "|".join(cells) + "\n", encoding="utf-8")
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is not VICIDIAL_IMPORT
        assert leads.first_row == 2
        rows = list(leads.rows())
    assert [row.row for row in rows] == [2]
    lead = rows[0].lead
    assert lead is not None, rows[0].problems
    assert (lead.fname, lead.lname, lead.phone1) == ("Ann", "Lee", "2085550134")


def test_a_header_read_ahead_past_keeps_its_first_row_of_leads(tmp_path: Path) -> None:
    """A header with a name unlike a column name ("2nd phone", placed by a map) and a
    blank fifth name over no phone: the row read ahead to tell it from a phoneless lead
    is still row 2, read once."""
    header = ["first_name", "last_name", "city", "state", "", "phone", "2nd phone"]
    header += [f"extra{i}" for i in range(len(VICIDIAL_IMPORT_COLUMNS) - len(header))]
    cells = ["Ann", "Lee", "Boise", "ID", "", "2085550134"] + [""] * (len(header) - 6)
    path = tmp_path / "piped.txt"
    lines = ["|".join(header), "|".join(cells), "|".join(["Bo", *cells[1:]])]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    map_path = tmp_path / "map.toml"
    map_path.write_text('[columns]\n"2nd phone" = "phone2"\n', encoding="utf-8")
    with LeadFile(path, map_path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is not VICIDIAL_IMPORT and leads.first_row == 2
        rows = list(leads.rows())
    assert [(row.row, row.lead.fname if row.lead else None) for row in rows] == [
        (2, "Ann"),
        (3, "Bo"),
    ]
