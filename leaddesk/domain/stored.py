"""The history's records as plain data: a stored lead, a claim on leads being sent, one
attempt to send a lead. Apart from the store so that rules and views can name them."""

from __future__ import annotations

from dataclasses import dataclass

from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State


@dataclass(frozen=True)
class StoredLead:
    id: int
    created_at: float  # unix time
    updated_at: float
    state: State
    destination: str
    lead: Lead  # as sent (or as it will be sent)
    customer_id: str
    errors: tuple[str, ...]
    tries: int  # tries that ended "not sent" since it was last queued by a person
    due_at: float | None
    attempts: int
    destination_name: str = ""  # the configured destination it went to, when known


@dataclass(frozen=True)
class Claim:
    """Leads marked as sending by one process, and the post on record for them."""

    post_id: int
    destination: str
    request: bytes
    leads: tuple[StoredLead, ...]
    format_tag: str  # the wire format the request was built in, which reads its reply

    @property
    def destination_name(self) -> str:
        """The configured destination's name, for messages that tell what to fix."""
        return next(
            (stored.destination_name for stored in self.leads if stored.destination_name), ""
        )


# An attempt's outcome while its post is in flight (or was, when its process died).
IN_FLIGHT = "in_flight"


@dataclass(frozen=True)
class Attempt:
    lead_id: int
    started_at: float
    destination: str
    request: str
    status: int | None
    reply: str
    elapsed: float
    outcome: Outcome | None  # None while the post is in flight
    customer_id: str
    errors: tuple[str, ...]
    format_tag: str  # the wire format the request was made in (leaddesk.wire.formats)
