"""A quote left open never carries the rows below it to the dealer inside another lead's
cell, and a header row's cells reach no log. (From tests/app/test_csv_import.py, when a
file was read whole and refused whole; read as it comes, the row with the quote is
refused, naming where, and the rows inside its cell are never read as leads.)"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from leaddesk.cli.main import main
from leaddesk.config.logs import LOG_FILE_NAME
from leaddesk.domain.errors import CsvError
from leaddesk.sources.rows import CsvRefused, LeadFile, SourceRow

DEFAULTS = {"source_id": "S1"}
HEADER = "fname,lname,phone1,city,state,lead_comments\n"
ANN = "Ann,Smith,8015550001,Boise,ID,"
BOB = "Bob,Jones,8015550002,Nampa,ID,none\n"
CAT = "Cat,Lee,8015550003,Eagle,ID,"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leads.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def read(tmp_path: Path, text: str) -> list[SourceRow]:
    with LeadFile(write(tmp_path, text), defaults=DEFAULTS) as leads:
        return list(leads.rows())


def sent_names(rows: list[SourceRow]) -> list[str]:
    return [row.lead.fname for row in rows if row.lead is not None]


def test_a_quote_that_never_closes_refuses_its_row_and_reads_no_row_inside(
    tmp_path: Path,
) -> None:
    rows = read(tmp_path, HEADER + ANN + '"likes dogs\n' + BOB + CAT + "ok\n")
    assert sent_names(rows) == []
    [problem] = rows[0].problems.values()
    assert rows[0].row == 2 and "'lead_comments' (from line 2)" in problem
    for personal in ("Bob", "Jones", "8015550002", "Cat"):
        assert personal not in problem


def test_a_quote_closed_rows_later_by_a_stray_quote_refuses_its_row(tmp_path: Path) -> None:
    text = HEADER + ANN + '"likes dogs\n' + BOB + CAT + 'says "hi" ok\n' + BOB.replace("B", "D")
    rows = read(tmp_path, text)
    assert "runs on into line 3, which reads as a row of its own" in rows[0].problems[""]
    assert sent_names(rows) == ["Dob"]  # the row after the cell closed


def test_a_quote_open_at_the_end_of_the_file_refuses_the_last_row(tmp_path: Path) -> None:
    for ending in ('"likes dogs', '"likes dogs\n', '"likes dogs\nand cats\n'):
        rows = read(tmp_path, HEADER + BOB + ANN + ending)
        assert sent_names(rows) == ["Bob"], ending
        assert rows[-1].row == 3
        assert (
            "(from line 3) is never closed: it runs to the end of the file"
            in (rows[-1].problems[""])
        )


def test_the_line_is_where_the_quote_opened(tmp_path: Path) -> None:
    two_line_comment = CAT + '"first line\nsecond line"\n'  # row 2: lines 2 and 3
    rows = read(tmp_path, HEADER + two_line_comment + BOB + ANN + '"open\n' + BOB)
    assert rows[2].row == 4 and "(from line 5)" in rows[2].problems[""]
    assert sent_names(rows) == ["Cat", "Bob"]


def test_comments_over_several_lines_are_read_as_one_cell(tmp_path: Path) -> None:
    comment = 'Call after 5\r\nask for Bob, dog in yard\n"Beware", he said'
    quoted = '"' + comment.replace('"', '""') + '"'
    rows = read(tmp_path, HEADER + ANN + quoted + "\r\n" + BOB + CAT + '"last one\nends here"')
    assert [row.problems for row in rows] == [{}, {}, {}]
    leads = {row.row: row.lead for row in rows if row.lead is not None}
    assert sorted(leads) == [2, 3, 4]
    assert "ask for Bob, dog in yard" in leads[2].lead_comments
    assert leads[3].fname == "Bob" and leads[4].lead_comments.endswith("ends here")


def test_quotes_inside_cells_as_spreadsheets_write_them_are_fine(tmp_path: Path) -> None:
    rows = read(tmp_path, HEADER + ANN + '"He is 6\'2"" tall"\n' + CAT + "5'10\" wall\n")
    assert [row.lead.lead_comments for row in rows if row.lead] == [
        "He is 6'2\" tall",
        "5'10\" wall",
    ]


def test_a_cell_past_the_csv_limit_names_where_it_started(tmp_path: Path) -> None:
    long_lines = ("no commas on this line at all " * 10 + "\n") * 600
    with pytest.raises(CsvError, match=r"past row 3 \(from line 3\)"):
        read(tmp_path, HEADER + BOB + ANN + '"' + long_lines)


# --- a header row's cells are a lead's details when the header ran into the first lead --------

CANARY = "Canaryfirst"


def merged_header_file(tmp_path: Path) -> Path:
    """A header whose line break was lost: the first lead's cells joined it."""
    record = f"{CANARY},Canarylast,2085550143,Canaryville,ID,canary comment\n"
    return write(tmp_path, HEADER.rstrip("\n") + record + BOB)


def test_a_header_run_into_the_first_lead_is_refused_without_its_cells(tmp_path: Path) -> None:
    with pytest.raises(CsvRefused) as caught:
        LeadFile(merged_header_file(tmp_path), defaults=DEFAULTS)
    for text in (str(caught.value), caught.value.for_log):
        for personal in (CANARY, "Canarylast", "2085550143", "Canaryville", "canary"):
            assert personal.lower() not in text.lower(), text
    assert "columns 6, 7, 8, 9, 10, 11 of the header row" in str(caught.value)
    assert "6 of the header's 11 cells name no SecurityTrax field" in caught.value.for_log


def test_a_send_of_a_merged_header_logs_no_cell(
    tmp_path: Path, leaddesk_home: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The command line path, with the file log and a handler as a terminal would have."""
    caplog.set_level(logging.DEBUG)
    code = main(["send", str(merged_header_file(tmp_path)), "--url", "https://d.example/x"])
    assert code == 2
    for handler in logging.getLogger().handlers:
        handler.flush()
    log_text = (leaddesk_home / "logs" / LOG_FILE_NAME).read_text(encoding="utf-8")
    assert "cells name no SecurityTrax field" in log_text
    assert CANARY not in log_text and CANARY not in caplog.text


def test_a_headerless_file_names_none_of_its_values(tmp_path: Path) -> None:
    csv = tmp_path / "no-header.csv"
    csv.write_text("Ann,Smith,12 Elm Street,Parma,ID,83660\n", encoding="utf-8")
    with pytest.raises(CsvError) as caught:
        LeadFile(csv)
    for value in ("Ann", "Smith", "Elm", "Parma", "83660"):
        assert value not in str(caught.value)
    assert "header" in str(caught.value)


def test_bytes_the_encoding_cannot_read_refuse_their_row(tmp_path: Path) -> None:
    """UTF-8 in the part the encoding is told from, then a byte that is not."""
    path = tmp_path / "mixed.csv"
    path.write_bytes((HEADER + BOB * 2000).encode() + b"Ann,Sm\xffith,8015550001,Boise,ID,x\n")
    with LeadFile(path, defaults=DEFAULTS) as leads:
        rows = list(leads.rows())
    assert sent_names(rows) == ["Bob"] * 2000
    assert "column 'lname' is not readable as UTF-8 text" in rows[-1].problems[""]
