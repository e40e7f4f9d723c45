"""VICIdial keeps a lead's country calling code apart from its number (`phone_code`): a
number dialled abroad is no US number, even when its ten digits read as one. It was sent
to the dealer as a US phone (Mexico City's 55 1234 5678 as New Jersey's (551) 234-5678)."""

from __future__ import annotations

from pathlib import Path

import pytest

from leaddesk.sources.rows import LeadFile, SourceRow
from tests.support.lead_layouts import vicidial_row, write_vicidial, write_vicidial_import

DEFAULTS = {"source_id": "S1"}
ABROAD = {"phone_code": "52", "phone_number": "5512345678"}


def read(path: Path) -> list[SourceRow]:
    with LeadFile(path, defaults=DEFAULTS) as leads:
        return list(leads.rows())


@pytest.mark.parametrize("code", ["1", "+1", "001", ""])
def test_a_north_american_code_or_none_sends_the_number(tmp_path: Path, code: str) -> None:
    path = write_vicidial(tmp_path, [vicidial_row(1) | {"phone_code": code}])
    [row] = read(path)
    assert row.lead is not None and row.lead.phone1 == "2085550001", row.problems


def test_a_list_export_lead_dialled_abroad_is_not_sent_and_says_why(tmp_path: Path) -> None:
    path = write_vicidial(tmp_path, [vicidial_row(1) | ABROAD, vicidial_row(2)])
    first, second = read(path)
    assert first.lead is None and "country code 52" in first.problems["phone1"]
    assert second.lead is not None and second.lead.phone1 == "2085550002"


def test_a_standard_import_lead_dialled_abroad_is_not_sent(tmp_path: Path) -> None:
    rows = [vicidial_row(1), vicidial_row(2) | ABROAD]
    first, second = read(write_vicidial_import(tmp_path / "new.txt", rows))
    assert first.lead is not None
    assert second.lead is None and "country code 52" in second.problems["phone1"]
