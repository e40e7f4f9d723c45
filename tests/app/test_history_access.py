"""The window's door to the history: what it reads of the queue."""

from __future__ import annotations

from leaddesk.app.history_access import HistoryAccess
from leaddesk.domain.outcomes import Outcome
from leaddesk.history.history_query import Query
from leaddesk.history.store import Store
from tests.support.history_states import settle
from tests.support.leads import make_lead

WRONG = "https://wrong.example/leadpostxml.php"
OTHER = "https://other.example/leadpostxml.php"


def test_leads_held_for_a_fix_are_not_still_to_send(store: Store) -> None:
    history = HistoryAccess(store)
    for i in range(3):
        store.add(make_lead(i), WRONG)
    store.add(make_lead(9), OTHER)
    assert history.still_to_send() == 4
    settle(store, Outcome.REFUSED, "404 Not Found.")  # the first fails; two wait at WRONG
    assert history.held_reasons() == {WRONG: "404 Not Found."}
    assert history.still_to_send() == 1, "only the other destination's lead"


def test_the_read_model_pages_the_history_newest_first(store: Store) -> None:
    history = HistoryAccess(store)
    ids = [store.add(make_lead(i), WRONG) for i in range(5)]
    page, cursor = history.page(Query(), None, 3)
    assert page == ids[::-1][:3] and cursor is not None
    rest, end = history.page(Query(), cursor, 3)
    assert rest == ids[::-1][3:] and end is None
    assert list(history.lead_ids(Query())) == ids[::-1]
    assert history.rows([ids[0]])[ids[0]].lname == "Smith0"
