"""`leaddesk config show|check` and `--destination` on the command line, as an IT admin and
an agent run them: real processes against the per-test LEADDESK_HOME and site folder, and
sandboxes standing in for two dealers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from leaddesk.cli.main import main
from leaddesk.config import config_files
from leaddesk.config.paths import Paths
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from tests.support.settings_files import site_file, write

QUICK_SENDING = """
    [sending]
    retry_limit = 2
    backoff_seconds = 0.05
    backoff_max_seconds = 0.1
    connect_timeout = 2
    read_timeout = 5
    deadline = 10
"""


@pytest.fixture
def paths() -> Paths:
    return Paths.from_environment()


def run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    """The CLI in a process of its own, with this test's LEADDESK_HOME and site folder."""
    return subprocess.run(
        [sys.executable, "-m", "leaddesk", *map(str, args)],
        env=dict(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.fixture
def dealers() -> Iterator[tuple[Sandbox, Sandbox]]:
    with Sandbox() as north, Sandbox() as south:
        yield north, south


def configure_two(paths: Paths, north: Sandbox, south: Sandbox) -> None:
    write(
        paths.config_file,
        f"""
        schema_version = 2
        default_destination = "North"
        [[destinations]]
        name = "North"
        url = "{north.url("north")}"
        source_id = "NORTH1"
        campaign_id = "11"
        [[destinations]]
        name = "South"
        url = "{south.url("south")}"
        source_id = "SOUTH2"
        campaign_id = "22"
        [[destinations]]
        name = "Gone"
        url = "{south.url("gone")}"
        source_id = "GONE"
        archived = true
        """
        + textwrap.dedent(QUICK_SENDING),
    )


def one_lead_csv(folder: Path) -> Path:
    path = folder / "leads.csv"
    path.write_text(
        "fname,lname,phone1,city,state\r\nAnn,Smith,8013127735,Boise,ID\r\n", encoding="utf-8"
    )
    return path


# --- config show ------------------------------------------------------------------------------


def test_show_prints_each_value_with_where_it_came_from(paths: Paths) -> None:
    write(
        site_file(paths),
        """
        schema_version = 2
        agent_name = "Floor 3"
        [sending]
        batch_size = 20
        retry_limit = 4
        [[destinations]]
        name = "Acme"
        url = "https://acme.example/leadpostxml.php"
        source_id = "ACME"
        locked = true
        [[destinations]]
        name = "North"
        url = "https://north.example/leadpostxml.php"
        source_id = "NORTH"
        """,
    )
    write(
        paths.config_file,
        """
        schema_version = 2
        [sending]
        retry_limit = 2
        [[destinations]]
        name = "Acme"
        url = "https://evil.example/leadpostxml.php"
        source_id = "MINE"
        [[destinations]]
        name = "Mine"
        url = "https://mine.example/leadpostxml.php"
        source_id = "MINE"
        archived = true
        """,
    )
    result = run("config", "show")
    assert result.returncode == 0, result.stderr
    out = result.stdout.splitlines()
    site, user = f"site: {site_file(paths)}", f"user: {paths.config_file}"
    assert f"user config: {paths.config_file}" in out
    assert f"site config: {site_file(paths)}" in out
    assert f'agent_name = "Floor 3"    # {site}' in out
    assert 'default_destination = ""    # default' in out
    assert f"batch_size = 20    # {site}" in out
    assert f"retry_limit = 2    # {user}" in out
    assert "read_timeout = 30.0    # default" in out
    assert "retention_days = 0    # default (0: kept for ever)" in out
    headers = [line for line in out if line.startswith("[[destinations]]")]
    assert headers == [
        f'[[destinations]]  # "Acme", {site} (locked); the user\'s copy is ignored',
        f'[[destinations]]  # "North", {site}',
        f'[[destinations]]  # "Mine", {user}',
    ]
    acme = out[out.index(headers[0]) : out.index(headers[1])]
    assert 'url = "https://acme.example/leadpostxml.php"' in acme
    assert 'source_id = "ACME"' in acme
    assert "# locked" in acme
    north = out[out.index(headers[1]) : out.index(headers[2])]
    assert not any(line.startswith("# ") for line in north)
    assert "# archived" in out[out.index(headers[2]) :]


def test_show_without_any_file_says_so_and_how_to_add_a_destination(paths: Paths) -> None:
    result = run("config", "show")
    assert result.returncode == 0, result.stderr
    assert f"user config: {paths.config_file} (none)" in result.stdout
    assert f"site config: {site_file(paths)} (none)" in result.stdout
    assert "batch_size = 10    # default" in result.stdout
    assert "(no destinations: add one in LeadDesk's settings, or try --demo)" in result.stdout


def test_show_with_a_broken_user_file_names_it_and_exits_2(paths: Paths) -> None:
    write(paths.config_file, "[sending]\nbatch_size = 0\n")
    result = run("config", "show")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("leaddesk: ")
    assert str(paths.config_file) in result.stderr
    assert "sending.batch_size" in result.stderr


def test_show_prints_settings_as_a_toml_file_holds_them(paths: Paths) -> None:
    write(paths.config_file, 'agent_name = "Pat \\"Q\\" O\'Neil"\n[sending]\nread_timeout = 12\n')
    result = run("config", "show")
    assert result.returncode == 0, result.stderr
    assert "None" not in result.stdout
    body = result.stdout[result.stdout.index("agent_name") : result.stdout.index("\n(no dest")]
    shown = tomllib.loads(body)  # every line can be copied into a config file
    assert shown["agent_name"] == 'Pat "Q" O\'Neil'
    assert shown["sending"]["read_timeout"] == 12.0
    assert shown["history"] == {"retention_days": 0}
    assert config_files.check(paths.config_file, shown).history.retention_days is None


def test_a_site_file_nested_too_deeply_stops_each_command_with_a_clear_error(
    paths: Paths,
) -> None:
    write(site_file(paths), "x = " + "[" * 10_000 + "]" * 10_000 + "\n")
    for command in (("config", "show"), ("history",)):
        result = run(*command)
        assert result.returncode == 2, result.stdout + result.stderr
        assert "Traceback" not in result.stderr and "RecursionError" not in result.stderr
        assert result.stderr.startswith(f"leaddesk: The config file {site_file(paths)} is nested")


# --- config check -----------------------------------------------------------------------------


def test_check_accepts_a_good_file_and_lists_its_destinations(tmp_path: Path) -> None:
    good = write(
        tmp_path / "rollout.toml",
        """
        schema_version = 2
        [[destinations]]
        name = "Acme"
        url = "https://acme.example/leadpostxml.php"
        source_id = "ACME"
        locked = true
        [[destinations]]
        name = "North"
        url = "https://north.example/leadpostxml.php"
        """,
    )
    result = run("config", "check", good)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == (
        f"{good} is a valid LeadDesk config: destinations Acme (locked), North."
    )


def test_check_refuses_a_bad_file_in_a_real_process(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "rollout.toml", "[[destinations]]\nname = 'A'\nurl = 'http://a.example'\n"
    )
    result = run("config", "check", bad)
    assert result.returncode == 2
    said = result.stdout + result.stderr
    assert "Traceback" not in said
    assert f"leaddesk: The config file {bad}" in said
    assert "destinations.0.url" in said and "plain http" in said


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("[sending\n", ["not valid TOML"]),
        ("schema_version = 99\n", ["newer LeadDesk"]),
        ('[sending]\nbatch_size = "x"\n', ["sending.batch_size"]),
        ("[sending]\nbatchsize = 5\n", ["sending.batchsize", "not a setting LeadDesk knows"]),
        ("[[destinations]]\nname = 'A'\n[[destinations]]\nname = 'a'\n", ["two destinations"]),
    ],
)
def test_check_refuses_bad_files_with_a_clear_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, words: list[str]
) -> None:
    bad = write(tmp_path / "rollout.toml", text)
    assert main(["config", "check", str(bad)]) == 2
    captured = capsys.readouterr()
    said = captured.out + captured.err
    assert str(bad) in said
    for word in words:
        assert word in said


def test_check_of_a_missing_file_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.toml"
    assert main(["config", "check", str(missing)]) == 2
    captured = capsys.readouterr()
    assert f"{missing} does not exist" in captured.out + captured.err


def test_check_migrates_an_old_file_before_judging_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(
        tmp_path / "old.toml",
        '[destination]\nurl = "https://a.example/x"\nsource_id = "S"\n',
    )
    assert main(["config", "check", str(old)]) == 0
    assert "destinations Default." in capsys.readouterr().out


# --- send --destination -----------------------------------------------------------------------


def test_send_to_a_named_destination_uses_its_url_and_source_id(
    paths: Paths, tmp_path: Path, dealers: tuple[Sandbox, Sandbox]
) -> None:
    north, south = dealers
    configure_two(paths, north, south)
    result = run("send", one_lead_csv(tmp_path), "--destination", "south")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "accepted" in result.stdout
    assert north.accepted == []
    assert [(lead["source_id"], lead["campaign_id"]) for lead in south.accepted] == [
        ("SOUTH2", "22")
    ]
    with Store(paths.database()) as store:
        (stored,) = store.history()
    assert stored.state is State.ACCEPTED
    assert stored.destination == south.url("south")
    assert stored.destination_name == "South"


def test_send_without_destination_uses_the_default_one(
    paths: Paths, tmp_path: Path, dealers: tuple[Sandbox, Sandbox]
) -> None:
    north, south = dealers
    configure_two(paths, north, south)
    result = run("send", one_lead_csv(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert [lead["source_id"] for lead in north.accepted] == ["NORTH1"]
    assert south.accepted == []


def test_send_to_an_unknown_destination_names_the_configured_ones(
    paths: Paths, tmp_path: Path, dealers: tuple[Sandbox, Sandbox]
) -> None:
    north, south = dealers
    configure_two(paths, north, south)
    result = run("send", one_lead_csv(tmp_path), "--destination", "West")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        'leaddesk: No destination is named "West" (configured: North, South).'
    )
    assert north.accepted == [] and south.accepted == []
    assert north.posts == 0 and south.posts == 0


def history_json(paths: Paths, destination_name: str, url: str) -> list[dict[str, Any]]:
    lead = Lead.parse(
        {
            "source_id": "SOUTH2",
            "fname": "Ann",
            "lname": "Smith",
            "city": "Boise",
            "state": "ID",
            "phone1": "8013127735",
        }
    )
    with Store(paths.database()) as store:
        store.add(lead, url, destination_name=destination_name)
    result = run("history", "--json")
    assert result.returncode == 0, result.stderr
    records: list[dict[str, Any]] = json.loads(result.stdout)
    return records


def test_history_json_has_the_url_each_lead_went_to(paths: Paths) -> None:
    (record,) = history_json(paths, "South", "https://south.example/leadpostxml.php")
    assert record["destination"] == "https://south.example/leadpostxml.php"


def test_history_json_names_the_destination_each_lead_went_to(paths: Paths) -> None:
    """BUG: the store records destination_name ("every lead in history records which
    destination it went to"), but `history --json` (lead_record) leaves it out: only the
    URL is there, so a script cannot tell which dealer a lead was for."""
    (record,) = history_json(paths, "South", "https://south.example/leadpostxml.php")
    assert record.get("destination_name") == "South"


def test_a_locked_site_destination_cannot_be_overridden_on_the_command_line(
    leaddesk_home: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    site = Path(os.environ["LEADDESK_SITE_CONFIG"])
    site.mkdir(parents=True, exist_ok=True)
    (site / "leaddesk.toml").write_text(
        'schema_version = 2\n[[destinations]]\nname = "Acme"\n'
        'url = "https://acme.example/leadpostxml.php"\nsource_id = "A1"\nlocked = true\n',
        encoding="utf-8",
    )
    csv = tmp_path / "leads.csv"
    csv.write_text("fname,lname,city,state,phone1\nAnn,Lee,Boise,ID,2085550143\n")
    code = main(["send", str(csv), "--destination", "Acme", "--source-id", "OTHER"])
    assert code == 2
    assert "locked" in capsys.readouterr().err


def test_check_refuses_a_wire_format_leaddesk_does_not_know(tmp_path: Path) -> None:
    bad = write(
        tmp_path / "rollout.toml",
        """
        [[destinations]]
        name = "Acme"
        url = "https://acme.example/leadpostxml.php"
        wire_format = "securitytrax-json"
        """,
    )
    result = run("config", "check", bad)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert f'{bad}: the destination "Acme" speaks no wire format' in result.stderr
    assert "it knows: securitytrax-xml" in result.stderr
