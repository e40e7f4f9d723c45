"""What LeadDesk says about a lead and its attempts, in both faces: the window's status
bar and notices, the command line's line per lead, an attempt's outcome. The words of each
state come from one table (leaddesk.domain.state_words); a queued lead's retry or hold
from leaddesk.app.queue_notes."""

from __future__ import annotations

from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.server_text import escape_controls  # a server's texts: no terminal escapes
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import State
from leaddesk.history.store import StoredLead

# An attempt's outcome: (the word, the word with what it means for the agent).
_OUTCOME_WORDS: dict[Outcome | None, tuple[str, str]] = {
    Outcome.ACCEPTED: ("accepted", "accepted"),
    Outcome.REJECTED: ("rejected", "rejected"),
    Outcome.NOT_SENT: ("not sent", "not sent (never reached the dealer)"),
    Outcome.REFUSED: ("refused unprocessed", "refused unprocessed (the destination needs a fix)"),
    Outcome.UNCONFIRMED: ("unconfirmed", "unconfirmed (may have reached the dealer)"),
    None: ("in flight", "in flight"),
}


def outcome_words(outcome: Outcome | None, explained: bool = False) -> str:
    """An attempt's outcome in words; `explained` adds what it means (the lead's details)."""
    words = _OUTCOME_WORDS.get(outcome)
    if words is None:
        return str(outcome)
    return words[1] if explained else words[0]


def lead_name(lead: StoredLead) -> str:
    return f"{lead.lead.fname} {lead.lead.lname}".strip()


def accepted_text(lead: StoredLead) -> str:
    """The window's status bar once a lead is accepted."""
    return f"Lead {lead.id} ({lead_name(lead)}) accepted — customer {lead.customer_id}."


def see_notice_text(lead: StoredLead) -> str:
    """The status bar's line for a lead whose notice is shown."""
    return f"Lead {lead.id} ({lead_name(lead)}) {lead.state.value}: see the notices (F8)."


def notice_text(lead: StoredLead) -> str:
    """The window's notice about a lead that needs the agent."""
    reason = "; ".join(lead.errors) or "no reason given"
    look = STATE_LOOKS[lead.state]
    caution = f" {look.caution}." if look.caution else ""
    return f"Lead {lead.id} ({lead_name(lead)}) {look.happened}: {reason}{caution}"


def fate_text(lead: StoredLead, retry_limit: int) -> str:
    """A lead's fate on the command line, after its label ("row 3: lead 7 ..."): the state,
    what the server said, and the command that sends it again where one can."""
    errors = [escape_controls(error) for error in lead.errors]
    reason = errors[0] if errors else ""
    look = STATE_LOOKS[lead.state]
    word = look.label.lower()  # mid-line, as the state is spelt on the command line
    if lead.state is State.ACCEPTED:
        return f"{word}, customer {lead.customer_id or '(no id given)'}"
    if lead.state is State.REJECTED:
        return f"{word}: {'; '.join(errors)}"
    if lead.state is State.FAILED and lead.tries < retry_limit:
        # Refused unprocessed, failed at once: resent as it is, it would be refused again.
        return (
            f"{word}, refused unprocessed: {reason} Once that is fixed: leaddesk resend "
            f"{lead.id} --url <correct address> (or --source-id ID, or --destination NAME)"
        )
    if lead.state is State.FAILED:
        tries = f"{lead.tries} {'try' if lead.tries == 1 else 'tries'}"
        return f"{word} after {tries}: {reason} Resend: leaddesk resend {lead.id}"
    if look.caution:  # a resend may duplicate it: only by force
        return f"{word}: {reason} {look.caution} (leaddesk resend {lead.id} --force)."
    return f"{word}: {reason}"
