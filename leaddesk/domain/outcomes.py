"""What became of a post and of each lead in it: plain data, shared by the poster, the
store and the window, importable without the HTTP stack."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from leaddesk.domain.lead import Lead


class Outcome(StrEnum):
    ACCEPTED = "accepted"  # the dealer answered success="true"
    REJECTED = "rejected"  # the dealer answered success="false" for this lead
    # Evidence that no byte of the request left this machine, or the server said it did not
    # process it and to try later (408, 429, 503): safe to try again after a wait.
    NOT_SENT = "not_sent"
    # Certainly not processed, and trying again will not help until a person fixes the
    # destination (a wrong address, a refused source, a certificate): failed at once, and
    # the destination's other queued leads wait for the fix.
    REFUSED = "refused"
    UNCONFIRMED = "unconfirmed"  # may have reached the dealer: never resent without a person


@dataclass(frozen=True)
class LeadResult:
    """What became of one lead of a post."""

    lead: Lead  # as sent, with its lead_company_unique_id
    outcome: Outcome
    customer_id: str = ""
    errors: tuple[str, ...] = ()  # the dealer's error texts, or why it is not sent/unconfirmed
    retry_after: float | None = None  # NOT_SENT: seconds the server asked us to wait, if it did


@dataclass(frozen=True)
class PostResult:
    """One post: what was sent, what came back, and every lead's result in posting order."""

    url: str
    request: bytes
    status: int | None
    reply: bytes  # at most MAX_REPLY_BYTES
    elapsed: float  # seconds
    results: tuple[LeadResult, ...]


@dataclass(frozen=True)
class Timeouts:
    connect: float = 5.0  # seconds to establish the connection
    read: float = 30.0  # seconds of silence while waiting for the answer
    deadline: float = 60.0  # seconds for the whole post, however slowly the answer drips in
