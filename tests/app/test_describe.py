"""What both faces say about a lead and its attempts."""

from __future__ import annotations

from leaddesk.app.describe import (
    accepted_text,
    fate_text,
    notice_text,
    outcome_words,
    see_notice_text,
)
from leaddesk.domain.outcomes import Outcome
from leaddesk.domain.states import State
from leaddesk.history.store import Store
from tests.support.history_states import settle
from tests.support.leads import make_lead

URL = "https://dealer.example/leadpostxml.php"


def test_every_outcome_has_its_words_short_and_explained() -> None:
    for outcome in [*Outcome, None]:
        short, explained = outcome_words(outcome), outcome_words(outcome, explained=True)
        assert short and explained.startswith(short)
    assert outcome_words(Outcome.NOT_SENT, explained=True) == "not sent (never reached the dealer)"
    assert outcome_words(None) == "in flight"


def test_the_window_and_the_command_line_say_what_became_of_a_lead(store: Store) -> None:
    store.add(make_lead(1), URL)
    rejected = settle(store, Outcome.REJECTED, "zip: not a ZIP code.")
    assert notice_text(rejected) == (
        f"Lead {rejected.id} (Ann Smith1) was rejected by the dealer: zip: not a ZIP code."
    )
    assert (
        see_notice_text(rejected)
        == f"Lead {rejected.id} (Ann Smith1) rejected: see the notices (F8)."
    )
    assert fate_text(rejected, retry_limit=6) == "rejected: zip: not a ZIP code."

    store.add(make_lead(2), URL)
    unsure = settle(store, Outcome.UNCONFIRMED, "No answer.")
    assert notice_text(unsure).endswith("No answer. Check with the dealer before resending.")
    assert fate_text(unsure, 6) == (
        "unconfirmed: No answer. Check with the dealer before resending "
        f"(leaddesk resend {unsure.id} --force)."
    )


def test_a_failed_lead_names_the_command_that_sends_it_again(store: Store) -> None:
    store.add(make_lead(1), URL)
    failed = settle(store, Outcome.NOT_SENT, "Could not connect.", retry_limit=1)
    assert failed.state is State.FAILED
    assert fate_text(failed, retry_limit=1) == (
        f"failed after 1 try: Could not connect. Resend: leaddesk resend {failed.id}"
    )
    store.add(make_lead(2), URL)
    refused = settle(store, Outcome.REFUSED, "404 Not Found.", retry_limit=6)
    assert f"leaddesk resend {refused.id} --url <correct address>" in fate_text(refused, 6)


def test_an_accepted_lead_names_its_customer(store: Store) -> None:
    store.add(make_lead(1), URL)
    accepted = settle(store, Outcome.ACCEPTED)
    assert accepted_text(accepted).startswith(f"Lead {accepted.id} (Ann Smith1) accepted")
    assert fate_text(accepted, 6) == "accepted, customer (no id given)"


def test_a_servers_words_cannot_drive_the_terminal(store: Store) -> None:
    store.add(make_lead(1), URL)
    rejected = settle(store, Outcome.REJECTED, "bad\x1b[2Jzip")
    assert "\x1b" not in fate_text(rejected, 6)
