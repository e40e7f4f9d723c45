"""Leads > Import… in the window: the suggested mapping with a reason for each column, a
preview with problems, a column's field changed and the mapping saved under a name, the
import in the background with its progress, and a stop that keeps what was queued."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QFileDialog
from pytestqt.qtbot import QtBot

from leaddesk.gui.import_dialog import ImportDialog, import_leads
from tests.support.gui_helpers import Bench, DialogAnswerer, Rig, press
from tests.support.lead_layouts import (
    FACEBOOK_COLUMNS,
    FOREIGN_CAMPAIGN,
    facebook_row,
    write_table,
)


def dialog_for(qtbot: QtBot, rig: Rig, path: Path) -> ImportDialog:
    dialog = ImportDialog(rig.desk, path, rig.worker.wake)
    qtbot.addWidget(dialog)
    return dialog


def cells(dialog: ImportDialog, table_name: str) -> list[list[str]]:
    table = dialog.columns if table_name == "columns" else dialog.preview
    rows = []
    for row in range(table.rowCount()):
        line = []
        for column in range(table.columnCount()):
            widget = table.cellWidget(row, column)
            item = table.item(row, column)
            line.append(widget.currentText() if isinstance(widget, QComboBox) else
                        item.text() if item is not None else "")  # fmt: skip
        rows.append(line)
    return rows


def test_the_menu_offers_import(bench: Bench) -> None:
    rig = bench.open(show=False)
    [action] = [a for a in rig.window.findChildren(type(rig.window.menus.find_action))
                if a.objectName() == "import_action"]  # fmt: skip
    assert action.text() == "&Import…"


def test_the_suggested_mapping_says_why_and_the_preview_shows_problems(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    rig = bench.open(show=False)
    rows = [facebook_row(1), {**facebook_row(2), "phone_number": "p:12"}]
    path = write_table(tmp_path / "fb.csv", FACEBOOK_COLUMNS, rows, "\t", "utf-16")
    dialog = dialog_for(qtbot, rig, path)
    assert "UTF-16 with BOM, tab separated — a Facebook Lead Ads export" in dialog.how_read.text()
    columns = {line[0]: line[1:] for line in cells(dialog, "columns")}
    assert columns["campaign_id"] == [
        "— not sent —",
        "Facebook's own ad campaign, not the dealer's Campaign ID (Facebook Lead Ads export)",
    ]
    assert columns["full_name"][0] == "Full name (split into first and last)"
    assert columns["zip_code"] == ["ZIP (zip)", "Facebook Lead Ads export column"]
    preview = cells(dialog, "preview")
    assert preview[0][0] == "2" and "fname: Mary" in preview[0][1] and preview[0][2] == ""
    assert preview[1][1] == "not sent" and "phone1: Phone 1 must be" in preview[1][2]


def test_a_changed_field_is_previewed_and_saved_under_a_name(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    rig = bench.open(show=False)
    path = tmp_path / "mailer.csv"
    path.write_text("Name,Contact No,Town,ST\nAnn Lee,2085550101,Boise,ID\n", encoding="utf-8")
    dialog = dialog_for(qtbot, rig, path)
    assert "Phone 1 is required" in cells(dialog, "preview")[0][2]
    tel = dialog.findChild(QComboBox, "field_for_Contact No")
    assert isinstance(tel, QComboBox) and tel.currentText() == "— not sent —"
    tel.setCurrentIndex(tel.findData("phone1"))
    state = dialog.findChild(QComboBox, "field_for_ST")
    assert isinstance(state, QComboBox)
    state.setCurrentIndex(state.findData("state"))
    [preview] = cells(dialog, "preview")
    assert "phone1: 2085550101" in preview[1] and preview[2] == ""
    dialog.mapping_name.setText("Spring mailer")
    saved = dialog.save_mapping()
    assert saved is not None and '"Contact No" = "phone1"' in saved.read_text(encoding="utf-8")
    # The next file of that kind: the saved mapping is offered, and reads it as chosen.
    other = tmp_path / "mailer-2.csv"
    other.write_text("Name,Contact No,Town,ST\nBo Day,2085550102,Nampa,ID\n", encoding="utf-8")
    again = dialog_for(qtbot, rig, other)
    again.saved.setCurrentIndex(again.saved.findText("Spring mailer"))
    assert "phone1: 2085550102" in cells(again, "preview")[0][1]


def test_the_import_runs_in_the_background_and_the_window_sends(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    rig = bench.open(show=False)
    path = write_table(
        tmp_path / "fb.csv", FACEBOOK_COLUMNS, [facebook_row(i) for i in range(1, 4)]
    )
    dialog = dialog_for(qtbot, rig, path)
    dialog.start_import()
    qtbot.waitUntil(lambda: dialog.progress.value() == 100 and dialog.job is None, timeout=10000)
    assert dialog.outcome.text().startswith("3 rows read: 3 leads queued")
    qtbot.waitUntil(lambda: len(rig.accepted) == 3, timeout=10000)
    for lead in rig.accepted:
        assert lead.get("campaign_id", "") == "" and lead["source_id"] == "SRC1"
        assert FOREIGN_CAMPAIGN.removeprefix("c:") not in lead.values()
    assert sorted(lead["lname"] for lead in rig.accepted) == [f"van der Berg{i}" for i in (1, 2, 3)]


def big_file(tmp_path: Path) -> Path:
    """3000 good leads: many chunks, so an import stopped after its first is not done."""
    lines = ["fname,lname,phone1,city,state"]
    lines += [f"Ann,Lee{i},801312{i:04d},Boise,ID" for i in range(3000)]
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_stopping_keeps_what_was_queued(qtbot: QtBot, bench: Bench, tmp_path: Path) -> None:
    rig = bench.open(bench.dead_url())  # the leads stay in the outbox meanwhile
    dialog = dialog_for(qtbot, rig, big_file(tmp_path))
    with qtbot.waitSignal(dialog.start_button.clicked):
        dialog.start_button.click()
    assert dialog.job is not None
    with qtbot.waitSignal(dialog.job.progressed, timeout=10000):
        pass
    dialog.stop_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert "Stopped: what was queued stays queued" in dialog.outcome.text()
    stored = rig.store.history()
    assert 200 <= len(stored) < 3000
    assert f"{len(stored)} leads queued" in dialog.outcome.text()


def test_the_mapping_cannot_change_under_a_running_import(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    """A field chosen during an import changed the preview, not the import: what the
    dialog showed would be sent was not what was sent."""
    rig = bench.open(bench.dead_url())
    dialog = dialog_for(qtbot, rig, big_file(tmp_path))
    dialog.start_import()
    job = dialog.job
    assert job is not None
    assert not dialog.columns.isEnabled() and not dialog.saved.isEnabled()
    choice = dialog.columns.cellWidget(1, 1)  # lname's field
    assert isinstance(choice, QComboBox) and not choice.isEnabled()
    dialog.stop_import()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert dialog.columns.isEnabled() and dialog.saved.isEnabled() and choice.isEnabled()


def test_escape_stops_the_import_as_closing_does(
    qtbot: QtBot, bench: Bench, tmp_path: Path
) -> None:
    """Esc ends the dialog without a close event. The import went on behind the hidden
    dialog, and the window's end then destroyed its thread still running: Qt aborts."""
    rig = bench.open(bench.dead_url())
    dialog = dialog_for(qtbot, rig, big_file(tmp_path))
    dialog.show()
    dialog.start_import()
    job = dialog.job
    assert job is not None
    with qtbot.waitSignal(job.progressed, timeout=10000):
        pass
    press(qtbot, dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert job.isFinished() and job.counts.stopped
    qtbot.waitUntil(lambda: dialog.job is None, timeout=10000)
    assert 200 <= len(rig.store.history()) < 3000


def test_an_import_dialog_is_gone_once_closed(qtbot: QtBot, bench: Bench, tmp_path: Path) -> None:
    """Each Leads > Import… left its dialog alive, hidden under the window until the window
    closed, the file's first rows in its preview."""
    rig = bench.open(bench.dead_url())
    path = big_file(tmp_path)

    def choose_the_file() -> None:
        chooser = QApplication.activeModalWidget()
        if not isinstance(chooser, QFileDialog):
            QTimer.singleShot(20, choose_the_file)
            return
        chooser.selectFile(str(path))
        chooser.accept()

    QTimer.singleShot(0, choose_the_file)
    dialog = import_leads(rig.window, rig.desk, rig.worker.wake)
    assert dialog is not None
    dialog.start_import()
    with qtbot.waitSignal(dialog.destroyed, timeout=10000):
        dialog.close()  # the import stops first, then the dialog goes
    assert not rig.window.findChildren(ImportDialog)


def test_the_history_itself_chosen_as_a_lead_file_is_not_read(qtbot: QtBot, bench: Bench) -> None:
    """Read in the window's process, the history file's close would drop the locks SQLite
    holds on it for the window (see tests/history/test_store_locks_kept.py)."""
    rig = bench.open(bench.dead_url())
    history = rig.store.path

    def choose_the_history() -> None:
        chooser = QApplication.activeModalWidget()
        if not isinstance(chooser, QFileDialog):
            QTimer.singleShot(20, choose_the_history)
            return
        chooser.setNameFilter("All files (*)")
        chooser.selectFile(str(history))
        chooser.accept()

    QTimer.singleShot(0, choose_the_history)
    with DialogAnswerer(None) as answers:
        dialog = import_leads(rig.window, rig.desk, rig.worker.wake)
    assert dialog is None
    assert "LeadDesk's own history" in answers.only.text
