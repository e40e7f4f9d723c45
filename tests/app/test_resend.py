"""Resend, as the history pane and `leaddesk resend` both do it: what may go, where it
goes, and that a failed lead resent reaches the dealer once."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.outboxes import ThreadOutboxes
from leaddesk.app.resend import Target, resend
from leaddesk.config.settings import Destination, Sending
from leaddesk.domain.errors import StoreError
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.history_states import settle
from tests.support.leads import make_lead

WRONG = "https://wrong.example/leadpostxml.php"


def test_a_failed_lead_resent_reaches_the_sandbox_once(
    store: Store, sandbox: Sandbox, tmp_path: Path
) -> None:
    lead_id = store.add(make_lead(1), sandbox.url())
    assert settle(store, Outcome.NOT_SENT, "Could not connect.").state is State.FAILED
    assert sandbox.posts == 0

    resent = resend(HistoryAccess(store), [lead_id])
    assert (resent.queued, resent.refused) == ([lead_id], [])

    outboxes = ThreadOutboxes(store.path, tmp_path / "senders", everywhere(SECURITYTRAX_XML))
    with outboxes.open(Sending(), lambda _: None) as box:
        box.run_until_final([lead_id], threading.Event())
    lead = store.get(lead_id)
    assert lead is not None and lead.state is State.ACCEPTED
    assert sandbox.posts == 1
    assert sandbox.accepted_count() == {lead.lead.lead_company_unique_id: 1}


def test_an_unconfirmed_lead_goes_only_by_force_and_an_accepted_one_never(store: Store) -> None:
    unsure = store.add(make_lead(1), WRONG)
    settle(store, Outcome.UNCONFIRMED, "No answer.")
    done = store.add(make_lead(2), WRONG)
    settle(store, Outcome.ACCEPTED)
    history = HistoryAccess(store)

    refused = resend(history, [unsure, done])
    assert refused.queued == [] and [lead_id for lead_id, _ in refused.refused] == [unsure, done]
    assert "may already be with the dealer" in refused.refused[0][1]
    assert "already accepted" in refused.refused[1][1]

    forced = resend(history, [unsure, done], force=True)
    assert forced.queued == [unsure] and [lead_id for lead_id, _ in forced.refused] == [done]
    assert {lead.id: lead.state for lead in store.get_many([unsure, done])} == {
        unsure: State.QUEUED,
        done: State.ACCEPTED,
    }


def test_each_lead_goes_where_it_is_told_with_the_fields_of_its_new_destination(
    store: Store,
) -> None:
    first = store.add(make_lead(1), WRONG, destination_name="Old")
    settle(store, Outcome.REJECTED, "Bad zip.")
    second = store.add(make_lead(2), WRONG, destination_name="Old")
    settle(store, Outcome.REJECTED, "Bad zip.")
    other = Destination(name="New", url="https://new.example/leadpostxml.php", source_id="S2")

    resend(
        HistoryAccess(store),
        [first, second],
        where=lambda i: Target.of(other) if i == first else None,
    )
    moved, kept = store.get_many([first, second])
    assert (moved.destination, moved.destination_name, moved.lead.source_id) == (
        other.url,
        "New",
        "S2",
    )
    assert (kept.destination, kept.destination_name, kept.lead.source_id) == (WRONG, "Old", "SRC1")
    assert moved.state is kept.state is State.QUEUED


def test_a_corrected_address_sends_every_lead_that_waited_for_it(store: Store) -> None:
    ids = [store.add(make_lead(i), WRONG) for i in range(3)]
    settle(store, Outcome.REFUSED, "404 Not Found.")  # the first fails; the others are held
    assert [hold.destination for hold in store.holds()] == [WRONG]
    fixed = Target("https://right.example/leadpostxml.php")
    assert fixed.corrects_address

    resent = resend(HistoryAccess(store), [ids[0]], where=lambda _: fixed, release=fixed)
    assert sorted(resent.queued) == ids
    assert {lead.destination for lead in store.get_many(ids)} == {fixed.url}
    assert store.holds() == []


def test_only_the_errors_named_as_refusals_let_the_others_go_on(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = [store.add(make_lead(i), WRONG) for i in range(2)]
    history = HistoryAccess(store)

    def disk_fails(lead_id: int, *args: object, **kwargs: object) -> None:
        raise StoreError("The disk is full.")

    monkeypatch.setattr(history, "requeue", disk_fails)
    with pytest.raises(StoreError):
        resend(history, ids)  # the command line: a broken history stops the run
    told = resend(history, ids, refusals=(ValueError, StoreError))  # the window: each told
    assert told.queued == [] and told.refused == [(i, "The disk is full.") for i in ids]
