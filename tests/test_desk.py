"""The window's destination decisions, without a window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.config_files import Loaded
from leaddesk.desk import Desk
from leaddesk.draft import Draft
from leaddesk.settings import Destination, Paths, Settings
from leaddesk.store import Store
from leaddesk.zip_lookup import ZipDirectory
from tests.leads import make_lead

A = Destination(name="A", url="https://a.example/leadpostxml.php", source_id="SA")
B = Destination(name="B", url="https://b.example/leadpostxml.php", source_id="SB")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l", tmp_path / "k")
    with Store(paths.database()) as store:
        yield Desk(paths, Settings(destinations=(A, B), default_destination="B"), A, store,
                   Draft(tmp_path / "draft.json"), ZipDirectory(paths.cache_dir))  # fmt: skip


def test_configured_destinations_are_offered_with_the_remembered_one(desk: Desk) -> None:
    assert desk.offered("A") == ([A, B], "A")
    assert desk.offered("") == ([A, B], "B"), "nothing remembered: the configured default"


def test_a_one_off_destination_comes_first_and_is_chosen(desk: Desk) -> None:
    desk.destination = Destination(name="Command line (--url)", url="https://c.example/x")
    offered, chosen = desk.offered("A")
    assert offered[0] is desk.destination and chosen == "Command line (--url)"


def test_a_resend_follows_the_destinations_current_url(desk: Desk) -> None:
    lead_id = desk.store.add(make_lead(1), "https://old.example/x", destination_name="A")
    lead = desk.store.get(lead_id)
    assert desk.resend_url(lead) == A.url
    desk.demo = True
    assert desk.resend_url(lead) == desk.destination.url
    desk.demo = False
    unknown = desk.store.get(desk.store.add(make_lead(2), "https://x.example/y"))
    assert desk.resend_url(unknown) is None, "not a configured destination: as it was"


def test_archiving_the_destination_in_use_moves_the_desk_on(desk: Desk) -> None:
    archived = A.model_copy(update={"archived": True})
    desk.apply(Loaded(Settings(destinations=(archived, B), default_destination="B")))
    assert desk.destination == B


def test_new_settings_refresh_the_destination_in_use(desk: Desk) -> None:
    changed = A.model_copy(update={"source_id": "SA2"})
    desk.apply(Loaded(Settings(destinations=(changed, B))))
    assert desk.destination.source_id == "SA2"
