"""Submit: a lead (or a file's rows) queued for a destination, less likely duplicates.
The window and `leaddesk send` both queue through here, so that the duplicate guard is
one rule: the guard and the insert are one transaction, and a lead a person chose to
send despite an earlier one is the only one let through."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from typing import TYPE_CHECKING

from leaddesk.config.settings import Destination, Settings
from leaddesk.domain.lead import Lead
from leaddesk.history.duplicate_guard import DuplicateOf, Queued, Verdict
from leaddesk.history.store import StoredLead

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess

# Team mode: how long Submit waits for the floor's duplicate check before going on with
# the desk's own (app/team_submit.py; a query on a reachable floor takes a fraction of it).
FLOOR_ANSWER_SECONDS = 0.5

# Asked about a likely duplicate (the earlier lead): whether to queue this one anyway.
SendAnyway = Callable[[StoredLead], bool]


def destination_problem(destination: Destination, settings: Settings) -> str | None:
    """Why the window cannot queue for this destination, in the agent's words; None when
    it can. The lead stays in the form either way."""
    problems = destination.problems()
    if problems and not destination.url and not settings.offered():
        return "No destination is set: the lead stays in the form. Add one in Settings (Ctrl+,)."
    if problems:
        return (
            f"Cannot send to {destination.name}: {', '.join(problems)}. "
            "The lead stays in the form; see Settings (Ctrl+,)."
        )
    return None


def queue_unless_duplicate(
    history: HistoryAccess,
    lead: Lead,
    destination: Destination,
    duplicate_days: int,
    send_anyway: SendAnyway,
    approved: Collection[int] = (),
) -> int | None:
    """Queue one lead a person typed, asking first (`send_anyway`) when it is likely a
    duplicate; its id, or None when the person keeps it. "Send anyway" lets through only
    the lead the person was told of: one another LeadDesk queued meanwhile is asked about
    too, never queued twice in silence. `approved`: earlier leads the person already let
    it through for."""
    let_through = set(approved)
    while True:
        (verdict,) = history.queue_unless_duplicate(
            [(lead, destination.url)],
            duplicate_days,
            destination_name=destination.name,
            approved=let_through,
        )
        if isinstance(verdict, Queued):
            return verdict.lead_id
        assert isinstance(verdict, DuplicateOf)  # one item: no earlier item to repeat
        earlier = history.get(verdict.lead_id)
        # (None: purged meanwhile, nothing left to ask about)
        if earlier is not None and not send_anyway(earlier):
            return None
        let_through.add(verdict.lead_id)


def queue_batch(
    history: HistoryAccess, leads: Sequence[Lead], destination: Destination, duplicate_days: int
) -> list[Verdict]:
    """Queue a file's leads, less likely duplicates (of the history or of an earlier
    item): per lead, its new id or why not. Of two sends of one file at once, the second
    finds the first one's leads in the outbox (DuplicateOf a queued lead)."""
    items = [(lead, destination.url) for lead in leads]
    return history.queue_unless_duplicate(items, duplicate_days, destination_name=destination.name)
