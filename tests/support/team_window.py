"""Windows of a call floor for the GUI tests: each desk a LeadDesk home of its own (its
own desk id, history and draft) in team mode, logged in to a real PostgreSQL floor, with
a started worker sending to a sandbox."""

from __future__ import annotations

import time
from pathlib import Path

from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Settings
from leaddesk.config.team_settings import Team
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.floor_link import FloorLink
from leaddesk.gui.history.floor_scope import FloorScope
from leaddesk.gui.main_window import open_window
from leaddesk.gui.worker import SendWorker
from leaddesk.history.store import Store
from tests.support.gui_helpers import QUICK, SOURCE_ID, Rig, activate, click, quit_now


def link_of(rig: Rig) -> FloorLink:
    link = rig.window.floor_link
    assert link is not None, "the window is not in team mode"
    return link


def floor_scope(rig: Rig) -> FloorScope:
    scope = link_of(rig).scope
    assert scope is not None
    return scope


def desk_id_of(rig: Rig) -> str:
    return (rig.desk.paths.data_dir / "desk-id").read_text(encoding="utf-8").strip()


class TeamBench:
    """Opens desks of one floor and takes every one of them down again."""

    def __init__(self, qtbot: QtBot, zips: ZipDirectory, root: Path) -> None:
        self.qtbot = qtbot
        self.zips = zips
        self.root = root
        self._rigs: list[Rig] = []

    def open(self, name: str, floor_url: str, sandbox_url: str) -> Rig:
        """Desk `name` (its own home), logged in to the floor at `floor_url`."""
        home = self.root / name
        paths = Paths(home / "config", home / "data", home / "logs", home / "cache",
                      home / "site")  # fmt: skip
        settings = Settings(sending=QUICK, team=Team(database=floor_url, sync_seconds=1.0))
        store = Store(paths.database())
        desk = Desk(
            context=Context.of(paths, settings),
            destination=Destination(url=sandbox_url, source_id=SOURCE_ID),
            store=store,
            draft=Draft(paths.data_dir / "draft.json"),
            zips=self.zips,
        )
        worker = SendWorker(desk.outboxes(), settings.sending)
        window = open_window(desk, worker)
        self.qtbot.addWidget(window, before_close_func=quit_now)
        rig = Rig(window, desk, worker, store, None)
        self._rigs.append(rig)
        worker.start()
        activate(self.qtbot, window)
        return rig

    def close_all(self) -> None:
        for rig in reversed(self._rigs):
            quit_now(rig.window)
            rig.window.history.shutdown()
            if rig.window.floor_link is not None:
                rig.window.floor_link.stop()
            rig.worker.stop()
            rig.worker.wait()
            rig.store.close()


def submit(qtbot: QtBot, rig: Rig) -> float:
    """Click Submit; how long the window took to come back."""
    button = rig.window.findChild(QPushButton, "submit")
    assert isinstance(button, QPushButton)
    started = time.monotonic()
    click(qtbot, button)
    return time.monotonic() - started


def wait_online(qtbot: QtBot, rig: Rig) -> None:
    team = link_of(rig).team
    assert team is not None
    qtbot.waitUntil(lambda: team.floor.known_online, timeout=15000)
