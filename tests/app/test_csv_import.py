"""Reading a lead file: a quote left open never carries the rows below it to the dealer
inside another lead's cell, and a header row's cells reach no log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from leaddesk.app.csv_import import CsvRefused, read_leads_csv
from leaddesk.cli.main import main
from leaddesk.config.logs import LOG_FILE_NAME
from leaddesk.domain.errors import CsvError

DEFAULTS = {"source_id": "S1"}
HEADER = "fname,lname,phone1,city,state,lead_comments\n"
ANN = "Ann,Smith,8015550001,Boise,ID,"
BOB = "Bob,Jones,8015550002,Nampa,ID,none\n"
CAT = "Cat,Lee,8015550003,Eagle,ID,"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "leads.csv"
    path.write_bytes(text.encode("utf-8"))
    return path


def refusal(tmp_path: Path, text: str) -> str:
    with pytest.raises(CsvError) as caught:
        read_leads_csv(write(tmp_path, text), DEFAULTS)
    return str(caught.value)


def test_a_quote_that_never_closes_refuses_the_file_naming_the_row(tmp_path: Path) -> None:
    message = refusal(tmp_path, HEADER + ANN + '"likes dogs\n' + BOB + CAT + "ok\n")
    assert "row 2 (line 2)" in message and "lead_comments" in message
    assert "Nothing was sent" in message
    for personal in ("Bob", "Jones", "8015550002", "Cat"):
        assert personal not in message


def test_a_quote_closed_rows_later_by_a_stray_quote_refuses_the_file(tmp_path: Path) -> None:
    text = HEADER + ANN + '"likes dogs\n' + BOB + CAT + 'says "hi" ok\n' + BOB.replace("B", "D")
    message = refusal(tmp_path, text)
    assert "row 2 (line 2)" in message
    assert "runs on into line 3, which reads as a row of its own" in message


def test_a_quote_open_at_the_end_of_the_file_refuses_it(tmp_path: Path) -> None:
    for ending in ('"likes dogs', '"likes dogs\n', '"likes dogs\nand cats\n'):
        message = refusal(tmp_path, HEADER + BOB + ANN + ending)
        assert "row 3 (line 3)" in message, ending
        assert "never closed: it runs to the end of the file" in message


def test_the_row_and_line_are_those_where_the_quote_opened(tmp_path: Path) -> None:
    two_line_comment = CAT + '"first line\nsecond line"\n'  # row 2: lines 2 and 3
    message = refusal(tmp_path, HEADER + two_line_comment + BOB + ANN + '"open\n' + BOB)
    assert "row 4 (line 5)" in message


def test_comments_over_several_lines_are_read_as_one_cell(tmp_path: Path) -> None:
    comment = 'Call after 5\r\nask for Bob, dog in yard\n"Beware", he said'
    quoted = '"' + comment.replace('"', '""') + '"'
    text = HEADER + ANN + quoted + "\r\n" + BOB + CAT + '"last one\nends here"'
    parsed = read_leads_csv(write(tmp_path, text), DEFAULTS)
    assert not parsed.problems
    rows = {row: lead for row, lead in parsed.leads}
    assert sorted(rows) == [2, 3, 4]
    assert "ask for Bob, dog in yard" in rows[2].lead_comments
    assert rows[3].fname == "Bob" and rows[4].lead_comments.endswith("ends here")


def test_quotes_inside_cells_as_spreadsheets_write_them_are_fine(tmp_path: Path) -> None:
    text = HEADER + ANN + '"He is 6\'2"" tall"\n' + CAT + "5'10\" wall\n"
    parsed = read_leads_csv(write(tmp_path, text), DEFAULTS)
    assert not parsed.problems
    assert [lead.lead_comments for _, lead in parsed.leads] == ["He is 6'2\" tall", "5'10\" wall"]


def test_a_cell_past_the_csv_limit_names_where_it_started(tmp_path: Path) -> None:
    long_lines = ("no commas on this line at all " * 10 + "\n") * 600
    message = refusal(tmp_path, HEADER + BOB + ANN + '"' + long_lines)
    assert "row 3, from line 3" in message


# --- a header row's cells are a lead's details when the header ran into the first lead --------

CANARY = "Canaryfirst"


def merged_header_file(tmp_path: Path) -> Path:
    """A header whose line break was lost: the first lead's cells joined it."""
    record = f"{CANARY},Canarylast,2085550143,Canaryville,ID,canary comment\n"
    return write(tmp_path, HEADER.rstrip("\n") + record + BOB)


def test_a_header_run_into_the_first_lead_is_refused_without_its_cells(tmp_path: Path) -> None:
    with pytest.raises(CsvRefused) as caught:
        read_leads_csv(merged_header_file(tmp_path), DEFAULTS)
    for text in (str(caught.value), caught.value.for_log):
        for personal in (CANARY, "Canarylast", "2085550143", "Canaryville", "canary"):
            assert personal.lower() not in text.lower(), text
    assert "columns 6, 7, 8, 9, 10, 11 of the header row" in str(caught.value)
    assert "6 of the header's 11 cells name no SecurityTrax field" in caught.value.for_log


def test_a_typo_in_a_plausible_header_is_named_but_not_for_the_log(tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("city", "citty") + BOB)
    with pytest.raises(CsvRefused) as caught:
        read_leads_csv(path, DEFAULTS)
    assert "unknown column 'citty'" in str(caught.value)
    assert "citty" not in caught.value.for_log and "column 4" in caught.value.for_log


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


def test_a_headerless_csv_names_none_of_its_values(tmp_path: Path) -> None:
    csv = tmp_path / "no-header.csv"
    csv.write_text("Ann,Smith,12 Elm Street,Parma,ID,83660\n", encoding="utf-8")
    with pytest.raises(CsvError) as caught:
        read_leads_csv(csv)
    for value in ("Ann", "Smith", "Elm", "Parma", "83660"):
        assert value not in str(caught.value)
    assert "header" in str(caught.value)


def test_a_header_in_the_wrong_case_is_told_what_the_names_look_like(tmp_path: Path) -> None:
    csv = tmp_path / "capitals.csv"
    csv.write_text("FName,LName,Phone1,City,State\nAnn,Smith,8013127735,Parma,ID\n", "utf-8")
    with pytest.raises(CsvError) as caught:
        read_leads_csv(csv)
    told = str(caught.value)
    assert "lower case" in told
    assert "source_id, fname, lname, city, state, phone1" in told  # what a lead needs
