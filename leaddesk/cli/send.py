"""`leaddesk resend`, and what `leaddesk send` (cli/send_stream.py) shares with it: moving
leads to where they are sent, sending them, reporting each one's fate."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TextIO

from leaddesk.app.context import Context
from leaddesk.app.describe import fate_text
from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.queue_notes import retry_phrase
from leaddesk.app.resend import Target, resend
from leaddesk.config.settings import Destination, Sending
from leaddesk.domain.states import FINAL_STATES, State
from leaddesk.history.store import Store, StoredLead
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.progress import Progress, Stage

if TYPE_CHECKING:
    from leaddesk.app.team_desk import TeamDesk

EXIT_OK, EXIT_NOT_ALL_ACCEPTED = 0, 1


def _follow(
    store: Store, waiting: list[int], destination: Destination, team: TeamDesk | None = None
) -> None:
    """Leads of this file that an earlier run left failed, or queued for another address
    (a typo since corrected, another destination), go now where this run sends: its rows
    name them. A lead being sent by a run still going is left to it; in team mode, one a
    supervisor is resending for the floor too (app.own_resend_guard)."""
    again = [
        lead.id
        for lead in store.get_many(waiting)
        if lead.state is State.FAILED
        or (lead.state is State.QUEUED and lead.destination != destination.url)
    ]
    if again:
        _requeue(store, again, Target.of(destination), force=False, team=team)


def resend_leads(context: Context, args: argparse.Namespace, team: TeamDesk | None = None) -> int:
    with context.open_store() as store:
        ids = list(args.ids)
        for wanted, state in ((args.failed, State.FAILED), (args.queued, State.QUEUED)):
            if wanted:
                ids += [lead.id for lead in store.history(state=state) if lead.id not in ids]
        if not ids:
            which = " or ".join(
                word for word, asked in (("failed", args.failed), ("queued", args.queued)) if asked
            )
            print(f"No {which} leads to resend.")
            return EXIT_OK
        # Demo sandboxes get a new port each run; --url moves leads to a corrected address.
        target = None
        if args.url or args.destination or args.source_id or context.demo:
            target = _target_of(context, args)
        queued, refused = _requeue(store, ids, target, args.force, team)
        labels = {lead_id: f"lead {lead_id}" for lead_id in queued}
        results = _send_and_report(context, store, queued, labels, context.settings.sending)
    _print_summary(results, 0, 0)
    ok = not refused and all(lead.state is State.ACCEPTED for lead in results)
    return EXIT_OK if ok else EXIT_NOT_ALL_ACCEPTED


def _target_of(context: Context, args: argparse.Namespace) -> Target:
    """Where --url moves leads (a corrected address only), or --destination and
    --source-id (another destination, with the lead fields it sets)."""
    destination = context.destination(args.url, args.source_id, args.destination)
    if args.destination or args.source_id or context.demo:
        return Target.of(destination)
    return Target(destination.url)


def _requeue(
    store: Store,
    ids: Collection[int],
    target: Target | None,
    force: bool,
    team: TeamDesk | None = None,
) -> tuple[list[int], int]:
    """Queue these leads again, due now, moved to `target` when given (app.resend); (the
    ids queued, how many were refused). A corrected address alone (--url) is the fix of
    the destination the leads were held at: every lead waiting for that fix goes too.
    Another destination's fields (--destination, --source-id) move only the leads named:
    the others still belong to their own dealer. In team mode each lead is claimed on the
    floor first, so that no supervisor resends it at the same time."""
    from leaddesk.app.own_resend_guard import guard_own_resend

    release = target if target is not None and target.corrects_address else None
    guard = guard_own_resend(team, store, ids, force, release is not None)
    if release is not None and not guard.release_ok:
        print("Leads held at that address that are being resent elsewhere stay as they are.")
        release = None
    resent = resend(HistoryAccess(store), guard.allowed, force, lambda _: target, release)
    guard.publish(store)
    refused = guard.refused + resent.refused
    for lead_id, why in refused:
        print(f"lead {lead_id}: not resent: {why}")
    return resent.queued, len(refused)


@dataclass
class _Reporter:
    """Prints each lead of this run once it is final; a progress bar on a terminal."""

    labels: dict[int, str]
    retry_limit: int
    out: TextIO = sys.stdout
    err: TextIO = sys.stderr
    bar: TextIO | None = None
    done: set[int] = field(default_factory=set)
    held: set[str] = field(default_factory=set)  # destinations already told about

    def __call__(self, progress: Progress) -> None:
        if progress.stage is Stage.HELD:
            self._say_held(progress)
        elif progress.stage is Stage.STALLED:
            self._clear_bar()
            print(f"leaddesk: {progress.message}", file=self.err)
        for lead in progress.leads:
            if progress.stage is Stage.RECOVERED:
                self._clear_bar()
                print(f"lead {lead.id} (earlier run): {self._describe(lead)}", file=self.out)
            elif progress.stage is Stage.DONE and lead.id in self.labels and _retrying(lead):
                # Not sent yet: say so from the first failed try, and when the next one is.
                self._clear_bar()
                reason = lead.errors[0] if lead.errors else "not sent"
                print(f"{self.labels[lead.id]} not sent: {reason} "
                      f"{retry_phrase(lead.tries, lead.due_at, self.retry_limit).capitalize()}.",
                      file=self.out)  # fmt: skip
            elif lead.id in self.labels and lead.state in FINAL_STATES and lead.id not in self.done:
                self.done.add(lead.id)
                self._clear_bar()
                print(f"{self.labels[lead.id]} {self._describe(lead)}", file=self.out)
        self._draw_bar()

    def _describe(self, lead: StoredLead) -> str:
        return fate_text(lead, self.retry_limit)

    def _say_held(self, progress: Progress) -> None:
        """Once per destination: what is wrong, which leads wait, and how to send them."""
        destination = progress.leads[0].destination if progress.leads else ""
        if destination in self.held:
            return
        self.held.add(destination)
        self._clear_bar()
        waiting = [lead.id for lead in progress.leads if lead.state is State.QUEUED]
        print(f"leaddesk: {progress.message}", file=self.err)
        if waiting:
            print(
                f"leaddesk: {len(waiting)} more lead{'s' if len(waiting) != 1 else ''} for that "
                "address wait until it is fixed; nothing more is sent there. Correct the "
                "destination in LeadDesk's settings, or send them now with: "
                "leaddesk resend --queued --url <correct address>",
                file=self.err,
            )

    def _draw_bar(self) -> None:
        if self.bar is None or not self.labels:
            return
        total, done = len(self.labels), len(self.done)
        filled = 30 * done // total
        self.bar.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} leads final")
        self.bar.flush()

    def _clear_bar(self) -> None:
        if self.bar is not None:
            self.bar.write("\r\x1b[K")

    def finish(self) -> None:
        self._clear_bar()
        self.bar = None


def _retrying(lead: StoredLead) -> bool:
    return lead.state is State.QUEUED and lead.tries > 0 and lead.due_at is not None


def _send_and_report(
    context: Context,
    store: Store,
    ids: Collection[int],
    labels: dict[int, str],
    sending: Sending,
) -> list[StoredLead]:
    bar = sys.stderr if sys.stderr.isatty() and len(ids) > 10 else None
    reporter = _Reporter(labels, sending.retry_limit, bar=bar)
    outbox = context.open_outbox(store, sending, reporter)
    _run_interruptibly(outbox, ids)
    results = store.get_many(ids)
    # Leads that another LeadDesk process delivered never passed through our callback.
    reporter(Progress(Stage.DONE, tuple(results)))
    reporter.finish()
    for lead in store.get_many(sorted(store.held(ids))):
        print(f"{labels[lead.id]} waiting: its destination must be fixed first.")
    return results


def _run_interruptibly(outbox: Outbox, ids: Collection[int]) -> None:
    """Send on a worker thread so that Ctrl+C can let the post in flight finish first."""
    stop = threading.Event()
    failure: list[BaseException] = []

    def work() -> None:
        try:
            outbox.run_until_final(ids, stop)
        except BaseException as error:  # handed to the main thread, which reports it
            failure.append(error)

    worker = threading.Thread(target=work, name="leaddesk-send", daemon=True)
    worker.start()
    try:
        while worker.is_alive():
            worker.join(0.2)
    except KeyboardInterrupt:
        stop.set()
        outbox.wake()
        print(
            "\nStopping after the post in flight (Ctrl+C again to quit at once); "
            "queued leads go out with the next send or resend.",
            file=sys.stderr,
        )
        worker.join()
        raise
    if failure:
        raise failure[0]


def _print_summary(results: list[StoredLead], invalid_rows: int, skipped: int) -> None:
    counts = {state: sum(1 for lead in results if lead.state is state) for state in State}
    parts = [f"{count} {state}" for state, count in counts.items() if count]
    line = f"{len(results)} lead{'s' if len(results) != 1 else ''}"
    if parts:
        line += ": " + ", ".join(parts)
    extras = []
    if invalid_rows:
        extras.append(f"{invalid_rows} invalid row{'s' if invalid_rows != 1 else ''} not sent")
    if skipped:
        extras.append(f"{skipped} likely duplicate{'s' if skipped != 1 else ''} skipped")
    print(line + "." + (" " + "; ".join(extras) + "." if extras else ""))
