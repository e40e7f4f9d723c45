"""The queue as people steer it: a destination that refused a lead unprocessed holds its
other leads until it is fixed; leads move to another destination, or go now."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.domain.states import State
from leaddesk.history.store import Claim, Store
from leaddesk.sandbox import Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Poster
from leaddesk.sending.progress import Progress, Stage
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.leads import make_lead

OWNER = "tester"
WRONG = "http://127.0.0.1:9/acme/leadpostxml.php"
FIXED = "http://127.0.0.1:9/acme-fixed/leadpostxml.php"
OTHER = "http://127.0.0.1:9/other/leadpostxml.php"
ONE_AT_A_TIME = Sending(batch_size=1, retry_limit=6)
REFUSAL = "The dealer's address answered 404 Not Found: check the URL of destination Acme."


def answer(claim: Claim, outcome: Outcome, *errors: str) -> PostResult:
    """What a post of this claim came to, as the poster would say it."""
    results = tuple(LeadResult(stored.lead, outcome, errors=errors) for stored in claim.leads)
    return PostResult(claim.destination, claim.request, 404, b"", 0.01, results)


def refuse_first(store: Store, now: float = 1000.0) -> Claim:
    claim = store.claim(OWNER, ONE_AT_A_TIME.batch_size, everywhere(SECURITYTRAX_XML), now=now)
    assert claim is not None
    store.record(OWNER, claim, answer(claim, Outcome.REFUSED, REFUSAL), ONE_AT_A_TIME, now=now)
    return claim


def test_a_refusal_fails_the_lead_at_once_and_holds_the_destinations_queue(store: Store) -> None:
    ids = store.add_many([(make_lead(i), WRONG) for i in range(3)], now=1000.0)
    claim = refuse_first(store)
    first = store.get(claim.leads[0].id)
    assert first is not None
    assert (first.state, first.tries, first.errors) == (State.FAILED, 1, (REFUSAL,))
    # The other two are not burnt on the same refusal: nothing is due, nothing is claimed.
    assert store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=5000.0) is None
    assert store.next_due() is None, "a loop waiting on held leads would spin"
    [held] = store.holds()
    assert (held.destination, held.reason, held.waiting) == (WRONG, REFUSAL, 2)
    assert store.held(ids) == set(ids[1:])
    assert {lead.state for lead in store.get_many(ids[1:])} == {State.QUEUED}


def test_a_held_destination_does_not_hold_the_others(store: Store) -> None:
    store.add(make_lead(1), WRONG, now=1000.0)
    store.add(make_lead(2), WRONG, now=1000.0)
    other = store.add(make_lead(3), OTHER, now=1001.0)
    refuse_first(store)
    claim = store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=2000.0)
    assert claim is not None
    assert [stored.id for stored in claim.leads] == [other]


def test_fixing_the_destination_sends_its_held_and_refused_leads_keeping_their_ids(
    store: Store,
) -> None:
    ids = store.add_many([(make_lead(i), WRONG) for i in range(3)], now=1000.0)
    before = {lead.id: lead.lead.lead_company_unique_id for lead in store.get_many(ids)}
    refuse_first(store)
    moved = store.redirect_destination(
        WRONG, FIXED, now=2000.0, fields={"source_id": "NEWSRC"}, destination_name="Acme"
    )
    assert moved == ids
    assert store.holds() == []
    leads = store.get_many(ids)
    assert {lead.state for lead in leads} == {State.QUEUED}
    assert {lead.destination for lead in leads} == {FIXED}
    assert {lead.destination_name for lead in leads} == {"Acme"}
    assert {lead.lead.source_id for lead in leads} == {"NEWSRC"}
    assert {lead.id: lead.lead.lead_company_unique_id for lead in leads} == before
    assert all(lead.tries == 0 for lead in leads)
    claim = store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=2000.0)
    assert claim is not None
    assert [stored.id for stored in claim.leads] == ids
    assert b"<source_id>NEWSRC</source_id>" in claim.request


def test_fixing_leaves_leads_that_failed_there_before_the_hold(store: Store) -> None:
    """Only the leads the refusal stopped go: an older failure is the agent's to resend."""
    old = store.add(make_lead(1), WRONG, now=100.0)
    claim = store.claim(OWNER, 1, everywhere(SECURITYTRAX_XML), now=100.0)
    assert claim is not None
    store.record(
        OWNER, claim, answer(claim, Outcome.NOT_SENT, "refused"), Sending(retry_limit=1), 100.0
    )
    store.add(make_lead(2), WRONG, now=1000.0)
    refuse_first(store, now=1000.0)
    moved = store.redirect_destination(WRONG, FIXED, now=2000.0)
    assert old not in moved
    assert len(moved) == 1


def test_a_queued_lead_can_go_now_or_to_another_destination(store: Store) -> None:
    lead_id = store.add(make_lead(1), WRONG, now=1000.0)
    store.add(make_lead(2), WRONG, now=1000.0)
    refuse_first(store)
    unique_id = store.get(lead_id)
    store.requeue(lead_id, destination=OTHER, destination_name="Other", now=3000.0)
    moved = store.get(lead_id)
    assert moved is not None and unique_id is not None
    assert (moved.state, moved.destination, moved.destination_name) == (
        State.QUEUED,
        OTHER,
        "Other",
    )
    assert moved.lead.lead_company_unique_id == unique_id.lead.lead_company_unique_id


def test_retry_now_on_a_held_destination_lifts_the_hold(store: Store) -> None:
    """A person asked for it: one lead goes, and so does the rest of that queue (the
    refused lead stays failed until it is resent itself)."""
    ids = store.add_many([(make_lead(i), WRONG) for i in range(3)], now=1000.0)
    refuse_first(store)
    store.requeue(ids[2], now=3000.0)
    assert store.holds() == []
    claim = store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=3000.0)
    assert claim is not None
    assert {stored.id for stored in claim.leads} == set(ids[1:])


def test_a_send_of_a_held_queue_ends_and_says_why_once(
    store: Store, sandbox: Sandbox, tmp_path: Path
) -> None:
    """A dealer URL with a typo (the sandbox answers 404 off its endpoint path): the first
    lead fails at once, the others wait, the run ends, and the reason is told once."""
    wrong = sandbox.url("acme").replace("leadpostxml.php", "leadpostxm.php")
    ids = store.add_many([(make_lead(i), wrong) for i in range(3)])
    heard: list[Progress] = []
    with Poster() as poster, Outbox(store, poster, ONE_AT_A_TIME, tmp_path, heard.append) as box:
        box.run_until_final(ids, threading.Event())
    attempts = [len(store.attempts(lead_id)) for lead_id in ids]
    assert attempts == [1, 0, 0], "one post told us the address is wrong; no more were made"
    states = [lead.state for lead in store.get_many(ids)]
    assert states == [State.FAILED, State.QUEUED, State.QUEUED]
    [held] = [progress for progress in heard if progress.stage is Stage.HELD]
    assert "404" in held.message
    assert {lead.id for lead in held.leads} == set(ids)
    # Fixed: the same three leads go, each once.
    store.redirect_destination(wrong, sandbox.url("acme"))
    with Poster() as poster, Outbox(store, poster, ONE_AT_A_TIME, tmp_path) as box:
        box.run_until_final(ids, threading.Event())
    assert [lead.state for lead in store.get_many(ids)] == [State.ACCEPTED] * 3
    assert sorted(sandbox.accepted_count().values()) == [1, 1, 1]


@pytest.mark.parametrize(("outcome", "state"), [(Outcome.NOT_SENT, State.QUEUED)])
def test_retry_after_sets_when_the_lead_is_tried_again(
    store: Store, outcome: Outcome, state: State
) -> None:
    store.add(make_lead(1), OTHER, now=1000.0)
    claim = store.claim(OWNER, 1, everywhere(SECURITYTRAX_XML), now=1000.0)
    assert claim is not None
    busy = tuple(
        LeadResult(stored.lead, outcome, errors=("busy",), retry_after=120.0)
        for stored in claim.leads
    )
    post = PostResult(claim.destination, claim.request, 429, b"", 0.0, busy)
    [after] = store.record(OWNER, claim, post, Sending(backoff_seconds=0.5), now=1000.0)
    assert after.state is state
    assert after.due_at == pytest.approx(1120.0)
