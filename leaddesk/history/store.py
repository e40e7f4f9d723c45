"""The history: every lead, its state and every post made for it, in one SQLite file.

A lead is committed as queued before any attempt to send it, and nothing is deleted by
sending, resending or a crash; only `purge` deletes, and only when asked. Problems of the
environment (disk full, read-only folder, locked or damaged file) surface as StoreError
with a message for people; anything else is a bug and is left to raise.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Self

from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.lifecycle import check_resendable
from leaddesk.domain.outcomes import PostResult
from leaddesk.domain.states import FIXABLE, State
from leaddesk.domain.stored import IN_FLIGHT, Attempt, Claim, StoredLead
from leaddesk.history import claims, recovery, store_queue
from leaddesk.history.claims import FormatFor, RequestMaker
from leaddesk.history.duplicate_guard import (
    Queued,
    Verdict,
    insert_queued,
    judge_batch,
    recent_duplicate,
)
from leaddesk.history.duplicate_guard import lead_columns as _lead_columns
from leaddesk.history.purge import PURGED_REPLY, CutDocument, purge_finished
from leaddesk.history.rows import fetch, fetch_one, read_attempts
from leaddesk.history.search import search_clause
from leaddesk.history.store_file import (
    check_still_there,
    environment_errors,
    file_identity,
    is_busy,
    open_history,
)

__all__ = [
    "IN_FLIGHT",
    "PURGED_REPLY",
    "Attempt",
    "Claim",
    "CutDocument",
    "FormatFor",
    "RequestMaker",
    "Store",
    "StoredLead",
]


OPEN_BUSY_SECONDS = 10.0  # how long opening waits out another process setting the file up


class Store:
    """One connection to the history database. Use one Store per thread."""

    def __init__(self, path: Path) -> None:
        self.path = path
        # Several LeadDesk processes may open one history at once (the window and a send);
        # while one switches a new file to WAL or migrates it, SQLite can answer "locked"
        # at once instead of waiting its busy timeout. Opening is tried again meanwhile.
        deadline = time.monotonic() + OPEN_BUSY_SECONDS
        while True:
            try:
                self._db = open_history(path)
                break
            except sqlite3.OperationalError as error:
                if not is_busy(error) or time.monotonic() > deadline:
                    with environment_errors(path):
                        raise
                time.sleep(0.05)
        try:
            self._identity = file_identity(path)  # the file this connection writes
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    def wait_for_locks(self, seconds: float) -> None:
        """How long a write waits for another connection's write lock before it fails
        with StoreError ("locked"); SQLite's busy timeout, five seconds when opened."""
        with environment_errors(self.path):
            self._db.execute(f"PRAGMA busy_timeout = {round(seconds * 1000)}")

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A write transaction. IMMEDIATE takes the write lock at the start, waiting out the
        busy timeout for another process: a deferred one would fail at once when it tries
        to upgrade its read lock while another process writes, and claims would race."""
        check_still_there(self.path, self._identity)
        with environment_errors(self.path):
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Rows of a read-only query, with environment problems as StoreError."""
        with environment_errors(self.path):
            return self._db.execute(sql, params).fetchall()

    # --- adding leads ------------------------------------------------------------------

    def add(
        self, lead: Lead, destination: str, now: float | None = None, destination_name: str = ""
    ) -> int:
        return self.add_many([(lead, destination)], now, destination_name)[0]

    def add_many(
        self,
        items: Sequence[tuple[Lead, str]],
        now: float | None = None,
        destination_name: str = "",
    ) -> list[int]:
        """Queue leads (with the URL each goes to, and the configured destination's name)
        in one transaction: either all are stored or none is. No duplicate guard: callers
        that want one use queue_unless_duplicate."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            return insert_queued(db, items, now, destination_name)

    def queue_unless_duplicate(
        self,
        items: Sequence[tuple[Lead, str]],
        duplicate_days: int,
        now: float | None = None,
        destination_name: str = "",
        approved: Collection[int] = (),
    ) -> list[Verdict]:
        """Queue the leads that are not likely duplicates, of a recent lead (not rejected)
        or of an earlier item; per item, its new id or why not. The guard and the insert
        are one write transaction, so two processes queueing the same lead at once queue
        it once. `approved`: earlier leads a person chose to send this one despite.
        duplicate_days 0 turns the guard off."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            leads = [lead for lead, _ in items]
            verdicts = judge_batch(db, leads, duplicate_days, now, approved)
            fresh = [item for item, verdict in zip(items, verdicts, strict=True) if verdict is None]
            new_ids = iter(insert_queued(db, fresh, now, destination_name))
            return [verdict or Queued(next(new_ids)) for verdict in verdicts]

    def find_duplicate(self, lead: Lead, within_days: int, now: float | None = None) -> int | None:
        """The id of a recent lead with the same phone1 and last name that was not rejected.
        Only to ask about: queue_unless_duplicate checks again as it queues."""
        now = time.time() if now is None else now
        with environment_errors(self.path):
            found = recent_duplicate(self._db, lead, within_days, now)
        return None if found is None else found.lead_id

    # --- the send loop's side ------------------------------------------------------------

    def claim(
        self, owner: str, limit: int, format_for: FormatFor, now: float | None = None
    ) -> Claim | None:
        """Mark up to `limit` due queued leads for one destination as sending, for `owner`,
        and put the post about to be made on record (its request, built in the format
        `format_for` gives for that destination, and the format's tag), all in one
        transaction: if the process dies mid-post, the history shows what was sent and to
        where."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            return claims.claim_batch(db, owner, limit, format_for, now)

    def record(
        self,
        owner: str,
        claim: Claim,
        post: PostResult,
        sending: Sending,
        now: float | None = None,
    ) -> list[StoredLead]:
        """Store what came of a claimed post and every lead's new state in one transaction."""
        now = time.time() if now is None else now
        # This commit need not reach the disk before the next: the next claim's full sync
        # makes it durable, and if power fails first the leads are still "sending" and become
        # unconfirmed at the next start: never resent, never lost. Half the fsyncs per post.
        self._db.execute("PRAGMA synchronous = NORMAL")
        try:
            with self.transaction() as db:
                claims.record_post(db, owner, claim, post, sending, now)
                return fetch(db, [stored.id for stored in claim.leads])
        finally:
            self._db.execute("PRAGMA synchronous = FULL")

    def claim_owners(self) -> set[str]:
        """The owners of leads left in sending."""
        with environment_errors(self.path):
            return recovery.claim_owners(self._db)

    def mark_orphans_unconfirmed(self, owner: str, now: float | None = None) -> list[int]:
        """A sender died mid-post: its leads may have arrived, so they are never resent silently."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            return recovery.mark_orphans_unconfirmed(db, owner, now)

    def next_due(self) -> float | None:
        """When the earliest queued lead is due, or None when nothing is queued (leads held
        for a destination's fix are not due: the loop must not spin on them)."""
        with environment_errors(self.path):
            row = self._db.execute(
                "SELECT MIN(due_at) FROM leads WHERE state = 'queued'"
                " AND destination NOT IN (SELECT destination FROM holds)"
            ).fetchone()
        return None if row[0] is None else float(row[0])

    # --- people's side -------------------------------------------------------------------

    def requeue(
        self,
        lead_id: int,
        force: bool = False,
        destination: str | None = None,
        now: float | None = None,
        fields: Mapping[str, str] | None = None,
        destination_name: str | None = None,
    ) -> None:
        """Queue a lead again, due now: a rejected or failed one (or, with force, an
        unconfirmed one) to send it again, a queued one to try it now. To the same
        destination, or another (`destination`, with its name and the lead fields it sets,
        such as source_id). It keeps its id, attempts and lead ID. A person asked for it:
        a hold on the destination it goes to is lifted.

        Raises ValueError with a message when the lead cannot be resent.
        """
        now = time.time() if now is None else now
        with self.transaction() as db:
            stored = fetch_one(db, lead_id)
            check_resendable(stored, force)
            target = destination or stored.destination
            store_queue.requeue_row(db, stored, target, now, fields, destination_name)
            store_queue.release(db, {target})

    def redirect_destination(
        self,
        old_url: str,
        new_url: str,
        now: float | None = None,
        fields: Mapping[str, str] | None = None,
        destination_name: str | None = None,
        only_of: str | None = None,
    ) -> list[int]:
        """A destination was fixed (its address, or the fields it sets): the leads that wait
        for that fix go to it now, queued and failed since it was held. Their ids.
        `only_of`: only the leads of the configured destination of that name (another one
        at the same URL keeps its leads, and its fields)."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            ids = store_queue.stuck_at(db, old_url, only_of)
            for stored in fetch(db, ids):
                store_queue.requeue_row(db, stored, new_url, now, fields, destination_name)
            store_queue.release(db, {old_url, new_url})
        return ids

    def holds(self) -> list[store_queue.Hold]:
        """Destinations holding their queue until a person fixes them."""
        with environment_errors(self.path):
            return store_queue.holds(self._db)

    def lift_hold(self, destination: str) -> store_queue.Hold | None:
        """A person asked to send there again: its queue goes; the hold that was lifted."""
        with self.transaction() as db:
            lifted = next((h for h in store_queue.holds(db) if h.destination == destination), None)
            store_queue.release(db, {destination})
        return lifted

    def waiting_for(self, destination: str) -> list[int]:
        """The leads a held destination's fix will send: queued for it, and failed there
        since it was held."""
        with environment_errors(self.path):
            return store_queue.stuck_at(self._db, destination)

    def held(self, ids: Iterable[int]) -> set[int]:
        """Which of these leads wait for a held destination's fix."""
        with environment_errors(self.path):
            return store_queue.held(self._db, ids)

    def destination_names(self) -> set[str]:
        """The names of the destinations leads in the history went to."""
        return {row[0] for row in self.read("SELECT DISTINCT destination_name FROM leads")}

    def retarget_queued(self, destination: str) -> None:
        """Point every queued lead at this destination (demo sandboxes move between runs)."""
        with self.transaction() as db:
            db.execute("UPDATE leads SET destination = ? WHERE state = 'queued'", (destination,))

    def replace_lead(self, lead_id: int, lead: Lead, now: float | None = None) -> None:
        """Edit a rejected or failed lead to resend it; it keeps its id, attempts and lead ID."""
        now = time.time() if now is None else now
        with self.transaction() as db:
            stored = fetch_one(db, lead_id)
            if stored.state not in FIXABLE:
                raise ValueError(
                    f"Lead {lead_id} is {stored.state}; "
                    "only rejected or failed leads can be edited."
                )
            unique_id = stored.lead.lead_company_unique_id
            kept = lead.replace(lead_company_unique_id=unique_id)
            columns = _lead_columns(kept) | {"updated_at": now}
            assignments = ", ".join(f"{name} = ?" for name in columns)
            db.execute(f"UPDATE leads SET {assignments} WHERE id = ?", (*columns.values(), lead_id))

    def get(self, lead_id: int) -> StoredLead | None:
        with environment_errors(self.path):
            found = fetch(self._db, [lead_id])
        return found[0] if found else None

    def states(self, ids: Iterable[int]) -> dict[int, State]:
        """The current state of each of these leads (missing ids are left out)."""
        wanted = list(ids)
        found: dict[int, State] = {}
        with environment_errors(self.path):
            for start in range(0, len(wanted), 500):
                chunk = wanted[start : start + 500]
                marks = ",".join("?" * len(chunk))
                sql = f"SELECT id, state FROM leads WHERE id IN ({marks})"
                found.update((row[0], State(row[1])) for row in self._db.execute(sql, chunk))
        return found

    def get_many(self, ids: Iterable[int]) -> list[StoredLead]:
        with environment_errors(self.path):
            return fetch(self._db, list(ids))

    def attempts(self, lead_id: int) -> list[Attempt]:
        with environment_errors(self.path):
            return read_attempts(self._db, lead_id)

    def history(
        self, state: State | None = None, search: str = "", limit: int | None = None
    ) -> list[StoredLead]:
        """Leads newest first, optionally of one state and matching a search text."""
        clauses: list[str] = []
        params: list[object] = []
        if state is not None:
            clauses.append("state = ?")
            params.append(state.value)
        matching, search_params = search_clause(search)
        if matching:
            clauses.append(matching)
            params.extend(search_params)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        sql = f"SELECT id FROM leads {where} ORDER BY id DESC"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with environment_errors(self.path):
            ids = [row[0] for row in self._db.execute(sql, params)]
            return fetch(self._db, ids)

    def counts(self, states: Iterable[State] | None = None) -> dict[State, int]:
        """Leads per state; only of these states when given, which the (state, ...) indexes
        answer without reading every lead (the window asks after every post)."""
        wanted = [state.value for state in states] if states is not None else None
        where = "" if wanted is None else f"WHERE state IN ({','.join('?' * len(wanted))})"
        with environment_errors(self.path):
            rows = self._db.execute(
                f"SELECT state, COUNT(*) FROM leads {where} GROUP BY state", wanted or []
            ).fetchall()
        return {State(state): count for state, count in rows}

    def purge(
        self,
        older_than_days: float,
        cut: CutDocument,
        now: float | None = None,
        keep_unresolved: bool = False,
    ) -> int:
        """Delete finished leads older than the given age; the number deleted. Queued and
        sending ones are always kept; with keep_unresolved (the retention setting) so are
        rejected, failed and unconfirmed ones, which still need a person.

        A post that also carried kept leads keeps only their part of the request (`cut`
        reads it in the format it was sent in), and its reply (which may echo purged
        names) is dropped: nothing of a purged lead remains.
        """
        now = time.time() if now is None else now
        with self.transaction() as db:
            return purge_finished(db, now - older_than_days * 86400, cut, keep_unresolved)
