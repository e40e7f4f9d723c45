"""Wire formats behind one protocol: the history records each post's format tag and
request bytes, and reads a stored request back only through the format it was sent in."""

from __future__ import annotations

import contextlib
import socket
import sqlite3
import time
from collections.abc import Collection
from pathlib import Path

import pytest

from leaddesk.domain.name_key import SQL_FUNCTION, name_key
from leaddesk.domain.states import State
from leaddesk.history.schema import MIGRATIONS
from leaddesk.history.store import Store
from leaddesk.sending.poster import Outcome, Poster
from leaddesk.wire.format import WireFormat
from leaddesk.wire.formats import DEFAULT_FORMAT, FORMATS, by_name, cut_document, everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML, build_document, without_leads
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, read_request
from tests.support.wire_formats import JsonLines

DAY = 86400.0
URL = "http://127.0.0.1:9/leads"


def test_the_xml_format_is_known_by_its_tag_and_is_the_default() -> None:
    xml: WireFormat = SECURITYTRAX_XML
    assert by_name("securitytrax-xml") is xml is DEFAULT_FORMAT
    assert set(FORMATS) == {"securitytrax-xml"}
    with pytest.raises(ValueError, match="no wire format"):
        by_name("securitytrax-json")


def test_the_xml_format_does_what_its_functions_do() -> None:
    leads = [make_lead(1).with_unique_id(), make_lead(2).with_unique_id()]
    document = SECURITYTRAX_XML.build(leads)
    assert document == build_document(leads)
    assert SECURITYTRAX_XML.without(document, {0}) == without_leads(document, {0})
    assert cut_document("securitytrax-xml", document, {1}) == without_leads(document, {1})
    assert not SECURITYTRAX_XML.is_reply(b"<html>login</html>", 1)


def test_a_claim_records_the_request_in_the_format_it_is_given(tmp_path: Path) -> None:
    lines = JsonLines()
    with Store(tmp_path / "h.sqlite3") as store:
        ids = [store.add(make_lead(i), URL) for i in (1, 2)]
        claim = store.claim("owner", 10, everywhere(lines))
        assert claim is not None
        assert claim.request == lines.build([stored.lead for stored in claim.leads])
        [(request, tag)] = store.read("SELECT request, format FROM posts")
        assert (request.encode(), tag) == (claim.request, "test-json-lines")
        assert [stored.id for stored in claim.leads] == ids


def test_purge_cuts_a_shared_request_with_the_format_it_was_sent_in(tmp_path: Path) -> None:
    """The history hands the stored bytes and their tag to the cut it is given: a post
    made in another format is cut by that format, never parsed as XML."""
    lines = JsonLines()
    old = time.time() - 40 * DAY
    cuts: list[str] = []

    def cut(tag: str, document: bytes, positions: Collection[int]) -> bytes:
        cuts.append(tag)
        return {lines.name: lines}[tag].without(document, positions)

    with Store(tmp_path / "h.sqlite3") as store:
        gone = store.add(make_lead(1, fname="Purgedfirst"), URL, now=old)
        kept = store.add(make_lead(2, fname="Keptfirst"), URL, now=old)
        assert store.claim("owner", 10, everywhere(lines), now=old) is not None
        with store.transaction() as db:  # one answered; the other still in flight (kept)
            db.execute("UPDATE leads SET state = ? WHERE id = ?", (State.ACCEPTED.value, gone))
        assert store.purge(30, cut) == 1
        assert cuts == ["test-json-lines"]
        (attempt,) = store.attempts(kept)
        assert "Keptfirst" in attempt.request
        assert "Purgedfirst" not in attempt.request
        assert len(attempt.request.splitlines()) == 1


def test_posts_made_before_formats_were_recorded_are_securitytrax_xml(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.create_function(SQL_FUNCTION, 1, name_key, deterministic=True)
        for step in range(7):
            for statement in MIGRATIONS[step]:
                db.execute(statement)
        db.execute(
            "INSERT INTO posts (started_at, destination, request, status, reply, elapsed)"
            " VALUES (0, ?, '<leads/>', 200, '', 0)",
            (URL,),
        )
        db.execute("PRAGMA user_version = 7")
        db.commit()
    with Store(path) as store:
        assert store.read("SELECT format FROM posts") == [("securitytrax-xml",)]


class RecordingServer(RawHttpServer):
    """A loopback server that keeps every request whole, whatever its format."""

    def __init__(self, reply: bytes) -> None:
        super().__init__(lambda _: b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (
            len(reply), reply))  # fmt: skip
        self.requests: list[bytes] = []

    def serve(self, connection: socket.socket) -> None:
        while request := read_request(connection):
            self.requests.append(request)
            connection.sendall(self.respond(request))


def test_the_poster_builds_sends_and_reads_in_the_format_it_is_given() -> None:
    lines = JsonLines()
    leads = [make_lead(1), make_lead(2)]
    server = RecordingServer(b"7001\n7002\n")
    with server, Poster(wire_format=lines) as poster:
        result = poster.post(server.url, leads)
    [request] = server.requests
    head, _, body = request.partition(b"\r\n\r\n")
    assert b"content-type: application/x-ndjson" in head.lower()
    assert body == result.request == lines.build([item.lead for item in result.results])
    assert [(item.outcome, item.customer_id) for item in result.results] == [
        (Outcome.ACCEPTED, "7001"),
        (Outcome.ACCEPTED, "7002"),
    ]
