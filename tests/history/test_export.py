"""The CSV export holds personal data: readable by its owner only, like the history."""

from __future__ import annotations

import csv
import stat
from pathlib import Path

import pytest

from leaddesk.domain.lead import Lead
from leaddesk.history.export import HEADER, export_csv
from leaddesk.history.store import Store

URL = "https://dealer.example/leadpostxml.php"


def one_lead(store: Store) -> int:
    values = {"fname": "Ann", "lname": "Smith", "phone1": "8013127735", "city": "Boise"}
    return store.add(Lead.parse(values | {"state": "ID", "source_id": "S1"}), URL)


def test_a_new_export_is_readable_by_its_owner_only(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    assert export_csv(store, [one_lead(store)], path) == 1
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with path.open(encoding="utf-8-sig", newline="") as file:
        rows = list(csv.reader(file))
    assert rows[0] == list(HEADER) and len(rows) == 2


@pytest.mark.parametrize("mode", [0o644, 0o666])
def test_an_export_over_an_existing_file_tightens_it(
    store: Store, tmp_path: Path, mode: int
) -> None:
    path = tmp_path / "export.csv"
    path.write_text("an older, longer export " * 100, encoding="utf-8")
    path.chmod(mode)
    export_csv(store, [one_lead(store)], path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert "older" not in path.read_text(encoding="utf-8-sig"), "the old content is gone"


@pytest.mark.parametrize("beside", ["", "-wal", "-shm"])
def test_an_export_onto_the_history_itself_is_refused_and_the_history_kept(
    store: Store, tmp_path: Path, beside: str
) -> None:
    """Chosen by mistake in the save dialog, the history file was emptied before the first
    row was written: every lead gone."""
    lead_id = one_lead(store)
    target = store.path.with_name(store.path.name + beside)
    with pytest.raises(OSError, match="LeadDesk's own history"):
        export_csv(store, [lead_id], target)
    with Store(store.path) as again:
        assert [lead.id for lead in again.history()] == [lead_id]
