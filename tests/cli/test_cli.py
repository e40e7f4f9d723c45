"""The command line as a user runs it: a real process, a real data directory, the sandbox."""

from __future__ import annotations

import json
import random
import re
import time
from pathlib import Path

from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import REJECT_MESSAGE, Faults, Sandbox
from tests.support.cli_home import (
    HEADER,
    Home,
    assert_clean_error,
    finish,
    free_port,
    lead_lines,
    row,
)

# --- send ------------------------------------------------------------------------------


def test_send_with_bom_and_any_column_order_prints_a_line_per_lead_and_a_summary(
    home: Home, sandbox: Sandbox
) -> None:
    # A BOM left in place would make the first column "\ufeffphone1", an unknown column.
    path = home.write_csv("leads.csv", HEADER, [row(1), row(2, "Núñez"), row(3)], bom=True)
    result = home.run("send", path)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = lead_lines(result.stdout)
    assert sorted(lines) == [2, 3, 4]
    assert result.stdout.rstrip().splitlines()[-1] == "3 leads: 3 accepted."

    by_phone = {lead["phone1"]: lead for lead in sandbox.accepted}
    assert sorted(by_phone) == ["8013120001", "8013120002", "8013120003"]
    assert by_phone["8013120002"]["lname"] == "Núñez"
    assert by_phone["8013120001"]["state"] == "ID"
    assert by_phone["8013120001"]["source_id"] == "SRC1", "from the config file"
    for number, phone in ((2, "8013120001"), (3, "8013120002"), (4, "8013120003")):
        assert lines[number] == f"accepted, customer {by_phone[phone]['customer_id']}"


def test_invalid_rows_are_reported_and_valid_ones_still_sent(home: Home, sandbox: Sandbox) -> None:
    rows = [
        row(1),
        ("801-555", "Boise", "Jones", "ID", "Bob", ""),  # row 3: bad phone
        row(3),
        ("8013120004", "", "Lee", "ID", "Cy", "not-an-email"),  # row 5: no city, bad email
    ]
    result = home.run("send", home.write_csv("leads.csv", HEADER, rows))
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    out = result.stdout
    assert re.search(r"^row 3: invalid, not sent: phone1: Phone 1 must be", out, re.M)
    assert re.search(r"^row 5: invalid, not sent: city: City is required", out, re.M)
    assert re.search(r"^row 5: invalid, not sent: email: Email needs an @", out, re.M)
    assert sorted(lead_lines(out)) == [2, 4]
    assert "2 invalid rows not sent" in out
    assert sorted(lead["phone1"] for lead in sandbox.accepted) == ["8013120001", "8013120003"]
    assert len(home.leads()) == 2


def test_an_unknown_column_is_named_and_not_sent_and_the_rest_is(
    home: Home, sandbox: Sandbox
) -> None:
    """Issue 15: a column it cannot place is named, never guessed, and holds up no lead."""
    path = home.write_csv("leads.csv", (*HEADER, "favourite_colour"), [(*row(1), "blue")])
    result = home.run("send", path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert (
        "leaddesk: column 'favourite_colour' not sent: no field has a name like it" in result.stderr
    )
    [lead] = sandbox.accepted
    assert "blue" not in lead.values()


def test_a_quote_left_open_sends_no_lead_inside_another(home: Home, sandbox: Sandbox) -> None:
    # Ann's comment opens a quote that nothing closes until Cat's: Bob's and Cat's leads
    # would have gone to the dealer inside Ann's comments. Ann's row is refused, naming the
    # column, and the rows inside her cell are not read as leads.
    path = home.root.parent / "leads.csv"
    path.write_text(
        "fname,lname,phone1,city,state,lead_comments\n"
        'Ann,Smith,8013120001,Boise,ID,"likes dogs\n'
        "Bob,Jones,8013120002,Nampa,ID,none\n"
        'Cat,Lee,8013120003,Eagle,ID,says "hi" ok\n',
        encoding="utf-8",
    )
    result = home.run("send", path)
    assert result.returncode == 1, result.stdout + result.stderr
    told = "row 2: invalid, not sent: a quote in column 'lead_comments' (from line 2) runs on"
    assert result.stdout.startswith(told + " into line 3"), result.stdout
    assert sandbox.posts == 0
    assert home.leads() == []


def test_unreadable_files_are_usage_errors(home: Home, sandbox: Sandbox, tmp_path: Path) -> None:
    missing = tmp_path / "missing.csv"
    folder = tmp_path / "a-folder.csv"
    folder.mkdir()
    started = [home.start("send", missing), home.start("send", folder)]
    gone, directory = map(finish, started)
    assert_clean_error(gone, str(missing))
    assert_clean_error(directory, str(folder))
    assert sandbox.posts == 0


def test_a_windows_1252_file_is_read_as_it_is(home: Home, sandbox: Sandbox, tmp_path: Path) -> None:
    """Issue 15: once refused ("save it as CSV UTF-8"); the encoding is now detected."""
    latin1 = tmp_path / "latin1.csv"
    latin1.write_bytes(b"phone1,city,lname,state,fname\n8013120001,Boise,Mu\xf1oz,ID,Al\n")
    result = home.run("send", latin1)
    assert result.returncode == 0, result.stdout + result.stderr
    assert [lead["lname"] for lead in sandbox.accepted] == ["Muñoz"]


def test_plain_http_to_another_host_is_refused(home: Home, sandbox: Sandbox) -> None:
    path = home.write_csv("leads.csv", HEADER, [row(1)])
    other = Home(home.root.parent / "other-home")
    other.configure("http://192.0.2.10/x/leadpostxml.php")
    by_option, by_config = map(
        finish,
        [
            home.start("send", path, "--url", "http://leads.example.com/x/leadpostxml.php"),
            other.start("send", path),
        ],
    )
    assert_clean_error(by_option, "https://")
    assert_clean_error(by_config, "https://", "192.0.2.10")
    assert sandbox.posts == 0
    assert not home.database.exists() or home.leads() == []


def test_url_and_source_id_options_override_the_config(tmp_path: Path, sandbox: Sandbox) -> None:
    home = Home(tmp_path / "home")
    home.configure("https://dealer.invalid/x/leadpostxml.php")
    path = home.write_csv("leads.csv", HEADER, [row(1)])
    result = home.run("send", path, "--url", sandbox.url("other"), "--source-id", "SRC9")
    assert result.returncode == 0, result.stdout + result.stderr
    (accepted,) = sandbox.accepted
    assert accepted["source_id"] == "SRC9"
    (lead,) = home.leads()
    assert lead.destination == sandbox.url("other")


def test_same_file_twice_sends_each_lead_once(home: Home, sandbox: Sandbox) -> None:
    path = home.write_csv("leads.csv", HEADER, [row(i) for i in range(1, 6)])
    first = home.run("send", path)
    assert first.returncode == 0, first.stdout + first.stderr
    assert sorted(lead_lines(first.stdout)) == [2, 3, 4, 5, 6]
    second = home.run("send", path)
    assert second.returncode == 0, second.stdout + second.stderr
    skipped = re.findall(
        r"^row (\d+): skipped, likely a duplicate of lead \d+", second.stdout, re.M
    )
    assert sorted(map(int, skipped)) == [2, 3, 4, 5, 6]
    counts = sandbox.accepted_count("phone1")
    assert len(counts) == 5 and set(counts.values()) == {1}
    assert len(home.leads()) == 5


# --- history and show ------------------------------------------------------------------


def test_history_json_shape(home: Home, sandbox: Sandbox) -> None:
    assert home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2)])).returncode == 0
    sandbox.faults = Faults(reject_rate=1.0)
    rejected_run = home.run("send", home.write_csv("more.csv", HEADER, [row(3)]))
    assert rejected_run.returncode == 1
    assert f"rejected: {REJECT_MESSAGE}" in rejected_run.stdout

    leads = home.history()
    assert [lead["id"] for lead in leads] == [3, 2, 1], "newest first"
    for lead in leads:
        assert {"id", "state", "created_at", "customer_id", "errors", "attempts", "lead"} <= set(
            lead
        )
        assert isinstance(lead["id"], int)
        assert re.match(r"\d{4}-\d\d-\d\dT\d\d:\d\d", lead["created_at"])
        assert isinstance(lead["errors"], list)
        assert lead["attempts"] == 1
        assert list(lead["lead"]) == list(FIELD_NAMES)
        assert len(lead["lead"]) == 30
    newest, _, first = leads
    assert newest["state"] == "rejected"
    assert newest["errors"] == [REJECT_MESSAGE]
    assert newest["customer_id"] == ""
    sent = {lead["phone1"]: lead for lead in sandbox.accepted}["8013120001"]
    assert first["state"] == "accepted" and first["errors"] == []
    assert first["customer_id"] == sent["customer_id"]
    # "As sent": the lead's fields are exactly what the sandbox received.
    assert first["lead"] == {name: value for name, value in sent.items() if name != "customer_id"}

    assert [lead["id"] for lead in home.history("--state", "rejected")] == [3]


def test_show_json_has_every_attempt_with_request_and_reply(home: Home, sandbox: Sandbox) -> None:
    sandbox.faults = Faults(reject_rate=1.0)
    assert home.run("send", home.write_csv("leads.csv", HEADER, [row(1)])).returncode == 1
    sandbox.faults = Faults()
    assert home.run("resend", "1").returncode == 0

    result = home.run("show", "1", "--json")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["id"] == 1 and shown["state"] == "accepted"
    unique_id = shown["lead"]["lead_company_unique_id"]
    first, second = shown["attempts"]
    assert first["outcome"] == "rejected" and second["outcome"] == "accepted"
    for attempt in (first, second):
        assert attempt["request"].startswith("<?xml")
        element = f"<lead_company_unique_id>{unique_id}</lead_company_unique_id>"
        assert element in attempt["request"]
        assert attempt["http_status"] == 200
        assert "<root>" in attempt["reply"]
    assert REJECT_MESSAGE in first["reply"]
    assert f"<customer_id>{shown['customer_id']}</customer_id>" in second["reply"]


# --- when the dealer's server is down, and resending ------------------------------------


def test_sandbox_down_leads_fail_after_backoff_then_resend_failed_delivers(
    tmp_path: Path,
) -> None:
    port = free_port()
    home = Home(tmp_path / "home")
    home.configure(
        f"http://127.0.0.1:{port}/demo/leadpostxml.php",
        retry_limit=3,
        backoff_seconds=0.25,
        backoff_max_seconds=5,
    )
    path = home.write_csv("leads.csv", HEADER, [row(1), row(2)])
    started = time.monotonic()
    down = home.run("send", path)
    took = time.monotonic() - started
    assert down.returncode == 1
    lines = lead_lines(down.stdout)
    assert sorted(lines) == [2, 3]
    for text in lines.values():
        assert text.startswith("failed after 3 tries: Could not connect"), text
    assert "2 leads: 2 failed." in down.stdout
    assert took >= 0.25 + 0.5, "the retries waited their backoff (0.25 s, then 0.5 s)"
    before = {lead.id: lead for lead in home.leads()}
    assert [(lead.state, lead.attempts) for lead in before.values()] == [(State.FAILED, 3)] * 2

    with Sandbox(port=port) as sandbox:
        resent = home.run("resend", "--failed")
        assert resent.returncode == 0, resent.stdout + resent.stderr
        assert "2 leads: 2 accepted." in resent.stdout
        counts = sandbox.accepted_count()
        after = {lead.id: lead for lead in home.leads()}
        assert sorted(after) == sorted(before), "the same leads, not new ones"
        for lead_id, lead in after.items():
            assert (lead.state, lead.attempts) == (State.ACCEPTED, 4)
            unique_id = before[lead_id].lead.lead_company_unique_id
            assert lead.lead.lead_company_unique_id == unique_id
            assert counts[unique_id] == 1
        assert len(counts) == 2

        again = home.run("resend", "1", "--force")
        assert again.returncode == 1
        assert "lead 1: not resent: Lead 1 was already accepted" in again.stdout
        assert len(sandbox.accepted) == 2


def test_resend_of_unconfirmed_needs_force_and_keeps_the_lead_id(
    home: Home, sandbox: Sandbox
) -> None:
    sandbox.faults = Faults(lost_reply_rate=1.0)  # it arrives, but the answer is lost
    sent = home.run("send", home.write_csv("leads.csv", HEADER, [row(1)]))
    assert sent.returncode == 1
    assert lead_lines(sent.stdout)[2].startswith("unconfirmed: ")
    sandbox.faults = Faults()
    (lead,) = home.leads()
    unique_id = lead.lead.lead_company_unique_id
    assert lead.state is State.UNCONFIRMED
    assert sandbox.accepted_count()[unique_id] == 1

    refused = home.run("resend", str(lead.id))
    assert refused.returncode == 1
    assert re.search(rf"^lead {lead.id}: not resent: .*--force", refused.stdout, re.M)
    assert home.leads()[0].state is State.UNCONFIRMED
    assert sandbox.accepted_count()[unique_id] == 1

    forced = home.run("resend", str(lead.id), "--force")
    assert forced.returncode == 0, forced.stdout + forced.stderr
    (after,) = home.leads()
    assert (after.id, after.state, after.attempts) == (lead.id, State.ACCEPTED, 2)
    assert after.lead.lead_company_unique_id == unique_id
    assert sandbox.accepted_count()[unique_id] == 2, "the dealer sees the same lead ID twice"


# --- purge -----------------------------------------------------------------------------


def test_purge_deletes_finished_leads_and_keeps_queued_ones(home: Home, sandbox: Sandbox) -> None:
    assert home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2)])).returncode == 0
    with Store(home.database) as store:  # a lead left queued, e.g. by a run that was stopped
        values = dict(zip(HEADER, row(9), strict=True)) | {"source_id": "SRC1"}
        queued = store.add(Lead.parse(values), sandbox.url())

    recent = home.run("purge", "--older-than", "30")
    assert recent.returncode == 0, recent.stderr
    assert "Deleted 0 finished leads" in recent.stdout
    assert len(home.leads()) == 3

    everything = home.run("purge", "--older-than", "0")
    assert everything.returncode == 0, everything.stderr
    assert "Deleted 2 finished leads" in everything.stdout
    assert [(lead.id, lead.state) for lead in home.leads()] == [(queued, State.QUEUED)]


# --- a data directory that cannot be used ------------------------------------------------


def test_corrupt_database_is_reported_and_left_alone(home: Home, sandbox: Sandbox) -> None:
    home.database.parent.mkdir(parents=True)
    junk = random.Random(11).randbytes(20000)
    home.database.write_bytes(junk)
    path = home.write_csv("leads.csv", HEADER, [row(1)])
    listing, sending = map(finish, [home.start("history"), home.start("send", path)])
    assert_clean_error(listing, str(home.database), "damaged")
    assert_clean_error(sending, str(home.database), "damaged")
    assert sandbox.posts == 0, "nothing is sent that could not be stored first"
    assert home.database.read_bytes() == junk


def test_data_directory_that_cannot_be_created(home: Home, sandbox: Sandbox) -> None:
    (home.root / "data").write_text("a file where the data folder should be")
    sent = home.run("send", home.write_csv("leads.csv", HEADER, [row(1)]))
    assert_clean_error(sent, "Cannot use the history database")
    assert sandbox.posts == 0
    assert (home.root / "data").read_text() == "a file where the data folder should be"
