"""Reading a lead post and checking each lead the way SecurityTrax does.

The parsing is the sandbox's own (defusedxml), not `leaddesk.wire`'s, so that a mistake in
the client's document shows up here instead of being shared.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from leaddesk.domain.fields import FIELD_NAMES

_REQUIRED = ("source_id", "fname", "lname", "city", "state", "phone1")
# [0-9] rather than \d: \d also matches other scripts' digits, which SecurityTrax would not.
_PHONE_RULE = ("[0-9]{10}", "must be 10 digits, numbers only")
_FORMATS: dict[str, tuple[str, str]] = {  # field: (pattern the whole value must match, problem)
    "state": ("[A-Z]{2}", "must be a 2-letter state code such as ID"),
    "zip": ("[0-9]{5}(?:[0-9]{4})?", "must be 5 or 9 digits, numbers only"),
    **dict.fromkeys(("phone1", "phone2", "phone3", "phone4"), _PHONE_RULE),
    "contact_time": ("(?s).{0,50}", "must be at most 50 characters"),
    "lead_home_ownership": ("own|rent|lease|other", "must be one of own, rent, lease, other"),
    "lead_type_id": ("[23]", "must be 2 (Pending) or 3 (Queue)"),
    "lead_purchase_price": (r"[0-9]+\.[0-9]{2}", "must be a number like 27.50, without $"),
}


def parse_leads(body: bytes) -> list[ET.Element] | str:
    """The <lead> elements of a request, or what is wrong with the document as a whole."""
    if not body.strip():
        return "The request body is empty; expected <leads><lead>...</lead></leads>."
    try:
        root = SafeET.fromstring(body)
    except (ET.ParseError, DefusedXmlException) as error:
        return f"The request is not well-formed XML: {error}"
    if root.tag != "leads":
        return f"The root element must be <leads>, not <{root.tag[:40]}>."
    strangers = [child.tag for child in root if child.tag != "lead"]
    if strangers:
        return f"<leads> may contain only <lead> elements, not <{strangers[0][:40]}>."
    if len(root) == 0:
        return "The request contains no <lead> elements."
    return list(root)


def check_lead(lead: ET.Element) -> tuple[dict[str, str], list[str]]:
    """The lead's fields (element name -> text, in document order) and its problems."""
    fields: dict[str, str] = {}
    problems: list[str] = []
    seen: set[str] = set()
    for child in lead:
        name = child.tag
        if name not in FIELD_NAMES:
            problems.append(f"{name[:40]} is not a SecurityTrax lead field")
        elif name in seen:
            problems.append(f"{name} is given more than once")
        elif len(child):
            problems.append(f"{name} must contain text only, not elements")
        else:
            fields[name] = (child.text or "").strip()
        seen.add(name)
    problems += [f"{name} is required" for name in _REQUIRED if not fields.get(name)]
    for name, (pattern, message) in _FORMATS.items():
        value = fields.get(name, "")
        if value and not re.fullmatch(pattern, value):
            problems.append(f"{name} {message}")
    return fields, problems
