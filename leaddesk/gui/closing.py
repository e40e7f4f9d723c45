"""Whether the window may close now: leads still to be sent are asked about, unless the
agent is quitting; the agent may wait for them, and the window then closes by itself."""

from __future__ import annotations

from typing import TYPE_CHECKING

from leaddesk.domain.errors import StoreError

if TYPE_CHECKING:
    from leaddesk.gui.main_window import MainWindow


def may_close(window: MainWindow) -> bool:
    from leaddesk.gui import questions

    pending = pending_if_readable(window)
    if not pending or window._quitting or window._close_when_sent:
        return True
    choice = questions.close_with_pending(window, pending)
    window._quitting = window._quitting or choice is questions.Closing.QUIT
    if choice is questions.Closing.WAIT:
        window._close_when_sent = True
        window.show_result(f"Closing once {pending} queued lead(s) are sent…")
    return choice is questions.Closing.QUIT


def pending_if_readable(window: MainWindow) -> int:
    """Leads still to be sent (not those that wait for a destination's fix, which no wait
    at closing would send); 0 when the history cannot be read, as nothing more can be done
    about it here."""
    if not window.attached:
        return 0
    try:
        return window.desk.history.still_to_send()
    except StoreError:
        return 0
