"""Issue 15: the files call floors already have, each in its own layout, encoding and
delimiter, sent with `leaddesk send` to the sandbox: the dealer gets the right values, and
never another system's id as its source or campaign; `--dry-run` sends nothing; `--map`
places any other layout."""

from __future__ import annotations

import re
from pathlib import Path

from leaddesk.sandbox import Sandbox
from tests.support.cli_home import Home
from tests.support.lead_layouts import (
    BOBERDOO_COLUMNS,
    FACEBOOK_COLUMNS,
    FOREIGN_CAMPAIGN,
    FOREIGN_LIST,
    FOREIGN_SOURCE,
    GOOGLE_ADS_COLUMNS,
    LEADCONDUIT_COLUMNS,
    boberdoo_row,
    facebook_row,
    google_row,
    leadconduit_row,
    vicidial_row,
    write_table,
    write_vicidial,
    write_vicidial_import,
)


def sent(home: Home, sandbox: Sandbox, path: Path, count: int) -> dict[str, dict[str, str]]:
    """Send the file; the leads the sandbox accepted, by phone1."""
    result = home.run("send", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.rstrip().splitlines()[-1] == f"{count} leads: {count} accepted."
    by_phone = {lead["phone1"]: lead for lead in sandbox.accepted}
    assert len(by_phone) == count
    for lead in by_phone.values():
        assert lead["source_id"] == "SRC1", "the destination's own, from the config file"
        assert lead.get("campaign_id", "") == ""
    return by_phone


def test_a_vicidial_list_export_sends_the_leads_and_none_of_vicidials_ids(
    home: Home, sandbox: Sandbox
) -> None:
    path = write_vicidial(home.root.parent, [vicidial_row(1), vicidial_row(2)])
    leads = sent(home, sandbox, path, 2)
    ann = leads["2085550001"]
    assert (ann["fname"], ann["lname"]) == ("Ann1", "O'Brien1")
    assert (ann["address1"], ann["city"], ann["state"], ann["zip"]) == (
        "12 Elm St", "Boise", "ID", "83702",
    )  # fmt: skip
    assert ann["phone4"] == "2085550199" and ann["email"] == "ann1@example.com"
    assert ann["lead_comments"] == 'gate code 44\nsays "call after 5"'  # !N is a line break
    assert ann["lead_company_unique_id"] == "VL-1"  # the vendor lead code: the floor's id
    for lead in leads.values():
        for foreign in (FOREIGN_SOURCE, FOREIGN_LIST, "5001", "5002", "agent007"):
            assert foreign not in lead.values()


def test_a_vicidial_standard_import_file_has_no_header_and_every_row_is_sent(
    home: Home, sandbox: Sandbox
) -> None:
    """VICIdial's own import format: pipes and no header row. Its first row is a lead, not
    a header to refuse; its source and list ids stay VICIdial's."""
    path = home.root.parent / "new_leads.txt"
    write_vicidial_import(path, [vicidial_row(1), vicidial_row(2), vicidial_row(3)])
    leads = sent(home, sandbox, path, 3)
    ann = leads["2085550001"]
    assert (ann["fname"], ann["lname"], ann["address1"], ann["zip"]) == (
        "Ann1", "O'Brien1", "12 Elm St", "83702",
    )  # fmt: skip
    assert ann["phone4"] == "2085550199" and ann["email"] == "ann1@example.com"
    assert ann["lead_comments"] == 'gate code 44 says "call after 5"'  # quotes as written
    assert ann["lead_company_unique_id"] == "VL-1"
    for lead in leads.values():
        assert FOREIGN_SOURCE not in lead.values() and FOREIGN_LIST not in lead.values()


def test_a_standard_import_whose_first_lead_has_no_phone_sends_the_others(
    home: Home, sandbox: Sandbox
) -> None:
    """VICIdial's loader skips a lead without a phone; LeadDesk sends the rest and names
    row 1 as not sent (the whole file was refused, asking for a header row)."""
    path = home.root.parent / "new_leads.txt"
    rows = [vicidial_row(1) | {"phone_number": ""}, vicidial_row(2), vicidial_row(3)]
    write_vicidial_import(path, rows)
    result = home.run("send", path)
    assert result.returncode == 1, result.stdout + result.stderr  # a row was not sent
    assert "row 1: invalid, not sent: phone1:" in result.stderr + result.stdout
    assert sorted(lead["fname"] for lead in sandbox.accepted) == ["Ann2", "Ann3"]


def test_a_facebook_lead_ads_export_in_utf16_with_tabs(home: Home, sandbox: Sandbox) -> None:
    """Facebook's download is UTF-16 with tabs; its values carry p: and z: prefixes."""
    path = home.root.parent / "facebook-leads.csv"
    write_table(path, FACEBOOK_COLUMNS, [facebook_row(1), facebook_row(2)], "\t", "utf-16")
    leads = sent(home, sandbox, path, 2)
    mary = leads["2085550001"]
    assert (mary["fname"], mary["lname"]) == ("Mary", "van der Berg1")
    assert mary["zip"] == "83702"
    assert (mary["city"], mary["state"]) == ("Boise", "ID"), "from the ZIP"
    assert mary["email"] == "bo1@example.com"
    for lead in leads.values():
        assert not any(FOREIGN_CAMPAIGN.removeprefix("c:") in value for value in lead.values())


def test_a_google_ads_lead_form_export(home: Home, sandbox: Sandbox) -> None:
    path = home.root.parent / "google-leads.csv"
    write_table(path, GOOGLE_ADS_COLUMNS, [google_row(1), google_row(2)], quote_all=True)
    leads = sent(home, sandbox, path, 2)
    cy = leads["2085550001"]
    assert (cy["fname"], cy["lname"]) == ("Cy", "Lee1 Jr.")
    assert (cy["address1"], cy["city"], cy["state"], cy["zip"]) == (
        "1 Main St", "Boise", "ID", "83702",
    )  # fmt: skip
    for lead in leads.values():
        assert "777" not in lead.values() and "555" not in lead.values()


def test_a_leadconduit_file_with_semicolons_names_its_consent_columns(
    home: Home, sandbox: Sandbox
) -> None:
    path = home.root.parent / "leadconduit.csv"
    write_table(path, LEADCONDUIT_COLUMNS, [leadconduit_row(1)], ";", "utf-8-sig")
    result = home.run("send", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "semicolon separated" in result.stderr
    assert re.search(r"columns not sent: 'trustedform_cert_url', 'leadid_token'", result.stderr)
    [dee] = sandbox.accepted
    assert (dee["fname"], dee["lname"], dee["phone1"]) == ("Dee1", "Núñez1", "2085550001")
    assert (dee["city"], dee["state"]) == ("Boise", "ID")


def test_a_boberdoo_file_in_windows_1252_with_pipes(home: Home, sandbox: Sandbox) -> None:
    path = home.root.parent / "boberdoo.txt"
    write_table(path, BOBERDOO_COLUMNS, [boberdoo_row(1), boberdoo_row(2)], "|", "cp1252")
    leads = sent(home, sandbox, path, 2)
    eva = leads["2085550001"]
    assert (eva["fname"], eva["lname"], eva["address1"]) == ("Éva1", "Zoë1", "9 Oak Ave")
    assert "203.0.113.7" not in eva.values()


def test_dry_run_shows_the_mapping_and_rows_and_sends_nothing(home: Home, sandbox: Sandbox) -> None:
    rows = [vicidial_row(1), {**vicidial_row(2), "phone_number": "12"}]
    path = write_vicidial(home.root.parent, rows)
    result = home.run("send", path, "--dry-run")
    assert result.returncode == 1, result.stdout + result.stderr  # a row is invalid
    out = result.stdout
    assert "VICIdial list export" in out
    assert "'source_id' -> not sent: VICIdial's own source id, not the dealer's Source ID" in out
    assert "'postal_code' -> zip: VICIdial list export column" in out
    assert re.search(r"^row 2: would be sent as:\n(  .*\n)*  fname = 'Ann1'", out, re.M)
    # A shown row that would not be sent: its problems under it, the row named once.
    assert re.search(r"^row 3: would not be sent:\n  phone1: ", out, re.M)
    assert out.count("row 3:") == 1
    assert "Dry run: 1 row would be sent, 1 invalid; nothing was sent" in out
    assert sandbox.posts == 0
    assert not home.database.exists() or home.leads() == []


def test_dry_run_of_a_standard_import_shows_its_first_five_rows(
    home: Home, sandbox: Sandbox
) -> None:
    """No header row: the first five rows shown are rows 1 to 5, as for a file with one."""
    path = home.root.parent / "new_leads.txt"
    write_vicidial_import(path, [vicidial_row(i) for i in range(1, 8)])
    result = home.run("send", path, "--dry-run")
    assert result.returncode == 0, result.stdout + result.stderr
    shown = re.findall(r"^row (\d+): would be sent as:", result.stdout, re.M)
    assert shown == ["1", "2", "3", "4", "5"]
    assert "Dry run: 7 rows would be sent, 0 invalid" in result.stdout
    assert sandbox.posts == 0


def test_a_map_places_any_layout_with_constants_and_a_full_name(
    home: Home, sandbox: Sandbox
) -> None:
    path = home.root.parent / "mailer.csv"
    path.write_text(
        "Customer Name,Tel,Town,ST,Our ref,Shoe size\nAnn Smith,2085550101,Boise,ID,R-1,9\n",
        encoding="utf-8",
    )
    map_file = home.root.parent / "mailer.toml"
    map_file.write_text(
        '[columns]\n"Customer Name" = "full_name"\n"Tel" = "phone1"\n"ST" = "state"\n'
        '"Our ref" = ""\n\n[constants]\nlead_source_info = "Spring mailer"\n',
        encoding="utf-8",
    )
    result = home.run("send", path, "--map", map_file)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "column 'Shoe size' not sent: no field has a name like it" in result.stderr
    [ann] = sandbox.accepted
    assert (ann["fname"], ann["lname"], ann["phone1"]) == ("Ann", "Smith", "2085550101")
    assert (ann["city"], ann["state"]) == ("Boise", "ID")
    assert ann["lead_source_info"] == "Spring mailer"
    assert "R-1" not in ann.values() and "9" not in ann.values()
