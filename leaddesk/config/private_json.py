"""A JSON file only its owner can read, replaced whole or not at all: a crash or a full
disk mid-write leaves the previous file, never half of the new one."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path


def write_private_json(path: Path, data: object) -> None:
    """Write `data` to `path` atomically (mode 0600, in a folder of mode 0700 when made
    here); OSError (disk full, read-only) is for the caller to report."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)  # mode 0600
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            json.dump(data, file, ensure_ascii=False)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def read_json(path: Path) -> object:
    """What the file holds; None when it is missing, unreadable or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
