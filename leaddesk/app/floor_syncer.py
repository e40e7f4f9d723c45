"""The window's push to the floor: every few seconds, on a thread of its own (with its own
Store: one per thread), so that neither the form nor the sending ever waits on the floor.
Qt-free; the window starts it with the desk and stops it on close."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from leaddesk.app.team_desk import Synced, TeamDesk
from leaddesk.domain.errors import StoreError
from leaddesk.history.store import Store

log = logging.getLogger(__name__)


class FloorSyncer:
    def __init__(
        self,
        team: TeamDesk,
        database: Path,
        every_seconds: float,
        on_pass: Callable[[Synced | None], None] = lambda _: None,
        on_trouble: Callable[[str], None] = lambda _: None,
    ) -> None:
        self.team = team
        self.on_pass = on_pass  # told after each push, on the push's thread (None: offline)
        # Told, on the push's thread, when a push failed in a way nobody foresaw: the
        # pushes go on (the next may work), but the floor misses this desk's leads until
        # then, and supervisors and the duplicate guard with it.
        self.on_trouble = on_trouble
        self.database = database
        self.every_seconds = every_seconds
        self.last: Synced | None = None  # what the last push that reached the floor did
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="leaddesk-floor", daemon=True)

    def start(self) -> FloorSyncer:
        self._thread.start()
        return self

    def sync_now(self) -> None:
        """Push at once (a lead was just queued or answered), not at the next tick."""
        self._wake.set()

    def stop(self, wait_seconds: float | None = None) -> None:
        """End the pushes. With `wait_seconds`, a push still trying to reach the floor is
        left behind after that long (its thread is a daemon): a window closes without
        waiting on an unreachable floor."""
        self._stop.set()
        self._wake.set()
        self._thread.join(wait_seconds)
        if not self._thread.is_alive():
            self.team.close()

    def _run(self) -> None:
        failing = ""  # the kind of the unforeseen failure told last, until a push works
        while not self._stop.is_set():
            try:
                with Store(self.database) as store:
                    synced = self.team.sync(store)  # None: offline, said once
            except StoreError as error:  # the desk's own history is busy or broken: later
                log.warning("floor push skipped: %s", error)
                synced = None
            except Exception as error:  # a thread that died would push no more, silently
                # Its type only: a database's message may quote a row (names, phones).
                kind = type(error).__name__
                if kind != failing:  # once, not at every pass while it lasts
                    failing = kind
                    log.error("floor push failed: %s", kind)
                    self.on_trouble(
                        f"the push to the floor failed ({kind}); this desk keeps sending on "
                        "its own and tries the floor again"
                    )
                synced = None
            if synced is not None:
                self.last, failing = synced, ""
            if not self._stop.is_set():
                self.on_pass(synced)
            self._wake.wait(self.every_seconds)
            self._wake.clear()
