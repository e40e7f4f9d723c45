"""Where LeadDesk keeps its files, and the settings read from its config file.

The config file is TOML, meant to be read and edited by people (call-center IT included):
`leaddesk.toml` in the user config directory, or under LEADDESK_HOME when that is set.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import platformdirs
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from leaddesk.destination_url import UnsafeUrl, check_destination_url
from leaddesk.lead import FieldProblem, clean_field
from leaddesk.outcomes import Timeouts

APP_NAME = "LeadDesk"
CONFIG_FILE_NAME = "leaddesk.toml"
SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path  # things that can be rebuilt at any time

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Paths:
        """LEADDESK_HOME puts everything under one folder (tests, portable installs, profiles)."""
        environ = os.environ if environ is None else environ
        home = environ.get("LEADDESK_HOME")
        if home:
            root = Path(home).expanduser().absolute()
            return cls(root / "config", root / "data", root / "logs", root / "cache")
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / CONFIG_FILE_NAME

    def database(self, demo: bool = False) -> Path:
        """Demo leads live in a database of their own, apart from real ones."""
        return self.data_dir / ("demo.sqlite3" if demo else "history.sqlite3")


# The lead fields a destination sets for every lead sent to it.
DESTINATION_FIELDS = (
    "source_id",
    "campaign_id",
    "lead_type_id",
    "lead_purchase_price",
    "lead_source_info",
    "lead_promo_code",
    "lead_callcenter_rep",
)


class Destination(BaseModel):
    """A dealer's SecurityTrax endpoint and the field values every lead for it carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = ""
    source_id: str = ""
    campaign_id: str = ""
    lead_type_id: str = ""
    lead_purchase_price: str = ""
    lead_source_info: str = ""
    lead_promo_code: str = ""
    lead_callcenter_rep: str = ""

    @field_validator("url")
    @classmethod
    def _safe_url(cls, value: str) -> str:
        return check_destination_url(value) if value.strip() else ""

    @field_validator(*DESTINATION_FIELDS)
    @classmethod
    def _lead_field(cls, value: str, info: Any) -> str:
        if not value.strip():
            return ""
        return clean_field(info.field_name, value)

    def lead_defaults(self) -> dict[str, str]:
        """The destination's values for the lead fields; blanks are left for the lead to fill."""
        return {name: getattr(self, name) for name in DESTINATION_FIELDS if getattr(self, name)}


class Sending(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    batch_size: Annotated[int, Field(ge=1, le=100)] = 10
    retry_limit: Annotated[int, Field(ge=1, le=100)] = 6  # tries before "not sent" means failed
    backoff_seconds: Annotated[float, Field(ge=0, le=3600)] = 5.0  # first wait, doubling each try
    backoff_max_seconds: Annotated[float, Field(ge=0, le=86400)] = 300.0
    duplicate_days: Annotated[int, Field(ge=0, le=3650)] = 30  # 0 turns the duplicate guard off
    connect_timeout: Annotated[float, Field(gt=0, le=300)] = 10.0
    read_timeout: Annotated[float, Field(gt=0, le=600)] = 30.0
    deadline: Annotated[float, Field(gt=0, le=900)] = 90.0

    def timeouts(self) -> Timeouts:
        return Timeouts(self.connect_timeout, self.read_timeout, self.deadline)

    def backoff(self, tries: int) -> float:
        """Seconds to wait after the given number of tries that ended not sent."""
        return float(min(self.backoff_max_seconds, self.backoff_seconds * 2 ** max(0, tries - 1)))


class History(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    retention_days: Annotated[int, Field(ge=1)] | None = None  # None keeps history for ever


class Settings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    schema_version: int = SCHEMA_VERSION
    destination: Destination = Destination()
    sending: Sending = Sending()
    history: History = History()


class SettingsError(Exception):
    """The config file cannot be used; the message names the file and the problem."""


def load_settings(path: Path) -> Settings:
    """The settings in the file, or the defaults when there is no file yet."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return Settings()
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"Cannot read the config file {path}: {error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"The config file {path} is not valid TOML: {error}") from None
    version = data.get("schema_version", SCHEMA_VERSION)
    if not isinstance(version, int) or version > SCHEMA_VERSION:
        raise SettingsError(
            f"The config file {path} is for a newer LeadDesk (schema_version {version}); "
            "update LeadDesk or use another config file."
        )
    try:
        return Settings.model_validate(data)
    except ValidationError as error:
        raise SettingsError(f"The config file {path} has problems:\n{_describe(error)}") from None


def _describe(error: ValidationError) -> str:
    lines = []
    for problem in error.errors():
        where = ".".join(str(part) for part in problem["loc"])
        cause = problem.get("ctx", {}).get("error")
        message = str(cause) if isinstance(cause, FieldProblem | UnsafeUrl) else problem["msg"]
        lines.append(f"  {where}: {message}")
    return "\n".join(lines)
