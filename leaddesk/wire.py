"""SecurityTrax's lead-post protocol: leads to an XML document, and a reply to per-lead results.

Requests are built with ElementTree, never by formatting strings. Replies come from a
server we do not control, so they are parsed with defusedxml (no entity expansion, no
external entities, no DTDs) and capped in size before parsing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from leaddesk.fields import FIELD_NAMES, NOT_XML_CHARACTER
from leaddesk.lead import Lead

# The spec's sample request declares no encoding; UTF-8 is XML's default.
XML_DECLARATION = b'<?xml version="1.0" standalone="yes"?>'
CONTENT_TYPE = "text/xml; charset=utf-8"
MAX_REPLY_BYTES = 1024 * 1024


def build_document(leads: Sequence[Lead]) -> bytes:
    """One `<leads>` document holding every lead, each with all 30 elements in spec order.

    Blank fields are written as empty elements: the spec asks not to leave fields out.
    """
    if not leads:
        raise ValueError("a lead document needs at least one lead")
    root = ET.Element("leads")
    for lead in leads:
        element = ET.SubElement(root, "lead")
        for name in FIELD_NAMES:
            value = getattr(lead, name)
            # The model refuses such characters; this guards leads that bypassed it
            # (model_construct), so that a malformed document is never sent.
            if not isinstance(value, str) or NOT_XML_CHARACTER.search(value):
                raise ValueError(f"{name} holds a value XML 1.0 cannot carry")
            ET.SubElement(element, name).text = value
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return XML_DECLARATION + body


class ReplyError(ValueError):
    """The reply as a whole is not a usable SecurityTrax answer; says why in plain words."""


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNREADABLE = "unreadable"  # this one response cannot be understood


@dataclass(frozen=True)
class LeadReply:
    """SecurityTrax's answer about one lead."""

    verdict: Verdict
    customer_id: str = ""
    errors: tuple[str, ...] = ()
    data: dict[str, str] = field(default_factory=dict)


def parse_reply(body: bytes, lead_count: int) -> list[LeadReply]:
    """One LeadReply per lead, in the order the leads were posted.

    Raises ReplyError when the body is not a SecurityTrax reply or holds a different number
    of responses than leads were posted (then no response can be matched to its lead).
    """
    if len(body) > MAX_REPLY_BYTES:
        raise ReplyError(f"the reply is larger than {MAX_REPLY_BYTES // 1024} KiB")
    if not body.strip():
        raise ReplyError("the reply was empty")
    if _looks_like_html(body):
        raise ReplyError("the reply is an HTML page, not XML (often a login or error page)")
    try:
        root = SafeET.fromstring(body, forbid_dtd=True)
    except DefusedXmlException:
        raise ReplyError("the reply uses XML features that are refused for safety") from None
    except ET.ParseError:
        raise ReplyError(f"the reply is not XML (it starts with {body[:40]!r})") from None
    except (LookupError, ValueError) as error:  # an encoding Python does not know, and kin
        raise ReplyError(f"the reply cannot be decoded: {error}") from None
    if root.tag != "root":
        raise ReplyError(f"the reply's root element is <{root.tag}>, not <root>")
    responses = root.findall("./responses/response")
    if len(responses) != lead_count:
        raise ReplyError(f"the reply holds {len(responses)} responses for {lead_count} leads")
    return [_lead_reply(response) for response in responses]


def _lead_reply(response: ET.Element) -> LeadReply:
    success = (response.get("success") or "").strip().lower()
    data_element = response.find("data")
    data = _data_fields(data_element)
    if success == "true":
        return LeadReply(Verdict.ACCEPTED, customer_id=data.get("customer_id", ""), data=data)
    if success == "false":
        errors = _error_texts(data_element)
        return LeadReply(Verdict.REJECTED, errors=errors or ("No reason was given.",), data=data)
    reason = "has no success attribute" if success == "" else f'says success="{success}"'
    return LeadReply(Verdict.UNREADABLE, errors=(f"The response {reason}.",), data=data)


def _data_fields(data: ET.Element | None) -> dict[str, str]:
    if data is None:
        return {}
    return {child.tag: (child.text or "").strip() for child in data if len(child) == 0}


def _error_texts(data: ET.Element | None) -> tuple[str, ...]:
    """Every piece of text inside <data>: SecurityTrax puts one <error> per problem."""
    if data is None:
        return ()
    return tuple(text.strip() for text in data.itertext() if text.strip())


def _looks_like_html(body: bytes) -> bool:
    start = body.lstrip()[:512].lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<html" in start


def without_leads(body: bytes, positions: Collection[int]) -> bytes:
    """A request document as it was sent, less the `<lead>` elements at these positions
    (counted from 0): what stays is byte for byte what went, not the leads as they are
    now (a kept lead may have been fixed since)."""
    root = SafeET.fromstring(body, forbid_dtd=True)
    for position, lead in reversed(list(enumerate(root.findall("lead")))):
        if position in positions:
            root.remove(lead)
    rest: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return XML_DECLARATION + rest


def parse_leads_document(body: bytes) -> list[dict[str, str]]:
    """The leads of a request document, element name to text, as a receiver would read them.

    Used to check our own documents and the spec's sample; the sandbox parses independently.
    """
    root = SafeET.fromstring(body, forbid_dtd=True)
    if root.tag != "leads":
        raise ValueError(f"the document's root element is <{root.tag}>, not <leads>")
    return [{child.tag: child.text or "" for child in lead} for lead in root.findall("lead")]
