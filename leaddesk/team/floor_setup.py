"""`leaddesk team init`: the floor's schema brought to this LeadDesk's version, its roles
and row-level security, in one transaction; run again after each LeadDesk update."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from leaddesk.team.schema import (
    ACCESS,
    FLOOR_SCHEMA_VERSION,
    MIGRATION_LOCK,
    MIGRATIONS,
    ROLES,
    VERSION_TABLE,
)


@dataclass(frozen=True)
class Migrated:
    before: int  # the floor's schema version found
    after: int  # and left

    @property
    def ahead(self) -> bool:
        """The floor is newer than this LeadDesk: it was left as it is."""
        return self.before > FLOOR_SCHEMA_VERSION


def init_floor(url: str) -> Migrated:
    """Connect as the floor's owner (a role that may create tables and roles) and set up
    or migrate. Two at once are safe: the second waits on an advisory lock, then finds
    nothing to do."""
    with psycopg.connect(url, connect_timeout=10) as db, db.transaction():
        db.execute(MIGRATION_LOCK)
        db.execute(VERSION_TABLE)
        row = db.execute("SELECT COALESCE(max(version), 0) FROM floor_schema_version").fetchone()
        before = int(row[0]) if row else 0
        if before > FLOOR_SCHEMA_VERSION:
            return Migrated(before, before)  # a newer LeadDesk set it up: its access stands
        for statement in ROLES:
            db.execute(statement)
        for version in range(before, FLOOR_SCHEMA_VERSION):
            for statement in MIGRATIONS[version]:
                db.execute(statement)
            db.execute("INSERT INTO floor_schema_version (version) VALUES (%s)", (version + 1,))
        for statement in ACCESS:
            db.execute(statement)
    return Migrated(before, FLOOR_SCHEMA_VERSION)
