"""`leaddesk send` in team mode: rows whose household another desk queued or sold within
the duplicate window are held back, asked of the floor; when the floor cannot be asked,
say so: this desk's own history still guards (as without team mode)."""

from __future__ import annotations

import sys
from collections.abc import Callable

from leaddesk.app.floor_guard import OWN_HISTORY_ONLY, floor_duplicates, held_words
from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State


def hold_floor_duplicates(
    team: TeamDesk | None,
    rows: list[tuple[int, Lead]],
    duplicate_days: int,
    warn: Callable[[str], None] | None = None,
) -> tuple[list[tuple[int, Lead]], int, bool]:
    """(the rows to queue, how many were held back, whether every one held back was
    accepted at its desk). `warn` says that the floor could not be asked (by default on
    stderr; a run asking chunk by chunk says it once)."""
    if team is None or duplicate_days <= 0 or not rows:
        return rows, 0, True
    matches = floor_duplicates(team, [lead for _, lead in rows], duplicate_days)
    if matches is None:
        (warn or _to_stderr)(f"leaddesk: {OWN_HISTORY_ONLY}")
        return rows, 0, True
    kept: list[tuple[int, Lead]] = []
    held, all_accepted = 0, True
    for (row, lead), match in zip(rows, matches, strict=True):
        if match is None:
            kept.append((row, lead))
            continue
        held += 1
        all_accepted &= match.state is State.ACCEPTED
        print(f"row {row}: skipped, {held_words(match)}; --allow-duplicates sends it anyway")
    return kept, held, all_accepted


def _to_stderr(line: str) -> None:
    print(line, file=sys.stderr)
