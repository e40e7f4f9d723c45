"""ZIP code to city and state, offline, from the `zipcodes` package's bundled data.

zipcodes 3 answers each look-up in about a millisecond, but its first call builds its
tables for about half a second while holding the interpreter lock, and listing every ZIP
takes most of a second more: on a thread, that would freeze the window. So a compact index
(ZIP, city, state) is written once per zipcodes version to the cache folder, by a child
process, and the app reads that file (tens of milliseconds) on a background thread.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
import threading
from pathlib import Path
from typing import NamedTuple


class Place(NamedTuple):
    city: str
    state: str


def index_path(cache_dir: Path) -> Path:
    # importlib.metadata is slow to import; the window is on screen before this runs.
    from importlib.metadata import PackageNotFoundError, version

    try:
        source_version = version("zipcodes")
    except PackageNotFoundError:
        source_version = "unknown"
    return cache_dir / f"zip-index-{source_version}.tsv"


class ZipDirectory:
    def __init__(self, cache_dir: Path) -> None:
        self._cache_dir = cache_dir  # the index's name is worked out when it is loaded
        self._index: dict[str, Place] | None = None
        self._lock = threading.Lock()
        self._ready = threading.Event()

    def warm_up_in_background(self) -> None:
        threading.Thread(target=self._load, name="zip-index", daemon=True).start()

    def is_ready(self) -> bool:
        return self._ready.is_set()

    def lookup(self, zip_code: str) -> Place | None:
        """The place of a 5-digit ZIP (or ZIP+4), or None when unknown or not loaded yet.

        Never waits for the index: a ZIP typed in the first moments after start is simply
        not filled in, rather than freezing the form.
        """
        digits = "".join(ch for ch in zip_code if ch.isascii() and ch.isdigit())[:5]
        if len(digits) != 5 or self._index is None:
            return None
        return self._index.get(digits)

    def load_now(self) -> None:
        """Load (building the index first if needed) on the calling thread."""
        self._load()

    def _load(self) -> None:
        with self._lock:
            if self._index is not None:
                return
            path = index_path(self._cache_dir)
            if not path.exists():
                _build_index(path)
            try:
                self._index = _read_index(path)
            except (OSError, ValueError):
                self._index = {}  # no ZIP filling, but the form works
            self._ready.set()


def _read_index(path: Path) -> dict[str, Place]:
    index: dict[str, Place] = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            zip_code, city, state = line.rstrip("\n").split("\t")
            index[zip_code] = Place(city, state)
    return index


def _build_index(path: Path) -> None:
    """Write the index from a child process, so that zipcodes never holds this process's
    interpreter lock; in a frozen bundle (no `python -m`) it is built here instead."""
    if getattr(sys, "frozen", False):
        write_index(path)
        return
    import subprocess  # only to build the index, once per zipcodes version: not at start

    with contextlib.suppress(OSError, subprocess.SubprocessError):
        subprocess.run(
            [sys.executable, "-m", "leaddesk.domain.zip_lookup", str(path)],
            check=True,
            timeout=120,
            capture_output=True,
        )


def write_index(path: Path) -> None:
    """Every active ZIP with its city and state, one per line, written atomically."""
    import zipcodes

    entries = zipcodes.list_all()  # type: ignore[no-untyped-call]
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=".zip-index-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for entry in entries:
                if entry.get("active", True):
                    out.write(f"{entry['zip_code']}\t{entry['city']}\t{entry['state']}\n")
        Path(temporary).replace(path)
    except BaseException:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise


if __name__ == "__main__":
    write_index(Path(sys.argv[1]))
