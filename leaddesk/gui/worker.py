"""The QThread that runs the outbox loop, so that the agent never waits on the network.

It opens its own connection to the history and its own poster, on its own thread, as
the app's ThreadOutboxes makes them; it talks to the window only through signals,
which Qt delivers in the GUI thread because the receivers are slots of GUI-thread objects.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QThread, Signal

from leaddesk.app.outboxes import ThreadOutboxes
from leaddesk.config.settings import Sending
from leaddesk.domain.errors import StoreError

if TYPE_CHECKING:  # the sending code loads on the worker's thread, when it starts
    from leaddesk.sending.outbox import Outbox
    from leaddesk.sending.progress import Progress

log = logging.getLogger(__name__)

RETRY_AFTER_PROBLEM_SECONDS = 5.0


class SendWorker(QThread):
    progressed = Signal(object)  # Progress: leads being sent, or with their new states
    problem = Signal(str)  # the history cannot be used right now; says why

    def __init__(
        self, outboxes: ThreadOutboxes, sending: Sending, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("send-worker")
        self._outboxes = outboxes
        self._sending = sending
        self._stop = threading.Event()
        self._outbox: Outbox | None = None

    def use_sending(self, sending: Sending) -> None:
        """New sending settings (batch size, retries, timeouts): from the next post on."""
        self._sending = sending
        outbox = self._outbox
        if outbox is not None:
            outbox.sending = sending
            outbox.poster.timeouts = sending.timeouts()
        self.wake()

    def wake(self) -> None:
        """A lead was queued: look now rather than at the next poll."""
        outbox = self._outbox
        if outbox is not None:
            outbox.wake()

    def stop(self) -> None:
        """Ask the loop to end after the post in flight; then wait() for it."""
        self._stop.set()
        self.wake()

    def run(self) -> None:
        # Errors are data: nothing escapes this thread; every problem becomes a signal.
        while not self._stop.is_set():
            try:
                self._serve()
            except StoreError as error:
                self.problem.emit(str(error))
            except Exception as error:
                log.exception("the send loop failed")
                name = type(error).__name__
                self.problem.emit(f"Sending stopped by an unexpected error ({name}); retrying.")
            self._stop.wait(RETRY_AFTER_PROBLEM_SECONDS)

    def _serve(self) -> None:
        # Opened here, on the worker thread: one connection per thread, and the HTTP stack
        # is not needed to show the window.
        with self._outboxes.open(self._sending, self._report) as outbox:
            self._outbox = outbox
            try:
                outbox.run(self._stop)
            finally:
                self._outbox = None

    def _report(self, progress: Progress) -> None:
        self.progressed.emit(progress)
