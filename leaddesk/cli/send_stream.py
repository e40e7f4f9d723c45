"""`leaddesk send FILE`: a file of any size read, queued and sent as it goes.

Rows are read one at a time and queued in chunks, each chunk with the duplicate guard in
one transaction (Store.queue_unless_duplicate), while the outbox sends on a worker thread
from the first chunk on. Reading waits while many leads are queued and not yet final, so
memory holds a bounded number of them however long the file is. What was queued stays
queued if the run dies or is stopped: the next send of the file finds those leads in the
outbox (the guard) and sends them instead of queueing them twice.
"""

from __future__ import annotations

import argparse
import bisect
import sys
import threading
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from leaddesk.app.context import Context
from leaddesk.app.describe import fate_text
from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.queue_notes import retry_phrase
from leaddesk.app.submit import queue_batch
from leaddesk.cli.dry_run import dry_run, say_how_read, say_problems
from leaddesk.cli.progress_line import ProgressLine
from leaddesk.cli.send import EXIT_NOT_ALL_ACCEPTED, EXIT_OK, _follow, _retrying
from leaddesk.config.settings import Destination, Sending
from leaddesk.domain.errors import UsageError
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import FINAL_STATES, State
from leaddesk.domain.zip_lookup import Place, ZipDirectory
from leaddesk.history.duplicate_guard import DuplicateOf, Queued, SameAsItem, Verdict
from leaddesk.history.store import Store, StoredLead
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.progress import Progress, Stage
from leaddesk.sources.rows import LeadFile

if TYPE_CHECKING:
    from leaddesk.app.team_desk import TeamDesk

FIRST_CHUNK_ROWS = 20  # the first leads go out while the rest is read
CHUNK_ROWS = 500
MAX_AHEAD = 2000  # leads queued by this run and not yet final, before reading waits


def send_file(context: Context, args: argparse.Namespace, team: TeamDesk | None = None) -> int:
    zips = _ZipPlaces(context.paths.cache_dir)
    if args.dry_run:
        try:
            defaults = context.destination(
                args.url, args.source_id, args.destination
            ).lead_defaults()
        except UsageError as error:  # a dry run needs no address to show the rows
            defaults = {"source_id": args.source_id} if args.source_id else {}
            print(f"leaddesk: {error} The rows are shown with only this run's --source-id.")
        with LeadFile(args.file, args.map, defaults, zips) as leads:
            return dry_run(leads, sys.stdout)
    destination = context.destination(args.url, args.source_id, args.destination)
    sending = context.settings.sending
    if args.batch_size is not None:
        sending = sending.replace(batch_size=args.batch_size)
    days = 0 if args.allow_duplicates else sending.duplicate_days
    with LeadFile(args.file, args.map, destination.lead_defaults(), zips) as leads:
        # On stderr: stdout has a line per row and the summary, for scripts.
        say_how_read(leads, sys.stderr, every_column=False)
        with context.open_store() as store, Store(store.path) as queue_store:
            # Made before this run's first write (lifting a hold waits for the history's
            # write lock): a send of this file going on at the same moment, whose leads
            # enter the history after this point, is told apart from an earlier run.
            run = _StreamRun(context, store, queue_store, destination, sending, days, team)
            lifted = queue_store.lift_hold(destination.url)  # this run asks to send there
            if lifted is not None:
                print(
                    f"leaddesk: {destination.name} refused a lead earlier ({lifted.reason}); "
                    "trying it again, as this run asks.",
                    file=sys.stderr,
                )
            return run.go(leads)


class _ZipPlaces:
    """City and state by ZIP, the index loaded the first time a row needs it."""

    def __init__(self, cache_dir: Path) -> None:
        self._directory = ZipDirectory(cache_dir)

    def __call__(self, zip_code: str) -> Place | None:
        if not self._directory.is_ready():
            self._directory.load_now()
        return self._directory.lookup(zip_code)


class _StreamRun:
    def __init__(
        self,
        context: Context,
        store: Store,
        queue_store: Store,
        destination: Destination,
        sending: Sending,
        days: int,
        team: TeamDesk | None = None,
    ) -> None:
        self._context, self._store, self._queue_store = context, store, queue_store
        self._team = team  # team mode: the floor's guard too, and pushes for other desks'
        self._destination, self._sending, self._days = destination, sending, days
        self._lock = threading.Condition()
        # The reading thread and the send loop both say lines, and the bar is drawn between.
        self._output = threading.RLock()
        self._in_flight: dict[int, int] = {}  # lead id -> row: queued here, not yet final
        self._held: dict[int, int] = {}  # lead id -> row: waiting for a destination's fix
        self._ours: list[tuple[int, int]] = []  # (first, last) ids of each chunk queued
        newest = queue_store.history(limit=1)
        self._before = newest[0].id if newest else 0  # leads above it are this run's time's
        self._finals: Counter[State] = Counter()
        self._reading_done = threading.Event()
        self._told_held: set[str] = set()
        self._warned: set[str] = set()  # what is said once a run, however many chunks
        self._bar: ProgressLine | None = None
        self.read = self.queued = self.invalid = self.skipped = 0
        self.skipped_ok = True

    def go(self, leads: LeadFile) -> int:
        self._bar = ProgressLine(sys.stderr, leads.size())
        outbox = self._context.open_outbox(self._store, self._sending, self._on_progress)
        stop = threading.Event()
        failure: list[BaseException] = []

        def work() -> None:
            try:
                outbox.run(stop, until=self._settled)
            except BaseException as error:  # handed to the main thread, which reports it
                failure.append(error)
            finally:
                with self._lock:
                    self._lock.notify_all()

        worker = threading.Thread(target=work, name="leaddesk-send", daemon=True)
        worker.start()
        try:
            self._read_and_queue(leads, outbox, worker)
            self._reading_done.set()
            outbox.wake()
            while worker.is_alive():
                worker.join(0.2)
                self._draw(leads)
        except BaseException as error:
            # Ctrl+C, or reading or queueing failed (a file unreadable past a row, the disk):
            # the post in flight is recorded before the history is closed under it, else
            # its leads stay "sending" and the next run calls them unconfirmed.
            stop.set()
            outbox.wake()
            if isinstance(error, KeyboardInterrupt):
                self._say(
                    "\nStopping after the post in flight (Ctrl+C again to quit at once); "
                    "queued leads go out with the next send or resend.",
                    err=True,
                )
            worker.join()
            raise
        if failure:
            raise failure[0]
        if self._bar is not None:
            self._bar.clear()
        return self._finish()

    def _read_and_queue(self, leads: LeadFile, outbox: Outbox, worker: threading.Thread) -> None:
        chunk: list[tuple[int, Lead]] = []
        size = FIRST_CHUNK_ROWS
        for row in leads.rows():
            self.read += 1
            if row.lead is None:
                self.invalid += 1
                self._clear_bar()
                say_problems(row, sys.stdout)
            else:
                chunk.append((row.row, row.lead))
            if len(chunk) >= size:
                self._queue(chunk, outbox)
                chunk, size = [], CHUNK_ROWS
                self._wait_for_room(worker, leads)
            if self.read % 200 == 0:
                self._draw(leads)
            if not worker.is_alive():
                return  # it failed: go() reports why
        if chunk:
            self._queue(chunk, outbox)

    def _queue(self, chunk: list[tuple[int, Lead]], outbox: Outbox) -> None:
        """One chunk: the guard and the insert in one transaction (in team mode, less the
        households another desk has, asked of the floor first)."""
        from leaddesk.cli.floor_guard import plan_on_floor  # team mode: check, queue, push

        def queue(rows: list[tuple[int, Lead]]) -> tuple[list[tuple[int, Lead]], list[Verdict]]:
            leads = [lead for _, lead in rows]
            history = HistoryAccess(self._queue_store)
            return rows, queue_batch(history, leads, self._destination, self._days)

        (chunk, verdicts), held, held_ok = plan_on_floor(
            self._team, self._queue_store, chunk, self._days, queue, self._warn_once
        )
        self.skipped, self.skipped_ok = self.skipped + held, self.skipped_ok and held_ok
        new = [verdict.lead_id for verdict in verdicts if isinstance(verdict, Queued)]
        waiting: list[tuple[int, int]] = []
        lines: list[str] = []
        for (row, _), verdict in zip(chunk, verdicts, strict=True):
            match verdict:
                case Queued(lead_id):
                    waiting.append((row, lead_id))
                case DuplicateOf(lead_id, _) if self._is_ours(lead_id):
                    self.skipped += 1
                    lines.append(f"row {row}: skipped, same phone and last name as lead "
                                 f"{lead_id}, an earlier row of this file")  # fmt: skip
                case DuplicateOf(lead_id, _) if lead_id > self._before:
                    # Queued since this run began, by a send of this file going on now:
                    # its fate is reported here too, whatever it is by now.
                    lines.append(f"row {row}: already queued by another send as lead {lead_id}")
                    waiting.append((row, lead_id))
                case DuplicateOf(lead_id, state) if state in (State.QUEUED, State.SENDING):
                    lines.append(
                        f"row {row}: already in the outbox as lead {lead_id} (earlier run)"
                    )
                    waiting.append((row, lead_id))
                case DuplicateOf(lead_id, State.FAILED):  # it certainly never arrived
                    lines.append(f"row {row}: lead {lead_id} failed in an earlier run; sending "
                                 "it again")  # fmt: skip
                    waiting.append((row, lead_id))
                case DuplicateOf(lead_id, state):
                    self.skipped += 1
                    self.skipped_ok &= state is State.ACCEPTED
                    lines.append(f"row {row}: skipped, likely a duplicate of lead {lead_id} "
                                 f"({state}); --allow-duplicates sends it anyway")  # fmt: skip
                case SameAsItem(index):
                    self.skipped += 1
                    lines.append(f"row {row}: skipped, same phone and last name as row "
                                 f"{chunk[index][0]}")  # fmt: skip
        if new:
            self._ours.append((min(new), max(new)))
        self.queued += len(new)
        earlier = [lead_id for _, lead_id in waiting if lead_id not in new]
        if earlier:  # failed, or queued for another address: sent now where this run sends
            _follow(self._queue_store, earlier, self._destination, self._team)
        with self._lock:
            self._in_flight.update({lead_id: row for row, lead_id in waiting})
        for line in lines:
            self._say(line)
        outbox.wake()

    def _warn_once(self, line: str) -> None:
        if line not in self._warned:
            self._warned.add(line)
            self._say(line, err=True)

    def _is_ours(self, lead_id: int) -> bool:
        at = bisect.bisect_right(self._ours, (lead_id, sys.maxsize)) - 1
        return at >= 0 and self._ours[at][0] <= lead_id <= self._ours[at][1]

    def _wait_for_room(self, worker: threading.Thread, leads: LeadFile) -> None:
        with self._lock:
            while len(self._in_flight) > MAX_AHEAD and worker.is_alive():
                self._lock.wait(0.2)
                self._draw(leads)

    # --- the worker thread's side ---------------------------------------------------------

    def _on_progress(self, progress: Progress) -> None:
        if progress.stage is Stage.HELD:
            self._say_held(progress)
        elif progress.stage is Stage.STALLED:
            self._say(f"leaddesk: {progress.message}", err=True)
        for lead in progress.leads:
            if progress.stage is Stage.RECOVERED:
                self._say(f"lead {lead.id} (earlier run): {self._describe(lead)}")
            elif progress.stage is Stage.DONE and _retrying(lead):
                row = self._in_flight.get(lead.id)
                if row is not None:
                    reason = lead.errors[0] if lead.errors else "not sent"
                    phrase = retry_phrase(lead.tries, lead.due_at, self._sending.retry_limit)
                    self._say(f"row {row}: lead {lead.id} not sent: {reason} "
                              f"{phrase.capitalize()}.")  # fmt: skip
            elif lead.state in FINAL_STATES:
                self._final(lead)

    def _final(self, lead: StoredLead) -> None:
        with self._lock:
            row = self._in_flight.pop(lead.id, None)
            if row is None:
                return
            self._finals[lead.state] += 1
            self._lock.notify_all()
        self._say(f"row {row}: lead {lead.id} {self._describe(lead)}")

    def _settled(self) -> bool:
        """Whether every lead of this run is final or waits for a person; leads another
        LeadDesk delivered, which never passed through this run's callback, are told here."""
        with self._lock:
            pending = list(self._in_flight)
        states = self._store.states(pending)
        for lead in self._store.get_many(i for i, s in states.items() if s in FINAL_STATES):
            self._final(lead)
        with self._lock:
            pending = list(self._in_flight)
        for lead_id in self._store.held(pending):
            with self._lock:
                self._held[lead_id] = self._in_flight.pop(lead_id)
                self._lock.notify_all()
        with self._lock:
            return self._reading_done.is_set() and not self._in_flight

    def _say_held(self, progress: Progress) -> None:
        """Once per destination: what is wrong, and how to send the leads that wait."""
        destination = progress.leads[0].destination if progress.leads else ""
        if destination in self._told_held:
            return
        self._told_held.add(destination)
        self._say(f"leaddesk: {progress.message}", err=True)
        self._say(
            "leaddesk: leads for that address wait until it is fixed; nothing more is sent "
            "there. Correct the destination in LeadDesk's settings, or send them now with: "
            "leaddesk resend --queued --url <correct address>",
            err=True,
        )

    def _describe(self, lead: StoredLead) -> str:
        return fate_text(lead, self._sending.retry_limit)

    # --- output ---------------------------------------------------------------------------

    def _say(self, line: str, err: bool = False) -> None:
        """One whole line, in one write: print() writes the newline apart, and the other
        thread's line came in between ("customer 1005row 3: skipped"), so that a reader
        of the output lost both lines."""
        stream = sys.stderr if err else sys.stdout
        with self._output:
            self._clear_bar()
            stream.write(f"{line}\n")
            if err:
                stream.flush()

    def _clear_bar(self) -> None:
        if self._bar is not None:
            self._bar.clear()

    def _draw(self, leads: LeadFile) -> None:
        if self._bar is not None:
            final = sum(self._finals.values())
            with self._output:
                self._bar.update(leads.bytes_read(), self.read, self.queued, final)

    def _finish(self) -> int:
        still_held = self._store.held(self._held)
        for lead_id in sorted(still_held):
            self._say(f"row {self._held[lead_id]}: lead {lead_id} waiting: its destination must "
                      "be fixed first.")  # fmt: skip
        counts = self._finals + Counter({State.QUEUED: len(still_held)})
        total = sum(counts.values())
        parts = [f"{counts[state]} {state}" for state in State if counts[state]]
        line = f"{total} lead{'s' if total != 1 else ''}" + (
            ": " + ", ".join(parts) if parts else ""
        )
        extras = []
        if self.invalid:
            extras.append(f"{self.invalid} invalid row{'s' if self.invalid != 1 else ''} not sent")
        if self.skipped:
            extras.append(
                f"{self.skipped} likely duplicate{'s' if self.skipped != 1 else ''} skipped"
            )
        print(line + "." + (" " + "; ".join(extras) + "." if extras else ""))
        ok = self.skipped_ok and not self.invalid and not still_held
        ok &= counts[State.ACCEPTED] == total
        return EXIT_OK if ok else EXIT_NOT_ALL_ACCEPTED
