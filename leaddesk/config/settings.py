"""LeadDesk's settings: destinations (the dealers a desk sends to), the agent, sending and
history. Checked as leaddesk.config.checked says; read from TOML files by
leaddesk.config.config_files.

A settings file carries `schema_version`; older files are migrated step by step, as dicts,
before they are validated, so a file written by any earlier LeadDesk keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from leaddesk.config.checked import (
    Checked,
    Rule,
    flag,
    number,
    setting,
    table,
    tables_of,
    text,
    whole,
)
from leaddesk.config.paths import APP_NAME, CONFIG_FILE_NAME, Paths
from leaddesk.config.team_settings import Team
from leaddesk.domain.destination_url import check_destination_url
from leaddesk.domain.fields import clean_field
from leaddesk.domain.outcomes import Timeouts

__all__ = ["APP_NAME", "CONFIG_FILE_NAME", "Paths"]  # paths are re-exported for callers

SCHEMA_VERSION = 2

# The lead fields a destination sets for every lead sent to it.
DESTINATION_FIELDS = (
    "source_id",
    "campaign_id",
    "lead_type_id",
    "lead_purchase_price",
    "lead_source_info",
    "lead_promo_code",
)


def _name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise ValueError("a destination needs a name")
    return name


def _safe_url(value: str) -> str:
    return check_destination_url(value) if value.strip() else ""


def _lead_field(name: str) -> Callable[[str], str]:
    return lambda value: clean_field(name, value) if value.strip() else ""


def _lead_field_setting(name: str) -> Any:
    return setting("", text(clean=_lead_field(name)))


@dataclass(frozen=True)
class Destination(Checked):
    """A dealer's SecurityTrax endpoint and the field values every lead for it carries."""

    name: str = setting("Default", text(min_length=1, max_length=60, clean=_name))
    url: str = setting("", text(clean=_safe_url))
    source_id: str = _lead_field_setting("source_id")
    campaign_id: str = _lead_field_setting("campaign_id")
    lead_type_id: str = _lead_field_setting("lead_type_id")
    lead_purchase_price: str = _lead_field_setting("lead_purchase_price")
    lead_source_info: str = _lead_field_setting("lead_source_info")
    lead_promo_code: str = _lead_field_setting("lead_promo_code")
    # The wire format this dealer's endpoint speaks: a name in leaddesk.wire.formats,
    # checked when the settings are loaded (app/context.py): the config layer sits below
    # the formats' registry and never imports it.
    # Its default is leaddesk.wire.format's DEFAULT_FORMAT_NAME, spelled again here because
    # the history, which imports the settings, never imports the wire layer (a contract);
    # tests/app/test_destination_formats.py holds the two equal.
    wire_format: str = setting("securitytrax-xml", text(min_length=1, max_length=40))
    # Kept because leads in the history went to it; not offered.
    archived: bool = setting(False, flag())
    # Set by the machine-wide config: agents cannot change it.
    locked: bool = setting(False, flag())

    def lead_fields(self) -> dict[str, str]:
        """Every field this destination sets on a lead, blanks included: a lead moved here
        takes all of them, and keeps none of its old destination's."""
        return {name: getattr(self, name) for name in DESTINATION_FIELDS}

    def lead_defaults(self, agent_name: str = "") -> dict[str, str]:
        """The values this destination (and the agent) give every lead; blanks left out."""
        values = self.lead_fields()
        values["lead_callcenter_rep"] = agent_name
        return {name: value for name, value in values.items() if value}

    def problems(self) -> list[str]:
        """What keeps leads from being sent here, in words for the agent."""
        missing = []
        if not self.url:
            missing.append("no SecurityTrax address (URL)")
        if not self.source_id:
            missing.append("no source ID")
        return missing


@dataclass(frozen=True)
class Sending(Checked):
    """Strict numbers: `read_timeout = true` or `batch_size = "10"` in a file is a mistake
    to report, not 1 second or 10 (a number still takes a whole number)."""

    batch_size: int = setting(10, whole(ge=1, le=100))
    retry_limit: int = setting(6, whole(ge=1, le=100))  # tries before "not sent" means failed
    backoff_seconds: float = setting(5.0, number(ge=0, le=3600))  # first wait, doubling each try
    backoff_max_seconds: float = setting(300.0, number(ge=0, le=86400))
    duplicate_days: int = setting(30, whole(ge=0, le=3650))  # 0 turns the duplicate guard off
    connect_timeout: float = setting(10.0, number(gt=0, le=300))
    read_timeout: float = setting(30.0, number(gt=0, le=600))
    deadline: float = setting(90.0, number(gt=0, le=900))

    def timeouts(self) -> Timeouts:
        return Timeouts(self.connect_timeout, self.read_timeout, self.deadline)

    def backoff(self, tries: int) -> float:
        """Seconds to wait after the given number of tries that ended not sent."""
        return float(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** max(0, tries - 1)))


_RETENTION_DAYS = whole(ge=1, le=36500)


def _retention(value: object) -> int | None:
    # 0 is the file's way of saying "for ever"; `false` is a mistake, not 0.
    if value is None or (type(value) is int and value == 0):
        return None
    days = _RETENTION_DAYS.accept(value)
    assert isinstance(days, int)
    return days


@dataclass(frozen=True)
class History(Checked):
    retention_days: int | None = setting(None, Rule(_retention))  # None: kept for ever


def _agent(value: str) -> str:
    return clean_field("lead_callcenter_rep", value) if value.strip() else ""


@dataclass(frozen=True)
class Settings(Checked):
    schema_version: int = setting(SCHEMA_VERSION, whole())
    agent_name: str = setting("", text(clean=_agent))  # sent as lead_callcenter_rep
    # The name of the destination the form starts with.
    default_destination: str = setting("", text())
    destinations: tuple[Destination, ...] = setting((), tables_of(Destination))
    sending: Sending = table(Sending)
    history: History = table(History)
    # Team mode: the floor's database (leaddesk.config.team_settings).
    team: Team = table(Team)

    def check_whole(self) -> None:
        seen: set[str] = set()
        for destination in self.destinations:
            key = destination.name.casefold()
            if key in seen:
                raise ValueError(f'two destinations are named "{destination.name}"')
            seen.add(key)

    def destination(self, name: str) -> Destination | None:
        key = name.casefold()
        return next((d for d in self.destinations if d.name.casefold() == key), None)

    def offered(self) -> list[Destination]:
        """The destinations the form offers: all but archived ones."""
        return [d for d in self.destinations if not d.archived]

    def starting_destination(self) -> Destination | None:
        """The remembered destination if it is still offered, else the first offered one."""
        offered = self.offered()
        chosen = self.destination(self.default_destination)
        if chosen is not None and not chosen.archived:
            return chosen
        return offered[0] if offered else None


# --- migrations: raw dicts from older files, one step per schema version ----------------


def _from_1(data: dict[str, Any]) -> dict[str, Any]:
    """Version 1 had a single [destination] table with the agent's name in it."""
    data = dict(data)
    single = dict(data.pop("destination", {}) or {})
    rep = single.pop("lead_callcenter_rep", "")
    if rep and "agent_name" not in data:
        data["agent_name"] = rep
    if any(str(value).strip() for value in single.values()):
        data["destinations"] = [{"name": "Default", **single}]
        data.setdefault("default_destination", "Default")
    return data


MIGRATIONS: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _from_1}


def migrate(data: dict[str, Any]) -> dict[str, Any]:
    """The file's data brought to SCHEMA_VERSION (a file without a version is version 1)."""
    version = data.get("schema_version", 1)
    if type(version) is not int or version < 1:  # `true` is no version either
        raise ValueError(f"schema_version must be a whole number from 1, not {version!r}")
    if version > SCHEMA_VERSION:
        raise ValueError(
            f"schema_version {version} is from a newer LeadDesk (this one reads up to "
            f"{SCHEMA_VERSION}); update LeadDesk"
        )
    while version < SCHEMA_VERSION:
        data = MIGRATIONS[version](data)
        version += 1
    data["schema_version"] = SCHEMA_VERSION
    return data
