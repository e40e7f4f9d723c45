"""`leaddesk history` and `leaddesk show`: what was sent and what became of it."""

from __future__ import annotations

import argparse
import json
import textwrap
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from leaddesk.app.context import Context
from leaddesk.app.describe import outcome_words
from leaddesk.app.times import TimeStyle, format_time
from leaddesk.domain.errors import UsageError
from leaddesk.domain.server_text import escape_controls
from leaddesk.domain.states import State
from leaddesk.history.store import IN_FLIGHT, Attempt, StoredLead
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML, parse_leads_document, without_leads

EXIT_OK = 0


def lead_record(lead: StoredLead) -> dict[str, Any]:
    """A lead as plain JSON-ready data, for --json output and exports."""
    return {
        "id": lead.id,
        "state": lead.state.value,
        "created_at": format_time(lead.created_at, TimeStyle.ISO),
        "updated_at": format_time(lead.updated_at, TimeStyle.ISO),
        "destination": lead.destination,
        "destination_name": lead.destination_name,
        "customer_id": lead.customer_id,
        "errors": list(lead.errors),
        "attempts": lead.attempts,
        "lead": lead.lead.values(),
    }


def attempt_record(attempt: Attempt) -> dict[str, Any]:
    return {
        "started_at": format_time(attempt.started_at, TimeStyle.ISO),
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
            f"{lead.id:>6}  {format_time(lead.created_at, TimeStyle.MINUTE):16}  "
            f"{lead.state.value:11}  "
            f"{_clip(name, 24):24}  {lead.lead.phone1:10}  {lead.customer_id:8}  "
            f"{escape_controls(_clip(note, 60))}"
        )
    return EXIT_OK


def print_show(context: Context, args: argparse.Namespace) -> int:
    with context.open_store() as store:
        lead = store.get(args.id)
        if lead is None:
            raise UsageError(f"There is no lead {args.id} in the history.")
        attempts = store.attempts(args.id)
    unique_id = lead.lead.lead_company_unique_id
    if args.json:
        records = []
        for attempt in attempts:
            part = own_part(attempt, unique_id)
            records.append(
                attempt_record(attempt)
                | {
                    "outcome_words": outcome_words(attempt.outcome),
                    "batch_size": part.batch_size,
                    "request_for_this_lead": part.request,
                    "reply_for_this_lead": part.reply,
                }
            )
        print(json.dumps(lead_record(lead) | {"attempts": records}, ensure_ascii=False, indent=2))
        return EXIT_OK
    print(
        f"Lead {lead.id}: {lead.state.value}"
        + (f", customer {lead.customer_id}" if lead.customer_id else "")
    )
    created = format_time(lead.created_at, TimeStyle.MINUTE)
    print(f"Created {created}, to {escape_controls(lead.destination)}")
    for error in lead.errors:
        print(f"  ! {escape_controls(error)}")
    print()
    for name, value in lead.lead.values().items():
        if value:
            print(f"  {name:24} {escape_controls(value)}")
    for number, attempt in enumerate(attempts, start=1):
        part = own_part(attempt, unique_id)
        status = f"HTTP {attempt.status}" if attempt.status is not None else "no answer"
        batch = f", sent in a batch of {part.batch_size}" if part.batch_size > 1 else ""
        where = escape_controls(attempt.destination)
        started = format_time(attempt.started_at, TimeStyle.MINUTE)
        print(f"\nAttempt {number}: {started} to {where}")
        print(f"  {outcome_words(attempt.outcome)}, {status}, {attempt.elapsed:.2f} s{batch}")
        for error in attempt.errors:
            print(f"  ! {escape_controls(error)}")
        print(
            "  Request (this lead's part):\n"
            + textwrap.indent(escape_controls(part.request), "    ")
        )
        print("  Reply:\n" + textwrap.indent(escape_controls(part.reply), "    "))
    if not attempts:
        print("\nNo attempts yet.")
    return EXIT_OK


@dataclass(frozen=True)
class OwnPart:
    batch_size: int  # leads in the document as stored
    request: str  # the document as sent, less the batch's other leads
    reply: str  # this lead's <response>, or why it is not shown


def own_part(attempt: Attempt, unique_id: str) -> OwnPart:
    """This lead's part of an attempt: the other leads of its batch are other customers,
    and someone looking at this lead has no business seeing them."""
    if attempt.format_tag != SECURITYTRAX_XML.name:  # only XML requests are cut per lead yet
        return OwnPart(0, f"(a {attempt.format_tag} request: not shown)", "(not shown)")
    try:
        leads = parse_leads_document(attempt.request.encode("utf-8"))
    except (ET.ParseError, ValueError, DefusedXmlException):
        return OwnPart(0, "(the stored request cannot be read)", "(not shown)")
    ids = [lead.get("lead_company_unique_id", "") for lead in leads]
    if unique_id not in ids:
        return OwnPart(len(leads), "(this lead is not in the stored request)", "(not shown)")
    position = ids.index(unique_id)
    others = [index for index in range(len(ids)) if index != position]
    request = without_leads(attempt.request.encode("utf-8"), others).decode("utf-8")
    if len(leads) == 1 or not attempt.reply:
        return OwnPart(len(leads), request, attempt.reply or "(none)")
    return OwnPart(len(leads), request, _own_response(attempt.reply, position, len(leads)))


def _own_response(reply: str, position: int, batch_size: int) -> str:
    """The reply's response for the lead at this position, when the reply holds one per lead."""
    try:
        root = SafeET.fromstring(reply.encode("utf-8"), forbid_dtd=True)
    except (ET.ParseError, ValueError, DefusedXmlException):
        root = None
    responses = root.findall("./responses/response") if root is not None else []
    if len(responses) != batch_size:
        return (
            f"(a reply about the whole batch of {batch_size}, which cannot be split by lead: "
            "`leaddesk show --json` has it)"
        )
    response = responses[position]
    ET.indent(response, space="  ")  # the server's own indentation was for the whole reply
    response.tail = None
    text: str = ET.tostring(response, encoding="unicode")
    return text


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
