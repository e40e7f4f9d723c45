"""What team mode reads from a desk's own history: the leads changed since the floor last
saw them, from an index (a desk's push must not read its whole history), and which leads
the floor has never been given."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from leaddesk.history.floor_results import (
    CHANGED_SINCE,
    changed_since,
    never_pushed,
    note_pushed,
    note_swept,
    swept_until,
)
from leaddesk.history.schema import MIGRATIONS, SCHEMA_VERSION
from leaddesk.history.store import Store
from tests.support.leads import make_lead

URL = "https://dealer.test/leadpostxml.php"


def test_the_push_searches_the_updated_index_from_where_the_floor_is(tmp_path: Path) -> None:
    with Store(tmp_path / "history.sqlite3") as store:
        store.add_many([(make_lead(i), URL) for i in range(200)], now=1000.0)
        store.read("ANALYZE")
        plan = " ".join(row[-1] for row in store.read(f"EXPLAIN QUERY PLAN {CHANGED_SINCE}",
                                                      (1000.0, 5, 50)))  # fmt: skip
    assert "SEARCH leads USING COVERING INDEX leads_updated" in plan, plan
    assert "TEMP B-TREE" not in plan, plan  # no sort: the index gives the order


def test_pages_follow_each_other_through_leads_of_one_time(tmp_path: Path) -> None:
    with Store(tmp_path / "history.sqlite3") as store:
        ids = store.add_many([(make_lead(i), URL) for i in range(7)], now=1000.0)
        first = changed_since(store, 1000.0, -1, 4)
        second = changed_since(store, 1000.0, first[-1].id, 4)
    assert [lead.id for lead in first + second] == ids


def test_an_older_history_gains_the_index_in_its_migration_step(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    old = sqlite3.connect(path)
    for version in range(8):
        if version == 5:  # needs the store's name-key function; no leads to fold here
            continue
        for statement in MIGRATIONS[version]:
            old.execute(statement)
    old.execute("PRAGMA user_version = 8")
    old.commit()
    old.close()
    with Store(path) as store:
        assert store.read("PRAGMA user_version") == [(SCHEMA_VERSION,)]
        indexes = {row[1] for row in store.read("PRAGMA index_list(leads)")}
    assert "leads_updated" in indexes


def test_leads_created_after_the_last_push_known_were_never_pushed(tmp_path: Path) -> None:
    with Store(tmp_path / "history.sqlite3") as store:
        [early] = store.add_many([(make_lead(1), URL)], now=1000.0)
        [late] = store.add_many([(make_lead(2), URL)], now=2000.0)
        assert never_pushed(store, "desk-a", [early, late]) == set()  # no push known: none
        note_pushed(store, "desk-a", 1500.0)
        note_pushed(store, "desk-a", 1200.0)  # an older page noted late moves nothing back
        assert never_pushed(store, "desk-a", [early, late]) == {late}
        assert never_pushed(store, "desk-b", [early, late]) == set()


def test_the_sweeps_mark_is_apart_from_the_note_before_each_push(tmp_path: Path) -> None:
    with Store(tmp_path / "history.sqlite3") as store:
        assert swept_until(store, "desk-a") == 0.0  # never pushed from here: all of it
        note_pushed(store, "desk-a", 1500.0)
        assert swept_until(store, "desk-a") == 1500.0  # a LeadDesk before this one pushed
        note_swept(store, "desk-a", 1200.0)
        note_pushed(store, "desk-a", 1800.0)  # noted, the page not committed yet
        assert swept_until(store, "desk-a") == 1200.0
        [late] = store.add_many([(make_lead(1), URL)], now=1600.0)
        assert never_pushed(store, "desk-a", [late]) == set()  # the note, not the mark
