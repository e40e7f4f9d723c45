"""What the window says about a queued lead that is not simply waiting its turn: when it
is tried again after a failed try, or that it waits for its destination's fix. The same
words in the status bar, the history row, the lead's details and on the terminal."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from leaddesk.app.times import TimeStyle, format_time
from leaddesk.domain.states import State
from leaddesk.history.history_query import Row
from leaddesk.history.store import StoredLead

if TYPE_CHECKING:
    from leaddesk.app.history_access import HistoryAccess


def destination_label(name: str, url: str) -> str:
    """A destination as the agent knows it: its name, else the server's name."""
    return name or urlsplit(url).hostname or url


def retry_phrase(tries: int, due_at: float | None, limit: int, seconds: bool = True) -> str:
    """The try coming next, of how many, and when: "retry 2 of 6 at 14:05:30"."""
    shown = TimeStyle.CLOCK if seconds else TimeStyle.SHORT_CLOCK  # short: the history row
    return f"retry {tries + 1} of {limit} at {format_time(due_at, shown)}"


def not_sent_status(lead: StoredLead, retry_limit: int) -> str:
    """The status bar after a failed try: what is wrong and when the next try is."""
    reason = lead.errors[0] if lead.errors else "no answer."
    if reason[1:2].islower():  # "Could not connect" reads on after a colon; "HTTP 503" stays
        reason = reason[0].lower() + reason[1:]
    where = destination_label(lead.destination_name, lead.destination)
    return (
        f"Lead {lead.id} not sent to {where}: {reason} "
        f"{retry_phrase(lead.tries, lead.due_at, retry_limit).capitalize()}."
    )


def held_text(where: str, reason: str, waiting: int) -> str:
    """The notice, once per hold: what the destination said, and what waits for a fix."""
    leads, them = ("1 lead waits", "it") if waiting == 1 else (f"{waiting} leads wait", "them")
    return (
        f"{where} refused the lead: {reason} {leads} until the destination is fixed "
        f"(Settings…) or you send {them} elsewhere (Send to…); nothing more is sent there."
    )


@dataclass(frozen=True)
class QueueNote:
    text: str  # in the state column
    tip: str  # its tooltip, and the lead's details
    reason: str = ""  # the hold's reason, for a lead with no error of its own


def note_for(
    state: State, tries: int, due_at: float | None, held_reason: str | None, retry_limit: int
) -> QueueNote | None:
    """The note of a queued lead held at its destination or waiting after a failed try;
    None for every other lead."""
    if state is not State.QUEUED:
        return None
    if held_reason is not None:
        return QueueNote(
            "Waiting for fix",
            "Waits until its destination is fixed (Settings), or is sent elsewhere "
            f"(Send to…). The destination said: {held_reason}",
            held_reason,
        )
    if tries > 0:
        short = retry_phrase(tries, due_at, retry_limit, seconds=False)
        # The tip follows the text in the lead's details: it adds, not repeats.
        return QueueNote(
            short[0].upper() + short[1:],
            f"Not sent yet: {tries} {'try' if tries == 1 else 'tries'} failed; the next at "
            f"{format_time(due_at)} (Retry now tries at once).",
        )
    return None


def note_of(history: HistoryAccess, lead: StoredLead, retry_limit: int) -> QueueNote | None:
    """One lead's note, read now (its details)."""
    if lead.state is not State.QUEUED:
        return None
    reason = history.held_reasons().get(lead.destination)
    return note_for(lead.state, lead.tries, lead.due_at, reason, retry_limit)


class QueueNotes:
    """The notes of the rows a history view holds, by lead id; made from the rows as they
    are read or reported changed, so painting a row never asks the store."""

    def __init__(self, retry_limit: int = 6) -> None:
        self.retry_limit = retry_limit
        self._notes: dict[int, QueueNote] = {}

    def get(self, lead_id: int) -> QueueNote | None:
        return self._notes.get(lead_id)

    def take(self, rows: Iterable[Row], history: HistoryAccess) -> None:
        """The notes of these rows, as read or reported now; the holds read only when one
        of them is queued."""
        rows = list(rows)
        queued = any(row.state is State.QUEUED for row in rows)
        reasons = history.held_reasons() if queued else {}
        for row in rows:
            note = note_for(
                row.state, row.tries, row.due_at, reasons.get(row.destination), self.retry_limit
            )
            if note is None:
                self._notes.pop(row.id, None)
            else:
                self._notes[row.id] = note

    def clear(self) -> None:
        self._notes.clear()
