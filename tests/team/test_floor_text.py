"""Any text a lead may hold goes to the floor and comes back as it was: names in any
script, notes with line breaks and tabs, quotes, backslashes, percent signs, the longest
text a field takes. And the floor's search finds a name by a piece of it, taken as text
(never as a pattern)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from leaddesk.domain.fields import LeadInvalid
from leaddesk.domain.states import State
from leaddesk.domain.stored import StoredLead
from leaddesk.team import floor_leads
from leaddesk.team.floor import Floor
from tests.support.floor import login_url, set_up_floor
from tests.support.leads import sample_lead

# What a pasted or typed field may carry: any character XML can (no C0 control but tab,
# line feed and carriage return, no surrogate), wide and combining ones included.
TEXT = st.text(
    st.characters(
        codec="utf-8",  # no lone surrogate
        blacklist_characters=[chr(c) for c in range(32) if c not in (9, 10, 13)]
        + ["\ufffe", "\uffff"],
    ),
    min_size=1,
    max_size=600,
)


@pytest.fixture
def ann_floor(floor_url: str) -> str:
    set_up_floor(floor_url)
    return login_url(floor_url, "ann")


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(fname=TEXT, lname=TEXT, comments=TEXT, custom=TEXT, piece=st.data())
def test_odd_and_long_text_round_trips_through_the_floor(
    ann_floor: str, fname: str, lname: str, comments: str, custom: str, piece: st.DataObject
) -> None:
    try:
        lead = sample_lead(
            fname=fname, lname=lname, lead_comments=comments, lead_custom4=custom
        ).with_unique_id()
    except LeadInvalid:
        assume(False)
        return
    stored = StoredLead(1, 1000.0, 1000.0, State.FAILED, "https://dealer.test/", lead, "",
                        ("not sent",), 1, None, 1)  # fmt: skip
    desk = f"desk-{lead.lead_company_unique_id}"
    with Floor(ann_floor, desk, "ann") as floor, floor.connection() as db:
        assert floor_leads.push(db, desk, "ann", [stored]) == 1
        [back] = [found for found in floor_leads.history(db) if found.desk == desk]
        start = piece.draw(st.integers(0, max(0, len(lead.lname) - 1)))
        part = lead.lname[start : start + 5]
        searched = {found.desk for found in floor_leads.history(db, search=part)}
    assert back.stored.lead.values() == lead.values()
    assert back.stored.errors == stored.errors
    assert desk in searched
