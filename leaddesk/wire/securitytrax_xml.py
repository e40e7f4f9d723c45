"""SecurityTrax's lead-post protocol: leads to an XML document, and a reply to per-lead results.

Requests are built with ElementTree, never by formatting strings. Replies come from a
server we do not control, so they are parsed with defusedxml (no entity expansion, no
external entities, no DTDs) and capped in size before parsing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Collection, Sequence
from dataclasses import replace

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from leaddesk.domain.fields import FIELD_NAMES, NOT_XML_CHARACTER
from leaddesk.domain.lead import Lead
from leaddesk.domain.name_key import name_key
from leaddesk.domain.server_text import printable
from leaddesk.wire.format import LeadReply, ReplyError, Verdict

__all__ = [
    "CONTENT_TYPE",
    "MAX_REPLY_BYTES",
    "SECURITYTRAX_XML",
    "LeadReply",
    "ReplyError",
    "SecurityTraxXml",
    "Verdict",
    "build_document",
    "parse_leads_document",
    "parse_reply",
    "read_reply",
    "without_leads",
]

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
            # (Lead.trusted), so that a malformed document is never sent.
            if not isinstance(value, str) or NOT_XML_CHARACTER.search(value):
                raise ValueError(f"{name} holds a value XML 1.0 cannot carry")
            ET.SubElement(element, name).text = value
    body: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=False)
    return XML_DECLARATION + body


NO_REASON = "No reason was given."
NAMES_CONTRADICT = (
    "The reply's names do not match the leads sent, so its customer IDs cannot be trusted; "
    "the leads may have been stored."
)
_ECHOED_NAMES = ("fname", "lname")
_MAX_ERRORS = 50  # a runaway reply must not fill the history with thousands of reasons


def read_reply(body: bytes, leads: Sequence[Lead]) -> list[LeadReply]:
    """One LeadReply per lead, in the order the leads were posted, matched with evidence.

    - A response that echoes fname/lname must echo the lead at its position (compared as
      the history compares names: case, spacing and Latin accents aside; a blank echo says
      nothing). One contradiction makes every lead UNMATCHED: the responses are not in the
      leads' order, so no customer ID can be given to a lead.
    - One success="false" response that echoes no names, to a document of several leads,
      refuses the document: every lead is REJECTED with its reasons.
    - Raises ReplyError for any other number of responses, as parse_reply does.
    """
    responses = _responses(body)
    if len(leads) > 1 and len(responses) == 1 and _refuses_document(responses[0]):
        refusal = _lead_reply(responses[0])
        return [replace(refusal, data=dict(refusal.data)) for _ in leads]
    if len(responses) != len(leads):
        raise ReplyError(f"the reply holds {len(responses)} responses for {len(leads)} leads")
    if not all(map(_echo_agrees, responses, leads)):
        return [_unmatched(response) for response in responses]
    return [_lead_reply(response) for response in responses]


def parse_reply(body: bytes, lead_count: int) -> list[LeadReply]:
    """One LeadReply per response, in the order of the responses (no evidence checked:
    read_reply is what matches responses to leads).

    Raises ReplyError when the body is not a SecurityTrax reply or holds a different number
    of responses than leads were posted (then no response can be matched to its lead).
    """
    responses = _responses(body)
    if len(responses) != lead_count:
        raise ReplyError(f"the reply holds {len(responses)} responses for {lead_count} leads")
    return [_lead_reply(response) for response in responses]


def _responses(body: bytes) -> list[ET.Element]:
    """The <response> elements of a reply; ReplyError when it is not a SecurityTrax reply."""
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
        raise ReplyError(f"the reply cannot be decoded: {printable(str(error))}") from None
    if root.tag != "root":
        raise ReplyError(f"the reply's root element is <{printable(root.tag, 60)}>, not <root>")
    return root.findall("./responses/response")


def _lead_reply(response: ET.Element) -> LeadReply:
    success = (response.get("success") or "").strip().lower()
    data_element = response.find("data")
    errors = _error_texts(data_element)
    data = {name: printable(text) for name, text in _data_fields(data_element).items()}
    if errors:
        data["errors"] = "\n".join(errors)
    if success == "true":
        return LeadReply(Verdict.ACCEPTED, customer_id=data.get("customer_id", ""), data=data)
    if success == "false":
        return LeadReply(Verdict.REJECTED, errors=errors or (NO_REASON,), data=data)
    said = (
        "has no success attribute" if success == "" else f'says success="{printable(success, 40)}"'
    )
    return LeadReply(Verdict.UNREADABLE, errors=(f"The response {said}.",), data=data)


def _unmatched(response: ET.Element) -> LeadReply:
    answer = _lead_reply(response)
    return LeadReply(Verdict.UNMATCHED, errors=(NAMES_CONTRADICT,), data=answer.data)


def _refuses_document(response: ET.Element) -> bool:
    """success="false" and no echoed name: an answer about the document, not about one lead
    (a response echoing a lead's names is about that lead, and says nothing of the others)."""
    if (response.get("success") or "").strip().lower() != "false":
        return False
    fields = _data_fields(response.find("data"))
    return not any(_name_key(fields.get(name, "")) for name in _ECHOED_NAMES)


def _echo_agrees(response: ET.Element, lead: Lead) -> bool:
    """False when the response echoes a name that is not this lead's."""
    fields = _data_fields(response.find("data"))
    for name in _ECHOED_NAMES:
        echoed = _name_key(fields.get(name, ""))
        if echoed and echoed != _name_key(getattr(lead, name)):
            return False
    return True


def _name_key(name: str) -> str:
    return " ".join(name_key(name).split())


def _data_fields(data: ET.Element | None) -> dict[str, str]:
    """The leaf elements directly in <data>, raw (echoed fields, customer_id, ...)."""
    if data is None:
        return {}
    return {child.tag: (child.text or "").strip() for child in data if len(child) == 0}


def _error_texts(data: ET.Element | None) -> tuple[str, ...]:
    """The reasons of a refusal: SecurityTrax puts one <error> per problem; other servers
    nest them (<errors><error>) or call them <error_message>, <message>. Text written
    directly in <data> is a message too. Echoed fields are never reasons."""
    if data is None:
        return ()
    texts = [data.text or "", *(child.tail or "" for child in data)]
    holds_message = _holding_a_message(data)
    for element in data.iter():
        if element is not data and _names_a_message(element.tag):
            if element in holds_message:
                texts.append(element.text or "")  # its own words; the inner ones come later
            else:
                texts.append(" ".join(element.itertext()))
    reasons = (printable(text) for text in texts)
    return tuple(reason for reason in reasons if reason)[:_MAX_ERRORS]


def _holding_a_message(data: ET.Element) -> set[ET.Element]:
    """The elements with an error or message element somewhere inside them, found in one
    pass (a hostile reply may nest tens of thousands of elements deep)."""
    parent = {child: element for element in data.iter() for child in element}
    holding: set[ET.Element] = set()
    for element in data.iter():
        if _names_a_message(element.tag):
            above = parent.get(element)
            while above is not None and above not in holding:
                holding.add(above)
                above = parent.get(above)
    return holding


def _names_a_message(tag: object) -> bool:
    if not isinstance(tag, str):  # comments and processing instructions
        return False
    local = tag.rsplit("}", 1)[-1].lower()
    return "error" in local or "message" in local


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


class SecurityTraxXml:
    """SecurityTrax's XML lead post as a WireFormat (leaddesk.wire.format)."""

    name = "securitytrax-xml"
    content_type = CONTENT_TYPE
    max_reply_bytes = MAX_REPLY_BYTES

    def build(self, leads: Sequence[Lead]) -> bytes:
        return build_document(leads)

    def read_reply(self, body: bytes, leads: Sequence[Lead]) -> list[LeadReply]:
        return read_reply(body, leads)

    def is_reply(self, body: bytes, lead_count: int) -> bool:
        try:
            parse_reply(body, lead_count)
        except ReplyError:
            return False
        return True

    def without(self, document: bytes, positions: Collection[int]) -> bytes:
        return without_leads(document, positions)


SECURITYTRAX_XML = SecurityTraxXml()
