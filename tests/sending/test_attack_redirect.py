"""A dealer's address that redirects: the post is never made again where the redirect
points (another host, plain http), whatever the status; what it means stays as the
status says (tests/sending/test_poster_status.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from leaddesk.sending.poster import Outcome, Poster, Timeouts
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, accepted_reply

QUICK = Timeouts(connect=2.0, read=3.0, deadline=8.0)
MEANING = {
    "301 Moved Permanently": Outcome.UNCONFIRMED,
    "302 Found": Outcome.UNCONFIRMED,
    "303 See Other": Outcome.UNCONFIRMED,
    "307 Temporary Redirect": Outcome.REFUSED,
    "308 Permanent Redirect": Outcome.REFUSED,
}


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(QUICK) as client:
        yield client


@pytest.mark.parametrize("status", list(MEANING))
def test_a_redirect_is_never_followed_to_another_server(poster: Poster, status: str) -> None:
    with RawHttpServer(lambda request: accepted_reply(2)) as elsewhere:
        # "localhost" for the other server: another host name, in plain http.
        where = elsewhere.url.replace("127.0.0.1", "localhost")
        moved = f"HTTP/1.1 {status}\r\nLocation: {where}\r\nContent-Length: 0\r\n\r\n"
        with RawHttpServer(lambda request: moved.encode()) as dealer:
            result = poster.post(dealer.url, [make_lead(1), make_lead(2)])
    assert elsewhere.connections == 0, "the leads went where the redirect pointed"
    assert elsewhere.stored == []
    assert len(dealer.stored) == 2
    assert {item.outcome for item in result.results} == {MEANING[status]}
