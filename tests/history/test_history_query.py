"""What the history pane asks of the store, without Qt: filters, sorts, the search, the
totals, the schema step that added prices, CSV export and where dealer errors belong.

Leads reach their states the way the send loop brings them there: one claim and one
recorded post (accepted, rejected, unconfirmed; "not sent" at the retry limit is failed),
and a lead meant to be queued is requeued after it failed. `populate` (tests/support/
history_data.py) is shared with the GUI tests of the history model and pane.
"""

from __future__ import annotations

import csv
import sqlite3
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pytest

from leaddesk.domain.error_fields import errors_by_field
from leaddesk.domain.errors import StoreError
from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.domain.name_key import name_key
from leaddesk.domain.states import State
from leaddesk.history.export import HEADER, export_csv
from leaddesk.history.history_query import (
    COLUMNS,
    Column,
    Filter,
    Query,
    ReadOnlyHistory,
    Summary,
    Totals,
    attention_count,
    lead_ids,
    lead_page,
    matches,
    rows,
    sort_key,
    start_of_today,
    summary,
    totals,
)
from leaddesk.history.schema import SCHEMA_VERSION
from leaddesk.history.search import phone_digits
from leaddesk.history.store import Store, StoredLead
from leaddesk.history.store_file import needs_update
from leaddesk.sandbox import REJECT_MESSAGE, check_lead
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.history_data import (
    FAILED_ERROR,
    OWNER,
    REJECTED_ERROR,
    URL,
    populate,
    version_1_database,
)
from tests.support.lead_files import read_lead_file
from tests.support.leads import make_lead

OTHER_URL = "http://dealer.example/acme/leadpostxml.php"
DAY = 86400.0


def states_of(store: Store, ids: Sequence[int]) -> list[State]:
    found = store.states(ids)
    return [found[i] for i in ids]


# --- filters ----------------------------------------------------------------------------

MIXED = (
    State.ACCEPTED,
    State.REJECTED,
    State.QUEUED,
    State.FAILED,
    State.UNCONFIRMED,
    State.ACCEPTED,
    State.QUEUED,
    State.REJECTED,
    State.ACCEPTED,
    State.FAILED,
)


def test_populate_brings_every_lead_to_its_state(store: Store) -> None:
    ids = populate(store, MIXED)
    assert states_of(store, ids) == list(MIXED)
    for lead in store.get_many(ids):
        assert lead.attempts == 1
        assert bool(lead.customer_id) == (lead.state is State.ACCEPTED)


@pytest.mark.parametrize(
    ("choice", "wanted"),
    [
        (Filter.ALL, set(State)),
        (Filter.ATTENTION, {State.REJECTED, State.FAILED, State.UNCONFIRMED}),
        (Filter.QUEUED, {State.QUEUED, State.SENDING}),
        (Filter.ACCEPTED, {State.ACCEPTED}),
    ],
)
def test_each_filter_gives_its_leads_newest_first(
    store: Store, choice: Filter, wanted: set[State]
) -> None:
    ids = populate(store, MIXED)
    (sending,) = store.add_many([(make_lead(99), URL)])
    claim = store.claim(
        OWNER, 1, everywhere(SECURITYTRAX_XML), now=time.time() + 2 * DAY
    )  # the oldest due: the new one
    assert claim is not None and [lead.id for lead in claim.leads] == [sending]
    everything = [*ids, sending]
    state = dict(zip(everything, states_of(store, everything), strict=True))
    assert state[sending] is State.SENDING

    found = list(lead_ids(store, Query(filter=choice)))

    assert found == sorted((i for i in everything if state[i] in wanted), reverse=True)
    assert all(matches(Query(filter=choice), row) for row in rows(store, found).values())


def test_attention_count_counts_rejected_failed_and_unconfirmed(store: Store) -> None:
    assert attention_count(store) == 0
    populate(store, MIXED)
    assert attention_count(store) == 5


def test_matches_keeps_a_row_only_while_its_state_fits_the_filter(store: Store) -> None:
    (lead_id,) = populate(store, [State.REJECTED])
    row = rows(store, [lead_id])[lead_id]
    assert matches(Query(filter=Filter.ATTENTION), row)
    assert matches(Query(filter=Filter.ALL, search="nobody"), row)  # the search is not checked
    assert not matches(Query(filter=Filter.ACCEPTED), row)
    assert not matches(Query(filter=Filter.QUEUED), row)


# --- sorting ------------------------------------------------------------------------------

# Names, phones and destinations chosen so that every column has ties and mixed case.
PEOPLE = (
    ("Ann", "smith", "8013120005", URL),
    ("Bob", "Adams", "8013120003", OTHER_URL),
    ("Cid", "Smith", "8013120009", URL),
    ("Ann", "Baker", "8013120003", URL),
    ("Dee", "adams", "8013120001", OTHER_URL),
    ("Eve", "Smith", "8013120005", OTHER_URL),
    ("Ann", "Smith", "8013120007", URL),
    ("Fay", "Émile", "8013120002", URL),
)
PEOPLE_STATES = (
    State.ACCEPTED,
    State.REJECTED,
    State.ACCEPTED,
    State.FAILED,
    State.UNCONFIRMED,
    State.QUEUED,
    State.ACCEPTED,
    State.REJECTED,
)


def sort_population(store: Store) -> list[StoredLead]:
    for url in (URL, OTHER_URL):
        chosen = [i for i, person in enumerate(PEOPLE) if person[3] == url]
        populate(
            store,
            [PEOPLE_STATES[i] for i in chosen],
            leads=[
                make_lead(i, fname=PEOPLE[i][0], lname=PEOPLE[i][1], phone1=PEOPLE[i][2])
                for i in chosen
            ],
            destination=url,
        )
    return store.history()


SORT_KEYS: Mapping[Column, Callable[[StoredLead], object]] = {
    Column.TIME: lambda lead: lead.id,
    Column.NAME: lambda lead: (name_key(lead.lead.lname), lead.lead.fname),
    Column.PHONE: lambda lead: lead.lead.phone1,
    Column.DESTINATION: lambda lead: (lead.destination_name, lead.destination),
    Column.STATE: lambda lead: lead.state.value,
    Column.CUSTOMER: lambda lead: lead.customer_id,
}


def test_every_column_has_a_sort() -> None:
    assert set(SORT_KEYS) | {Column.ERROR} == set(COLUMNS)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(SORT_KEYS))
def test_sort_by_column_with_ties_broken_by_id(
    store: Store, column: Column, descending: bool
) -> None:
    leads = sort_population(store)
    key = SORT_KEYS[column]
    expected = [
        lead.id for lead in sorted(leads, key=lambda lead: (key(lead), lead.id), reverse=descending)
    ]
    found = list(lead_ids(store, Query(sort=column, descending=descending)))
    assert found == expected
    # The same query twice gives the same order: ties never flicker between reloads.
    assert list(lead_ids(store, Query(sort=column, descending=descending))) == found


@pytest.mark.parametrize("column", list(Column))
def test_descending_is_ascending_reversed(store: Store, column: Column) -> None:
    sort_population(store)
    up = list(lead_ids(store, Query(sort=column, descending=False)))
    down = list(lead_ids(store, Query(sort=column, descending=True)))
    assert down == up[::-1]


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
def test_sort_by_first_error_orders_errors_and_keeps_blanks_together(
    store: Store, descending: bool
) -> None:
    sort_population(store)
    found = list(lead_ids(store, Query(sort=Column.ERROR, descending=descending)))
    shown = rows(store, found)
    errors = [shown[i].first_error for i in found]
    blank = [not error for error in errors]
    assert any(blank) and not all(blank)
    # Leads without an error sit together at one end.
    assert blank == sorted(blank) or blank == sorted(blank, reverse=True)
    errored = [(shown[i].first_error, i) for i in found if shown[i].first_error]
    assert errored == sorted(errored, reverse=descending)


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(Column))
def test_pages_put_together_are_the_whole_order(
    store: Store, column: Column, descending: bool
) -> None:
    sort_population(store)
    for choice in (Filter.ALL, Filter.ATTENTION):
        query = Query(filter=choice, sort=column, descending=descending)
        pages: list[int] = []
        cursor = None
        for _ in range(10):
            page, cursor = lead_page(store, query, cursor, 3)
            pages += page
            if cursor is None:
                break
        assert pages == list(lead_ids(store, query))


@pytest.mark.parametrize("descending", [False, True], ids=["ascending", "descending"])
@pytest.mark.parametrize("column", list(Column))
def test_sort_keys_order_leads_as_the_query_does(
    store: Store, column: Column, descending: bool
) -> None:
    leads = sort_population(store)
    query = Query(filter=Filter.ATTENTION, sort=column, descending=descending)
    order = list(lead_ids(store, query))
    keys = {lead.id: sort_key(store, query, lead.id) for lead in leads}
    assert {i for i, key in keys.items() if key is not None} == set(order), "matches only"
    by_key = sorted(order, key=lambda i: keys[i] or (), reverse=descending)
    assert by_key == order


def test_names_sort_with_their_accents_among_the_plain_letters(store: Store) -> None:
    surnames = ["Zamora", "Álvarez", "adams", "Ångström", "Baker", "Émile", "ALLEN"]
    store.add_many([(make_lead(i, lname=name), URL) for i, name in enumerate(surnames)])
    order = lead_ids(store, Query(sort=Column.NAME, descending=False))
    shown = [lead.lead.lname for lead in store.get_many(list(order))]
    assert shown == ["adams", "ALLEN", "Álvarez", "Ångström", "Baker", "Émile", "Zamora"]


def test_sort_applies_within_a_filter(store: Store) -> None:
    leads = sort_population(store)
    query = Query(filter=Filter.ATTENTION, sort=Column.NAME, descending=False)
    wanted = Filter.ATTENTION.states() or ()
    attention = [lead for lead in leads if lead.state in wanted]
    expected = [
        lead.id
        for lead in sorted(attention, key=lambda lead: (SORT_KEYS[Column.NAME](lead), lead.id))
    ]
    assert list(lead_ids(store, query)) == expected


class RecordingStore(Store):
    """A Store that keeps every statement the history's queries read with."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.statements: list[tuple[str, list[object]]] = []

    def read(self, sql: str, params: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        self.statements.append((sql, list(params)))
        return super().read(sql, params)


@pytest.mark.parametrize("choice", [Filter.ALL, Filter.ACCEPTED])
@pytest.mark.parametrize("column", list(Column))
@pytest.mark.parametrize("descending", [False, True])
def test_each_sort_pages_through_an_index(
    tmp_path: Path, choice: Filter, column: Column, descending: bool
) -> None:
    # A page sorted without an index sorts the whole history: 70-230 ms of a frozen
    # window for each page of 100,000 leads as the agent scrolls.
    with RecordingStore(tmp_path / "history.sqlite3") as store:
        sort_population(store)
        query = Query(filter=choice, sort=column, descending=descending)
        _, cursor = lead_page(store, query, None, 2)
        assert cursor is not None
        lead_page(store, query, cursor, 2)
        pages = [item for item in store.statements if item[0].startswith("SELECT")]
        assert len(pages) == 2
        for sql, params in pages:
            plan = " | ".join(row[3] for row in store.read(f"EXPLAIN QUERY PLAN {sql}", params))
            # (The leads of one phone number are few: sorting them by id is allowed.)
            assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


# --- the search ---------------------------------------------------------------------------


@pytest.fixture
def searchable(store: Store) -> dict[str, int]:
    """Leads with names, phones, emails, customer ids and lead IDs to search for."""
    leads = {
        "ann": make_lead(1, fname="Ann", lname="Smith", email="ann2@example.com"),
        "bob": make_lead(2, fname="Bob", lname="Jones", phone1="2085550222"),
        "cid": make_lead(3, fname="Cid", lname="O'Hara", lead_company_unique_id="CRM-0042"),
        "dee": make_lead(4, fname="Dee", lname="Lopez", phone1="4065552323", email="dee@x.org"),
        "eve": make_lead(5, fname="Eve", lname="Núñez", email="eve_100%@example.com"),
    }
    # Lead IDs without digits, so that a search for digits finds only what the test means.
    for name, lead in leads.items():
        if not lead.lead_company_unique_id:
            update = {"lead_company_unique_id": f"ID-{name.upper()}"}
            leads[name] = lead.replace(**update)
    states = [State.ACCEPTED, State.REJECTED, State.ACCEPTED, State.FAILED, State.QUEUED]
    ids = populate(store, states, leads=list(leads.values()))
    return dict(zip(leads, ids, strict=True))


def found_by(store: Store, search: str, choice: Filter = Filter.ALL) -> set[int]:
    return set(lead_ids(store, Query(filter=choice, search=search)))


def names(searchable: Mapping[str, int], ids: set[int]) -> set[str]:
    return {name for name, lead_id in searchable.items() if lead_id in ids}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("", {"ann", "bob", "cid", "dee", "eve"}),
        ("   ", {"ann", "bob", "cid", "dee", "eve"}),
        ("ann", {"ann"}),
        ("SMITH", {"ann"}),
        ("ann smith", {"ann"}),  # first and last name together
        ("o'hara", {"cid"}),
        ("Núñez", {"eve"}),
        ("nunez", {"eve"}),  # typed without accents
        ("NUNE", {"eve"}),
        ("eve nu", {"eve"}),
        ("nu", {"eve"}),  # too short for the trigram index: still folded
        ("ñ", {"eve"}),
        ("unez", set()),  # without accents, the start of a word
        ("208-555-0222", {"bob"}),
        ("(406) 555", {"dee"}),
        ("5550222", {"bob"}),
        ("dee@x.org", {"dee"}),
        ("@example.com", {"ann", "eve"}),
        ("crm-0042", {"cid"}),  # the lead ID the dealer sees
        ("eve_100%", {"eve"}),  # % and _ are plain characters, not wildcards
        ("%", {"eve"}),
        ("_", {"eve"}),
        ("nobody", set()),
    ],
)
def test_search_over_name_phone_email_and_lead_id(
    store: Store, searchable: dict[str, int], search: str, expected: set[str]
) -> None:
    assert names(searchable, found_by(store, search)) == expected


def test_search_finds_a_customer_id(store: Store, searchable: dict[str, int]) -> None:
    customer = store.get(searchable["cid"])
    assert customer is not None and customer.customer_id
    assert names(searchable, found_by(store, customer.customer_id)) == {"cid"}


def test_search_finds_a_generated_lead_id(store: Store) -> None:
    _first, second = store.add_many([(make_lead(1), URL), (make_lead(2), URL)])
    lead = store.get(second)
    assert lead is not None and lead.lead.lead_company_unique_id.startswith("LD")
    part = lead.lead.lead_company_unique_id[2:14].lower()
    assert set(lead_ids(store, Query(search=part))) == {second}


def test_an_email_with_digits_does_not_match_phones(
    store: Store, searchable: dict[str, int]
) -> None:
    # Bob's phone has "2" and "222" in it, Dee's "2323": only Ann's email may match.
    assert phone_digits("ann2@example.com") == ""
    assert names(searchable, found_by(store, "ann2@example.com")) == {"ann"}
    assert names(searchable, found_by(store, "ann2")) == {"ann"}


def test_too_few_digits_do_not_search_phones(store: Store, searchable: dict[str, int]) -> None:
    assert phone_digits("22") == ""
    assert names(searchable, found_by(store, "22")) == set()


def test_search_combines_with_the_filter(store: Store, searchable: dict[str, int]) -> None:
    assert names(searchable, found_by(store, "@", Filter.ALL)) == {"ann", "dee", "eve"}
    assert names(searchable, found_by(store, "@", Filter.ATTENTION)) == {"dee"}
    assert names(searchable, found_by(store, "@", Filter.ACCEPTED)) == {"ann"}
    assert names(searchable, found_by(store, "@", Filter.QUEUED)) == {"eve"}


def test_search_for_a_phone_with_the_country_code(store: Store, searchable: dict[str, int]) -> None:
    # Numbers are often pasted as +1 208-555-0222; the stored phone has no country code.
    assert names(searchable, found_by(store, "+1 208-555-0222")) == {"bob"}


# --- totals -------------------------------------------------------------------------------


def test_totals_today_and_all_with_the_accepted_price_sum(store: Store) -> None:
    now = time.time()
    earlier = start_of_today(now) - 2 * DAY
    priced = {"lead_purchase_price": "27.50"}
    # Two days ago: accepted at 10.00, rejected at 99.00 (never counted), failed.
    populate(
        store,
        [State.ACCEPTED, State.REJECTED, State.FAILED],
        leads=[
            make_lead(1, lead_purchase_price="10.00"),
            make_lead(2, lead_purchase_price="99.00"),
            make_lead(3),
        ],
        now=earlier,
    )
    # Today: two accepted at 27.50 and 0.05, one unpriced accepted, rejected, unconfirmed, queued.
    populate(
        store,
        [State.ACCEPTED, State.ACCEPTED, State.ACCEPTED, State.REJECTED, State.UNCONFIRMED,
         State.QUEUED],
        leads=[
            make_lead(4, **priced),
            make_lead(5, lead_purchase_price="0.05"),
            make_lead(6),
            make_lead(7, **priced),
            make_lead(8, **priced),
            make_lead(9, **priced),
        ],
        now=now,
    )  # fmt: skip

    today = totals(store, Query(), since=start_of_today(now))
    everything = totals(store, Query())

    assert today == Totals(sent=6, accepted=3, rejected=1, needs_attention=2, accepted_cents=2755)
    assert everything == Totals(
        sent=9, accepted=4, rejected=2, needs_attention=4, accepted_cents=3755
    )


def test_totals_follow_the_filter_and_search(store: Store) -> None:
    populate(
        store,
        [State.ACCEPTED, State.ACCEPTED, State.REJECTED],
        leads=[
            make_lead(1, lname="Smith", lead_purchase_price="12.34"),
            make_lead(2, lname="Jones", lead_purchase_price="1.00"),
            make_lead(3, lname="Smith", lead_purchase_price="5.00"),
        ],
    )
    assert totals(store, Query(search="smith")) == Totals(2, 1, 1, 1, 1234)
    assert totals(store, Query(filter=Filter.ATTENTION)) == Totals(1, 0, 1, 1, 0)
    assert totals(store, Query(filter=Filter.ACCEPTED, search="jones")) == Totals(1, 1, 0, 0, 100)
    assert totals(store, Query(search="smith"), since=time.time() + DAY) == Totals(0, 0, 0, 0, 0)


def test_totals_of_an_empty_history_are_zero(store: Store) -> None:
    assert totals(store, Query()) == Totals(0, 0, 0, 0, 0)
    assert totals(store, Query(), since=start_of_today()) == Totals(0, 0, 0, 0, 0)


def test_summary_read_only_agrees_with_the_store(store: Store) -> None:
    now = time.time()
    populate(store, [State.ACCEPTED, State.REJECTED], now=start_of_today(now) - 2 * DAY)
    populate(store, [State.ACCEPTED, State.FAILED, State.QUEUED], now=now)
    query = Query(filter=Filter.ATTENTION)
    with ReadOnlyHistory(store.path) as history:
        figures = summary(history, query, since=start_of_today(now))
    assert figures == Summary(
        today=totals(store, Query(), since=start_of_today(now)),
        view=totals(store, query),
        attention=attention_count(store),
    )
    assert figures.today.sent == 3 and figures.view.sent == 2 and figures.attention == 2


def test_the_read_only_history_cannot_write(store: Store) -> None:
    populate(store, [State.ACCEPTED])
    with ReadOnlyHistory(store.path) as history, pytest.raises(StoreError, match="read-only"):
        history.read("DELETE FROM leads")
    assert len(store.history()) == 1


def test_a_missing_history_file_is_a_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="cannot be opened"):
        ReadOnlyHistory(tmp_path / "nowhere" / "history.sqlite3")


def test_start_of_today_is_local_midnight() -> None:
    noon = time.mktime((2024, 3, 15, 12, 30, 0, 0, 0, -1))
    midnight = time.mktime((2024, 3, 15, 0, 0, 0, 0, 0, -1))
    assert start_of_today(noon) == midnight


# --- rows -----------------------------------------------------------------------------


def test_rows_show_what_the_table_shows(store: Store) -> None:
    accepted, rejected, queued = populate(
        store,
        [State.ACCEPTED, State.REJECTED, State.QUEUED],
        leads=[make_lead(1, fname="Ann", lname="Smith"), make_lead(2, lname="Jones"), make_lead(3)],
    )
    found = rows(store, [queued, accepted, rejected, 999])
    assert set(found) == {accepted, rejected, queued}  # a missing id is left out
    row = found[accepted]
    assert (row.id, row.name, row.phone1, row.destination) == (
        accepted,
        "Ann Smith",
        "8013120001",
        URL,
    )
    assert row.state is State.ACCEPTED and row.customer_id == str(5000 + accepted)
    assert row.first_error == ""
    assert found[rejected].name == "Ann Jones"
    assert found[rejected].first_error == REJECTED_ERROR
    assert found[queued].state is State.QUEUED
    assert found[queued].first_error == FAILED_ERROR  # the last try's reason stays on show


def test_rows_of_more_leads_than_one_sqlite_chunk(store: Store) -> None:
    ids = store.add_many([(make_lead(i), URL) for i in range(1, 1201)])
    found = rows(store, ids[::-1])
    assert sorted(found) == ids
    assert found[ids[700]].lname == "Smith701"


# --- schema migration -----------------------------------------------------------------


def test_version_1_database_gets_prices_backfilled(tmp_path: Path) -> None:
    path = tmp_path / "old" / "history.sqlite3"
    version_1_database(
        path,
        [("accepted", "27.50"), ("accepted", "19.99"), ("rejected", "5.00"), ("accepted", "")],
    )
    with Store(path) as store:
        ((version,),) = store.read("PRAGMA user_version")
        prices = store.read("SELECT id, price_cents FROM leads ORDER BY id")
        indexes = {row[0] for row in store.read("SELECT name FROM sqlite_master")}
        assert totals(store, Query()).accepted_cents == 4749
        assert [lead.lead.lead_purchase_price for lead in store.history()][::-1] == [
            "27.50",
            "19.99",
            "5.00",
            "",
        ]
        assert list(lead_ids(store, Query(filter=Filter.ACCEPTED))) == [4, 2, 1]
    assert version == SCHEMA_VERSION >= 2
    assert prices == [(1, 2750), (2, 1999), (3, 500), (4, 0)]
    assert "leads_state_id" in indexes


def test_a_migrated_history_finds_its_old_names_without_their_accents(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    version_1_database(path, [("accepted", "27.50"), ("rejected", "")])
    with sqlite3.connect(path) as db:
        db.execute("UPDATE leads SET lname = 'Ibáñez' WHERE id = 2")
    db.close()
    with Store(path) as store:
        assert list(lead_ids(store, Query(search="ibanez"))) == [2]
        [added] = store.add_many([(make_lead(3, lname="Ibáñez-Peña"), URL)])
        assert list(lead_ids(store, Query(search="ibanez pena"))) == [added]
        assert list(lead_ids(store, Query(search="ibanez"))) == [added, 2]


def test_a_migrated_history_sorts_and_guards_its_old_names_without_accents(
    tmp_path: Path,
) -> None:
    path = tmp_path / "history.sqlite3"
    version_1_database(path, [("accepted", ""), ("accepted", "")])
    with sqlite3.connect(path) as db:  # as LeadDesk wrote them then: casefolded only
        db.execute("UPDATE leads SET lname = 'Ávila', lname_key = 'ávila' WHERE id = 1")
        db.execute("UPDATE leads SET lname = 'Baker', lname_key = 'baker' WHERE id = 2")
    db.close()
    with Store(path) as store:
        assert list(lead_ids(store, Query(sort=Column.NAME, descending=False))) == [1, 2]
        first = store.get(1)
        assert first is not None
        again = first.lead.replace(lname="AVILA")
        assert store.find_duplicate(again, 30) == 1


def test_needs_update_tells_an_older_history_from_a_new_or_current_one(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    assert not needs_update(path)  # none yet: set up at once
    version_1_database(path, [("accepted", "")])
    assert needs_update(path)
    Store(path).close()
    assert not needs_update(path)
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"not a database" * 100)
    assert not needs_update(garbage)  # opening it says what is wrong
    assert not needs_update(Path("relative") / "history.sqlite3")


def test_migrated_database_opens_again_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "history.sqlite3"
    version_1_database(path, [("accepted", "27.50")])
    Store(path).close()
    with Store(path) as store:
        assert store.read("PRAGMA user_version") == [(SCHEMA_VERSION,)]
        assert store.read("SELECT price_cents FROM leads") == [(2750,)]


# --- export ---------------------------------------------------------------------------


def test_export_writes_a_utf8_bom_csv_that_leaddesk_send_can_read_back(
    store: Store, tmp_path: Path
) -> None:
    leads = [
        make_lead(1, fname="José", lname="Núñez", lead_purchase_price="27.50"),
        make_lead(2, lname='O"Brien, Jr.', lead_comments="Line one\nLine two, with a comma"),
        make_lead(3, email="ann2@example.com", zip="83660", phone2="2085550123"),
    ]
    ids = populate(store, [State.ACCEPTED, State.REJECTED, State.FAILED], leads=leads)
    path = tmp_path / "export.csv"

    written = export_csv(store, ids[::-1], path)

    assert written == 3
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as file:
        table = list(csv.reader(file))
    header, body = table[0], table[1:]
    assert header == list(HEADER)
    assert len(FIELD_NAMES) == 30 and header[-30:] == list(FIELD_NAMES)
    assert [int(line[0]) for line in body] == ids[::-1]
    assert [line[2] for line in body] == ["failed", "rejected", "accepted"]
    assert body[1][4] == REJECTED_ERROR
    assert body[2][3] == str(5000 + ids[0])

    # Drop the extra columns: what is left is a file `leaddesk send` takes.
    fields_only = tmp_path / "fields.csv"
    start = len(HEADER) - len(FIELD_NAMES)
    with fields_only.open("w", encoding="utf-8-sig", newline="") as file:
        csv.writer(file).writerows(line[start:] for line in table)
    again = read_lead_file(fields_only)
    assert again.problems == []
    stored = {lead.id: lead.lead.values() for lead in store.get_many(ids)}
    assert [lead.values() for _, lead in again.leads] == [stored[i] for i in ids[::-1]]


def test_export_header_names_each_column_once() -> None:
    # The lead's delivery state and the address's US state are both called "state": a
    # reader that goes by column names (csv.DictReader, a spreadsheet's filter) mixes them
    # up, and someone dropping "the extra columns" has to guess which "state" to drop.
    repeated = sorted({name for name in HEADER if HEADER.count(name) > 1})
    assert repeated == []


def test_export_keeps_the_order_given_past_one_chunk(store: Store, tmp_path: Path) -> None:
    ids = store.add_many([(make_lead(i), URL) for i in range(1, 621)])
    order = ids[::-1]
    path = tmp_path / "many.csv"
    assert export_csv(store, order, path) == 620
    with path.open(encoding="utf-8-sig", newline="") as file:
        body = list(csv.reader(file))[1:]
    assert [int(line[0]) for line in body] == order


def test_export_of_nothing_writes_the_header_only(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "empty.csv"
    assert export_csv(store, [], path) == 0
    assert path.read_text(encoding="utf-8-sig").splitlines() == [",".join(HEADER)]


# --- where a dealer's error belongs ------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "field"),
    [
        ("phone2 must be 10 digits, numbers only", "phone2"),
        ("fname is required", "fname"),
        ("Last name is too long", "lname"),  # by its label
        ("PHONE 1 is not a number we can call", "phone1"),  # labels in any case
        ("Address line 2 is too long", "address2"),  # not the shorter "Address"
        ("lead_custom1 is not allowed", "lead_custom1"),
        ("lead_purchase_price must be a number like 27.50, without $", "lead_purchase_price"),
        ("state must be a 2-letter state code such as ID", "state"),
        ("Invalid email", "email"),
    ],
)
def test_an_error_naming_a_field_is_placed_there(error: str, field: str) -> None:
    assert errors_by_field([error]) == ({field: error}, [])


@pytest.mark.parametrize(
    "error",
    [
        REJECT_MESSAGE,
        "Duplicate lead",
        "The zipper is stuck",  # "zip" only as a word
        "Our phones are down",
        "",
    ],
)
def test_an_error_naming_no_field_is_left_for_the_note(error: str) -> None:
    assert errors_by_field([error]) == ({}, [error])


def test_errors_at_one_field_are_joined_and_the_rest_kept_in_order() -> None:
    placed, unplaced = errors_by_field(
        ["Duplicate lead", "phone1 is required", "Try later", "phone1 must be 10 digits"]
    )
    assert placed == {"phone1": "phone1 is required phone1 must be 10 digits"}
    assert unplaced == ["Duplicate lead", "Try later"]


def sandbox_problems(fields: Mapping[str, str]) -> list[str]:
    lead = ET.Element("lead")
    for name, value in fields.items():
        ET.SubElement(lead, name).text = value
    return check_lead(lead)[1]


BAD_VALUES = {
    "state": "Idaho",
    "zip": "1234",
    "phone1": "123",
    "phone2": "(208) 555-0123",
    "phone3": "12",
    "phone4": "x",
    "contact_time": "x" * 51,
    "lead_home_ownership": "mine",
    "lead_type_id": "9",
    "lead_purchase_price": "$5",
}


@pytest.mark.parametrize("field", sorted(BAD_VALUES))
def test_every_sandbox_field_problem_is_placed_at_its_field(field: str) -> None:
    good = make_lead(1).values()
    problems = sandbox_problems({**good, field: BAD_VALUES[field]})
    assert len(problems) == 1, problems
    assert errors_by_field(problems) == ({field: problems[0]}, [])


def test_every_missing_required_field_is_placed_at_its_field() -> None:
    problems = sandbox_problems({"campaign_id": "7"})
    placed, unplaced = errors_by_field(problems)
    assert unplaced == []
    assert set(placed) == {"source_id", "fname", "lname", "city", "state", "phone1"}
    assert placed["city"] == "city is required"
