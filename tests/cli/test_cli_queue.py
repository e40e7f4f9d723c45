"""The command line when a destination is wrong: told at once, nothing burnt on retries,
and the leads sent once the address is fixed; queued leads moved or sent now."""

from __future__ import annotations

import time

from leaddesk.config.settings import Sending
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.cli_home import HEADER, Home, row
from tests.support.leads import make_lead


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
    """Another dealer's fields move only the leads named: the refused one stays failed at
    its own destination, waiting for that destination's fix."""
    home.configure(typo(sandbox.url()), batch_size=1)
    home.run("send", home.write_csv("leads.csv", HEADER, [row(1), row(2)]))
    queued = {lead.id: lead.lead.lead_company_unique_id for lead in home.leads()
              if lead.state is State.QUEUED}  # fmt: skip
    moved = home.run("resend", "--queued", "--url", sandbox.url("other"), "--source-id", "OTHERSRC")
    assert moved.returncode == 0, moved.stdout + moved.stderr
    states = {lead.id: lead.state for lead in home.leads()}
    assert sorted(states.values()) == sorted([State.ACCEPTED, State.FAILED])
    assert [states[lead_id] for lead_id in queued] == [State.ACCEPTED]
    assert [lead["source_id"] for lead in sandbox.accepted] == ["OTHERSRC"]
    assert sandbox.accepted_count() == dict.fromkeys(queued.values(), 1)


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


def test_a_send_to_a_held_address_tries_it_again_and_says_why_it_was_held(
    home: Home, sandbox: Sandbox
) -> None:
    """The address was fixed outside LeadDesk (the dealer restored the page): the next
    send is what the person asks for, so it goes, together with the leads that waited."""
    site = sandbox.url("acme")
    home.configure(site, batch_size=1)
    with Store(home.database) as store:  # a refusal of an earlier run held this address
        [lead_id] = store.add_many([(make_lead(7), site)])
        store.requeue(lead_id)
        claim = store.claim("earlier run", 1, everywhere(SECURITYTRAX_XML))
        assert claim is not None
        refused = tuple(
            LeadResult(stored.lead, Outcome.REFUSED, errors=("404 Not Found",))
            for stored in claim.leads
        )
        post = PostResult(site, claim.request, 404, b"", 0.0, refused)
        store.record("earlier run", claim, post, Sending())
        store.add_many([(make_lead(8), site)])
        assert len(store.holds()) == 1
    sent = home.run("send", home.write_csv("leads.csv", HEADER, [row(1)]))
    assert sent.returncode == 0, sent.stdout + sent.stderr
    assert "refused a lead earlier (404 Not Found); trying it again" in sent.stderr
    states = sorted(lead.state for lead in home.leads())
    assert states == sorted([State.FAILED, State.ACCEPTED, State.ACCEPTED])
