"""What the window says when the worker reports leads: an accepted one in the status bar;
one that needs the agent in a notice above it, and a line pointing there, unless the
queue's watch already speaks for it (a destination's hold). The words: app.describe.

A lead's notice offers what fixes it: Edit and resend for a lead the dealer refused or
that failed, Show in history for every one. It goes once the lead is on its way again
(resent from the history, or fixed in the form): left up, it would say something false."""

from __future__ import annotations

from collections.abc import Callable

from leaddesk.app import describe
from leaddesk.domain.states import FIXABLE, NEEDS_ATTENTION, State
from leaddesk.gui.notifications import NoticeAction, NotificationArea
from leaddesk.history.store import StoredLead
from leaddesk.sending.progress import Progress, Stage

EDIT_OFFER = "Edit and resend"
SHOW_OFFER = "Show in history"


def lead_notice_key(lead_id: int) -> str:
    return f"lead-{lead_id}"


def tell_about_leads(
    progress: Progress,
    notifications: NotificationArea,
    tell: Callable[[str], None],
    spoken_for: Callable[[StoredLead], bool],
    offers: Callable[[StoredLead], list[NoticeAction]] = lambda lead: [],
) -> None:
    for lead in progress.leads:
        if lead.state not in NEEDS_ATTENTION:
            notifications.dismiss(lead_notice_key(lead.id))  # on its way again, or taken
        if progress.stage is Stage.DONE and lead.state is State.ACCEPTED:
            tell(describe.accepted_text(lead))
        elif lead.state in NEEDS_ATTENTION and not spoken_for(lead):
            key = lead_notice_key(lead.id)
            notifications.notify(key, describe.notice_text(lead), actions=offers(lead))
            tell(describe.see_notice_text(lead))


def lead_offers(
    edit: Callable[[int], None], show: Callable[[int], None]
) -> Callable[[StoredLead], list[NoticeAction]]:
    """What a lead's notice offers, given the window's Edit and resend and its way to a
    lead in the history."""

    def offers(lead: StoredLead) -> list[NoticeAction]:
        found: list[NoticeAction] = []
        if lead.state in FIXABLE:
            found.append((EDIT_OFFER, lambda: edit(lead.id)))
        found.append((SHOW_OFFER, lambda: show(lead.id)))
        return found

    return offers
