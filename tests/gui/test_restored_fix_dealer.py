"""A fix in progress when LeadDesk stopped (closed, or killed: the autosaved draft is the
same) comes back as a fix of the same lead, for the dealer that refused it: that dealer in
the picker, and the lead's own source values in the form, not those of the dealer the
window shows by default. Windows over real config files, one sandbox per dealer."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from leaddesk.domain.states import State
from leaddesk.sandbox import Faults, Sandbox
from tests.support.gui_helpers import Bench, Rig, type_call, type_into, wait_for_state
from tests.support.settings_window import Floor, choose


@pytest.fixture
def south(floor: Floor) -> Sandbox:
    """Two dealers; North, the default, sets a promo code that South's leads never carry.
    South's sandbox (returned) rejects every lead until told otherwise."""
    north, south = floor.bench.sandbox(), floor.bench.sandbox(Faults(reject_rate=1.0))
    floor.write_user(
        f"""
        schema_version = 2
        default_destination = "North"
        [[destinations]]
        name = "North"
        url = "{north.url("north")}"
        source_id = "NORTH1"
        lead_promo_code = "SPRING"
        [[destinations]]
        name = "South"
        url = "{south.url("south")}"
        source_id = "SOUTH2"
        [sending]
        retry_limit = 2
        backoff_seconds = 0.05
        backoff_max_seconds = 0.1
        """
    )
    return south


def rejected_by_south(qtbot: QtBot, rig: Rig) -> int:
    choose(rig, "South")
    type_call(qtbot, rig.form)
    rig.window.submit()
    (lead,) = rig.store.history()
    wait_for_state(qtbot, rig.store, lead.id, "rejected")
    return lead.id


def test_a_restored_fix_is_for_the_dealer_that_refused_it_with_the_leads_own_values(
    qtbot: QtBot, bench: Bench, floor: Floor, south: Sandbox
) -> None:
    rig = floor.open()
    lead_id = rejected_by_south(qtbot, rig)
    choose(rig, "North")  # the agent moved on: North is remembered for the next start
    rig.window.edit_lead(lead_id)
    type_into(qtbot, rig.form, "lname", "e")  # the fix: Smithe
    floor.close(rig)
    again = floor.open()
    assert "Editing lead" in again.window.edit_banner.text()
    current = again.window.picker.current()
    assert current is not None and current.name == "South"
    values = again.form.values()
    assert (values["lname"], values["source_id"], values["lead_promo_code"]) == (
        "Smithe",
        "SOUTH2",
        "",
    )
    south.faults = Faults()
    again.window.submit()
    wait_for_state(qtbot, again.store, lead_id, "accepted")
    (sent,) = south.accepted
    assert (sent["lname"], sent["source_id"], sent.get("lead_promo_code", "")) == (
        "Smithe",
        "SOUTH2",
        "",
    )
    assert [lead.state for lead in again.store.history()] == [State.ACCEPTED]  # the same lead


def test_a_fix_restored_after_another_window_chose_another_dealer_stays_the_refusing_dealers(
    qtbot: QtBot, bench: Bench, floor: Floor, south: Sandbox
) -> None:
    """The dealer the window starts with is the one chosen last in any window of the home
    (window.ini): a second window that moved on to North, and the fix of a South lead came
    back showing North, with North's promo code put in the lead's empty field."""
    rig = floor.open()
    lead_id = rejected_by_south(qtbot, rig)
    rig.window.edit_lead(lead_id)
    type_into(qtbot, rig.form, "lname", "e")
    other = floor.open()  # a second window of the home, beside the fix
    choose(other, "North")
    floor.close(other)
    floor.close(rig)
    again = floor.open()
    assert "Editing lead" in again.window.edit_banner.text()
    current = again.window.picker.current()
    assert current is not None and current.name == "South"
    assert again.form.values()["lead_promo_code"] == ""
    south.faults = Faults()
    again.window.submit()
    wait_for_state(qtbot, again.store, lead_id, "accepted")
    (sent,) = south.accepted
    assert (sent["lname"], sent.get("lead_promo_code", "")) == ("Smithe", "")
