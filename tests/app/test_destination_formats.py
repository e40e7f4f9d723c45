"""Which wire format a destination speaks is a setting (`wire_format` on the destination):
the outbox builds each post in its destination's format and reads the reply with it."""

from __future__ import annotations

import json
import socket
import threading
from pathlib import Path

import pytest

from leaddesk.app.context import Context
from leaddesk.config.paths import Paths
from leaddesk.config.settings import Destination, Settings
from leaddesk.domain.errors import SettingsError
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from leaddesk.sandbox import Sandbox
from leaddesk.wire.format import DEFAULT_FORMAT_NAME
from leaddesk.wire.formats import FORMATS
from tests.support.leads import make_lead
from tests.support.servers import RawHttpServer, read_request
from tests.support.settings_files import write
from tests.support.wire_formats import JsonLines


class JsonLinesDealer(RawHttpServer):
    """A dealer whose endpoint speaks JSON lines: every request kept whole."""

    def __init__(self) -> None:
        super().__init__(lambda _: b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n9001\n")
        self.requests: list[bytes] = []

    def serve(self, connection: socket.socket) -> None:
        while request := read_request(connection):
            self.requests.append(request)
            connection.sendall(self.respond(request))


def home(tmp_path: Path) -> Paths:
    root = tmp_path / "home"
    return Paths(root / "config", root / "data", root / "logs", root / "cache")


def test_each_destination_is_posted_in_the_format_it_speaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = JsonLines()
    monkeypatch.setitem(FORMATS, lines.name, lines)  # a format registered as wire/formats.py does
    dealer = JsonLinesDealer()
    with Sandbox() as sandbox, dealer:
        settings = Settings(
            destinations=(
                Destination(name="Acme", url=sandbox.url("acme")),
                Destination(name="Jsonco", url=dealer.url, wire_format=lines.name),
            )
        )
        paths = home(tmp_path)
        with Context.of(paths, settings) as context, Store(tmp_path / "h.sqlite3") as store:
            xml_lead = store.add(make_lead(1), sandbox.url("acme"), destination_name="Acme")
            json_lead = store.add(make_lead(2), dealer.url, destination_name="Jsonco")
            outbox = context.open_outbox(store, settings.sending)
            outbox.run_until_final([xml_lead, json_lead], threading.Event())
            assert [store.get(i).state for i in (xml_lead, json_lead)] == [State.ACCEPTED] * 2  # type: ignore[union-attr]
            tags = dict(store.read("SELECT destination, format FROM posts"))
    assert tags == {sandbox.url("acme"): "securitytrax-xml", dealer.url: "test-json-lines"}
    assert len(sandbox.accepted) == 1 and sandbox.accepted[0]["fname"] == make_lead(1).fname
    [request] = dealer.requests
    head, _, body = request.partition(b"\r\n\r\n")
    assert b"content-type: application/x-ndjson" in head.lower()
    assert json.loads(body)["fname"] == make_lead(2).fname


def test_a_destination_speaking_an_unknown_format_stops_the_start(tmp_path: Path) -> None:
    paths = home(tmp_path)
    write(
        paths.config_file,
        """
        [[destinations]]
        name = "Acme"
        url = "https://acme.example.com/leadpostxml.php"
        wire_format = "securitytrax-jsn"
        """,
    )
    with pytest.raises(SettingsError, match=r'"Acme" speaks no wire format.*securitytrax-jsn'):
        Context.from_environment(paths=paths)


def test_a_destination_speaks_the_format_the_wire_layer_calls_the_default() -> None:
    # The settings spell it without importing the wire layer (the history, which imports
    # the settings, never imports wire); the start-up check skips loading the formats for
    # destinations that speak the default.
    assert Destination().wire_format == DEFAULT_FORMAT_NAME == FORMATS[DEFAULT_FORMAT_NAME].name
