"""What is wrong with an email address, in a short sentence of LeadDesk's own.

email-validator's texts are thorough but long ("The part after the @-sign is not valid.
It should have a period.") and some quote every character at fault, so that a long paste
makes a long message. The form shows a field's message whole in the two lines it keeps
under the field (gui/field_message.py); these sentences say where the problem is and how
an address should look, in fewer words, and quote at most one plain character of the input.
"""

from __future__ import annotations

import string

# What an unquoted name before the @ may hold (RFC 5322's atext and the dot), and a
# domain's ASCII characters; letters beyond ASCII are left to the library to judge.
_NAME_CHARACTERS = frozenset(string.ascii_letters + string.digits + "!#$%&'*+-/=?^_`{|}~.")
_DOMAIN_CHARACTERS = frozenset(string.ascii_letters + string.digits + "-.")
_EXAMPLE = "as in name@example.com"


def email_problem(label: str, address: str, library_text: str) -> str:
    """The sentence shown at the field for `address`, which email-validator refused with
    `library_text`. Our own checks of the address come first (they need no reading of
    the library's words); its words then say which rule the address broke."""
    own = _shape_problem(label, address)
    if own is not None:
        return own
    name, domain = address.split("@")
    said = library_text.casefold()
    before = "before the @" in said
    where = "before the @" if before else "in the domain" if "after the @" in said else "in it"
    if "too long" in said or "so many characters" in said:
        if before:
            return f"{label} is too long before the @ (64 characters at most)."
        return f"{label} is too long (254 characters at most, 63 between dots)."
    if "period and a hyphen" in said:
        return f"{label} has a dot next to a hyphen."
    if "two dashes" in said:
        return f"{label} cannot have two hyphens in a row in the domain."
    if "two periods" in said:
        return f"{label} cannot have two dots in a row."
    if "should have a period" in said:
        return f"{label} needs a dot in the domain, {_EXAMPLE}."
    if "period" in said or "hyphen" in said:
        mark = "dot" if "period" in said else "hyphen"
        return f"{label} cannot have a {mark} at the start, at the end or beside the @."
    if "top-level domain" in said:
        return f"{label} must end in a real domain ending such as .com."
    if "special-use" in said or "reserved" in said:
        return f"{label} has a reserved domain (such as .local) that takes no mail."
    if "bracket" in said or "display name" in said or "quot" in said or "after the email" in said:
        return f"{label} must be the address alone, {_EXAMPLE}."
    if "internationalized" in said or "ascii" in said:
        return f"{label} cannot have accented letters before the @."
    if "unsafe" in said:
        return f"{label} has an invisible or unusual character: retype it."
    if "character" in said:
        allowed, part = (_NAME_CHARACTERS, name) if before else (_DOMAIN_CHARACTERS, domain)
        odd = next((c for c in part if c in string.printable and c not in allowed), None)
        if odd is not None and not odd.isspace():
            return f"{label} cannot have “{odd}” {where}."
        return f"{label} has a character not allowed {where}."
    if before:
        return f"{label} is not valid before the @, {_EXAMPLE}."
    if where != "in it":
        return f"{label} has a domain that is not valid (after the @)."
    return f"{label} is not a valid address, {_EXAMPLE}."


def _shape_problem(label: str, address: str) -> str | None:
    """A problem seen without the library: the @ and what is on each side of it."""
    if "@" not in address:
        return f"{label} needs an @, {_EXAMPLE}."
    if "<" in address or ">" in address:
        return f"{label} must be the address alone, {_EXAMPLE}."
    if address.count("@") > 1:
        return f"{label} has more than one @."
    if any(c.isspace() for c in address):
        return f"{label} cannot contain spaces."
    name, domain = address.split("@")
    if not name:
        return f"{label} needs a name before the @, {_EXAMPLE}."
    if not domain:
        return f"{label} needs a domain after the @, {_EXAMPLE}."
    return None
