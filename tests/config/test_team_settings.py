"""Team mode's settings: `[team] database` in the site config, LEADDESK_TEAM_DATABASE
winning over it, and nothing changed without either."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.config import config_files
from leaddesk.config.paths import Paths
from leaddesk.config.team_settings import TEAM_DATABASE_VARIABLE, team_database, without_password
from leaddesk.domain.errors import SettingsError


def paths_with_site(tmp_path: Path, site_text: str) -> Paths:
    site = tmp_path / "site"
    site.mkdir(parents=True)
    (site / "leaddesk.toml").write_text(site_text, encoding="utf-8")
    home = tmp_path / "home"
    return Paths(home / "config", home / "data", home / "logs", home / "cache", site)


def test_without_team_settings_there_is_no_floor(tmp_path: Path) -> None:
    loaded = config_files.load(paths_with_site(tmp_path, 'agent_name = "Ann"\n'))
    assert team_database(loaded.settings.team, environ={}) == ""


def test_the_site_config_names_the_floor_and_the_variable_wins(tmp_path: Path) -> None:
    paths = paths_with_site(
        tmp_path, '[team]\ndatabase = "postgresql://desk@floor.example/leads"\n'
    )
    team = config_files.load(paths).settings.team
    assert team_database(team, environ={}) == "postgresql://desk@floor.example/leads"
    other = "postgres://other@10.0.0.5:5433/floor"
    assert team_database(team, environ={TEAM_DATABASE_VARIABLE: other}) == other


def test_a_floor_that_is_no_postgresql_address_is_reported(tmp_path: Path) -> None:
    paths = paths_with_site(tmp_path, '[team]\ndatabase = "mysql://floor/leads"\n')
    with pytest.raises(SettingsError, match=r"team\.database: .*postgresql://"):
        config_files.load(paths)
    with pytest.raises(SettingsError, match=TEAM_DATABASE_VARIABLE):
        team_database(config_files.load(paths_with_site(tmp_path / "b", "")).settings.team,
                      environ={TEAM_DATABASE_VARIABLE: "sqlite:///x"})  # fmt: skip


def test_saving_the_users_settings_leaves_the_sites_floor_in_the_site_file(
    tmp_path: Path,
) -> None:
    paths = paths_with_site(tmp_path, '[team]\ndatabase = "postgresql://desk@floor/leads"\n')
    loaded = config_files.load(paths)
    assert "team" not in config_files.user_data(loaded.settings, loaded)


def test_a_password_is_never_shown() -> None:
    shown = without_password("postgresql://ann:s3cret@floor.example:5433/leads")
    assert shown == "postgresql://ann:***@floor.example:5433/leads"
    assert without_password("postgresql://ann@floor/leads") == "postgresql://ann@floor/leads"
