"""The window in team mode, against a real PostgreSQL floor: the periodic push, the
floor's duplicate guard at Submit, the History's "Whole floor" scope and floor resends.
Two desks are two LeadDesk homes in one process, each with its window, worker and
floor login."""

from __future__ import annotations

import time
from collections.abc import Iterator

import psycopg
import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from leaddesk.app.floor_guard import OWN_HISTORY_ONLY
from leaddesk.app.floor_view import FLOOR_PAGE
from leaddesk.domain.states import State
from leaddesk.gui.floor_link import FLOOR_BACK
from leaddesk.gui.history.floor_model import FLOOR_COLUMNS, FloorColumn, cell_text
from leaddesk.sandbox import Sandbox
from leaddesk.team import floor_leads
from leaddesk.team.floor import Floor
from tests.support.floor import failed_lead, floor_rows, login_url, set_up_floor
from tests.support.gui_helpers import (
    GOOD_CALL,
    DialogAnswerer,
    Rig,
    press,
    type_call,
    type_text,
    wait_for_state,
)
from tests.support.postgres import PostgresServer, find_bin_dir, running_postgres
from tests.support.team_window import (
    TeamBench,
    desk_id_of,
    floor_scope,
    link_of,
    submit,
    wait_online,
)


@pytest.fixture
def dealer() -> Iterator[Sandbox]:
    with Sandbox() as running:
        yield running


def show_whole_floor(rig: Rig) -> None:
    chooser = link_of(rig).chooser
    assert chooser is not None
    chooser.setCurrentIndex(1)


def shown_rows(rig: Rig) -> list[dict[FloorColumn, str]]:
    model = floor_scope(rig).model
    return [{column: cell_text(lead, column) for column in FLOOR_COLUMNS} for lead in model.leads]


def test_a_lead_submitted_at_desk_a_shows_in_desk_bs_whole_floor(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, dealer: Sandbox
) -> None:
    set_up_floor(floor_url)
    ann = team_bench.open("ann", login_url(floor_url, "ann"), dealer.url())
    sue = team_bench.open("sue", login_url(floor_url, "sue"), dealer.url())
    show_whole_floor(sue)
    assert floor_scope(sue).isVisible()
    assert not sue.window.history.table.isVisible()  # the desk's own rows make way
    type_call(qtbot, ann.form)
    submit(qtbot, ann)
    qtbot.waitUntil(lambda: len(shown_rows(sue)) == 1, timeout=15000)  # after a sync
    [row] = shown_rows(sue)
    assert row[FloorColumn.AGENT] == "ann"
    assert row[FloorColumn.DESK] == desk_id_of(ann)
    assert row[FloorColumn.NAME] == "Ann Smith"

    scope = floor_scope(sue)
    type_text(qtbot, scope.agent, "bob")
    press(qtbot, scope.agent, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: scope.status.text() == "0 floor leads shown.", timeout=10000)
    scope.agent.clear()
    type_text(qtbot, scope.agent, "ann")
    press(qtbot, scope.agent, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(shown_rows(sue)) == 1, timeout=10000)
    type_text(qtbot, scope.search, "Nobody")
    press(qtbot, scope.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: scope.status.text() == "0 floor leads shown.", timeout=10000)
    scope.search.clear()
    type_text(qtbot, scope.search, "smi")
    press(qtbot, scope.search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(shown_rows(sue)) == 1, timeout=10000)
    assert scope.select_floor_lead(scope.model.leads[0].floor_id)
    details = scope.details.toPlainText()
    assert f"agent ann at desk {desk_id_of(ann)}" in details
    assert "Smith" in details


def test_a_household_sold_at_desk_a_is_asked_about_at_desk_b(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, dealer: Sandbox
) -> None:
    set_up_floor(floor_url)
    ann = team_bench.open("ann", login_url(floor_url, "ann"), dealer.url())
    bob = team_bench.open("bob", login_url(floor_url, "bob"), dealer.url())
    type_call(qtbot, ann.form)
    submit(qtbot, ann)
    qtbot.waitUntil(lambda: len(floor_rows(floor_url)) == 1, timeout=15000)
    wait_online(qtbot, bob)
    type_call(qtbot, bob.form)
    with DialogAnswerer("Don't send") as answers:
        submit(qtbot, bob)
    asked = answers.only
    assert asked.title == "Likely duplicate on the floor"
    assert f"agent ann at desk {desk_id_of(ann)}" in asked.text
    assert "Smith" not in asked.text  # another agent's customer is not shown
    assert bob.stored_count() == 0
    assert bob.form.values()["lname"] == GOOD_CALL["lname"], "the lead stays in the form"
    assert len(dealer.accepted) <= 1


def test_with_the_floor_down_submit_is_instant_and_the_outage_said_once(
    qtbot: QtBot, team_bench: TeamBench, dealer: Sandbox
) -> None:
    bin_dir = find_bin_dir()
    if bin_dir is None:
        pytest.skip("no PostgreSQL binaries")
    with running_postgres(bin_dir) as server:
        url = server.create_database()
        set_up_floor(url)
        bob = team_bench.open("bob", login_url(url, "bob"), dealer.url())
        wait_online(qtbot, bob)
        server.stop("immediate")
        # At once, while the desk still thinks the floor is there, then once it knows.
        for number, phone in enumerate(("8013127735", "8013127736"), start=1):
            if number == 2:
                qtbot.waitUntil(lambda: said_offline(bob), timeout=15000)
            type_call(qtbot, bob.form, {**GOOD_CALL, "phone1": phone})
            with DialogAnswerer(None) as answers:
                took = submit(qtbot, bob)
            assert not answers.seen
            assert took < 1.0, f"Submit waited {took:.2f} s on a floor that is down"
            wait_for_state(qtbot, bob.store, number, State.ACCEPTED)
        assert len(dealer.accepted) == 2
        said = " | ".join(bob.notices())
        assert said.count("Floor offline") == 1
        assert said.lower().count(OWN_HISTORY_ONLY.lower()) == 1
        _floor_back(qtbot, server, bob)


def said_offline(rig: Rig) -> bool:
    return any("Floor offline" in text for text in rig.notices())


def _floor_back(qtbot: QtBot, server: PostgresServer, bob: Rig) -> None:
    server.start()
    qtbot.waitUntil(lambda: FLOOR_BACK in bob.notices(), timeout=30000)
    assert not any("Floor offline" in text for text in bob.notices())


def test_a_floor_resend_from_the_window_reaches_the_dealer_once(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str
) -> None:
    set_up_floor(floor_url)
    gone = Sandbox().start()  # the dealer's address, with nothing listening there yet
    port, url = gone.port, gone.url()
    gone.stop()
    ann = team_bench.open("ann", login_url(floor_url, "ann"), url)
    sue = team_bench.open("sue", login_url(floor_url, "sue"), url)
    type_call(qtbot, ann.form)
    submit(qtbot, ann)
    wait_for_state(qtbot, ann.store, 1, State.FAILED)  # not sent: nothing listened
    qtbot.waitUntil(lambda: [s for _, s in floor_rows(floor_url)] == ["failed"], timeout=15000)
    with Sandbox(port=port) as dealer:  # the dealer is back
        show_whole_floor(sue)
        scope = floor_scope(sue)
        qtbot.waitUntil(lambda: len(shown_rows(sue)) == 1, timeout=15000)
        assert scope.select_floor_lead(scope.model.leads[0].floor_id)
        assert scope.resend_action.isEnabled()
        scope.table.setFocus()
        with qtbot.waitSignal(scope.resend_finished, timeout=20000):
            press(qtbot, scope.table, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
        assert len(dealer.accepted) == 1
        assert shown_rows(sue)[0][FloorColumn.STATE] == cell_text(
            scope.model.leads[0], FloorColumn.STATE
        )
        assert scope.model.leads[0].stored.state is State.ACCEPTED
        wait_for_state(qtbot, ann.store, 1, State.ACCEPTED)  # taken in at ann's next sync
        assert sue.store.history() == []  # resent for the floor, not queued at sue's desk
        assert len(dealer.accepted) == 1


def test_the_whole_floor_is_read_a_page_at_a_time_and_an_agent_sees_only_theirs(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, dealer: Sandbox
) -> None:
    set_up_floor(floor_url)
    now = time.time()
    leads = [failed_lead(number, now + number, dealer.url()) for number in range(1, 251)]
    with Floor(login_url(floor_url, "ann"), "desk-ann", "ann") as ann, ann.connection() as db:
        floor_leads.push(db, "desk-ann", "ann", leads)
    sue = team_bench.open("sue", login_url(floor_url, "sue"), dealer.url())
    show_whole_floor(sue)
    scope = floor_scope(sue)
    qtbot.waitUntil(lambda: "more as you scroll" in scope.status.text(), timeout=15000)
    assert scope.model.rowCount() == FLOOR_PAGE
    assert shown_rows(sue)[0][FloorColumn.NAME] == "Ann Lee250"  # newest first
    scope.table.scrollToBottom()
    qtbot.waitUntil(lambda: scope.model.rowCount() == FLOOR_PAGE + 50, timeout=15000)
    assert "more" not in scope.status.text()

    bob = team_bench.open("bob", login_url(floor_url, "bob"), dealer.url())
    show_whole_floor(bob)
    qtbot.waitUntil(lambda: floor_scope(bob).status.text() == "0 floor leads shown.", timeout=15000)


def test_a_floor_push_that_fails_unforeseen_is_a_notice_and_the_pushes_go_on(
    qtbot: QtBot, team_bench: TeamBench, floor_url: str, dealer: Sandbox
) -> None:
    """A floor row no LeadDesk wrote (a hand edit) made the window's push thread raise
    and die: no word, and the floor missed this desk's later leads."""
    set_up_floor(floor_url)
    ann = team_bench.open("ann", login_url(floor_url, "ann"), dealer.url())
    wait_online(qtbot, ann)
    type_call(qtbot, ann.form)
    submit(qtbot, ann)
    qtbot.waitUntil(lambda: len(floor_rows(floor_url)) == 1, timeout=15000)
    with psycopg.connect(floor_url, autocommit=True) as admin:
        admin.execute(
            "UPDATE floor_leads SET errors = '5', result_taken = false, resent_by = 'sue',"
            " resent_at = now()"
        )
    qtbot.waitUntil(
        lambda: any("push to the floor failed (TypeError)" in text for text in ann.notices()),
        timeout=15000,
    )
    with psycopg.connect(floor_url, autocommit=True) as admin:
        admin.execute("UPDATE floor_leads SET errors = '[]'")  # the row mended
    qtbot.waitUntil(lambda: FLOOR_BACK in ann.notices(), timeout=15000)
