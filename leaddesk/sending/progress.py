"""What the send loop reports as it goes, in a module of its own: the window follows it
from the first moment, while the loop itself (and the wire formats) loads with the worker."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from leaddesk.history.store import StoredLead


class Stage(StrEnum):
    SENDING = "sending"  # these leads are being posted now
    DONE = "done"  # these leads have their new states (final, or queued for a retry)
    RECOVERED = "recovered"  # these leads were in flight when a LeadDesk died; now unconfirmed
    HELD = "held"  # their destination refused a lead unprocessed: they wait for its fix
    STALLED = "stalled"  # the answer for these leads cannot be recorded yet; message says why


@dataclass(frozen=True)
class Progress:
    stage: Stage
    leads: tuple[StoredLead, ...]
    message: str = ""  # HELD: the destination's refusal; STALLED: what stands in the way


ProgressCallback = Callable[[Progress], None]
