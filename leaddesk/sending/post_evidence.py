"""What one post did on the wire: whether any byte of its request left this machine, and
its overall deadline.

"Not sent" must rest on evidence, never on the type of an exception: a server can store
the leads and then break TLS, a proxy can lose the reply after the tunnel is open, and
both come back as errors that also mean "never connected" elsewhere. So the connection
itself records it: every byte of a request goes through HTTPConnection.send() (http.client
and urllib3 write the request line, headers and body with it), and send() marks the post
it belongs to. Bytes written while connecting (the CONNECT line to a proxy; the TLS
handshake does not use send() at all) are not the request and do not count.

The record is a Flight: one per post, on the posting thread. A connection marks the Flight
of the post that called its request(); a pooled connection reused by another post marks
that post's Flight, never an earlier one, and a post whose connection failed before its
request() was called has an unmarked Flight: "not sent".
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from typing import Any

from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

# The post in progress on each thread (thread id -> its Flight).
_IN_FLIGHT: dict[int, Flight] = {}


class Flight:
    """One post: the connection carrying it, whether any byte of its request was handed to
    the socket, and its deadline.

    requests' read timeout is per socket read: a server that drips one byte a second never
    trips it. At the deadline the shared watcher shuts the post's socket down, which wakes
    the blocked read with an error."""

    def __init__(self, deadline_seconds: float) -> None:
        self._seconds = deadline_seconds
        self._thread_id = threading.get_ident()
        self.connection: HTTPConnection | None = None
        self.request_left = False  # any byte of the request handed to the socket
        self.deadline_passed = False

    def __enter__(self) -> Flight:
        _IN_FLIGHT[self._thread_id] = self  # replaces whatever an earlier post left
        _WATCHER.arm(self, time.monotonic() + self._seconds)
        return self

    def __exit__(self, *exc: object) -> None:
        _WATCHER.disarm(self)
        if _IN_FLIGHT.get(self._thread_id) is self:
            del _IN_FLIGHT[self._thread_id]

    def fire(self) -> bool:
        """The deadline passed: end the post. False while there is no socket to shut yet
        (still resolving or connecting): the watcher tries again shortly, and a connection
        that finishes connecting meanwhile sends nothing (see _TrackedConnection)."""
        self.deadline_passed = True
        sock = getattr(self.connection, "sock", None)
        if sock is None:
            return False
        # socket.socket's own shutdown: SSLSocket's would tear down TLS state mid-read.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)
        return True


class _TrackedConnection(HTTPConnection):
    """Marks its post's Flight when a byte of the request is handed to the socket."""

    _flight: Flight | None = None
    _connecting = False

    def connect(self) -> None:
        # The post's deadline covers connecting too (a proxy can drip its CONNECT answer,
        # a server its handshake): the Flight knows this connection from here on. urllib3
        # connects an https connection before calling request().
        self._bind_flight()
        self._connecting = True  # the CONNECT to a proxy is sent from here: not the request
        try:
            super().connect()
        finally:
            self._connecting = False
        self._stop_if_deadline_passed()

    def request(self, *args: Any, **kwargs: Any) -> None:
        self._bind_flight()
        super().request(*args, **kwargs)

    def send(self, data: Any) -> None:
        if not self._connecting:
            if self.sock is None:  # http.client would connect inside send(): do it first,
                self.connect()  # so that failing to connect does not count as sending
            self._stop_if_deadline_passed()  # before the first byte: then it is "not sent"
            if self._flight is not None:
                self._flight.request_left = True
        super().send(data)

    def _bind_flight(self) -> None:
        flight = self._flight = _IN_FLIGHT.get(threading.get_ident())
        if flight is not None:
            flight.connection = self

    def _stop_if_deadline_passed(self) -> None:
        flight = self._flight
        if flight is not None and flight.deadline_passed and not flight.request_left:
            raise TimeoutError("the post's deadline passed before its request was sent")


class _TrackedTLSConnection(_TrackedConnection, HTTPSConnection):
    pass


class _TrackedPool(HTTPConnectionPool):
    ConnectionCls = _TrackedConnection


class _TrackedTLSPool(HTTPSConnectionPool):
    ConnectionCls = _TrackedTLSConnection


_TRACKED_POOLS = {"http": _TrackedPool, "https": _TrackedTLSPool}


class TrackedAdapter(HTTPAdapter):
    """requests' adapter, with pools of tracked connections, proxied or not."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _TRACKED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _TRACKED_POOLS
        return manager


class _Watcher:
    """The one thread that watches every post's deadline (starting a timer thread per post
    cost more than a millisecond each)."""

    def __init__(self) -> None:
        self._changed = threading.Condition()
        self._armed: dict[Flight, float] = {}
        self._thread: threading.Thread | None = None

    def arm(self, flight: Flight, deadline: float) -> None:
        with self._changed:
            self._armed[flight] = deadline
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="post-deadlines", daemon=True
                )
                self._thread.start()
            self._changed.notify()

    def disarm(self, flight: Flight) -> None:
        with self._changed:
            self._armed.pop(flight, None)

    def _run(self) -> None:
        with self._changed:
            while True:
                now = time.monotonic()
                for flight, deadline in list(self._armed.items()):
                    if deadline <= now:
                        del self._armed[flight]
                        if not flight.fire():  # no socket yet: look again shortly
                            self._armed[flight] = now + _NO_SOCKET_YET_SECONDS
                next_deadline = min(self._armed.values(), default=None)
                self._changed.wait(None if next_deadline is None else next_deadline - now)


_NO_SOCKET_YET_SECONDS = 0.05
_WATCHER = _Watcher()
