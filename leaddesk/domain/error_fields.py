"""Which field a dealer's error text is about, so that "Edit and resend" can show it there.

SecurityTrax's error texts are free text; a text that names a field (by its element name,
like "phone1", or by its label, like "Last name") is shown at that field, any other in a
note above the form.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from leaddesk.domain.fields import FIELDS

# Longest names first, so that "lead_custom1" is not taken for a shorter name inside it.
_PATTERNS = sorted(
    (
        (re.compile(rf"(?<![\w]){re.escape(term)}(?![\w])", re.IGNORECASE), spec.name)
        for spec in FIELDS
        for term in (spec.name, spec.label)
    ),
    key=lambda item: -len(item[0].pattern),
)


def errors_by_field(errors: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """({field: error texts joined}, [texts about no recognisable field])."""
    by_field: dict[str, list[str]] = {}
    unplaced: list[str] = []
    for error in errors:
        field = next((name for pattern, name in _PATTERNS if pattern.search(error)), None)
        if field is None:
            unplaced.append(error)
        else:
            by_field.setdefault(field, []).append(error)
    return {field: " ".join(texts) for field, texts in by_field.items()}, unplaced
