"""Destinations and settings in the window: the destination picker over real config files
(two of the agent's own destinations and a locked one from the site file), the settings
dialog, the first-start welcome and a broken config file at start.

Windows are built as leaddesk.gui.app.run_gui builds them: settings loaded from the files
under the per-test LEADDESK_HOME and LEADDESK_SITE_CONFIG, a real Store, a started
SendWorker, and one sandbox per dealer.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QTabWidget,
)
from pytestqt.qtbot import QtBot

from leaddesk.app.context import Context
from leaddesk.app.desk import Desk
from leaddesk.app.history_access import HistoryAccess
from leaddesk.config import config_files
from leaddesk.config.draft import Draft
from leaddesk.config.paths import Paths
from leaddesk.config.settings import Destination, Settings
from leaddesk.domain.lead import Lead
from leaddesk.domain.states import State
from leaddesk.gui import app
from leaddesk.gui.main_window import open_window
from leaddesk.gui.settings_dialog import SettingsDialog
from leaddesk.gui.worker import SendWorker
from leaddesk.history.store import Store
from leaddesk.sandbox import Faults, Sandbox
from tests.support.gui_helpers import (
    GOOD_CALL,
    QUICK,
    Bench,
    DialogAnswerer,
    Rig,
    click,
    quit_now,
    type_call,
    type_text,
    wait_for_state,
)
from tests.support.settings_window import (
    OTHER_CALL,
    Floor,
    SettingsDriver,
    choose,
    line,
    list_texts,
    retype,
    select,
)

ACME_URL = "https://acme.example/leadpostxml.php"
QUICK_SENDING = """
    [sending]
    retry_limit = 6
    backoff_seconds = 0.05
    backoff_max_seconds = 0.1
    connect_timeout = 2
    read_timeout = 5
    deadline = 10
"""


@dataclass
class Dealers:
    north: Sandbox
    south: Sandbox


LOCKED_SITE = f"""
    schema_version = 2
    [[destinations]]
    name = "Acme"
    url = "{ACME_URL}"
    source_id = "ACME"
    locked = true
"""


@pytest.fixture
def dealers(floor: Floor) -> Dealers:
    """Two destinations of the agent's own (one sandbox each) and a locked site one."""
    north, south = floor.bench.sandbox(), floor.bench.sandbox()
    floor.write_site(LOCKED_SITE)
    floor.write_user(
        f"""
        schema_version = 2
        default_destination = "North"
        [[destinations]]
        name = "North"
        url = "{north.url("north")}"
        source_id = "NORTH1"
        campaign_id = "11"
        lead_promo_code = "SPRING"
        [[destinations]]
        name = "South"
        url = "{south.url("south")}"
        source_id = "SOUTH2"
        campaign_id = "22"
        lead_type_id = "2"
        lead_purchase_price = "27.50"
        lead_source_info = "Cold Call"
        """
        + textwrap.dedent(QUICK_SENDING)
    )
    return Dealers(north, south)


# --- small readers and actions ---------------------------------------------------------------


def combo_texts(rig: Rig) -> list[str]:
    combo = rig.window.findChild(QComboBox, "destination")
    assert isinstance(combo, QComboBox)
    return [combo.itemText(i) for i in range(combo.count())]


def source_fields(rig: Rig) -> dict[str, str]:
    values = rig.form.values()
    names = ("source_id", "campaign_id", "lead_type_id", "lead_purchase_price",
             "lead_source_info", "lead_promo_code", "lead_callcenter_rep")  # fmt: skip
    return {name: values[name] for name in names}


def submit_call(qtbot: QtBot, rig: Rig, call: dict[str, str] | None = None) -> None:
    type_call(qtbot, rig.form, call or dict(GOOD_CALL))
    click(qtbot, rig.window.submit_button)
    assert "queued" in rig.last_result(), rig.last_result()


def error_at(dialog: SettingsDialog, key: str) -> str:
    """The message shown at a field of the dialog ("" when none is shown)."""
    label = dialog.findChild(QLabel, f"{key}_error")
    assert isinstance(label, QLabel), key
    return label.text() if label.isVisibleTo(dialog) else ""


def button(dialog: SettingsDialog, name: str) -> QPushButton:
    found = dialog.findChild(QPushButton, name)
    assert isinstance(found, QPushButton), name
    return found


def add_destination(
    qtbot: QtBot, dialog: SettingsDialog, name: str, url: str, source_id: str
) -> None:
    click(qtbot, button(dialog, "add_destination"))
    retype(qtbot, line(dialog, "destination_name"), name)
    retype(qtbot, line(dialog, "destination_url"), url)
    retype(qtbot, line(dialog, "destination_source_id"), source_id)


def user_file_destinations(paths: Paths) -> dict[str, dict[str, object]]:
    data = config_files.read_file(paths.config_file)
    assert data is not None
    return {str(entry["name"]): entry for entry in data["destinations"]}


# --- the destination picker on the window -----------------------------------------------------


def test_the_picker_lists_the_configured_destinations(floor: Floor, dealers: Dealers) -> None:
    rig = floor.open()
    texts = combo_texts(rig)
    assert len(texts) == 3
    assert texts[0].startswith("Acme") and texts[0] != "Acme"  # marked as locked
    assert texts[1:] == ["North", "South"]
    current = rig.window.picker.current()
    assert current is not None and current.name == "North"
    assert source_fields(rig)["source_id"] == "NORTH1"
    assert rig.label("destination_note") == "source ID NORTH1"
    assert not rig.window.no_destination.isVisible()


def test_switching_fills_the_source_fields_and_the_lead_reaches_that_dealer(
    qtbot: QtBot, floor: Floor, dealers: Dealers
) -> None:
    rig = floor.open()
    type_call(qtbot, rig.form)  # the call typed before switching stays
    choose(rig, "South")
    assert source_fields(rig) == {
        "source_id": "SOUTH2",
        "campaign_id": "22",
        "lead_type_id": "2",
        "lead_purchase_price": "27.50",
        "lead_source_info": "Cold Call",
        "lead_promo_code": "",  # North's promo code does not follow
        "lead_callcenter_rep": "",
    }
    assert rig.form.values()["fname"] == GOOD_CALL["fname"]
    assert rig.label("destination_note") == "source ID SOUTH2"
    click(qtbot, rig.window.submit_button)
    qtbot.waitUntil(lambda: len(dealers.south.accepted) == 1, timeout=8000)
    (lead,) = dealers.south.accepted
    assert (lead["source_id"], lead["campaign_id"], lead["fname"]) == ("SOUTH2", "22", "Ann")
    (stored,) = rig.store.history()
    assert stored.destination == dealers.south.url("south")
    assert stored.destination_name == "South"

    choose(rig, "North")
    assert source_fields(rig)["source_id"] == "NORTH1"
    assert source_fields(rig)["lead_promo_code"] == "SPRING"
    submit_call(qtbot, rig, OTHER_CALL)
    qtbot.waitUntil(lambda: len(dealers.north.accepted) == 1, timeout=8000)
    assert dealers.north.accepted[0]["source_id"] == "NORTH1"
    assert len(dealers.south.accepted) == 1


def test_the_chosen_destination_is_remembered_for_the_next_window(
    floor: Floor, dealers: Dealers
) -> None:
    first = floor.open()
    choose(first, "South")
    floor.close(first)
    second = floor.open()
    current = second.window.picker.current()
    assert current is not None and current.name == "South"
    assert source_fields(second)["source_id"] == "SOUTH2"
    assert second.desk.destination.name == "South"


def test_a_locked_site_destination_can_be_chosen_on_the_form(
    floor: Floor, dealers: Dealers
) -> None:
    rig = floor.open()
    choose(rig, "Acme")
    assert source_fields(rig)["source_id"] == "ACME"
    assert rig.desk.destination.url == ACME_URL


# --- the settings dialog, built directly -----------------------------------------------------


@pytest.fixture
def dialog(qtbot: QtBot, floor: Floor, dealers: Dealers) -> Iterator[SettingsDialog]:
    loaded = config_files.load(floor.paths)
    with Store(floor.paths.database()) as store:
        opened = SettingsDialog(floor.paths, loaded, HistoryAccess(store))
        qtbot.addWidget(opened)
        opened.show()
        qtbot.waitExposed(opened)
        yield opened


def test_the_dialog_lists_every_destination_with_marks(dialog: SettingsDialog) -> None:
    texts = list_texts(dialog)
    assert [text.split(" (")[0] for text in texts] == ["Acme", "North", "South"]
    assert texts[0] != "Acme"  # marked as locked
    assert texts[1] == "North (first)"


def test_an_invalid_url_is_shown_at_the_url_field_and_nothing_is_written(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    before = floor.paths.config_file.read_bytes()
    add_destination(qtbot, dialog, "West", "http://west.example/leadpostxml.php", "WEST")
    dialog.save()
    assert "plain http" in error_at(dialog, "destinations_url")
    assert dialog.list.currentItem().text().startswith("West"), "the message's destination is shown"
    assert dialog.problem.text() == "Fix the fields marked, then save."
    assert dialog.saved is None
    assert dialog.isVisible()  # still open for the fix
    assert floor.paths.config_file.read_bytes() == before


def test_the_message_is_shown_even_when_another_destination_was_selected(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    """BUG: Save selects the destination with the problem, and selecting another row hides
    the destination messages (_show_destination), so the agent reads "Fix the fields
    marked" with no field marked when the bad destination was not the one shown."""
    add_destination(qtbot, dialog, "West", "http://west.example/leadpostxml.php", "WEST")
    select(dialog, "North")
    dialog.save()
    assert dialog.list.currentRow() == 3  # West, the one with the problem
    assert "plain http" in error_at(dialog, "destinations_url")


def test_a_valid_destination_is_saved_and_loads_back(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    add_destination(qtbot, dialog, "West", "https://west.example/leadpostxml.php", "WEST")
    retype(qtbot, line(dialog, "destination_campaign_id"), "33")
    dialog.save()
    assert dialog.saved is not None, dialog.problem.text()
    assert not dialog.isVisible()
    west = config_files.load(floor.paths).settings.destination("West")
    assert west == Destination(
        name="West", url="https://west.example/leadpostxml.php", source_id="WEST", campaign_id="33"
    )
    assert dialog.saved.settings == config_files.load(floor.paths).settings
    assert "West" in user_file_destinations(floor.paths)


def test_saving_keeps_the_team_settings_the_dialog_does_not_show(
    qtbot: QtBot, floor: Floor
) -> None:
    """The dialog has no team fields; saving it must not write the defaults over them: a
    blank database in the user's file would take the desk off the floor."""
    floor.write_site(
        """
        schema_version = 2
        [team]
        database = "postgresql://floor@db.example/leads"
        sync_seconds = 7
        """
    )
    floor.write_user('schema_version = 2\nagent_name = "Pat"\n[team]\nclaim_lease_seconds = 60\n')
    loaded = config_files.load(floor.paths)
    with Store(floor.paths.database()) as store:
        dialog = SettingsDialog(floor.paths, loaded, HistoryAccess(store))
        qtbot.addWidget(dialog)
        retype(qtbot, dialog.agent, "Pat Lee")
        dialog.save()
    assert dialog.saved is not None, dialog.problem.text()
    team = config_files.load(floor.paths).settings.team
    assert (team.database, team.sync_seconds, team.claim_lease_seconds) == (
        "postgresql://floor@db.example/leads",
        7.0,
        60.0,
    )
    user = config_files.read_file(floor.paths.config_file)
    assert user is not None
    assert user["team"] == {"claim_lease_seconds": 60.0}  # the site's values stay the site's
    assert user["agent_name"] == "Pat Lee"


def test_a_bad_source_field_is_shown_at_its_field(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    before = floor.paths.config_file.read_bytes()
    select(dialog, "South")
    retype(qtbot, line(dialog, "destination_lead_purchase_price"), "lots")
    dialog.save()
    assert error_at(dialog, "destinations_lead_purchase_price").startswith("Price must be")
    assert dialog.list.currentItem().text().startswith("South")
    assert floor.paths.config_file.read_bytes() == before


def tabs(dialog: SettingsDialog) -> QTabWidget:
    found = dialog.findChild(QTabWidget)
    assert isinstance(found, QTabWidget)
    return found


def test_a_bad_agent_name_is_shown_at_its_field(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    before = floor.paths.config_file.read_bytes()
    tabs(dialog).setCurrentIndex(1)  # "Agent and sending"
    retype(qtbot, dialog.agent, "x" * 300)
    dialog.save()
    assert "at most 255 characters" in error_at(dialog, "agent_name")
    assert dialog.saved is None
    assert floor.paths.config_file.read_bytes() == before


def test_save_turns_to_the_tab_with_the_problem(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    """BUG: a problem on the tab not shown is marked at its field, but the dialog stays on
    the other tab: the agent reads "Fix the fields marked" and sees no field marked (the
    lead form, by contrast, opens a folded section that holds a problem)."""
    add_destination(qtbot, dialog, "West", "http://west.example/leadpostxml.php", "WEST")
    tabs(dialog).setCurrentIndex(1)  # on to the retry limit, then Save
    dialog.save()
    assert dialog.saved is None
    assert tabs(dialog).currentIndex() == 0
    assert "plain http" in error_at(dialog, "destinations_url")


def test_removing_archives_a_destination_with_leads_and_deletes_one_without(
    qtbot: QtBot, floor: Floor, dealers: Dealers
) -> None:
    rig = floor.open()
    choose(rig, "South")
    submit_call(qtbot, rig)  # South has a lead in the history, North has none
    qtbot.waitUntil(lambda: len(dealers.south.accepted) == 1, timeout=8000)
    choose(rig, "Acme")

    def remove_both(dialog: SettingsDialog) -> None:
        select(dialog, "South")
        click(qtbot, button(dialog, "remove_destination"))
        assert "South (archived)" in list_texts(dialog)
        assert button(dialog, "remove_destination").text() == "&Restore"
        select(dialog, "North")
        click(qtbot, button(dialog, "remove_destination"))
        assert [text.split(" (")[0] for text in list_texts(dialog)] == ["Acme", "South"]
        dialog.save()
        assert dialog.saved is not None, dialog.problem.text()

    with SettingsDriver(remove_both) as driver:
        rig.window.open_settings()
    assert driver.seen
    kept = user_file_destinations(floor.paths)
    assert list(kept) == ["South"]
    assert kept["South"]["archived"] is True
    settings = config_files.load(floor.paths).settings
    assert [d.name for d in settings.destinations] == ["Acme", "South"]
    assert [d.name for d in settings.offered()] == ["Acme"]
    assert rig.last_result() == "Settings saved."
    assert [text.split(" (")[0] for text in combo_texts(rig)] == ["Acme"]
    (stored,) = rig.store.history()
    assert stored.destination_name == "South"  # the history keeps where it went


def test_archiving_the_chosen_destination_takes_it_off_the_picker(
    qtbot: QtBot, floor: Floor, dealers: Dealers
) -> None:
    """BUG: apply_settings keeps desk.destination when the chosen destination was archived
    (or deleted), and _offer_destinations then offers it again as a one-off at the top of
    the picker, chosen: the agent keeps sending to a destination they just retired."""
    rig = floor.open()
    submit_call(qtbot, rig)  # a lead to North, the destination the window starts with
    qtbot.waitUntil(lambda: len(dealers.north.accepted) == 1, timeout=8000)

    def archive_north(dialog: SettingsDialog) -> None:
        select(dialog, "North")
        click(qtbot, button(dialog, "remove_destination"))
        dialog.save()

    with SettingsDriver(archive_north):
        rig.window.open_settings()
    north = config_files.load(floor.paths).settings.destination("North")
    assert north is not None and north.archived
    assert [text.split(" (")[0] for text in combo_texts(rig)] == ["Acme", "South"]
    assert rig.desk.destination.name != "North"


def test_an_archived_destination_can_be_restored(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    with Store(floor.paths.database()) as store:
        store.add(
            Lead.parse(dict(GOOD_CALL, source_id="SOUTH2", city="Parma", state="ID")),
            "https://south.example/x",
            destination_name="South",
        )
    select(dialog, "South")
    click(qtbot, button(dialog, "remove_destination"))
    assert "South (archived)" in list_texts(dialog)
    click(qtbot, button(dialog, "remove_destination"))
    assert "South" in list_texts(dialog)
    dialog.save()
    south = config_files.load(floor.paths).settings.destination("South")
    assert south is not None and not south.archived


def test_a_locked_destination_is_read_only_and_stays_out_of_the_user_file(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    select(dialog, "Acme")
    assert dialog.lock_note.isVisible()
    for name, widget in dialog.inputs.items():
        assert not widget.isEnabled(), name
    assert not button(dialog, "remove_destination").isEnabled()
    assert line(dialog, "destination_source_id").text() == "ACME"
    type_text(qtbot, line(dialog, "destination_source_id"), "X")  # ignored: disabled
    assert line(dialog, "destination_source_id").text() == "ACME"
    select(dialog, "North")
    assert not dialog.lock_note.isVisible()
    assert line(dialog, "destination_source_id").isEnabled()
    dialog.save()
    assert dialog.saved is not None
    assert "Acme" not in user_file_destinations(floor.paths)
    acme = dialog.saved.settings.destination("Acme")
    assert acme is not None and acme.locked and acme.source_id == "ACME"


def test_a_copy_of_a_locked_destination_is_the_agents_own(
    qtbot: QtBot, floor: Floor, dialog: SettingsDialog
) -> None:
    select(dialog, "Acme")
    click(qtbot, button(dialog, "duplicate_destination"))
    assert dialog.list.currentItem().text() == "Acme (copy)"
    assert line(dialog, "destination_source_id").isEnabled()
    retype(qtbot, line(dialog, "destination_source_id"), "ACME-MINE")
    dialog.save()
    assert dialog.saved is not None, dialog.problem.text()
    copy = user_file_destinations(floor.paths)["Acme (copy)"]
    assert copy["source_id"] == "ACME-MINE"
    assert "Acme" not in user_file_destinations(floor.paths)


# --- settings reaching the window and the worker ----------------------------------------------


def test_the_agents_name_goes_with_the_next_lead(
    qtbot: QtBot, floor: Floor, dealers: Dealers
) -> None:
    rig = floor.open()

    def set_name(dialog: SettingsDialog) -> None:
        retype(qtbot, line(dialog, "agent_name"), "Jo Agent")
        dialog.save()

    with SettingsDriver(set_name):
        rig.window.open_settings()
    assert rig.last_result() == "Settings saved."
    assert source_fields(rig)["lead_callcenter_rep"] == "Jo Agent"
    assert config_files.load(floor.paths).settings.agent_name == "Jo Agent"
    submit_call(qtbot, rig)
    qtbot.waitUntil(lambda: len(dealers.north.accepted) == 1, timeout=8000)
    assert dealers.north.accepted[0]["lead_callcenter_rep"] == "Jo Agent"


def test_a_new_retry_limit_reaches_the_worker(qtbot: QtBot, floor: Floor) -> None:
    floor.write_user(
        f"""
        schema_version = 2
        [[destinations]]
        name = "Closed"
        url = "{floor.bench.dead_url()}"
        source_id = "SRC1"
        """
        + textwrap.dedent(QUICK_SENDING)  # retry_limit 6
    )
    rig = floor.open()

    def one_try(dialog: SettingsDialog) -> None:
        limit = dialog.findChild(QSpinBox, "sending_retry_limit")
        assert isinstance(limit, QSpinBox)
        assert limit.value() == 6
        limit.setValue(1)
        dialog.save()

    with SettingsDriver(one_try):
        rig.window.open_settings()
    assert config_files.load(floor.paths).settings.sending.retry_limit == 1
    submit_call(qtbot, rig)
    (queued,) = rig.store.history()
    wait_for_state(qtbot, rig.store, queued.id, State.FAILED)
    failed = rig.store.get(queued.id)
    assert failed is not None
    assert failed.attempts == 1, f"failed after {failed.attempts} tries, not 1"


# --- first start ------------------------------------------------------------------------------


def test_first_start_welcomes_and_add_opens_the_settings(
    qtbot: QtBot, floor: Floor, bench: Bench
) -> None:
    sandbox = bench.sandbox()
    rig = floor.open()
    assert rig.window.no_destination.isVisible()
    assert rig.window.picker.current() is None

    def add_west(dialog: SettingsDialog) -> None:
        # Issue 14: it opens on a new destination, its name ready to be typed over (it
        # opened on an empty, greyed list).
        assert list_texts(dialog) == ["New destination"]
        assert line(dialog, "destination_name").selectedText() == "New destination"
        type_text(qtbot, line(dialog, "destination_name"), "West")
        retype(qtbot, line(dialog, "destination_url"), sandbox.url("west"))
        retype(qtbot, line(dialog, "destination_source_id"), "WEST")
        dialog.save()
        assert dialog.saved is not None, dialog.problem.text()

    with DialogAnswerer("Add a destination…") as answerer, SettingsDriver(add_west) as driver:
        app._welcome(rig.window)
    assert answerer.only.title == "Welcome to LeadDesk"
    assert "Try demo mode" in answerer.only.buttons
    assert driver.seen
    current = rig.window.picker.current()
    assert current is not None and current.name == "West"
    assert not rig.window.no_destination.isVisible()
    assert source_fields(rig)["source_id"] == "WEST"
    submit_call(qtbot, rig)
    qtbot.waitUntil(lambda: len(sandbox.accepted) == 1, timeout=8000)
    assert sandbox.accepted[0]["source_id"] == "WEST"


def test_later_on_the_welcome_opens_nothing(floor: Floor) -> None:
    rig = floor.open()
    with DialogAnswerer("Later") as answerer, SettingsDriver(lambda d: d.reject()) as driver:
        app._welcome(rig.window)
    assert answerer.only.clicked == "Later"
    assert driver.seen == []
    assert not floor.paths.config_file.exists()


# --- a config file that cannot be used at start ---------------------------------------------


BROKEN = 'agent_name = "Pat\n'


def broken_leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".broken-" in p.name)


def test_a_broken_config_asks_and_start_with_defaults_sets_it_aside(
    qtbot: QtBot, floor: Floor
) -> None:
    floor.write_user(BROKEN)
    with DialogAnswerer("Start with defaults") as answerer:
        context = app._load_context(demo=False)
    assert context is not None
    assert context.settings == Settings()
    seen = answerer.only
    assert seen.title == "LeadDesk settings cannot be read"
    assert str(floor.paths.config_file) in seen.text
    assert "not valid TOML" in seen.text
    assert {"Open the file", "Try again", "Start with defaults", "Quit"} <= set(seen.buttons)
    assert not floor.paths.config_file.exists()
    (kept,) = broken_leftovers(floor.paths.config_dir)
    assert kept.startswith("leaddesk.toml.broken-")
    assert (floor.paths.config_dir / kept).read_text(encoding="utf-8") == BROKEN


def test_a_broken_config_and_quit_leaves_the_file_alone(qtbot: QtBot, floor: Floor) -> None:
    floor.write_user(BROKEN)
    with DialogAnswerer("Quit") as answerer:
        context = app._load_context(demo=False)
    assert context is None
    assert answerer.only.clicked == "Quit"
    assert floor.paths.config_file.read_text(encoding="utf-8") == BROKEN
    assert broken_leftovers(floor.paths.config_dir) == []


def test_a_broken_site_config_warns_and_starts_without_it(qtbot: QtBot, floor: Floor) -> None:
    floor.write_site("[[destinations]\n")
    floor.write_user('schema_version = 2\nagent_name = "Pat"\n')
    with DialogAnswerer("OK") as answerer:
        context = app._load_context(demo=False)
    assert context is not None
    assert context.settings.agent_name == "Pat"
    assert answerer.only.title == "Machine-wide settings cannot be read"
    assert str(floor.site_file) in answerer.only.text
    assert floor.site_file.read_text(encoding="utf-8") == "[[destinations]\n"


def two_dealer_window(qtbot: QtBot, bench: Bench, a_faults: Faults) -> tuple[Rig, list[str]]:
    a, b = bench.sandbox(a_faults), bench.sandbox()
    first = Destination(name="A", url=a.url(), source_id="SRCA")
    second = Destination(name="B", url=b.url(), source_id="SRCB")
    settings = Settings(sending=QUICK, destinations=(first, second), default_destination="A")
    store = Store(bench.paths.database())
    desk = Desk(Context.of(bench.paths, settings), first, store,
                Draft(bench.paths.data_dir / "d.json"), bench.zips)  # fmt: skip
    worker = SendWorker(desk.outboxes(), settings.sending)
    window = open_window(desk, worker)
    qtbot.addWidget(window, before_close_func=quit_now)
    rig = Rig(window, desk, worker, store, a)
    bench._rigs.append(rig)
    worker.start()
    window.show()
    return rig, [a.url(), b.url()]


def test_a_fix_goes_back_to_the_dealer_that_refused_it(qtbot: QtBot, bench: Bench) -> None:
    rig, _ = two_dealer_window(qtbot, bench, Faults(reject_rate=1.0))
    type_call(qtbot, rig.window.form)
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.REJECTED)
    rig.window.picker.combo.setCurrentIndex(1)  # the agent had moved on to dealer B
    rig.window.edit_lead(1)
    assert rig.window.picker.current() is not None
    assert rig.window.picker.current().name == "A"  # type: ignore[union-attr]
    assert not rig.window.picker.combo.isEnabled(), "no switching dealers mid-fix"
    assert rig.window.form.values()["source_id"] == "SRCA"
    assert rig.sandbox is not None
    rig.sandbox.faults = Faults()
    rig.window.submit()
    qtbot.waitUntil(lambda: (lead := rig.store.get(1)) is not None and lead.state is State.ACCEPTED)
    assert [lead["source_id"] for lead in rig.sandbox.accepted] == ["SRCA"]
    assert rig.window.picker.combo.isEnabled(), "the picker is free again after the fix"
