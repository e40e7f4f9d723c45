"""The states a stored lead goes through. Apart from the store so that the command line
can offer them without loading it."""

from __future__ import annotations

from enum import StrEnum


class State(StrEnum):
    QUEUED = "queued"  # stored, waiting to be sent or retried
    SENDING = "sending"  # a post is in flight
    ACCEPTED = "accepted"  # SecurityTrax answered success="true"
    REJECTED = "rejected"  # SecurityTrax answered success="false"
    FAILED = "failed"  # could not be delivered within the retry limit; safe to resend
    UNCONFIRMED = "unconfirmed"  # may have reached SecurityTrax; a resend may duplicate it


PENDING = frozenset({State.QUEUED, State.SENDING})  # not answered yet: never purged
FINAL_STATES = frozenset({State.ACCEPTED, State.REJECTED, State.FAILED, State.UNCONFIRMED})
NEEDS_ATTENTION = frozenset({State.REJECTED, State.FAILED, State.UNCONFIRMED})
# Certainly not with the dealer: they can be fixed and resent as the same lead, no question.
FIXABLE = frozenset({State.REJECTED, State.FAILED})
