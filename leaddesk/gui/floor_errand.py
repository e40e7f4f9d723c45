"""Work that asks the floor, run off the GUI thread (team mode): the window waits for it
at most FLOOR_WAIT_SECONDS, as Submit waits for the floor's duplicate check. What ends in
time is handed on at once, as without team mode; what ends later reaches the window by a
signal, which Qt queues to the GUI thread.

`FloorRequeue` is the window's own resends through it (app/team_resend.py): Resend, Edit
and resend, Retry now, Send to… and a destination corrected in Settings each claim their
leads on the floor before they are queued again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal, Slot

from leaddesk.app.resend import Resent
from leaddesk.app.submit import FLOOR_ANSWER_SECONDS

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess
    from leaddesk.app.team_desk import TeamDesk
    from leaddesk.app.team_resend import Requeue

log = logging.getLogger(__name__)

FLOOR_WAIT_SECONDS = FLOOR_ANSWER_SECONDS  # the longest the GUI thread waits on the floor


@dataclass
class _Errand:
    done: Callable[[Any], None]
    result: Any = None
    finished: bool = False
    late: bool = False  # the window stopped waiting: the result goes by the signal


class FloorErrands(QObject):
    """Runs work off the GUI thread and hands its result to `done` on the GUI thread."""

    _arrived = Signal(object)  # an _Errand that ended after the window stopped waiting
    settled = Signal()  # an errand's `done` ran (for whoever waits on one: tests)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._lock = threading.Lock()
        self._arrived.connect(self._deliver)

    def run(
        self,
        name: str,
        work: Callable[[], Any],
        done: Callable[[Any], None],
        wait_seconds: float = FLOOR_WAIT_SECONDS,
    ) -> bool:
        """Start `work` on a thread; `done(its result)` on this thread once it ends. True
        when it ended within `wait_seconds` (and `done` has run)."""
        errand = _Errand(done)
        thread = threading.Thread(target=self._work, args=(errand, work), name=name, daemon=True)
        thread.start()
        thread.join(wait_seconds)
        with self._lock:
            errand.late = not errand.finished
        if errand.late:
            return False
        self._hand_on(errand)
        return True

    def _work(self, errand: _Errand, work: Callable[[], Any]) -> None:
        try:
            result = work()
        except Exception as error:  # a floor failing in a way nobody foresaw: said, logged
            log.exception("floor errand failed")
            result = error
        with self._lock:
            errand.result, errand.finished = result, True
            late = errand.late
        if late:
            try:
                self._arrived.emit(errand)
            except RuntimeError:  # the window closed meanwhile: nobody to tell
                log.debug("floor errand's result dropped: the window is gone")

    @Slot(object)
    def _deliver(self, errand: _Errand) -> None:
        self._hand_on(errand)

    def _hand_on(self, errand: _Errand) -> None:
        try:
            errand.done(errand.result)
        finally:
            self.settled.emit()


class FloorRequeue(FloorErrands):
    """The window's own resends in team mode: claimed on the floor, then queued again."""

    def __init__(
        self, team: TeamDesk, history: HistoryAccess, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.team = team
        self._history = history  # the GUI thread's: the errand opens its own

    def requeue(
        self,
        ids: Collection[int],
        requeue: Requeue,
        done: Callable[[Resent], None],
        force: bool = False,
        releasing: bool = False,
    ) -> bool:
        """Claim `ids` on the floor, `requeue` those allowed (on the errand's thread), then
        `done(what came of it)` here. True when done already ran."""
        from leaddesk.app.team_resend import requeue_on_floor

        team, history, wanted = self.team, self._history, list(ids)
        if not wanted:  # nothing to claim: nothing to ask the floor
            return self.run("leaddesk-own-resend", Resent, done)

        def work() -> Resent:
            return requeue_on_floor(team, history, wanted, requeue, force, releasing)

        def hand_on(result: Resent | Exception) -> None:
            if isinstance(result, Exception):
                why = f"the floor could not be asked ({type(result).__name__}); try again"
                result = Resent([], [(lead_id, f"Lead {lead_id}: {why}") for lead_id in wanted])
            done(result)

        return self.run("leaddesk-own-resend", work, hand_on)
