"""A desk resending its own leads in team mode (`leaddesk resend ID`, a file's failed rows
sent again) while a supervisor may be resending them for the floor: the desk claims each
lead the floor has, as a floor resend does (leaddesk.team.own_claims), so that exactly one
desk posts it.

When the floor cannot be asked, only leads the floor has never been given are resent
(nobody else knows them); the others wait for the floor: a supervisor may be posting them
this minute, and a lead posted twice cannot be taken back, while one resent a little later
loses nothing.
"""

from __future__ import annotations

import secrets
from collections.abc import Collection
from dataclasses import dataclass, field

from leaddesk.app.team_desk import TeamDesk
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.history.floor_results import never_pushed
from leaddesk.history.store import Store
from leaddesk.team.floor import FloorOffline
from leaddesk.team.own_claims import claim_own, publish_claimed, release_own

FLOOR_OFFLINE_WAIT = (
    "the floor is offline and this lead is on it: a supervisor may be resending it; "
    "resend it when the floor is back"
)


@dataclass
class OwnResend:
    """Which of a desk's leads it may resend now, and the claims to give back once the
    floor has their new state (`publish`)."""

    team: TeamDesk | None
    holder: str = ""
    allowed: list[int] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (lead id, why not now)
    claims: list[int] = field(default_factory=list)  # floor ids held
    claimed: list[int] = field(default_factory=list)  # the lead ids here they stand for
    release_ok: bool = True  # the held leads a corrected address moves are all claimed

    def publish(self, store: Store) -> None:
        """The leads are queued again here: push their new state (a queued lead is no
        desk's to resend), then give the claims back. A floor gone meanwhile keeps them
        until their lease lapses, marked posting: nobody posts these leads behind us."""
        if self.team is None or not self.claims:
            return
        if self.team.sync(store) is None:
            return
        try:
            with self.team.floor.connection() as db:
                publish_claimed(db, self.team.desk, self.holder, store.get_many(self.claimed))
                release_own(db, self.holder, self.claims)
        except FloorOffline:
            return
        self.claims, self.claimed = [], []


def guard_own_resend(
    team: TeamDesk | None,
    store: Store,
    ids: Collection[int],
    force: bool = False,
    releasing: bool = False,
) -> OwnResend:
    """Claim these leads of this desk on the floor before they are queued again here.
    `releasing`: a corrected address will also move the failed leads held at the named
    leads' destinations (app.resend's release): they are claimed too, and if one cannot
    be, `release_ok` is False (those leads wait: resend them by ID)."""
    guard = OwnResend(team, allowed=list(ids))
    if team is None or not ids:
        return guard
    guard.holder = f"{team.desk} (own resend {secrets.token_hex(3)})"
    guard.allowed = []
    named = store.get_many(ids)
    extra = _held_failed(store, named) if releasing else []
    by_unique = {lead.lead.lead_company_unique_id: lead.id for lead in [*named, *extra]}
    try:
        # Results of resends elsewhere first: a lead a supervisor already resent is
        # seen here as it now is (accepted: not resent again).
        team.take_results(store)
        with team.floor.connection() as db:
            found = claim_own(
                db, team.desk, guard.holder, list(by_unique), team.lease_seconds, force
            )
        if found.lapsed:
            team.take_results(store)  # those leads are unconfirmed here now
    except FloorOffline:
        fresh = never_pushed(store, team.desk, list(by_unique.values()))
        guard.allowed = [lead_id for lead_id in ids if lead_id in fresh]
        guard.refused = [(lead_id, FLOOR_OFFLINE_WAIT) for lead_id in ids if lead_id not in fresh]
        guard.release_ok = all(lead.id in fresh for lead in extra)
        return guard
    guard.claims = list(found.claimed.values())
    guard.claimed = [by_unique[unique_id] for unique_id in found.claimed]
    refused = found.busy | {
        unique_id: f"{reason} It is unconfirmed now; --force sends it again."
        for unique_id, reason in found.lapsed.items()
    }
    for unique_id, lead_id in by_unique.items():
        if unique_id in refused and lead_id in ids:
            guard.refused.append((lead_id, refused[unique_id]))
    missing = {by_unique[unique_id] for unique_id in refused}
    guard.allowed = [lead_id for lead_id in ids if lead_id not in missing]
    guard.release_ok = not any(lead.id in missing for lead in extra)
    return guard


def _held_failed(store: Store, named: list[StoredLead]) -> list[StoredLead]:
    """Failed leads at the destinations holding their queue where the named leads went."""
    held = {hold.destination for hold in store.holds()}
    held &= {lead.destination for lead in named}
    if not held:
        return []
    return [lead for lead in store.history(state=State.FAILED) if lead.destination in held]
