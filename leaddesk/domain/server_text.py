"""Text that came from a server (a Location header, a reason phrase, an error message), made
safe to store, print on a terminal and show in the window.

A server can put terminal escape codes, other control characters or bidi overrides in what
it says; shown raw, they can recolour or rewrite a terminal, or make a reason read backwards.
"""

from __future__ import annotations

import re
import unicodedata

# Whole escape sequences first (CSI "ESC [ ... m", OSC "ESC ] ... BEL", and their C1 forms),
# so that no "[31m" is left behind once the ESC itself is gone.
_ESCAPE_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]"  # CSI
    r"|(?:\x1b\]|\x9d)[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, to BEL or ST
    r"|\x1b[@-_]"  # any other two-character escape
)
_WHITESPACE = re.compile(r"\s+")
# Controls (C0, C1, DEL), format characters (bidi overrides and isolates, zero-width
# characters), lone surrogates, and line/paragraph separators.
_UNSAFE_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
ELLIPSIS = "…"


def printable(text: str, limit: int = 200) -> str:
    """The text on one line, without control or format characters, at most `limit`
    characters (cut short with an ellipsis)."""
    if limit <= 0:
        return ""
    text = _ESCAPE_SEQUENCE.sub("", text)
    text = _WHITESPACE.sub(" ", text)  # tabs and line breaks become plain spaces
    text = "".join(ch for ch in text if unicodedata.category(ch) not in _UNSAFE_CATEGORIES)
    text = _WHITESPACE.sub(" ", text).strip()
    if len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return text


# C0 and C1 controls but line breaks and tabs: what a whole document may hold and a terminal
# may show, as long as nothing in it moves the cursor, recolours or retitles the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def escape_controls(text: str) -> str:
    """Stored text (a request, a reply, a lead's values) for a terminal: every control
    character shown as an escape such as \\x1b, so that what was there can still be read."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)
