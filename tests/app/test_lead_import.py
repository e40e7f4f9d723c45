"""Importing a lead file into the outbox (the window's Leads > Import…): chunks queued with
the duplicate guard, and a stop that keeps exactly the chunks already queued."""

from __future__ import annotations

from pathlib import Path

from leaddesk.app.lead_import import CHUNK_ROWS, ImportCounts, queue_file
from leaddesk.config.settings import Destination
from leaddesk.history.store import Store
from leaddesk.sources.rows import LeadFile

DESTINATION = Destination(name="Acme", url="https://acme.example/x/leadpostxml.php")


def write(tmp_path: Path, count: int, repeat_first: bool = False) -> Path:
    lines = ["First Name,Last Name,Phone,City,State"]
    lines += [f"Ann,Lee{i},801312{i:04d},Boise,ID" for i in range(count)]
    if repeat_first:
        lines.append("Ann,Lee0,8013120000,Boise,ID")
    path = tmp_path / "leads.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_every_valid_row_is_queued_once(tmp_path: Path, db_path: Path) -> None:
    Store(db_path).close()
    seen: list[ImportCounts] = []
    with LeadFile(write(tmp_path, 450, repeat_first=True), defaults={"source_id": "S1"}) as f:
        counts = queue_file(db_path, f, DESTINATION, 30, seen.append, lambda: False)
    assert (counts.read, counts.queued, counts.skipped, counts.invalid) == (451, 450, 1, 0)
    assert counts.share == 1.0 and len(seen) >= 3
    with Store(db_path) as store:
        stored = store.history()
    assert len(stored) == 450 and {lead.destination for lead in stored} == {DESTINATION.url}


def test_a_stop_keeps_the_chunks_queued_and_nothing_of_the_next(
    tmp_path: Path, db_path: Path
) -> None:
    Store(db_path).close()
    chunks: list[int] = []
    with LeadFile(write(tmp_path, 1000), defaults={"source_id": "S1"}) as lead_file:
        counts = queue_file(
            db_path, lead_file, DESTINATION, 30,
            lambda told: chunks.append(told.queued), lambda: len(chunks) >= 2,
        )  # fmt: skip
    assert counts.stopped and counts.queued == 2 * CHUNK_ROWS
    with Store(db_path) as store:
        assert len(store.history()) == 2 * CHUNK_ROWS
