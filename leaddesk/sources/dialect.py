"""How a lead file is written: its text encoding and the character between its cells.

Call floors' files come as UTF-8 (with or without Excel's BOM), UTF-16 with a BOM (Excel's
"Unicode text", some dialers), or Windows' cp1252 (Latin-1's superset) from older tools;
cells are split by commas, semicolons (European Excel), tabs (VICIdial) or pipes.
Both are told from the first part of the file, so a large file is never read whole.

No detection library: among these encodings the bytes decide (a BOM; valid UTF-8; NULs
for UTF-16; else cp1252). charset-normalizer, tried first, read short cp1252 text such
as "AßAA-A" as UTF-16 (hypothesis found it), and a guess among all codecs picks cp1250
or cp775 for Western names.
"""

from __future__ import annotations

import codecs
import csv
import io
from dataclasses import dataclass
from pathlib import Path

# Enough for a header and a few hundred rows: what the guesses are made from.
SAMPLE_BYTES = 64 * 1024
DELIMITERS = (",", ";", "\t", "|")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),  # before UTF-16 LE: its BOM starts the same
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(frozen=True)
class FileDialect:
    encoding: str  # a Python codec name; a BOM's codec drops the BOM
    delimiter: str

    def describe(self) -> str:
        return f"{self.encoding_name}, {self.delimiter_name} separated"

    @property
    def encoding_name(self) -> str:
        return _ENCODING_WORDS.get(self.encoding, self.encoding)

    @property
    def delimiter_name(self) -> str:
        return DELIMITER_NAMES.get(self.delimiter, repr(self.delimiter))


_ENCODING_WORDS = {
    "utf-8": "UTF-8",
    "utf_8": "UTF-8",
    "utf-8-sig": "UTF-8 with BOM",
    "utf-16": "UTF-16 with BOM",
    "utf-32": "UTF-32 with BOM",
    "utf_16_le": "UTF-16 LE",
    "utf_16_be": "UTF-16 BE",
    "cp1252": "Windows-1252",
    "latin_1": "Latin-1",
}


def detect_encoding(sample: bytes, whole: bool = True) -> str:
    """The codec to read a file that starts with `sample` (`whole`: and ends with it)."""
    for bom, codec in _BOMS:
        if sample.startswith(bom):
            return codec
    if _is_utf8(sample, whole):
        return "utf-8"
    if b"\x00" in sample:
        # UTF-16 without a BOM: Latin text has a NUL in every other byte, the second of
        # each pair in little-endian order, the first in big-endian.
        odd, even = sample[1::2].count(0), sample[0::2].count(0)
        return "utf_16_le" if odd >= even else "utf_16_be"
    # Not UTF-8: Windows' cp1252 (Latin-1 with curly quotes and the euro sign where
    # Latin-1 has control characters), unless it has a byte cp1252 leaves undefined.
    try:
        sample.decode("cp1252")
    except UnicodeDecodeError:
        return "latin_1"
    return "cp1252"


def _is_utf8(sample: bytes, whole: bool) -> bool:
    if b"\x00" in sample:  # text has no NUL; UTF-16 without a BOM has many
        return False
    try:
        # A sample cut from a longer file may end inside a character: then an incremental
        # decoder waits for the rest. A whole file may not (cp1252 text ending in "É").
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=whole)
    except UnicodeDecodeError:
        return False
    return True


def detect_delimiter(text: str) -> str:
    """The delimiter under which the header row splits into the most cells, and the rows
    below into as many as it does (a comma inside a quoted cell of a semicolon file splits
    nothing the csv module reads). A single column reads as comma separated."""
    lines = text.splitlines(keepends=True)[:50]
    if lines and not text.endswith(("\n", "\r")) and len(lines) > 1:
        lines = lines[:-1]  # the sample cut the last line short
    best, best_score = ",", (0.0, 1)
    for delimiter in DELIMITERS:
        try:
            rows = [row for row in csv.reader(io.StringIO("".join(lines)), delimiter=delimiter)]
        except csv.Error:
            continue
        rows = [row for row in rows if any(cell.strip() for cell in row)]
        if not rows or len(rows[0]) < 2:
            continue
        width = len(rows[0])
        body = rows[1:] or rows
        fit = sum(1 for row in body if len(row) == width) / len(body)
        score = (fit, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def sniff(path: Path) -> FileDialect:
    """The encoding and delimiter of the file at `path`, from its first part."""
    with path.open("rb") as file:
        sample = file.read(SAMPLE_BYTES)
    encoding = detect_encoding(sample, whole=len(sample) < SAMPLE_BYTES)
    text = codecs.getincrementaldecoder(encoding)(errors="replace").decode(sample, final=False)
    return FileDialect(encoding, detect_delimiter(text))
