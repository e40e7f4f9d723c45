"""A history with leads in given states, brought there the way the send loop brings them
(one claim and one recorded post each), and a history written by an older LeadDesk."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path

from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.domain.states import State
from leaddesk.history.schema import MIGRATIONS
from leaddesk.history.store import Store, StoredLead
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.leads import make_lead

OWNER = "history-test"
URL = "http://127.0.0.1:9/demo/leadpostxml.php"
ONE_TRY = Sending(retry_limit=1)  # "not sent" once is failed

# The texts the sandbox and the poster give for each outcome.
REJECTED_ERROR = "phone2 must be 10 digits, numbers only"
UNCONFIRMED_ERROR = "The server answered HTTP 500 (Internal Server Error): it may have arrived."
FAILED_ERROR = "Could not connect to 127.0.0.1: nothing is listening there."


def _result(stored: StoredLead, state: State) -> LeadResult:
    if state is State.ACCEPTED:
        return LeadResult(stored.lead, Outcome.ACCEPTED, customer_id=str(5000 + stored.id))
    if state is State.REJECTED:
        return LeadResult(stored.lead, Outcome.REJECTED, errors=(REJECTED_ERROR,))
    if state is State.UNCONFIRMED:
        return LeadResult(stored.lead, Outcome.UNCONFIRMED, errors=(UNCONFIRMED_ERROR,))
    if state in (State.FAILED, State.QUEUED):
        return LeadResult(stored.lead, Outcome.NOT_SENT, errors=(FAILED_ERROR,))
    raise ValueError(f"populate cannot leave a lead {state}")


def populate(
    store: Store,
    states: Sequence[State],
    *,
    leads: Sequence[Lead] | None = None,
    destination: str = URL,
    now: float | None = None,
    queued_due_in: float = 3600.0,
) -> list[int]:
    """Add one lead per state and bring each to its state through one real claim and record.

    Queued leads are failed, then requeued due `queued_due_in` seconds from now, so that a
    running send worker leaves them queued. Returns the new ids, in order.
    """
    now = time.time() if now is None else now
    if leads is None:
        leads = [make_lead(i) for i in range(len(states))]
    assert len(leads) == len(states)
    ids = store.add_many([(lead, destination) for lead in leads], now=now)
    claim = store.claim(OWNER, len(ids), everywhere(SECURITYTRAX_XML), now=now)
    assert claim is not None and [stored.id for stored in claim.leads] == ids
    results = tuple(
        _result(stored, state) for stored, state in zip(claim.leads, states, strict=True)
    )
    post = PostResult(destination, claim.request, 200, b"<root/>", 0.01, results)
    store.record(OWNER, claim, post, ONE_TRY, now=now)
    for lead_id, state in zip(ids, states, strict=True):
        if state is State.QUEUED:
            store.requeue(lead_id, now=time.time() + queued_due_in)
    return ids


def version_1_database(path: Path, prices: Sequence[tuple[str, str]]) -> None:
    """A history written by LeadDesk before prices had a column: (state, price) per lead."""
    path.parent.mkdir(parents=True, exist_ok=True)
    db = sqlite3.connect(path)
    try:
        for statement in MIGRATIONS[0]:
            db.execute(statement)
        for i, (state, price) in enumerate(prices, start=1):
            lead = make_lead(i, lead_purchase_price=price).with_unique_id()
            db.execute(
                "INSERT INTO leads (created_at, updated_at, state, destination, fields,"
                " unique_id, fname, lname, phone1, email, lname_key, customer_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    time.time(),
                    time.time(),
                    state,
                    URL,
                    json.dumps(lead.values()),
                    lead.lead_company_unique_id,
                    lead.fname,
                    lead.lname,
                    lead.phone1,
                    lead.email,
                    lead.lname.casefold(),
                    "1001" if state == "accepted" else "",
                ),
            )
        db.execute("PRAGMA user_version = 1")
        db.commit()
    finally:
        db.close()
