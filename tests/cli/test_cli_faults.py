"""`leaddesk send` against dealers that store the leads and then misbehave, as a user runs
it (a real process, HTTPS_PROXY and REQUESTS_CA_BUNDLE from the environment): each lead
reaches the dealer once, ends unconfirmed (never "failed"), and `resend --failed` posts
nothing that may have arrived."""

from __future__ import annotations

import contextlib
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from leaddesk.domain.states import State
from tests.support.cli_home import HEADER, Home, row
from tests.support.servers import (
    DEALER_HOST,
    Break,
    Certificate,
    ConnectProxy,
    RawHttpServer,
    TlsLeadServer,
    make_certificate,
)

ROWS = [row(1), row(2), row(3)]


@pytest.fixture
def certificate(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Certificate:
    """The dealer's certificate, trusted as IT would: REQUESTS_CA_BUNDLE."""
    proxies = ("HTTPS_PROXY", "HTTP_PROXY", "ALL_PROXY", "NO_PROXY")
    for name in (*proxies, *(p.lower() for p in proxies)):
        monkeypatch.delenv(name, raising=False)
    made = make_certificate(tmp_path / "tls")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(made.cert))
    return made


def redirect_after_processing(request: bytes) -> bytes:
    return b"HTTP/1.1 303 See Other\r\nLocation: /thanks\r\nContent-Length: 0\r\n\r\n"


def server_error(request: bytes) -> bytes:
    return b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"


@contextlib.contextmanager
def tls_broken(then: Break, certificate: Certificate) -> Iterator[tuple[str, list[str]]]:
    with TlsLeadServer(certificate, then) as server:
        yield server.url(), server.stored


@contextlib.contextmanager
def behind_proxy(
    certificate: Certificate, monkeypatch: pytest.MonkeyPatch
) -> Iterator[tuple[str, list[str]]]:
    with TlsLeadServer(certificate, Break.CLOSE) as server, ConnectProxy(server.port) as proxy:
        monkeypatch.setenv("HTTPS_PROXY", proxy.url)
        yield server.url(DEALER_HOST), server.stored


@contextlib.contextmanager
def plain(respond: Callable[[bytes], bytes]) -> Iterator[tuple[str, list[str]]]:
    with RawHttpServer(respond) as server:
        yield server.url, server.stored


@pytest.mark.parametrize(
    "misbehaviour",
    ["tls-garbage", "tls-alert", "tls-reset", "proxy-lost-reply", "303", "500"],
)
def test_a_dealer_that_stores_then_misbehaves_gets_each_lead_once(
    tmp_path: Path, certificate: Certificate, monkeypatch: pytest.MonkeyPatch, misbehaviour: str
) -> None:
    dealers = {
        "tls-garbage": lambda: tls_broken(Break.GARBAGE, certificate),
        "tls-alert": lambda: tls_broken(Break.ALERT, certificate),
        "tls-reset": lambda: tls_broken(Break.RESET, certificate),
        "proxy-lost-reply": lambda: behind_proxy(certificate, monkeypatch),
        "303": lambda: plain(redirect_after_processing),
        "500": lambda: plain(server_error),
    }
    home = Home(tmp_path / "home")
    with dealers[misbehaviour]() as (url, stored):
        home.configure(url, batch_size=1, retry_limit=6)
        sent = home.run("send", home.write_csv("leads.csv", HEADER, ROWS))
        resent = home.run("resend", "--failed")
        leads = home.leads()
    assert sent.returncode == 1, sent.stdout + sent.stderr
    assert "Traceback" not in sent.stderr + resent.stderr
    assert [lead.state for lead in leads] == [State.UNCONFIRMED] * 3
    assert sent.stdout.count("unconfirmed") >= 3
    assert "No failed leads to resend." in resent.stdout
    unique_ids = {lead.lead.lead_company_unique_id for lead in leads}
    assert Counter(stored) == dict.fromkeys(unique_ids, 1), "each lead reached the dealer once"
