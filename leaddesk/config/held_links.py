"""Dialer links the agent held, on disk: a quit, a crash or a power cut loses none of the
leads a dialer sent and the agent had no time for."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from leaddesk.config.atomic_file import write_private_json

# The file is read on the window's thread at start-up. It holds the links an agent held
# and has not taken yet: some dozens at most, of a few hundred bytes each (even at a
# link's longest, 16,000 characters, sixty-odd fit). A bigger file is no file LeadDesk
# wrote (a hostile or broken one), and reading and parsing many megabytes would freeze
# the window: it is set aside unread, as one that cannot be read.
MAX_FILE_BYTES = 1024 * 1024


def held_links_for(data_dir: Path, demo: bool) -> HeldLinks:
    """The held links of this home, kept apart for demo mode as demo leads are."""
    return HeldLinks(data_dir / ("demo-held-links.json" if demo else "held-links.json"))


class HeldLinks:
    """One JSON file: the held links' field values, oldest first, readable by its owner
    only. It holds what the window took from each link (known lead fields, never a
    dialer's passwords: see leaddesk.app.dialer_link)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, links: Sequence[Mapping[str, str]]) -> None:
        """Write the links (none: the file goes); OSError is for the caller to report."""
        if links:
            write_private_json(self.path, [dict(values) for values in links])
        else:
            self.path.unlink(missing_ok=True)

    def read(self) -> SavedLinks:
        """The links saved, each as field -> text (nothing from a file that is not a list
        of such objects, nor from one above MAX_FILE_BYTES), and whether the file was read
        whole: missing, or all of it links. Read once: at start-up, on the window's thread."""
        data = _read(self.path)
        links = (
            [
                {str(name): value for name, value in values.items() if isinstance(value, str)}
                for values in data
                if isinstance(values, dict)
            ]
            if isinstance(data, list)
            else []
        )
        return SavedLinks(links, _readable(data) or not self.path.exists())

    def load(self) -> list[dict[str, str]]:
        return self.read().links

    def set_aside(self) -> Path:
        """A file this version cannot read whole (a newer LeadDesk's, one edited by hand, a
        broken one, one too big to read) renamed aside, where the next save cannot
        overwrite the leads in it: its new name. OSError is for the caller to report."""
        kept = self.path.with_name(f"{self.path.name}.unreadable-{datetime.now():%Y%m%d-%H%M%S}")
        self.path.replace(kept)
        with contextlib.suppress(OSError):  # names and phones: the owner's only, whoever wrote it
            kept.chmod(0o600)
        return kept


@dataclass(frozen=True)
class SavedLinks:
    links: list[dict[str, str]]
    whole: bool  # nothing in the file was left unread: nothing to set aside


def _read(path: Path) -> object:
    """What the file holds; None when it is missing, unreadable, not JSON or above
    MAX_FILE_BYTES (read no further than that)."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_FILE_BYTES + 1)
        return None if len(data) > MAX_FILE_BYTES else json.loads(data.decode("utf-8"))
    except (OSError, ValueError):
        return None


def _readable(data: object) -> bool:
    return isinstance(data, list) and all(
        isinstance(values, dict) and all(isinstance(value, str) for value in values.values())
        for values in data
    )
