"""The send loop's side of the history: a batch claimed for a post, with the post put
on record first, and what came of it recorded, each in one transaction (Store.claim and
Store.record run them)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from typing import Protocol

from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.lifecycle import next_state
from leaddesk.domain.outcomes import Outcome, PostResult
from leaddesk.domain.stored import IN_FLIGHT, Claim
from leaddesk.history import store_queue
from leaddesk.history.duplicate_guard import rowid
from leaddesk.history.rows import fetch

REPLY_LIMIT = 64 * 1024  # characters of a reply kept with each post


class RequestMaker(Protocol):
    """What a claim needs of a wire format: the history stores request bytes and the
    format's tag, and never builds or parses a document itself."""

    @property
    def name(self) -> str: ...

    def build(self, leads: Sequence[Lead]) -> bytes: ...


FormatFor = Callable[[str], RequestMaker]  # a destination's URL -> the format it speaks

# Due: its time has come, or its time was set by a clock that has since been put back (it
# was last changed "later" than now). Such a lead would otherwise wait until the clock
# caught up with the wrong time, hours or days; a lead due early is only tried early.
# The slack: a write's time is taken before it waits for the write lock, so another
# process can record a lead a few seconds "after" a claim that waited longer.
_DUE = "(due_at <= ? OR updated_at > ? + 60)"


def claim_batch(
    db: sqlite3.Connection, owner: str, limit: int, format_for: FormatFor, now: float
) -> Claim | None:
    """Up to `limit` due queued leads for one destination marked as sending for `owner`,
    and the post about to be made on record (its request, built in the format the
    destination speaks, and that format's tag); None when nothing is due. Run inside a
    write transaction."""
    first = db.execute(
        f"SELECT destination FROM leads WHERE state = 'queued' AND {_DUE}"
        " AND destination NOT IN (SELECT destination FROM holds)"
        " ORDER BY due_at, id LIMIT 1",
        (now, now),
    ).fetchone()
    if first is None:
        return None
    destination = first[0]
    ids = [
        row[0]
        for row in db.execute(
            f"SELECT id FROM leads WHERE state = 'queued' AND {_DUE}"
            " AND destination = ? ORDER BY due_at, id LIMIT ?",
            (now, now, destination, limit),
        )
    ]
    db.executemany(
        "UPDATE leads SET state = 'sending', claimed_by = ?, claimed_at = ?, updated_at = ?"
        " WHERE id = ?",
        [(owner, now, now, lead_id) for lead_id in ids],
    )
    leads = fetch(db, ids)
    wire_format = format_for(destination)
    request = wire_format.build([stored.lead for stored in leads])
    post_id = rowid(
        db.execute(
            "INSERT INTO posts"
            " (started_at, destination, request, format, status, reply, elapsed)"
            " VALUES (?, ?, ?, ?, NULL, '', 0)",
            (now, destination, request.decode("utf-8"), wire_format.name),
        )
    )
    db.executemany(
        "INSERT INTO attempts (lead_id, post_id, outcome, customer_id, errors)"
        " VALUES (?, ?, ?, '', '[]')",
        [(lead_id, post_id, IN_FLIGHT) for lead_id in ids],
    )
    return Claim(post_id, destination, request, tuple(leads), wire_format.name)


def record_post(
    db: sqlite3.Connection,
    owner: str,
    claim: Claim,
    post: PostResult,
    sending: Sending,
    now: float,
) -> None:
    """What came of a claimed post: the reply, each attempt's outcome, each lead's next
    state (domain.lifecycle), and a hold on a destination that refused a lead unprocessed.
    Run inside a write transaction."""
    reply = post.reply[:REPLY_LIMIT].decode("utf-8", "replace")
    db.execute(
        "UPDATE posts SET status = ?, reply = ?, elapsed = ? WHERE id = ?",
        (post.status, reply, post.elapsed, claim.post_id),
    )
    for stored, result in zip(claim.leads, post.results, strict=True):
        errors = json.dumps(list(result.errors))
        db.execute(
            "UPDATE attempts SET outcome = ?, customer_id = ?, errors = ?"
            " WHERE post_id = ? AND lead_id = ?",
            (result.outcome.value, result.customer_id, errors, claim.post_id, stored.id),
        )
        if result.outcome is Outcome.REFUSED:
            store_queue.hold(db, claim.destination, _first(result.errors), now)
        state, tries, due_at = next_state(stored, result, sending, now)
        db.execute(
            "UPDATE leads SET state = ?, tries = ?, due_at = ?, customer_id = ?,"
            " errors = ?, claimed_by = NULL, claimed_at = NULL, updated_at = ?"
            " WHERE id = ? AND claimed_by = ?",
            (state.value, tries, due_at, result.customer_id, errors, now, stored.id, owner),
        )


def _first(errors: Sequence[str]) -> str:
    return errors[0] if errors else "The destination refused the lead."
