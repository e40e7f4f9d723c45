"""A queue that is not moving, as the agent sees it and steers it: a wrong address said
within seconds of Submit and fixed in Settings, a connection failure with the time of the
next try, Send to… and Retry now. Real windows built from config files, real sandboxes on
loopback, a real history file; what the agent reads, and what each sandbox stored."""

from __future__ import annotations

import logging
import re
import textwrap
import time
from dataclasses import dataclass, field

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from leaddesk.config.settings import Sending
from leaddesk.domain.states import State
from leaddesk.gui.history.pane import HistoryPane
from leaddesk.gui.queue_control import SendToDialog
from leaddesk.history.history_query import COLUMNS, Column
from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox
from tests.support.gui_helpers import (
    GOOD_CALL,
    Bench,
    DialogAnswerer,
    Rig,
    click,
    type_call,
    wait_for_state,
)
from tests.support.settings_window import (
    OTHER_CALL,
    Floor,
    SettingsDriver,
    choose,
    line,
    retype,
    select,
)

QUICK_SENDING = """
    [sending]
    retry_limit = 6
    backoff_seconds = 0.05
    backoff_max_seconds = 0.1
    connect_timeout = 2
    read_timeout = 5
    deadline = 10
"""
# A try every minute: a test sees the lead wait for its next try, and sees it go only
# when the agent asks.
PATIENT = Sending(retry_limit=6, backoff_seconds=60, backoff_max_seconds=60,
                  connect_timeout=2, read_timeout=5, deadline=10)  # fmt: skip


def configure(
    floor: Floor, *destinations: tuple[str, str, str], sending: str = QUICK_SENDING
) -> None:
    """The agent's config file: these (name, url, source_id), the first the default."""
    tables = "".join(
        f'\n[[destinations]]\nname = "{name}"\nurl = "{url}"\nsource_id = "{source}"\n'
        for name, url, source in destinations
    )
    floor.write_user(
        f'schema_version = 2\ndefault_destination = "{destinations[0][0]}"\n'
        + tables
        + textwrap.dedent(sending)
    )


def submit(qtbot: QtBot, rig: Rig, call: dict[str, str]) -> None:
    type_call(qtbot, rig.form, call)
    click(qtbot, rig.window.submit_button)
    assert "queued" in rig.last_result(), rig.last_result()


def pane_of(rig: Rig) -> HistoryPane:
    return rig.window.history


def state_cell(rig: Rig, lead_id: int) -> str:
    """The history row's State cell, as the agent reads it."""
    model = pane_of(rig).model
    row = model.row_of(lead_id)
    assert row is not None, f"lead {lead_id} is not in the view"
    return str(model.index(row, COLUMNS.index(Column.STATE)).data())


def unique_id(store: Store, lead_id: int) -> str:
    lead = store.get(lead_id)
    assert lead is not None
    return lead.lead.lead_company_unique_id


def posts_to(caplog: pytest.LogCaptureFixture, path: str) -> int:
    """How many posts to this path the sandbox answered, as its request log says."""
    return sum(
        1
        for record in caplog.records
        if record.name == "leaddesk.sandbox" and record.getMessage().startswith(f"POST {path} ")
    )


@dataclass
class SendToDriver:
    """Picks a destination in the Send to… dialog the code under test opens, and sends."""

    name: str
    timeout: float = 10.0
    seen: list[str] = field(default_factory=list)
    _deadline: float = 0.0

    def __enter__(self) -> SendToDriver:
        self._deadline = time.monotonic() + self.timeout
        QTimer.singleShot(0, self._look)
        return self

    def __exit__(self, *exc: object) -> None:
        self._deadline = 0.0

    def _look(self) -> None:
        modal = QApplication.activeModalWidget()
        if isinstance(modal, SendToDialog) and modal.isVisible():
            self.seen.append(modal.windowTitle())
            if modal.picker.select(self.name) and modal.send_button.isEnabled():
                modal.send_button.click()
            else:
                modal.reject()
            return
        if time.monotonic() < self._deadline:
            QTimer.singleShot(10, self._look)


# --- a wrong address ------------------------------------------------------------------------


def test_a_wrong_url_is_said_at_once_holds_the_queue_and_the_fix_sends_the_held_leads(
    qtbot: QtBot, floor: Floor, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="leaddesk.sandbox")
    acme, backup = floor.bench.sandbox(), floor.bench.sandbox()
    right = acme.url("acme")
    wrong = right.replace("leadpostxml.php", "leadpostxm.php")  # a typo: 404
    configure(floor, ("Acme Alarms", wrong, "ACME1"), ("Backup", backup.url("backup"), "BK1"))
    rig = floor.open()

    submitted = time.monotonic()
    submit(qtbot, rig, dict(GOOD_CALL))
    qtbot.waitUntil(lambda: "Acme Alarms refused a lead" in rig.last_result(), timeout=5000)
    assert time.monotonic() - submitted < 5.0
    assert rig.last_result() == (
        "Acme Alarms refused a lead: 1 lead waits until the destination is fixed"
        " (see the notice above)."
    )
    [notice] = rig.notices()  # one notice for the hold, not one more for the lead
    assert notice.startswith("Acme Alarms refused the lead: The dealer's address answered 404")
    assert "until the destination is fixed" in notice
    wait_for_state(qtbot, rig.store, 1, State.FAILED)
    assert posts_to(caplog, "/acme/leadpostxm.php") == 1

    # The next lead for Acme waits. A lead for Backup, queued after it, goes out: the send
    # loop passed Acme's lead over, and the sandbox got nothing more at the wrong address.
    submit(qtbot, rig, OTHER_CALL)
    assert state_cell(rig, 2) == "Waiting for fix"
    choose(rig, "Backup")
    submit(qtbot, rig, {**GOOD_CALL, "fname": "Cat", "lname": "Lee", "phone1": "2083453211"})
    wait_for_state(qtbot, rig.store, 3, State.ACCEPTED)
    assert posts_to(caplog, "/acme/leadpostxm.php") == 1
    waiting = rig.store.get(2)
    assert waiting is not None and waiting.state is State.QUEUED and waiting.attempts == 0
    assert acme.accepted == []

    # The agent corrects the address in Settings: both Acme leads go, once each.
    before = {lead_id: unique_id(rig.store, lead_id) for lead_id in (1, 2)}

    def fix_the_url(dialog: object) -> None:
        from leaddesk.gui.settings_dialog import SettingsDialog

        assert isinstance(dialog, SettingsDialog)
        select(dialog, "Acme Alarms")
        retype(qtbot, line(dialog, "destination_url"), right)
        dialog.save()
        assert dialog.saved is not None, dialog.problem.text()

    with SettingsDriver(fix_the_url) as driver:
        rig.window.open_settings()
    assert driver.seen
    assert rig.last_result() == "Settings saved. 2 leads waiting for the fix go out now."
    for lead_id in (1, 2):
        wait_for_state(qtbot, rig.store, lead_id, State.ACCEPTED)
    assert acme.accepted_count() == {before[1]: 1, before[2]: 1}
    assert {lead["source_id"] for lead in acme.accepted} == {"ACME1"}
    assert rig.notices() == [], "the fix ends the hold's notice"
    qtbot.waitUntil(lambda: state_cell(rig, 2) == "Accepted")  # the worker's report


# --- a connection failure -------------------------------------------------------------------


def test_a_connection_failure_says_when_the_next_try_is_and_retry_now_sends_it(
    qtbot: QtBot, bench: Bench
) -> None:
    dead = bench.dead_url()
    rig = bench.open(dead, sending=PATIENT)
    submit(qtbot, rig, dict(GOOD_CALL))

    qtbot.waitUntil(lambda: "Retry 2 of 6 at" in rig.last_result(), timeout=5000)
    assert re.fullmatch(
        r"Lead 1 not sent to Default: could not connect.* Retry 2 of 6 at \d\d:\d\d:\d\d\.",
        rig.last_result(),
    ), rig.last_result()
    assert re.fullmatch(r"Retry 2 of 6 at \d\d:\d\d", state_cell(rig, 1))
    pane = pane_of(rig)
    assert pane.select_lead(1)
    qtbot.waitUntil(lambda: "Retry 2 of 6 at" in pane.details.toPlainText())
    assert "Could not connect" in pane.details.toPlainText()
    # Not sent yet, and not counted as sent: the totals say it is queued.
    qtbot.waitUntil(lambda: "1 lead · 1 queued · 0 accepted" in pane.summary.text())
    assert "sent" not in pane.summary.text()

    # The dealer's server is back. Retry now sends it at once, not in a minute.
    port = int(dead.split(":")[2].split("/")[0])
    back = Sandbox(port=port).start()
    bench._sandboxes.append(back)  # stopped with the others
    control = rig.window.queue_watch.control
    assert control.retry_action.isEnabled()
    unique = unique_id(rig.store, 1)
    control.retry_action.trigger()
    wait_for_state(qtbot, rig.store, 1, State.ACCEPTED)
    assert back.accepted_count() == {unique: 1}
    qtbot.waitUntil(lambda: not control.retry_action.isEnabled())  # nothing queued selected
    assert control.retry_action.toolTip() == "Select queued leads to try them now"


# --- Send to… ---------------------------------------------------------------------------------


def test_send_to_moves_a_failed_lead_to_another_destination_keeping_its_lead_id(
    qtbot: QtBot, floor: Floor
) -> None:
    good = floor.bench.sandbox()
    configure(
        floor, ("Old Dealer", floor.bench.dead_url(), "OLD1"), ("New Dealer", good.url(), "NEW1")
    )
    rig = floor.open()
    submit(qtbot, rig, dict(GOOD_CALL))
    wait_for_state(qtbot, rig.store, 1, State.FAILED)  # six quick tries, nothing listening
    unique = unique_id(rig.store, 1)
    control = rig.window.queue_watch.control
    assert not control.send_to_action.isEnabled()  # nothing selected yet
    assert "Select queued, failed or rejected leads" in control.send_to_action.toolTip()

    assert pane_of(rig).select_lead(1)
    qtbot.waitUntil(control.send_to_action.isEnabled)
    with SendToDriver("New Dealer") as driver:
        control.send_to_action.trigger()
    assert driver.seen == ["Send to another destination"]
    assert rig.last_result() == "1 lead queued for New Dealer; each keeps its lead ID."
    wait_for_state(qtbot, rig.store, 1, State.ACCEPTED)
    assert good.accepted_count() == {unique: 1}
    assert good.accepted[0]["source_id"] == "NEW1"
    moved = rig.store.get(1)
    assert moved is not None and moved.destination_name == "New Dealer"
    qtbot.waitUntil(lambda: state_cell(rig, 1) == "Accepted")


def unconfirmed_at_old_dealer(qtbot: QtBot, floor: Floor) -> tuple[Rig, Sandbox]:
    """A lead that Old Dealer answered with a server error (it may have arrived), selected
    in the history; New Dealer's sandbox is returned."""
    old = floor.bench.sandbox(Faults(error_rate=1.0))
    new = floor.bench.sandbox()
    configure(floor, ("Old Dealer", old.url(), "OLD1"), ("New Dealer", new.url(), "NEW1"))
    rig = floor.open()
    submit(qtbot, rig, dict(GOOD_CALL))
    wait_for_state(qtbot, rig.store, 1, State.UNCONFIRMED)
    assert pane_of(rig).select_lead(1)
    qtbot.waitUntil(rig.window.queue_watch.control.send_to_action.isEnabled)
    return rig, new


def test_send_to_asks_before_moving_an_unconfirmed_lead_and_skip_moves_nothing(
    qtbot: QtBot, floor: Floor
) -> None:
    """The question loads where it is asked (not with the window): it is still asked."""
    rig, new = unconfirmed_at_old_dealer(qtbot, floor)
    with DialogAnswerer("Skip them") as dialog, SendToDriver("New Dealer") as driver:
        rig.window.queue_watch.control.send_to_action.trigger()
    assert dialog.only.title == "Resend unconfirmed leads?"
    assert driver.seen == []  # nothing left to send: no destination asked for
    stays = rig.store.get(1)
    assert stays is not None and stays.state is State.UNCONFIRMED
    assert stays.destination_name == "Old Dealer"
    assert new.accepted == []


def test_send_to_moves_an_unconfirmed_lead_when_the_agent_says_so(
    qtbot: QtBot, floor: Floor
) -> None:
    rig, new = unconfirmed_at_old_dealer(qtbot, floor)
    unique = unique_id(rig.store, 1)
    with DialogAnswerer("Resend anyway") as dialog, SendToDriver("New Dealer") as driver:
        rig.window.queue_watch.control.send_to_action.trigger()
    assert dialog.only.title == "Resend unconfirmed leads?"
    assert driver.seen == ["Send to another destination"]
    wait_for_state(qtbot, rig.store, 1, State.ACCEPTED)
    assert new.accepted_count() == {unique: 1}


def test_a_hold_from_an_earlier_run_is_said_when_the_window_opens(
    qtbot: QtBot, floor: Floor
) -> None:
    """LeadDesk closed while a destination held its queue: the next start says so, with
    the same fixes at hand, rather than leave leads waiting in silence."""
    acme = floor.bench.sandbox()
    wrong = acme.url("acme").replace("leadpostxml.php", "leadpostxm.php")
    configure(floor, ("Acme Alarms", wrong, "ACME1"))
    first = floor.open()
    submit(qtbot, first, dict(GOOD_CALL))
    qtbot.waitUntil(lambda: len(first.notices()) == 1, timeout=5000)
    submit(qtbot, first, OTHER_CALL)
    with DialogAnswerer(None) as asked:  # held leads are no reason to wait at closing
        first.window.close()
    assert asked.seen == []

    again = floor.open()
    qtbot.waitUntil(lambda: len(again.notices()) == 1, timeout=5000)
    [notice] = again.notices()
    assert notice.startswith("Acme Alarms refused the lead: The dealer's address answered 404")
    assert "2 leads wait until the destination is fixed" in notice
