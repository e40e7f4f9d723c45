"""LeadDesk's settings: destinations (the dealers a desk sends to), the agent, sending and
history. Validated by pydantic; read from TOML files by leaddesk.config.config_files.

A settings file carries `schema_version`; older files are migrated step by step, as dicts,
before they are validated, so a file written by any earlier LeadDesk keeps working.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    field_validator,
    model_validator,
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


class Destination(BaseModel):
    """A dealer's SecurityTrax endpoint and the field values every lead for it carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1, max_length=60)] = "Default"
    url: str = ""
    source_id: str = ""
    campaign_id: str = ""
    lead_type_id: str = ""
    lead_purchase_price: str = ""
    lead_source_info: str = ""
    lead_promo_code: str = ""
    # The wire format this dealer's endpoint speaks: a name in leaddesk.wire.formats,
    # checked when the settings are loaded (app/context.py): the config layer sits below
    # the formats' registry and never imports it.
    wire_format: Annotated[str, Field(min_length=1, max_length=40)] = "securitytrax-xml"
    archived: StrictBool = False  # kept because leads in the history went to it; not offered
    locked: StrictBool = False  # set by the machine-wide config: agents cannot change it

    @field_validator("name")
    @classmethod
    def _name(cls, value: str) -> str:
        name = " ".join(value.split())
        if not name:
            raise ValueError("a destination needs a name")
        return name

    @field_validator("url")
    @classmethod
    def _safe_url(cls, value: str) -> str:
        return check_destination_url(value) if value.strip() else ""

    @field_validator(*DESTINATION_FIELDS)
    @classmethod
    def _lead_field(cls, value: str, info: Any) -> str:
        return clean_field(info.field_name, value) if value.strip() else ""

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


class Sending(BaseModel):
    """Strict numbers: `read_timeout = true` or `batch_size = "10"` in a file is a mistake
    to report, not 1 second or 10 (a strict float still takes a whole number)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: Annotated[StrictInt, Field(ge=1, le=100)] = 10
    retry_limit: Annotated[StrictInt, Field(ge=1, le=100)] = (
        6  # tries before "not sent" means failed
    )
    backoff_seconds: Annotated[StrictFloat, Field(ge=0, le=3600)] = (
        5.0  # first wait, doubling each try
    )
    backoff_max_seconds: Annotated[StrictFloat, Field(ge=0, le=86400)] = 300.0
    duplicate_days: Annotated[StrictInt, Field(ge=0, le=3650)] = (
        30  # 0 turns the duplicate guard off
    )
    connect_timeout: Annotated[StrictFloat, Field(gt=0, le=300)] = 10.0
    read_timeout: Annotated[StrictFloat, Field(gt=0, le=600)] = 30.0
    deadline: Annotated[StrictFloat, Field(gt=0, le=900)] = 90.0

    def timeouts(self) -> Timeouts:
        return Timeouts(self.connect_timeout, self.read_timeout, self.deadline)

    def backoff(self, tries: int) -> float:
        """Seconds to wait after the given number of tries that ended not sent."""
        return float(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** max(0, tries - 1)))


class History(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    retention_days: Annotated[StrictInt, Field(ge=1, le=36500)] | None = None  # None: kept for ever

    @field_validator("retention_days", mode="before")
    @classmethod
    def _zero_is_for_ever(cls, value: object) -> object:
        # The file's way of saying "for ever"; `false` is a mistake, not 0 (bool is an int).
        return None if type(value) is int and value == 0 else value


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: StrictInt = SCHEMA_VERSION
    agent_name: str = ""  # sent as lead_callcenter_rep
    default_destination: str = ""  # the name of the destination the form starts with
    destinations: tuple[Destination, ...] = ()
    sending: Sending = Sending()
    history: History = History()
    team: Team = Team()  # team mode: the floor's database (leaddesk.config.team_settings)

    @field_validator("agent_name")
    @classmethod
    def _agent(cls, value: str) -> str:
        return clean_field("lead_callcenter_rep", value) if value.strip() else ""

    @model_validator(mode="after")
    def _unique_names(self) -> Settings:
        seen: set[str] = set()
        for destination in self.destinations:
            key = destination.name.casefold()
            if key in seen:
                raise ValueError(f'two destinations are named "{destination.name}"')
            seen.add(key)
        return self

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
