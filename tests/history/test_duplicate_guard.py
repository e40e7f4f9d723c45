"""Store.queue_unless_duplicate: the duplicate guard asked inside the transaction that
queues, over real SQLite files, with other connections and another LeadDesk process."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from leaddesk.config.settings import Sending
from leaddesk.domain.states import State
from leaddesk.history.duplicate_guard import DuplicateOf, Queued, SameAsItem
from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox
from leaddesk.sending.poster import Poster, Timeouts
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.leads import make_lead

DAY = 86400.0
URL = "http://127.0.0.1:9/demo/leadpostxml.php"


def stored_phones(store: Store) -> list[str]:
    return sorted(lead.lead.phone1 for lead in store.history())


def test_new_leads_are_queued_and_their_ids_given_in_order(store: Store) -> None:
    verdicts = store.queue_unless_duplicate(
        [(make_lead(i), URL) for i in range(3)], 30, destination_name="Acme"
    )
    assert all(isinstance(verdict, Queued) for verdict in verdicts)
    ids = [verdict.lead_id for verdict in verdicts if isinstance(verdict, Queued)]
    stored = store.get_many(ids)
    assert [lead.lead.lname for lead in stored] == ["Smith0", "Smith1", "Smith2"]
    assert {(lead.state, lead.destination, lead.destination_name) for lead in stored} == {
        (State.QUEUED, URL, "Acme")
    }
    assert all(lead.lead.lead_company_unique_id for lead in stored)


def test_a_repeat_within_the_batch_is_not_queued(store: Store) -> None:
    items = [
        (make_lead(1), URL),
        (make_lead(2), URL),
        (make_lead(1, lname="SMITH1", fname="Annie"), URL),  # same phone, same last name
        (make_lead(1, lname="Jones"), URL),  # same phone, another last name: not a repeat
        (make_lead(2), URL),
    ]
    verdicts = store.queue_unless_duplicate(items, 30)
    assert [type(verdict) for verdict in verdicts] == [
        Queued,
        Queued,
        SameAsItem,
        Queued,
        SameAsItem,
    ]
    assert verdicts[2] == SameAsItem(0) and verdicts[4] == SameAsItem(1)
    assert len(store.history()) == 3


def test_a_repeat_of_the_history_names_the_earlier_lead_and_its_state(store: Store) -> None:
    now = time.time()
    earlier = store.add(make_lead(1, lname="Straße"), URL, now=now - 29 * DAY)
    items = [(make_lead(1, lname="STRASSE"), URL), (make_lead(2), URL)]
    first, second = store.queue_unless_duplicate(items, 30, now=now)
    assert first == DuplicateOf(earlier, State.QUEUED)
    assert isinstance(second, Queued)
    assert len(store.history()) == 2
    # Older than the guard's days: not a duplicate.
    (again,) = store.queue_unless_duplicate([(make_lead(1, lname="Straße"), URL)], 28, now=now)
    assert isinstance(again, Queued)


def test_a_row_repeating_the_history_twice_is_a_duplicate_of_the_history_both_times(
    store: Store,
) -> None:
    # The history is as it was before the batch: a second copy names the earlier lead, not
    # the batch's first copy (which was not queued either).
    earlier = store.add(make_lead(1), URL)
    verdicts = store.queue_unless_duplicate([(make_lead(1), URL), (make_lead(1), URL)], 30)
    assert verdicts == [DuplicateOf(earlier, State.QUEUED)] * 2
    assert len(store.history()) == 1


def test_rejected_leads_do_not_count(store: Store, sandbox: Sandbox) -> None:
    rejected = store.add(make_lead(1), sandbox.url())
    sandbox.faults = Faults(reject_rate=1.0)
    claim = store.claim("test", 10, everywhere(SECURITYTRAX_XML))
    assert claim is not None
    with Poster(Timeouts(connect=2.0, read=5.0, deadline=10.0)) as poster:
        post = poster.post(claim.destination, [lead.lead for lead in claim.leads], claim.request)
    (stored,) = store.record("test", claim, post, Sending(retry_limit=1))
    assert stored.state is State.REJECTED
    (verdict,) = store.queue_unless_duplicate([(make_lead(1), URL)], 30)
    assert isinstance(verdict, Queued) and verdict.lead_id != rejected


def test_duplicate_days_zero_turns_the_guard_off(store: Store) -> None:
    store.add(make_lead(1), URL)
    verdicts = store.queue_unless_duplicate([(make_lead(1), URL), (make_lead(1), URL)], 0)
    assert all(isinstance(verdict, Queued) for verdict in verdicts)
    assert stored_phones(store) == [make_lead(1).phone1] * 3


def test_approved_leads_are_let_through_but_not_others(store: Store) -> None:
    # The agent said "send anyway" about lead `told`; another LeadDesk then queued `later`.
    told = store.add(make_lead(1), URL)
    later = store.add(make_lead(1), URL)
    (verdict,) = store.queue_unless_duplicate([(make_lead(1), URL)], 30, approved={told})
    assert verdict == DuplicateOf(later, State.QUEUED)
    (verdict,) = store.queue_unless_duplicate([(make_lead(1), URL)], 30, approved={told, later})
    assert isinstance(verdict, Queued)
    assert len(store.history()) == 3


def test_a_lead_another_connection_queued_after_the_check_is_refused(
    store: Store, db_path: Path
) -> None:
    # The window asked find_duplicate (nothing), then a send queued the same lead before
    # the window's insert: the guarded insert finds it.
    lead = make_lead(7)
    assert store.find_duplicate(lead, 30) is None
    with Store(db_path) as other:
        (theirs,) = other.queue_unless_duplicate([(lead, URL)], 30)
    assert isinstance(theirs, Queued)
    (ours,) = store.queue_unless_duplicate([(lead, URL)], 30)
    assert ours == DuplicateOf(theirs.lead_id, State.QUEUED)
    assert len(store.history()) == 1


def test_a_lead_another_process_sent_after_the_check_is_refused(
    store: Store, db_path: Path, tmp_path: Path, sandbox: Sandbox
) -> None:
    # A real `leaddesk send` on the same history between the window's question and its insert.
    lead = make_lead(7)
    assert store.find_duplicate(lead, 30) is None
    csv = tmp_path / "one.csv"
    csv.write_text(f"fname,lname,phone1,city,state\nAnn,{lead.lname},{lead.phone1},Boise,ID\n")
    home = db_path.parent.parent  # LEADDESK_HOME: its data folder holds db_path
    command = [sys.executable, "-m", "leaddesk", "send", str(csv)]
    sent = subprocess.run(
        [*command, "--url", sandbox.url(), "--source-id", "SRC1"],
        env={**os.environ, "LEADDESK_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert sent.returncode == 0, sent.stdout + sent.stderr
    (theirs,) = store.history()
    (ours,) = store.queue_unless_duplicate([(lead, URL)], 30)
    assert ours == DuplicateOf(theirs.id, State.ACCEPTED)
    assert len(store.history()) == 1
    assert sum(sandbox.accepted_count("phone1").values()) == 1
