"""ZIP code to city and state, offline, from the `zipcodes` package's bundled data.

`zipcodes.matching` scans its whole table (about 1.5 ms a look-up, after half a second
loading it), so the table is indexed once, off the GUI thread, and then looked up by key.
"""

from __future__ import annotations

import threading
from typing import NamedTuple


class Place(NamedTuple):
    city: str
    state: str


class ZipDirectory:
    def __init__(self) -> None:
        self._index: dict[str, Place] | None = None
        self._lock = threading.Lock()

    def warm_up_in_background(self) -> None:
        threading.Thread(target=self._load, name="zip-index", daemon=True).start()

    def lookup(self, zip_code: str) -> Place | None:
        """The place of a 5-digit ZIP (or ZIP+4), or None when unknown."""
        digits = "".join(ch for ch in zip_code if ch.isdigit())[:5]
        if len(digits) != 5:
            return None
        return self._load().get(digits)

    def _load(self) -> dict[str, Place]:
        with self._lock:
            if self._index is None:
                import zipcodes  # half a second of loading: only when first needed

                self._index = {
                    entry["zip_code"]: Place(entry["city"], entry["state"])
                    for entry in zipcodes.list_all()  # type: ignore[no-untyped-call]
                    if entry.get("active", True)
                }
            return self._index
