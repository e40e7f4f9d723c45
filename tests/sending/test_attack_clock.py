"""A clock put back (NTP after a machine ran ahead, a laptop resumed with the wrong time)
after leads were queued or given a retry time: they go out when the dealer is reachable,
not once the clock has caught up with the wrong time, hours or days later."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Outcome, Poster, Timeouts
from leaddesk.wire.formats import DEFAULT_FORMAT, everywhere
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, accepted_reply

QUICK = Timeouts(connect=2.0, read=3.0, deadline=8.0)
SENDING = Sending(batch_size=5, retry_limit=6)
BUSY = b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 0\r\n\r\n"
AHEAD = 26 * 3600.0  # how far the clock was wrong while the leads were queued or tried


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(QUICK) as client:
        yield client


def a_dead_address() -> str:
    probe = Sandbox().start()
    url = probe.url()
    probe.stop()
    return url


def send_now(store: Store, poster: Poster, senders: Path) -> list[State]:
    with Outbox(store, poster, SENDING, senders) as outbox:
        return [lead.state for lead in outbox.send_due()]


def test_a_lead_queued_while_the_clock_ran_ahead_goes_out_at_once(
    store: Store, poster: Poster, sandbox: Sandbox, tmp_path: Path
) -> None:
    wrong_now = time.time() + AHEAD
    [lead_id] = store.add_many([(make_lead(1), sandbox.url())], now=wrong_now)
    assert send_now(store, poster, tmp_path / "senders") == [State.ACCEPTED]
    assert sandbox.accepted_count() and set(sandbox.accepted_count().values()) == {1}
    assert store.states([lead_id]) == {lead_id: State.ACCEPTED}


def test_a_retry_timed_while_the_clock_ran_ahead_goes_out_at_once(
    store: Store, poster: Poster, tmp_path: Path
) -> None:
    wrong_now = time.time() + AHEAD
    answers = [BUSY]
    with RawHttpServer(lambda request: answers[-1]) as dealer:
        [lead_id] = store.add_many([(make_lead(1), dealer.url)], now=wrong_now)
        # Tried while the clock was ahead: the dealer was busy, to be tried again later.
        claim = store.claim("an-earlier-run", 5, everywhere(DEFAULT_FORMAT), now=wrong_now)
        assert claim is not None
        post = poster.post(dealer.url, [stored.lead for stored in claim.leads], claim.request)
        assert [result.outcome for result in post.results] == [Outcome.NOT_SENT]
        store.record("an-earlier-run", claim, post, SENDING, now=wrong_now)
        # The clock is put right; the dealer takes leads again.
        answers.append(accepted_reply(1))
        assert send_now(store, poster, tmp_path / "senders") == [State.ACCEPTED]
    assert len(dealer.stored) == 2
    assert store.states([lead_id]) == {lead_id: State.ACCEPTED}


def test_a_retry_waits_its_time_when_the_clock_is_right(
    store: Store, poster: Poster, sandbox: Sandbox, tmp_path: Path
) -> None:
    """The check that the two above fail for the right reason: a retry time set by the
    clock as it is now is kept."""
    dead = a_dead_address()
    [lead_id] = store.add_many([(make_lead(1), dead)])
    assert send_now(store, poster, tmp_path / "senders") == [State.QUEUED]
    assert send_now(store, poster, tmp_path / "senders") == []
    assert store.states([lead_id]) == {lead_id: State.QUEUED}
