"""Team mode as agents and supervisors use it: desks (real `leaddesk` processes, each its
own LeadDesk home) push to the floor, see it, and are held back from a household another
desk sold; without a team database, nothing changes."""

from __future__ import annotations

from pathlib import Path

from leaddesk.sandbox import Sandbox
from tests.support.cli_home import HEADER, Home, row
from tests.support.floor import FloorDesk, floor_rows, login_url


def desk(tmp_path: Path, floor: str, login: str, sandbox: Sandbox) -> FloorDesk:
    made = FloorDesk(Home(tmp_path / login), login_url(floor, login))
    made.configure(sandbox.url())
    return made


def test_a_desks_leads_reach_the_floor_with_agent_and_desk(
    tmp_path: Path, floor: str, sandbox: Sandbox
) -> None:
    ann = desk(tmp_path, floor, "ann", sandbox)
    csv = ann.home.write_csv("ann.csv", HEADER, [row(1), row(2)])
    sent = ann.run("send", csv)
    assert sent.returncode == 0, sent.stdout + sent.stderr
    floor_view = ann.floor_history()
    assert [(lead["state"], lead["agent"], lead["desk"]) for lead in floor_view] == [
        ("accepted", "ann", ann.desk_id)
    ] * 2
    own = {lead["lead"]["lead_company_unique_id"]: lead for lead in ann.home.history()}
    for lead in floor_view:
        assert own[lead["lead"]["lead_company_unique_id"]]["id"] == lead["desk_lead_id"]
    synced = ann.run("sync")
    assert synced.returncode == 0 and "0 leads new or changed" in synced.stdout, synced.stdout
    assert len(floor_rows(floor)) == 2  # pushed again, doubled never


def test_a_household_sold_at_another_desk_is_held_back(
    tmp_path: Path, floor: str, sandbox: Sandbox
) -> None:
    ann, bob = desk(tmp_path, floor, "ann", sandbox), desk(tmp_path, floor, "bob", sandbox)
    assert ann.run("send", ann.home.write_csv("a.csv", HEADER, [row(1)])).returncode == 0
    again = bob.run("send", bob.home.write_csv("b.csv", HEADER, [row(1), row(2)]))
    assert again.returncode == 0, again.stdout  # skipped as a duplicate of an accepted lead
    assert "row 2: skipped, likely a duplicate of floor lead" in again.stdout
    assert "agent ann at desk" in again.stdout
    assert "Smith1" not in again.stdout + again.stderr  # no name of another agent's lead
    assert sum(sandbox.accepted_count().values()) == 2  # row 1 once, row 2 once
    forced = bob.run("send", bob.home.write_csv("c.csv", HEADER, [row(1)]), "--allow-duplicates")
    assert forced.returncode == 0


def test_agents_see_their_own_leads_and_a_supervisor_the_whole_floor(
    tmp_path: Path, floor: str, sandbox: Sandbox
) -> None:
    ann, bob = desk(tmp_path, floor, "ann", sandbox), desk(tmp_path, floor, "bob", sandbox)
    assert ann.run("send", ann.home.write_csv("a.csv", HEADER, [row(1)])).returncode == 0
    assert bob.run("send", bob.home.write_csv("b.csv", HEADER, [row(2)])).returncode == 0
    sue = desk(tmp_path, floor, "sue", sandbox)
    assert sorted(lead["agent"] for lead in sue.floor_history()) == ["ann", "bob"]
    assert [lead["agent"] for lead in sue.floor_history("--agent", "bob")] == ["bob"]
    assert [lead["agent"] for lead in bob.floor_history()] == ["bob"]
    table = sue.run("history", "--floor")
    assert "AGENT" in table.stdout and "ann" in table.stdout and "bob" in table.stdout
    [anns] = sue.floor_history("--agent", "ann")
    details = sue.run("show", "--floor", str(anns["id"]))
    assert details.returncode == 0, details.stderr
    assert "Agent ann at desk" in details.stdout and "Smith1" in details.stdout
    hidden = bob.run("show", "--floor", str(anns["id"]))  # an agent: not another's lead
    assert hidden.returncode == 2 and "not yours to see" in hidden.stderr
    assert "Smith1" not in hidden.stdout + hidden.stderr


def test_without_a_team_database_the_floor_options_say_how_to_get_one(home: Home) -> None:
    result = home.run("history", "--floor")
    assert result.returncode == 2
    assert "not in team mode" in result.stderr and "[team] database" in result.stderr
    mixed = home.run("history", "--agent", "ann")
    assert mixed.returncode == 2 and "--agent goes with --floor" in mixed.stderr
