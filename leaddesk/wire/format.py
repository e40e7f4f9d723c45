"""What every wire format gives the rest of LeadDesk: a document from leads, a reply read
back into one answer per lead, and a stored document cut down to some of its leads.

SecurityTrax's XML (`leaddesk.wire.securitytrax_xml`) is the first format; a second one is
one more module beside it, registered in `leaddesk.wire.formats`.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from leaddesk.domain.lead import Lead

# What a destination speaks unless its settings say otherwise: SecurityTrax's XML. Its
# name alone, so that checking a destination's setting loads no format; a test holds it
# equal to leaddesk.wire.formats' DEFAULT_FORMAT and to the settings' default.
DEFAULT_FORMAT_NAME = "securitytrax-xml"


class ReplyError(ValueError):
    """The reply as a whole is not a usable answer of the format; says why in plain words."""


class Verdict(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    UNREADABLE = "unreadable"  # this one response cannot be understood
    # The reply contradicts the leads sent (its echoed names belong to other leads): no
    # response of it can be trusted to be about the lead it stands beside.
    UNMATCHED = "unmatched"


@dataclass(frozen=True)
class LeadReply:
    """The server's answer about one lead.

    `errors` are the reasons of a refusal (never echoed fields); `data` holds the answer's
    leaf fields, and under "errors" every error text, joined by line breaks. Server text
    is made printable and capped.
    """

    verdict: Verdict
    customer_id: str = ""
    errors: tuple[str, ...] = ()
    data: dict[str, str] = field(default_factory=dict)


class WireFormat(Protocol):
    """One way of putting leads on the wire and reading the answer."""

    @property
    def name(self) -> str:
        """The tag stored with each post, to read its request back (e.g. "securitytrax-xml")."""

    @property
    def content_type(self) -> str:
        """The Content-Type header of a request."""

    @property
    def max_reply_bytes(self) -> int:
        """The most of a reply that is read; a longer one is not an answer."""

    def build(self, leads: Sequence[Lead]) -> bytes:
        """One request document holding every lead, in order; ValueError for no leads."""

    def read_reply(self, body: bytes, leads: Sequence[Lead]) -> list[LeadReply]:
        """One LeadReply per lead, in the order posted, matched with evidence; ReplyError
        when the body is not an answer to these leads."""

    def is_reply(self, body: bytes, lead_count: int) -> bool:
        """Whether the body is a proper answer of this format for so many leads (a server
        may send one with a 4xx or 503 status)."""

    def without(self, document: bytes, positions: Collection[int]) -> bytes:
        """A document as it was sent, less the leads at these positions (from 0): what
        stays is byte for byte what went."""
