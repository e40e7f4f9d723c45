"""What the window says when the worker reports leads: an accepted one in the status bar;
one that needs the agent in a notice above it, and a line pointing there, unless the
queue's watch already speaks for it (a destination's hold). The words: app.describe."""

from __future__ import annotations

from collections.abc import Callable

from leaddesk.app import describe
from leaddesk.domain.states import NEEDS_ATTENTION, State
from leaddesk.gui.notifications import NotificationArea
from leaddesk.history.store import StoredLead
from leaddesk.sending.progress import Progress, Stage


def tell_about_leads(
    progress: Progress,
    notifications: NotificationArea,
    tell: Callable[[str], None],
    spoken_for: Callable[[StoredLead], bool],
) -> None:
    for lead in progress.leads:
        if progress.stage is Stage.DONE and lead.state is State.ACCEPTED:
            tell(describe.accepted_text(lead))
        elif lead.state in NEEDS_ATTENTION and not spoken_for(lead):
            notifications.notify(f"lead-{lead.id}", describe.notice_text(lead))
            tell(describe.see_notice_text(lead))
