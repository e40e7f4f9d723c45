"""The window an agent keeps open all day: the lead form, notices, status bar and menus.

It is built in two steps so that it is on screen as soon as Qt can show it: the window
itself, from the field list and the draft (no settings models, no history, no network
code), then `attach` with the desk (settings, store) and the sending worker, which the
app does once the first frame is painted. Tests use `open_window`, which does both.

Parts with a job of their own live in modules beside this one, owned by the window:
SubmitFlow (Submit), EditSession (edit and resend), DraftKeeper (the autosaved draft),
DestinationChoice, StatusLine,
WindowMenus (menus and shortcuts; handed the window's slots), WindowState (window.ini),
FirstFrameWatch (when the first frame is shown); lay_out_central places the parts.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtGui import QCloseEvent, QShowEvent
from PySide6.QtWidgets import (
    QDockWidget,
    QLabel,
    QMainWindow,
    QPushButton,
)

from leaddesk.config.draft import Draft
from leaddesk.config.paths import Paths
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui import settings_flow
from leaddesk.gui.announce import announce
from leaddesk.gui.closing import CloseGuard, pending_if_readable
from leaddesk.gui.destination_picker import DestinationPicker
from leaddesk.gui.draft_keeper import DraftKeeper
from leaddesk.gui.edit_session import EditSession
from leaddesk.gui.field_message import show_whole_in_notices
from leaddesk.gui.first_frame import FirstFrameWatch
from leaddesk.gui.lead_form import LeadForm
from leaddesk.gui.notifications import NotificationArea
from leaddesk.gui.status_line import StatusLine
from leaddesk.gui.window_layout import HistoryPlace, lay_out_central
from leaddesk.gui.window_menus import MenuCommands, WindowMenus
from leaddesk.gui.window_state import WindowState, fit_on_screen

# Dialogs (QMessageBox, leaddesk.gui.questions) are imported where they are asked: none
# is part of the first frame, and their Qt types cost milliseconds to set up.

if TYPE_CHECKING:
    from leaddesk.app.desk import Desk
    from leaddesk.config.config_files import Loaded
    from leaddesk.gui.collapsible import CollapsibleSection
    from leaddesk.gui.destination_choice import DestinationChoice
    from leaddesk.gui.floor_link import FloorLink
    from leaddesk.gui.history.pane import HistoryPane
    from leaddesk.gui.submit_flow import SubmitFlow
    from leaddesk.gui.worker import SendWorker
    from leaddesk.sending.progress import Progress

log = logging.getLogger(__name__)

WORKER_NOTICE_KEY = "worker"  # the sender's own trouble with the history


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
    submit_flow: SubmitFlow
    destinations: DestinationChoice

    def __init__(self, paths: Paths, zips: ZipDirectory, draft: Draft, demo: bool = False) -> None:
        super().__init__()
        self.paths = paths
        self.demo = demo
        self.draft = draft
        self.zips = zips
        self.attached = False
        self.floor_link: FloorLink | None = None  # team mode (gui/team_window.py)
        self.closing = CloseGuard()
        self._shown_once = False
        self._restored: dict[str, str] = {}  # the draft restored at start
        self.setObjectName("main_window")
        self.setWindowTitle("LeadDesk — demo (sandbox)" if demo else "LeadDesk")
        self._window_state = WindowState(paths.config_dir / "window.ini")

        self.notifications = NotificationArea(self)
        self.form = LeadForm(zips, self)
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
        self.edit_banner = self.edit_session.banner  # above the form
        self.no_destination = lay_out_central(
            self,
            demo=demo,
            above_form=(self.picker, self.edit_banner),
            form=self.form,
            below_form=self.notifications,
            buttons=(self.new_button, self.submit_button),
        )
        self.menus = WindowMenus(
            self,
            self.history_dock,
            MenuCommands(
                submit=self.submit, new_lead=self.new_lead, open_settings=self.open_settings,
                quit=self.close, find_in_history=self.find_in_history, show_about=self.show_about,
            ),
        )  # fmt: skip
        self.status_line = StatusLine(self)
        # Its labels, by the names the window has always had for them.
        self.result_label = self.status_line.result_label
        self.queue_label = self.status_line.queue_label
        self.attention_label = self.status_line.attention_label

        self.drafts = DraftKeeper(
            self,
            draft,
            self.form,
            self.edit_session,
            self.status_line.show_result,
            self.notifications,
        )
        self.draft = self.drafts.draft  # this window's own, beside another window's
        self._first_frame_watch = FirstFrameWatch(self)
        self._first_frame_watch.painted.connect(self.first_frame)
        self._window_state.restore_window(self, self.history_dock)
        self.history_place = HistoryPlace(
            self, self.history_dock, self.form, self.menus.history_toggle
        )
        self.status_line.offer_history(self.history_place, self.menus.history_toggle)
        show_whole_in_notices(self.form, self.notifications)
        self._restored = self.drafts.restore()  # checked once attached
        self.form.focus_first()
        self._set_ready(False)

    def attach(self, desk: Desk, worker: SendWorker) -> None:
        """Start working: the settings and history of `desk`, leads sent by `worker`."""
        from leaddesk.gui.destination_choice import DestinationChoice
        from leaddesk.gui.history.pane import HistoryPane
        from leaddesk.gui.import_menu import import_action
        from leaddesk.gui.queue_watch import watch_queue
        from leaddesk.gui.submit_flow import SubmitFlow
        from leaddesk.gui.team_window import join_floor

        self.desk = desk
        self.worker = worker
        self.drafts.defaults = desk.lead_defaults
        self.form.build_sections()
        self.history = HistoryPane(desk.history, worker.wake, self, resend_to=desk.resend_url)
        self.history.edit_requested.connect(self.edit_lead)
        self.history.attention_changed.connect(self._show_attention)
        self.history_dock.setWidget(self.history)
        self.submit_flow = SubmitFlow(
            self, desk, self.form, self.edit_session,
            self.show_result, self.show_lead_in_history, self._lead_queued,
        )  # fmt: skip
        self.queue_watch = watch_queue(
            desk,
            self.history,
            self.notifications,
            worker.wake,
            self.show_result,
            self.open_settings,
        )
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
        self.menus.add_import(import_action(self, desk, worker.wake))
        self.menus.reach_from_anywhere(
            self, self.history.resend_action, self.history.edit_action,
            self.history.selected_ids, self.show_result,
        )  # fmt: skip
        self.destinations = DestinationChoice(
            desk, self.picker, self.form, self.no_destination, self._window_state
        )
        self.floor_link = join_floor(
            desk, self.notifications, self.show_result, self.history, self.submit_flow,
            self.queue_watch.control, self,
        )  # fmt: skip
        worker.progressed.connect(self.on_progress)
        worker.problem.connect(self.on_worker_problem)
        # Offering the destinations puts the chosen one's values in the lead source fields;
        # what the restored draft holds there wins, as it did before LeadDesk closed.
        kept = {name: value for name, value in self.form.values().items() if value}
        self.destinations.offer()
        self.form.set_values(desk.lead_defaults() | kept)
        if self._restored:
            self.form.check_filled()
        told = self.edit_session.check_restored(desk, self._restored)
        if told:
            self.show_result(told)
        self._show_attention(self.history.attention)
        self.refresh_counts()
        self._set_ready(True)
        self.attached = True

    # --- building -------------------------------------------------------------------

    def _set_ready(self, ready: bool) -> None:
        """What needs the settings and the history waits for attach; typing does not."""
        self.menus.set_ready(ready)
        self.submit_button.setEnabled(ready)
        self.new_button.setEnabled(ready)

    # --- the agent's actions ----------------------------------------------------------

    @Slot()
    def submit(self) -> None:
        """Store the lead in the outbox and clear the form at once (SubmitFlow)."""
        self.submit_flow.submit()

    def _lead_queued(self, lead_id: int, message: str) -> None:
        self._start_over(message)
        self.worker.wake()
        self.history.lead_added(lead_id)
        self.refresh_counts()
        if self.floor_link is not None:
            self.floor_link.sync_now()  # other desks' guards see it soon

    def show_lead_in_history(self, lead_id: int) -> None:
        """Select a lead in the history, clearing a filter or search that hides it."""
        self.history_dock.show()
        if self.floor_link is not None:
            self.floor_link.show_my_desk()
        if not self.history.select_lead(lead_id):
            self.history.show_everything()
            self.history.select_lead(lead_id)

    def go_to_lead_in_history(self, lead_id: int) -> None:
        """A notice's Show in history: the lead selected, and focus on it to act on it."""
        self.show_lead_in_history(lead_id)
        self.history.table.setFocus(Qt.FocusReason.OtherFocusReason)

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
        self.drafts.clear()
        self.edit_session.end()
        self.form.clear_call(self.desk.lead_defaults())
        self.show_result(message)

    @Slot()
    def show_about(self) -> None:
        from leaddesk.gui.about import show_about  # built only when asked for

        show_about(self, self.paths)

    @Slot()
    def save_draft(self) -> str | None:
        """What the autosave does a moment after each edit (DraftKeeper), now: None when
        saved, else why not (said in the status line)."""
        return self.drafts.save()

    # --- what the worker reports ----------------------------------------------------

    @Slot(object)
    def on_progress(self, progress: Progress) -> None:
        from leaddesk.gui.lead_reports import lead_offers, tell_about_leads
        from leaddesk.sending.progress import Stage

        watch = self.queue_watch
        if progress.stage in (Stage.SENDING, Stage.DONE):
            # The sender has written to the history again: its trouble has passed, and a
            # warning left up would say something false.
            self.notifications.dismiss(WORKER_NOTICE_KEY)
        offers = lead_offers(self.edit_lead, self.go_to_lead_in_history)
        tell_about_leads(progress, self.notifications, self.show_result, watch.speaks_for, offers)
        watch.on_progress(progress)
        self.history.on_progress(progress)
        self.refresh_counts()
        if self.closing.close_when_sent and self.desk.history.still_to_send() == 0:
            self.close()

    @Slot(str)
    def on_worker_problem(self, message: str) -> None:
        self.notifications.notify(WORKER_NOTICE_KEY, message, severity="warning")

    def refresh_counts(self) -> None:
        self.status_line.show_queue(self.desk.history)

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

    # --- settings ------------------------------------------------------------------

    @Slot()
    def open_settings(self) -> None:
        settings_flow.open_settings(self.desk, self, self.apply_settings)

    def apply_settings(self, loaded: Loaded) -> None:
        old = self.desk.settings
        self.desk.apply(loaded)
        self.worker.use_sending(loaded.settings.sending)
        self.destinations.offer()
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
        """In the status bar, and said to a screen reader: "queued", "accepted", a refusal."""
        self.status_line.show_result(text)
        announce(self.result_label, text)

    # --- starting and closing -------------------------------------------------------

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._shown_once:  # not on every restore from minimised: the agent may be typing
            self._shown_once = True
            fit_on_screen(self)  # its frame counted now that it has one
            # Focus set before the window exists is lost on some platforms: set it once shown.
            QTimer.singleShot(0, self.form.focus_first)
            self._first_frame_watch.watch(self.windowHandle())

    @property
    def quit_requested(self) -> bool:
        """Whether a quit was asked from outside (request_quit) or chosen when closing."""
        return self.closing.quitting

    @Slot()
    def request_quit(self) -> None:
        """Quit asked from outside (SIGTERM, Ctrl+C in the terminal): close as File → Quit
        does, without asking: the draft is saved, the worker stopped, queued leads stay
        queued and go out at the next start. An open question or dialog is answered with
        its safe choice first (Esc), once its own event loop has ended."""
        from leaddesk.gui import questions

        if not self.closing.quitting:
            pending = self._pending_if_readable()
            log.info("Quit requested; %d lead(s) stay queued for the next start.", pending)
        self.closing.quitting = True
        if questions.dismiss_open_dialog():
            QTimer.singleShot(0, self.request_quit)  # once the dialog's own loop has ended
            return
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        # Closed while starting (not attached): no worker to stop, no queue to ask about.
        if self.attached and not self._may_close():
            event.ignore()
            return
        self.drafts.timer.stop()
        self.save_draft()
        self.drafts.slot.release()  # saved: the next window may take it
        self._window_state.save(self, self._folded_sections())
        history = getattr(self, "history", None)  # built if attach failed after it
        if history is not None:
            history.shutdown()
        if self.floor_link is not None:
            self.floor_link.stop()
        if self.attached:
            self.hide()  # closed for the agent at once, even while a post in flight finishes
            self.worker.stop()
            self.worker.wait()
        event.accept()

    def _may_close(self) -> bool:
        history = self.desk.history if self.attached else None
        return self.closing.may_close(self, history, self.show_result)

    def _pending_if_readable(self) -> int:
        return pending_if_readable(self.desk.history if self.attached else None)

    def _folded_sections(self) -> tuple[CollapsibleSection, ...]:
        """The form's sections that fold away; window.ini remembers which are open."""
        return (self.form.extra, self.form.destination)
