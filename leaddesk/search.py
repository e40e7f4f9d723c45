"""The history's search: one text matched against name, phone, email, customer id and
lead ID, the same for the command line and the history pane."""

from __future__ import annotations

import re

_PHONE_LIKE = re.compile(r"[0-9()+.\- ]+")
_TEXT_COLUMNS = (
    "fname || ' ' || lname",
    "email",
    "customer_id",
    "unique_id",
)


def search_clause(search: str) -> tuple[str, list[object]]:
    """("(... OR ...)", params) matching the search text, or ("", []) for a blank search."""
    text = search.strip()
    if not text:
        return "", []
    needle = f"%{_escape_like(text)}%"
    match = [f"{column} LIKE ? ESCAPE '\\'" for column in _TEXT_COLUMNS]
    params: list[object] = [needle] * len(match)
    digits = phone_digits(text)
    if digits:
        match.append("phone1 LIKE ?")
        params.append(f"%{digits}%")
    return "(" + " OR ".join(match) + ")", params


def phone_digits(search: str) -> str:
    """The digits of a search that looks like (part of) a phone number, else "".

    Only then: "ann2@example.com" must not match every phone with a 2 in it.
    """
    text = search.strip()
    if not _PHONE_LIKE.fullmatch(text):
        return ""
    digits = "".join(ch for ch in text if ch.isdigit())
    return digits if len(digits) >= 3 else ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
