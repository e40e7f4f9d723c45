"""`leaddesk history` and `leaddesk show`: what was sent and what became of it."""

from __future__ import annotations

import argparse
import json
from datetime import datetime
from typing import Any

from leaddesk.cli_context import Context
from leaddesk.errors import UsageError
from leaddesk.states import State
from leaddesk.store import IN_FLIGHT, Attempt, StoredLead

EXIT_OK = 0


def lead_record(lead: StoredLead) -> dict[str, Any]:
    """A lead as plain JSON-ready data, for --json output and exports."""
    return {
        "id": lead.id,
        "state": lead.state.value,
        "created_at": _iso(lead.created_at),
        "updated_at": _iso(lead.updated_at),
        "destination": lead.destination,
        "destination_name": lead.destination_name,
        "customer_id": lead.customer_id,
        "errors": list(lead.errors),
        "attempts": lead.attempts,
        "lead": lead.lead.values(),
    }


def attempt_record(attempt: Attempt) -> dict[str, Any]:
    return {
        "started_at": _iso(attempt.started_at),
        "destination": attempt.destination,
        "outcome": attempt.outcome.value if attempt.outcome else IN_FLIGHT,
        "http_status": attempt.status,
        "elapsed_seconds": round(attempt.elapsed, 3),
        "customer_id": attempt.customer_id,
        "errors": list(attempt.errors),
        "request": attempt.request,
        "reply": attempt.reply,
    }


def print_history(context: Context, args: argparse.Namespace) -> int:
    state = State(args.state) if args.state else None
    with context.open_store() as store:
        leads = store.history(state=state, search=args.search, limit=args.limit)
    if args.json:
        print(json.dumps([lead_record(lead) for lead in leads], ensure_ascii=False, indent=2))
        return EXIT_OK
    if not leads:
        print("No leads match." if (state or args.search) else "No leads yet.")
        return EXIT_OK
    print(
        f"{'ID':>6}  {'CREATED':16}  {'STATE':11}  {'NAME':24}  {'PHONE':10}  {'CUSTOMER':8}  NOTE"
    )
    for lead in leads:
        name = f"{lead.lead.fname} {lead.lead.lname}"
        note = lead.errors[0] if lead.errors and lead.state is not State.ACCEPTED else ""
        print(
            f"{lead.id:>6}  {_local(lead.created_at):16}  {lead.state.value:11}  "
            f"{_clip(name, 24):24}  {lead.lead.phone1:10}  {lead.customer_id:8}  {_clip(note, 60)}"
        )
    return EXIT_OK


def print_show(context: Context, args: argparse.Namespace) -> int:
    with context.open_store() as store:
        lead = store.get(args.id)
        if lead is None:
            raise UsageError(f"There is no lead {args.id} in the history.")
        attempts = store.attempts(args.id)
    if args.json:
        record = lead_record(lead) | {"attempts": [attempt_record(a) for a in attempts]}
        print(json.dumps(record, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(
        f"Lead {lead.id}: {lead.state.value}"
        + (f", customer {lead.customer_id}" if lead.customer_id else "")
    )
    print(f"Created {_local(lead.created_at)}, to {lead.destination}")
    for error in lead.errors:
        print(f"  ! {error}")
    print()
    for name, value in lead.lead.values().items():
        if value:
            print(f"  {name:24} {value}")
    for number, attempt in enumerate(attempts, start=1):
        status = attempt.status if attempt.status is not None else "no answer"
        print(f"\nAttempt {number}: {_local(attempt.started_at)} to {attempt.destination}")
        outcome = attempt.outcome.value if attempt.outcome else "in flight"
        print(f"  {outcome}, HTTP {status}, {attempt.elapsed:.2f} s")
        for error in attempt.errors:
            print(f"  ! {error}")
        print("  Request:\n    " + attempt.request)
        print("  Reply:\n    " + (attempt.reply or "(none)"))
    if not attempts:
        print("\nNo attempts yet.")
    return EXIT_OK


def _iso(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).astimezone().isoformat(timespec="seconds")


def _local(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp).strftime("%Y-%m-%d %H:%M")


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
