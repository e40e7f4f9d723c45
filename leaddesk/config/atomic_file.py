"""Files replaced whole or not at all: a crash or a full disk mid-write leaves the previous
file, never half of the new one."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from pathlib import Path


def replace_file(path: Path, text: str, folder_mode: int = 0o777) -> None:
    """Write `text` to `path` atomically, mode 0600 (mkstemp's); the folder made with
    `folder_mode` if it is missing. OSError (disk full, read-only) is for the caller."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=folder_mode)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=path.suffix, dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


def write_private_json(path: Path, data: object) -> None:
    """`data` as JSON in a file only its owner can read, in a folder only its owner can
    open when made here (a lead's names and phones)."""
    replace_file(path, json.dumps(data, ensure_ascii=False), folder_mode=0o700)


def read_json(path: Path) -> object:
    """What the file holds; None when it is missing, unreadable or not JSON."""
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
