"""A last name as the history compares and sorts it: case and the accents of Latin letters
folded away.

"Núñez", "NUNEZ" and "Nunez" are one key: the duplicate guard takes a lead typed with or
without the accents for the same person, and sorting by name puts Álvarez among the A's,
not after Zamora. Marks that make another letter in other scripts stay (Зуйков is not
Зуиков, ガトウ is not カトウ). Changing this function needs a schema step that keys the
stored leads again.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

SQL_FUNCTION = "leaddesk_name_key"  # the same, for the schema step that fills old rows

# Latin letters that do not decompose into a letter and a mark, and apostrophes that
# spreadsheets and phones type curly: spelled as people type them without them.
_SPELLED = str.maketrans(
    {
        "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "ħ": "h", "Ħ": "H", "ı": "i", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE",
        "þ": "th", "Þ": "TH", "’": "'", "‘": "'", "ʼ": "'",
    }
)  # fmt: skip


def name_key(name: str) -> str:
    kept: list[str] = []
    for character in unicodedata.normalize("NFKD", name.translate(_SPELLED)):
        if kept and unicodedata.combining(character) and _latin(kept[-1]):
            continue  # an accent on a Latin letter: Núñez is Nunez
        kept.append(character)
    return unicodedata.normalize("NFC", "".join(kept)).casefold()


@lru_cache(maxsize=4096)
def _latin(character: str) -> bool:
    return ("a" <= character.lower() <= "z") or "LATIN" in unicodedata.name(character, "")
