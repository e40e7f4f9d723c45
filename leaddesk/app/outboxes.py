"""The sending side assembled: a poster for the sending settings, and an outbox for a
thread of its own. Both faces get their posters here, so that which wire format a
destination speaks is chosen in one place."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaddesk.config.settings import Sending
from leaddesk.history.store import Store
from leaddesk.sending.outbox import Outbox, ProgressCallback

if TYPE_CHECKING:
    from leaddesk.sending.poster import Poster


def make_poster(sending: Sending) -> Poster:
    # Imported here: the HTTP stack loads only where a lead is posted, not to show the window.
    from leaddesk.sending.poster import Poster

    return Poster(sending.timeouts())


@dataclass(frozen=True)
class ThreadOutboxes:
    """How a sending thread (the window's worker) opens an outbox of its own: its own
    connection to the history (one per thread) and its own poster, both closed with it."""

    database: Path
    senders_dir: Path  # where each sender's lock file says it is alive

    @contextmanager
    def open(self, sending: Sending, on_progress: ProgressCallback) -> Iterator[Outbox]:
        """Call on the thread that sends."""
        with Store(self.database) as store, make_poster(sending) as poster:
            outbox = Outbox(store, poster, sending, self.senders_dir, on_progress)
            try:
                yield outbox
            finally:
                outbox.close()
