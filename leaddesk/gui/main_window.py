"""The window an agent keeps open all day: the lead form, notices, status bar and menus."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QByteArray, QSettings, Qt, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from leaddesk import __version__
from leaddesk.draft import Draft
from leaddesk.gui.lead_form import LeadForm
from leaddesk.gui.notifications import NotificationArea
from leaddesk.gui.worker import SendWorker
from leaddesk.lead import Lead
from leaddesk.outbox import Progress, Stage
from leaddesk.settings import Destination, Paths, Settings
from leaddesk.store import State, Store, StoredLead, StoreError
from leaddesk.zip_lookup import ZipDirectory

AUTOSAVE_MS = 1000
DOUBLE_PRESS_SECONDS = 1.0


@dataclass
class Desk:
    """What the window works with; built by the app, or by tests with temporary parts."""

    paths: Paths
    settings: Settings
    destination: Destination
    store: Store  # the GUI thread's connection: quick inserts and counts only
    draft: Draft
    zips: ZipDirectory
    demo: bool = False


class MainWindow(QMainWindow):
    def __init__(self, desk: Desk, worker: SendWorker) -> None:
        super().__init__()
        self.desk = desk
        self.worker = worker
        self._submitting = False
        self._last_queued_at = float("-inf")
        self._close_when_sent = False
        self._quitting = False
        self._shown_once = False
        self.setObjectName("main_window")
        self.setWindowTitle("LeadDesk — demo (sandbox)" if desk.demo else "LeadDesk")
        self._window_state = QSettings(
            str(desk.paths.config_dir / "window.ini"), QSettings.Format.IniFormat
        )

        self.notifications = NotificationArea(self)
        self.form = LeadForm(desk.zips, self)
        self.form.edited.connect(self._schedule_autosave)
        for section in (self.form.extra, self.form.destination):
            expanded = self._window_state.value(f"sections/{section.key}", False, bool)
            section.set_expanded(bool(expanded))
        self.new_button = QPushButton("&New lead", self)
        self.new_button.setObjectName("new_lead")
        self.new_button.setToolTip("Clear the form for the next call (Ctrl+N or Esc)")
        self.new_button.clicked.connect(self.new_lead)
        self.submit_button = QPushButton("&Submit lead", self)
        self.submit_button.setObjectName("submit")
        self.submit_button.setDefault(False)
        self.submit_button.setToolTip("Store the lead and send it (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submit)
        self._build_central()
        self._build_menus()
        self._build_status_bar()

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)

        worker.progressed.connect(self.on_progress)
        worker.problem.connect(self.on_worker_problem)
        self._restore()
        self.refresh_counts()

    # --- building -------------------------------------------------------------------

    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        if self.desk.demo:
            banner = QLabel(
                "Demo mode: leads go to a built-in sandbox, not to a dealer, "
                "and are kept apart from real ones.",
                central,
            )
            banner.setObjectName("demo_banner")
            banner.setWordWrap(True)
            layout.addWidget(banner)
        if not self.desk.destination.url:
            missing = QLabel(
                "No destination is set, so leads cannot be sent. Start LeadDesk with "
                "--url and --source-id, set them in the config file, or try --demo.",
                central,
            )
            missing.setObjectName("no_destination")
            missing.setWordWrap(True)
            layout.addWidget(missing)
        layout.addWidget(self.notifications)
        scroll = QScrollArea(central)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not here
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("&File")
        self.submit_action = QAction("&Submit lead", self)
        self.submit_action.setObjectName("submit_action")
        self.submit_action.setShortcuts([QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")])
        self.submit_action.triggered.connect(self.submit)
        self.new_action = QAction("&New lead", self)
        self.new_action.setObjectName("new_action")
        self.new_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_action.triggered.connect(self.new_lead)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        for action in (self.new_action, self.submit_action):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(quit_action)
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self)
        escape.activated.connect(self.new_lead)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About LeadDesk", self)
        about.triggered.connect(self.show_about)
        help_menu.addAction(about)

    def _build_status_bar(self) -> None:
        self.queue_label = QLabel(self)
        self.queue_label.setObjectName("queue_status")
        self.result_label = QLabel(self)
        self.result_label.setObjectName("last_result")
        self.statusBar().addWidget(self.result_label, 1)
        self.statusBar().addPermanentWidget(self.queue_label)

    # --- the agent's actions ----------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """Store the lead in the outbox and clear the form at once; the worker sends it."""
        if self._submitting:
            return
        self._submitting = True
        try:
            self._submit()
        finally:
            self._submitting = False

    def _submit(self) -> None:
        defaults = self.desk.destination.lead_defaults()
        if not self.form.has_call_data(defaults):
            if time.monotonic() - self._last_queued_at < DOUBLE_PRESS_SECONDS:
                return  # the second press of a double press: keep the confirmation in sight
            self.show_result("The form is empty: type a lead first.")
            self.form.focus_first()
            return
        lead = self.form.check()
        if lead is None:
            count = sum(1 for name in self.form.inputs if self.form.problem_text(name))
            self.show_result(f"Fix {count} problem{'s' if count != 1 else ''} before submitting.")
            return
        if not self.desk.destination.url:
            self.show_result("No destination is set: the lead stays in the form.")
            return
        try:
            if not self._confirm_not_duplicate(lead):
                return
            lead_id = self.desk.store.add(lead, self.desk.destination.url)
        except StoreError as error:
            QMessageBox.critical(
                self,
                "Lead not saved",
                f"{error}\n\nThe lead was not saved; it is still in the form.",
            )
            return
        self.desk.draft.clear()
        self._autosave.stop()
        self.form.clear_call(defaults)
        self.worker.wake()
        self._last_queued_at = time.monotonic()
        self.show_result(f"Lead {lead_id} ({lead.fname} {lead.lname}) queued.")
        self.refresh_counts()

    def _confirm_not_duplicate(self, lead: Lead) -> bool:
        days = self.desk.settings.sending.duplicate_days
        earlier_id = self.desk.store.find_duplicate(lead, days)
        if earlier_id is None:
            return True
        earlier = self.desk.store.get(earlier_id)
        assert earlier is not None
        when = datetime.fromtimestamp(earlier.created_at).strftime("%b %d at %H:%M")
        box = QMessageBox(self)
        box.setObjectName("duplicate_question")
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle("Likely duplicate")
        box.setText(
            f"Lead {earlier.id} has the same phone and last name "
            f"({earlier.lead.fname} {earlier.lead.lname}, {earlier.state.value}, {when})."
        )
        box.setInformativeText("Send this one anyway? If not, it stays in the form.")
        send = box.addButton("Send &anyway", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("&Don't send", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(send)
        box.exec()
        return box.clickedButton() is send

    @Slot()
    def new_lead(self) -> None:
        defaults = self.desk.destination.lead_defaults()
        if self.form.has_call_data(defaults):
            answer = QMessageBox.question(
                self,
                "Start a new lead?",
                "The lead in the form has not been submitted. Discard it and start a new one?",
                QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
                QMessageBox.StandardButton.Cancel,
            )
            if answer != QMessageBox.StandardButton.Discard:
                return
        self.desk.draft.clear()
        self._autosave.stop()
        self.form.clear_call(defaults)
        self.show_result("New lead.")

    @Slot()
    def show_about(self) -> None:
        paths = self.desk.paths
        QMessageBox.about(
            self,
            "About LeadDesk",
            f"LeadDesk {__version__}\n\nData: {paths.data_dir}\nConfig: {paths.config_dir}\n"
            f"Logs: {paths.log_dir}",
        )

    # --- autosave -------------------------------------------------------------------

    @Slot()
    def _schedule_autosave(self) -> None:
        self._autosave.start()

    @Slot()
    def save_draft(self) -> None:
        defaults = self.desk.destination.lead_defaults()
        try:
            if self.form.has_call_data(defaults):
                self.desk.draft.save(self.form.values())
            else:
                self.desk.draft.clear()
        except OSError as error:
            self.show_result(f"Could not save the form's draft: {error.strerror or error}.")

    # --- what the worker reports ----------------------------------------------------

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        for lead in progress.leads:
            if progress.stage is Stage.DONE and lead.state is State.ACCEPTED:
                self.show_result(
                    f"Lead {lead.id} ({_name(lead)}) accepted — customer {lead.customer_id}."
                )
            elif lead.state in (State.REJECTED, State.FAILED, State.UNCONFIRMED):
                self.notifications.notify(f"lead-{lead.id}", _notice_text(lead))
                self.show_result(f"Lead {lead.id} ({_name(lead)}) {lead.state.value}: see above.")
        self.refresh_counts()
        if self._close_when_sent and self._pending() == 0:
            self.close()

    @Slot(str)
    def on_worker_problem(self, message: str) -> None:
        self.notifications.notify("worker", message, severity="warning")

    def refresh_counts(self) -> None:
        try:
            counts = self.desk.store.counts()
        except StoreError as error:
            self.queue_label.setText("History unavailable")
            self.queue_label.setToolTip(str(error))
            return
        queued, sending = counts.get(State.QUEUED, 0), counts.get(State.SENDING, 0)
        self.queue_label.setText(f"Queued {queued} · Sending {sending}")

    def show_result(self, text: str) -> None:
        self.result_label.setText(text)

    def _pending(self) -> int:
        counts = self.desk.store.counts()
        return counts.get(State.QUEUED, 0) + counts.get(State.SENDING, 0)

    # --- starting and closing -------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:  # not on every restore from minimised: the agent may be typing
            self._shown_once = True
            # Focus set before the window exists is lost on some platforms: set it once shown.
            QTimer.singleShot(0, self.form.focus_first)

    def _restore(self) -> None:
        geometry = self._window_state.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(960, 700)
        defaults = self.desk.destination.lead_defaults()
        self.form.set_values(defaults)
        draft = self.desk.draft.load()
        if draft:
            self.form.set_values(draft | {k: v for k, v in defaults.items() if not draft.get(k)})
            self.form.check_filled()
            self.show_result("Restored the lead you were typing before LeadDesk closed.")
        self.form.focus_first()

    def closeEvent(self, event: QCloseEvent) -> None:
        try:
            pending = self._pending()
        except StoreError:
            pending = 0  # the history is unreadable: nothing more can be done about it here
        if pending and not self._quitting and not self._close_when_sent:
            choice = self._ask_about_pending(pending)
            if choice == "cancel":
                event.ignore()
                return
            if choice == "wait":
                self._close_when_sent = True
                self.show_result(f"Closing once {pending} queued lead(s) are sent…")
                event.ignore()
                return
        self._autosave.stop()
        self.save_draft()
        self._window_state.setValue("window/geometry", self.saveGeometry())
        for section in (self.form.extra, self.form.destination):
            self._window_state.setValue(f"sections/{section.key}", section.is_expanded())
        self._window_state.sync()
        self.hide()  # closed for the agent at once, even while a post in flight finishes
        self.worker.stop()
        self.worker.wait()
        event.accept()

    def _ask_about_pending(self, pending: int) -> str:
        box = QMessageBox(self)
        box.setObjectName("pending_question")
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle("Leads still waiting")
        plural = "s are" if pending != 1 else " is"
        box.setText(f"{pending} lead{plural} still waiting to be sent.")
        box.setInformativeText(
            "Wait for them, or quit now: they stay queued and go out when LeadDesk starts again."
        )
        wait = box.addButton("&Wait, then close", QMessageBox.ButtonRole.AcceptRole)
        quit_now = box.addButton("&Quit now", QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(wait)
        box.exec()
        clicked = box.clickedButton()
        if clicked is wait:
            return "wait"
        if clicked is quit_now:
            self._quitting = True
            return "quit"
        return "cancel"


def _name(lead: StoredLead) -> str:
    return f"{lead.lead.fname} {lead.lead.lname}".strip()


def _notice_text(lead: StoredLead) -> str:
    reason = "; ".join(lead.errors) or "no reason given"
    if lead.state is State.REJECTED:
        return f"Lead {lead.id} ({_name(lead)}) was rejected by the dealer: {reason}"
    if lead.state is State.FAILED:
        return f"Lead {lead.id} ({_name(lead)}) could not be delivered: {reason}"
    return (
        f"Lead {lead.id} ({_name(lead)}) is unconfirmed: {reason} "
        "Check with the dealer before resending."
    )
