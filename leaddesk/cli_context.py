"""What every command needs: paths, settings, the destination, the store and the outbox."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from pydantic import ValidationError

from leaddesk.outbox import Outbox, ProgressCallback
from leaddesk.settings import Destination, Paths, Sending, Settings, load_settings
from leaddesk.store import Store

if TYPE_CHECKING:
    from leaddesk.sandbox import Sandbox

DEMO_SOURCE_ID = "DEMO"


class UsageError(Exception):
    """The command cannot run as given; the message says what to change."""


@dataclass
class Context:
    paths: Paths
    settings: Settings
    demo: bool = False
    _sandbox: Sandbox | None = field(default=None, repr=False)
    _cleanups: list[Callable[[], None]] = field(default_factory=list, repr=False)

    @classmethod
    def from_environment(cls, demo: bool = False) -> Context:
        paths = Paths.from_environment()
        return cls(paths, load_settings(paths.config_file), demo)

    def __enter__(self) -> Context:
        return self

    def __exit__(self, *exc: object) -> None:
        for cleanup in reversed(self._cleanups):
            cleanup()

    def destination(self, url: str | None = None, source_id: str | None = None) -> Destination:
        """The configured destination with this run's --url/--source-id; demo uses a sandbox."""
        overrides: dict[str, str] = {}
        if self.demo:
            overrides = {"url": self._demo_url(), "source_id": DEMO_SOURCE_ID}
        if url is not None:
            overrides["url"] = url
        if source_id is not None:
            overrides["source_id"] = source_id
        values = self.settings.destination.model_dump() | overrides
        try:
            destination = Destination.model_validate(values)
        except ValidationError as error:
            cause = error.errors()[0].get("ctx", {}).get("error")
            raise UsageError(str(cause) if cause else str(error)) from None
        if not destination.url:
            raise UsageError(
                f"No destination URL: give --url, set [destination] url in "
                f"{self.paths.config_file}, or try --demo."
            )
        return destination

    def open_store(self) -> Store:
        store = Store(self.paths.database(demo=self.demo))
        retention = self.settings.history.retention_days
        if retention is not None:
            store.purge(retention)
        return store

    def open_outbox(
        self, store: Store, sending: Sending, on_progress: ProgressCallback | None = None
    ) -> Outbox:
        if self.demo:
            store.retarget_queued(self._demo_url())  # demo leads left by an earlier run
        from leaddesk.poster import Poster  # the HTTP stack loads only for commands that post

        poster = Poster(sending.timeouts())
        self._cleanups.append(poster.close)
        outbox = Outbox(store, poster, sending, self.paths.data_dir / "senders", on_progress)
        self._cleanups.append(outbox.close)
        return outbox

    def _demo_url(self) -> str:
        if self._sandbox is None:
            from leaddesk.sandbox import Sandbox

            self._sandbox = Sandbox().start()
            self._cleanups.append(self._sandbox.stop)
        return self._sandbox.url("demo")
