"""The suite's own PostgreSQL server: it runs, and each test's database starts empty."""

from __future__ import annotations

import psycopg

from tests.support.postgres import PostgresServer


def test_the_server_answers_and_each_database_starts_empty(
    postgres: PostgresServer, floor_url: str
) -> None:
    with psycopg.connect(floor_url) as db:
        version = db.execute("SHOW server_version").fetchone()
        tables = db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        ).fetchone()
    assert version is not None and int(version[0].split(".")[0]) >= 12
    assert tables == (0,)
