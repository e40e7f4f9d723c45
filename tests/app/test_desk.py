"""The window's destination decisions, without a window."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk, destination_fixes, fixed_waiting, move_fixed
from leaddesk.config.config_files import Loaded
from leaddesk.config.draft import Draft
from leaddesk.config.settings import Destination, Paths, Sending, Settings
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.domain.states import State
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.history.store import Store
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.leads import make_lead

A = Destination(name="A", url="https://a.example/leadpostxml.php", source_id="SA")
B = Destination(name="B", url="https://b.example/leadpostxml.php", source_id="SB")


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l", tmp_path / "k")
    with Store(paths.database()) as store:
        settings = Settings(destinations=(A, B), default_destination="B")
        yield Desk(Context.of(paths, settings), A, store,
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
    archived = A.replace(archived=True)
    desk.apply(Loaded(Settings(destinations=(archived, B), default_destination="B")))
    assert desk.destination == B


def test_new_settings_refresh_the_destination_in_use(desk: Desk) -> None:
    changed = A.replace(source_id="SA2")
    desk.apply(Loaded(Settings(destinations=(changed, B))))
    assert desk.destination.source_id == "SA2"


# --- a destination fixed in the settings sends the leads that waited for it -----------------


def hold(store: Store, url: str, lead_ids: list[int]) -> None:
    """The destination refused the first of these leads unprocessed: it holds the others."""
    claim = store.claim("tester", 1, everywhere(SECURITYTRAX_XML))
    assert claim is not None and claim.leads[0].id == lead_ids[0]
    refusal = "The dealer's address answered 404 Not Found: check the URL of destination A."
    results = tuple(LeadResult(s.lead, Outcome.REFUSED, errors=(refusal,)) for s in claim.leads)
    post = PostResult(url, claim.request, 404, b"", 0.01, results)
    store.record("tester", claim, post, Sending())
    assert [h.destination for h in store.holds()] == [url]


def settings_with(a: Destination) -> Settings:
    return Settings(destinations=(a, B), default_destination="B")


def test_a_corrected_url_is_a_fix_and_an_unchanged_destination_is_not() -> None:
    fixed = A.replace(url="https://a.example/fixed/leadpostxml.php")
    [fix] = destination_fixes(settings_with(A), settings_with(fixed))
    assert (fix.old_url, fix.destination, fix.url_changed) == (A.url, fixed, True)
    assert destination_fixes(settings_with(A), settings_with(A)) == []


def test_new_source_fields_are_a_fix_but_an_archived_destination_is_not() -> None:
    new_source = A.replace(source_id="SA2")
    [fix] = destination_fixes(settings_with(A), settings_with(new_source))
    assert not fix.url_changed and fix.destination.source_id == "SA2"
    archived = A.replace(url="https://x.example/y", archived=True)
    assert destination_fixes(settings_with(A), settings_with(archived)) == []
    assert destination_fixes(settings_with(A), Settings(destinations=(B,))) == []


def test_fixing_a_held_destinations_url_sends_its_refused_and_queued_leads(desk: Desk) -> None:
    ids = [desk.store.add(make_lead(i), A.url, destination_name="A") for i in range(3)]
    before = {lead.id: lead.lead.lead_company_unique_id for lead in desk.store.get_many(ids)}
    hold(desk.store, A.url, ids)
    fixed = A.replace(url="https://a.example/fixed/leadpostxml.php")
    assert sorted(desk.send_fixed(settings_with(A), settings_with(fixed))) == ids
    moved = desk.store.get_many(ids)
    assert {lead.state for lead in moved} == {State.QUEUED}
    assert {lead.destination for lead in moved} == {fixed.url}
    assert {lead.id: lead.lead.lead_company_unique_id for lead in moved} == before
    assert desk.store.holds() == []


def test_a_fix_in_team_mode_leaves_the_leads_being_resent_elsewhere(desk: Desk) -> None:
    """The window claims the waiting leads on the floor first (fixed_waiting); those a
    supervisor is resending (`keep`) stay failed where they are, the others go."""
    ids = [desk.store.add(make_lead(i), A.url, destination_name="A") for i in range(3)]
    hold(desk.store, A.url, ids)
    fixed = A.replace(url="https://a.example/fixed/leadpostxml.php")
    old, new = settings_with(A), settings_with(fixed)
    assert sorted(fixed_waiting(desk.history, old, new)) == ids
    assert sorted(move_fixed(desk.history, old, new, keep={ids[0]})) == ids[1:]
    kept, *moved = desk.store.get_many(ids)
    assert (kept.state, kept.destination) == (State.FAILED, A.url)
    assert {(lead.state, lead.destination) for lead in moved} == {(State.QUEUED, fixed.url)}


def test_new_source_fields_of_a_held_destination_go_with_its_leads(desk: Desk) -> None:
    ids = [desk.store.add(make_lead(i), A.url, destination_name="A") for i in range(2)]
    hold(desk.store, A.url, ids)
    new_source = A.replace(source_id="SA2")
    assert sorted(desk.send_fixed(settings_with(A), settings_with(new_source))) == ids
    assert {lead.lead.source_id for lead in desk.store.get_many(ids)} == {"SA2"}


def test_new_source_fields_leave_a_destination_that_holds_nothing_alone(desk: Desk) -> None:
    lead_id = desk.store.add(make_lead(1), A.url, destination_name="A")
    new_source = A.replace(source_id="SA2")
    assert desk.send_fixed(settings_with(A), settings_with(new_source)) == []
    lead = desk.store.get(lead_id)
    assert lead is not None and lead.lead.source_id == "SRC1", "queued as the agent sent it"


def test_a_new_url_takes_the_queued_leads_of_a_destination_not_held(desk: Desk) -> None:
    lead_id = desk.store.add(make_lead(1), A.url, destination_name="A")
    fixed = A.replace(url="https://a.example/fixed/leadpostxml.php")
    assert desk.send_fixed(settings_with(A), settings_with(fixed)) == [lead_id]
    lead = desk.store.get(lead_id)
    assert lead is not None and lead.destination == fixed.url


# --- the desk is built from its context: one place for paths, settings and demo mode ------


def test_the_desk_reads_and_changes_its_contexts_settings(desk: Desk) -> None:
    assert desk.settings is desk.context.settings and desk.paths is desk.context.paths
    desk.apply(Loaded(Settings(destinations=(A,))))
    assert desk.context.settings.destinations == (A,), "applied once, seen by both"
    assert desk.loaded is desk.context.loaded
    desk.demo = True
    assert desk.context.demo and desk.loaded is None, "demo settings are not the agent's"


def test_a_desk_opened_from_a_context_uses_its_history_and_takes_demo_leads(
    tmp_path: Path,
) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "l", tmp_path / "k")
    with Store(paths.database(demo=True)) as earlier:
        left = earlier.add(make_lead(1), "http://127.0.0.1:1/demo/leadpostxml.php")
    context = Context.of(paths, Settings(), demo=True)
    now = Destination(name="Demo sandbox", url="http://127.0.0.1:2/demo/leadpostxml.php")
    desk = Desk.open(context, now, Draft(tmp_path / "draft.json"), ZipDirectory(paths.cache_dir))
    try:
        assert desk.store.path == paths.database(demo=True)
        desk.take_demo_leads()
        lead = desk.history.get(left)
        assert lead is not None and lead.destination == now.url
        assert desk.outboxes().database == desk.store.path
    finally:
        desk.close()
