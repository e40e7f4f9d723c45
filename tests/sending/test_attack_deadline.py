"""Attack on the post's deadline: a deadline that falls while the connection is still being
set up (a slow proxy, a slow TLS handshake) must still end the post.

The watcher fires once per post, and Flight.fire() finds no connection before the post's
request() is called: a deadline that passes while connecting is dropped, and the post then
runs with no deadline at all, however slowly the answer drips in.
"""

from __future__ import annotations

import socket
import ssl
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.sending.poster import Outcome, Poster, Timeouts
from tests.support.leads import sample_lead
from tests.support.servers import (
    DEALER_HOST,
    Certificate,
    _Listener,
    _pipe,
    accepted_reply,
    make_certificate,
    read_request,
    unique_ids,
)

# Every single wait is shorter than its timeout; only the deadline can end such a post.
TIMEOUTS = Timeouts(connect=1.0, read=1.0, deadline=1.5)
DRIP_SECONDS = 0.1
CONNECT_DRIP_BYTES = 30  # about 3 s of CONNECT reply: the deadline passes meanwhile
GIVE_UP_SECONDS = 15.0  # the server stops dripping after this, so that a failing test ends


class DrippingTlsDealer(_Listener):
    """An HTTPS dealer that stores the leads, then drips its answer one TLS record at a time."""

    def __init__(self, certificate: Certificate) -> None:
        super().__init__()
        self.stored: list[str] = []
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(certificate.cert, certificate.key)

    def __enter__(self) -> DrippingTlsDealer:
        super().__enter__()
        return self

    def serve(self, connection: socket.socket) -> None:
        tls = self._context.wrap_socket(connection, server_side=True)
        self._wrapped(connection, tls)
        with tls:
            request = read_request(tls)
            with self._lock:
                self.stored += unique_ids(request)
            reply, started = accepted_reply(1), time.monotonic()
            for byte in range(len(reply)):
                if time.monotonic() - started > GIVE_UP_SECONDS:
                    return
                tls.sendall(reply[byte : byte + 1])
                time.sleep(DRIP_SECONDS)


class SlowProxy(_Listener):
    """An HTTPS_PROXY that answers the CONNECT slowly (each byte well within the connect
    timeout), then tunnels to the dealer."""

    def __init__(self, upstream_port: int) -> None:
        super().__init__()
        self.upstream_port = upstream_port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> SlowProxy:
        super().__enter__()
        return self

    def serve(self, connection: socket.socket) -> None:
        if not read_request(connection).startswith(b"CONNECT "):
            return
        answer = b"HTTP/1.1 200 Connection established" + b" " * CONNECT_DRIP_BYTES + b"\r\n\r\n"
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            for byte in range(len(answer)):
                connection.sendall(answer[byte : byte + 1])
                time.sleep(DRIP_SECONDS if byte < CONNECT_DRIP_BYTES else 0)
            pump = threading.Thread(target=_pipe, args=(upstream, connection), daemon=True)
            pump.start()
            _pipe(connection, upstream)
            pump.join(GIVE_UP_SECONDS)


@pytest.fixture
def trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Certificate]:
    certificate = make_certificate(tmp_path / "tls")
    for name in ("HTTPS_PROXY", "https_proxy", "NO_PROXY", "no_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate.cert))
    yield certificate


def test_a_deadline_passing_while_connecting_through_a_slow_proxy_ends_the_post(
    trusted: Certificate, monkeypatch: pytest.MonkeyPatch
) -> None:
    with DrippingTlsDealer(trusted) as dealer, SlowProxy(dealer.port) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        with Poster(TIMEOUTS) as poster:
            started = time.monotonic()
            result = poster.post(f"https://{DEALER_HOST}:{dealer.port}/x", [sample_lead()])
            took = time.monotonic() - started
    assert took < TIMEOUTS.deadline + 2.0, f"the post ran {took:.1f} s past its deadline"
    # The deadline passed before any byte of the request left: nothing can have arrived.
    assert [item.outcome for item in result.results] == [Outcome.NOT_SENT]
    assert dealer.stored == []
