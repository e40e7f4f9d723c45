"""Encoding and delimiter detection, on text hypothesis makes up: whatever a file says,
written in any of the encodings and with any of the delimiters call floors use, it is read
back cell for cell."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leaddesk.sources.dialect import DELIMITERS, detect_delimiter, detect_encoding, sniff

HEADER = ["first_name", "last_name", "phone_number", "city", "state", "comments"]
# Names as call floors type them: letters of Western European languages, spaces,
# apostrophes, hyphens; comments also take punctuation, quotes and the delimiters.
_NAME_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàáâäçèéêëíîïñóôöúûüýÿßÀÉÑÖÜ'- "
names = st.text(_NAME_LETTERS, min_size=1, max_size=20).filter(lambda text: text.strip() != "")
comments = st.text(_NAME_LETTERS + '.,;|\t"!?0123456789€', max_size=40)
rows = st.lists(
    st.tuples(
        names, names, st.from_regex(r"[2-9][0-9]{9}", fullmatch=True), names, names, comments
    ),
    min_size=1,
    max_size=8,
)
# Encodings with a BOM where one is written; cp1252 text is limited to what it can hold.
ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-be-bom", "cp1252"]


def encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16-be-bom":
        return codecs.BOM_UTF16_BE + text.encode("utf-16-be")
    return text.encode(encoding)


def told_apart(data: bytes, encoding: str) -> bool:
    """Whether these bytes can say what the text was. cp1252 text whose bytes also make
    valid UTF-8 ("É€" is C9 80, which is UTF-8's "ɀ") reads as UTF-8, as every reader
    takes it: the same bytes cannot give back two texts (test below)."""
    if encoding != "cp1252":
        return True
    try:
        return data.decode("utf-8") == data.decode("cp1252")  # plain ASCII, say
    except UnicodeDecodeError:
        return True


def table(delimiter: str, body: Sequence[tuple[str, ...]]) -> str:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(body)
    return out.getvalue()


@settings(max_examples=150, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(DELIMITERS), st.sampled_from(ENCODINGS), rows)
def test_any_file_reads_back_cell_for_cell(
    tmp_path: Path, delimiter: str, encoding: str, body: list[tuple[str, ...]]
) -> None:
    text = table(delimiter, body)
    data = encode(text, encoding)
    assume(told_apart(data, encoding))
    path = tmp_path / "leads.csv"
    path.write_bytes(data)
    dialect = sniff(path)
    assert dialect.delimiter == delimiter
    with path.open(encoding=dialect.encoding, newline="") as file:
        read = list(csv.reader(file, delimiter=dialect.delimiter))
    assert read == [HEADER, *map(list, body)]


@given(st.sampled_from(ENCODINGS), st.text(_NAME_LETTERS + "€", min_size=1, max_size=200))
def test_the_encoding_gives_back_the_text(encoding: str, text: str) -> None:
    data = encode("fname,lname\n" + text, encoding)
    assume(told_apart(data, encoding))
    assert data.decode(detect_encoding(data)).removeprefix("\ufeff") == "fname,lname\n" + text


@pytest.mark.parametrize("text", ["É€", "Ã©"])
def test_bytes_that_are_valid_utf8_read_as_utf8(text: str) -> None:
    # Found by hypothesis: cp1252's "É€" is the UTF-8 of "ɀ", and "Ã©" the UTF-8 of "é".
    data = ("fname,lname\n" + text).encode("cp1252")
    assert detect_encoding(data) == "utf-8"


@pytest.mark.parametrize("delimiter", DELIMITERS)
def test_a_delimiter_inside_quoted_cells_does_not_fool_it(delimiter: str) -> None:
    others = "".join(d for d in DELIMITERS if d != delimiter)
    body = [("Ann", "Smith", "2085550101", f"Boise{others}", "ID", f'"{others}{others}"')] * 3
    assert detect_delimiter(table(delimiter, body)) == delimiter


def test_utf16_without_a_bom_is_told_by_its_nuls() -> None:
    text = table("\t", [("Renée", "Müller", "2085550101", "Boise", "ID", "ok")] * 5)
    for codec in ("utf_16_le", "utf_16_be"):
        data = text.encode(codec)
        assert data.decode(detect_encoding(data)) == text


def test_a_sample_cut_inside_a_character_is_still_utf8() -> None:
    data = ("fname\n" + "é" * 10).encode()
    assert detect_encoding(data[:-1], whole=False) == "utf-8"
