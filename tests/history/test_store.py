"""The history store: real SQLite files, real posts to the sandbox, real disk trouble."""

from __future__ import annotations

import contextlib
import hashlib
import os
import random
import shutil
import sqlite3
import stat
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.errors import StoreError
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import NEEDS_ATTENTION, State
from leaddesk.history.schema import SCHEMA_VERSION
from leaddesk.history.store import PURGED_REPLY, Claim, Store, StoredLead
from leaddesk.sandbox import REJECT_MESSAGE, Faults, Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Outcome, Poster, PostResult, Timeouts
from leaddesk.wire.formats import cut_document, everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.history_data import version_1_database
from tests.support.leads import make_lead

DAY = 86400.0
OWNER = "test-owner"
# The store's busy timeout is 5 s; an error must come within it (plus slack for a slow CI).
BUSY_TIMEOUT = 5.0


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sidecars(path: Path) -> list[Path]:
    return [Path(f"{path}{suffix}") for suffix in ("-wal", "-shm", "-journal")]


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(Timeouts(connect=2.0, read=5.0, deadline=10.0)) as opened:
        yield opened


@pytest.fixture
def dead_url() -> str:
    """A loopback address where nothing listens: posts to it are refused, never sent."""
    probe = Sandbox().start()
    url = probe.url("demo")
    probe.stop()
    return url


def post_claimed(poster: Poster, claim: Claim | None) -> PostResult:
    assert claim is not None, "nothing was claimed"
    return poster.post(claim.destination, [stored.lead for stored in claim.leads], claim.request)


def claimed_leads(claim: Claim | None) -> list[StoredLead]:
    return [] if claim is None else list(claim.leads)


def send_once(
    store: Store, poster: Poster, sending: Sending, now: float | None = None
) -> list[StoredLead]:
    """Claim what is due, post it for real, record it: one turn of the send loop."""
    claim = store.claim(OWNER, sending.batch_size, everywhere(SECURITYTRAX_XML), now=now)
    assert claim is not None, "nothing was claimed"
    return store.record(OWNER, claim, post_claimed(poster, claim), sending, now=now)


SENDING = Sending(retry_limit=3, backoff_seconds=10.0, backoff_max_seconds=15.0)
ONE_TRY = Sending(retry_limit=1)


# --- adding and claiming ---------------------------------------------------------------


def test_added_lead_is_queued_and_visible_to_another_connection(
    store: Store, db_path: Path
) -> None:
    lead_id = store.add(make_lead(1), "http://127.0.0.1:9/demo/leadpostxml.php")
    with Store(db_path) as other:
        stored = other.get(lead_id)
    assert stored is not None
    assert stored.state is State.QUEUED
    assert stored.lead.lead_company_unique_id, "a lead ID is given before any post"
    assert stored.lead.fname == "Ann"
    assert stored.attempts == 0


def test_claim_marks_sending_and_two_owners_never_claim_the_same_lead(
    store: Store, db_path: Path
) -> None:
    ids = store.add_many([(make_lead(i), "http://127.0.0.1:9/a/leadpostxml.php") for i in range(5)])
    first = claimed_leads(store.claim("one", 3, everywhere(SECURITYTRAX_XML)))
    with Store(db_path) as other:
        second = claimed_leads(other.claim("two", 10, everywhere(SECURITYTRAX_XML)))
        third = claimed_leads(other.claim("three", 10, everywhere(SECURITYTRAX_XML)))
    assert [lead.id for lead in first] == ids[:3]
    assert [lead.id for lead in second] == ids[3:]
    assert third == []
    assert all(lead.state is State.SENDING for lead in first + second)
    assert {lead.state for lead in store.get_many(ids)} == {State.SENDING}


@pytest.mark.parametrize(
    ("faults", "state", "status"),
    [
        (Faults(), State.ACCEPTED, 200),
        (Faults(reject_rate=1.0), State.REJECTED, 200),
        (Faults(error_rate=1.0), State.UNCONFIRMED, 500),
        (Faults(lost_reply_rate=1.0), State.UNCONFIRMED, None),
        (Faults(garbage_rate=1.0), State.UNCONFIRMED, 200),
    ],
    ids=["accepted", "rejected", "http-500", "lost-reply", "garbage"],
)
def test_record_gives_each_outcome_its_state(
    store: Store,
    poster: Poster,
    sandbox: Sandbox,
    faults: Faults,
    state: State,
    status: int | None,
) -> None:
    sandbox.faults = faults
    lead_id = store.add(make_lead(1), sandbox.url())
    claim = store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML))
    assert [lead.state for lead in claimed_leads(claim)] == [State.SENDING]
    result = post_claimed(poster, claim)
    assert claim is not None
    (after,) = store.record(OWNER, claim, result, SENDING)

    assert after.id == lead_id
    assert after.state is state
    assert after.due_at is None, "a final lead is not due again"
    assert store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML)) is None, (
        "a final lead is never claimed again"
    )
    (attempt,) = store.attempts(lead_id)
    assert attempt.status == status
    assert attempt.destination == sandbox.url()
    assert claimed_leads(claim)[0].lead.lead_company_unique_id in attempt.request
    if state is State.ACCEPTED:
        (accepted,) = sandbox.accepted
        assert after.customer_id == accepted["customer_id"] == attempt.customer_id
        assert after.errors == ()
        assert attempt.outcome is Outcome.ACCEPTED
        assert accepted["customer_id"] in attempt.reply
    elif state is State.REJECTED:
        assert after.errors == (REJECT_MESSAGE,)
        assert after.customer_id == ""
        assert attempt.outcome is Outcome.REJECTED
    else:
        assert after.errors, "an unconfirmed lead says why"
        assert attempt.outcome is Outcome.UNCONFIRMED


def test_record_matches_each_lead_of_a_mixed_batch(
    store: Store, poster: Poster, sandbox: Sandbox
) -> None:
    sandbox.faults = Faults(reject_rate=0.5, seed=7)
    ids = store.add_many([(make_lead(i), sandbox.url()) for i in range(12)])
    updated = send_once(store, poster, Sending(batch_size=12))
    assert [lead.id for lead in updated] == ids
    assert sandbox.posts == 1
    by_unique_id = {lead["lead_company_unique_id"]: lead for lead in sandbox.accepted}
    assert 0 < len(by_unique_id) < 12, "the seed should give a mix of outcomes"
    for lead in updated:
        accepted = by_unique_id.get(lead.lead.lead_company_unique_id)
        if accepted is None:
            assert lead.state is State.REJECTED
        else:
            assert lead.state is State.ACCEPTED
            assert lead.customer_id == accepted["customer_id"]
            assert lead.lead.phone1 == accepted["phone1"]


def test_not_sent_is_queued_with_backoff_then_failed_at_retry_limit(
    store: Store, poster: Poster, dead_url: str
) -> None:
    t0 = time.time()
    lead_id = store.add(make_lead(1), dead_url, now=t0)

    first = send_once(store, poster, SENDING, now=t0)[0]
    assert first.state is State.QUEUED
    assert (first.tries, first.due_at) == (1, t0 + 10.0)
    assert store.next_due() == t0 + 10.0
    assert store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=t0 + 9.9) is None, (
        "not due before its backoff"
    )

    second = send_once(store, poster, SENDING, now=t0 + 10.0)[0]
    assert second.state is State.QUEUED
    assert (second.tries, second.due_at) == (2, t0 + 10.0 + 15.0), "20 s capped at 15 s"
    assert store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=t0 + 24.9) is None

    third = send_once(store, poster, SENDING, now=t0 + 25.0)[0]
    assert third.state is State.FAILED
    assert (third.tries, third.due_at) == (3, None)
    assert third.errors and "connect" in third.errors[0].lower()
    assert store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML), now=t0 + 10 * DAY) is None
    assert store.next_due() is None

    attempts = store.attempts(lead_id)
    assert [attempt.outcome for attempt in attempts] == [Outcome.NOT_SENT] * 3
    assert all(attempt.status is None for attempt in attempts)
    assert third.attempts == 3


# --- resending -------------------------------------------------------------------------


def lead_in_state(
    state: State, store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> StoredLead:
    """A lead brought to `state` by real posts."""
    faults = {
        State.ACCEPTED: Faults(),
        State.REJECTED: Faults(reject_rate=1.0),
        State.UNCONFIRMED: Faults(lost_reply_rate=1.0),
        State.FAILED: Faults(),
    }[state]
    sandbox.faults = faults
    url = dead_url if state is State.FAILED else sandbox.url()
    store.add(make_lead(1), url)
    (stored,) = send_once(store, poster, ONE_TRY)
    assert stored.state is state
    sandbox.faults = Faults()
    return stored


@pytest.mark.parametrize("state", [State.REJECTED, State.FAILED])
def test_rejected_or_failed_lead_can_be_requeued_keeping_id_and_attempts(
    state: State, store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> None:
    before = lead_in_state(state, store, poster, sandbox, dead_url)
    store.requeue(before.id, destination=sandbox.url())
    queued = store.get(before.id)
    assert queued is not None
    assert queued.state is State.QUEUED
    assert queued.tries == 0
    assert queued.attempts == 1, "earlier attempts are kept"
    assert queued.lead.lead_company_unique_id == before.lead.lead_company_unique_id

    (after,) = send_once(store, poster, ONE_TRY)
    assert after.id == before.id
    assert after.state is State.ACCEPTED
    assert after.attempts == 2
    assert [lead["lead_company_unique_id"] for lead in sandbox.accepted] == [
        before.lead.lead_company_unique_id
    ]
    assert [attempt.outcome for attempt in store.attempts(before.id)] == [
        Outcome.REJECTED if state is State.REJECTED else Outcome.NOT_SENT,
        Outcome.ACCEPTED,
    ]


def test_unconfirmed_lead_needs_force_and_keeps_its_lead_id(
    store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> None:
    before = lead_in_state(State.UNCONFIRMED, store, poster, sandbox, dead_url)
    unique_id = before.lead.lead_company_unique_id
    with pytest.raises(ValueError, match="--force"):
        store.requeue(before.id)
    still = store.get(before.id)
    assert still is not None and still.state is State.UNCONFIRMED

    store.requeue(before.id, force=True)
    (after,) = send_once(store, poster, ONE_TRY)
    assert after.state is State.ACCEPTED
    assert after.lead.lead_company_unique_id == unique_id
    assert after.attempts == 2
    # The lost reply's post did arrive: the dealer got it twice, under the same lead ID.
    assert sandbox.accepted_count()[unique_id] == 2


def test_accepted_and_sending_leads_are_not_requeued(
    store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> None:
    accepted = lead_in_state(State.ACCEPTED, store, poster, sandbox, dead_url)
    with pytest.raises(ValueError, match="already accepted"):
        store.requeue(accepted.id, force=True)
    queued_id = store.add(make_lead(2), sandbox.url())
    store.claim(OWNER, 10, everywhere(SECURITYTRAX_XML))
    with pytest.raises(ValueError, match="being sent right now"):
        store.requeue(queued_id, force=True)
    with pytest.raises(ValueError, match="no lead 999"):
        store.requeue(999)
    states = {lead.id: lead.state for lead in store.history()}
    assert states == {accepted.id: State.ACCEPTED, queued_id: State.SENDING}


def test_replace_lead_edits_a_rejected_lead_keeping_its_identity(
    store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> None:
    before = lead_in_state(State.REJECTED, store, poster, sandbox, dead_url)
    unique_id = before.lead.lead_company_unique_id
    edited = make_lead(50, fname="Annie", lname="Smythe", lead_company_unique_id="SOMETHING-ELSE")
    store.replace_lead(before.id, edited)

    after = store.get(before.id)
    assert after is not None
    assert after.lead.fname == "Annie"
    assert after.lead.phone1 == "8013120050"
    assert after.lead.lead_company_unique_id == unique_id
    assert after.attempts == 1
    assert [lead.id for lead in store.history(search="annie smythe")] == [before.id]

    store.requeue(before.id)
    # Queued again, it counts for the duplicate guard under its edited phone and name.
    assert store.find_duplicate(make_lead(50, lname="SMYTHE"), 30) == before.id
    assert store.find_duplicate(make_lead(1), 30) is None
    send_once(store, poster, ONE_TRY)
    (accepted,) = sandbox.accepted
    assert accepted["fname"] == "Annie"
    assert accepted["lead_company_unique_id"] == unique_id


@pytest.mark.parametrize("state", [State.ACCEPTED, State.UNCONFIRMED])
def test_replace_lead_refuses_leads_that_may_be_with_the_dealer(
    state: State, store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> None:
    before = lead_in_state(state, store, poster, sandbox, dead_url)
    with pytest.raises(ValueError, match="only rejected or failed"):
        store.replace_lead(before.id, make_lead(60, fname="Zed"))
    after = store.get(before.id)
    assert after is not None and after.lead == before.lead


# --- the duplicate guard ---------------------------------------------------------------


def test_duplicate_guard_matches_phone_and_last_name_case_insensitively(store: Store) -> None:
    now = time.time()
    url = "http://127.0.0.1:9/demo/leadpostxml.php"
    earlier = store.add(make_lead(1, lname="Straße"), url, now=now - 29 * DAY)
    assert store.find_duplicate(make_lead(1, lname="STRASSE"), 30, now=now) == earlier
    assert store.find_duplicate(make_lead(1, lname="strasse", fname="Other"), 30, now=now) == (
        earlier
    )
    assert store.find_duplicate(make_lead(2, lname="Straße"), 30, now=now) is None, "other phone"
    assert store.find_duplicate(make_lead(1, lname="Strauss"), 30, now=now) is None
    assert store.find_duplicate(make_lead(1, lname="Straße"), 28, now=now) is None, "too old"
    assert store.find_duplicate(make_lead(1, lname="Straße"), 0, now=now) is None, "guard off"


def test_duplicate_guard_matches_a_last_name_typed_without_its_accents(store: Store) -> None:
    url = "http://127.0.0.1:9/demo/leadpostxml.php"
    earlier = store.add(make_lead(1, lname="Núñez"), url)
    assert store.find_duplicate(make_lead(1, lname="Nunez"), 30) == earlier
    assert store.find_duplicate(make_lead(1, lname="NUÑEZ"), 30) == earlier
    assert store.find_duplicate(make_lead(1, lname="Nuñes"), 30) is None


def test_duplicate_guard_finds_a_lead_an_older_leaddesk_keyed_the_old_way(store: Store) -> None:
    # An older LeadDesk, still open while this one updated the file, keys its leads by
    # casefold alone.
    url = "http://127.0.0.1:9/demo/leadpostxml.php"
    earlier = store.add(make_lead(1, lname="Núñez"), url)
    with store.transaction() as db:
        db.execute("UPDATE leads SET lname_key = 'núñez' WHERE id = ?", (earlier,))
    assert store.find_duplicate(make_lead(1, lname="Nunez"), 30) == earlier
    assert store.find_duplicate(make_lead(1, lname="Núñez"), 30) == earlier


def test_duplicate_guard_ignores_rejected_leads_but_not_other_states(
    store: Store, poster: Poster, sandbox: Sandbox, dead_url: str
) -> None:
    rejected = lead_in_state(State.REJECTED, store, poster, sandbox, dead_url)
    assert store.find_duplicate(make_lead(1), 30) is None
    queued = store.add(make_lead(1), sandbox.url())
    assert store.find_duplicate(make_lead(1), 30) == queued
    sandbox.faults = Faults(error_rate=1.0)
    (unconfirmed,) = send_once(store, poster, ONE_TRY)
    assert unconfirmed.state is State.UNCONFIRMED
    assert store.find_duplicate(make_lead(1), 30) == queued
    sandbox.faults = Faults()
    store.add(make_lead(2), dead_url)
    (failed,) = send_once(store, poster, ONE_TRY)
    assert failed.state is State.FAILED
    assert store.find_duplicate(make_lead(2), 30) == failed.id
    assert rejected.id not in (queued, failed.id)


# --- reading the history ---------------------------------------------------------------


def test_history_is_newest_first_with_state_filter_search_and_limit(
    store: Store, poster: Poster, sandbox: Sandbox
) -> None:
    url = sandbox.url()
    ann = store.add(make_lead(1, fname="Ann", lname="Smith", email="ann@example.com"), url)
    bob = store.add(make_lead(2, fname="Bob", lname="Jones"), url)
    odd = store.add(make_lead(3, fname="Cat", lname="100%_Sure"), url)
    (accepted_ann,) = send_once(store, poster, Sending(batch_size=1))
    assert accepted_ann.id == ann

    def found(**query: object) -> list[int]:
        return [lead.id for lead in store.history(**query)]  # type: ignore[arg-type]

    assert found() == [odd, bob, ann]
    assert found(limit=2) == [odd, bob]
    assert found(state=State.ACCEPTED) == [ann]
    assert found(state=State.QUEUED) == [odd, bob]
    assert found(state=State.REJECTED) == []
    assert found(search="ann smith") == [ann]
    assert found(search="  BOB  ") == [bob]
    assert found(search="ann@example") == [ann]
    assert found(search="(801) 312-0002") == [bob], "phone searched by its digits"
    assert found(search=accepted_ann.customer_id) == [ann]
    assert found(search=accepted_ann.lead.lead_company_unique_id) == [ann]
    assert found(search="%") == [odd], "% is a literal, not a wildcard"
    assert found(search="_") == [odd], "_ is a literal, not a wildcard"
    assert found(search="nobody") == []
    assert found(search="smith", state=State.QUEUED) == []


def test_search_for_an_email_with_a_digit_finds_only_that_lead(store: Store) -> None:
    url = "http://127.0.0.1:9/demo/leadpostxml.php"
    ann = store.add(make_lead(1, fname="Ann", email="ann2@example.com"), url)
    store.add(make_lead(2, fname="Bob", email="bob@example.com"), url)  # phone 8013120002
    store.add(make_lead(3, fname="Cy", lname="Unit 2"), url)
    assert [lead.id for lead in store.history(search="ann2@example.com")] == [ann]


def test_counts_by_state(store: Store, poster: Poster, sandbox: Sandbox) -> None:
    store.add_many([(make_lead(i), sandbox.url()) for i in range(3)])
    send_once(store, poster, Sending(batch_size=2))
    assert store.counts() == {State.ACCEPTED: 2, State.QUEUED: 1}


# --- purging ---------------------------------------------------------------------------


def test_purge_deletes_old_finished_leads_only(
    store: Store, poster: Poster, sandbox: Sandbox
) -> None:
    now = time.time()
    url = sandbox.url()
    old_accepted = store.add(make_lead(1), url, now=now - 40 * DAY)
    recent_accepted = store.add(make_lead(2), url, now=now - 1 * DAY)
    # Both go out in one post: purging the old one must keep the post of the recent one.
    send_once(store, poster, Sending(batch_size=2), now=now - 1 * DAY)
    old_sending = store.add(make_lead(4), url, now=now - 40 * DAY)
    store.claim(OWNER, 1, everywhere(SECURITYTRAX_XML), now=now - 40 * DAY)
    old_queued = store.add(make_lead(3), url, now=now - 40 * DAY)
    old_sending_lead = store.get(old_sending)
    assert old_sending_lead is not None and old_sending_lead.state is State.SENDING
    old_queued_lead = store.get(old_queued)
    assert old_queued_lead is not None and old_queued_lead.state is State.QUEUED

    assert store.purge(30, cut_document, now=now) == 1
    remaining = {lead.id: lead.state for lead in store.history()}
    assert remaining == {
        recent_accepted: State.ACCEPTED,
        old_queued: State.QUEUED,
        old_sending: State.SENDING,
    }
    assert store.attempts(old_accepted) == []
    (kept,) = store.attempts(recent_accepted)
    assert kept.outcome is Outcome.ACCEPTED
    assert store.purge(30, cut_document, now=now) == 0


# --- the file itself -------------------------------------------------------------------


@pytest.fixture(params=[0o022, 0o000], ids=["umask-022", "umask-000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    value: int = request.param
    old = os.umask(value)
    try:
        yield value
    finally:
        os.umask(old)


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_database_and_its_wal_and_shm_are_owner_only(umask: int, db_path: Path) -> None:
    with Store(db_path) as store:
        store.add(make_lead(1), "http://127.0.0.1:9/demo/leadpostxml.php")
        for path in (db_path, Path(f"{db_path}-wal"), Path(f"{db_path}-shm")):
            assert path.exists(), f"{path.name} should exist while the store is open"
            mode = stat.S_IMODE(path.stat().st_mode)
            assert mode == 0o600, f"{path.name} has mode {mode:o}"
    assert stat.S_IMODE(db_path.parent.stat().st_mode) == 0o700


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_existing_readable_database_is_made_owner_only(db_path: Path) -> None:
    Store(db_path).close()
    db_path.chmod(0o644)
    with Store(db_path) as store:
        store.add(make_lead(1), "http://127.0.0.1:9/demo/leadpostxml.php")
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(Path(f"{db_path}-wal").stat().st_mode) == 0o600


def test_schema_version_and_wal_are_set(db_path: Path) -> None:
    with Store(db_path) as store:
        store.add(make_lead(1), "http://127.0.0.1:9/demo/leadpostxml.php")
    with Store(db_path) as again:
        assert len(again.history()) == 1, "opening again migrates nothing away"
    check = sqlite3.connect(db_path)
    try:
        assert check.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert check.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    finally:
        check.close()


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_newer_database_is_refused_and_left_unchanged(db_path: Path, journal_mode: str) -> None:
    db_path.parent.mkdir(parents=True)
    newer = sqlite3.connect(db_path, isolation_level=None)
    newer.execute(f"PRAGMA journal_mode = {journal_mode}")
    newer.execute("CREATE TABLE leads_v99 (id INTEGER PRIMARY KEY, data TEXT)")
    newer.execute("INSERT INTO leads_v99 (data) VALUES ('a lead from the future')")
    newer.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 98}")
    newer.close()
    before = digest(db_path)

    with pytest.raises(StoreError) as refused:
        Store(db_path)
    message = str(refused.value)
    assert "newer LeadDesk" in message
    assert str(db_path) in message
    assert digest(db_path) == before, "a newer database must be left byte-for-byte unchanged"


def test_random_bytes_are_refused_and_the_file_is_not_recreated(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    junk = random.Random(3).randbytes(16384)
    db_path.write_bytes(junk)
    for _ in range(2):  # a second try must not "repair" it by starting afresh either
        with pytest.raises(StoreError) as refused:
            Store(db_path)
        message = str(refused.value)
        assert str(db_path) in message
        assert "not a LeadDesk database or is damaged" in message
        assert "has not changed it" in message
        assert db_path.read_bytes() == junk


def test_a_damaged_older_history_says_so_while_being_updated(db_path: Path) -> None:
    """The update to this version's schema reads every row: damage found there is told
    as damage too, not raised as SQLite's own error."""
    version_1_database(db_path, [("accepted", "1.00")] * 400)
    with contextlib.closing(sqlite3.connect(db_path)) as db:  # WAL, as LeadDesk writes it
        db.execute("PRAGMA journal_mode = WAL")
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for page in range(3, len(data) // page_size):  # page 1 (header, schema) intact
        data[page * page_size + 100 : page * page_size + 400] = b"\xff" * 300
    db_path.write_bytes(bytes(data))
    before = digest(db_path)
    with pytest.raises(StoreError, match="damaged"):
        Store(db_path)
    assert digest(db_path) == before


@pytest.mark.parametrize("damage", ["garbled-pages", "truncated"])
def test_damaged_database_surfaces_as_store_error_and_is_left_alone(
    db_path: Path, damage: str
) -> None:
    with Store(db_path) as store:
        store.add_many(
            [(make_lead(i, lead_comments="x" * 2000), "http://127.0.0.1:9/a/b") for i in range(40)]
        )
    data = bytearray(db_path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    assert len(data) > 4 * page_size
    if damage == "truncated":  # e.g. a copy that stopped half way
        del data[len(data) // 2 :]
    else:  # keep page 1 (header and schema), ruin every table page
        data[page_size:] = random.Random(5).randbytes(len(data) - page_size)
    db_path.write_bytes(bytes(data))
    before = digest(db_path)

    with pytest.raises(StoreError, match="damaged"), Store(db_path) as damaged:
        damaged.history()
        damaged.add(make_lead(99), "http://127.0.0.1:9/a/b")
    assert digest(db_path) == before


# --- environment trouble ---------------------------------------------------------------


def test_data_directory_that_cannot_be_created(tmp_path: Path) -> None:
    # As root, permissions do not stop writes; a data directory under a regular file cannot be
    # created by anyone.
    blocker = tmp_path / "home"
    blocker.write_text("not a folder")
    path = blocker / "data" / "history.sqlite3"
    with pytest.raises(StoreError) as refused:
        Store(path)
    assert str(path) in str(refused.value)
    assert "Not a directory" in str(refused.value)
    assert blocker.read_text() == "not a folder"


@pytest.mark.skipif(
    os.name != "posix" or os.geteuid() == 0,
    reason="root ignores directory permissions; see the read-only file system tests",
)
@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_read_only_data_directory_by_permissions(tmp_path: Path, existing: bool) -> None:
    data = tmp_path / "data"
    path = data / "history.sqlite3"
    if existing:
        with Store(path) as store:
            store.add(make_lead(1), "http://127.0.0.1:9/a/b")
    else:
        data.mkdir(mode=0o700)
    data.chmod(0o500)
    try:
        with pytest.raises(StoreError) as refused, Store(path) as store:
            store.add(make_lead(2), "http://127.0.0.1:9/a/b")
        assert str(path) in str(refused.value)
    finally:
        data.chmod(0o700)
    if existing:
        with Store(path) as store:
            assert [lead.lead.phone1 for lead in store.history()] == ["8013120001"]


def _mount_tmpfs(where: Path, size: str) -> None:
    if os.name != "posix" or shutil.which("mount") is None:
        pytest.skip("needs the mount command")
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    result = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size},mode=0700", "tmpfs", str(where)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")


def _remount(where: Path, option: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{option}", str(where)], check=True)


@pytest.fixture
def tiny_fs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MiB file system of our own, to fill up or make read-only."""
    where = tmp_path / "tiny"
    where.mkdir()
    _mount_tmpfs(where, "1m")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.parametrize("existing", [False, True], ids=["new", "existing"])
def test_read_only_file_system(tiny_fs: Path, existing: bool) -> None:
    path = tiny_fs / "data" / "history.sqlite3"
    if existing:
        with Store(path) as store:
            stored = store.add(make_lead(1), "http://127.0.0.1:9/a/b")
        before = digest(path)
    else:
        (tiny_fs / "data").mkdir()
    _remount(tiny_fs, "ro")
    try:
        with pytest.raises(StoreError) as refused, Store(path) as store:
            store.add(make_lead(2), "http://127.0.0.1:9/a/b")
        message = str(refused.value)
        assert str(path) in message
        assert "read-only" in message.lower()
    finally:
        _remount(tiny_fs, "rw")
    if existing:
        assert digest(path) == before
        with Store(path) as store:
            assert [lead.id for lead in store.history()] == [stored]
    else:
        assert not path.exists(), "nothing is created on a read-only file system"


def test_disk_full_raises_store_error_and_keeps_what_was_stored(tiny_fs: Path) -> None:
    path = tiny_fs / "data" / "history.sqlite3"
    url = "http://127.0.0.1:9/a/b"
    big = "x" * 3900  # lead_comments near its limit, so that every lead needs new pages
    stored: dict[int, Lead] = {}
    with Store(path) as store:
        for i in range(3):
            lead = make_lead(i, lead_comments=big)
            stored[store.add(lead, url)] = lead
        filler = tiny_fs / "filler"
        with filler.open("wb", buffering=0) as out:
            try:
                while True:
                    out.write(b"\0" * 4096)
            except OSError as error:
                assert error.errno == 28  # ENOSPC
        failure: StoreError | None = None
        for i in range(3, 60):
            lead = make_lead(i, lead_comments=big)
            try:
                stored[store.add(lead, url)] = lead
            except StoreError as error:
                failure = error
                break
        assert failure is not None, "a full disk never made add() fail"
        assert str(path) in str(failure)
        assert "full" in str(failure) or "disk" in str(failure)
        assert sorted(lead.id for lead in store.history()) == sorted(stored)
        filler.unlink()
        # Space is back: the same store works again.
        stored[store.add(make_lead(99), url)] = make_lead(99)

    with Store(path) as reopened:
        found = {lead.id: lead for lead in reopened.history()}
    assert sorted(found) == sorted(stored)
    for lead_id, lead in stored.items():
        assert found[lead_id].lead.phone1 == lead.phone1
        assert found[lead_id].lead.lead_comments == lead.lead_comments
        assert found[lead_id].state is State.QUEUED


def test_locked_database_is_reported_busy_within_the_timeout(db_path: Path) -> None:
    url = "http://127.0.0.1:9/a/b"
    with Store(db_path) as store:
        first = store.add(make_lead(1), url)
    locker = sqlite3.connect(db_path, isolation_level=None)
    try:
        locker.execute("BEGIN EXCLUSIVE")
        started = time.monotonic()
        with pytest.raises(StoreError) as refused, Store(db_path) as store:
            store.add(make_lead(2), url)
        waited = time.monotonic() - started
        assert "busy" in str(refused.value)
        assert str(db_path) in str(refused.value)
        assert waited < BUSY_TIMEOUT + 3.0, f"took {waited:.1f} s"
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    with Store(db_path) as store:
        assert [lead.id for lead in store.history()] == [first]
        second = store.add(make_lead(2), url)
        assert [lead.id for lead in store.history()] == [second, first]


def test_counts_of_some_states_leave_the_others_out(store: Store) -> None:
    ids = store.add_many([(make_lead(i), "http://127.0.0.1:9/a/b") for i in range(3)])
    with store.transaction() as db:
        db.execute("UPDATE leads SET state = 'accepted' WHERE id = ?", (ids[0],))
    assert store.counts() == {State.ACCEPTED: 1, State.QUEUED: 2}
    assert store.counts([State.QUEUED, State.SENDING]) == {State.QUEUED: 2}
    assert store.counts([]) == {}  # none asked for: none counted, not every state
    ran: list[str] = []
    store._db.set_trace_callback(ran.append)  # the statement counts() runs, as it runs it
    store.counts([State.QUEUED, State.SENDING])
    store._db.set_trace_callback(None)
    (statement,) = [sql for sql in ran if sql.startswith("SELECT")]
    plan = " ".join(str(step[-1]) for step in store.read(f"EXPLAIN QUERY PLAN {statement}"))
    assert "SEARCH" in plan and "INDEX" in plan, plan  # a range of an index, not a scan


def test_purge_leaves_nothing_of_a_purged_lead_in_a_post_it_shared(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store, Sandbox() as sandbox, Poster() as poster:
        old = store.add(
            make_lead(1, fname="Purgedfirst"), sandbox.url(), now=time.time() - 40 * DAY
        )
        kept = store.add(make_lead(2, fname="Keptfirst"), sandbox.url())
        with Outbox(store, poster, Sending(batch_size=5), tmp_path / "senders") as outbox:
            outbox.run_until_final([old, kept], threading.Event())
        assert store.purge(30, cut_document) == 1
        (attempt,) = store.attempts(kept)
        assert "Keptfirst" in attempt.request
        assert "Purgedfirst" not in attempt.request
        assert attempt.reply == PURGED_REPLY
        everything = b"".join(
            str(row).encode() for row in store.read("SELECT request, reply FROM posts")
        )
        assert b"Purgedfirst" not in everything


def test_purge_keeps_a_shared_post_as_it_was_sent_although_a_kept_lead_was_fixed(
    tmp_path: Path,
) -> None:
    """The post is the record of what was sent: a kept lead fixed since (edit and resend)
    must show there as it went, not as it is now."""
    with Store(tmp_path / "h.sqlite3") as store, Sandbox() as sandbox, Poster() as poster:
        old = store.add(make_lead(1, fname="Ann"), sandbox.url(), now=time.time() - 40 * DAY)
        refused = make_lead(2, fname="Bob").replace(phone2="123")  # as stored by
        kept = store.add(refused, sandbox.url())  # an older LeadDesk: the dealer refuses it
        with Outbox(store, poster, Sending(batch_size=5), tmp_path / "senders") as outbox:
            outbox.run_until_final([old, kept], threading.Event())
        assert store.states([old, kept]) == {old: State.ACCEPTED, kept: State.REJECTED}
        store.replace_lead(kept, make_lead(2, fname="Robert"))
        assert store.purge(30, cut_document, keep_unresolved=True) == 1
        (first, *_) = store.attempts(kept)
        assert "<fname>Bob</fname>" in first.request
        assert "<phone2>123</phone2>" in first.request
        assert "Robert" not in first.request
        assert "<fname>Ann</fname>" not in first.request


def test_retention_keeps_leads_that_still_need_a_person(tmp_path: Path) -> None:
    with Store(tmp_path / "h.sqlite3") as store:
        ids = {
            state: store.add(make_lead(i), "http://127.0.0.1:9/a", now=time.time() - 40 * DAY)
            for i, state in enumerate([State.ACCEPTED, *sorted(NEEDS_ATTENTION)])
        }
        for state, lead_id in ids.items():
            with store.transaction() as db:
                db.execute("UPDATE leads SET state = ? WHERE id = ?", (state.value, lead_id))
        assert store.purge(30, cut_document, keep_unresolved=True) == 1
        assert {lead.state for lead in store.history()} == set(NEEDS_ATTENTION)


@pytest.mark.parametrize("attempt", range(5))
def test_several_openers_of_a_new_history_at_once_all_succeed(tmp_path: Path, attempt: int) -> None:
    """CI once saw 'database is locked' at once here: SQLite does not always wait its busy
    timeout while another connection switches a new file to WAL or migrates it."""
    path = tmp_path / "h.sqlite3"
    failures: list[BaseException] = []

    def open_it() -> None:
        try:
            with Store(path) as store:
                store.add(make_lead(threading.get_ident() % 1000), "http://127.0.0.1:9/a")
        except BaseException as error:  # reported below
            failures.append(error)

    threads = [threading.Thread(target=open_it) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
