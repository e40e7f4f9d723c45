"""The history pane's totals, counted off the GUI thread.

Counting today's leads and the view's reads every lead's state, on a long history too
long to hold the window up for at each filter, search or batch sent. Each request runs
on a thread of a pool of one, with a read-only connection of its own to the history file
(sqlite3 lets go of the GIL while SQLite steps, so it truly runs beside the GUI), and its
result comes back by the `counted` signal, queued to the GUI thread. Requests are
numbered; one that a newer request has overtaken before it started is skipped, and the
receiver drops any result but the newest's.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThreadPool, Signal

from leaddesk.domain.errors import StoreError
from leaddesk.history.history_query import (
    Query,
    ReadOnlyHistory,
    Summary,
    start_of_today,
    summary,
)

log = logging.getLogger(__name__)

OpenHistory = Callable[[Path], ReadOnlyHistory]


class _Requests:
    """What the counting thread and the GUI thread share: the newest request's number,
    whether counting has stopped, and the history being read now (to interrupt it).
    Plain Python under a lock, so that the thread never touches a Qt object but to emit."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.newest = 0
        self.stopped = False
        self._reading: ReadOnlyHistory | None = None

    def new(self) -> int:
        with self._lock:
            self.newest += 1
            return self.newest

    def wanted(self, number: int) -> bool:
        with self._lock:
            return not self.stopped and number == self.newest

    def reading(self, history: ReadOnlyHistory | None) -> None:
        with self._lock:
            self._reading = history

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            if self._reading is not None:
                self._reading.interrupt()


class TotalsCounter(QObject):
    """Counts a history's summary figures on a thread of its own, one request at a time."""

    # The request's number; a Summary, or a message saying why there is none.
    counted = Signal(int, object)

    def __init__(
        self,
        database: Path,
        parent: QObject | None = None,
        open_history: OpenHistory = ReadOnlyHistory,
    ) -> None:
        super().__init__(parent)
        self._database = database
        self._open_history = open_history
        self._requests = _Requests()
        self._pool = QThreadPool(self)
        self._pool.setObjectName("history-totals")
        self._pool.setMaxThreadCount(1)  # in order, and never two at once

    def request(self, query: Query) -> int:
        """Count the figures for a view with this query; its number, which `counted` will
        carry (0 once stopped: nothing will come)."""
        if self._requests.stopped:
            return 0
        number = self._requests.new()
        since = start_of_today()
        # The thread gets what it needs now: it must not read this QObject, which may be
        # being deleted (its pool then waits for the thread) by the time it runs.
        job = _Job(self._requests, self._open_history, self._database, self.counted.emit)
        self._pool.start(lambda: job.run(number, query, since))
        return number

    def stop(self) -> None:
        """Count no more: skip what waits, interrupt what runs, and wait for its thread."""
        self._requests.stop()
        self._pool.clear()
        self._pool.waitForDone()


class _Job:
    """One count, run in the pool's thread."""

    def __init__(
        self,
        requests: _Requests,
        open_history: OpenHistory,
        database: Path,
        emit: Callable[[int, object], object],
    ) -> None:
        self._requests = requests
        self._open_history = open_history
        self._database = database
        self._emit = emit

    def run(self, number: int, query: Query, since: float) -> None:
        requests = self._requests
        if not requests.wanted(number):
            return  # overtaken before it started
        result: Summary | str
        try:
            with self._open_history(self._database) as history:
                requests.reading(history)
                try:
                    result = summary(history, query, since)
                finally:
                    requests.reading(None)
        except StoreError as error:
            result = str(error)
        except Exception as error:  # a bug: logged, and said in the strip, not lost in a thread
            if requests.stopped:
                return  # interrupted by stop()
            log.exception("Counting the history's totals failed")
            result = f"The totals could not be counted: {error}"
        if requests.stopped:
            return
        with contextlib.suppress(RuntimeError):  # the counter was deleted meanwhile
            self._emit(number, result)
