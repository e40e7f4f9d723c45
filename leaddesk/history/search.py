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


TRIGRAM = 3  # the search index finds substrings of at least this many characters


def search_clause(search: str) -> tuple[str, list[object]]:
    """("...", params): a WHERE condition on `leads` matching the search text, or ("", [])
    for a blank search. Uses the trigram index; texts too short for it are scanned for.
    Text with letters also finds names whose words start with it, accents folded."""
    text = search.strip()
    if not text:
        return "", []
    words = any(character.isalpha() for character in text)
    if len(text) >= TRIGRAM:
        found = "SELECT rowid FROM leads_search WHERE leads_search MATCH ?"
        params: list[object] = [_match_expression(text)]
        if words:  # one IN over both indexes: the planner still starts from the matches
            found += " UNION SELECT rowid FROM leads_words WHERE leads_words MATCH ?"
            params.append(_phrase(text) + "*")
        return f"id IN ({found})", params
    needle = f"%{_escape_like(text)}%"
    match = [f"{column} LIKE ? ESCAPE '\\'" for column in _TEXT_COLUMNS]
    params = [needle] * len(match)
    digits = phone_digits(text)
    if digits:
        match.append("phone1 LIKE ?")
        params.append(f"%{digits}%")
    if words:
        match.append("id IN (SELECT rowid FROM leads_words WHERE leads_words MATCH ?)")
        params.append(_phrase(text) + "*")
    return "(" + " OR ".join(match) + ")", params


def _match_expression(text: str) -> str:
    """The text as one FTS5 phrase in any column, or its digits in the phone column."""
    expression = _phrase(text)
    digits = phone_digits(text)
    if len(digits) >= TRIGRAM:
        expression += f" OR phone1 : {_phrase(digits)}"
    return expression


def _phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def phone_digits(search: str) -> str:
    """The digits of a search that looks like (part of) a phone number, else "".

    Only then: "ann2@example.com" must not match every phone with a 2 in it.
    """
    text = search.strip()
    if not _PHONE_LIKE.fullmatch(text):
        return ""
    digits = "".join(ch for ch in text if ch.isascii() and ch.isdigit())
    if text.startswith("+1") or (len(digits) == 11 and digits.startswith("1")):
        digits = digits[1:]  # phones are stored as 10 digits, without the country code
    return digits if len(digits) >= 3 else ""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
