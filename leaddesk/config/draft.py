"""The lead being typed, saved to disk so that a crash or a stray close loses nothing."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path


class Draft:
    """One JSON file of field values, written atomically and readable by its owner only."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, values: Mapping[str, str]) -> None:
        """Write the values; OSError (disk full, read-only) is for the caller to report."""
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(prefix=".draft-", dir=self.path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                json.dump(dict(values), file, ensure_ascii=False)
                file.flush()
                os.fsync(file.fileno())
            Path(temporary).replace(self.path)
        except BaseException:
            with contextlib.suppress(OSError):
                Path(temporary).unlink()
            raise

    def load(self) -> dict[str, str]:
        """The saved values, or nothing when there is no usable draft."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {str(key): value for key, value in data.items() if isinstance(value, str)}

    def clear(self) -> None:
        with contextlib.suppress(OSError):
            self.path.unlink()
