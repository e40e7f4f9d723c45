"""The send loop over a real store, a real poster and the sandbox on a real socket."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.errors import StoreError
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Outcome, Poster, Timeouts
from leaddesk.sending.progress import Progress, Stage
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.leads import make_lead

FAST = Sending(batch_size=10, retry_limit=3, backoff_seconds=0.05, backoff_max_seconds=0.1)


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.01)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "home" / "data"


@pytest.fixture
def senders(data_dir: Path) -> Path:
    return data_dir / "senders"


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(Timeouts(connect=2.0, read=10.0, deadline=20.0)) as opened:
        yield opened


def drain(outbox: Outbox) -> None:
    """Run the loop until nothing is due any more."""
    outbox.run(threading.Event(), until=lambda: True)


def test_drains_leads_queued_earlier_by_another_store(
    db_path: Path, store: Store, poster: Poster, sandbox: Sandbox, senders: Path
) -> None:
    with Store(db_path) as earlier_run:  # e.g. a process that died after queueing
        earlier = earlier_run.add_many([(make_lead(i), sandbox.url()) for i in range(5)])
    mine = store.add_many([(make_lead(i), sandbox.url()) for i in range(5, 8)])
    with Outbox(store, poster, FAST, senders) as outbox:
        outbox.run_until_final(mine, threading.Event())
    leads = store.get_many(earlier + mine)
    assert [lead.state for lead in leads] == [State.ACCEPTED] * 8
    counts = sandbox.accepted_count()
    assert {lead.lead.lead_company_unique_id for lead in leads} == set(counts)
    assert set(counts.values()) == {1}


def test_batches_up_to_batch_size_leads_per_post(
    store: Store, poster: Poster, sandbox: Sandbox, senders: Path
) -> None:
    ids = store.add_many([(make_lead(i), sandbox.url()) for i in range(25)])
    sending = FAST.replace(batch_size=10)
    with Outbox(store, poster, sending, senders) as outbox:
        drain(outbox)
    assert sandbox.posts == 3  # 10 + 10 + 5
    assert len(sandbox.accepted) == 25
    assert {lead.state for lead in store.get_many(ids)} == {State.ACCEPTED}


def test_progress_reports_sending_then_done_per_batch(
    store: Store, poster: Poster, sandbox: Sandbox, senders: Path
) -> None:
    ids = store.add_many([(make_lead(i), sandbox.url()) for i in range(5)])
    reports: list[tuple[Stage, list[int], list[State]]] = []

    def on_progress(progress: Progress) -> None:
        reports.append(
            (
                progress.stage,
                [lead.id for lead in progress.leads],
                [lead.state for lead in progress.leads],
            )
        )

    sending = FAST.replace(batch_size=3)
    with Outbox(store, poster, sending, senders, on_progress) as outbox:
        drain(outbox)
    assert reports == [
        (Stage.SENDING, ids[:3], [State.SENDING] * 3),
        (Stage.DONE, ids[:3], [State.ACCEPTED] * 3),
        (Stage.SENDING, ids[3:], [State.SENDING] * 2),
        (Stage.DONE, ids[3:], [State.ACCEPTED] * 2),
    ]


def test_retries_not_sent_leads_then_reports_them_failed(
    store: Store, poster: Poster, senders: Path
) -> None:
    probe = Sandbox().start()
    dead_url = probe.url()
    probe.stop()
    (lead_id,) = store.add_many([(make_lead(1), dead_url)])
    done: list[State] = []

    def on_progress(progress: Progress) -> None:
        if progress.stage is Stage.DONE:
            done.extend(lead.state for lead in progress.leads)

    with Outbox(store, poster, FAST, senders, on_progress) as outbox:
        outbox.run_until_final([lead_id], threading.Event())
    assert done == [State.QUEUED, State.QUEUED, State.FAILED]
    failed = store.get(lead_id)
    assert failed is not None and failed.attempts == 3 and failed.tries == 3


def test_orphan_of_a_dead_sender_becomes_unconfirmed_and_is_never_posted(
    store: Store, poster: Poster, sandbox: Sandbox, senders: Path
) -> None:
    dead_owner = "gone-host-4242-deadbeef"
    orphan = store.add(make_lead(1), sandbox.url())
    claim = store.claim(dead_owner, 10, everywhere(SECURITYTRAX_XML))
    assert claim is not None
    assert [lead.id for lead in claim.leads] == [orphan]
    senders.mkdir(parents=True, exist_ok=True)
    (senders / f"{dead_owner}.lock").touch()  # its lock file is left behind, held by no one
    fresh = store.add(make_lead(2), sandbox.url())
    recovered: list[int] = []

    def on_progress(progress: Progress) -> None:
        if progress.stage is Stage.RECOVERED:
            recovered.extend(lead.id for lead in progress.leads)

    with Outbox(store, poster, FAST, senders, on_progress) as outbox:
        outbox.run_until_final([fresh], threading.Event())
        drain(outbox)

    assert recovered == [orphan]
    lost = store.get(orphan)
    assert lost is not None
    assert lost.state is State.UNCONFIRMED
    assert lost.errors and "may have arrived" in lost.errors[0]
    # The dead sender's post stays on record, as unconfirmed; it is never posted again.
    (attempt,) = store.attempts(orphan)
    assert attempt.outcome is Outcome.UNCONFIRMED
    assert lost.lead.lead_company_unique_id in attempt.request
    assert sandbox.posts == 1
    fresh_lead = store.get(fresh)
    assert fresh_lead is not None and fresh_lead.state is State.ACCEPTED
    assert list(sandbox.accepted_count()) == [fresh_lead.lead.lead_company_unique_id]
    assert not (senders / f"{dead_owner}.lock").exists()


def test_lead_in_flight_for_a_live_sender_is_left_alone(
    db_path: Path, store: Store, sandbox: Sandbox, senders: Path
) -> None:
    sandbox.faults = Faults(delay=0.5)
    lead_id = store.add(make_lead(1), sandbox.url())
    with (
        Store(db_path) as store_a,
        Poster() as poster_a,
        Outbox(store_a, poster_a, FAST, senders) as live,
    ):
        in_flight = threading.Thread(target=live.send_due)
        in_flight.start()
        try:
            wait_for(lambda: sandbox.posts == 1, "the live sender's post to arrive")
            with Poster() as poster_b, Outbox(store, poster_b, FAST, senders) as other:
                assert other.recover() == []
                assert other.send_due() == []
                during = store.get(lead_id)
                assert during is not None and during.state is State.SENDING
        finally:
            in_flight.join()
    after = store.get(lead_id)
    assert after is not None and after.state is State.ACCEPTED
    assert sandbox.posts == 1
    assert set(sandbox.accepted_count().values()) == {1}


def test_two_outboxes_on_one_data_directory_post_every_lead_once(
    db_path: Path, sandbox: Sandbox, senders: Path
) -> None:
    with Store(db_path) as store:
        ids = store.add_many([(make_lead(i), sandbox.url()) for i in range(200)])
    sending = FAST.replace(batch_size=4)
    failures: list[BaseException] = []
    posted_by: list[list[int]] = [[], []]
    start = threading.Barrier(2)

    def sender(number: int) -> None:
        def on_progress(progress: Progress) -> None:
            if progress.stage is Stage.SENDING:
                posted_by[number].extend(lead.id for lead in progress.leads)

        try:
            with (
                Store(db_path) as store,
                Poster() as poster,
                Outbox(store, poster, sending, senders, on_progress) as outbox,
            ):
                start.wait(timeout=10)
                outbox.run_until_final(ids, threading.Event())
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=sender, args=(number,)) for number in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert failures == []

    counts = sandbox.accepted_count()
    assert len(counts) == 200
    assert set(counts.values()) == {1}, [key for key, n in counts.items() if n > 1]
    with Store(db_path) as store:
        leads = store.get_many(ids)
    assert {lead.state for lead in leads} == {State.ACCEPTED}
    assert {lead.lead.lead_company_unique_id for lead in leads} == set(counts)
    assert sandbox.posts == 50, "200 leads in posts of 4, none repeated"
    assert posted_by[0] and posted_by[1], "both senders should have taken a share"
    assert sorted(posted_by[0] + posted_by[1]) == sorted(ids)


@pytest.mark.parametrize(("lasting", "tries"), [(True, 1), (False, 2)])
def test_recording_an_answer_gives_up_on_a_lasting_problem_or_when_stopping(
    store: Store,
    poster: Poster,
    sandbox: Sandbox,
    senders: Path,
    monkeypatch: pytest.MonkeyPatch,
    lasting: bool,
    tries: int,
) -> None:
    """The answer is in hand, so recording it is tried again while the file is busy or
    the disk full; but not while the folder is read-only or the file damaged (waiting
    will not help), and not for minutes more once LeadDesk is closing (the window waits
    for this thread)."""
    (lead_id,) = store.add_many([(make_lead(1), sandbox.url())])
    monkeypatch.setattr("leaddesk.sending.outbox.RECORD_RETRY_SECONDS", (0.01,) * 8)
    stop = threading.Event()
    calls: list[int] = []

    def cannot_record(*args: object, **kwargs: object) -> None:
        calls.append(1)
        stop.set()  # the agent closes the window meanwhile
        raise StoreError("Cannot use the history database: it is locked.", lasting=lasting)

    monkeypatch.setattr(store, "record", cannot_record)
    with Outbox(store, poster, FAST, senders) as outbox, pytest.raises(StoreError):
        outbox.run(stop)
    assert len(calls) == tries
    assert store.states([lead_id]) == {lead_id: State.SENDING}  # unconfirmed at next start


def test_recording_an_answer_is_tried_again_while_the_file_is_busy(
    store: Store, poster: Poster, sandbox: Sandbox, senders: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (lead_id,) = store.add_many([(make_lead(1), sandbox.url())])
    monkeypatch.setattr("leaddesk.sending.outbox.RECORD_RETRY_SECONDS", (0.01,) * 8)
    record = store.record
    failures = [StoreError("Cannot use the history database: it is locked.")] * 2

    def busy_twice(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return record(*args, **kwargs)

    monkeypatch.setattr(store, "record", busy_twice)
    with Outbox(store, poster, FAST, senders) as outbox:
        outbox.run_until_final([lead_id], threading.Event())
    assert failures == []
    assert store.states([lead_id]) == {lead_id: State.ACCEPTED}  # the answer was not lost
