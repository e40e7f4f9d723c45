"""Purging finished leads: nothing of a purged lead remains, not even in the posts that
also carried leads that are kept."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Collection

from leaddesk.domain.states import NEEDS_ATTENTION, PENDING

# (format tag, a stored request, positions of leads to drop) -> the request less those
# leads: given to purge by whoever knows the formats (leaddesk.wire.formats.cut_document).
CutDocument = Callable[[str, bytes, Collection[int]], bytes]

PURGED_REPLY = "(removed when leads sent in the same post were purged)"


def purge_finished(
    db: sqlite3.Connection, created_before: float, cut: CutDocument, keep_unresolved: bool
) -> int:
    """Delete the finished leads created before that time, inside the caller's write
    transaction; the number deleted. Queued and sending ones are always kept; with
    keep_unresolved, so are rejected, failed and unconfirmed ones."""
    kept = [state.value for state in PENDING]
    if keep_unresolved:
        kept += [state.value for state in NEEDS_ATTENTION]
    marks = ",".join("?" * len(kept))
    doomed = f"created_at < ? AND state NOT IN ({marks})"
    params = [created_before, *kept]
    # Each post's leads in the order it carried them (its attempts', by id), read
    # before the purged leads' attempts go with them.
    carried: dict[int, list[int]] = {}
    purged: set[int] = set()
    for post_id, lead_id, goes in db.execute(
        "SELECT a.post_id, a.lead_id, a.lead_id IN"
        f" (SELECT id FROM leads WHERE {doomed}) FROM attempts a WHERE a.post_id IN"
        " (SELECT post_id FROM attempts WHERE lead_id IN"
        f" (SELECT id FROM leads WHERE {doomed})) ORDER BY a.id",
        [*params, *params],
    ):
        carried.setdefault(post_id, []).append(lead_id)
        if goes:
            purged.add(lead_id)
    cursor = db.execute(f"DELETE FROM leads WHERE {doomed}", params)
    db.execute("DELETE FROM posts WHERE id NOT IN (SELECT post_id FROM attempts)")
    for post_id, leads in carried.items():
        if all(lead_id in purged for lead_id in leads):
            continue  # the post went with them
        (sent, tag) = db.execute(
            "SELECT request, format FROM posts WHERE id = ?", (post_id,)
        ).fetchone()
        gone = {position for position, lead_id in enumerate(leads) if lead_id in purged}
        request = cut(tag, sent.encode("utf-8"), gone)
        db.execute(
            "UPDATE posts SET request = ?, reply = ? WHERE id = ?",
            (request.decode("utf-8"), PURGED_REPLY, post_id),
        )
    return cursor.rowcount
