"""The window an agent keeps open all day: the lead form, notices, status bar and menus.

It is built in two steps so that it is on screen as soon as Qt can show it: the window
itself, from the field list and the draft (no settings models, no history, no network
code), then `attach` with the desk (settings, store) and the sending worker, which the
app does once the first frame is painted. Tests use `open_window`, which does both.

Parts with a job of their own live in modules beside this one, owned by the window:
EditSession (edit and resend), StatusLine (the status bar), WindowMenus (menus and
shortcuts), WindowState (window.ini) and FirstFrameWatch (when the first frame is shown).
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from leaddesk import __version__
from leaddesk.config.draft import Draft
from leaddesk.config.paths import Paths
from leaddesk.domain.errors import StoreError
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import NEEDS_ATTENTION, PENDING, State
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.destination_picker import DestinationPicker
from leaddesk.gui.edit_session import EditSession
from leaddesk.gui.first_frame import FirstFrameWatch
from leaddesk.gui.lead_form import LeadForm
from leaddesk.gui.notifications import NotificationArea
from leaddesk.gui.status_line import StatusLine
from leaddesk.gui.window_menus import WindowMenus
from leaddesk.gui.window_state import WindowState

# Dialogs (QMessageBox, leaddesk.gui.questions) are imported where they are asked: none
# is part of the first frame, and their Qt types cost milliseconds to set up.

if TYPE_CHECKING:
    from leaddesk.app.desk import Desk
    from leaddesk.config.config_files import Loaded
    from leaddesk.config.settings import Destination
    from leaddesk.domain.lead import Lead
    from leaddesk.gui.collapsible import CollapsibleSection
    from leaddesk.gui.history_pane import HistoryPane
    from leaddesk.gui.worker import SendWorker
    from leaddesk.history.store import StoredLead
    from leaddesk.sending.outbox import Progress

AUTOSAVE_MS = 1000
DOUBLE_PRESS_SECONDS = 1.0

log = logging.getLogger(__name__)


def draft_for(paths: Paths, demo: bool) -> Draft:
    """The lead being typed, kept apart for demo mode as demo leads are."""
    return Draft(paths.data_dir / ("demo-draft.json" if demo else "draft.json"))


def open_window(desk: Desk, worker: SendWorker) -> MainWindow:
    """The whole window at once: built, then attached to this desk and worker."""
    window = MainWindow(desk.paths, desk.zips, desk.draft, demo=desk.demo)
    window.attach(desk, worker)
    return window


class MainWindow(QMainWindow):
    first_frame = Signal()  # once, after the first frame has been painted on screen

    # Set by attach(); nothing that uses them can run before (the actions that lead to
    # them are disabled, and closing checks `attached`).
    desk: Desk
    worker: SendWorker
    history: HistoryPane

    def __init__(self, paths: Paths, zips: ZipDirectory, draft: Draft, demo: bool = False) -> None:
        super().__init__()
        self.paths = paths
        self.demo = demo
        self.draft = draft
        self.zips = zips
        self.attached = False
        self._submitting = False
        self._last_queued_at = float("-inf")
        self._close_when_sent = False
        self._quitting = False
        self._shown_once = False
        self._restored: dict[str, str] = {}  # the draft restored at start
        self.setObjectName("main_window")
        self.setWindowTitle("LeadDesk — demo (sandbox)" if demo else "LeadDesk")
        self._window_state = WindowState(paths.config_dir / "window.ini")

        self.notifications = NotificationArea(self)
        self.form = LeadForm(zips, self)
        self.form.edited.connect(self._schedule_autosave)
        self._window_state.restore_sections(self._folded_sections())
        self.new_button = QPushButton("&New lead", self)
        self.new_button.setObjectName("new_lead")
        self.new_button.setToolTip("Clear the form for the next call (Ctrl+N or Esc)")
        self.new_button.clicked.connect(self.new_lead)
        self.submit_button = QPushButton("&Submit lead", self)
        self.submit_button.setObjectName("submit")
        self.submit_button.setDefault(False)
        self.submit_button.setToolTip("Store the lead and send it (Ctrl+Enter)")
        self.submit_button.clicked.connect(self.submit)
        self.history_dock = QDockWidget("&History", self)
        self.history_dock.setObjectName("history_dock")
        loading = QLabel("Opening the history…", self.history_dock)
        loading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.history_dock.setWidget(loading)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.history_dock)
        self.picker = DestinationPicker(self)
        self.edit_session = EditSession(self, self.form, self.picker, self.submit_button)
        self.edit_banner = self.edit_session.banner  # above the form, in _build_central
        self._build_central()
        self.menus = WindowMenus(self)
        self.status_line = StatusLine(self)
        # Its labels, by the names the window has always had for them.
        self.result_label = self.status_line.result_label
        self.queue_label = self.status_line.queue_label
        self.attention_label = self.status_line.attention_label

        self._autosave = QTimer(self)
        self._autosave.setSingleShot(True)
        self._autosave.setInterval(AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._first_frame_watch = FirstFrameWatch(self)
        self._first_frame_watch.painted.connect(self.first_frame)
        self._window_state.restore_window(self, self.history_dock)
        self._restore_draft()
        self._set_ready(False)

    def attach(self, desk: Desk, worker: SendWorker) -> None:
        """Start working: the settings and history of `desk`, leads sent by `worker`."""
        from leaddesk.gui.history_pane import HistoryPane
        from leaddesk.gui.queue_watch import watch_queue

        self.desk = desk
        self.worker = worker
        self.form.build_sections()
        self.history = HistoryPane(desk.store, worker.wake, self, resend_to=desk.resend_url)
        self.history.edit_requested.connect(self.edit_lead)
        self.history.attention_changed.connect(self._show_attention)
        self.history_dock.setWidget(self.history)
        self.queue_watch = watch_queue(self)
        self.menus.fill_leads_menu(
            (
                self.history.resend_action,
                self.queue_watch.control.send_to_action,
                self.queue_watch.control.retry_action,
                self.history.edit_action,
                self.history.copy_action,
                self.history.export_action,
            )
        )
        self.no_destination.setVisible(not desk.destination.url)
        self.picker.chosen.connect(self._on_destination)
        worker.progressed.connect(self.on_progress)
        worker.problem.connect(self.on_worker_problem)
        # Offering the destinations puts the chosen one's values in the lead source fields;
        # what the restored draft holds there wins, as it did before LeadDesk closed.
        kept = {name: value for name, value in self.form.values().items() if value}
        self._offer_destinations()
        self.form.set_values(desk.lead_defaults() | kept)
        if self._restored:
            self.form.check_filled()
        told = self.edit_session.check_restored(desk)
        if told:
            self.show_result(told)
        self._show_attention(self.history.attention)
        self.refresh_counts()
        self._set_ready(True)
        self.attached = True

    # --- building -------------------------------------------------------------------

    def _build_central(self) -> None:
        central = QWidget(self)
        layout = QVBoxLayout(central)
        if self.demo:
            banner = QLabel(
                "Demo mode: leads go to a built-in sandbox, not to a dealer, "
                "and are kept apart from real ones.",
                central,
            )
            banner.setObjectName("demo_banner")
            banner.setWordWrap(True)
            layout.addWidget(banner)
        self.no_destination = QLabel(
            "No destination is set, so leads cannot be sent. Add one in Settings (Ctrl+,), "
            "start LeadDesk with --url and --source-id, or try --demo.",
            central,
        )
        self.no_destination.setObjectName("no_destination")
        self.no_destination.setWordWrap(True)
        self.no_destination.hide()  # until the settings say (attach)
        layout.addWidget(self.no_destination)
        layout.addWidget(self.picker)
        layout.addWidget(self.edit_banner)
        scroll = QScrollArea(central)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not here
        scroll.setWidget(self.form)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.notifications)  # below the form: a notice never moves a field
        buttons = QHBoxLayout()
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        buttons.addWidget(self.submit_button)
        layout.addLayout(buttons)
        self.setCentralWidget(central)

    def _set_ready(self, ready: bool) -> None:
        """What needs the settings and the history waits for attach; typing does not."""
        self.menus.set_ready(ready)
        self.submit_button.setEnabled(ready)
        self.new_button.setEnabled(ready)

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
        from PySide6.QtWidgets import QMessageBox

        defaults = self.desk.lead_defaults()
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
        problems = self.desk.destination.problems()
        if problems and not self.desk.destination.url and not self.desk.settings.offered():
            self.show_result(
                "No destination is set: the lead stays in the form. Add one in Settings (Ctrl+,)."
            )
            return
        if problems:
            self.show_result(
                f"Cannot send to {self.desk.destination.name}: {', '.join(problems)}. "
                "The lead stays in the form; see Settings (Ctrl+,)."
            )
            return
        try:
            if self.edit_session.lead_id is not None:
                lead_id = self.edit_session.resend(self.desk, lead)
                done = f"Lead {lead_id} ({lead.fname} {lead.lname}) fixed and queued again."
            else:
                queued = self._queue_unless_duplicate(lead)
                if queued is None:
                    return
                lead_id = queued
                done = f"Lead {lead_id} ({lead.fname} {lead.lname}) queued."
        except (StoreError, ValueError) as error:
            QMessageBox.critical(
                self,
                "Lead not saved",
                f"{error}\n\nThe lead was not saved; it is still in the form.",
            )
            return
        self._start_over(done)
        self.worker.wake()
        self._last_queued_at = time.monotonic()
        self.history.lead_added(lead_id)
        self.refresh_counts()

    def _queue_unless_duplicate(self, lead: Lead) -> int | None:
        """Queue the form's lead, asking first if it is likely a duplicate; its id, or None
        when the agent keeps it in the form. The guard and the insert are one transaction,
        and "Send anyway" lets through only the lead the agent was told of: one another
        LeadDesk queued meanwhile is asked about too, never queued twice in silence."""
        from leaddesk.gui import questions
        from leaddesk.history.duplicate_guard import DuplicateOf, Queued

        destination = self.desk.destination
        days = self.desk.settings.sending.duplicate_days
        approved: set[int] = set()
        while True:
            (verdict,) = self.desk.store.queue_unless_duplicate(
                [(lead, destination.url)],
                days,
                destination_name=destination.name,
                approved=approved,
            )
            if isinstance(verdict, Queued):
                return verdict.lead_id
            assert isinstance(verdict, DuplicateOf)  # one item: no earlier item to repeat
            earlier = self.desk.store.get(verdict.lead_id)
            if earlier is not None:  # (None: purged meanwhile, nothing left to ask about)
                answer = questions.send_despite_duplicate(self, earlier)
                if answer is questions.Duplicate.SHOW:
                    self.show_lead_in_history(earlier.id)
                if answer is not questions.Duplicate.SEND:
                    return None
            approved.add(verdict.lead_id)

    def show_lead_in_history(self, lead_id: int) -> None:
        """Select a lead in the history, clearing a filter or search that hides it."""
        self.history_dock.show()
        if not self.history.select_lead(lead_id):
            self.history.show_everything()
            self.history.select_lead(lead_id)

    @Slot()
    def new_lead(self) -> None:
        from leaddesk.gui import questions

        if not self.attached:  # Esc in the first moments: nothing to start over from yet
            return
        defaults = self.desk.lead_defaults()
        what = self.edit_session.unsent_changes()
        if self.form.has_call_data(defaults) and not questions.discard_typed_lead(self, what):
            return
        self._start_over("New lead.")

    def _start_over(self, message: str) -> None:
        self.draft.clear()
        self._autosave.stop()
        self.edit_session.end()
        self.form.clear_call(self.desk.lead_defaults())
        self.show_result(message)

    @Slot()
    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        paths = self.paths
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
        defaults = self.desk.lead_defaults() if self.attached else {}
        try:
            if self.form.has_call_data(defaults):
                self.draft.save(self.form.values() | self.edit_session.draft_entries())
            else:
                self.draft.clear()
        except OSError as error:
            self.show_result(f"Could not save the form's draft: {error.strerror or error}.")

    # --- what the worker reports ----------------------------------------------------

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        from leaddesk.sending.outbox import Stage

        for lead in progress.leads:
            if progress.stage is Stage.DONE and lead.state is State.ACCEPTED:
                self.show_result(
                    f"Lead {lead.id} ({_name(lead)}) accepted — customer {lead.customer_id}."
                )
            elif lead.state in NEEDS_ATTENTION and not self.queue_watch.speaks_for(lead):
                self.notifications.notify(f"lead-{lead.id}", _notice_text(lead))
                self.show_result(f"Lead {lead.id} ({_name(lead)}) {lead.state.value}: see above.")
        self.queue_watch.on_progress(progress)
        self.history.on_progress(progress)
        self.refresh_counts()
        if self._close_when_sent and self._pending() == 0:
            self.close()

    @Slot(str)
    def on_worker_problem(self, message: str) -> None:
        self.notifications.notify("worker", message, severity="warning")

    def refresh_counts(self) -> None:
        self.status_line.show_queue(self.desk.store)

    @Slot(int)
    def _show_attention(self, count: int) -> None:
        # A window slot, not StatusLine's method connected straight to the history's signal:
        # a plain method has no thread of its own for Qt to deliver the signal in.
        self.status_line.show_attention(count)

    @Slot()
    def find_in_history(self) -> None:
        self.history_dock.show()
        self.history.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.history.search.selectAll()

    # --- destinations and settings ----------------------------------------------------

    def _offer_destinations(self) -> None:
        remembered = self._window_state.remembered_destination()
        self.picker.set_destinations(*self.desk.offered(remembered))

    @Slot(object)
    def _on_destination(self, destination: Destination) -> None:
        """Another dealer: its values replace the lead source fields; the call stays."""
        from leaddesk.config.settings import DESTINATION_FIELDS

        self.desk.destination = destination
        defaults = self.desk.lead_defaults()
        # The destination's fields and the rep (the agent's name) are the lead's source.
        source_fields = (*DESTINATION_FIELDS, "lead_callcenter_rep")
        self.form.set_values({name: defaults.get(name, "") for name in source_fields})
        self.no_destination.setVisible(not destination.url)
        if destination in self.desk.settings.offered():
            self._window_state.remember_destination(destination.name)

    @Slot()
    def open_settings(self) -> None:
        from leaddesk.gui.settings_dialog import SettingsDialog  # built only when opened

        if self.desk.loaded is None:
            self.show_result("Settings cannot be changed in this mode.")
            return
        dialog = SettingsDialog(self.desk.paths, self.desk.loaded, self.desk.store, self)
        if dialog.exec() and dialog.saved is not None:
            self.apply_settings(dialog.saved)

    def apply_settings(self, loaded: Loaded) -> None:
        old = self.desk.settings
        self.desk.apply(loaded)
        self.worker.use_sending(loaded.settings.sending)
        self._offer_destinations()
        sent = self.queue_watch.settings_changed(old, loaded.settings)  # a fixed destination
        self.show_result(f"Settings saved. {sent}".strip())

    # --- edit and resend --------------------------------------------------------------

    @Slot(int)
    def edit_lead(self, lead_id: int) -> None:
        """The history's "Edit and resend": the lead in the form, to fix (EditSession)."""
        told = self.edit_session.start(self.desk, lead_id)
        if told is not None:
            self.show_result(told)

    def show_result(self, text: str) -> None:
        self.status_line.show_result(text)

    def _pending(self) -> int:
        """Leads still to be sent: not those that wait for a destination's fix, which no
        wait at closing would send."""
        store = self.desk.store
        return sum(store.counts(PENDING).values()) - sum(hold.waiting for hold in store.holds())

    # --- starting and closing -------------------------------------------------------

    def _restore_draft(self) -> None:
        """The lead being typed when LeadDesk last closed, back in the form at once; a fix
        in progress stays a fix of the same lead. Its fields are checked once the form is
        attached (the checks load phonenumbers and email-validator)."""
        draft = self.edit_session.restore(self.draft.load())
        self._restored = draft
        self.form.set_values(draft)
        if draft:
            self.show_result("Restored the lead you were typing before LeadDesk closed.")
        self.form.focus_first()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:  # not on every restore from minimised: the agent may be typing
            self._shown_once = True
            # Focus set before the window exists is lost on some platforms: set it once shown.
            QTimer.singleShot(0, self.form.focus_first)
            self._first_frame_watch.watch(self.windowHandle())

    @property
    def quit_requested(self) -> bool:
        """Whether a quit was asked from outside (request_quit) or chosen when closing."""
        return self._quitting

    @Slot()
    def request_quit(self) -> None:
        """Quit asked from outside (SIGTERM, Ctrl+C in the terminal): close as File → Quit
        does, without asking: the draft is saved, the worker stopped, queued leads stay
        queued and go out at the next start. An open question or dialog is answered with
        its safe choice first (Esc), once its own event loop has ended."""
        from PySide6.QtWidgets import QDialog

        if not self._quitting:
            try:
                pending = self._pending() if self.attached else 0
            except StoreError:
                pending = 0
            log.info("Quit requested; %d lead(s) stay queued for the next start.", pending)
        self._quitting = True
        modal = QApplication.activeModalWidget()
        if modal is not None:
            if isinstance(modal, QDialog):
                modal.reject()
            else:
                modal.close()
            QTimer.singleShot(0, self.request_quit)
            return
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        from leaddesk.gui import questions

        if not self.attached:  # closed while starting: no worker to stop yet
            self._autosave.stop()
            self.save_draft()
            self._window_state.save(self, self._folded_sections())
            history = getattr(self, "history", None)  # built if attach failed after it
            if history is not None:
                history.shutdown()
            event.accept()
            return
        try:
            pending = self._pending()
        except StoreError:
            pending = 0  # the history is unreadable: nothing more can be done about it here
        if pending and not self._quitting and not self._close_when_sent:
            choice = questions.close_with_pending(self, pending)
            self._quitting = self._quitting or choice is questions.Closing.QUIT
            if choice is questions.Closing.CANCEL:
                event.ignore()
                return
            if choice is questions.Closing.WAIT:
                self._close_when_sent = True
                self.show_result(f"Closing once {pending} queued lead(s) are sent…")
                event.ignore()
                return
        self._autosave.stop()
        self.save_draft()
        self._window_state.save(self, self._folded_sections())
        self.history.shutdown()
        self.hide()  # closed for the agent at once, even while a post in flight finishes
        self.worker.stop()
        self.worker.wait()
        event.accept()

    def _folded_sections(self) -> tuple[CollapsibleSection, ...]:
        """The form's sections that fold away; window.ini remembers which are open."""
        return (self.form.extra, self.form.destination)


def _name(lead: StoredLead) -> str:
    return f"{lead.lead.fname} {lead.lead.lname}".strip()


def _notice_text(lead: StoredLead) -> str:
    reason = "; ".join(lead.errors) or "no reason given"
    look = STATE_LOOKS[lead.state]
    caution = f" {look.caution}." if look.caution else ""
    return f"Lead {lead.id} ({_name(lead)}) {look.happened}: {reason}{caution}"
