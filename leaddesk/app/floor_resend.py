"""Resending leads of the whole floor (a supervisor's `resend --floor`): this desk claims
each lead, posts it, and writes what came of it back to the floor, where the owning desk
takes it into its history at its next sync. Exactly one desk posts a lead at a time
(leaddesk.team.floor_claims)."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass

from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State
from leaddesk.sending.poster import Poster
from leaddesk.team import floor_claims
from leaddesk.team.floor import FloorOffline
from leaddesk.team.floor_claims import LAPSED_MID_POST

# A resend for the floor is one try: a lead not sent stays failed, for the next resend.
STATE_OF = {
    Outcome.ACCEPTED: State.ACCEPTED,
    Outcome.REJECTED: State.REJECTED,
    Outcome.NOT_SENT: State.FAILED,
    Outcome.REFUSED: State.FAILED,
    Outcome.UNCONFIRMED: State.UNCONFIRMED,
}


@dataclass(frozen=True)
class Retarget:
    """Where leads are moved: a corrected address, or another destination and its fields."""

    url: str
    name: str | None = None
    fields: Mapping[str, str] | None = None


@dataclass(frozen=True)
class FloorResent:
    floor_id: int
    state: State | None  # None: not resent by this desk (note says why)
    customer_id: str = ""
    errors: tuple[str, ...] = ()
    note: str = ""


def resend_for_floor(
    team: TeamDesk,
    poster: Poster,
    ids: Collection[int] = (),
    failed: bool = False,
    force: bool = False,
    target: Retarget | None = None,
    report: Callable[[FloorResent], None] = lambda _: None,
) -> list[FloorResent]:
    """Resend these floor leads (or every failed one), one claim at a time, so that desks
    resending at once share the work; FloorOffline when the floor cannot be reached."""
    floor, desk = team.floor, team.desk
    done: set[int] = set()
    results: list[FloorResent] = []

    def tell(result: FloorResent) -> None:
        results.append(result)
        report(result)

    while True:
        with floor.connection() as db:
            claim = floor_claims.claim_next(db, desk, team.lease_seconds, ids, failed, force, done)
        if claim is None:
            break
        floor_id, stored = claim.lead.floor_id, claim.lead.stored
        done.add(floor_id)
        if claim.lapsed_mid_post is not None and not force:
            reason = LAPSED_MID_POST.format(desk=claim.lapsed_mid_post)
            with floor.connection() as db:
                floor_claims.record_result(db, floor_id, desk, State.UNCONFIRMED, "", [reason])
            tell(FloorResent(floor_id, State.UNCONFIRMED, errors=(reason,)))
            continue
        lead, url, name = stored.lead, stored.destination, stored.destination_name
        if target is not None:
            url, name = target.url, target.name if target.name is not None else name
            if target.fields is not None:
                lead = lead.replace(**target.fields)
        with floor.connection() as db:
            if not floor_claims.mark_posting(db, floor_id, desk):
                tell(FloorResent(floor_id, None, note="its claim lapsed before the post"))
                continue
        result = poster.post(url, [lead], destination_name=name).results[0]
        state = STATE_OF[result.outcome]
        try:
            with floor.connection() as db:
                recorded = floor_claims.record_result(
                    db, floor_id, desk, state, result.customer_id, result.errors, lead, url, name
                )
        except FloorOffline:
            recorded = False
        note = "" if recorded else "its result could not be written to the floor"
        tell(FloorResent(floor_id, state, result.customer_id, result.errors, note))
    missing = [floor_id for floor_id in ids if floor_id not in done]
    if missing:
        with floor.connection() as db:
            holders = floor_claims.holders(db, missing)
        for floor_id in missing:
            holder = holders.get(floor_id)
            why = (
                f"being resent by desk {holder}"
                if holder
                else "not found as a failed or rejected lead you may resend"
                + ("" if force else " (unconfirmed ones need --force)")
            )
            tell(FloorResent(floor_id, None, note=why))
    return results


def resent_words(results: list[FloorResent]) -> str:
    """What a floor resend came to, in one line for the status bar."""
    if not results:
        return "No floor lead was resent."
    parts = []
    for result in results:
        if result.state is None:
            parts.append(f"floor lead {result.floor_id} not resent: {result.note}")
        else:
            note = f" ({result.note})" if result.note else ""
            parts.append(f"floor lead {result.floor_id} {result.state.value}{note}")
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."
