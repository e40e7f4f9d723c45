"""'Not sent' only on evidence: servers that store the leads and then break TLS, a CONNECT
proxy that refuses or loses the reply, certificates, and failures before the request.

Real loopback servers (tests/support/servers.py), a real Poster, and for the lifecycle the real
Outbox and Store: each test asserts how many times the server stored each lead.
"""

from __future__ import annotations

import socket
import threading
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.config.settings import Sending
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sending.outbox import Outbox
from leaddesk.sending.poster import Outcome, Poster, PostResult, Timeouts
from tests.support.leads import make_lead, sample_lead
from tests.support.servers import (
    DEALER_HOST,
    Break,
    Certificate,
    ConnectProxy,
    HangUp,
    TlsLeadServer,
    make_certificate,
)

QUICK = Timeouts(connect=2.0, read=3.0, deadline=8.0)
FAST = Sending(batch_size=2, retry_limit=3, backoff_seconds=0.05, backoff_max_seconds=0.1)
BROKEN_AFTER_STORING = [Break.GARBAGE, Break.ALERT, Break.RESET, Break.CLOSE]


@pytest.fixture(autouse=True)
def no_proxy_from_the_machine(monkeypatch: pytest.MonkeyPatch) -> None:
    proxies = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
    for name in (*proxies, *(p.lower() for p in proxies), "REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def certificate(tmp_path: Path) -> Certificate:
    return make_certificate(tmp_path / "tls")


@pytest.fixture
def trusted(certificate: Certificate, monkeypatch: pytest.MonkeyPatch) -> Certificate:
    """The test certificate, trusted the way a user would: REQUESTS_CA_BUNDLE."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(certificate.cert))
    return certificate


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(QUICK) as client:
        yield client


def outcomes(result: PostResult) -> list[Outcome]:
    return [item.outcome for item in result.results]


def send_through_outbox(store: Store, url: str, count: int, senders: Path) -> list[int]:
    """Queue `count` leads for `url` and send them until each is final; their ids."""
    ids = store.add_many([(make_lead(i), url) for i in range(count)])
    with Poster(QUICK) as poster, Outbox(store, poster, FAST, senders) as outbox:
        outbox.run_until_final(ids, threading.Event())
    return ids


def assert_each_stored_once(stored: list[str], store: Store, ids: list[int]) -> None:
    sent = {lead.lead.lead_company_unique_id for lead in store.get_many(ids)}
    assert Counter(stored) == Counter(sent), "every lead exactly once at the dealer"


# --- TLS broken after the server stored the leads ----------------------------------------


@pytest.mark.parametrize("then", BROKEN_AFTER_STORING)
def test_tls_broken_after_the_request_is_unconfirmed(
    trusted: Certificate, poster: Poster, then: Break
) -> None:
    with TlsLeadServer(trusted, then) as server:
        result = poster.post(server.url(), [sample_lead(), sample_lead(fname="Bo")])
    assert outcomes(result) == [Outcome.UNCONFIRMED, Outcome.UNCONFIRMED]
    [reason] = result.results[0].errors
    assert reason.endswith("it may have arrived.") and "_ssl.c" not in reason
    assert sorted(server.stored) == sorted(i.lead.lead_company_unique_id for i in result.results)


@pytest.mark.parametrize("then", BROKEN_AFTER_STORING)
def test_tls_broken_after_storing_sends_each_lead_once_and_ends_unconfirmed(
    trusted: Certificate, store: Store, tmp_path: Path, then: Break
) -> None:
    with TlsLeadServer(trusted, then) as server:
        ids = send_through_outbox(store, server.url(), 3, tmp_path / "senders")
    assert [lead.state for lead in store.get_many(ids)] == [State.UNCONFIRMED] * 3
    assert_each_stored_once(server.stored, store, ids)
    assert server.connections == 2  # a batch of 2 and a batch of 1, each posted once


# --- certificates -------------------------------------------------------------------------


def test_untrusted_certificate_is_refused_before_any_lead_leaves(
    certificate: Certificate, poster: Poster
) -> None:
    with TlsLeadServer(certificate) as server:
        result = poster.post(server.url(), [sample_lead()], destination_name="Acme Alarms")
    assert outcomes(result) == [Outcome.REFUSED]
    [reason] = result.results[0].errors
    assert "REQUESTS_CA_BUNDLE" in reason
    assert "SSL" not in reason and "verify failed" not in reason  # no OpenSSL text
    assert server.stored == []
    assert server.handshakes_failed == 1


def test_certificate_for_another_name_is_refused(
    tmp_path: Path, poster: Poster, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = make_certificate(tmp_path / "other", hosts=("other.test",))
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(other.cert))
    with TlsLeadServer(other) as server:
        result = poster.post(server.url(), [sample_lead()])
    assert outcomes(result) == [Outcome.REFUSED]
    assert server.stored == []


def test_untrusted_certificate_fails_after_one_try_without_retries(
    certificate: Certificate, store: Store, tmp_path: Path
) -> None:
    with TlsLeadServer(certificate) as server:
        ids = send_through_outbox(store, server.url(), 1, tmp_path / "senders")
    [lead] = store.get_many(ids)
    assert lead.state is State.FAILED
    assert lead.tries == 1 and lead.attempts == 1
    assert "REQUESTS_CA_BUNDLE" in lead.errors[0]
    assert server.handshakes_failed == 1 and server.stored == []


def test_trusted_certificate_is_accepted(trusted: Certificate, poster: Poster) -> None:
    with TlsLeadServer(trusted) as server:
        result = poster.post(server.url(), [sample_lead()])
    assert outcomes(result) == [Outcome.ACCEPTED]
    assert server.stored == [result.results[0].lead.lead_company_unique_id]


# --- behind HTTPS_PROXY -------------------------------------------------------------------


def use_proxy(monkeypatch: pytest.MonkeyPatch, proxy: ConnectProxy) -> None:
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)


def test_tunnel_through_the_proxy_delivers(
    trusted: Certificate, poster: Poster, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The dealer's name is known only to the proxy: the post can only arrive through it.
    with TlsLeadServer(trusted) as server, ConnectProxy(server.port) as proxy:
        use_proxy(monkeypatch, proxy)
        result = poster.post(server.url(DEALER_HOST), [sample_lead()])
    assert outcomes(result) == [Outcome.ACCEPTED]
    assert proxy.targets == [f"{DEALER_HOST}:{server.port}"]
    assert len(server.stored) == 1


def test_proxy_refusing_the_connect_is_not_sent(
    trusted: Certificate, poster: Poster, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TlsLeadServer(trusted) as server, ConnectProxy(server.port, refuse=True) as proxy:
        use_proxy(monkeypatch, proxy)
        result = poster.post(server.url(DEALER_HOST), [sample_lead()])
    assert outcomes(result) == [Outcome.NOT_SENT]
    assert "proxy" in result.results[0].errors[0]
    assert proxy.targets == [f"{DEALER_HOST}:{server.port}"]
    assert server.stored == [] and server.connections == 0


@pytest.mark.parametrize("then", [Break.CLOSE, Break.RESET, Break.GARBAGE])
def test_reply_lost_behind_the_proxy_is_unconfirmed(
    trusted: Certificate, poster: Poster, monkeypatch: pytest.MonkeyPatch, then: Break
) -> None:
    with TlsLeadServer(trusted, then) as server, ConnectProxy(server.port) as proxy:
        use_proxy(monkeypatch, proxy)
        result = poster.post(server.url(DEALER_HOST), [sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    assert server.stored == [result.results[0].lead.lead_company_unique_id]


def test_reply_lost_behind_the_proxy_sends_each_lead_once(
    trusted: Certificate, store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with TlsLeadServer(trusted, Break.CLOSE) as server, ConnectProxy(server.port) as proxy:
        use_proxy(monkeypatch, proxy)
        ids = send_through_outbox(store, server.url(DEALER_HOST), 3, tmp_path / "senders")
    assert [lead.state for lead in store.get_many(ids)] == [State.UNCONFIRMED] * 3
    assert_each_stored_once(server.stored, store, ids)


# --- evidence per post: no byte of this request left -------------------------------------


def test_evidence_of_an_earlier_post_does_not_leak_into_the_next(
    trusted: Certificate, poster: Poster
) -> None:
    # The first post's bytes left on a pooled connection; the server is then gone, and the
    # second post cannot connect: not sent, although the same thread and pool sent before.
    server = TlsLeadServer(trusted)
    with server:
        first = poster.post(server.url(), [sample_lead()])
    second = poster.post(server.url(), [sample_lead()])
    assert outcomes(first) == [Outcome.ACCEPTED]
    assert outcomes(second) == [Outcome.NOT_SENT]
    assert len(server.stored) == 1


def test_tls_handshake_failing_before_the_request_is_not_sent(poster: Poster) -> None:
    with HangUp() as server:
        result = poster.post(f"https://127.0.0.1:{server.port}/x", [sample_lead()])
    assert outcomes(result) == [Outcome.NOT_SENT]
    assert server.connections == 1


def test_connect_timeout_is_not_sent() -> None:
    # A listener whose accept queue is full drops further SYNs: the connect cannot finish.
    with socket.socket() as full:
        full.bind(("127.0.0.1", 0))
        full.listen(0)
        port = full.getsockname()[1]
        fillers = []
        for _ in range(3):
            filler = socket.socket()
            filler.setblocking(False)
            filler.connect_ex(("127.0.0.1", port))
            fillers.append(filler)
        try:
            with Poster(Timeouts(connect=0.5, read=2.0, deadline=5.0)) as poster:
                result = poster.post(f"http://127.0.0.1:{port}/x", [sample_lead()])
        finally:
            for filler in fillers:
                filler.close()
    assert outcomes(result) == [Outcome.NOT_SENT]
    assert "within 0.5 s" in result.results[0].errors[0]


def test_proxy_that_never_answers_the_connect_is_not_sent() -> None:
    # The CONNECT line went to the proxy, but no byte of the request ever left.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(5)
        proxy = f"http://127.0.0.1:{silent.getsockname()[1]}"
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("HTTPS_PROXY", proxy)
            with Poster(Timeouts(connect=0.5, read=0.5, deadline=3.0)) as poster:
                result = poster.post(f"https://{DEALER_HOST}/x", [sample_lead()])
    assert outcomes(result) == [Outcome.NOT_SENT]
