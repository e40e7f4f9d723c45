"""The lead being typed, saved to disk so that a crash or a stray close loses nothing."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping
from pathlib import Path

from leaddesk.config.atomic_file import read_json, write_private_json


class Draft:
    """One JSON file of field values, written atomically and readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, values: Mapping[str, str]) -> None:
        """Write the values; OSError (disk full, read-only) is for the caller to report."""
        write_private_json(self.path, dict(values))

    def load(self) -> dict[str, str]:
        """The saved values, or nothing when there is no usable draft."""
        data = read_json(self.path)
        if not isinstance(data, dict):
            return {}
        return {str(key): value for key, value in data.items() if isinstance(value, str)}

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
