"""Fix and resend: a rejected or failed lead's fields corrected by a person and sent
again as the same lead (its id, attempts and lead ID kept), to its destination as
configured now."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import FIXABLE
from leaddesk.history.store import StoredLead

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess

# Where a resent lead goes now: its destination's address as configured, or None to keep
# the address it went to (Desk.resend_url).
ResendUrl = Callable[[StoredLead | None], str | None]


def fixable(history: HistoryAccess, lead_id: int) -> StoredLead | None:
    """The lead, if it can be fixed (rejected or failed); None if gone or not fixable."""
    stored = history.get(lead_id)
    return stored if stored is not None and stored.state in FIXABLE else None


def fix_and_resend(history: HistoryAccess, lead_id: int, lead: Lead, resend_url: ResendUrl) -> int:
    """Store the fixed lead in place of the one fixed and queue it again; its id. Raises
    StoreError, or ValueError when the lead can no longer be fixed (resent meanwhile)."""
    history.replace_lead(lead_id, lead)
    stored = history.get(lead_id)
    history.requeue(lead_id, destination=resend_url(stored))
    return lead_id
