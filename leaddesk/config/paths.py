"""Where LeadDesk keeps its files: the user's config, data, logs and cache folders
(platformdirs), and the machine-wide config an IT admin rolls out to a call floor."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import platformdirs

APP_NAME = "LeadDesk"
CONFIG_FILE_NAME = "leaddesk.toml"


@dataclass(frozen=True)
class Paths:
    config_dir: Path
    data_dir: Path
    log_dir: Path
    cache_dir: Path  # things that can be rebuilt at any time
    site_config_dir: Path | None = None  # the machine-wide config, if any

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Paths:
        """LEADDESK_HOME puts everything of the user's under one folder (tests, portable
        installs, profiles); LEADDESK_SITE_CONFIG names the machine-wide config folder."""
        environ = os.environ if environ is None else environ
        site = environ.get("LEADDESK_SITE_CONFIG")
        site_dir = (
            Path(site).expanduser().absolute()
            if site
            else Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))
        )
        home = environ.get("LEADDESK_HOME")
        if home:
            root = Path(home).expanduser().absolute()
            return cls(root / "config", root / "data", root / "logs", root / "cache", site_dir)
        return cls(
            Path(platformdirs.user_config_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)),
            Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)),
            site_dir,
        )

    @property
    def config_file(self) -> Path:
        return self.config_dir / CONFIG_FILE_NAME

    @property
    def site_config_file(self) -> Path | None:
        return None if self.site_config_dir is None else self.site_config_dir / CONFIG_FILE_NAME

    def database(self, demo: bool = False) -> Path:
        """Demo leads live in a database of their own, apart from real ones."""
        return self.data_dir / ("demo.sqlite3" if demo else "history.sqlite3")
