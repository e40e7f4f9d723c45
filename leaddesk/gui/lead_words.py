"""What the window says when the worker reports a lead: accepted, in the status bar; one
that needs the agent, in a notice above the status bar and a line pointing at it. The
words of each state come from leaddesk.state_words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leaddesk.domain.state_words import STATE_LOOKS

if TYPE_CHECKING:
    from leaddesk.history.store import StoredLead


def accepted_text(lead: StoredLead) -> str:
    return f"Lead {lead.id} ({_name(lead)}) accepted — customer {lead.customer_id}."


def see_notice_text(lead: StoredLead) -> str:
    """The status bar's line for a lead whose notice is shown."""
    return f"Lead {lead.id} ({_name(lead)}) {lead.state.value}: see above."


def notice_text(lead: StoredLead) -> str:
    reason = "; ".join(lead.errors) or "no reason given"
    look = STATE_LOOKS[lead.state]
    caution = f" {look.caution}." if look.caution else ""
    return f"Lead {lead.id} ({_name(lead)}) {look.happened}: {reason}{caution}"


def _name(lead: StoredLead) -> str:
    return f"{lead.lead.fname} {lead.lead.lname}".strip()
