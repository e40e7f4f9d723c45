"""The history as the window reaches it: what its widgets read and change, and nothing
else. The window never holds the store itself: this is the one door, so that what the
widgets may do to the history is listed here, and another history backend is one
change below it (tests/architecture/test_gui_store.py keeps `Store` out of the window).

One HistoryAccess per thread, as one Store per thread: the window's is made on the GUI
thread (quick reads and single-lead changes only); the sending thread opens its own
(leaddesk.app.outboxes)."""

from __future__ import annotations

from array import array
from collections.abc import Collection, Iterable, Mapping, Sequence
from pathlib import Path

from leaddesk.domain.lead import Lead
from leaddesk.domain.states import PENDING, State
from leaddesk.history import history_query
from leaddesk.history.duplicate_guard import Verdict
from leaddesk.history.export import export_csv
from leaddesk.history.history_query import Cursor, Query, Row
from leaddesk.history.store import Attempt, Store, StoredLead
from leaddesk.history.store_queue import Hold


class HistoryAccess:
    """One connection's worth of the history, for one thread."""

    def __init__(self, store: Store) -> None:
        self._store = store

    @property
    def path(self) -> Path:
        """The history's file, for readers that open their own (the totals' thread)."""
        return self._store.path

    # --- leads --------------------------------------------------------------------------

    def get(self, lead_id: int) -> StoredLead | None:
        return self._store.get(lead_id)

    def get_many(self, ids: Iterable[int]) -> list[StoredLead]:
        return self._store.get_many(ids)

    def states(self, ids: Iterable[int]) -> dict[int, State]:
        return self._store.states(ids)

    def attempts(self, lead_id: int) -> list[Attempt]:
        return self._store.attempts(lead_id)

    def queue_unless_duplicate(
        self,
        items: Sequence[tuple[Lead, str]],
        duplicate_days: int,
        destination_name: str = "",
        approved: Collection[int] = (),
    ) -> list[Verdict]:
        """The duplicate guard and the insert, in one transaction (leaddesk.app.submit)."""
        return self._store.queue_unless_duplicate(
            items, duplicate_days, destination_name=destination_name, approved=approved
        )

    def requeue(
        self,
        lead_id: int,
        force: bool = False,
        destination: str | None = None,
        *,
        fields: Mapping[str, str] | None = None,
        destination_name: str | None = None,
    ) -> None:
        """Queue a lead again, due now (Store.requeue); ValueError when it cannot be."""
        self._store.requeue(
            lead_id, force, destination, fields=fields, destination_name=destination_name
        )

    def replace_lead(self, lead_id: int, lead: Lead) -> None:
        """A rejected or failed lead's fields fixed (leaddesk.app.fix)."""
        self._store.replace_lead(lead_id, lead)

    def redirect_destination(
        self,
        old_url: str,
        new_url: str,
        fields: Mapping[str, str] | None = None,
        destination_name: str | None = None,
        only_of: str | None = None,
    ) -> list[int]:
        """A fixed destination's waiting leads go to it (Store.redirect_destination)."""
        return self._store.redirect_destination(
            old_url,
            new_url,
            fields=fields,
            destination_name=destination_name,
            only_of=only_of,
        )

    # --- the queue --------------------------------------------------------------------

    def counts(self, states: Iterable[State] | None = None) -> dict[State, int]:
        return self._store.counts(states)

    def holds(self) -> list[Hold]:
        """Destinations holding their queue until a person fixes them."""
        return self._store.holds()

    def still_to_send(self) -> int:
        """Leads still to be sent: not those that wait for a destination's fix, which no
        wait (at closing) would send."""
        pending = sum(self._store.counts(PENDING).values())
        return pending - sum(hold.waiting for hold in self._store.holds())

    def held_reasons(self) -> dict[str, str]:
        """The destinations holding their queue, and why (one small table: the holds, not
        the leads they hold, which holds() counts)."""
        return dict(self._store.read("SELECT destination, reason FROM holds"))

    def waiting_for(self, destination: str) -> list[int]:
        return self._store.waiting_for(destination)

    def destination_names(self) -> set[str]:
        """The names of the destinations leads in the history went to."""
        return self._store.destination_names()

    # --- the history table's read model ---------------------------------------------------

    def page(
        self, query: Query, after: Cursor | None, limit: int
    ) -> tuple[list[int], Cursor | None]:
        return history_query.lead_page(self._store, query, after, limit)

    def sort_key(self, query: Query, lead_id: int) -> Cursor | None:
        return history_query.sort_key(self._store, query, lead_id)

    def rows(self, ids: Sequence[int]) -> dict[int, Row]:
        return history_query.rows(self._store, ids)

    def lead_ids(self, query: Query) -> array[int]:
        """Every lead the query matches, in its order (an export of the whole view)."""
        return history_query.lead_ids(self._store, query)

    def export_csv(self, ids: Sequence[int], path: Path) -> int:
        return export_csv(self._store, ids, path)
