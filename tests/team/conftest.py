"""The team tests run against a real PostgreSQL server, started once for the session;
each test gets a fresh database on it (the `postgres` and `floor_url` fixtures, in
tests/conftest.py: the window's team tests in tests/gui/ share them)."""

from __future__ import annotations

import pytest

from tests.support.floor import set_up_floor


@pytest.fixture
def floor(floor_url: str) -> str:
    """A fresh database set up as a floor (team init): its admin URL."""
    set_up_floor(floor_url)
    return floor_url
