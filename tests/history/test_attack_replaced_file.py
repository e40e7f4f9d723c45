"""The history file deleted, or replaced (a backup restored, a sync tool's copy), while a
LeadDesk has it open: a lead queued after that must not vanish into a file no one will
open again. The open history says so instead, and nothing more is written there."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from leaddesk.domain.errors import StoreError
from leaddesk.history.store import Store
from tests.support.leads import make_lead

URL = "https://dealer.example/leadpostxml.php"


def test_a_lead_queued_after_the_file_was_deleted_is_not_lost_silently(db_path: Path) -> None:
    with Store(db_path) as running:
        running.add(make_lead(1), URL)
        db_path.unlink()  # the file, as a person deletes it; SQLite's -wal and -shm stay
        try:
            queued = running.add(make_lead(2), URL)
        except StoreError as error:
            assert "moved, replaced or deleted" in str(error)
            assert error.lasting
            return
    with Store(db_path) as next_start:
        assert queued in {stored.id for stored in next_start.history()}, "the lead was lost"


def test_a_replaced_file_is_not_written_to(db_path: Path, tmp_path: Path) -> None:
    with Store(db_path) as running:
        running.add(make_lead(1), URL)
        backup = tmp_path / "backup.sqlite3"
        with Store(backup) as other:
            other.add(make_lead(5), URL)
        restored = db_path.with_name("restored")
        shutil.copyfile(backup, restored)
        restored.replace(db_path)
        with pytest.raises(StoreError, match="moved, replaced or deleted") as raised:
            running.add(make_lead(2), URL)
        assert raised.value.lasting
        with Store(db_path) as next_start:  # a new start uses the file now there
            assert "Smith2" not in {stored.lead.lname for stored in next_start.history()}


def test_the_same_file_kept_in_place_is_written_as_ever(db_path: Path) -> None:
    with Store(db_path) as running, Store(db_path) as other:
        running.add(make_lead(1), URL)
        other.add(make_lead(2), URL)
        running.add(make_lead(3), URL)
    with Store(db_path) as next_start:
        assert len(next_start.history()) == 3
