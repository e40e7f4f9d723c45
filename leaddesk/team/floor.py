"""The desk's connection to the floor's database: a small pool, and the one place that
tells "the floor is offline" from a bug.

A desk never waits long on the floor: a connection is given a few seconds, and once the
floor is found offline it is not asked again for a while; the desk keeps its own history
and outbox meanwhile. The floor being offline is said once per outage (`on_offline`).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from leaddesk.config.team_settings import without_password
from leaddesk.team.schema import FLOOR_SCHEMA_VERSION

log = logging.getLogger(__name__)

CONNECT_SECONDS = 2.0  # how long a desk waits for the floor before working without it
RETRY_SECONDS = 5.0  # after an outage is found, how long before the floor is asked again


class FloorOffline(Exception):
    """The floor cannot be used now; the message says why, in words for people."""


Connection = psycopg.Connection[tuple[Any, ...]]


class Floor:
    """One desk's pooled connections to the floor. Thread-safe (the pool is)."""

    def __init__(
        self,
        url: str,
        desk: str,
        agent: str,
        on_offline: Callable[[str], None] | None = None,
        connect_seconds: float = CONNECT_SECONDS,
    ) -> None:
        self.url = url
        self.desk = desk
        self.agent = agent
        self._on_offline = on_offline
        self._offline_since: float | None = None
        self._said_offline = False
        self._checked_schema = False
        self._reached = False
        self._pool = ConnectionPool(
            url,
            min_size=0,  # no connection is opened before one is wanted
            max_size=4,
            open=False,
            timeout=connect_seconds,
            kwargs={"connect_timeout": max(1, round(connect_seconds))},
            check=ConnectionPool.check_connection,  # a server restarted since: reconnect
            name="leaddesk-floor",
        )
        self._pool.open(wait=False)

    def close(self) -> None:
        self._pool.close()

    def __enter__(self) -> Floor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def where(self) -> str:
        return without_password(self.url)

    @property
    def known_online(self) -> bool:
        """The last use of the floor reached it (False before any)."""
        return self._reached

    @property
    def offline(self) -> bool:
        """Found offline lately: callers that must not wait skip the floor."""
        return (
            self._offline_since is not None
            and time.monotonic() - self._offline_since < RETRY_SECONDS
        )

    @contextmanager
    def connection(self) -> Iterator[Connection]:
        """A connection in a transaction, committed at the end. FloorOffline when the floor
        cannot be reached, or is not set up for this LeadDesk."""
        if self.offline:
            raise FloorOffline("the floor is offline")
        try:
            with self._pool.connection() as db:
                if not self._checked_schema:
                    self._check_schema(db)
                yield db
        except (psycopg.OperationalError, PoolTimeout) as error:
            log.info("floor offline: %s", type(error).__name__)
            raise self._went_offline(f"cannot reach {self.where}") from None
        except psycopg.errors.ReadOnlySqlTransaction:
            # A standby after a failover, or a floor IT set read-only for maintenance.
            log.info("floor read-only")
            raise self._went_offline(f"{self.where} takes no writes now (read-only)") from None
        except psycopg.errors.InsufficientPrivilege as error:
            # Not a bug of this desk but of its login (IT's to fix): it is in no LeadDesk
            # group, or this desk's leads are on the floor under another login. The desk
            # works on its own meanwhile, as when the floor is down.
            log.info("floor refused this login: %s", error.diag.message_primary)
            raise self._went_offline(
                f"{self.where} refused this login ({error.diag.message_primary}); IT: give "
                "it a LeadDesk group, and keep one login per desk (docs/team.md)"
            ) from None
        except FloorOffline as error:
            raise self._went_offline(str(error)) from None
        except psycopg.Error as error:
            # Anything else the floor answered (a table changed under this LeadDesk, a row
            # it will not take): the desk cannot use the floor now and works on its own, as
            # when it is down, rather than stop. Class and code only: the message may
            # quote a row (names, phones).
            kind = type(error).__name__
            log.warning("floor error: %s (SQLSTATE %s)", kind, error.sqlstate)
            raise self._went_offline(
                f"{self.where} answered an error ({kind}); IT: check the floor's database"
            ) from None
        self._back_online()

    def _check_schema(self, db: Connection) -> None:
        try:
            row = db.execute("SELECT max(version) FROM floor_schema_version").fetchone()
        except psycopg.errors.UndefinedTable:
            raise FloorOffline(
                f"{self.where} is not set up as a floor yet (IT: leaddesk team init)"
            ) from None
        version = int(row[0]) if row and row[0] is not None else 0
        if version < FLOOR_SCHEMA_VERSION:
            raise FloorOffline(
                f"the floor's schema is at version {version}, this LeadDesk needs "
                f"{FLOOR_SCHEMA_VERSION} (IT: leaddesk team init)"
            )
        # A floor ahead of this desk is fine: its steps only added to what this desk uses.
        self._checked_schema = True

    def _went_offline(self, reason: str) -> FloorOffline:
        self._reached = False
        self._offline_since = time.monotonic()
        if not self._said_offline:
            self._said_offline = True
            if self._on_offline is not None:
                self._on_offline(reason)
        return FloorOffline(reason)

    def _back_online(self) -> None:
        self._reached = True
        self._offline_since = None
        self._said_offline = False  # a later outage is told again
