"""Text that came from a server we do not control, made safe to store and print.

An error text, a reason phrase or a Location header can carry terminal escape codes, other
control characters or bidi overrides that make a terminal or the history show something
other than what is there. They are taken out, line breaks become spaces, and the text is
cut to a length that a message line can hold.
"""

from __future__ import annotations

import re

# A terminal escape sequence as a whole (CSI, OSC ... BEL/ST, or ESC and one character):
# removing only the ESC would leave "[31m" behind.
_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI: colours, cursor moves, screen clears
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC: window titles, hyperlinks
    r"|\x1b[@-_]?"  # any other escape
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI as one C1 character
)
# C0 and C1 controls, DEL, and the bidi embeddings, overrides and isolates.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_LINE_BREAKS = re.compile("[\t\n\r\v\f\u2028\u2029]")
_SPACES = re.compile(" {2,}")
_ELLIPSIS = "…"


def printable(text: str, limit: int = 300) -> str:
    """`text` without control characters, on one line, at most `limit` characters long
    (a cut text ends in an ellipsis)."""
    if limit < 1:
        raise ValueError("limit must be at least 1")
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _LINE_BREAKS.sub(" ", text)  # before _UNSAFE: tabs and line breaks are C0 too
    text = _SPACES.sub(" ", _UNSAFE.sub("", text)).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + _ELLIPSIS
    return text
