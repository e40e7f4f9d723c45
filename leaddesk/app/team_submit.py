"""The window's Submit in team mode: the floor's duplicate check, this desk's own one and
the insert happen while the floor holds the lead's household (TeamDesk.check_households,
as `leaddesk send` does), and the lead is pushed before the household is let go, so
that two desks submitting the same household at the same moment send it once.

Submit never waits long on the floor: the check runs on a thread of its own and is given
FLOOR_ANSWER_SECONDS (the household lock a little less). Without an answer in time, or
with the floor offline, the desk's own history guards, and that is said
(`own_history_only`). The thread queues the lead only while the window still waits for
it, so the lead is never queued both there and by the window's own guard.

The questions (a likely duplicate here or at another desk) are asked with no household
held: each answer starts the check again, letting through only the lead the person was
told of.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from leaddesk.app.floor_guard import OWN_HISTORY_ONLY, held_words
from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.submit import FLOOR_ANSWER_SECONDS, SendAnyway, queue_unless_duplicate
from leaddesk.app.team_desk import TeamDesk
from leaddesk.config.settings import Destination
from leaddesk.domain.errors import StoreError
from leaddesk.domain.lead import Lead
from leaddesk.history.duplicate_guard import DuplicateOf, Queued
from leaddesk.history.store import Store
from leaddesk.team.floor_leads import FloorMatch

if TYPE_CHECKING:
    from collections.abc import Callable

log = logging.getLogger(__name__)

# How long Submit lets another desk hold the household before checking on its own history.
HOUSEHOLD_WAIT_SECONDS = 0.3


@dataclass(frozen=True)
class _AtAnotherDesk:
    match: FloorMatch


_Answer = Queued | DuplicateOf | _AtAnotherDesk | Exception | None  # None: not in time


@dataclass
class _Round:
    """One check under the household lock, shared by the window's thread and the check's:
    the check queues only if the window still waits (`commit`), and the window stops
    waiting only if the check has not begun to queue (`abandon`)."""

    approved: frozenset[int]
    approved_floor: frozenset[int]
    answer: _Answer = None
    done: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _state: str = "asking"  # asking | queueing | abandoned

    def commit(self) -> bool:
        with self._lock:
            if self._state == "abandoned":
                return False
            self._state = "queueing"
            return True

    def abandon(self) -> bool:
        with self._lock:
            if self._state == "queueing":
                return False
            self._state = "abandoned"
            return True

    def finish(self, answer: _Answer) -> None:
        if not self.done.is_set():
            self.answer = answer
            self.done.set()


def queue_on_floor(
    team: TeamDesk,
    history: HistoryAccess,
    lead: Lead,
    destination: Destination,
    duplicate_days: int,
    send_anyway: SendAnyway,
    send_anyway_floor: Callable[[str], bool],
    own_history_only: Callable[[str], None],
) -> int | None:
    """Queue one typed lead in team mode, asking first about a likely duplicate at this
    desk (`send_anyway`) or another (`send_anyway_floor`, with words naming its desk and
    agent); its id, or None when the person keeps it. StoreError or ValueError as
    queue_unless_duplicate."""
    approved: set[int] = set()
    approved_floor: set[int] = set()
    while duplicate_days > 0 and team.floor.known_online:
        answer = _ask(team, history, lead, destination, duplicate_days, approved, approved_floor)
        if answer is None:
            break
        if isinstance(answer, Exception):
            raise answer
        if isinstance(answer, Queued):
            return answer.lead_id
        if isinstance(answer, _AtAnotherDesk):
            if not send_anyway_floor(held_words(answer.match)):
                return None
            approved_floor.add(answer.match.floor_id)
            continue
        earlier = history.get(answer.lead_id)  # (None: purged meanwhile)
        if earlier is not None and not send_anyway(earlier):
            return None
        approved.add(answer.lead_id)
    if duplicate_days > 0:
        own_history_only(OWN_HISTORY_ONLY)
    return queue_unless_duplicate(history, lead, destination, duplicate_days, send_anyway, approved)


def _ask(
    team: TeamDesk,
    history: HistoryAccess,
    lead: Lead,
    destination: Destination,
    duplicate_days: int,
    approved: set[int],
    approved_floor: set[int],
) -> _Answer:
    """One check under the household lock, given FLOOR_ANSWER_SECONDS; None when it did
    not answer in time (or the floor could not be asked)."""
    check = _Round(frozenset(approved), frozenset(approved_floor))
    thread = threading.Thread(
        target=_check,
        args=(team, history, lead, destination, duplicate_days, check),
        name="leaddesk-household",
        daemon=True,
    )
    thread.start()
    if not check.done.wait(FLOOR_ANSWER_SECONDS) and check.abandon():
        return None
    check.done.wait()  # it is queueing: an insert into the desk's own history
    return check.answer


def _check(
    team: TeamDesk,
    history: HistoryAccess,
    lead: Lead,
    destination: Destination,
    duplicate_days: int,
    check: _Round,
) -> None:
    """On the check's thread, with its own Store."""

    def then(matches: list[FloorMatch | None] | None, store: Store) -> None:
        if matches is None:
            return  # not answered: the window's own guard
        match = matches[0]
        if match is not None and match.floor_id not in check.approved_floor:
            check.finish(_AtAnotherDesk(match))
            return
        if not check.commit():
            return
        try:
            (verdict,) = store.queue_unless_duplicate(
                [(lead, destination.url)],
                duplicate_days,
                destination_name=destination.name,
                approved=check.approved,
            )
        except (StoreError, ValueError) as error:
            check.finish(error)
            return
        assert isinstance(verdict, Queued | DuplicateOf)  # one item: no earlier item
        check.finish(verdict)

    try:
        with Store(history.path) as store:
            team.check_households(
                store,
                [lead],
                duplicate_days,
                time.time(),
                lambda matches: then(matches, store),
                lock_wait=HOUSEHOLD_WAIT_SECONDS,
            )
    except Exception:  # a floor failing in a way nobody foresaw: logged, own history
        log.exception("household check failed")
    finally:
        check.finish(None)
