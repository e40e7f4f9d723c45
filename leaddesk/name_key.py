"""A last name as the history compares and sorts it: case and accents folded away.

"Núñez", "NUNEZ" and "Nunez" are one key: the duplicate guard takes a lead typed with or
without the accents for the same person, and sorting by name puts Álvarez among the A's,
not after Zamora.
"""

from __future__ import annotations

import unicodedata

SQL_FUNCTION = "leaddesk_name_key"  # the same, for the schema step that fills old rows


def name_key(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
