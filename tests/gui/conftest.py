"""GUI tests: the shared ZIP index and Bench, and a check that fails any test leaving a
QThread running, as napari does."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from PySide6.QtCore import QThread
from pytestqt.qtbot import QtBot

from leaddesk.domain.zip_lookup import ZipDirectory
from tests.support.gui_helpers import Bench, Rig, loaded_zips
from tests.support.history_model_rig import SMALL_PAGE
from tests.support.settings_window import Floor
from tests.support.team_window import TeamBench

if TYPE_CHECKING:
    from leaddesk.gui.link_inbox import LinkInbox
    from leaddesk.gui.single_instance import LinkServer


@pytest.fixture(scope="session")
def zips(tmp_path_factory: pytest.TempPathFactory) -> ZipDirectory:
    return loaded_zips(tmp_path_factory.mktemp("zip-cache"))


@pytest.fixture
def floor(bench: Bench) -> Iterator[Floor]:
    """Windows built from the config files, closed at the end of the test."""
    made = Floor(bench)
    try:
        yield made
    finally:
        made.close_all()


@pytest.fixture
def bench(qtbot: QtBot, zips: ZipDirectory) -> Iterator[Bench]:
    made = Bench(qtbot, zips)
    try:
        yield made
    finally:
        made.close_all()


@pytest.fixture(autouse=True)
def no_thread_left_running(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    started: weakref.WeakSet[QThread] = weakref.WeakSet()
    original_start = QThread.start

    def recording_start(self: QThread, *args: Any) -> None:
        started.add(self)
        original_start(self, *args)

    monkeypatch.setattr(QThread, "start", recording_start)
    yield
    running = [thread for thread in started if thread.isRunning()]
    assert not running, f"the test left {len(running)} QThread(s) running"


@pytest.fixture(autouse=True)
def qt_garbage_collected_here() -> Iterator[None]:
    """Collect each GUI test's garbage on the GUI thread, at its end. Left to the cyclic
    collector, a Qt object in a reference cycle is destroyed in whichever thread happens
    to trigger a collection later: a test server's thread in a later test, where PySide
    crashed the whole run (a segmentation fault in CI, in tests/cli/test_cli_faults.py)."""
    yield
    gc.collect()


@pytest.fixture
def small_pages(monkeypatch: pytest.MonkeyPatch) -> int:
    """The history model reads SMALL_PAGE ids a page (the number, returned)."""
    monkeypatch.setattr("leaddesk.gui.history.model.PAGE_ROWS", SMALL_PAGE)
    return SMALL_PAGE


@pytest.fixture
def team_bench(qtbot: QtBot, zips: ZipDirectory, tmp_path: Path) -> Iterator[TeamBench]:
    made = TeamBench(qtbot, zips, tmp_path / "desks")
    try:
        yield made
    finally:
        made.close_all()


@pytest.fixture
def serving(bench: Bench) -> Iterator[tuple[Rig, LinkInbox, LinkServer]]:
    """A window sending to a sandbox, taking dialer links as the app's start-up makes it."""
    from leaddesk.gui.link_inbox import serve_links  # only for the tests that take links

    rig = bench.open()
    inbox, server = serve_links(rig.window, bench.paths, demo=False)
    assert server.listening
    try:
        yield rig, inbox, server
    finally:
        server.close()
