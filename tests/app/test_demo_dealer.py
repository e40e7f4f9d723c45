"""Demo mode's dealer: its address is known, and its socket listens, as soon as the
destination is; the sandbox behind it starts with the first outbox. A post made in between
waits in the socket's backlog and is answered once it starts: none is refused or lost."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from leaddesk.app.context import Context
from leaddesk.config.settings import Paths, Sending, Settings
from leaddesk.history.store import Store
from leaddesk.wire.securitytrax_xml import build_document
from tests.support.leads import make_lead


def demo_context(tmp_path: Path) -> Context:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l", tmp_path / "k")
    return Context.of(paths, Settings(), demo=True)


def raw_post(address: tuple[str, int], path: str) -> socket.socket:
    body = build_document([make_lead(1)])
    connection = socket.create_connection(address, timeout=10)
    head = (
        f"POST {path} HTTP/1.1\r\nHost: {address[0]}\r\nContent-Type: text/xml\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    connection.sendall(head.encode() + body)
    return connection


def reply_of(connection: socket.socket) -> bytes:
    chunks = []
    while chunk := connection.recv(65536):
        chunks.append(chunk)
    connection.close()
    return b"".join(chunks)


def test_a_post_made_before_the_dealer_starts_is_answered_once_it_does(tmp_path: Path) -> None:
    with demo_context(tmp_path) as context:
        url = urlsplit(context.destination().url)
        assert (url.scheme, url.hostname, url.path) == (
            "http",
            "127.0.0.1",
            "/demo/leadpostxml.php",
        )
        assert url.hostname is not None and url.port is not None
        waiting = raw_post((url.hostname, url.port), url.path)  # accepted by the backlog
        context.start_demo_dealer()
        reply = reply_of(waiting)
        assert reply.startswith(b"HTTP/1.1 200")
        assert b'<response success="true">' in reply
        assert b"<customer_id>1001</customer_id>" in reply
        # Started once: the outbox's own start keeps the same dealer and address.
        store = Store(context.paths.database(demo=True))
        try:
            context.open_outbox(store, Sending())
            assert context.destination().url == url.geturl()
        finally:
            store.close()
    with pytest.raises(OSError):
        socket.create_connection((url.hostname, url.port), timeout=2).close()


def test_a_demo_that_never_posts_leaves_nothing_listening(tmp_path: Path) -> None:
    with demo_context(tmp_path) as context:
        url = urlsplit(context.destination().url)
        assert url.hostname is not None and url.port is not None
    with pytest.raises(OSError):
        socket.create_connection((url.hostname, url.port), timeout=2).close()


def test_no_dealer_starts_once_the_context_is_closing(tmp_path: Path) -> None:
    """A worker that opens its outbox while the window's context closes must not leave a
    sandbox thread serving behind it."""
    context = demo_context(tmp_path)
    url = urlsplit(context.destination().url)
    assert url.hostname is not None and url.port is not None
    # A worker thread's outbox opening while the context closes: the first thing run.
    context._cleanups.append(context.start_demo_dealer)
    context.__exit__(None, None, None)
    assert not [t for t in threading.enumerate() if t.name == "leaddesk-sandbox"]
    with pytest.raises(OSError):
        socket.create_connection((url.hostname, url.port), timeout=2).close()
