"""The dealer accepted the leads, and another process holds the history's write lock as
the answer comes back: the answer waits (the agent is told), is recorded once the lock
is free, and no lead is posted again. A real second process holds a real SQLite lock."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Poster, Timeouts
from leaddesk.sending.progress import Progress, Stage
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, accepted_reply

QUICK = Timeouts(connect=2.0, read=10.0, deadline=20.0)

# Takes the history's write lock, says so, and holds it until a line comes on stdin.
HOLD_THE_LOCK = """
import sqlite3, sys
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
print("locked", flush=True)
sys.stdin.readline()
db.execute("ROLLBACK")
"""


class Locker:
    def __init__(self, database: Path) -> None:
        self.process: subprocess.Popen[str] | None = None
        self.database = database

    def lock(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", HOLD_THE_LOCK, str(self.database)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "locked"

    def release(self) -> None:
        if self.process is not None and self.process.poll() is None:
            assert self.process.stdin is not None
            self.process.stdin.write("\n")
            self.process.stdin.flush()
            self.process.wait(timeout=30)


@pytest.fixture
def locker(db_path: Path) -> Iterator[Locker]:
    held = Locker(db_path)
    yield held
    held.release()


def test_an_answer_waits_out_another_process_holding_the_history_and_is_kept(
    store: Store, db_path: Path, locker: Locker, tmp_path: Path
) -> None:
    ids = store.add_many([(make_lead(i), "") for i in range(2)])

    def answer(request: bytes) -> bytes:
        locker.lock()  # the answer is on its way; the history is taken meanwhile
        return accepted_reply(2)

    heard: list[Stage] = []

    def listen(progress: Progress) -> None:
        heard.append(progress.stage)
        if progress.stage is Stage.STALLED:
            locker.release()  # the other process lets go once the agent has been told

    with RawHttpServer(answer) as dealer:
        store.retarget_queued(dealer.url)
        with (
            Poster(QUICK) as poster,
            Outbox(store, poster, Sending(), tmp_path / "senders", listen) as outbox,
        ):
            updated = outbox.send_due()
            assert outbox.send_due() == []
    assert Stage.STALLED in heard, "the lock was not in the way: nothing was tested"
    assert [lead.state for lead in updated] == [State.ACCEPTED] * 2
    assert [lead.customer_id for lead in store.get_many(ids)] == ["5001", "5002"]
    assert len(dealer.stored) == 2, "each lead posted once"
