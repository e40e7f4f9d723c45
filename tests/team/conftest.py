"""The team tests run against a real PostgreSQL server, started once for the session;
each test gets a fresh database on it (the `postgres` and `floor_url` fixtures, in
tests/conftest.py: the window's team tests in tests/gui/ share them)."""
