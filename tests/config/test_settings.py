"""Settings without Qt: where the files live, reading, migrating and refusing them, merging
the machine-wide (site) file with the agent's own, and writing the agent's file safely.

Every test writes real TOML files under the per-test LEADDESK_HOME and LEADDESK_SITE_CONFIG
(tests/conftest.py) and reads them through the same functions LeadDesk uses.
"""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs
import pytest

from leaddesk.config import config_files
from leaddesk.config.config_files import DEFAULT, Loaded, load, read_file, save_user, set_aside
from leaddesk.config.paths import APP_NAME, CONFIG_FILE_NAME, Paths
from leaddesk.config.settings import SCHEMA_VERSION, Destination, History, Sending, Settings
from leaddesk.domain.errors import SettingsError
from tests.support.settings_files import site_file, write

ACME_URL = "https://acme.example/leadpostxml.php"
NORTH_URL = "https://north.example/leadpostxml.php"
SOUTH_URL = "https://south.example/leadpostxml.php"


@pytest.fixture
def paths() -> Paths:
    found = Paths.from_environment()
    assert found.site_config_file is not None
    return found


def write_site(paths: Paths, text: str) -> Path:
    return write(site_file(paths), text)


def write_user(paths: Paths, text: str) -> Path:
    return write(paths.config_file, text)


def problem(path: Path, text: str) -> str:
    """The SettingsError message for a file holding this text."""
    write(path, text)
    with pytest.raises(SettingsError) as caught:
        read_file(path)
    assert caught.value.path == path
    message = str(caught.value)
    assert str(path) in message, f"the message does not name the file: {message}"
    return message


SITE = """
    schema_version = 2
    agent_name = "Floor 3"

    [sending]
    batch_size = 20
    retry_limit = 4

    [history]
    retention_days = 90

    [[destinations]]
    name = "Acme"
    url = "https://acme.example/leadpostxml.php"
    source_id = "ACME"
    locked = true

    [[destinations]]
    name = "North"
    url = "https://north.example/leadpostxml.php"
    source_id = "NORTH"
"""


# --- where the files are ------------------------------------------------------------------


def test_leaddesk_home_holds_all_of_the_users_folders(tmp_path: Path) -> None:
    home = tmp_path / "portable"
    paths = Paths.from_environment(
        {"LEADDESK_HOME": str(home), "LEADDESK_SITE_CONFIG": str(tmp_path / "site")}
    )
    assert paths.config_dir == home / "config"
    assert paths.data_dir == home / "data"
    assert paths.log_dir == home / "logs"
    assert paths.cache_dir == home / "cache"
    assert paths.config_file == home / "config" / CONFIG_FILE_NAME
    assert paths.site_config_dir == tmp_path / "site"
    assert paths.site_config_file == tmp_path / "site" / CONFIG_FILE_NAME
    assert paths.database() == home / "data" / "history.sqlite3"
    assert paths.database(demo=True) == home / "data" / "demo.sqlite3"


def test_relative_and_home_relative_folders_are_made_absolute(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "me"))
    monkeypatch.chdir(tmp_path)
    paths = Paths.from_environment({"LEADDESK_HOME": "~/ld", "LEADDESK_SITE_CONFIG": "site"})
    assert paths.config_dir == tmp_path / "me" / "ld" / "config"
    assert paths.site_config_dir == tmp_path / "site"
    assert paths.config_dir.is_absolute() and paths.site_config_dir.is_absolute()


def test_without_the_variables_the_platform_folders_are_used() -> None:
    paths = Paths.from_environment({})
    assert paths.config_dir == Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))
    assert paths.data_dir == Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    assert paths.log_dir == Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))
    assert paths.cache_dir == Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False))
    assert paths.site_config_dir == Path(platformdirs.site_config_dir(APP_NAME, appauthor=False))
    assert paths.config_file.name == CONFIG_FILE_NAME


def test_an_empty_variable_counts_as_unset() -> None:
    paths = Paths.from_environment({"LEADDESK_HOME": "", "LEADDESK_SITE_CONFIG": ""})
    assert paths == Paths.from_environment({})


def test_the_tests_own_home_is_used(paths: Paths, leaddesk_home: Path) -> None:
    assert paths.config_dir == leaddesk_home / "config"
    assert site_file(paths).parent.name == "leaddesk-site"


# --- no files --------------------------------------------------------------------------------


def test_no_files_give_the_built_in_defaults(paths: Paths) -> None:
    loaded = load(paths)
    assert loaded.settings == Settings()
    assert loaded.settings.destinations == ()
    assert loaded.settings.starting_destination() is None
    assert loaded.sources.get("sending.batch_size", DEFAULT) == DEFAULT
    assert read_file(paths.config_file) is None


# --- migrations ------------------------------------------------------------------------------


VERSION_1 = """
    schema_version = 1

    [destination]
    url = "https://dealer.example/leadpostxml.php"
    source_id = "SRC9"
    campaign_id = "77"
    lead_callcenter_rep = "Pat Doe"

    [sending]
    batch_size = 5
    retry_limit = 3
"""


def test_a_version_1_file_becomes_a_default_destination_and_the_agents_name(
    paths: Paths,
) -> None:
    write_user(paths, VERSION_1)
    settings = load(paths).settings
    assert settings.schema_version == SCHEMA_VERSION
    assert settings.agent_name == "Pat Doe"
    assert [d.name for d in settings.destinations] == ["Default"]
    default = settings.destinations[0]
    assert default.url == "https://dealer.example/leadpostxml.php"
    assert default.source_id == "SRC9"
    assert default.campaign_id == "77"
    assert settings.default_destination == "Default"
    assert settings.starting_destination() == default
    assert settings.sending.batch_size == 5
    assert settings.sending.retry_limit == 3
    assert default.lead_defaults(settings.agent_name)["lead_callcenter_rep"] == "Pat Doe"


def test_a_file_without_schema_version_is_read_as_version_1(paths: Paths) -> None:
    write_user(paths, VERSION_1.replace("schema_version = 1", ""))
    settings = load(paths).settings
    assert [d.name for d in settings.destinations] == ["Default"]
    assert settings.destinations[0].source_id == "SRC9"
    assert settings.agent_name == "Pat Doe"


def test_a_version_1_file_with_only_the_agents_name_has_no_destination(paths: Paths) -> None:
    write_user(paths, '[destination]\nlead_callcenter_rep = "Pat Doe"\n')
    settings = load(paths).settings
    assert settings.destinations == ()
    assert settings.agent_name == "Pat Doe"


def test_a_migrated_file_is_saved_in_the_current_schema(paths: Paths) -> None:
    write_user(paths, VERSION_1)
    loaded = load(paths)
    save_user(paths, loaded.settings, loaded)
    data = read_file(paths.config_file)
    assert data is not None
    assert data["schema_version"] == SCHEMA_VERSION
    assert "destination" not in data
    assert load(paths).settings == loaded.settings


def test_a_file_from_a_newer_leaddesk_is_refused_naming_the_file(paths: Paths) -> None:
    message = problem(paths.config_file, f"schema_version = {SCHEMA_VERSION + 1}\n")
    assert "newer LeadDesk" in message
    assert f"schema_version {SCHEMA_VERSION + 1}" in message


@pytest.mark.parametrize("version", ["0", "-1", '"two"'])
def test_a_nonsense_schema_version_is_refused(paths: Paths, version: str) -> None:
    message = problem(paths.config_file, f"schema_version = {version}\n")
    assert "schema_version" in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("[sending]\nread_timeout = true\n", "sending.read_timeout"),
        ("[sending]\nbatch_size = true\n", "sending.batch_size"),
        ('[sending]\nbatch_size = "10"\n', "sending.batch_size"),
        ("[sending]\nbatch_size = 10.0\n", "sending.batch_size"),
        ("[history]\nretention_days = false\n", "history.retention_days"),
        ("[history]\nretention_days = true\n", "history.retention_days"),
        ("[[destinations]]\nname = 'A'\nlocked = 1\n", "destinations.0.locked"),
        ("[[destinations]]\nname = 'A'\narchived = 'yes'\n", "destinations.0.archived"),
    ],
)
def test_a_value_of_the_wrong_type_is_refused_not_converted(
    paths: Paths, text: str, where: str
) -> None:
    message = problem(paths.config_file, "schema_version = 2\n" + text)
    assert where in message


def test_schema_version_true_is_no_version(paths: Paths) -> None:
    assert "schema_version" in problem(paths.config_file, "schema_version = true\n")


def test_whole_numbers_are_taken_where_seconds_may_have_decimals(paths: Paths) -> None:
    write_user(paths, "[sending]\nread_timeout = 12\nbackoff_seconds = 0.5\n")
    sending = load(paths).settings.sending
    assert sending.read_timeout == 12.0 and isinstance(sending.read_timeout, float)
    assert sending.backoff_seconds == 0.5


@pytest.mark.parametrize("opening", ["[", "{a = "])
def test_a_file_nested_too_deeply_is_a_clear_error_naming_it(paths: Paths, opening: str) -> None:
    closing = "]" if opening == "[" else "}"
    message = problem(paths.config_file, f"x = {opening * 10_000}{closing * 10_000}\n")
    assert "nested too deeply to read" in message


# --- broken files ----------------------------------------------------------------------------


def test_invalid_toml_names_the_file_and_the_line(paths: Paths) -> None:
    message = problem(paths.config_file, 'agent_name = "Pat\n[sending\n')
    assert "not valid TOML" in message
    assert "line 1" in message


def test_a_file_that_is_not_utf8_names_the_file(paths: Paths) -> None:
    paths.config_file.parent.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_bytes(b'agent_name = "Jos\xe9"\n')
    with pytest.raises(SettingsError) as caught:
        read_file(paths.config_file)
    assert str(paths.config_file) in str(caught.value)
    assert caught.value.path == paths.config_file


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        (
            '[sending]\nbatch_size = "ten"\n',
            "sending.batch_size",
            "must be a whole number, not text",
        ),
        (
            "[sending]\nbatch_size = 2.5\n",
            "sending.batch_size",
            "must be a whole number, not a number",
        ),
        ("[sending]\nbatch_size = true\n", "sending.batch_size", "whole number, not true or false"),
        ("[sending]\nbatch_size = 0\n", "sending.batch_size", "must be at least 1"),
        ("[sending]\nbatch_size = 101\n", "sending.batch_size", "must be at most 100"),
        ("[sending]\nconnect_timeout = -1\n", "sending.connect_timeout", "must be more than 0"),
        ("[sending]\nread_timeout = nan\n", "sending.read_timeout", "not nan or inf"),
        ("[sending]\nbackoff_seconds = -inf\n", "sending.backoff_seconds", "not nan or inf"),
        ('[sending]\nread_timeout = "30"\n', "sending.read_timeout", "must be a number, not text"),
        ("[history]\nretention_days = -5\n", "history.retention_days", "must be at least 1"),
        ("[history]\nretention_days = false\n", "history.retention_days", "not true or false"),
        ('destinations = "Acme"\n', "destinations", "must be a list of tables, not text"),
        ("destinations = [5]\n", "destinations.0", "must be a table, not a whole number"),
        ('sending = "fast"\n', "sending", "must be a table, not text"),
        ("[[destinations]]\nname = 5\n", "destinations.0.name", "must be text"),
        ('[[destinations]]\nname = ""\n', "destinations.0.name", "at least 1 character"),
        ('[[destinations]]\nname = "A"\nsource_id = 123\n', "destinations.0.source_id", "text"),
        (
            '[[destinations]]\nname = "A"\nlocked = "yes"\n',
            "destinations.0.locked",
            "true or false",
        ),
    ],
)
def test_wrong_types_and_ranges_name_the_file_and_the_setting(
    paths: Paths, text: str, where: str, what: str
) -> None:
    message = problem(paths.config_file, "schema_version = 2\n" + text)
    assert f"  {where}: " in message
    assert what in message


def test_a_plain_http_dealer_address_is_refused(paths: Paths) -> None:
    message = problem(
        paths.config_file,
        """
        schema_version = 2
        [[destinations]]
        name = "Acme"
        url = "http://acme.example/leadpostxml.php"
        source_id = "ACME"
        """,
    )
    assert "destinations.0.url" in message
    assert "plain http" in message
    assert "https://" in message


def test_plain_http_to_this_machine_is_allowed(paths: Paths) -> None:
    write_user(
        paths,
        """
        schema_version = 2
        [[destinations]]
        name = "Sandbox"
        url = "http://127.0.0.1:8765/demo/leadpostxml.php"
        source_id = "DEMO"
        """,
    )
    assert load(paths).settings.destinations[0].url.startswith("http://127.0.0.1")


def test_a_bad_lead_field_value_in_a_destination_is_refused(paths: Paths) -> None:
    message = problem(
        paths.config_file,
        """
        schema_version = 2
        [[destinations]]
        name = "Acme"
        lead_purchase_price = "a lot"
        """,
    )
    assert "destinations.0.lead_purchase_price" in message


def test_duplicate_destination_names_are_refused(paths: Paths) -> None:
    message = problem(
        paths.config_file,
        """
        schema_version = 2
        [[destinations]]
        name = "Acme"
        [[destinations]]
        name = "  acme "
        """,
    )
    assert 'two destinations are named "acme"' in message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('agent = "Pat"\n', "agent"),
        ("[sending]\nbatchsize = 5\n", "sending.batchsize"),
        ('[[destinations]]\nname = "A"\nsourceid = "X"\n', "destinations.0.sourceid"),
    ],
)
def test_unknown_keys_are_refused_not_ignored(paths: Paths, text: str, where: str) -> None:
    message = problem(paths.config_file, "schema_version = 2\n" + text)
    assert f"  {where}: is not a setting LeadDesk knows (a typing mistake?)" in message


def test_load_reports_a_broken_user_file_as_settings_error(paths: Paths) -> None:
    write_user(paths, "[sending]\nbatch_size = 1000\n")
    with pytest.raises(SettingsError) as caught:
        load(paths)
    assert caught.value.path == paths.config_file


def test_load_reports_a_broken_site_file_with_its_path(paths: Paths) -> None:
    write_site(paths, "[[destinations]\n")
    with pytest.raises(SettingsError) as caught:
        load(paths)
    assert caught.value.path == site_file(paths)
    assert str(site_file(paths)) in str(caught.value)


def test_load_can_leave_a_broken_site_file_out(paths: Paths) -> None:
    write_site(paths, "[[destinations]\n")
    write_user(paths, 'schema_version = 2\nagent_name = "Pat"\n')
    assert load(paths, use_site=False).settings.agent_name == "Pat"


# --- merging the site file and the agent's -------------------------------------------------


def test_site_destinations_appear_for_the_agent(paths: Paths) -> None:
    write_site(paths, SITE)
    loaded = load(paths)
    names = [(d.name, d.locked) for d in loaded.settings.destinations]
    assert names == [("Acme", True), ("North", False)]
    assert set(loaded.site_destinations) == {"acme", "north"}
    assert loaded.sources["destinations.Acme"] == f"site: {site_file(paths)} (locked)"
    assert loaded.sources["destinations.North"] == f"site: {site_file(paths)}"


def test_a_locked_site_destination_cannot_be_overridden_by_the_user(paths: Paths) -> None:
    write_site(paths, SITE)
    write_user(
        paths,
        """
        schema_version = 2
        [[destinations]]
        name = "Acme"
        url = "https://evil.example/leadpostxml.php"
        source_id = "MINE"
        """,
    )
    loaded = load(paths)
    acme = loaded.settings.destination("Acme")
    assert acme is not None
    assert (acme.url, acme.source_id, acme.locked) == (ACME_URL, "ACME", True)
    source = loaded.sources["destinations.Acme"]
    assert source.startswith(f"site: {site_file(paths)} (locked)")
    assert "the user's copy is ignored" in source


def test_a_locked_site_destination_wins_whatever_case_the_user_gives_its_name(
    paths: Paths,
) -> None:
    """BUG: a user entry named "acme" for the site's locked "Acme" raises KeyError in
    _merge_destinations (sources is keyed by the site's spelling); LeadDesk and
    `config show` crash with a traceback instead of ignoring the user's copy."""
    write_site(paths, SITE)
    write_user(
        paths,
        """
        schema_version = 2
        [[destinations]]
        name = "acme"
        url = "https://evil.example/leadpostxml.php"
        source_id = "MINE"
        """,
    )
    loaded = load(paths)
    assert [d.source_id for d in loaded.settings.destinations] == ["ACME", "NORTH"]
    assert "the user's copy is ignored" in loaded.sources["destinations.Acme"]


def test_an_unlocked_site_destination_can_be_overridden_by_the_user(paths: Paths) -> None:
    write_site(paths, SITE)
    write_user(
        paths,
        """
        schema_version = 2
        [[destinations]]
        name = "North"
        url = "https://north.example/leadpostxml.php"
        source_id = "NORTH-7"
        campaign_id = "7"
        """,
    )
    loaded = load(paths)
    north = loaded.settings.destination("North")
    assert north is not None
    assert (north.source_id, north.campaign_id, north.locked) == ("NORTH-7", "7", False)
    assert loaded.sources["destinations.North"] == f"user: {paths.config_file}"
    assert [d.name for d in loaded.settings.destinations] == ["Acme", "North"]


def test_a_user_file_can_never_lock_a_destination(paths: Paths) -> None:
    write_site(paths, SITE)
    write_user(
        paths,
        """
        schema_version = 2
        [[destinations]]
        name = "North"
        url = "https://north.example/leadpostxml.php"
        source_id = "NORTH"
        locked = true
        [[destinations]]
        name = "South"
        url = "https://south.example/leadpostxml.php"
        source_id = "SOUTH"
        locked = true
        """,
    )
    settings = load(paths).settings
    assert {d.name: d.locked for d in settings.destinations} == {
        "Acme": True,
        "North": False,
        "South": False,
    }


def test_without_a_site_file_a_user_lock_is_dropped_too(paths: Paths) -> None:
    write_user(
        paths,
        f'schema_version = 2\n[[destinations]]\nname = "Mine"\nurl = "{SOUTH_URL}"\n'
        "locked = true\n",
    )
    assert [d.locked for d in load(paths).settings.destinations] == [False]


def test_values_come_from_user_then_site_then_default_with_sources(paths: Paths) -> None:
    write_site(paths, SITE)
    write_user(
        paths,
        """
        schema_version = 2
        [sending]
        retry_limit = 2
        [history]
        retention_days = 30
        """,
    )
    loaded = load(paths)
    sending, history = loaded.settings.sending, loaded.settings.history
    site_label, user_label = f"site: {site_file(paths)}", f"user: {paths.config_file}"
    assert sending.batch_size == 20  # site
    assert loaded.sources["sending.batch_size"] == site_label
    assert sending.retry_limit == 2  # user over site
    assert loaded.sources["sending.retry_limit"] == user_label
    assert sending.read_timeout == Sending().read_timeout  # default
    assert loaded.sources.get("sending.read_timeout", DEFAULT) == DEFAULT
    assert history.retention_days == 30
    assert loaded.sources["history.retention_days"] == user_label
    assert loaded.settings.agent_name == "Floor 3"
    assert loaded.sources["agent_name"] == site_label


def test_the_users_agent_name_wins_over_the_sites(paths: Paths) -> None:
    write_site(paths, SITE)
    write_user(paths, 'schema_version = 2\nagent_name = "Pat Doe"\n')
    loaded = load(paths)
    assert loaded.settings.agent_name == "Pat Doe"
    assert loaded.sources["agent_name"] == f"user: {paths.config_file}"


# --- saving the agent's file -----------------------------------------------------------------


def user_file_destinations(paths: Paths) -> dict[str, dict[str, object]]:
    data = read_file(paths.config_file)
    assert data is not None
    return {str(entry["name"]): entry for entry in data["destinations"]}


def test_save_writes_the_agents_destinations_but_not_the_sites(paths: Paths) -> None:
    write_site(paths, SITE)
    loaded = load(paths)
    south = Destination(name="South", url=SOUTH_URL, source_id="SOUTH")
    changed = loaded.settings.replace(
        **{"destinations": (*loaded.settings.destinations, south), "agent_name": "Pat"}
    )
    save_user(paths, changed, loaded)
    assert list(user_file_destinations(paths)) == ["South"]
    assert "locked" not in user_file_destinations(paths)["South"]
    again = load(paths)
    assert again.settings == changed
    assert again.sources["destinations.South"] == f"user: {paths.config_file}"
    assert again.sources["destinations.Acme"] == f"site: {site_file(paths)} (locked)"


def test_save_keeps_an_edited_site_destination_in_the_users_file(paths: Paths) -> None:
    write_site(paths, SITE)
    loaded = load(paths)
    north = Destination(name="North", url=NORTH_URL, source_id="NORTH-2")
    acme = loaded.settings.destinations[0]
    changed = loaded.settings.replace(destinations=(acme, north))
    save_user(paths, changed, loaded)
    assert list(user_file_destinations(paths)) == ["North"]
    assert load(paths).settings == changed


def test_a_locked_destination_is_never_written_even_if_changed(paths: Paths) -> None:
    write_site(paths, SITE)
    loaded = load(paths)
    acme, north = loaded.settings.destinations
    tampered = acme.replace(source_id="MINE")
    save_user(paths, loaded.settings.replace(destinations=(tampered, north)), loaded)
    assert user_file_destinations(paths) == {}
    acme_again = load(paths).settings.destination("Acme")
    assert acme_again is not None and acme_again.source_id == "ACME"


def test_saving_unchanged_settings_keeps_the_users_override_of_a_site_destination(
    paths: Paths,
) -> None:
    """BUG: user_data() skips a destination the site also has when it equals what was
    loaded; but what was loaded is the *user's* override, so saving unchanged settings
    (e.g. after changing only the agent's name) drops the override from the user file
    and the next load gives the site's version back."""
    write_site(paths, SITE)
    write_user(
        paths,
        f'schema_version = 2\n[[destinations]]\nname = "North"\nurl = "{NORTH_URL}"\n'
        'source_id = "NORTH-7"\n',
    )
    loaded = load(paths)
    save_user(paths, loaded.settings, loaded)
    north = load(paths).settings.destination("North")
    assert north is not None
    assert north.source_id == "NORTH-7"


def test_save_leaves_values_the_agent_did_not_change_to_the_site(paths: Paths) -> None:
    """BUG (roll-out): save_user copies every sending value, and the site's agent name,
    into the user's file even when the agent changed none of them; from then on that
    desk shows them as "user" and ignores the admin's later changes to the site file."""
    write_site(paths, SITE)
    loaded = load(paths)
    south = Destination(name="South", url=SOUTH_URL, source_id="SOUTH")
    changed = loaded.settings.replace(destinations=(*loaded.settings.destinations, south))
    save_user(paths, changed, loaded)
    write_site(paths, SITE.replace("batch_size = 20", "batch_size = 30"))
    again = load(paths)
    assert again.settings.sending.batch_size == 30
    assert again.sources["sending.batch_size"] == f"site: {site_file(paths)}"


def test_load_after_save_gives_the_same_settings(paths: Paths) -> None:
    write_user(
        paths,
        f"""
        schema_version = 2
        agent_name = "Pat Doe"
        default_destination = "South"
        [sending]
        batch_size = 3
        backoff_seconds = 0.5
        [history]
        retention_days = 14
        [[destinations]]
        name = "South"
        url = "{SOUTH_URL}"
        source_id = "SOUTH"
        campaign_id = "12"
        lead_type_id = "2"
        lead_purchase_price = "27.5"
        lead_source_info = "Cold Call"
        lead_promo_code = "SPRING"
        [[destinations]]
        name = "Old"
        url = "{NORTH_URL}"
        source_id = "OLD"
        archived = true
        """,
    )
    loaded = load(paths)
    save_user(paths, loaded.settings, loaded)
    assert load(paths).settings == loaded.settings
    assert load(paths).settings.offered() == [loaded.settings.destinations[0]]
    text = paths.config_file.read_text(encoding="utf-8")
    assert text.startswith("# LeadDesk settings.")


def test_retention_kept_for_ever_is_saved_and_read_back(paths: Paths) -> None:
    loaded = load(paths)
    save_user(paths, loaded.settings, loaded)
    assert load(paths).settings.history.retention_days is None


def test_keeping_history_for_ever_wins_over_the_sites_retention(paths: Paths) -> None:
    """BUG: the site keeps history 90 days; the agent chooses "for ever" (None), but
    user_data() drops None values, so nothing is saved and the site's 90 days return."""
    write_site(paths, SITE)
    loaded = load(paths)
    forever = loaded.settings.replace(history=History(retention_days=None))
    save_user(paths, forever, loaded)
    assert load(paths).settings.history.retention_days is None


# --- writing safely --------------------------------------------------------------------------


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".leaddesk-"))


def test_write_file_replaces_the_file_and_leaves_no_temporary_file(paths: Paths) -> None:
    write_user(paths, 'schema_version = 2\nagent_name = "Old"\n')
    config_files.write_file(paths.config_file, {"schema_version": 2, "agent_name": "New"})
    assert load(paths).settings.agent_name == "New"
    assert leftovers(paths.config_dir) == []


def test_a_failed_write_leaves_the_old_file_whole_and_no_temporary_file(paths: Paths) -> None:
    old = write_user(paths, 'schema_version = 2\nagent_name = "Old"\n').read_bytes()
    # A lone surrogate serialises, but cannot be encoded: the write fails half way.
    with pytest.raises(UnicodeEncodeError):
        config_files.write_file(paths.config_file, {"schema_version": 2, "agent_name": "\ud800"})
    assert paths.config_file.read_bytes() == old
    assert leftovers(paths.config_dir) == []


def test_a_failed_rename_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "conf" / "leaddesk.toml"
    (target / "in-the-way").mkdir(parents=True)  # a non-empty folder where the file goes
    with pytest.raises(OSError):
        config_files.write_file(target, {"schema_version": 2})
    assert leftovers(target.parent) == []
    assert (target / "in-the-way").is_dir()


def test_a_folder_that_cannot_be_made_raises_oserror_and_touches_nothing(
    tmp_path: Path,
) -> None:
    original = tmp_path / "elsewhere.toml"
    original.write_text('agent_name = "Kept"\n', encoding="utf-8")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file", encoding="utf-8")
    with pytest.raises(OSError):
        config_files.write_file(blocker / "leaddesk.toml", {"schema_version": 2})
    assert blocker.read_text(encoding="utf-8") == "a file"
    assert original.read_text(encoding="utf-8") == 'agent_name = "Kept"\n'


# --- setting a broken file aside ------------------------------------------------------------


def test_set_aside_keeps_the_broken_file_under_a_dated_name(paths: Paths) -> None:
    broken = write_user(paths, "this is [not toml\n")
    kept = set_aside(broken)
    assert not broken.exists()
    assert kept.parent == broken.parent
    assert re.fullmatch(rf"{re.escape(CONFIG_FILE_NAME)}\.broken-\d{{8}}-\d{{6}}", kept.name)
    assert kept.read_text(encoding="utf-8") == "this is [not toml\n"
    assert load(paths).settings == Settings()


def test_loaded_defaults_when_nothing_is_there() -> None:
    assert Loaded(Settings()).sources == {}
    assert Loaded(Settings()).site_destinations == {}
