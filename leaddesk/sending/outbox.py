"""The send loop: claim due leads, post them, record what became of them, report progress.

Every LeadDesk process that sends holds a lock file named after itself for as long as it
lives; the operating system releases it when the process dies, however it dies. A lead
left in "sending" by an owner whose lock is free was in flight when that process died:
it may have arrived, so it becomes unconfirmed instead of being resent.
"""

from __future__ import annotations

import logging
import os
import re
import socket
import threading
import time
import uuid
from collections.abc import Callable, Collection
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from leaddesk.config.settings import Sending
from leaddesk.domain.errors import StoreError
from leaddesk.domain.outcomes import Outcome, PostResult
from leaddesk.domain.states import FINAL_STATES
from leaddesk.history.store import Claim, Store, StoredLead
from leaddesk.sending.progress import Progress, ProgressCallback, Stage
from leaddesk.wire.format import WireFormat
from leaddesk.wire.formats import by_name, everywhere

if TYPE_CHECKING:  # the HTTP stack loads where posts are made, not where the loop is named
    from leaddesk.sending.poster import Poster


log = logging.getLogger(__name__)

# Waits between tries to record a post's answer (about two minutes in all), then give up:
# the leads stay "sending" and become unconfirmed when this process ends.
RECORD_RETRY_SECONDS = (0.5, 1, 2, 4, 8, 15, 30, 60)

# How often an idle loop looks again for leads queued or freed by other processes.
POLL_SECONDS = 0.5


class Outbox:
    """Sends queued leads through one Poster, recording every post in the Store."""

    def __init__(
        self,
        store: Store,
        poster: Poster,
        sending: Sending,
        senders_dir: Path,
        on_progress: ProgressCallback | None = None,
        format_for: Callable[[str], WireFormat] | None = None,
    ) -> None:
        self.store = store
        self.poster = poster
        # Which format each destination speaks (a setting); by default the poster's own.
        self.format_for = format_for or everywhere(poster.wire_format)
        self.sending = sending
        self._senders_dir = senders_dir
        self._on_progress = on_progress
        self.owner = f"{_safe(socket.gethostname())}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        senders_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        # filelock is imported here, on the sending thread that opens the outbox, not by
        # the window on its way to ready to submit.
        from filelock import FileLock

        self._lock = FileLock(self._lock_path(self.owner), timeout=0)
        self._lock.acquire()
        self._wake = threading.Event()
        self._stop = threading.Event()  # run()'s: ends the waits of _record too

    def close(self) -> None:
        self._lock.release()
        self._lock_path(self.owner).unlink(missing_ok=True)

    def __enter__(self) -> Outbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def recover(self) -> list[StoredLead]:
        """Leads in flight when another LeadDesk process died become unconfirmed."""
        recovered: list[int] = []
        for owner in self.store.claim_owners() - {self.owner}:
            if self._is_dead(owner):
                recovered += self.store.mark_orphans_unconfirmed(owner)
                log.warning("a LeadDesk sending as %s stopped mid-post: leads %s are unconfirmed",
                            owner, recovered)  # fmt: skip
                self._lock_path(owner).unlink(missing_ok=True)
        leads = self.store.get_many(recovered)
        if leads:
            self._report(Stage.RECOVERED, leads)
        return leads

    def send_due(self) -> list[StoredLead]:
        """Post one batch of due leads (all for one destination); their new states."""
        claim = self.store.claim(self.owner, self.sending.batch_size, self.format_for)
        if claim is None:
            return []
        self._report(Stage.SENDING, list(claim.leads))
        leads = [stored.lead for stored in claim.leads]
        post = self.poster.post(
            claim.destination,
            leads,
            claim.request,
            destination_name=claim.destination_name,
            wire_format=by_name(claim.format_tag),  # the format the request was built in
        )
        updated = self._record(claim, post)
        refused = [result for result in post.results if result.outcome is Outcome.REFUSED]
        # Ids, states and timing only: never a lead's fields (they are personal data).
        log.info(
            "post to %s: HTTP %s in %.2f s: %s",
            urlsplit(claim.destination).hostname,
            post.status,
            post.elapsed,
            ", ".join(f"lead {lead.id} {lead.state.value}" for lead in updated),
        )
        self._report(Stage.DONE, updated)
        if refused:
            waiting = self.store.get_many(self.store.waiting_for(claim.destination))
            self._report(Stage.HELD, waiting, _first_error(refused[0].errors))
        return updated

    def wake(self) -> None:
        """Look for due leads now instead of at the next poll; safe from any thread."""
        self._wake.set()

    def _record(self, claim: Claim, post: PostResult) -> list[StoredLead]:
        """Store what came of a post, trying again while the disk or another process stands
        in the way: the answer is in hand, and losing it would turn an accepted lead into
        an unconfirmed one. The claim is kept meanwhile, so no one else posts these leads."""
        for wait in RECORD_RETRY_SECONDS:
            try:
                return self.store.record(self.owner, claim, post, self.sending)
            except StoreError as error:
                if error.lasting:  # a read-only folder or a damaged file: waiting won't help
                    raise
                log.warning("could not record post %s yet (%s); trying again", claim.post_id, error)
                # Said at once: the agent can free the disk while the answer is still in hand.
                self._report(Stage.STALLED, list(claim.leads), _stalled(error, wait))
            if self._stop.wait(wait):
                break  # LeadDesk is closing: one last try, not minutes more
        return self.store.record(self.owner, claim, post, self.sending)

    def run(self, stop: threading.Event, until: Callable[[], bool] | None = None) -> None:
        """Send every due lead, waiting for retries and new leads, until `stop` is set or
        `until()` is true. Leads queued by other runs go out too, not only the caller's.
        Whoever sets `stop` should call wake() too, to end the wait at once."""
        self._stop = stop
        self.recover()
        while not stop.is_set():
            if self.send_due():
                continue
            if until is not None and until():
                return
            self.recover()
            self._wake.wait(self._idle_seconds())
            self._wake.clear()

    def run_until_final(self, lead_ids: Collection[int], stop: threading.Event) -> None:
        """Send until every one of these leads is accepted, rejected, failed or unconfirmed."""
        pending = set(lead_ids)

        def all_final() -> bool:
            states = self.store.states(pending)
            pending.difference_update(i for i, state in states.items() if state in FINAL_STATES)
            # Leads held for a destination's fix wait for a person, not for this loop.
            return not pending - self.store.held(pending)

        self.run(stop, until=all_final)

    def _idle_seconds(self) -> float:
        due = self.store.next_due()
        if due is None:
            return POLL_SECONDS
        return max(0.0, min(POLL_SECONDS, due - time.time()))

    def _report(self, stage: Stage, leads: list[StoredLead], message: str = "") -> None:
        if self._on_progress is not None:
            self._on_progress(Progress(stage, tuple(leads), message))

    def _lock_path(self, owner: str) -> Path:
        return self._senders_dir / f"{_safe(owner)}.lock"

    def _is_dead(self, owner: str) -> bool:
        """Its lock can be taken only when no live process holds it."""
        from filelock import FileLock, Timeout

        lock = FileLock(self._lock_path(owner), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            return False
        lock.release()
        return True


def _first_error(errors: tuple[str, ...]) -> str:
    return errors[0] if errors else "The destination refused the lead."


def _stalled(error: StoreError, wait: float) -> str:
    return (
        f"The dealer's answer cannot be recorded yet: {error} Trying again in {wait:g} s; "
        "the leads stay in the outbox and will not be sent twice."
    )


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)
