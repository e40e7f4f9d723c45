"""Importing a lead file into the outbox, for the window (Leads > Import…): rows read as
they come and queued in chunks, each with the duplicate guard in one transaction; the
window's sender posts them as they are queued. Stopping keeps every chunk already queued
and drops the one being read (none of it was stored)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from leaddesk.config.paths import Paths
from leaddesk.config.settings import Destination
from leaddesk.domain.lead import Lead
from leaddesk.history.duplicate_guard import Queued
from leaddesk.history.store import Store
from leaddesk.sources.rows import LeadFile

CHUNK_ROWS = 200


@dataclass
class ImportCounts:
    read: int = 0
    queued: int = 0
    invalid: int = 0
    skipped: int = 0  # likely duplicates (of the history, or of an earlier row)
    share: float = 0.0  # how much of the file has been read, 0 to 1
    stopped: bool = False


def mappings_dir(paths: Paths) -> Path:
    """Where the mappings an agent saves under a name are kept, one TOML file each."""
    return paths.config_dir / "mappings"


def queue_file(
    database: Path,
    leads: LeadFile,
    destination: Destination,
    duplicate_days: int,
    on_chunk: Callable[[ImportCounts], None],
    stop_asked: Callable[[], bool],
) -> ImportCounts:
    """Queue the file's valid rows for `destination`; what was queued, read and left out.
    Runs on the caller's thread with its own connection to the history."""
    counts = ImportCounts()
    size = max(1, leads.size())
    chunk: list[Lead] = []
    with Store(database) as store:

        def queue() -> None:
            verdicts = store.queue_unless_duplicate(
                [(lead, destination.url) for lead in chunk],
                duplicate_days,
                destination_name=destination.name,
            )
            queued = sum(1 for verdict in verdicts if isinstance(verdict, Queued))
            counts.queued += queued
            counts.skipped += len(verdicts) - queued
            chunk.clear()
            counts.share = min(1.0, leads.bytes_read() / size)
            on_chunk(counts)

        for row in leads.rows():
            if stop_asked():
                counts.stopped = True
                return counts
            counts.read += 1
            if row.lead is None:
                counts.invalid += 1
            else:
                chunk.append(row.lead)
            if len(chunk) >= CHUNK_ROWS:
                queue()
        if chunk:
            queue()
    counts.share = 1.0
    on_chunk(counts)
    return counts
