"""The sending side assembled: a poster for the sending settings, and an outbox for a
thread of its own. Both faces get their posters here, so that which wire format a
destination speaks is chosen in one place."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from leaddesk.config.settings import Sending, Settings
from leaddesk.domain.errors import SettingsError
from leaddesk.history.store import Store
from leaddesk.wire.format import DEFAULT_FORMAT_NAME

# The sending code and the wire formats load where a lead is first posted (on the worker's
# thread, a moment after the window is ready), not on the way to the first submit.
if TYPE_CHECKING:
    from leaddesk.sending.outbox import Outbox
    from leaddesk.sending.poster import Poster
    from leaddesk.sending.progress import ProgressCallback
    from leaddesk.wire.format import WireFormat


def format_of(settings: Settings, url: str) -> WireFormat:
    """The wire format the destination at `url` speaks, as configured now (a destination
    still in use wins over an archived one at the same address); SecurityTrax's XML for an
    address no destination has (--url, demo)."""
    from leaddesk.wire.formats import DEFAULT_FORMAT, by_name

    at_url = [d for d in settings.destinations if d.url == url]
    at_url.sort(key=lambda destination: destination.archived)
    return by_name(at_url[0].wire_format) if at_url else DEFAULT_FORMAT


def check_formats(settings: Settings, user_file: Path | None, site_file: Path | None) -> None:
    """SettingsError naming the destination whose `wire_format` LeadDesk does not know:
    a typo there must stop the start, not send a dealer documents it cannot read."""
    if all(d.wire_format == DEFAULT_FORMAT_NAME for d in settings.destinations):
        return  # always known: loading the formats waits for the first post
    from leaddesk.wire.formats import FORMATS

    for destination in settings.destinations:
        if destination.wire_format not in FORMATS:
            known = ", ".join(sorted(FORMATS))
            # A locked destination comes from the machine-wide file, which IT keeps.
            path = site_file if destination.locked else user_file
            raise SettingsError(
                f'{path or "Settings"}: the destination "{destination.name}" speaks no wire '
                f'format LeadDesk knows ("{destination.wire_format}"; it knows: {known}).',
                path,
            )


def make_poster(sending: Sending) -> Poster:
    # Imported here: the HTTP stack loads only where a lead is posted, not to show the window.
    from leaddesk.sending.poster import Poster

    return Poster(sending.timeouts())


@dataclass(frozen=True)
class ThreadOutboxes:
    """How a sending thread (the window's worker) opens an outbox of its own: its own
    connection to the history (one per thread) and its own poster, both closed with it."""

    database: Path
    senders_dir: Path  # where each sender's lock file says it is alive
    format_for: Callable[[str], WireFormat]  # read at each claim: settings may change
    # What must run before anything is posted: demo mode's dealer starts here.
    before_posting: Callable[[], None] = lambda: None

    @contextmanager
    def open(self, sending: Sending, on_progress: ProgressCallback) -> Iterator[Outbox]:
        """Call on the thread that sends."""
        from leaddesk.sending.outbox import Outbox

        self.before_posting()
        with Store(self.database) as store, make_poster(sending) as poster:
            outbox = Outbox(store, poster, sending, self.senders_dir, on_progress, self.format_for)
            try:
                yield outbox
            finally:
                outbox.close()
