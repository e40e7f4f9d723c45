"""What the window says at once about a queue that is not moving: a lead not sent (what
is wrong, when the next try is), an answer that cannot be recorded yet, and a destination
that holds its queue (once per hold, with what fixes it). And the fix itself: settings
that correct a destination send the leads that waited for it."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from leaddesk.app.desk import fixed_waiting, move_fixed
from leaddesk.app.queue_notes import destination_label, held_text, not_sent_status
from leaddesk.app.resend import Resent
from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import State
from leaddesk.gui.queue_control import QueueControl
from leaddesk.sending.progress import Progress, Stage

if TYPE_CHECKING:
    from leaddesk.app.desk import Desk
    from leaddesk.app.history_access import HistoryAccess
    from leaddesk.config.settings import Destination, Settings
    from leaddesk.gui.history.pane import HistoryPane
    from leaddesk.gui.notifications import NotificationArea
    from leaddesk.history.store import StoredLead

STALLED_KEY = "stalled"


def watch_queue(
    desk: Desk,
    history: HistoryPane,
    notifications: NotificationArea,
    wake_sender: Callable[[], None],
    tell: Callable[[str], None],
    open_settings: Callable[[], None],
) -> QueueWatch:
    """The queue's reports and controls for an attached window: its desk, its history and
    notices, the sender to wake, and where to tell the agent."""

    def sendable() -> list[Destination]:  # Send to… offers what the form offers
        return desk.offered("")[0]

    control = QueueControl(history, desk.history, sendable, wake_sender, tell)
    watch = QueueWatch(desk, notifications, history, control, tell, open_settings, wake_sender)
    watch.announce_holds()
    return watch


def hold_key(destination: str) -> str:
    return f"hold-{destination}"


class QueueWatch:
    """One window's reports about its queue: the status bar and notices."""

    def __init__(
        self,
        desk: Desk,
        notifications: NotificationArea,
        history: HistoryPane,
        control: QueueControl,
        tell: Callable[[str], None],
        open_settings: Callable[[], None],
        wake_sender: Callable[[], None],
    ) -> None:
        self._desk = desk
        self._notifications = notifications
        self._history = history
        self.control = control
        history.model.notes.retry_limit = self.retry_limit
        self._tell = tell
        self._open_settings = open_settings
        self._wake_sender = wake_sender
        self._told: set[tuple[str, float]] = set()  # holds said, by destination and start

    @property
    def retry_limit(self) -> int:
        return self._desk.settings.sending.retry_limit

    def on_progress(self, progress: Progress) -> None:
        if progress.stage is Stage.STALLED:
            # At once: the agent can free the disk while the answer is still in hand.
            self._tell(progress.message)
            self._notifications.notify(STALLED_KEY, progress.message, severity="warning")
        elif progress.stage is Stage.DONE:
            self._notifications.dismiss(STALLED_KEY)  # recorded after all
            for lead in progress.leads:
                if lead.state is State.QUEUED and lead.tries > 0:
                    self._tell(not_sent_status(lead, self.retry_limit))
        elif progress.stage is Stage.HELD and progress.leads:
            self._held(progress)

    def announce_holds(self) -> None:
        """Holds that began before this window opened (in an earlier run, or in another
        LeadDesk): said as when they began, since their leads wait all the same."""
        history = self._desk.history
        try:
            for hold in history.holds():
                waiting = history.get_many(history.waiting_for(hold.destination))
                if waiting:
                    self._held(Progress(Stage.HELD, tuple(waiting), hold.reason))
        except StoreError as error:
            self._tell(str(error))

    def speaks_for(self, lead: StoredLead) -> bool:
        """Whether the hold's notice says what became of this lead (failed at a destination
        that holds its queue): one notice for the fix, not one more for each lead."""
        if lead.state is not State.FAILED:
            return False
        try:
            return any(hold.destination == lead.destination for hold in self._desk.history.holds())
        except StoreError:
            return False

    def _held(self, progress: Progress) -> None:
        first = progress.leads[0]
        destination = first.destination
        try:
            holds = self._desk.history.holds()
            since = next(h.since for h in holds if h.destination == destination)
        except (StoreError, StopIteration):
            return  # lifted meanwhile (a resend, another window): nothing waits any more
        if (destination, since) in self._told:
            return
        self._told.add((destination, since))
        where = destination_label(first.destination_name, destination)
        waiting = len(progress.leads)
        self._notifications.notify(
            hold_key(destination),
            held_text(where, progress.message, waiting),
            actions=(
                ("Settings…", self._open_settings),
                ("Send to…", lambda: self.send_waiting(destination)),
            ),
        )
        leads = "1 lead waits" if waiting == 1 else f"{waiting} leads wait"
        # The notice sits above the status bar, under the form.
        self._tell(
            f"{where} refused a lead: {leads} until the destination is fixed "
            "(see the notice above)."
        )

    def send_waiting(self, destination: str) -> list[int]:
        """The hold notice's Send to…: every lead waiting for this destination's fix."""
        try:
            ids = self._desk.history.waiting_for(destination)
        except StoreError as error:
            self._tell(str(error))
            return []
        moved = self.control.send_to(ids)
        if moved:
            self._notifications.dismiss(hold_key(destination))
        return moved

    def settings_changed(self, old: Settings, new: Settings) -> str:
        """After the settings were saved: the leads that waited for a destination fixed
        in them go now. What to tell the agent ("" when nothing moved, or when the floor
        is asked first and answers late: then it is told when it answers)."""
        self._history.model.notes.retry_limit = new.sending.retry_limit
        floor = self.control.floor
        try:
            if floor is None:
                moved = self._desk.send_fixed(old, new)
            else:
                waiting = fixed_waiting(self._desk.history, old, new)
        except (StoreError, ValueError) as error:
            return f"The leads waiting for the fixed destination were not moved: {error}"
        if floor is None:
            return self._fixed_moved(moved, old)
        if not waiting:
            return ""
        said: list[str] = []
        late: list[bool] = []  # the floor answered after the window stopped waiting

        def requeue(history: HistoryAccess, allowed: list[int], _release: bool) -> Resent:
            kept = set(waiting) - set(allowed)
            return Resent(move_fixed(history, old, new, keep=kept))

        def done(resent: Resent) -> None:
            words = [self._fixed_moved(resent.queued, old), *(why for _, why in resent.refused)]
            said.append(" ".join(word for word in words if word))
            if late:
                self._tell(said[-1])

        if not floor.requeue(waiting, requeue, done):
            late.append(True)
        return said[-1] if said else ""

    def _fixed_moved(self, moved: list[int], old: Settings) -> str:
        if not moved:
            return ""
        self._wake_sender()
        self._history.show_changed(moved)
        held = {hold.destination for hold in self._desk.history.holds()}
        for destination in {d.url for d in old.destinations} - held:
            self._notifications.dismiss(hold_key(destination))
        count = len(moved)
        return f"{count} lead{'s' if count != 1 else ''} waiting for the fix go out now."
