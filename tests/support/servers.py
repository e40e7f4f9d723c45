"""Small misbehaving servers on loopback sockets, for what the sandbox cannot do: a server
that stores the leads and then breaks TLS, a CONNECT proxy, any status line at all.

Each runs on daemon threads, records what it stored (each lead's lead_company_unique_id)
and is stopped by leaving its `with` block.
"""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import struct
import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import pytest

from leaddesk.wire.securitytrax_xml import parse_leads_document

DEALER_HOST = "dealer.test"  # a made-up name: only a proxy that tunnels to loopback knows it


@dataclass(frozen=True)
class Certificate:
    cert: Path  # also the CA bundle a client must trust (self-signed)
    key: Path


def make_certificate(
    folder: Path, hosts: tuple[str, ...] = ("127.0.0.1", DEALER_HOST)
) -> Certificate:
    """A self-signed certificate for these host names and IP addresses, made by openssl."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder.mkdir(parents=True, exist_ok=True)
    key, cert = folder / "key.pem", folder / "cert.pem"
    names = ",".join(
        f"IP:{host}" if host.replace(".", "").isdigit() else f"DNS:{host}" for host in hosts
    )
    subprocess.run(
        [
            openssl,
            *("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-nodes", "-keyout", str(key), "-out", str(cert), "-days", "2"),
            *("-subj", f"/CN={hosts[0]}", "-addext", f"subjectAltName={names}"),
        ],
        check=True,
        capture_output=True,
    )
    return Certificate(cert, key)


def read_request(sock: socket.socket) -> bytes:
    """One whole HTTP request (headers and a Content-Length body), or b"" if cut short."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(65536)
        if not chunk:
            return b""
        body += chunk
    return head + b"\r\n\r\n" + body


def unique_ids(request: bytes) -> list[str]:
    body = request.partition(b"\r\n\r\n")[2]
    return [lead["lead_company_unique_id"] for lead in parse_leads_document(body)]


def reset(sock: socket.socket) -> None:
    """Close with a TCP RST instead of a FIN."""
    with contextlib.suppress(OSError):
        socket.socket.setsockopt(sock, socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    socket.socket.close(sock)


class _Listener:
    """Accepts connections on a loopback port, each handled on its own thread."""

    def __init__(self) -> None:
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]
        self.connections = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._handlers: list[threading.Thread] = []

    def __enter__(self) -> _Listener:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with contextlib.suppress(OSError):
            self._sock.shutdown(socket.SHUT_RDWR)
        self._sock.close()
        self._thread.join(10)
        with self._lock:  # and hang up on every client still connected
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)
        # Every connection's story is told before the test reads it (a handshake that
        # failed is counted on the server's thread, after the client has moved on).
        for handler in self._handlers:
            handler.join(10)

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self._sock.accept()
            except OSError:
                return
            with self._lock:
                self.connections += 1
                self._open.add(connection)
            connection.settimeout(10)
            handler = threading.Thread(target=self._serve_safely, args=(connection,), daemon=True)
            self._handlers.append(handler)
            handler.start()

    def _serve_safely(self, connection: socket.socket) -> None:
        try:
            self.serve(connection)
        except OSError:
            pass
        finally:
            with self._lock:
                self._open = {sock for sock in self._open if sock.fileno() != -1}
            with contextlib.suppress(OSError):
                connection.close()

    def serve(self, connection: socket.socket) -> None:
        raise NotImplementedError

    def _wrapped(self, raw: socket.socket, wrapped: socket.socket) -> None:
        """`raw` now lives on as `wrapped` (wrapping a socket in TLS detaches it)."""
        with self._lock:
            self._open.discard(raw)
            self._open.add(wrapped)


class HangUp(_Listener):
    """Accepts each connection and closes it at once, before any TLS handshake."""

    def serve(self, connection: socket.socket) -> None:
        reset(connection)

    def __enter__(self) -> HangUp:
        super().__enter__()
        return self


class Break(StrEnum):
    """What a TLS server does after it stored the leads of a request."""

    NOTHING = "nothing"  # answers properly: every lead accepted
    GARBAGE = "garbage"  # writes bytes that are not TLS straight onto the TCP socket
    ALERT = "alert"  # writes a raw, unencrypted TLS alert record onto the TCP socket
    RESET = "reset"  # closes the TCP connection with a RST
    CLOSE = "close"  # closes the connection without a word (TLS close_notify, then FIN)


class TlsLeadServer(_Listener):
    """An HTTPS dealer that stores every lead of each whole request, then does `then`."""

    def __init__(self, certificate: Certificate, then: Break = Break.NOTHING) -> None:
        super().__init__()
        self.then = then
        self.stored: list[str] = []
        self.handshakes_failed = 0
        self._context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        self._context.load_cert_chain(certificate.cert, certificate.key)

    def url(self, host: str = "127.0.0.1") -> str:
        return f"https://{host}:{self.port}/demo/leadpostxml.php"

    def __enter__(self) -> TlsLeadServer:
        super().__enter__()
        return self

    def serve(self, connection: socket.socket) -> None:
        try:
            tls = self._context.wrap_socket(connection, server_side=True)
        except OSError:  # the client did not trust the certificate
            with self._lock:
                self.handshakes_failed += 1
            return
        self._wrapped(connection, tls)
        with tls:
            while request := read_request(tls):
                ids = unique_ids(request)
                with self._lock:
                    self.stored += ids
                if self.then is Break.NOTHING:
                    tls.sendall(accepted_reply(len(ids)))
                    continue
                if self.then is Break.GARBAGE:
                    socket.socket.sendall(tls, b"\x17\x03\x03\x00\x10this is no TLS!!" * 4)
                elif self.then is Break.ALERT:  # fatal, handshake_failure, in the clear
                    socket.socket.sendall(tls, b"\x15\x03\x03\x00\x02\x02\x28")
                elif self.then is Break.RESET:
                    reset(tls)
                    return
                return  # CLOSE, and after the garbage or the alert


def accepted_reply(count: int, first_customer_id: int = 5001) -> bytes:
    responses = "".join(
        f'<response success="true"><data><customer_id>{first_customer_id + i}</customer_id>'
        "</data></response>"
        for i in range(count)
    )
    body = f'<?xml version="1.0"?><root><responses>{responses}</responses></root>'.encode()
    return (
        b"HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\n"
        + f"Content-Length: {len(body)}\r\n\r\n".encode()
        + body
    )


class ConnectProxy(_Listener):
    """An HTTPS_PROXY that tunnels every CONNECT to one loopback port, whatever host it
    names (so a client can use a made-up name), or refuses them all with 403."""

    def __init__(self, upstream_port: int, refuse: bool = False) -> None:
        super().__init__()
        self.upstream_port = upstream_port
        self.refuse = refuse
        self.targets: list[str] = []  # "host:port" of each CONNECT

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> ConnectProxy:
        super().__enter__()
        return self

    def serve(self, connection: socket.socket) -> None:
        request = read_request(connection)
        method, target = request.split(b" ")[:2] if request else (b"", b"")
        if method != b"CONNECT":
            return
        with self._lock:
            self.targets.append(target.decode())
        if self.refuse:
            connection.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
            return
        with socket.create_connection(("127.0.0.1", self.upstream_port)) as upstream:
            connection.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
            pump = threading.Thread(target=_pipe, args=(upstream, connection), daemon=True)
            pump.start()
            _pipe(connection, upstream)
            pump.join(10)


def _pipe(source: socket.socket, target: socket.socket) -> None:
    """Copy bytes until either side closes; then close both (a RST passes on as a close)."""
    with contextlib.suppress(OSError):
        while chunk := source.recv(65536):
            target.sendall(chunk)
    for sock in (source, target):
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


class RawHttpServer(_Listener):
    """A plain-http server on loopback that answers each whole request with `respond`'s
    bytes, whatever they are (any status line, any header)."""

    def __init__(self, respond: Callable[[bytes], bytes]) -> None:
        super().__init__()
        self.respond = respond
        self.stored: list[str] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/demo/leadpostxml.php"

    def __enter__(self) -> RawHttpServer:
        super().__enter__()
        return self

    def serve(self, connection: socket.socket) -> None:
        while request := read_request(connection):
            with self._lock:
                self.stored += unique_ids(request)
            connection.sendall(self.respond(request))
