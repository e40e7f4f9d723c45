"""`leaddesk resend`, and what `leaddesk send` (cli/send_stream.py) shares with it: moving
leads to where they are sent, sending them, reporting each one's fate."""

from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import TextIO

from leaddesk.app.context import Context
from leaddesk.app.queue_notes import retry_phrase
from leaddesk.config.settings import Destination, Sending
from leaddesk.domain.server_text import escape_controls  # a server's texts: no terminal escapes
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import FINAL_STATES, State
from leaddesk.history.store import Store, StoredLead
from leaddesk.sending.outbox import Outbox, Progress, Stage

EXIT_OK, EXIT_NOT_ALL_ACCEPTED = 0, 1


def _follow(store: Store, waiting: list[int], destination: Destination) -> None:
    """Leads of this file that an earlier run left failed, or queued for another address
    (a typo since corrected, another destination), go now where this run sends: its rows
    name them. A lead being sent by a run still going is left to it."""
    again = [
        lead.id
        for lead in store.get_many(waiting)
        if lead.state is State.FAILED
        or (lead.state is State.QUEUED and lead.destination != destination.url)
    ]
    if again:
        target = _Target(destination.url, destination.name, destination.lead_fields())
        _requeue(store, again, target, force=False)


def resend_leads(context: Context, args: argparse.Namespace) -> int:
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
            target = _Target.of(context, args)
        queued, refused = _requeue(store, ids, target, args.force)
        labels = {lead_id: f"lead {lead_id}" for lead_id in queued}
        results = _send_and_report(context, store, queued, labels, context.settings.sending)
    _print_summary(results, 0, 0)
    ok = not refused and all(lead.state is State.ACCEPTED for lead in results)
    return EXIT_OK if ok else EXIT_NOT_ALL_ACCEPTED


@dataclass(frozen=True)
class _Target:
    """Where leads are moved: a corrected address only (--url), or another destination
    with the lead fields it sets (--destination, --source-id)."""

    url: str
    name: str | None = None  # None keeps each lead's destination name
    fields: dict[str, str] | None = None  # None keeps each lead's source_id, price, ...

    @classmethod
    def of(cls, context: Context, args: argparse.Namespace) -> _Target:
        destination = context.destination(args.url, args.source_id, args.destination)
        if args.destination or args.source_id or context.demo:
            return cls(destination.url, destination.name, destination.lead_fields())
        return cls(destination.url)


def _requeue(
    store: Store, ids: Collection[int], target: _Target | None, force: bool
) -> tuple[list[int], int]:
    """Queue these leads again, due now, moved to `target` when given; (the ids queued, how
    many were refused). A corrected address alone (--url) is the fix of the destination the
    leads were held at: every lead waiting for that fix goes too. Another destination's
    fields (--destination, --source-id) move only the leads named: the others still
    belong to their own dealer."""
    corrected = target is not None and target.fields is None
    moved = _release_held(store, ids, target) if target is not None and corrected else []
    queued, refused = list(moved), 0
    for lead_id in ids:
        if lead_id in moved:
            continue
        try:
            if target is None:
                store.requeue(lead_id, force=force)
            else:
                store.requeue(
                    lead_id,
                    force=force,
                    destination=target.url,
                    fields=target.fields,
                    destination_name=target.name,
                )
        except ValueError as error:
            print(f"lead {lead_id}: not resent: {error}")
            refused += 1
            continue
        queued.append(lead_id)
    return queued, refused


def _release_held(store: Store, ids: Collection[int], target: _Target) -> list[int]:
    """Leads of these whose destination holds its queue after a refusal: that destination
    is what the person fixed, so every lead waiting for the fix goes to the new one, named
    or not. The ids moved."""
    held = {hold.destination for hold in store.holds()}
    held_at = {lead.destination for lead in store.get_many(ids)} & held
    moved: list[int] = []
    for old in sorted(held_at):
        moved += store.redirect_destination(old, target.url, None, target.fields, target.name)
    return moved


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
        return _describe(lead, self.retry_limit)

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


def _describe(lead: StoredLead, retry_limit: int) -> str:
    errors = [escape_controls(error) for error in lead.errors]
    reason = errors[0] if errors else ""
    look = STATE_LOOKS[lead.state]
    word = look.label.lower()  # mid-line, as the state is spelt on the command line
    if lead.state is State.ACCEPTED:
        return f"{word}, customer {lead.customer_id or '(no id given)'}"
    if lead.state is State.REJECTED:
        return f"{word}: {'; '.join(errors)}"
    if lead.state is State.FAILED and lead.tries < retry_limit:
        # Refused unprocessed, failed at once: resent as it is, it would be refused again.
        return (
            f"{word}, refused unprocessed: {reason} Once that is fixed: leaddesk resend "
            f"{lead.id} --url <correct address> (or --source-id ID, or --destination NAME)"
        )
    if lead.state is State.FAILED:
        tries = f"{lead.tries} {'try' if lead.tries == 1 else 'tries'}"
        return f"{word} after {tries}: {reason} Resend: leaddesk resend {lead.id}"
    if look.caution:  # a resend may duplicate it: only by force
        return f"{word}: {reason} {look.caution} (leaddesk resend {lead.id} --force)."
    return f"{word}: {reason}"


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
