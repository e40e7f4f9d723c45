"""Leads > Import…: a file from a dialer or an ad platform, read as `leaddesk send` reads
it. Shows how each column is placed and why, lets the agent change any column's field
and save the mapping under a name, previews the first rows with their problems, and
imports in the background with a progress bar; stopping keeps what was already queued."""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from leaddesk.app.desk import Desk
from leaddesk.app.lead_import import ImportCounts, mappings_dir, queue_file
from leaddesk.domain.errors import CsvError
from leaddesk.domain.fields import FIELDS
from leaddesk.history.store_file import is_history_file
from leaddesk.sources.layouts import FULL_NAME
from leaddesk.sources.mapping import write_map
from leaddesk.sources.rows import LeadFile, SourceRow

PREVIEW_ROWS = 5
NOT_A_LEAD_FILE = "That is LeadDesk's own history, not a file of leads: nothing was read."
NOT_SENT = "— not sent —"
_SAFE_NAME = re.compile(r"[^\w .-]+")
W = TypeVar("W", bound=QWidget)


class ImportJob(QThread):
    """Reads and queues the file on its own thread, with its own history connection."""

    progressed = Signal(object)  # ImportCounts, a copy
    failed = Signal(str)

    def __init__(self, open_file: Callable[[], LeadFile], desk: Desk, wake: Callable[[], None],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("import-job")
        self._open_file, self._desk, self._wake = open_file, desk, wake
        self._stop = threading.Event()
        self.counts = ImportCounts()

    def stop(self) -> None:
        self._stop.set()

    def run(self) -> None:
        def told(counts: ImportCounts) -> None:
            self._wake()  # the window's sender posts what was just queued
            self.progressed.emit(dataclasses.replace(counts))

        try:
            with self._open_file() as leads:
                self.counts = queue_file(
                    self._desk.store.path, leads, self._desk.destination,
                    self._desk.settings.sending.duplicate_days, told, self._stop.is_set,
                )  # fmt: skip
        except Exception as error:  # told in the dialog; nothing escapes the thread
            self.failed.emit(str(error) if isinstance(error, CsvError) else type(error).__name__)


class ImportDialog(QDialog):
    def __init__(self, desk: Desk, path: Path, wake: Callable[[], None],
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setObjectName("import_dialog")
        self.setWindowTitle(f"Import leads from {path.name}")
        self._desk, self._path, self._wake = desk, path, wake
        self._chosen: dict[str, str | None] = {}
        self._map_path: Path | None = None
        self._job: ImportJob | None = None
        self.how_read = _named(QLabel(wordWrap=True), "import_how_read")
        self.saved = _named(QComboBox(), "import_saved")
        self.saved.addItem("Suggested mapping", None)
        for saved in sorted(mappings_dir(desk.paths).glob("*.toml")):
            self.saved.addItem(saved.stem, saved)
        self.saved.currentIndexChanged.connect(self._use_saved)
        self.columns = _table("import_columns", ("Column", "Field", "Why"))
        self.preview = _table("import_preview", ("Row", "As it would be sent", "Problems"))
        self.mapping_name = _named(QLineEdit(), "import_mapping_name")
        self.mapping_name.setPlaceholderText("Name this mapping to use it again")
        self.save_button = _named(QPushButton("Save mapping"), "import_save")
        self.save_button.clicked.connect(self.save_mapping)
        self.progress = _named(QProgressBar(), "import_progress")
        self.outcome = _named(QLabel(wordWrap=True), "import_outcome")
        self.start_button = _named(QPushButton("Import"), "import_start")
        self.start_button.clicked.connect(self.start_import)
        self.stop_button = _named(QPushButton("Stop import"), "import_stop")
        self.stop_button.setEnabled(False)
        self.stop_button.clicked.connect(self.stop_import)
        close = _named(QPushButton("Close"), "import_close")
        close.clicked.connect(self.close)
        self._lay_out(close)
        self.refresh()

    def _lay_out(self, close: QPushButton) -> None:
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        top.addWidget(self.how_read, 1)
        top.addWidget(self.saved)
        layout.addLayout(top)
        layout.addWidget(self.columns, 2)
        layout.addWidget(QLabel("The first rows, as they would be sent:"))
        layout.addWidget(self.preview, 1)
        saving = QHBoxLayout()
        saving.addWidget(self.mapping_name, 1)
        saving.addWidget(self.save_button)
        layout.addLayout(saving)
        layout.addWidget(self.progress)
        layout.addWidget(self.outcome)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.start_button, self.stop_button, close):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.resize(820, 640)

    # --- the mapping and the preview ------------------------------------------------------

    def open_file(self) -> LeadFile:
        return self._opener()()

    def _opener(self) -> Callable[[], LeadFile]:
        """Opens the file as mapped now, whenever it is called: the import's thread opens
        it later, and a choice made meanwhile must not reach it."""
        path, map_path, chosen, desk = self._path, self._map_path, dict(self._chosen), self._desk
        return lambda: LeadFile(path, map_path, desk.lead_defaults(), desk.zips.lookup, chosen)

    def refresh(self) -> None:
        """Read the file again as now mapped: the columns' fields and the preview."""
        try:
            with self.open_file() as leads:
                rows = [row for _, row in zip(range(PREVIEW_ROWS), leads.rows(), strict=False)]
                self._show_columns(leads)
        except CsvError as error:
            self.how_read.setText(str(error))
            self.start_button.setEnabled(False)
            return
        self._show_preview(rows)
        self.start_button.setEnabled(self._job is None)

    def _show_columns(self, leads: LeadFile) -> None:
        layout = leads.mapping.layout
        known = f" — a {layout.name}" if layout is not None else ""
        self.how_read.setText(f"{leads.dialect.describe()}{known}.")
        self.columns.setRowCount(len(leads.mapping.columns))
        for row, column in enumerate(leads.mapping.columns):
            self.columns.setItem(row, 0, QTableWidgetItem(column.shown.strip("'")))
            self.columns.setCellWidget(row, 1, self._field_choice(column.header, column.target))
            self.columns.setItem(row, 2, QTableWidgetItem(column.reason))

    def _field_choice(self, header: str, target: str | None) -> QComboBox:
        choice = _named(QComboBox(), f"field_for_{header}")
        choice.addItem(NOT_SENT, None)
        choice.addItem("Full name (split into first and last)", FULL_NAME)
        for spec in FIELDS:
            choice.addItem(f"{spec.label} ({spec.name})", spec.name)
        choice.setCurrentIndex(max(0, choice.findData(target)))
        choice.currentIndexChanged.connect(
            lambda _, header=header, choice=choice: self.choose(header, choice.currentData())
        )
        return choice

    def choose(self, header: str, target: str | None) -> None:
        """The agent puts a column in a field (None: not sent)."""
        self._chosen[header] = target
        self.refresh()

    def _show_preview(self, rows: list[SourceRow]) -> None:
        self.preview.setRowCount(len(rows))
        for line, row in enumerate(rows):
            sent = row.lead.values() if row.lead is not None else {}
            shown = ", ".join(f"{name}: {value}" for name, value in sent.items() if value)
            problems = "; ".join(
                f"{name}: {message}" if name else message for name, message in row.problems.items()
            )
            for column, text in enumerate((str(row.row), shown or "not sent", problems)):
                self.preview.setItem(line, column, QTableWidgetItem(text))

    def _use_saved(self) -> None:
        self._map_path = self.saved.currentData()
        self._chosen = {}
        self.refresh()

    def save_mapping(self) -> Path | None:
        name = _SAFE_NAME.sub("", self.mapping_name.text()).strip(" .")
        if not name:
            self.outcome.setText("Give the mapping a name first.")
            return None
        with self.open_file() as leads:
            path = mappings_dir(self._desk.paths) / f"{name}.toml"
            write_map(leads.mapping, path)
        if self.saved.findText(name) < 0:
            self.saved.addItem(name, path)
        self.outcome.setText(f"Mapping saved as “{name}”: choose it for the next file.")
        return path

    # --- the import -----------------------------------------------------------------------

    @property
    def job(self) -> ImportJob | None:
        """The import running now, if any."""
        return self._job

    def start_import(self) -> None:
        if self._job is not None:
            return
        # The mapping as previewed now (the choices are off while the import runs).
        self._job = ImportJob(self._opener(), self._desk, self._wake, self)
        self._job.progressed.connect(self._show_progress)
        self._job.failed.connect(self.outcome.setText)
        self._job.finished.connect(self._finished)
        self.start_button.setEnabled(False)
        self.stop_button.setEnabled(True)
        self._mapping_open(False)
        self.progress.setRange(0, 100)
        self._job.start()

    def stop_import(self) -> None:
        if self._job is not None:
            self._job.stop()

    def _show_progress(self, counts: ImportCounts) -> None:
        self.progress.setValue(int(counts.share * 100))
        self.outcome.setText(_counts_words(counts))

    def _finished(self) -> None:
        job, self._job = self._job, None
        self.stop_button.setEnabled(False)
        self._mapping_open(True)
        if job is None:
            return
        if not self.outcome.text() or job.counts.read:
            done = _counts_words(job.counts)
            stopped = (
                " Stopped: what was queued stays queued and is sent." if job.counts.stopped else ""
            )
            self.outcome.setText(done + stopped)
        job.deleteLater()

    def _mapping_open(self, open_: bool) -> None:
        """The columns' fields and the saved mappings can be changed only between imports:
        changed during one, the preview would show a mapping the import does not use."""
        for control in (self.columns, self.saved):
            control.setEnabled(open_)

    def done(self, result: int) -> None:
        """Esc, and a quit request's answer to the open dialog (reject), end the dialog
        here without a close event: the import stops too, or it ran on behind a hidden
        dialog, and the window's end destroyed its thread still running (Qt aborts)."""
        self._stop_and_wait()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop_and_wait()
        super().closeEvent(event)

    def _stop_and_wait(self) -> None:
        """Stop the import after its chunk; what was queued stays."""
        if self._job is not None:
            self._job.stop()
            self._job.wait()


def _counts_words(counts: ImportCounts) -> str:
    words = f"{counts.read} rows read: {counts.queued} leads queued"
    if counts.invalid:
        words += f", {counts.invalid} invalid (not sent)"
    if counts.skipped:
        words += f", {counts.skipped} likely duplicates skipped"
    return words + "."


def _named(widget: W, name: str) -> W:
    widget.setObjectName(name)
    return widget


def _table(name: str, headers: tuple[str, ...]) -> QTableWidget:
    table = _named(QTableWidget(0, len(headers)), name)
    table.setHorizontalHeaderLabels(list(headers))
    table.horizontalHeader().setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
    table.verticalHeader().setVisible(False)
    return table


def import_leads(window: QWidget, desk: Desk, wake: Callable[[], None]) -> ImportDialog | None:
    """Leads > Import…: ask for a file, then show the import dialog for it."""
    chosen, _ = QFileDialog.getOpenFileName(
        window, "Import leads", "", "Lead files (*.csv *.txt *.tsv);;All files (*)"
    )
    if not chosen:
        return None
    if is_history_file(Path(chosen), desk.store.path):
        # Read here, LeadDesk's own locks on it would go with the file's close.
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(window, "Import leads", NOT_A_LEAD_FILE)
        return None
    dialog = ImportDialog(desk, Path(chosen), wake, window)
    # Gone once closed (its import stopped first, see done()): not kept hidden under the
    # window until it closes, with the file's first rows in its preview, one per import.
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
