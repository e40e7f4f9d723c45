"""Team mode's settings: the floor's PostgreSQL database, from the site config's `[team]`
table or LEADDESK_TEAM_DATABASE (which wins). Without either, a desk is as it always was:
its own SQLite history and nothing else to run."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from leaddesk.config.checked import Checked, SettingsInvalid, number, setting, text
from leaddesk.domain.errors import SettingsError

TEAM_DATABASE_VARIABLE = "LEADDESK_TEAM_DATABASE"
SCHEMES = ("postgresql", "postgres")


def _postgres_url(value: str) -> str:
    value = value.strip()
    if value and urlsplit(value).scheme not in SCHEMES:
        raise ValueError("the team database is a postgresql:// address")
    return value


@dataclass(frozen=True)
class Team(Checked):
    # postgresql://user@host/db; blank: no team mode
    database: str = setting("", text(clean=_postgres_url))
    # How long a desk's claim on a lead it resends for the floor holds: a desk that died
    # holding one leaves the lead to the others after this.
    claim_lease_seconds: float = setting(120.0, number(ge=1, le=3600))
    # How often the window pushes the desk's new leads and states to the floor.
    sync_seconds: float = setting(5.0, number(ge=1, le=3600))


def team_database(team: Team, environ: Mapping[str, str] | None = None) -> str:
    """The floor's database address: the environment's, else the config's; blank if none."""
    environ = os.environ if environ is None else environ
    from_environment = environ.get(TEAM_DATABASE_VARIABLE, "").strip()
    if from_environment:
        try:
            return Team(database=from_environment).database  # checked as the file's would be
        except SettingsInvalid:
            raise SettingsError(
                f"{TEAM_DATABASE_VARIABLE} must be a postgresql:// address."
            ) from None
    return team.database


def without_password(url: str) -> str:
    """The address to show people and logs: a password in it is never printed."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    user = f"{parts.username}:***@" if parts.username else ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit(parts._replace(netloc=f"{user}{host}{port}"))
