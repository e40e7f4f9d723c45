"""The poster against the sandbox (and a tiny capturing server) over real loopback sockets.

Nothing in requests is mocked: every post goes through a real socket to a real server.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from leaddesk.domain.lead import Lead
from leaddesk.sandbox import REJECT_MESSAGE, Faults, Sandbox
from leaddesk.sending.poster import (
    Outcome,
    Poster,
    PostResult,
    Timeouts,
    UnsafeUrl,
    check_destination_url,
)
from leaddesk.wire import securitytrax_xml as wire
from leaddesk.wire.securitytrax_xml import build_document, parse_leads_document
from tests.support.leads import make_lead, sample_lead

QUICK = Timeouts(connect=2.0, read=2.0, deadline=5.0)


def unchecked_lead(**fields: str) -> Lead:
    """A lead that skipped validation, so the server has something to reject."""
    return Lead.trusted(sample_lead().values() | fields)


@pytest.fixture
def poster() -> Iterator[Poster]:
    with Poster(QUICK) as client:
        yield client


def outcomes(result: PostResult) -> list[Outcome]:
    return [item.outcome for item in result.results]


def free_port() -> int:
    """A loopback port with nothing listening on it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# --- a capturing server for what the sandbox does not show --------------------------------


@dataclass
class Captured:
    headers: dict[str, str]
    body: bytes


@dataclass
class Canned:
    """A server that records each request and answers with one fixed response."""

    status: int = 200
    content_type: str = "text/xml; charset=utf-8"
    body: bytes = b""
    requests: list[Captured] = field(default_factory=list)
    url: str = ""


@pytest.fixture
def canned() -> Iterator[Canned]:
    state = Canned()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            state.requests.append(Captured(dict(self.headers.items()), body))
            self.send_response(state.status)
            self.send_header("Content-Type", state.content_type)
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/demo/leadpostxml.php"
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def accepted_reply(customer_id: str = "1003") -> bytes:
    return (
        '<?xml version="1.0"?><root><responses><response success="true"><data>'
        f"<fname>Sue</fname><lname>Stallman</lname><customer_id>{customer_id}</customer_id>"
        "</data></response></responses></root>"
    ).encode()


# --- accepted and rejected ----------------------------------------------------------------


def test_accepted_lead_gets_the_servers_customer_id(sandbox: Sandbox, poster: Poster) -> None:
    result = poster.post(sandbox.url(), [sample_lead()])
    [item] = result.results
    assert item.outcome is Outcome.ACCEPTED
    assert item.errors == ()
    [stored] = sandbox.accepted
    assert item.customer_id == stored["customer_id"]
    assert item.customer_id.isdigit()
    assert stored["fname"] == "Sue"
    assert stored["phone1"] == "8013127735"


def test_post_result_carries_status_request_reply_and_elapsed(
    sandbox: Sandbox, poster: Poster
) -> None:
    started = time.monotonic()
    result = poster.post(sandbox.url(), [sample_lead()])
    took = time.monotonic() - started
    assert result.status == 200
    assert result.url == sandbox.url()
    # the request is exactly the document for the leads as sent (unique id filled in)
    assert result.request == build_document([item.lead for item in result.results])
    assert parse_leads_document(result.request)[0]["fname"] == "Sue"
    # the reply is the server's bytes, and they say what the result says
    [answer] = wire.parse_reply(result.reply, 1)
    assert answer.customer_id == result.results[0].customer_id
    assert 0 < result.elapsed <= took


def test_rejected_lead_carries_the_servers_error_texts(sandbox: Sandbox, poster: Poster) -> None:
    bad = unchecked_lead(phone1="801-312-7735", state="Idaho")
    result = poster.post(sandbox.url(), [bad])
    [item] = result.results
    assert item.outcome is Outcome.REJECTED
    assert item.customer_id == ""
    assert set(item.errors) == {
        "state must be a 2-letter state code such as ID",
        "phone1 must be 10 digits, numbers only",
    }
    assert sandbox.accepted == []


def test_reject_rate_gives_rejected_with_the_sandbox_text(sandbox: Sandbox, poster: Poster) -> None:
    sandbox.faults = Faults(reject_rate=1.0)
    result = poster.post(sandbox.url(), [sample_lead()])
    assert outcomes(result) == [Outcome.REJECTED]
    assert result.results[0].errors == (REJECT_MESSAGE,)
    assert result.status == 200


def test_multi_lead_post_gives_one_result_per_lead_in_order(
    sandbox: Sandbox, poster: Poster
) -> None:
    leads = [
        sample_lead(fname="Ann"),
        unchecked_lead(fname="Bob", zip="83660-1234"),
        sample_lead(fname="Cy"),
        unchecked_lead(fname="Dee", lead_type_id="7"),
        sample_lead(fname="Eve"),
    ]
    result = poster.post(sandbox.url(), leads)
    assert [item.lead.fname for item in result.results] == ["Ann", "Bob", "Cy", "Dee", "Eve"]
    assert outcomes(result) == [
        Outcome.ACCEPTED,
        Outcome.REJECTED,
        Outcome.ACCEPTED,
        Outcome.REJECTED,
        Outcome.ACCEPTED,
    ]
    assert sandbox.posts == 1
    by_name = {stored["fname"]: stored["customer_id"] for stored in sandbox.accepted}
    assert set(by_name) == {"Ann", "Cy", "Eve"}
    for item in result.results:
        if item.outcome is Outcome.ACCEPTED:
            assert item.customer_id == by_name[item.lead.fname]
    assert result.results[1].errors == ("zip must be 5 or 9 digits, numbers only",)
    assert result.results[3].errors == ("lead_type_id must be 2 (Pending) or 3 (Queue)",)


def test_blank_unique_id_is_filled_and_reaches_the_server(sandbox: Sandbox, poster: Poster) -> None:
    result = poster.post(sandbox.url(), [sample_lead(fname="Ann"), sample_lead(fname="Bob")])
    ids = [item.lead.lead_company_unique_id for item in result.results]
    assert all(unique.startswith("LD") and len(unique) > 2 for unique in ids)
    assert ids[0] != ids[1]
    assert [stored["lead_company_unique_id"] for stored in sandbox.accepted] == ids
    assert sandbox.accepted_count() == {ids[0]: 1, ids[1]: 1}
    assert [
        values["lead_company_unique_id"] for values in parse_leads_document(result.request)
    ] == ids


def test_given_unique_id_is_kept(sandbox: Sandbox, poster: Poster) -> None:
    result = poster.post(sandbox.url(), [sample_lead(lead_company_unique_id="00001A321")])
    assert result.results[0].lead.lead_company_unique_id == "00001A321"
    assert sandbox.accepted_count() == {"00001A321": 1}


def test_resending_the_returned_lead_keeps_its_unique_id(sandbox: Sandbox, poster: Poster) -> None:
    first = poster.post(sandbox.url(), [sample_lead()]).results[0].lead
    again = poster.post(sandbox.url(), [first]).results[0].lead
    assert again.lead_company_unique_id == first.lead_company_unique_id
    assert sandbox.accepted_count() == {first.lead_company_unique_id: 2}


def test_posts_reuse_one_pooled_connection(sandbox: Sandbox, poster: Poster) -> None:
    for _ in range(3):
        assert outcomes(poster.post(sandbox.url(), [sample_lead()])) == [Outcome.ACCEPTED]
    assert sandbox.connections == 1


# --- not sent -----------------------------------------------------------------------------


def test_connection_refused_is_not_sent(poster: Poster) -> None:
    url = f"http://127.0.0.1:{free_port()}/demo/leadpostxml.php"
    result = poster.post(url, [sample_lead(), sample_lead()])
    assert outcomes(result) == [Outcome.NOT_SENT, Outcome.NOT_SENT]
    assert result.status is None
    assert result.reply == b""
    assert all(item.errors and item.errors[0].strip() for item in result.results)


def test_dns_failure_is_not_sent(poster: Poster) -> None:
    result = poster.post("https://nonexistent.invalid/x/leadpostxml.php", [sample_lead()])
    assert outcomes(result) == [Outcome.NOT_SENT]
    assert result.status is None
    assert result.results[0].errors[0].strip()


@pytest.mark.parametrize("where", ["refused", "dns"])
def test_not_sent_reason_is_in_plain_words(poster: Poster, where: str) -> None:
    url = {
        "refused": f"http://127.0.0.1:{free_port()}/demo/leadpostxml.php",
        "dns": "https://nonexistent.invalid/x/leadpostxml.php",
    }[where]
    # The reason is shown to agents; it should not carry the poster's internal class names.
    [reason] = poster.post(url, [sample_lead()]).results[0].errors
    assert "_Tracked" not in reason
    assert "Connection(host=" not in reason
    # It names the server, so that the agent can tell a typo from a server that is down.
    assert f"Could not connect to {urlsplit(url).netloc}: " in reason


@pytest.fixture
def resolver_spy(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Records every host name looked up, and lets none of them resolve."""
    looked_up: list[object] = []

    def spy(host: object, *args: object, **kwargs: object) -> list[object]:
        looked_up.append(host)
        raise socket.gaierror(socket.EAI_NONAME, "resolver spy: no look-ups in this test")

    monkeypatch.setattr(socket, "getaddrinfo", spy)
    return looked_up


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com/demo/leadpostxml.php",
        "http://10.0.0.5:8765/demo/leadpostxml.php",
        "http://secure.securitytrax.com/site/leadpostxml.php",
        # Parsed differently by urlsplit (host 127.0.0.1) and by requests (host example.com).
        "http://example.com\\@127.0.0.1/demo/leadpostxml.php",
    ],
)
def test_plain_http_to_another_machine_is_refused_and_never_touches_the_network(
    poster: Poster, resolver_spy: list[object], url: str
) -> None:
    result = poster.post(url, [sample_lead()])
    assert outcomes(result) == [Outcome.REFUSED]
    assert resolver_spy == []
    assert "https" in result.results[0].errors[0]
    assert result.status is None


@pytest.mark.parametrize(
    "url",
    [
        "https://secure.securitytrax.com/site/leadpostxml.php",
        "http://127.0.0.1:8765/demo/leadpostxml.php",
        "http://127.5.5.5/demo/leadpostxml.php",
        "http://localhost:8765/demo/leadpostxml.php",
        "http://[::1]:8765/demo/leadpostxml.php",
    ],
)
def test_destination_url_allowed(url: str) -> None:
    assert check_destination_url(f"  {url} ") == url


@pytest.mark.parametrize(
    "url",
    [
        "http://secure.securitytrax.com/site/leadpostxml.php",
        "http://0.0.0.0:8765/demo/leadpostxml.php",
        "http://192.168.1.10/demo/leadpostxml.php",
        "ftp://secure.securitytrax.com/site/leadpostxml.php",
        "secure.securitytrax.com/site/leadpostxml.php",
        "https:///leadpostxml.php",
        "",
        # malformed addresses an agent could type into the settings
        "https://[::1/demo/leadpostxml.php",
        "https://[secure.securitytrax.com]/site/leadpostxml.php",
    ],
)
def test_destination_url_refused_as_unsafe(url: str) -> None:
    with pytest.raises(UnsafeUrl) as caught:
        check_destination_url(url)
    assert str(caught.value).strip()


@pytest.mark.parametrize(
    "url",
    [
        "https://[::1/demo/leadpostxml.php",
        "https://[secure.securitytrax.com]/site/leadpostxml.php",
        "https://secure.securitytrax.com:99999/site/leadpostxml.php",
        "https://secure securitytrax.com/site/leadpostxml.php",
    ],
)
def test_malformed_destination_is_refused_not_an_exception(
    poster: Poster, resolver_spy: list[object], url: str
) -> None:
    result = poster.post(url, [sample_lead()])
    assert outcomes(result) == [Outcome.REFUSED]
    assert result.results[0].errors[0].strip()
    assert resolver_spy == []


@dataclass
class TlsServer:
    url: str
    cert: Path
    received: list[bytes] = field(default_factory=list)


@pytest.fixture
def tls_server(tmp_path: Path) -> Iterator[TlsServer]:
    """One HTTPS exchange on loopback with a self-signed certificate no CA vouches for."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        [
            openssl,
            *("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2"),
            *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(10)
    server = TlsServer(f"https://127.0.0.1:{listener.getsockname()[1]}/demo/leadpostxml.php", cert)

    def serve() -> None:
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        try:
            with context.wrap_socket(connection, server_side=True) as tls:
                request = b""
                while b"</leads>" not in request:
                    chunk = tls.recv(65536)
                    if not chunk:
                        break
                    request += chunk
                server.received.append(request)
                body = accepted_reply("2001")
                tls.sendall(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nConnection: close\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
        except OSError:  # the client refused our certificate
            connection.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        listener.close()
        thread.join(10)


def test_untrusted_certificate_is_refused_with_a_plain_reason(
    tls_server: TlsServer, poster: Poster
) -> None:
    # Issue 12: it used to be "not sent", retried 6 times over minutes with OpenSSL's text.
    result = poster.post(tls_server.url, [sample_lead()])
    assert outcomes(result) == [Outcome.REFUSED]
    [reason] = result.results[0].errors
    assert "REQUESTS_CA_BUNDLE" in reason
    assert "certificate" in reason
    assert "CERTIFICATE_VERIFY_FAILED" not in reason and "_ssl.c" not in reason
    assert tls_server.received == []  # verification is on: no lead left the machine


def test_ca_bundle_from_the_environment_is_honoured(
    tls_server: TlsServer, poster: Poster, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", str(tls_server.cert))
    result = poster.post(tls_server.url, [sample_lead()])
    assert outcomes(result) == [Outcome.ACCEPTED]
    assert result.results[0].customer_id == "2001"
    [request] = tls_server.received
    assert result.request in request


# --- unconfirmed --------------------------------------------------------------------------


def test_http_500_is_unconfirmed(sandbox: Sandbox, poster: Poster) -> None:
    sandbox.faults = Faults(error_rate=1.0)
    result = poster.post(sandbox.url(), [sample_lead(), sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED, Outcome.UNCONFIRMED]
    assert result.status == 500
    assert b"Internal Server Error" in result.reply
    assert "500" in result.results[0].errors[0]


def test_html_reply_is_unconfirmed(sandbox: Sandbox, poster: Poster) -> None:
    sandbox.faults = Faults(garbage_rate=1.0)
    result = poster.post(sandbox.url(), [sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    assert result.status == 200
    assert result.reply.startswith(b"<!DOCTYPE html>")
    assert result.results[0].errors[0].strip()


def test_html_reply_reason_says_it_was_an_html_page(sandbox: Sandbox, poster: Poster) -> None:
    sandbox.faults = Faults(garbage_rate=1.0)
    [reason] = poster.post(sandbox.url(), [sample_lead()]).results[0].errors
    assert "HTML" in reason, reason


def test_dropped_connection_after_sending_is_unconfirmed(sandbox: Sandbox, poster: Poster) -> None:
    sandbox.faults = Faults(drop_rate=1.0)
    result = poster.post(sandbox.url(), [sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    assert result.status is None
    assert sandbox.posts == 1  # it did reach the server
    assert sandbox.accepted == []


def test_lost_reply_is_unconfirmed_although_the_server_accepted(
    sandbox: Sandbox, poster: Poster
) -> None:
    sandbox.faults = Faults(lost_reply_rate=1.0)
    result = poster.post(sandbox.url(), [sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    unique = result.results[0].lead.lead_company_unique_id
    assert sandbox.accepted_count() == {unique: 1}


def test_read_timeout_is_unconfirmed(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(delay=3.0)
    with Poster(Timeouts(connect=2.0, read=0.3, deadline=10.0)) as poster:
        started = time.monotonic()
        result = poster.post(sandbox.url(), [sample_lead()])
        took = time.monotonic() - started
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    assert took < 2.0
    assert result.status is None


def test_dripping_reply_is_cut_off_at_the_deadline(sandbox: Sandbox) -> None:
    sandbox.faults = Faults(drip=0.2)  # the whole reply would take about a minute
    with Poster(Timeouts(connect=2.0, read=5.0, deadline=0.8)) as poster:
        started = time.monotonic()
        result = poster.post(sandbox.url(), [sample_lead()])
        took = time.monotonic() - started
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    assert took < 4.0
    assert result.elapsed < 4.0


def test_poster_recovers_after_a_timed_out_post(sandbox: Sandbox) -> None:
    # The late answer to the first post must not be read as the answer to the second.
    sandbox.faults = Faults(delay=0.6)
    with Poster(Timeouts(connect=2.0, read=0.2, deadline=5.0)) as poster:
        first = poster.post(sandbox.url(), [sample_lead(fname="First")])
        sandbox.faults = Faults()
        second = poster.post(sandbox.url(), [sample_lead(fname="Second")])
    assert outcomes(first) == [Outcome.UNCONFIRMED]
    assert outcomes(second) == [Outcome.ACCEPTED]
    [answer] = wire.parse_reply(second.reply, 1)
    assert answer.data["fname"] == "Second"


@pytest.mark.parametrize(
    "faults",
    [Faults(drop_rate=1.0), Faults(lost_reply_rate=1.0), Faults(drip=0.2)],
    ids=["drop", "lost reply", "drip"],
)
def test_poster_works_again_after_a_broken_connection(sandbox: Sandbox, faults: Faults) -> None:
    with Poster(Timeouts(connect=2.0, read=2.0, deadline=0.5)) as poster:
        assert outcomes(poster.post(sandbox.url(), [sample_lead()])) == [Outcome.ACCEPTED]
        sandbox.faults = faults
        assert outcomes(poster.post(sandbox.url(), [sample_lead()])) == [Outcome.UNCONFIRMED]
        sandbox.faults = Faults()
        assert outcomes(poster.post(sandbox.url(), [sample_lead()])) == [Outcome.ACCEPTED]


# --- what goes over the wire, and odd answers ---------------------------------------------


def test_request_headers_and_body(canned: Canned, poster: Poster) -> None:
    canned.body = accepted_reply()
    result = poster.post(canned.url, [sample_lead()])
    assert outcomes(result) == [Outcome.ACCEPTED]
    assert result.results[0].customer_id == "1003"
    [request] = canned.requests
    headers = {name.lower(): value for name, value in request.headers.items()}
    assert headers["content-type"] == "text/xml; charset=utf-8"
    assert headers["user-agent"].startswith("LeadDesk/")
    assert request.body == result.request
    assert int(headers["content-length"]) == len(request.body)


def test_oversize_reply_is_unconfirmed_and_capped(canned: Canned, poster: Poster) -> None:
    canned.body = accepted_reply() + b" " * (2 * wire.MAX_REPLY_BYTES)
    result = poster.post(canned.url, [sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED]
    assert len(result.reply) <= wire.MAX_REPLY_BYTES


def test_reply_with_too_few_responses_is_unconfirmed(canned: Canned, poster: Poster) -> None:
    canned.body = accepted_reply()
    result = poster.post(canned.url, [sample_lead(), sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED, Outcome.UNCONFIRMED]


def test_reply_in_an_unknown_encoding_is_an_outcome_not_an_exception(
    canned: Canned, poster: Poster
) -> None:
    canned.body = accepted_reply().replace(
        b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="x-no-such-charset"?>'
    )
    result = poster.post(canned.url, [sample_lead()])
    assert outcomes(result) == [Outcome.UNCONFIRMED]


def test_4xx_without_a_reply_is_refused(canned: Canned, poster: Poster) -> None:
    # Issue 12: it used to be "not sent", and a typo in the URL was posted 6 times.
    canned.status = 404
    canned.content_type = "text/html"
    canned.body = b"<html><body>Not Found</body></html>"
    result = poster.post(canned.url, [sample_lead()])
    assert outcomes(result) == [Outcome.REFUSED]
    assert result.status == 404


def test_the_sandbox_on_this_machine_is_never_reached_through_a_proxy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")  # nothing listens there
    monkeypatch.setenv("http_proxy", "http://127.0.0.1:9")
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    with Sandbox() as sandbox, Poster(Timeouts(connect=2, read=5, deadline=10)) as poster:
        result = poster.post(sandbox.url(), [make_lead(1)])
    assert [r.outcome for r in result.results] == [Outcome.ACCEPTED]
