"""An interim answer (1xx other than 100: "102 Processing", "103 Early Hints") comes
before the dealer's real one. The real answer must never be read as the answer to the
next post on the same connection: that would give one lead another lead's fate (a lead
the dealer refused shown as accepted, with another lead's customer ID)."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from leaddesk.sending.poster import Outcome, Poster, Timeouts
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, read_request, unique_ids

QUICK = Timeouts(connect=2.0, read=3.0, deadline=8.0)
# How long the dealer "processes" the first post before its final answer, unless the
# client speaks first: a client that waits for the final answer gets it.
PROCESSING_SECONDS = 1.0


def reply(success: str, inner: str) -> bytes:
    body = (
        f'<?xml version="1.0"?><root><responses><response success="{success}">'
        f"<data>{inner}</data></response></responses></root>"
    ).encode()
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {len(body)}\r\n\r\n"
    return head.encode() + body


ACCEPTED_FIRST = reply("true", "<customer_id>7001</customer_id>")
REFUSED = reply("false", "<error>Invalid phone number</error>")


class InterimFirst(RawHttpServer):
    """Answers the first post "102 Processing" at once and its real answer (accepted)
    when done; every other post is rejected."""

    def __init__(self, interim: bytes) -> None:
        super().__init__(lambda request: REFUSED)
        self.interim = interim
        self._first = True

    def serve(self, connection: socket.socket) -> None:
        while request := read_request(connection):
            with self._lock:
                self.stored += unique_ids(request)
                first, self._first = self._first, False
            if not first:
                connection.sendall(REFUSED)
                continue
            connection.sendall(self.interim)
            connection.settimeout(PROCESSING_SECONDS)  # done processing after this
            try:
                following = read_request(connection)
            except TimeoutError:
                following = None
            connection.settimeout(10)
            connection.sendall(ACCEPTED_FIRST)
            if following is None:
                continue
            if not following:
                return
            with self._lock:
                self.stored += unique_ids(following)
            connection.sendall(REFUSED)


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(QUICK) as client:
        yield client


@pytest.mark.parametrize(
    "interim",
    [b"HTTP/1.1 102 Processing\r\n\r\n", b"HTTP/1.1 103 Early Hints\r\nLink: </a.css>\r\n\r\n"],
    ids=["102", "103"],
)
def test_the_answer_after_an_interim_one_is_never_taken_for_the_next_posts(
    poster: Poster, interim: bytes
) -> None:
    with InterimFirst(interim) as server:
        first = poster.post(server.url, [make_lead(1)])
        second = poster.post(server.url, [make_lead(2)])
    assert len(server.stored) == 2
    [first_result] = first.results
    [second_result] = second.results
    assert first_result.outcome in (Outcome.ACCEPTED, Outcome.UNCONFIRMED)
    assert first_result.outcome is not Outcome.ACCEPTED or first_result.customer_id == "7001"
    assert second_result.outcome is Outcome.REJECTED, "the dealer refused the second lead"
    assert second_result.customer_id != "7001"
