"""The rules of a lead's life: which state follows a post's outcome, and what a person may
send again. Plain functions over plain data, apart from the store that applies them."""

from __future__ import annotations

from typing import Protocol

from leaddesk.domain.outcomes import LeadResult, Outcome
from leaddesk.domain.states import FIXABLE, State
from leaddesk.domain.stored import StoredLead


class RetryPolicy(Protocol):
    """How often and how far apart a lead not sent is tried (the settings' Sending)."""

    @property
    def retry_limit(self) -> int: ...

    def backoff(self, tries: int) -> float: ...


# A server's Retry-After is honoured up to this; longer, and the agent should hear of it.
MAX_RETRY_AFTER_SECONDS = 600.0


def next_state(
    stored: StoredLead, result: LeadResult, sending: RetryPolicy, now: float
) -> tuple[State, int, float | None]:
    """(state, tries, due_at) after one post."""
    if result.outcome is Outcome.ACCEPTED:
        return State.ACCEPTED, stored.tries, None
    if result.outcome is Outcome.REJECTED:
        return State.REJECTED, stored.tries, None
    if result.outcome is Outcome.UNCONFIRMED:
        return State.UNCONFIRMED, stored.tries, None
    tries = stored.tries + 1
    # Refused unprocessed: certainly not with the dealer, and trying again cannot help
    # until a person fixes the destination, so it fails now instead of burning its retries.
    if result.outcome is Outcome.REFUSED or tries >= sending.retry_limit:
        return State.FAILED, tries, None
    wait = sending.backoff(tries)
    if result.retry_after is not None:  # the server said when: within reason, do as it asks
        wait = max(wait, min(result.retry_after, MAX_RETRY_AFTER_SECONDS))
    return State.QUEUED, tries, now + wait


def check_resendable(stored: StoredLead, force: bool) -> None:
    """Raises ValueError, in words for people, when this lead cannot be queued again.

    Queued leads can be: to try now, or to go to another destination."""
    if stored.state in FIXABLE or stored.state is State.QUEUED:
        return
    if stored.state is State.UNCONFIRMED:
        if force:
            return
        raise ValueError(
            f"Lead {stored.id} is unconfirmed: it may already be with the dealer, and resending "
            "could create a duplicate. Check with the dealer, then resend with --force."
        )
    if stored.state is State.ACCEPTED:
        raise ValueError(f"Lead {stored.id} was already accepted (customer {stored.customer_id}).")
    raise ValueError(f"Lead {stored.id} is being sent right now.")
