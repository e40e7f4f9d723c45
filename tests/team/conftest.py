"""The team tests run against a real PostgreSQL server, started once for the session;
each test gets a fresh database on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.support.postgres import PostgresServer, find_bin_dir, running_postgres


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries (initdb, pg_ctl): apt-get install postgresql")
    with running_postgres(bin_dir) as server:
        yield server


@pytest.fixture
def floor_url(postgres: PostgresServer) -> str:
    """A fresh database on the session's server, for the superuser."""
    return postgres.create_database()
