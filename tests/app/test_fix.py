"""Fix and resend: the window's Edit and resend, without a window."""

from __future__ import annotations

import pytest

from leaddesk.app.fix import fix_and_resend, fixable
from leaddesk.app.history_access import HistoryAccess
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State
from leaddesk.history.store import Store, StoredLead
from tests.support.history_states import settle
from tests.support.leads import make_lead

OLD = "https://old.example/leadpostxml.php"
NEW = "https://new.example/leadpostxml.php"


def test_a_fixed_lead_is_queued_again_as_the_same_lead_to_its_current_address(
    store: Store,
) -> None:
    lead_id = store.add(make_lead(1), OLD, destination_name="Dealer")
    rejected = settle(store, Outcome.REJECTED, "zip: not a ZIP code.")
    history = HistoryAccess(store)
    assert fixable(history, lead_id) == rejected

    asked: list[StoredLead | None] = []

    def current_address(lead: StoredLead | None) -> str | None:
        asked.append(lead)
        return NEW

    fixed = make_lead(1, zip="83702")
    assert fix_and_resend(history, lead_id, fixed, current_address) == lead_id
    lead = store.get(lead_id)
    assert lead is not None and lead.state is State.QUEUED and lead.destination == NEW
    assert lead.lead.zip == "83702"
    assert lead.lead.lead_company_unique_id == rejected.lead.lead_company_unique_id
    assert [asked_about.id for asked_about in asked if asked_about] == [lead_id]
    assert len(store.history()) == 1, "no second lead"


def test_only_rejected_or_failed_leads_are_fixable(store: Store) -> None:
    history = HistoryAccess(store)
    queued = store.add(make_lead(1), OLD)
    assert fixable(history, queued) is None
    assert fixable(history, 999) is None
    with pytest.raises(ValueError, match="only rejected or failed"):
        fix_and_resend(history, queued, make_lead(1), lambda lead: None)
