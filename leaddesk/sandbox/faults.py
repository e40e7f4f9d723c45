"""The fault switches: the ways the sandbox misbehaves, as a real dealer server does."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Faults:
    """Ways to misbehave. Rates are probabilities per request (reject_rate: per lead)."""

    delay: float = 0.0  # seconds to wait before answering
    reject_rate: float = 0.0  # a valid lead is answered success="false"
    error_rate: float = 0.0  # HTTP 500, leads not processed
    garbage_rate: float = 0.0  # an HTML page with status 200, leads not processed
    drop_rate: float = 0.0  # hang up without answering, leads not processed
    lost_reply_rate: float = 0.0  # accept the leads, then hang up without answering
    drip: float = 0.0  # seconds per byte of the reply; 0 sends it at once
    # Store the leads of a post of several, but answer in reverse order (each response
    # still echoing its own lead's names): a reply the client must not match by position.
    swap_replies: bool = False
    # Answer a post with one success="false" response for the whole document, storing nothing.
    refuse_document: bool = False
    seed: int | None = None

    def __post_init__(self) -> None:
        for name in ("reject_rate", "error_rate", "garbage_rate", "drop_rate", "lost_reply_rate"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.delay < 0 or self.drip < 0:
            raise ValueError("delay and drip cannot be negative")
