"""The window in team mode: its link to the floor. It starts the periodic push
(app/floor_syncer.py, on a thread of its own), says "floor offline" once per outage and
"floor back" when it returns, and stops the pushes on close without waiting long on an
unreachable floor. What happens on the push's thread reaches the window by signals,
which Qt queues to the GUI thread (the receivers are this GUI-thread object's slots).

Never in demo mode, nor without a team database (TeamDesk.open decides).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal, Slot

from leaddesk.domain.errors import SettingsError

if TYPE_CHECKING:
    from leaddesk.app.desk import Desk
    from leaddesk.app.floor_syncer import FloorSyncer
    from leaddesk.app.team_desk import Synced, TeamDesk
    from leaddesk.gui.floor_errand import FloorRequeue
    from leaddesk.gui.history.floor_scope import FloorScope
    from leaddesk.gui.history.scope_choice import ScopeChoice
    from leaddesk.gui.notifications import NotificationArea

log = logging.getLogger(__name__)

NOTICE_KEY = "floor"
OWN_HISTORY_KEY = "floor-duplicates"
FLOOR_BACK = "Floor back: this desk's leads are pushed to it again."
STOP_WAIT_SECONDS = 0.5  # a push still trying to reach the floor is left behind after this


class FloorLink(QObject):
    went_offline = Signal(str)  # the words, once per outage (from the push's thread)
    passed = Signal(object)  # Synced, or None when the floor was offline (ditto)
    floor_changed = Signal()  # a push reached the floor: the floor's view may be read again
    results_taken = Signal(list)  # ids of this desk's leads resent elsewhere, taken in

    def __init__(
        self,
        notifications: NotificationArea,
        tell: Callable[[str], None],
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._notifications = notifications
        self._tell = tell  # the status line
        self._offline = False
        self._said_own_history_only = False
        self.team: TeamDesk | None = None
        self._syncer: FloorSyncer | None = None
        self.scope: FloorScope | None = None  # the History's "Whole floor" (team_window.py)
        self.chooser: ScopeChoice | None = None
        self.requeue: FloorRequeue | None = None  # the window's own resends (team_window.py)
        self.went_offline.connect(self._on_offline)
        self.passed.connect(self._on_pass)

    def start(self, team: TeamDesk, syncer: FloorSyncer) -> None:
        self.team = team
        self._syncer = syncer
        syncer.start()

    @property
    def offline(self) -> bool:
        """The floor was found offline and has not been reached since."""
        return self._offline

    def sync_now(self) -> None:
        """A lead was just queued: push it now, so other desks' guards see it."""
        if self._syncer is not None:
            self._syncer.sync_now()

    def stop(self) -> None:
        if self._syncer is not None:
            self._syncer.stop(STOP_WAIT_SECONDS)
            self._syncer = None

    def show_my_desk(self) -> None:
        """The History back to this desk's leads (Show lead N of a question)."""
        if self.chooser is not None:
            self.chooser.setCurrentIndex(0)

    def own_history_only(self, words: str) -> None:
        """Submit could not ask the floor about duplicates: said once per outage."""
        if self._said_own_history_only:
            return
        self._said_own_history_only = True
        text = words[:1].upper() + words[1:]
        self._notifications.notify(OWN_HISTORY_KEY, text, severity="warning")

    @Slot(str)
    def _on_offline(self, words: str) -> None:
        if self._offline:
            return
        self._offline = True
        self._notifications.notify(NOTICE_KEY, words[:1].upper() + words[1:], "warning")
        self._tell("Floor offline: this desk keeps sending on its own.")

    @Slot(object)
    def _on_pass(self, synced: Synced | None) -> None:
        if synced is None:
            return
        self._said_own_history_only = False
        self._notifications.dismiss(OWN_HISTORY_KEY)
        if self._offline:
            self._offline = False
            self._notifications.notify(NOTICE_KEY, FLOOR_BACK, severity="info")
            self._tell(FLOOR_BACK)
        if synced.taken:
            self.results_taken.emit(synced.taken)
        self.floor_changed.emit()


def open_floor_link(
    desk: Desk, notifications: NotificationArea, tell: Callable[[str], None], parent: QObject
) -> FloorLink | None:
    """The window's link to the floor, its pushes started; None outside team mode."""
    from leaddesk.config.team_settings import team_database

    try:
        if not team_database(desk.settings.team) or desk.demo:
            return None  # not even the team package is loaded
    except SettingsError as error:
        notifications.notify(NOTICE_KEY, str(error), severity="warning")
        return None
    from leaddesk.app.floor_syncer import FloorSyncer
    from leaddesk.app.team_desk import TeamDesk

    link = FloorLink(notifications, tell, parent)
    team = TeamDesk.open(desk.context, lambda words: _to_gui(link.went_offline.emit, words))
    if team is None:
        return None
    syncer = FloorSyncer(
        team,
        desk.paths.database(),
        desk.settings.team.sync_seconds,
        lambda synced: _to_gui(link.passed.emit, synced),
        lambda words: _to_gui(link.went_offline.emit, words),
    )
    link.start(team, syncer)
    return link


def _to_gui(emit: Callable[[object], object], value: object) -> None:
    """From the push's thread to the window; a window closed meanwhile is not told."""
    try:
        emit(value)
    except RuntimeError:  # the link is gone with its window: nothing to tell
        log.debug("floor news dropped: the window is closed")
