"""Reading, merging and writing LeadDesk's config files.

Two files, both TOML that people can read and edit:
- the machine-wide (site) config an IT admin rolls out: destinations for every agent,
  some locked so that agents cannot change them, and defaults for the other settings;
- the user's config, written by the settings dialog: the agent's own destinations and
  choices, which win over the site's defaults but never over a locked destination.

A file that cannot be used is never silently replaced: SettingsError names the file and the
problem, and `set_aside` keeps it under another name when the agent chooses to start over.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from leaddesk.config.atomic_file import replace_file
from leaddesk.config.checked import SettingsInvalid
from leaddesk.config.paths import Paths
from leaddesk.config.settings import Destination, Settings, migrate
from leaddesk.domain.errors import SettingsError

DEFAULT = "default"
_TABLES = ("sending", "history", "team")
_SCALARS = ("agent_name", "default_destination")


@dataclass(frozen=True)
class Loaded:
    """The effective settings, where each value came from, and what the layers under the
    user's file give (so that saving writes only what the agent chose)."""

    settings: Settings
    sources: dict[str, str] = field(default_factory=dict)  # dotted key -> "user: <file>" ...
    site_destinations: dict[str, Destination] = field(default_factory=dict)  # by casefold
    beneath: dict[str, Any] = field(default_factory=dict)  # defaults + site, flattened
    user_keys: frozenset[str] = frozenset()  # dotted keys the user's file sets


def read_file(path: Path) -> dict[str, Any] | None:
    """A config file's data, migrated to the current schema and checked; None if absent."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except (OSError, UnicodeDecodeError) as error:
        raise SettingsError(f"Cannot read the config file {path}: {error}", path) from None
    import tomllib  # loaded where there is a file to read

    try:
        data = migrate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as error:
        raise SettingsError(f"The config file {path} is not valid TOML: {error}.", path) from None
    except ValueError as error:
        raise SettingsError(f"The config file {path}: {error}.", path) from None
    except RecursionError:  # tomllib reads nested arrays and tables by recursion
        raise SettingsError(f"The config file {path} is nested too deeply to read.", path) from None
    check(path, data)
    return data


def check(path: Path, data: dict[str, Any]) -> Settings:
    try:
        return Settings.check(data)
    except SettingsInvalid as error:
        message = f"The config file {path} has problems:\n{describe(error)}"
        raise SettingsError(message, path) from None


def describe(error: SettingsInvalid) -> str:
    """Each problem on a line, with where it is in the file and a message for people."""
    return "\n".join(
        f"  {problem.key or '(the file)'}: {problem.message}" for problem in error.problems
    )


def load(paths: Paths, use_site: bool = True) -> Loaded:
    """The effective settings: built-in defaults, then the site file, then the user's."""
    site_file = paths.site_config_file if use_site else None
    site = read_file(site_file) if site_file is not None else None
    user = read_file(paths.config_file)
    merged: dict[str, Any] = {}
    sources: dict[str, str] = {}
    beneath = _flatten(Settings().as_dict())
    user_keys: set[str] = set()
    for data, label in ((site, f"site: {site_file}"), (user, f"user: {paths.config_file}")):
        if data is None:
            continue
        for key, value in _flatten(_without_destinations(data)).items():
            table, _, name = key.rpartition(".")
            (merged.setdefault(table, {}) if table else merged)[name] = value
            sources[key] = label
            if data is user:
                user_keys.add(key)
            else:
                beneath[key] = value
    destinations, destination_sources = _merge_destinations(site, user, site_file, paths)
    merged["destinations"] = destinations
    sources.update(destination_sources)
    settings = Settings.check(merged)
    site_destinations = {
        destination.name.casefold(): destination
        for destination in (
            Destination.check(entry) for entry in (site or {}).get("destinations", [])
        )
    }
    return Loaded(settings, sources, site_destinations, beneath, frozenset(user_keys))


def _without_destinations(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: value for key, value in data.items() if key not in ("destinations", "schema_version")
    }


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """{"sending": {"batch_size": 5}} -> {"sending.batch_size": 5}; scalars stay as they are."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TABLES and isinstance(value, dict):
            flat.update({f"{key}.{name}": inner for name, inner in value.items()})
        elif key in _SCALARS:
            flat[key] = value
    return flat


def _merge_destinations(
    site: dict[str, Any] | None, user: dict[str, Any] | None, site_file: Path | None, paths: Paths
) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """Site destinations first; a user's destination of the same name (in any letter case)
    replaces a site one unless the site locked it; a user file can never lock anything."""
    merged: dict[str, dict[str, Any]] = {}
    sources: dict[str, str] = {}
    spelled: dict[str, str] = {}  # casefolded name -> the name as first given
    for entry in (site or {}).get("destinations", []):
        name = Destination.check(entry).name
        spelled[name.casefold()] = name
        merged[name.casefold()] = dict(entry)
        sources[f"destinations.{name}"] = f"site: {site_file}" + (
            " (locked)" if entry.get("locked") else ""
        )
    for entry in (user or {}).get("destinations", []):
        name = Destination.check(entry).name
        existing = merged.get(name.casefold())
        if existing is not None and existing.get("locked"):
            sources[f"destinations.{spelled[name.casefold()]}"] += "; the user's copy is ignored"
            continue
        sources.pop(f"destinations.{spelled.get(name.casefold(), name)}", None)
        merged[name.casefold()] = {**entry, "locked": False}
        sources[f"destinations.{name}"] = f"user: {paths.config_file}"
    return list(merged.values()), sources


def user_data(settings: Settings, loaded: Loaded) -> dict[str, Any]:
    """What the user's file should hold so that loading gives these settings, and no more:
    a value the agent left as the site or the defaults give it stays out, so that the IT
    admin's later changes to the site file still reach this desk."""
    data: dict[str, Any] = {}
    for key, value in _flatten(settings.as_dict()).items():
        if key in loaded.user_keys or value != loaded.beneath.get(key):
            table, _, name = key.rpartition(".")
            if key == "history.retention_days" and value is None:
                value = 0  # TOML has no "none": 0 keeps the history for ever
            (data.setdefault(table, {}) if table else data)[name] = value
    destinations = []
    for destination in settings.destinations:
        if destination.locked:
            continue
        if loaded.site_destinations.get(destination.name.casefold()) == destination:
            continue  # as the site file has it: the site file keeps it
        destinations.append({k: v for k, v in destination.as_dict().items() if k != "locked"})
    data["destinations"] = destinations
    data["schema_version"] = settings.schema_version
    return data


def write_file(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: a crash or a full disk leaves the old file, never half a file."""
    import tomli_w  # loaded where the settings are saved

    text = "# LeadDesk settings. Edit with care, or use Settings in LeadDesk.\n" + tomli_w.dumps(
        data
    )
    replace_file(path, text)


def save_user(paths: Paths, settings: Settings, loaded: Loaded) -> None:
    write_file(paths.config_file, user_data(settings, loaded))


def set_aside(path: Path) -> Path:
    """Keep a broken file under a dated name, so that starting over loses nothing."""
    kept = path.with_name(f"{path.name}.broken-{datetime.now():%Y%m%d-%H%M%S}")
    path.replace(kept)
    return kept
