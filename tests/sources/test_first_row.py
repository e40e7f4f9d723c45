"""A pipe file's first row: a header of column names, or the first lead of VICIdial's
standard import (no header row, columns by position)? Read wrongly as a lead, a header's
rows are sent by position: the first name as the vendor code, a number under a blank name
as the phone. A header is never taken for a lead; a first lead whose phone is missing or
too short is read as one only on a lead's evidence, and the file is refused when neither
side has any."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from leaddesk.domain.errors import CsvError
from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.sources.layouts import VICIDIAL_IMPORT, VICIDIAL_IMPORT_COLUMNS
from leaddesk.sources.rows import LeadFile, SourceRow
from tests.support.lead_layouts import (
    BOBERDOO_COLUMNS,
    FACEBOOK_COLUMNS,
    GOOGLE_ADS_COLUMNS,
    LEADCONDUIT_COLUMNS,
    VICIDIAL_COLUMNS,
    VICIDIAL_IMPORT_ORDER,
    vicidial_row,
    write_vicidial_import,
)

DEFAULTS = {"source_id": "S1"}
WIDTH = len(VICIDIAL_IMPORT_COLUMNS)
PHONE = VICIDIAL_IMPORT_COLUMNS.index("phone_number")


def read_by_position(path: Path, map_path: Path | None = None) -> bool:
    """Whether LeadDesk reads the file as a standard import (its rows sent by position);
    False when it reads a header row, or refuses the file."""
    try:
        with LeadFile(path, map_path, defaults=DEFAULTS) as leads:
            return leads.mapping.layout is VICIDIAL_IMPORT
    except CsvError:
        return False


def write_lines(path: Path, rows: list[list[str]]) -> Path:
    path.write_text("".join("|".join(row) + "\n" for row in rows), encoding="utf-8")
    return path


def import_cells(row: dict[str, str]) -> list[str]:
    """A vicidial_row() as the cells of a standard import line."""
    as_export = {"middle": "middle_initial", "country": "country_code", "COMMENTS": "comments"}
    names = [as_export.get(name, name) for name in VICIDIAL_IMPORT_ORDER]
    return [row.get(name, "").replace("!N", " ") for name in names]


# --- defect: a header whose names start with a digit or a symbol --------------------------


def odd_header() -> list[str]:
    header = ["#", "1st_name", "last_name", "city", "", "phone", "2nd phone", "state", "zip"]
    return header + [f"extra{i}" for i in range(WIDTH - len(header))]


def odd_header_row(i: int) -> list[str]:
    """A lead under odd_header(): an id under "#", a number of 10 digits under the blank
    fifth name (the lead's other phone, say), as a standard import has its phone there."""
    cells = [str(i), f"Ann{i}", "Lee", "Boise", f"208555{i:04d}", f"208556{i:04d}", ""]
    return cells + ["ID", "83702"] + [""] * (WIDTH - 9)


def test_a_header_of_names_starting_with_a_digit_or_symbol_is_not_read_as_a_lead(
    tmp_path: Path,
) -> None:
    """The names "#" and "1st_name" look like no column name to the old guard: the header was
    taken for a standard import lead without a phone, and its rows sent by position."""
    path = write_lines(tmp_path / "leads.txt", [odd_header(), odd_header_row(1), odd_header_row(2)])
    assert not read_by_position(path)


def test_such_a_header_placed_by_a_map_is_read_by_its_names(tmp_path: Path) -> None:
    path = write_lines(tmp_path / "leads.txt", [odd_header(), odd_header_row(1), odd_header_row(2)])
    map_path = tmp_path / "map.toml"
    map_path.write_text('[columns]\n"#" = ""\n"1st_name" = "fname"\n"2nd phone" = "phone2"\n')
    with LeadFile(path, map_path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is not VICIDIAL_IMPORT and leads.first_row == 2
        rows = list(leads.rows())
    sent = [(row.row, row.lead.fname, row.lead.phone1) for row in rows if row.lead is not None]
    assert sent == [(2, "Ann1", "2085560001"), (3, "Ann2", "2085560002")]


def test_a_header_of_odd_names_only_is_refused_naming_both_readings(tmp_path: Path) -> None:
    """No name LeadDesk knows, no lead's value where the import has one: LeadDesk does not
    guess, and says how to settle it (without quoting the row: it may be a lead)."""
    header = ["#", "1st_name", "1st_surname", "2nd_phone", ""]
    header += [f"{i}th col" for i in range(WIDTH - len(header))]
    path = write_lines(tmp_path / "leads.txt", [header, import_cells(vicidial_row(1))])
    with pytest.raises(CsvError) as refused:
        LeadFile(path, defaults=DEFAULTS)
    message = str(refused.value)
    assert "header" in message and "standard import" in message and "--map" in message
    assert "1st_surname" not in message


def test_a_header_of_dates_is_not_read_as_a_lead(tmp_path: Path) -> None:
    """A report with a column a day: a date is a column name there, so a date where the
    import has the date of birth is no lead's evidence."""
    header = ["#", "", "", "", ""] + [f"2026-11-{day:02d}" for day in range(1, WIDTH - 4)]
    path = write_lines(tmp_path / "days.txt", [header, import_cells(vicidial_row(1))])
    assert not read_by_position(path)


# --- property: no header is ever read as a lead ------------------------------------------

_LAYOUT_NAMES = (
    *VICIDIAL_COLUMNS, *FACEBOOK_COLUMNS, *GOOGLE_ADS_COLUMNS, *LEADCONDUIT_COLUMNS,
    *BOBERDOO_COLUMNS, *VICIDIAL_IMPORT_ORDER, *FIELD_NAMES,
    "Phone", "Zip Code", "E-mail", "First Name", "Surname", "Street Address", "Town",
    "Cell Phone", "Notes", "Full Name", "Name", "ID",
)  # fmt: skip


def _spelt(name: str, style: int) -> str:
    """One of the ways files spell a name: as is, upper case, words with spaces, dashes."""
    return [name, name.upper(), name.replace("_", " ").title(), name.replace("_", "-")][style]


known_names = st.builds(_spelt, st.sampled_from(_LAYOUT_NAMES), st.integers(0, 3))
# Column names that start with a digit or a symbol, as people make them: "#", "2nd phone",
# "1st_name", "%", "3rd-party id". A column's name has a letter, or is a lone mark.
odd_names = st.one_of(
    st.sampled_from(["#", "%", "*", "No.", "?", "#2", "1st_name", "2nd phone", "$"]),
    st.from_regex(r"[#0-9%&*+!~^$][0-9]{0,2}[A-Za-z][A-Za-z0-9 _#.%-]{0,10}", fullmatch=True),
)
# Over the fifth column: nothing, or a name; or digits too few for a phone ("555-0101").
# (Seven digits or more there are a phone by VICIdial's rules: a lead, whatever else.)
fifth_names = st.one_of(
    st.just(""), known_names, odd_names, st.sampled_from(["555-0101", "555 01", "1", "5"])
)


def _lead_cells(i: int) -> list[str]:
    return import_cells(vicidial_row(i))


@st.composite
def headers(draw: st.DrawFn, known: bool) -> list[str]:
    names = st.one_of(known_names, odd_names, st.just("")) if known else odd_names
    cells = draw(st.lists(names, min_size=WIDTH, max_size=WIDTH))
    cells[PHONE] = draw(fifth_names if known else st.sampled_from(["", "555-0101", "7"]))
    if known:  # at least one name the readers know, anywhere
        cells[draw(st.integers(0, WIDTH - 1))] = draw(known_names)
    return cells


_PROPERTY = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_PROPERTY
@given(headers(known=True), st.integers(1, 3))
def test_a_header_with_a_name_the_readers_know_is_never_read_as_a_lead(
    tmp_path: Path, header: list[str], leads: int
) -> None:
    rows = [header] + [_lead_cells(i) for i in range(1, leads + 1)]
    assert not read_by_position(write_lines(tmp_path / "leads.txt", rows))


@_PROPERTY
@given(headers(known=False), st.integers(1, 3))
def test_a_header_of_odd_names_only_is_never_read_as_a_lead(
    tmp_path: Path, header: list[str], leads: int
) -> None:
    rows = [header] + [_lead_cells(i) for i in range(1, leads + 1)]
    assert not read_by_position(write_lines(tmp_path / "leads.txt", rows))


# --- a first lead without a phone it can use is still read -------------------------------

FIRST_NAMES = ("Ann", "Bo", "María", "Zoë", "Dee", "Cy")
LAST_NAMES = ("Lee", "O'Brien", "Núñez", "van der Berg", "Okafor")
CITIES = ("Boise", "Nampa", "Salt Lake City", "Eagle", "Meridian")


@st.composite
def first_leads(draw: st.DrawFn) -> dict[str, str]:
    """A standard import lead of valid values, its phone missing or too short, with a
    ZIP or an email (or both) where the import has them."""
    row = vicidial_row(1) | {
        "first_name": draw(st.sampled_from(FIRST_NAMES)),
        "last_name": draw(st.sampled_from(LAST_NAMES)),
        "city": draw(st.sampled_from(CITIES)),
        "state": draw(st.sampled_from(["ID", "UT", "ut", "Idaho"])),
        "postal_code": draw(st.from_regex(r"[0-9]{5}(-[0-9]{4})?", fullmatch=True)),
        "email": draw(st.from_regex(r"[a-z]{1,8}[0-9]{0,3}@example\.(com|org)", fullmatch=True)),
        "phone_number": draw(st.sampled_from(["", "555-0101", "208-555", "(208) 555", "55"])),
    }
    blank = draw(st.sampled_from(["", "postal_code", "email", "alt_phone"]))
    return row | ({blank: ""} if blank else {})


@_PROPERTY
@given(first_leads())
def test_a_first_lead_without_a_usable_phone_is_read_with_its_row_not_sent(
    tmp_path: Path, first: dict[str, str]
) -> None:
    path = write_vicidial_import(tmp_path / "new.txt", [first, vicidial_row(2), vicidial_row(3)])
    rows = read_as_import(path)
    assert [row.row for row in rows] == [1, 2, 3]
    assert rows[0].lead is None and "phone1" in rows[0].problems
    assert [row.lead.fname for row in rows[1:] if row.lead is not None] == ["Ann2", "Ann3"]


def test_a_first_lead_whose_phone_is_too_short_is_read_and_named_as_not_sent(
    tmp_path: Path,
) -> None:
    """A short phone (seven digits with a dash: VICIdial keeps digits, LeadDesk needs ten)
    refused the whole file, asking for a header row it never has."""
    first = vicidial_row(1) | {"phone_number": "555-0101"}
    path = write_vicidial_import(tmp_path / "new.txt", [first, vicidial_row(2), vicidial_row(3)])
    rows = read_as_import(path)
    assert [row.row for row in rows] == [1, 2, 3]
    assert rows[0].lead is None and "10-digit" in rows[0].problems["phone1"]
    assert [row.lead.phone1 for row in rows[1:] if row.lead is not None] == [
        "2085550002",
        "2085550003",
    ]


def test_a_header_with_a_short_number_over_its_fifth_column_stays_a_header(
    tmp_path: Path,
) -> None:
    """A short phone's reading does not weaken the header's: a known name keeps it one."""
    header = ["first_name", "last_name", "city", "state", "555-0101", "phone"]
    header += [f"extra{i}" for i in range(WIDTH - len(header))]
    cells = ["Ann", "Lee", "Boise", "ID", "2085550199", "2085550134"] + [""] * (WIDTH - 6)
    path = write_lines(tmp_path / "leads.txt", [header, cells])
    assert not read_by_position(path)


def read_as_import(path: Path) -> list[SourceRow]:
    with LeadFile(path, defaults=DEFAULTS) as leads:
        assert leads.mapping.layout is VICIDIAL_IMPORT and leads.first_row == 1
        return list(leads.rows())


def test_a_blank_line_after_a_phoneless_first_lead_is_passed_over(tmp_path: Path) -> None:
    """The row after the first is the next one with cells: a blank line between them made
    the file "have no other row", and it was refused whole."""
    path = write_vicidial_import(
        tmp_path / "new.txt", [vicidial_row(1) | {"phone_number": ""}, vicidial_row(2)]
    )
    first, second = path.read_text(encoding="utf-8").splitlines()
    path.write_text(f"{first}\n\n \n{second}\n", encoding="utf-8")
    rows = read_as_import(path)
    assert [row.row for row in rows] == [1, 4]
    assert rows[0].lead is None and "phone1" in rows[0].problems
    assert rows[1].lead is not None and rows[1].lead.fname == "Ann2"
