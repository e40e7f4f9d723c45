"""The window joined to the floor (team mode): the periodic push and its notices
(gui/floor_link.py), the floor's duplicate guard and household lock at Submit, the floor
claim before each of the window's own resends (gui/floor_errand.py), and the History's
"Whole floor" scope (gui/history/floor_scope.py). Outside team mode (or in demo mode) nothing
of it is built, and the team package is not even loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable

    from PySide6.QtWidgets import QWidget

    from leaddesk.app.desk import Desk
    from leaddesk.gui.floor_link import FloorLink
    from leaddesk.gui.history.pane import HistoryPane
    from leaddesk.gui.notifications import NotificationArea
    from leaddesk.gui.queue_control import QueueControl
    from leaddesk.gui.submit_flow import SubmitFlow


def join_floor(
    desk: Desk,
    notifications: NotificationArea,
    show_result: Callable[[str], None],
    pane: HistoryPane,
    submit_flow: SubmitFlow,
    queue_control: QueueControl,
    window: QWidget,
) -> FloorLink | None:
    """Start the window's team mode, if the desk has one; the link, for closing."""
    from leaddesk.gui.floor_link import open_floor_link

    link = open_floor_link(desk, notifications, show_result, window)
    if link is None or link.team is None:
        return None
    from leaddesk.gui.floor_errand import FloorRequeue
    from leaddesk.gui.history.floor_scope import FloorScope
    from leaddesk.gui.history.scope_choice import ScopeChoice

    submit_flow.floor = link
    # Resend, Edit and resend, Retry now, Send to… and a fixed destination claim first.
    link.requeue = FloorRequeue(link.team, desk.history, window)
    pane.actions_on_leads.floor = link.requeue
    queue_control.floor = link.requeue
    link.results_taken.connect(pane.show_changed)  # this desk's leads resent elsewhere
    scope = FloorScope(link.team, lambda: desk.settings.sending, show_result, pane)
    chooser = ScopeChoice(pane)
    pane.add_scope(chooser, scope)
    link.floor_changed.connect(scope.floor_changed)

    def switch(_index: int) -> None:
        pane.show_own_view(not chooser.whole_floor)
        if chooser.whole_floor:
            scope.show_if_stale()

    chooser.currentIndexChanged.connect(switch)
    link.scope, link.chooser = scope, chooser
    return link
