"""A name pasted with an invisible character in it (a soft hyphen, a zero-width space, a
direction mark, a byte order mark: web pages and documents carry them) is the name the
history already has: the duplicate guard holds a second send of the same person, and
the character is not sent to the dealer."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.history.duplicate_guard import DuplicateOf, Queued
from leaddesk.history.store import Store
from tests.support.leads import sample_lead

URL = "https://dealer.example/site/leadpostxml.php"
INVISIBLE = [
    "\u00ad",
    "\u200b",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202c",
    "\u2060",
    "\u2066",
    "\ufeff",
]
NAME = "Stallman"


@settings(max_examples=40, deadline=None)
@given(
    position=st.integers(min_value=0, max_value=len(NAME)),
    mark=st.sampled_from(INVISIBLE),
)
def test_an_invisible_character_does_not_make_another_lead(
    tmp_path_factory: pytest.TempPathFactory, position: int, mark: str
) -> None:
    path = tmp_path_factory.mktemp("guard") / "history.sqlite3"
    first = sample_lead(lname=NAME)
    pasted = sample_lead(lname=NAME[:position] + mark + NAME[position:])
    with Store(path) as store:
        [queued] = store.queue_unless_duplicate([(first, URL)], duplicate_days=30)
        assert isinstance(queued, Queued)
        [again] = store.queue_unless_duplicate([(pasted, URL)], duplicate_days=30)
    assert isinstance(again, DuplicateOf), "the same person, queued a second time"
    assert again.lead_id == queued.lead_id
    assert pasted.lname == NAME, "the invisible character would be sent"


def test_joiners_that_spell_a_name_are_kept() -> None:
    persian = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647"  # a zero-width non-joiner inside
    assert sample_lead(lname=persian).lname == persian
