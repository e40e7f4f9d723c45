"""`leaddesk config show` and `leaddesk config check FILE`: for the IT admin rolling out a
call floor, and for anyone wondering why a setting has the value it has."""

from __future__ import annotations

import sys
from pathlib import Path

import tomli_w

from leaddesk.app.outboxes import check_formats
from leaddesk.config import config_files
from leaddesk.config.config_files import DEFAULT
from leaddesk.config.paths import Paths
from leaddesk.config.team_settings import TEAM_DATABASE_VARIABLE, team_database, without_password
from leaddesk.domain.errors import SettingsError

EXIT_OK, EXIT_BAD_FILE = 0, 2


def show_config() -> int:
    paths = Paths.from_environment()
    loaded = config_files.load(paths)
    settings = loaded.settings
    print(f"user config: {paths.config_file}" + ("" if paths.config_file.exists() else " (none)"))
    site = paths.site_config_file
    if site is not None:
        print(f"site config: {site}" + ("" if site.exists() else " (none)"))
    print()

    def line(key: str, value: object, shown: str | None = None) -> None:
        note = loaded.sources.get(key, DEFAULT)
        if key == "history.retention_days" and value is None:
            value, note = 0, f"{note} (0: kept for ever)"  # as the file holds it
        if key == "team.database":  # the variable wins; a password is never shown
            effective = team_database(settings.team)
            note = f"environment: {TEAM_DATABASE_VARIABLE}" if effective != value else note
            value = without_password(effective)
        print(f"{_toml(shown or key, value)}    # {note}")

    line("agent_name", settings.agent_name)
    line("default_destination", settings.default_destination)
    for table in ("sending", "history", "team"):
        print(f"\n[{table}]")
        for key, value in getattr(settings, table).as_dict().items():
            line(f"{table}.{key}", value, shown=key)
    if not settings.destinations:
        print("\n(no destinations: add one in LeadDesk's settings, or try --demo)")
    for destination in settings.destinations:
        source = loaded.sources.get(f"destinations.{destination.name}", DEFAULT)
        flags = [flag for flag in ("archived", "locked") if getattr(destination, flag)]
        print(f'\n[[destinations]]  # "{destination.name}", {source}')
        for key, value in destination.as_dict().items():
            if key not in ("name", "archived", "locked"):
                print(_toml(key, value))
        if flags:
            print(f"# {', '.join(flags)}")
    return EXIT_OK


def _toml(key: str, value: object) -> str:
    """`key = value` as a TOML file holds it, so that a line can be copied into one."""
    return tomli_w.dumps({key: value}).strip()


def check_config(path: Path) -> int:
    try:
        data = config_files.read_file(path)
    except SettingsError as error:
        print(f"leaddesk: {error}", file=sys.stderr)
        return EXIT_BAD_FILE
    if data is None:
        print(f"leaddesk: {path} does not exist.", file=sys.stderr)
        return EXIT_BAD_FILE
    settings = config_files.check(path, data)
    check_formats(settings, path, path)
    names = ", ".join(d.name + (" (locked)" if d.locked else "") for d in settings.destinations)
    print(f"{path} is a valid LeadDesk config: destinations {names or 'none'}.")
    return EXIT_OK
