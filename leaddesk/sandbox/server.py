"""The sandbox's HTTP endpoint: `Sandbox` (start, stop, what it accepted), the request
handler that answers lead posts (with the faults switched on), and the threaded server that
can hang up every open connection when it stops."""

from __future__ import annotations

import contextlib
import http
import itertools
import logging
import random
import re
import socket
import socketserver
import sys
import threading
import time
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from leaddesk.sandbox.checks import check_lead, parse_leads
from leaddesk.sandbox.faults import Faults
from leaddesk.sandbox.replies import (
    REFUSE_DOCUMENT_MESSAGE,
    REJECT_MESSAGE,
    failure_response,
    reply_document,
    success_response,
)

# The package's name, not this module's: one logger for the whole sandbox (tests filter on it).
logger = logging.getLogger("leaddesk.sandbox")

MAX_BODY_BYTES = 5 * 1024 * 1024
_ENDPOINT = re.compile(r"/[^/]+/leadpostxml\.php")
# A client that sends a too-large body is still reading our 413 only if we swallow its body
# first (closing with unread data makes the kernel reset the connection); up to a point.
_DRAIN_LIMIT = 8 * MAX_BODY_BYTES
# stop() waits for the serving loop to look at its stop flag, which it does this often.
_POLL_SECONDS = 0.02


_GARBAGE_PAGE = (
    b"<!DOCTYPE html>\n<html><head><title>503 Service Temporarily Unavailable</title></head>"
    b"<body><h1>Service Temporarily Unavailable</h1>"
    b"<p>The server is down for maintenance. Please try again later.</p></body></html>\n"
)


class Sandbox:
    """The endpoint plus what it has accepted; serves `/<any site>/leadpostxml.php`."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        faults: Faults | None = None,
        listening: socket.socket | None = None,
    ) -> None:
        """`listening`: a socket already bound and listening, served from the first start
        (connections made to it before then wait in its backlog)."""
        self.host = host
        self._port = port
        self._listening = listening
        if listening is not None:
            self.host, self._port = listening.getsockname()[:2]
        self._lock = threading.Lock()
        self._lifecycle = threading.Lock()
        self._server: _LeadServer | None = None
        self._thread: threading.Thread | None = None
        self._customer_ids = itertools.count(1001)
        self.faults = faults or Faults()
        self.accepted: list[dict[str, str]] = []
        self.posts = 0  # lead posts received, whatever became of them
        self.connections = 0  # TCP connections accepted; keep-alive keeps this low

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults) -> None:
        with self._lock:
            self._faults = faults
            self._random = random.Random(faults.seed)

    @property
    def port(self) -> int:
        """The port being served (or last served, or asked for if never started)."""
        return self._port

    def url(self, site: str = "demo") -> str:
        host = "127.0.0.1" if self.host in ("", "0.0.0.0") else self.host
        return f"http://{host}:{self.port}/{site}/leadpostxml.php"

    def start(self) -> Sandbox:
        """Listen and serve in a background daemon thread. Raises OSError if the port is taken."""
        with self._lifecycle:
            if self._server is None:
                self._server = _LeadServer((self.host, self._port), self, self._listening)
                self._listening = None  # a restart binds the port again
                self._port = self._server.server_address[1]  # a restart reuses this port
                self._thread = threading.Thread(
                    target=self._server.serve_forever,
                    args=(_POLL_SECONDS,),
                    name="leaddesk-sandbox",
                    daemon=True,
                )
                self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening, hang up open connections and wait for their handlers to finish."""
        with self._lifecycle:
            server, thread = self._server, self._thread
            self._server = self._thread = None
            if server is None or thread is None:
                return
            server.stopping.set()
            server.shutdown()
            thread.join()
            server.hang_up_all()
            server.server_close()

    def serve_forever(self) -> None:
        """Serve until stop() is called from another thread; KeyboardInterrupt propagates."""
        self.start()
        thread = self._thread
        try:
            # A timed join, so that Ctrl+C is noticed promptly on every platform.
            while thread is not None and thread.is_alive():
                thread.join(0.5)
        finally:
            self.stop()

    def __enter__(self) -> Sandbox:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    def accepted_count(self, key: str = "lead_company_unique_id") -> Counter[str]:
        """How many times each non-blank value of `key` was accepted, to spot duplicates."""
        with self._lock:
            return Counter(lead[key] for lead in self.accepted if lead.get(key))

    # --- used by the request handler ---------------------------------------------------

    def _count_post(self) -> None:
        with self._lock:
            self.posts += 1

    def _count_connection(self) -> None:
        with self._lock:
            self.connections += 1

    def _pick_fault(self, faults: Faults) -> str | None:
        """The fault for one request, if any; drawn in a fixed order so a seed replays."""
        with self._lock:
            for name, rate in (
                ("drop", faults.drop_rate),
                ("error", faults.error_rate),
                ("garbage", faults.garbage_rate),
                ("lost_reply", faults.lost_reply_rate),
            ):
                if rate > 0 and self._random.random() < rate:
                    return name
        return None

    def _settle(self, lead: ET.Element, faults: Faults) -> tuple[ET.Element, bool]:
        """One lead's response element, and whether the lead was accepted."""
        fields, problems = check_lead(lead)
        if not problems and faults.reject_rate > 0:
            with self._lock:
                if self._random.random() < faults.reject_rate:
                    problems = [REJECT_MESSAGE]
        if problems:
            return failure_response(problems), False
        with self._lock:
            customer_id = str(next(self._customer_ids))
            self.accepted.append({**fields, "customer_id": customer_id})
        return success_response(fields, customer_id), True


@dataclass
class _Exchange:
    """What happened to one request, for its log line (never any of the lead's data)."""

    leads: int | str = "-"
    accepted: int = 0
    rejected: int = 0
    fault: str = "none"
    status: int | str = "-"  # "-": no answer was sent

    def __str__(self) -> str:
        return (
            f"leads={self.leads} accepted={self.accepted} rejected={self.rejected} "
            f"fault={self.fault} status={self.status}"
        )


class _LeadHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive
    disable_nagle_algorithm = True  # else each keep-alive reply stalls on delayed ACKs
    timeout = 60  # an idle keep-alive connection gives its thread back after this
    server: _LeadServer

    def setup(self) -> None:
        super().setup()
        self.server.register(self.connection)

    def handle(self) -> None:
        if not self.server.stopping.is_set():
            super().handle()

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.unregister(self.connection)

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the stock line carries the request line; we log our own, data-free one."""

    def do_GET(self) -> None:
        started, exchange = time.perf_counter(), _Exchange()
        try:
            if self._is_endpoint():
                exchange.status = self._send(405, "text/plain", b"Post leads here.\n")
            else:
                exchange.status = self._send(404, "text/plain", b"Not found.\n")
        finally:
            self._log(started, exchange)

    def do_POST(self) -> None:
        started, exchange = time.perf_counter(), _Exchange()
        try:
            self._post(exchange)
        finally:
            self._log(started, exchange)

    def _post(self, exchange: _Exchange) -> None:
        sandbox = self.server.sandbox
        endpoint = self._is_endpoint()
        if endpoint:
            sandbox._count_post()
        body = self._read_body(exchange)
        if body is None:
            return
        if not endpoint:
            exchange.status = self._send(
                404, "text/plain", b"Not found: post to /<site>/leadpostxml.php\n"
            )
            return
        faults = sandbox.faults
        leads = parse_leads(body)
        exchange.leads = len(leads) if isinstance(leads, list) else 0
        exchange.fault = sandbox._pick_fault(faults) or "none"
        if faults.delay > 0 and self.server.stopping.wait(faults.delay):
            self.close_connection = True
            return
        if exchange.fault == "drop":
            self.close_connection = True
            return
        if exchange.fault == "error":
            message = b"Internal Server Error (sandbox error rate)\n"
            exchange.status = self._send(500, "text/plain", message)
            return
        if exchange.fault == "garbage":
            exchange.status = self._send(200, "text/html", _GARBAGE_PAGE)
            return
        if isinstance(leads, str):
            responses = [failure_response([leads])]
        elif faults.refuse_document:
            exchange.fault = "refuse_document" if exchange.fault == "none" else exchange.fault
            responses = [failure_response([REFUSE_DOCUMENT_MESSAGE])]
        else:
            responses = []
            for lead in leads:
                response, accepted = sandbox._settle(lead, faults)
                responses.append(response)
                exchange.accepted += accepted
                exchange.rejected += not accepted
            if faults.swap_replies and len(responses) > 1:
                responses.reverse()
                exchange.fault = "swap_replies" if exchange.fault == "none" else exchange.fault
        if exchange.fault == "lost_reply":
            self.close_connection = True
            return
        exchange.status = self._send(200, "text/xml", reply_document(responses))

    def _is_endpoint(self) -> bool:
        return _ENDPOINT.fullmatch(urlsplit(self.path).path) is not None

    def _read_body(self, exchange: _Exchange) -> bytes | None:
        """The request body, or None after answering (or hanging up) instead."""
        length_header = self.headers.get("Content-Length", "0").strip()
        if self.headers.get("Transfer-Encoding") or not length_header.isdigit():
            self.close_connection = True  # the body's end is unknown, so the connection is spent
            exchange.status = self._send(411, "text/plain", b"Send a valid Content-Length.\n")
            return None
        length = int(length_header)
        if length > MAX_BODY_BYTES:
            self.close_connection = True
            if length <= _DRAIN_LIMIT:
                self.rfile.read(length)
            exchange.status = self._send(413, "text/plain", b"Request body over 5 MiB.\n")
            return None
        body = self.rfile.read(length)
        if len(body) < length:
            self.close_connection = True  # the client went away mid-body
            return None
        return body

    def _send(self, status: int, content_type: str, body: bytes) -> int:
        """Write a whole response in one go (or dripping); returns the status for the log."""
        lines = [
            f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}",
            "Server: LeadDesk-sandbox",
            f"Date: {self.date_time_string()}",
            f"Content-Type: {content_type}; charset=utf-8",
            f"Content-Length: {len(body)}",
        ]
        if status == 405:
            lines.append("Allow: POST")
        if self.close_connection:
            lines.append("Connection: close")
        data = "\r\n".join(lines).encode("ascii") + b"\r\n\r\n" + body
        drip = self.server.sandbox.faults.drip
        if drip <= 0:
            self.wfile.write(data)
            return status
        for index in range(len(data)):
            self.wfile.write(data[index : index + 1])
            if self.server.stopping.wait(drip):
                self.close_connection = True
                break
        return status

    def _log(self, started: float, exchange: _Exchange) -> None:
        # The path names only the site; the query is dropped in case someone puts data there.
        path = "".join(c if c.isascii() and c.isprintable() else "?" for c in self.path[:200])
        elapsed_ms = (time.perf_counter() - started) * 1000
        logger.info("%s %s %s %.1f ms", self.command, urlsplit(path).path, exchange, elapsed_ms)


class _LeadServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(
        self, address: tuple[str, int], sandbox: Sandbox, listening: socket.socket | None
    ) -> None:
        self.sandbox = sandbox
        self.stopping = threading.Event()
        self._open: set[socket.socket] = set()
        self._open_changed = threading.Condition()
        super().__init__(address, _LeadHandler, bind_and_activate=listening is None)
        if listening is not None:
            self.socket.close()
            self.socket = listening
            self.server_address = listening.getsockname()[:2]
            self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall on a bad resolver.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = str(self.server_address[0]), self.server_address[1]

    def register(self, connection: socket.socket) -> None:
        self.sandbox._count_connection()
        with self._open_changed:
            self._open.add(connection)

    def unregister(self, connection: socket.socket) -> None:
        with self._open_changed:
            self._open.discard(connection)
            self._open_changed.notify_all()

    def hang_up_all(self) -> None:
        """Shut down every open connection (waking handlers in recv) and wait for them."""
        with self._open_changed:
            for connection in self._open:
                with contextlib.suppress(OSError):  # the client may have closed it already
                    connection.shutdown(socket.SHUT_RDWR)
            self._open_changed.wait_for(lambda: not self._open, timeout=5)

    def handle_error(self, request: object, client_address: object) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, OSError):  # the client hung up or we did (stop); not a bug
            logger.debug("connection ended early: %s", type(error).__name__)
        else:
            logger.exception("sandbox request handler failed")
