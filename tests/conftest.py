"""Test set-up shared by every test: Qt offscreen, and an isolated LeadDesk home."""

from __future__ import annotations

import json
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from tests.support.cli_home import Home
from tests.support.postgres import PostgresServer, find_bin_dir, running_postgres

# Without a display, Qt aborts the whole run with SIGABRT and no message unless told to
# draw offscreen. `--onscreen` (below) keeps the real platform for watching a test run.
# The offscreen screen is a common desk's 1920x1080 (Qt's own default is 800x600, where
# the window would put its history in a panel: tests/gui/test_window_layout.py tries
# the smaller screens).
DESK_SCREEN = {"screens": [{"name": "desk", "x": 0, "y": 0, "width": 1920, "height": 1080,
                            "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}  # fmt: skip
if "--onscreen" not in sys.argv:
    _screen_file = Path(tempfile.mkdtemp(prefix="leaddesk-tests-")) / "screen.json"
    _screen_file.write_text(json.dumps(DESK_SCREEN), encoding="utf-8")
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={_screen_file}"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--onscreen", action="store_true", help="show Qt windows on the real display")


@pytest.fixture(autouse=True)
def leaddesk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Every test gets its own LEADDESK_HOME, so none can touch a real user's history."""
    home = tmp_path / "leaddesk-home"
    monkeypatch.setenv("LEADDESK_HOME", str(home))
    # Nor pick up a machine-wide config rolled out on the machine running the tests.
    monkeypatch.setenv("LEADDESK_SITE_CONFIG", str(tmp_path / "leaddesk-site"))
    yield home


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a history database goes, in a folder that does not exist yet."""
    return tmp_path / "home" / "data" / "history.sqlite3"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as opened:
        yield opened


@pytest.fixture
def sandbox() -> Iterator[Sandbox]:
    """A SecurityTrax sandbox on a free loopback port."""
    with Sandbox() as running:
        yield running


@pytest.fixture
def home(tmp_path: Path, sandbox: Sandbox) -> Home:
    """A LEADDESK_HOME configured to send to the sandbox, for running the CLI against."""
    configured = Home(tmp_path / "home")
    configured.configure(sandbox.url())
    return configured


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    """A real PostgreSQL server, started once for the session (team mode: tests/team/ and
    the window's tests/gui/)."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql")
    with running_postgres(bin_dir) as server:
        yield server


@pytest.fixture
def floor_url(postgres: PostgresServer) -> str:
    """A fresh database on the session's server, for the superuser."""
    return postgres.create_database()
