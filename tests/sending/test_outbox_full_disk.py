"""A disk that fills while a post is in flight: the dealer's answer is in hand, the history
cannot take it. Said at once (not after minutes of silent retries), recorded once the disk
has room, and no lead is sent twice meanwhile."""

from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Poster, PostResult
from leaddesk.sending.progress import Progress, Stage
from leaddesk.wire.format import WireFormat
from tests.support.cli_home import HEADER, Home, row
from tests.support.disk import fill, tmpfs
from tests.support.leads import make_lead
from tests.support.waiting import wait_until


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path]:
    with tmpfs(tmp_path / "disk", "2m") as mount_point:
        yield mount_point


class FillingPoster(Poster):
    """A real poster, but the disk fills up while its post is on the wire."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.filler: Path | None = None

    def post(
        self,
        url: str,
        leads: Sequence[Lead],
        document: bytes | None = None,
        *,
        destination_name: str = "",
        wire_format: WireFormat | None = None,
    ) -> PostResult:
        result = super().post(
            url, leads, document, destination_name=destination_name, wire_format=wire_format
        )
        if self.filler is None:
            self.filler = fill(self.folder)
        return result


def test_an_answer_that_cannot_be_recorded_is_told_at_once_and_kept(
    small_disk: Path, sandbox: Sandbox
) -> None:
    store = Store(small_disk / "history.sqlite3")
    ids = store.add_many([(make_lead(i), sandbox.url()) for i in range(3)])
    heard: list[Progress] = []
    poster = FillingPoster(small_disk)

    def listen(progress: Progress) -> None:
        heard.append(progress)
        if progress.stage is Stage.STALLED and poster.filler is not None:
            poster.filler.unlink()  # the agent frees the disk on hearing of it

    with poster, Outbox(store, poster, Sending(), small_disk / "senders", listen) as box:
        box.send_due()
    stalled = [progress for progress in heard if progress.stage is Stage.STALLED]
    assert len(stalled) == 1, "told on the first failure, and recorded at the next try"
    assert "disk is full" in stalled[0].message
    assert "will not be sent twice" in stalled[0].message
    assert {lead.id for lead in stalled[0].leads} == set(ids)
    assert [lead.state for lead in store.get_many(ids)] == [State.ACCEPTED] * 3
    assert sorted(sandbox.accepted_count().values()) == [1, 1, 1]
    store.close()


def test_the_terminal_says_at_once_that_the_disk_is_full(tmp_path: Path) -> None:
    """`leaddesk send` with its history on a disk that fills during the post: the message
    is on the terminal while the answer waits, and the run ends well once it is freed."""
    with tmpfs(tmp_path / "home", "4m") as root, Sandbox(faults=Faults(delay=1.0)) as sandbox:
        home = Home(root)
        home.configure(sandbox.url())
        leads = home.write_csv("leads.csv", HEADER, [row(1)])
        home.leads()  # the history exists before the disk fills
        process = home.start("send", leads)
        lines = _lines(process)
        wait_until(lambda: sandbox.posts > 0, "the post to reach the dealer")
        filler = fill(root)  # while the dealer takes a second to answer
        told = ""
        while "cannot be recorded yet" not in told:
            line = lines.get(timeout=30)
            assert line is not None, "the run ended without saying the disk is full"
            told = line
        assert "disk is full" in told
        filler.unlink()
        out, _ = process.communicate(timeout=60)
        assert process.returncode == 0, out
        assert sandbox.accepted_count() and set(sandbox.accepted_count().values()) == {1}


def _lines(process: subprocess.Popen[str]) -> queue.Queue[str | None]:
    """The process's standard error, line by line as it comes; None at its end."""
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    return lines
