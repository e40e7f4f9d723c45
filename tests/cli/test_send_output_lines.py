"""`leaddesk send` says lines from two threads at once, the reading thread and the send
loop: each line goes out whole. print() wrote a line and its newline apart, the other
thread's line came in between ("customer 1005row 3: skipped"), and whoever read the
output (a person, a script, tests/cli/test_crash.py once) lost both lines."""

from __future__ import annotations

import io
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.app.context import Context
from leaddesk.cli.send_stream import _StreamRun
from leaddesk.config.settings import Destination, Paths, Settings
from leaddesk.history.store import Store


class RecordingStream(io.StringIO):
    """stdout that keeps each write() apart."""

    def __init__(self) -> None:
        super().__init__()
        self.writes: list[str] = []

    def write(self, text: str) -> int:
        self.writes.append(text)
        return super().write(text)


@pytest.fixture
def stream_run(leaddesk_home: Path, tmp_path: Path) -> Iterator[_StreamRun]:
    settings = Settings()
    store = Store(tmp_path / "history.db")
    try:
        yield _StreamRun(
            Context.of(Paths.from_environment(), settings), store, store,
            Destination(url="http://127.0.0.1:9/demo/leadpostxml.php", source_id="S1"),
            settings.sending, 30,
        )  # fmt: skip
    finally:
        store.close()


def test_a_line_and_its_newline_are_one_write(
    stream_run: _StreamRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = RecordingStream()
    monkeypatch.setattr(sys, "stdout", out)
    stream_run._say("row 6: lead 5 accepted, customer 1005")
    assert out.writes == ["row 6: lead 5 accepted, customer 1005\n"]


def test_two_threads_saying_lines_at_once_leave_each_line_whole(
    stream_run: _StreamRun, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = RecordingStream()
    monkeypatch.setattr(sys, "stdout", out)
    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # the threads take turns as often as they can

    def say_lines(name: str) -> None:
        for i in range(2000):
            stream_run._say(f"{name} line {i}")

    try:
        saying = [
            threading.Thread(target=say_lines, args=(name,)) for name in ("reading", "sending")
        ]
        for thread in saying:
            thread.start()
        for thread in saying:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    lines = out.getvalue().splitlines()
    expected = {f"{name} line {i}" for name in ("reading", "sending") for i in range(2000)}
    assert sorted(lines) == sorted(expected)
