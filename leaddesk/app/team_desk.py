"""A desk in team mode: its link to the floor, and what it does there (push its history,
take results of its leads resent elsewhere, ask about duplicates, read the floor's view).

The desk's own SQLite history stays the record of what it did: submitting and sending
never wait on the floor. `sync` pushes what the floor has not seen; it runs at each
command, every few seconds in the window, and on `leaddesk sync`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar
from urllib.parse import urlsplit

import psycopg

from leaddesk.app.context import Context
from leaddesk.config.team_settings import team_database
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.history.floor_results import (
    changed_since,
    note_pushed,
    note_swept,
    swept_until,
    take_result,
)
from leaddesk.history.store import Store
from leaddesk.team import floor_claims, floor_leads
from leaddesk.team.desk_identity import agent_name, desk_id
from leaddesk.team.floor import Floor, FloorOffline
from leaddesk.team.floor_leads import FloorLead, FloorMatch
from leaddesk.team.households import LOCK_WAIT_SECONDS, lock_households

T = TypeVar("T")


class _HouseholdBusy(Exception):
    """Another desk held a household of this check past the wait: checked here alone."""


# Changes stamped up to this long before the floor's newest one are pushed again (the
# upsert leaves them as they are): a write stamped earlier but committed later, behind
# another process's, is not missed.
PUSH_OVERLAP_SECONDS = 300.0
PUSH_PAGE = 500


def offline_words(reason: str) -> str:
    return (
        f"floor offline: {reason}. This desk keeps sending from its own outbox and pushes "
        "its leads to the floor when it is back."
    )


@dataclass(frozen=True)
class Synced:
    pushed: int  # leads new on the floor, or changed there (not those it had as they are)
    taken: list[int]  # leads of this history whose resend elsewhere was taken in
    more: bool = False  # pages were left for the next push


@dataclass
class TeamDesk:
    floor: Floor
    lease_seconds: float

    @classmethod
    def open(cls, context: Context, say: Callable[[str], None]) -> TeamDesk | None:
        """The desk's team mode, or None without a team database (or in demo mode, whose
        leads are make-believe). `say` is told, once per outage, that the floor is off."""
        url = team_database(context.settings.team)
        if not url or context.demo:
            return None
        floor = Floor(
            url,
            desk_id(context.paths.data_dir),
            agent_name(context.settings.agent_name, urlsplit(url).username or ""),
            on_offline=lambda reason: say(offline_words(reason)),
        )
        return cls(floor, context.settings.team.claim_lease_seconds)

    @property
    def desk(self) -> str:
        return self.floor.desk

    def close(self) -> None:
        self.floor.close()

    def sync(self, store: Store, max_pages: int | None = None) -> Synced | None:
        """Take in the results of this desk's leads resent elsewhere, then push every
        change the floor has not seen (at most `max_pages` pages of PUSH_PAGE leads: a
        command's closing push of a long history leaves the rest to the next). None when
        the floor is offline."""
        try:
            taken = self._take_results(store)
            pushed, more = self._push(store, max_pages)
            return Synced(pushed, taken, more)
        except FloorOffline:
            return None

    def take_results(self, store: Store) -> list[int]:
        """Take in the results of this desk's leads resent elsewhere (FloorOffline)."""
        return self._take_results(store)

    def _take_results(self, store: Store) -> list[int]:
        with self.floor.connection() as db:
            results = floor_claims.results_for(db, self.desk)
        taken = []
        for result in results:
            lead_id = take_result(
                store,
                result.unique_id,
                result.state,
                result.customer_id,
                result.errors,
                result.resent_by,
            )
            if lead_id is not None:
                taken.append(lead_id)
        if results:
            with self.floor.connection() as db:
                floor_claims.taken(db, results)
        return taken

    def _push(self, store: Store, max_pages: int | None) -> tuple[int, bool]:
        with self.floor.connection() as db:
            on_floor = floor_leads.pushed_until(db, self.desk)
        # The lower of the two: the floor's newest row of this desk may be a few new leads
        # pushed past a backlog, and this desk's mark is ahead of a floor set up again.
        since = min(on_floor, swept_until(store, self.desk))
        now = time.time()
        if since > now + PUSH_OVERLAP_SECONDS:
            # Beyond this desk's clock: the clock was set back since, and the changes made
            # after are stamped anywhere below. All of the history once (the floor leaves
            # what it has as it is); the mark then stays at or below this desk's clock.
            since = 0.0
        since = max(0.0, since - PUSH_OVERLAP_SECONDS)
        after_id, pushed, pages = -1, 0, 0
        while page := changed_since(store, since, after_id, PUSH_PAGE):
            if max_pages is not None and pages >= max_pages:
                return pushed, True
            # Noted before it is pushed: a desk that dies between the two must not think a
            # lead the floor has was never given to it (app.own_resend_guard).
            note_pushed(store, self.desk, page[-1].updated_at)
            with self.floor.connection() as db:  # a page per transaction: progress stays
                changed = floor_leads.push(db, self.desk, self.floor.agent, page)
            # Committed: the floor has it.
            note_swept(store, self.desk, min(page[-1].updated_at, now))
            pushed, pages = pushed + changed, pages + 1
            since, after_id = page[-1].updated_at, page[-1].id
        return pushed, False

    def duplicates(
        self, leads: Sequence[Lead], within_days: int, now: float
    ) -> list[FloorMatch | None] | None:
        """Per lead, a recent lead of another desk with its phone and last name; None when
        the floor cannot be asked now (the desk's own history still is)."""
        if self.floor.offline:
            return None
        try:
            with self.floor.connection() as db:
                return floor_leads.duplicates(db, self.desk, leads, within_days, now)
        except FloorOffline:
            return None

    def check_households(
        self,
        store: Store,
        leads: Sequence[Lead],
        within_days: int,
        now: float,
        then: Callable[[list[FloorMatch | None] | None], T],
        lock_wait: float = LOCK_WAIT_SECONDS,
    ) -> T:
        """Ask the floor about these leads' households and run `then` with the answer (per
        lead, a recent lead of another desk, or None for all when the floor cannot be
        asked) while holding the households (leaddesk.team.households). `then` queues the
        leads it lets through; what it changed is pushed in the same transaction, so that a
        desk checking the same household meanwhile waits, then finds them. `then` runs
        once, whatever the floor does. A household held elsewhere past `lock_wait`
        seconds is checked on this desk's own history (`then(None)`)."""
        ran: list[T] = []

        def once(matches: list[FloorMatch | None] | None) -> T:
            ran.append(then(matches))
            return ran[0]

        if within_days <= 0 or not leads:
            return once([None] * len(leads))
        if self.floor.offline:
            return once(None)
        try:
            with self.floor.connection() as db:
                try:
                    lock_households(db, leads, lock_wait)
                except psycopg.errors.LockNotAvailable:
                    raise _HouseholdBusy from None  # the floor is there: not offline
                matches = floor_leads.duplicates(db, self.desk, leads, within_days, now)
                started = time.time()
                once(matches)
                # Only what `then` changed: a long backlog is pushed after, unlocked.
                after_id = -1
                while page := changed_since(store, started, after_id, PUSH_PAGE):
                    floor_leads.push(db, self.desk, self.floor.agent, page)
                    started, after_id = page[-1].updated_at, page[-1].id
            return ran[0]
        except (FloorOffline, _HouseholdBusy):
            return ran[0] if ran else once(None)

    def history(
        self,
        state: State | None = None,
        agent: str | None = None,
        search: str = "",
        limit: int | None = None,
    ) -> list[FloorLead]:
        """The floor's leads newest first (FloorOffline when it cannot be read)."""
        with self.floor.connection() as db:
            return floor_leads.history(db, state, agent, search, limit)

    def floor_lead(self, floor_id: int) -> FloorLead | None:
        """One of the floor's leads, if this login may see it (FloorOffline as above)."""
        with self.floor.connection() as db:
            return floor_leads.get(db, floor_id)
