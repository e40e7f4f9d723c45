"""What an HTTP status means for the leads of a post, against a real loopback server that
answers any status line and headers; and through the real Outbox and Store."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sending.http_status import parse_retry_after
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Outcome, Poster, PostResult, Timeouts
from tests.support.leads import make_lead, sample_lead
from tests.support.servers import RawHttpServer

QUICK = Timeouts(connect=2.0, read=3.0, deadline=8.0)
SENDING = Sending(batch_size=5, retry_limit=3, backoff_seconds=0.05, backoff_max_seconds=0.1)
NO_REPLY = b"<html><body>nothing for you here</body></html>"


def answer(status_line: str, *headers: str, body: bytes = NO_REPLY) -> Callable[[bytes], bytes]:
    """A server's answer, byte for byte: 'status_line' is e.g. '404 Not Found'."""
    lines = [f"HTTP/1.1 {status_line}", *headers, f"Content-Length: {len(body)}", "", ""]
    raw = "\r\n".join(lines).encode("latin-1") + body
    return lambda request: raw


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(QUICK) as client:
        yield client


def post(respond: Callable[[bytes], bytes], poster: Poster, name: str = "") -> PostResult:
    with RawHttpServer(respond) as server:
        result = poster.post(server.url, [sample_lead(), sample_lead()], destination_name=name)
    assert len(server.stored) == 2  # every status test made exactly one post
    return result


def the_outcome(result: PostResult) -> tuple[Outcome, str, float | None]:
    """The one outcome, reason and retry_after every lead of the post got."""
    [outcome] = {item.outcome for item in result.results}
    [errors] = {item.errors for item in result.results}
    [retry_after] = {item.retry_after for item in result.results}
    [reason] = errors
    return outcome, reason, retry_after


# --- refused: a person has to fix the destination ----------------------------------------


def test_404_is_refused_naming_the_status_and_the_destination(poster: Poster) -> None:
    outcome, reason, _ = the_outcome(post(answer("404 Not Found"), poster, "Acme Alarms"))
    assert outcome is Outcome.REFUSED
    assert reason == (
        "The dealer's address answered 404 Not Found: check the URL of destination Acme Alarms."
    )


def test_refusal_without_a_destination_name_says_the_destinations_url(poster: Poster) -> None:
    outcome, reason, _ = the_outcome(post(answer("410 Gone"), poster))
    assert outcome is Outcome.REFUSED
    assert "410 Gone" in reason and "check the destination's URL" in reason


@pytest.mark.parametrize("status", ["401 Unauthorized", "403 Forbidden"])
def test_401_and_403_are_refused_asking_to_check_the_source(poster: Poster, status: str) -> None:
    outcome, reason, _ = the_outcome(post(answer(status), poster, "Acme Alarms"))
    assert outcome is Outcome.REFUSED
    assert status in reason and "source ID of destination Acme Alarms" in reason


def test_413_is_refused_asking_for_smaller_posts(poster: Poster) -> None:
    outcome, reason, _ = the_outcome(post(answer("413 Content Too Large"), poster))
    assert outcome is Outcome.REFUSED
    assert "413" in reason and "batch size" in reason


@pytest.mark.parametrize("status", ["307 Temporary Redirect", "308 Permanent Redirect"])
def test_307_and_308_are_refused_saying_where(poster: Poster, status: str) -> None:
    where = "https://new.example/site/leadpostxml.php"
    result = post(answer(status, f"Location: {where}"), poster, "Acme Alarms")
    outcome, reason, _ = the_outcome(result)
    assert outcome is Outcome.REFUSED
    assert status in reason and where in reason and "destination Acme Alarms" in reason


# --- unconfirmed: it may have been processed ----------------------------------------------


@pytest.mark.parametrize("status", ["301 Moved Permanently", "302 Found", "303 See Other"])
def test_301_302_303_are_unconfirmed(poster: Poster, status: str) -> None:
    result = post(answer(status, "Location: /thanks.html"), poster)
    outcome, reason, _ = the_outcome(result)
    assert outcome is Outcome.UNCONFIRMED
    assert status in reason and "/thanks.html" in reason


def test_500_is_unconfirmed(poster: Poster) -> None:
    outcome, reason, retry_after = the_outcome(post(answer("500 Internal Server Error"), poster))
    assert outcome is Outcome.UNCONFIRMED
    assert "500" in reason and retry_after is None


def test_503_carrying_a_reply_is_unconfirmed(poster: Poster) -> None:
    accepted = b'<response success="true"><data><customer_id>7</customer_id></data></response>'
    body = b'<?xml version="1.0"?><root><responses>' + accepted * 2 + b"</responses></root>"
    outcome, _, _ = the_outcome(post(answer("503 Service Unavailable", body=body), poster))
    assert outcome is Outcome.UNCONFIRMED


# --- busy: not sent, tried again when the server says -------------------------------------


@pytest.mark.parametrize(
    "status", ["408 Request Timeout", "429 Too Many Requests", "503 Service Unavailable"]
)
def test_busy_statuses_are_not_sent_with_the_servers_retry_after(
    poster: Poster, status: str
) -> None:
    outcome, reason, retry_after = the_outcome(post(answer(status, "Retry-After: 120"), poster))
    assert outcome is Outcome.NOT_SENT
    assert retry_after == 120
    assert "busy" in reason and "2 min" in reason and status in reason


def test_retry_after_as_an_http_date(poster: Poster) -> None:
    when = format_datetime(datetime.now(UTC) + timedelta(seconds=300), usegmt=True)
    result = post(answer("429 Too Many Requests", f"Retry-After: {when}"), poster)
    _, _, retry_after = the_outcome(result)
    assert retry_after is not None and 290 <= retry_after <= 301


@pytest.mark.parametrize("header", [[], ["Retry-After: soon"], ["Retry-After: "]])
def test_busy_without_a_readable_retry_after_is_retried_with_backoff(
    poster: Poster, header: list[str]
) -> None:
    result = post(answer("503 Service Unavailable", *header), poster)
    outcome, reason, retry_after = the_outcome(result)
    assert outcome is Outcome.NOT_SENT and retry_after is None
    assert "shortly" in reason


def test_parse_retry_after() -> None:
    now = 1_800_000_000.0
    assert parse_retry_after("120", now) == 120
    assert parse_retry_after(" 7 ", now) == 7
    assert parse_retry_after("-5", now) == 0
    assert parse_retry_after(None, now) is None
    assert parse_retry_after("tomorrow", now) is None
    assert parse_retry_after("", now) is None
    date = format_datetime(datetime.fromtimestamp(now + 90, UTC), usegmt=True)
    assert parse_retry_after(date, now) == pytest.approx(90)
    past = format_datetime(datetime.fromtimestamp(now - 90, UTC), usegmt=True)
    assert parse_retry_after(past, now) == 0
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 -0000", now) == 0


# --- a proper reply under a 4xx is believed -----------------------------------------------


def test_4xx_carrying_a_proper_reply_is_believed(poster: Poster) -> None:
    body = (
        b'<?xml version="1.0"?><root><responses>'
        b'<response success="true"><data><customer_id>71</customer_id></data></response>'
        b'<response success="false"><data><error>phone1 must be 10 digits</error></data>'
        b"</response></responses></root>"
    )
    result = post(answer("400 Bad Request", body=body), poster)
    assert [item.outcome for item in result.results] == [Outcome.ACCEPTED, Outcome.REJECTED]
    assert result.results[0].customer_id == "71"


# --- server text is made safe -------------------------------------------------------------


def test_control_characters_in_location_and_reason_phrase_are_stripped(poster: Poster) -> None:
    location = "https://evil.example/\x1b[2J\x1b]0;owned\x07path\x7f\x85x" + "y" * 500
    result = post(answer("308 Moved\x1b[31m Away\x07", f"Location: {location}"), poster)
    outcome, reason, _ = the_outcome(result)
    assert outcome is Outcome.REFUSED
    assert "308 Moved Away" in reason
    assert "https://evil.example/path" in reason and "owned" not in reason
    assert not any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in reason)
    assert len(reason) < 400  # the Location was cut short


# --- through the Outbox and the Store -----------------------------------------------------


def send_all(
    store: Store, respond: Callable[[bytes], bytes], tmp_path: Path
) -> tuple[list[int], RawHttpServer]:
    with RawHttpServer(respond) as server:
        ids = store.add_many([(make_lead(i), server.url) for i in range(3)])
        with Poster(QUICK) as poster, Outbox(store, poster, SENDING, tmp_path / "s") as outbox:
            outbox.run_until_final(ids, threading.Event())
    return ids, server


def test_404_fails_at_once_after_one_post(store: Store, tmp_path: Path) -> None:
    ids, server = send_all(store, answer("404 Not Found"), tmp_path)
    leads = store.get_many(ids)
    assert [lead.state for lead in leads] == [State.FAILED] * 3
    assert [lead.tries for lead in leads] == [1, 1, 1]
    assert len(server.stored) == 3  # one post of the three leads, never again
    assert "404 Not Found" in leads[0].errors[0]


def test_303_ends_unconfirmed_after_one_post(store: Store, tmp_path: Path) -> None:
    ids, server = send_all(store, answer("303 See Other", "Location: /done"), tmp_path)
    assert [lead.state for lead in store.get_many(ids)] == [State.UNCONFIRMED] * 3
    assert len(server.stored) == 3


def test_429_is_queued_for_when_the_server_asked(store: Store, tmp_path: Path) -> None:
    with RawHttpServer(answer("429 Too Many Requests", "Retry-After: 120")) as server:
        ids = store.add_many([(make_lead(i), server.url) for i in range(2)])
        with Poster(QUICK) as poster, Outbox(store, poster, SENDING, tmp_path / "s") as outbox:
            before = time.time()
            outbox.send_due()
    leads = store.get_many(ids)
    assert [lead.state for lead in leads] == [State.QUEUED] * 2
    assert all(lead.due_at is not None and lead.due_at >= before + 119 for lead in leads)
    assert len(server.stored) == 2
