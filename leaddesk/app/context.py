"""What every command and the window need: paths, settings, demo mode, the destination,
the store and the outbox. The window's Desk (leaddesk.app.desk) is built from one."""

from __future__ import annotations

import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from leaddesk.app.outboxes import check_formats, format_of, make_poster
from leaddesk.config import config_files
from leaddesk.config.checked import SettingsInvalid
from leaddesk.config.config_files import Loaded
from leaddesk.config.settings import Destination, Paths, Sending, Settings
from leaddesk.domain.errors import UsageError
from leaddesk.history.store import Store

if TYPE_CHECKING:
    from leaddesk.sandbox import Sandbox
    from leaddesk.sending.outbox import Outbox
    from leaddesk.sending.progress import ProgressCallback
    from leaddesk.wire.format import WireFormat

DEMO_SOURCE_ID = "DEMO"
DEMO_DESTINATION = "Demo sandbox"
COMMAND_LINE_DESTINATION = "Command line (--url)"


@dataclass
class Context:
    paths: Paths
    loaded: Loaded
    demo: bool = False
    _sandbox: Sandbox | None = field(default=None, repr=False)
    # Demo mode's dealer until its sandbox starts: its address is known (and connections to
    # it wait) from the moment the socket listens, without loading the HTTP server.
    _demo_socket: socket.socket | None = field(default=None, repr=False)
    # The worker's threads open outboxes, which start the demo dealer.
    _demo_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _closed: bool = field(default=False, repr=False)  # exited: no demo dealer starts
    _cleanups: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @classmethod
    def from_environment(
        cls, demo: bool = False, use_site: bool = True, paths: Paths | None = None
    ) -> Context:
        """The context of the files `paths` (by default, where the environment says)."""
        paths = paths or Paths.from_environment()
        loaded = config_files.load(paths, use_site)
        check_formats(loaded.settings, paths.config_file, paths.site_config_file)
        return cls(paths, loaded, demo)

    @classmethod
    def of(cls, paths: Paths, settings: Settings, demo: bool = False) -> Context:
        """A context of settings given rather than read (tests, benches)."""
        return cls(paths, Loaded(settings), demo)

    @property
    def settings(self) -> Settings:
        return self.loaded.settings

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        with self._demo_lock:
            self._closed = True  # no demo dealer starts from here on
        while self._cleanups:  # newest first, including any added meanwhile
            self._cleanups.pop()()

    def destination(
        self, url: str | None = None, source_id: str | None = None, name: str | None = None
    ) -> Destination:
        """The destination named (or the one the desk starts with), with this run's
        --url/--source-id; demo mode uses a sandbox of its own."""
        base = self._configured(name)
        if base.locked and (url is not None or source_id is not None):
            raise UsageError(
                f'The destination "{base.name}" is locked by your IT admin: --url and '
                "--source-id cannot change it."
            )
        overrides: dict[str, str] = {}
        if self.demo:
            base = Destination(name=DEMO_DESTINATION)
            overrides = {"url": self._demo_url(), "source_id": DEMO_SOURCE_ID}
        if url is not None:
            overrides["url"] = url
            if not self.demo:
                overrides["name"] = COMMAND_LINE_DESTINATION
        if source_id is not None:
            overrides["source_id"] = source_id
        try:
            destination = base.replace(**overrides)
        except SettingsInvalid as error:
            raise UsageError(error.problems[0].message) from None
        if not destination.url:
            raise UsageError(
                f"No destination URL: give --url, add a destination in LeadDesk's settings "
                f"({self.paths.config_file}), or try --demo."
            )
        return destination

    def _configured(self, name: str | None) -> Destination:
        if name is None:
            return self.settings.starting_destination() or Destination()
        found = self.settings.destination(name)
        if found is None:
            known = ", ".join(d.name for d in self.settings.offered()) or "none yet"
            raise UsageError(f'No destination is named "{name}" (configured: {known}).')
        return found

    def open_store(self) -> Store:
        store = Store(self.paths.database(demo=self.demo))
        retention = self.settings.history.retention_days
        if retention is not None:
            from leaddesk.wire.formats import cut_document

            store.purge(retention, cut_document, keep_unresolved=True)
        return store

    def open_outbox(
        self, store: Store, sending: Sending, on_progress: ProgressCallback | None = None
    ) -> Outbox:
        if self.demo:
            store.retarget_queued(self._demo_url())  # demo leads left by an earlier run
            self.start_demo_dealer()
        from leaddesk.sending.outbox import Outbox

        poster = make_poster(sending)  # the HTTP stack loads only for commands that post
        self._cleanups.append(poster.close)
        senders = self.paths.data_dir / "senders"
        outbox = Outbox(store, poster, sending, senders, on_progress, self.format_for)
        self._cleanups.append(outbox.close)
        return outbox

    def format_for(self, url: str) -> WireFormat:
        """The wire format the destination at `url` speaks, by the settings as they are now."""
        return format_of(self.settings, url)

    def _demo_url(self) -> str:
        """Demo mode's dealer: a sandbox on this machine, started by the first outbox that
        could post to it (start_demo_dealer); the window is ready to take leads sooner."""
        with self._demo_lock:
            if self._sandbox is not None:
                return self._sandbox.url("demo")
            if self._demo_socket is None:
                self._demo_socket = socket.create_server(("127.0.0.1", 0))
                self._cleanups.append(self._close_demo_socket)
            host, port = self._demo_socket.getsockname()[:2]
            return f"http://{host}:{port}/demo/leadpostxml.php"

    def start_demo_dealer(self) -> None:
        """Serve the demo dealer's socket (from any thread; once)."""
        with self._demo_lock:
            if self._closed or self._sandbox is not None or self._demo_socket is None:
                return
            from leaddesk.sandbox import Sandbox

            sandbox = Sandbox(listening=self._demo_socket).start()
            self._sandbox, self._demo_socket = sandbox, None
            self._cleanups.append(sandbox.stop)

    def _close_demo_socket(self) -> None:
        with self._demo_lock:
            if self._demo_socket is not None:
                self._demo_socket.close()
                self._demo_socket = None
