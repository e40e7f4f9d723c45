"""The QThread that runs the outbox loop, so that the agent never waits on the network.

It owns its own Store connection and Poster; it talks to the window only through signals,
which Qt delivers in the GUI thread because the receivers are slots of GUI-thread objects.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal

from leaddesk.config.settings import Sending
from leaddesk.domain.errors import StoreError
from leaddesk.history.store import Store
from leaddesk.sending.outbox import Outbox, Progress

log = logging.getLogger(__name__)

RETRY_AFTER_PROBLEM_SECONDS = 5.0


class SendWorker(QThread):
    progressed = Signal(object)  # Progress: leads being sent, or with their new states
    problem = Signal(str)  # the history cannot be used right now; says why

    def __init__(
        self, database: Path, sending: Sending, senders_dir: Path, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("send-worker")
        self._database = database
        self._sending = sending
        self._senders_dir = senders_dir
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
        # Imported here, on the worker thread: the HTTP stack is not needed to show the window.
        from leaddesk.sending.poster import Poster

        with Store(self._database) as store, Poster(self._sending.timeouts()) as poster:
            outbox = Outbox(store, poster, self._sending, self._senders_dir, self._report)
            self._outbox = outbox
            try:
                outbox.run(self._stop)
            finally:
                self._outbox = None
                outbox.close()

    def _report(self, progress: Progress) -> None:
        self.progressed.emit(progress)
