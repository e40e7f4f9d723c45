"""Submit's duplicate guard, one rule for the window (one typed lead, asked about) and
the command line (a file's rows)."""

from __future__ import annotations

from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.submit import destination_problem, queue_batch, queue_unless_duplicate
from leaddesk.config.settings import Destination, Settings
from leaddesk.domain.states import State
from leaddesk.history.duplicate_guard import DuplicateOf, Queued, SameAsItem
from leaddesk.history.store import Store, StoredLead
from tests.support.leads import make_lead

DEALER = Destination(name="Dealer", url="https://dealer.example/leadpostxml.php", source_id="S")
DAYS = 30


def never(earlier: StoredLead) -> bool:
    raise AssertionError(f"asked about lead {earlier.id}, which is no duplicate")


def test_a_new_lead_is_queued_without_a_question(store: Store) -> None:
    lead_id = queue_unless_duplicate(HistoryAccess(store), make_lead(1), DEALER, DAYS, never)
    assert lead_id is not None
    queued = store.get(lead_id)
    assert queued is not None and queued.state is State.QUEUED
    assert (queued.destination, queued.destination_name) == (DEALER.url, "Dealer")


def test_a_likely_duplicate_is_asked_about_and_kept_unless_sent_anyway(store: Store) -> None:
    history = HistoryAccess(store)
    first = queue_unless_duplicate(history, make_lead(1), DEALER, DAYS, never)
    asked: list[int] = []

    def keep(earlier: StoredLead) -> bool:
        asked.append(earlier.id)
        return False

    assert queue_unless_duplicate(history, make_lead(1), DEALER, DAYS, keep) is None
    assert asked == [first] and len(store.history()) == 1, "kept in the form: nothing queued"

    second = queue_unless_duplicate(history, make_lead(1), DEALER, DAYS, lambda earlier: True)
    assert second is not None and second != first and len(store.history()) == 2


def test_sent_anyway_lets_through_only_the_lead_the_person_was_told_of(store: Store) -> None:
    """Another LeadDesk queues the same lead while the question is open: that one is asked
    about too, not queued over in silence."""
    history = HistoryAccess(store)
    first = queue_unless_duplicate(history, make_lead(1), DEALER, DAYS, never)
    asked: list[int] = []

    def meanwhile_another_desk_queues_it(earlier: StoredLead) -> bool:
        asked.append(earlier.id)
        if len(asked) == 1:
            [verdict] = queue_batch(history, [make_lead(1)], DEALER, 0)  # guard off there
            assert isinstance(verdict, Queued)
            return True
        return False

    kept = queue_unless_duplicate(
        history, make_lead(1), DEALER, DAYS, meanwhile_another_desk_queues_it
    )
    assert kept is None and len(asked) == 2 and asked[0] == first and asked[1] != first


def test_the_window_and_a_file_share_one_guard(store: Store) -> None:
    history = HistoryAccess(store)
    typed = queue_unless_duplicate(history, make_lead(1), DEALER, DAYS, never)
    assert typed is not None
    verdicts = queue_batch(history, [make_lead(1), make_lead(2), make_lead(2)], DEALER, DAYS)
    assert verdicts[0] == DuplicateOf(typed, State.QUEUED), "the typed lead: in the outbox"
    assert isinstance(verdicts[1], Queued) and verdicts[2] == SameAsItem(1)

    asked: list[int] = []

    def keep(earlier: StoredLead) -> bool:
        asked.append(earlier.id)
        return False

    assert queue_unless_duplicate(history, make_lead(2), DEALER, DAYS, keep) is None
    assert asked == [verdicts[1].lead_id], "the file's lead is asked about in the window"


def test_the_guard_is_off_at_zero_days(store: Store) -> None:
    history = HistoryAccess(store)
    verdicts = queue_batch(history, [make_lead(1), make_lead(1)], DEALER, 0)
    assert all(isinstance(verdict, Queued) for verdict in verdicts)


def test_a_destination_that_cannot_take_leads_is_said_before_anything_is_queued() -> None:
    assert destination_problem(DEALER, Settings()) is None
    unset = destination_problem(Destination(), Settings())
    assert unset is not None and unset.startswith("No destination is set")
    no_source = destination_problem(DEALER.replace(source_id=""), Settings())
    assert no_source is not None and no_source.startswith("Cannot send to Dealer: ")
