"""Whether the window may close now: leads still to be sent are asked about, unless the
agent is quitting; the agent may wait for them, and the window then closes by itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from leaddesk.domain.errors import StoreError

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget

    from leaddesk.app.history_access import HistoryAccess


class CloseGuard:
    """The window's closing decision and what it remembers between two tries. It keeps no
    reference to the window (a cycle through a widget would leave its freeing to Python's
    garbage collector, at a moment Qt does not expect)."""

    def __init__(self) -> None:
        self.quitting = False  # asked from outside, or chosen when closing: no question
        self.close_when_sent = False  # the agent chose to wait for the queued leads

    def may_close(
        self, window: QWidget, history: HistoryAccess | None, tell: Callable[[str], None]
    ) -> bool:
        """`history` None: the window is not attached yet, with no queue to ask about."""
        from leaddesk.gui import questions

        pending = pending_if_readable(history)
        if not pending or self.quitting or self.close_when_sent:
            return True
        choice = questions.close_with_pending(window, pending)
        self.quitting = self.quitting or choice is questions.Closing.QUIT
        if choice is questions.Closing.WAIT:
            self.close_when_sent = True
            tell(f"Closing once {pending} queued lead(s) are sent…")
        return choice is questions.Closing.QUIT


def pending_if_readable(history: HistoryAccess | None) -> int:
    """Leads still to be sent (not those that wait for a destination's fix, which no wait
    at closing would send); 0 when the history cannot be read, as nothing more can be done
    about it here."""
    if history is None:
        return 0
    try:
        return history.still_to_send()
    except StoreError:
        return 0
