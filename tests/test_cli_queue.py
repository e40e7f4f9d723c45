"""The command line when a destination is wrong: told at once, nothing burnt on retries,
and the leads sent once the address is fixed; queued leads moved or sent now."""

from __future__ import annotations

import time

from leaddesk.sandbox import Sandbox
from leaddesk.states import State
from tests.test_cli import HEADER, Home, row
from tests.test_cli import home as home  # the fixture


def typo(url: str) -> str:
    """The dealer's address with a typo in its path: the server answers 404."""
    return url.replace("leadpostxml.php", "leadpostxm.php")


def test_a_wrong_address_fails_at_once_holds_the_rest_and_a_fixed_url_sends_them_once(
    home: Home, sandbox: Sandbox
) -> None:
    home.configure(typo(sandbox.url()), batch_size=1, retry_limit=6, backoff_seconds=5)
    leads = home.write_csv("leads.csv", HEADER, [row(1), row(2), row(3)])
    started = time.monotonic()
    sent = home.run("send", leads)
    assert time.monotonic() - started < 30, "no retries were burnt on a wrong address"
    assert sent.returncode == 1
    assert "404 Not Found" in sent.stderr
    assert "leaddesk resend --queued --url" in sent.stderr
    assert "Traceback" not in sent.stderr
    states = sorted(lead.state for lead in home.leads())
    assert states == sorted([State.FAILED, State.QUEUED, State.QUEUED])
    assert sent.stdout.count("waiting: its destination must be fixed first") == 2
    assert sandbox.accepted_count() == {}

    fixed = home.run("resend", "--failed", "--url", sandbox.url())
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert {lead.state for lead in home.leads()} == {State.ACCEPTED}
    assert sorted(sandbox.accepted_count().values()) == [1, 1, 1]


def test_leads_a_wrong_address_refused_are_told_to_resend_with_the_right_one(
    home: Home, sandbox: Sandbox
) -> None:
    """Resent as they are, refused leads would go to the same wrong address: the advice
    names --url, and following it for one lead sends every lead that address refused."""
    home.configure(typo(sandbox.url()), retry_limit=6, backoff_seconds=5)
    sent = home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2), row(3)]))
    assert sent.returncode == 1
    lines = [line for line in sent.stdout.splitlines() if line.startswith("row ")]
    assert len(lines) == 3 and all("failed, refused unprocessed: " in line for line in lines)
    first_id = home.leads()[-1].id
    assert f"leaddesk resend {first_id} --url <correct address>" in sent.stdout

    fixed = home.run("resend", str(first_id), "--url", sandbox.url())
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert {lead.state for lead in home.leads()} == {State.ACCEPTED}
    assert sorted(sandbox.accepted_count().values()) == [1, 1, 1]


def test_queued_leads_go_to_another_destination_keeping_their_lead_ids(
    home: Home, sandbox: Sandbox
) -> None:
    """Moving the held queue moves the lead the wrong address refused too: it certainly
    never reached a dealer, and waits for the same fix."""
    home.configure(typo(sandbox.url()), batch_size=1)
    home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2)]))
    before = {lead.lead.lead_company_unique_id for lead in home.leads()}
    moved = home.run("resend", "--queued", "--url", sandbox.url("other"), "--source-id", "OTHERSRC")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    assert {lead.state for lead in home.leads()} == {State.ACCEPTED}
    assert {lead["source_id"] for lead in sandbox.accepted} == {"OTHERSRC"}
    assert sandbox.accepted_count() == dict.fromkeys(before, 1)


def test_resend_of_nothing_queued_says_so(home: Home) -> None:
    result = home.run("resend", "--queued")
    assert result.returncode == 0
    assert "No queued leads to resend." in result.stdout


def test_sending_the_file_again_with_the_corrected_url_sends_each_lead_once(
    home: Home, sandbox: Sandbox
) -> None:
    """The user who fixes the typo and runs the same command again: the failed lead and
    the held ones go to the corrected address, and nothing is skipped as a duplicate."""
    home.configure(typo(sandbox.url()), batch_size=1)
    leads = home.write_csv("leads.csv", HEADER, [row(1), row(2), row(3)])
    home.run("send", leads)
    again = home.run("send", leads, "--url", sandbox.url(), "--source-id", "SRC1")
    assert again.returncode == 0, again.stdout + again.stderr
    assert "skipped" not in again.stdout
    assert "row 2: lead 1 failed in an earlier run; sending it again" in again.stdout
    assert again.stdout.count("accepted, customer") == 3
    assert {lead.state for lead in home.leads()} == {State.ACCEPTED}
    assert sorted(sandbox.accepted_count().values()) == [1, 1, 1]
