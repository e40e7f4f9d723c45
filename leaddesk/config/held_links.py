"""Dialer links the agent held, on disk: a quit, a crash or a power cut loses none of the
leads a dialer sent and the agent had no time for."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from leaddesk.config.atomic_file import read_json, write_private_json


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

    def load(self) -> list[dict[str, str]]:
        """The links saved, each as field -> text; nothing from a file that is not a list
        of such objects."""
        data = read_json(self.path)
        if not isinstance(data, list):
            return []
        return [
            {str(name): value for name, value in values.items() if isinstance(value, str)}
            for values in data
            if isinstance(values, dict)
        ]
