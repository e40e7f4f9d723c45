"""Resend: leads queued again, due now, as they are or moved to another address or
destination. The history pane's Resend and `leaddesk resend` both resend through here;
each face asks its own question first (the window about unconfirmed leads, the command
line by --force)."""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from leaddesk.config.settings import Destination

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess


@dataclass(frozen=True)
class Target:
    """Where a lead is moved: a corrected address only, or another destination with the
    lead fields it sets."""

    url: str
    name: str | None = None  # None keeps the lead's destination name
    fields: dict[str, str] | None = None  # None keeps its source_id, price, ...

    @classmethod
    def of(cls, destination: Destination) -> Target:
        """Another destination: its address, its name and the lead fields it sets."""
        return cls(destination.url, destination.name, destination.lead_fields())

    @property
    def corrects_address(self) -> bool:
        """Only the address changes: the fix of the destination the leads were at."""
        return self.fields is None


@dataclass
class Resent:
    queued: list[int] = field(default_factory=list)  # the ids queued again
    refused: list[tuple[int, str]] = field(default_factory=list)  # (id, why not)


def as_before(lead_id: int) -> Target | None:
    """Each lead where it went before."""
    return None


def resend(
    history: HistoryAccess,
    ids: Collection[int],
    force: bool = False,
    where: Callable[[int], Target | None] = as_before,
    release: Target | None = None,
    refusals: tuple[type[Exception], ...] = (ValueError,),
) -> Resent:
    """Queue these leads again, due now, each to `where` it goes (None: as before); with
    `force`, unconfirmed ones too. `release`: a corrected address (Target.corrects_address)
    that is the fix of the destination some of these leads are held at; every lead waiting
    for that fix goes too. `refusals`: the errors that refuse one lead and go on with the
    others (ValueError: it cannot be resent)."""
    moved = _release_held(history, ids, release) if release is not None else []
    resent = Resent(list(moved))
    for lead_id in ids:
        if lead_id in moved:
            continue
        target = where(lead_id)
        try:
            if target is None:
                history.requeue(lead_id, force=force)
            else:
                history.requeue(
                    lead_id,
                    force,
                    target.url,
                    fields=target.fields,
                    destination_name=target.name,
                )
        except refusals as error:
            resent.refused.append((lead_id, str(error)))
            continue
        resent.queued.append(lead_id)
    return resent


def _release_held(history: HistoryAccess, ids: Collection[int], target: Target) -> list[int]:
    """Leads of these whose destination holds its queue after a refusal: that destination
    is what the person fixed, so every lead waiting for the fix goes to the new one, named
    or not. The ids moved."""
    held = {hold.destination for hold in history.holds()}
    held_at = {lead.destination for lead in history.get_many(ids)} & held
    moved: list[int] = []
    for old in sorted(held_at):
        moved += history.redirect_destination(old, target.url, target.fields, target.name)
    return moved
