"""The window joined to the floor (team mode): the periodic push and its notices
(gui/floor_link.py), the floor's duplicate guard and household lock at Submit, the floor
claim before each of the window's own resends (gui/floor_errand.py), and the History's
"Whole floor" scope (gui/history/floor_scope.py). Outside team mode (or in demo mode) nothing
of it is built, and the team package is not even loaded."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from leaddesk.gui.floor_link import FloorLink
    from leaddesk.gui.main_window import MainWindow


def join_floor(window: MainWindow) -> FloorLink | None:
    """Start the window's team mode, if the desk has one; the link, for closing."""
    from leaddesk.gui.floor_link import open_floor_link

    link = open_floor_link(window.desk, window.notifications, window.show_result, window)
    if link is None or link.team is None:
        return None
    from leaddesk.gui.floor_errand import FloorRequeue
    from leaddesk.gui.history.floor_scope import FloorScope, ScopeChoice

    desk, pane = window.desk, window.history
    window.submit_flow.floor = link
    # Resend, Edit and resend, Retry now, Send to… and a fixed destination claim first.
    link.requeue = FloorRequeue(link.team, desk.history, window)
    pane.actions_on_leads.floor = link.requeue
    window.queue_watch.control.floor = link.requeue
    link.results_taken.connect(pane.show_changed)  # this desk's leads resent elsewhere
    scope = FloorScope(link.team, lambda: desk.settings.sending, window.show_result, pane)
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
