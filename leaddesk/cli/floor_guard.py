"""`leaddesk send` in team mode: rows whose household another desk queued or sold within
the duplicate window are held back, asked of the floor; when the floor cannot be asked,
say so: this desk's own history still guards (as without team mode).

The check, the queueing of the rows let through and their push to the floor happen while
the floor holds those households (TeamDesk.check_households): two desks sending the same
household at the same moment send it once."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TypeVar

from leaddesk.app.floor_guard import OWN_HISTORY_ONLY, held_words
from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.team.floor_leads import FloorMatch

T = TypeVar("T")
Rows = list[tuple[int, Lead]]


def plan_on_floor(
    team: TeamDesk | None,
    store: Store,
    rows: Rows,
    duplicate_days: int,
    plan: Callable[[Rows], T],
    warn: Callable[[str], None] | None = None,
) -> tuple[T, int, bool]:
    """`plan` (queue) the rows no other desk has, then push them; (what `plan` gave, how
    many rows were held back, whether every one held back was accepted at its desk).
    `warn` says that the floor could not be asked (by default on stderr; a run asking
    chunk by chunk says it once)."""
    if team is None:
        return plan(rows), 0, True

    def queue(matches: list[FloorMatch | None] | None) -> tuple[T, int, bool]:
        kept, held, all_accepted = _hold(rows, matches, duplicate_days, warn or _to_stderr)
        return plan(kept), held, all_accepted

    leads = [lead for _, lead in rows]
    planned = team.check_households(store, leads, duplicate_days, time.time(), queue)
    team.sync(store)  # the rest: other desks' guards see this desk's leads before they go
    return planned


def _hold(
    rows: Rows,
    matches: list[FloorMatch | None] | None,
    duplicate_days: int,
    warn: Callable[[str], None],
) -> tuple[Rows, int, bool]:
    if matches is None:
        if duplicate_days > 0 and rows:
            warn(f"leaddesk: {OWN_HISTORY_ONLY}")
        return rows, 0, True
    kept: Rows = []
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
