"""QApplication set-up and the GUI's main()."""

from __future__ import annotations

import importlib
import logging
import os
import select
import signal
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QSocketNotifier, QTimer, Slot
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from leaddesk import __version__, resources
from leaddesk.config.paths import Paths
from leaddesk.domain.errors import SettingsError, StoreError, UsageError
from leaddesk.domain.zip_lookup import ZipDirectory
from leaddesk.gui.draft_keeper import draft_for
from leaddesk.gui.garbage import GuiThreadCollector
from leaddesk.gui.main_window import MainWindow
from leaddesk.gui.style_property import follow_the_palette

if TYPE_CHECKING:
    from leaddesk.app.context import Context

log = logging.getLogger(__name__)


# After attach, while the agent reads: the worker, the ZIP index, the phone formatter.
WORKER_START_MS = 100
ZIPS_WARM_UP_MS = 200
PHONES_IMPORT_MS = 300

UPDATING_HISTORY = "Updating the history for this version of LeadDesk…"
HISTORY_UPDATED = "The history is updated for this version of LeadDesk."


# Qt's raster engine splits every fill taller than about 96 pixel rows (a scroll bar's
# groove, a pane's background) among a pool of threads and waits for them. For a form and
# a table those hand-offs cost more than the fills they share out (bench/history_pane.py
# measures the history's first screen), and nothing LeadDesk draws is large enough to
# gain from threads. Qt reads it once, the first time it would use those threads (in
# practice the first tall fill), so it must be set before anything is painted; any value,
# even 0, turns them off.
NO_FILL_THREADS = ("QT_NO_GUI_THREADPOOL", "1")


def create_application(argv: list[str] | None = None) -> QApplication:
    os.environ.setdefault(*NO_FILL_THREADS)
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("LeadDesk")
    app.setOrganizationName("LeadDesk")
    app.setApplicationVersion(__version__)
    app.setWindowIcon(application_icon())
    app.setDesktopFileName("leaddesk")  # Wayland and docks match the window to its icon
    # Follow the system switching between light and dark while LeadDesk runs.
    follow_the_palette(app)
    return app


def application_icon() -> QIcon:
    icon = QIcon()
    for path in resources.icon_files():
        icon.addFile(str(path))
    return icon


def run_gui(
    demo: bool = False,
    url: str | None = None,
    source_id: str | None = None,
    paths: Paths | None = None,
    link: dict[str, str] | None = None,
) -> int:
    app = create_application()
    collector = GuiThreadCollector(app)  # the worker threads must never free Qt objects
    with quit_requests() as requested, ExitStack() as resources:
        resources.callback(collector.stop)
        paths = paths or Paths.from_environment()
        window = MainWindow(paths, ZipDirectory(paths.cache_dir), draft_for(paths, demo), demo)
        # A quit request that came while starting waits in the socket until now.
        requested.activated.connect(window.request_quit)
        requested.setEnabled(True)
        starting = Starting(window, resources, demo, url, source_id, link)
        starting.quit_pending = lambda: _readable(requested)
        window.first_frame.connect(starting.finish)
        window.show()
        status = app.exec()
        if starting.error is not None:
            raise starting.error
        return starting.status if starting.status is not None else status


def open_link(
    values: dict[str, str], demo: bool = False, paths: Paths | None = None, start: bool = True
) -> int:
    """`leaddesk open`: hand a dialer link's fields to this home's open window, or start
    one that fills its form with them (`start`; else 1 when no window is open)."""
    from leaddesk.gui.single_instance import hand_over, server_name

    paths = paths or Paths.from_environment()
    try:
        handed = hand_over(server_name(paths, demo), values)
    except OSError as error:  # a window listens but did not answer
        log.warning("%s", error)
        print(f"leaddesk: {error}", file=sys.stderr)
        return 1
    if handed:
        log.info("Handed a dialer link to the open window.")
        return 0
    return run_gui(demo, paths=paths, link=values) if start else 1


class Starting:
    """The part of start-up that waits for the window's first frame: the settings (asking
    about a broken config file), the history, the sending worker. Their imports and work
    take several hundred milliseconds; the agent sees the form meanwhile."""

    def __init__(
        self,
        window: MainWindow,
        resources: ExitStack,
        demo: bool,
        url: str | None,
        source_id: str | None,
        link: dict[str, str] | None = None,
    ) -> None:
        self.window = window
        self.link = link  # a dialer's link to fill the form with, once attached
        self.resources = resources  # closed after the event loop: the store, the sandbox
        self.demo = demo
        self.url = url
        self.source_id = source_id
        self.status: int | None = None  # the exit status, when start-up itself failed
        # Raised again once the event loop has ended: a UsageError for the command line to
        # print, or a bug, with its traceback.
        self.error: Exception | None = None
        # Whether a quit request waits unread. One that came with the first frame would be
        # read only after this part, which starts from an event the frame posted: it
        # waits for the event loop to read the request (and close the window) instead.
        self.quit_pending: Callable[[], bool] = lambda: False

    @Slot()
    def finish(self) -> None:
        if self.quit_pending():  # a timer, unlike a posted event, waits for a turn of the loop
            QTimer.singleShot(1, self.finish)
            return
        if not self.window.isVisible():  # closed (or asked to quit) while starting
            return
        try:
            self._finish()
        except UsageError as error:
            # Told in the window too: started from a desktop shortcut, nobody reads the
            # command line's message.
            self._tell(str(error))
            self.error = error
            self._give_up(2)
        except (StoreError, SettingsError, OSError) as error:  # the disk, a locked file, …
            log.warning("LeadDesk could not start: %s", error)
            self._tell(str(error))
            self._give_up(2)
        except Exception as error:
            log.exception("start-up failed")
            self._tell(
                f"An unexpected error ({type(error).__name__}) stopped LeadDesk from starting."
            )
            self.error = error
            self._give_up(2)

    def _tell(self, message: str) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(self.window, "LeadDesk cannot start", message)

    def _finish(self) -> None:
        from leaddesk.app.desk import Desk
        from leaddesk.config.settings import Destination
        from leaddesk.gui.worker import SendWorker
        from leaddesk.history.store_file import needs_update

        context = _load_context(self.demo, self.window, self.window.paths)
        if context is None:  # the agent chose Quit (or a quit request answered the question)
            self._give_up(0 if self.window.quit_requested else 2)
            return
        self.resources.enter_context(context)
        try:
            destination = context.destination(self.url, self.source_id)
        except UsageError:
            if self.url is not None or self.source_id is not None:
                raise
            destination = Destination()  # none configured yet: the window says how to add one
        updating = needs_update(context.paths.database(demo=self.demo))
        told_before = self.window.result_label.text()
        if updating:  # seconds for a long history, with the window held: say so first
            self.window.show_result(UPDATING_HISTORY)
            self.window.result_label.repaint()
        window = self.window
        try:
            desk = Desk.open(context, destination, window.draft, window.zips)
        except StoreError as error:
            from PySide6.QtWidgets import QMessageBox  # its names load only when it is needed

            QMessageBox.critical(self.window, "LeadDesk cannot open its history", str(error))
            self._give_up(2)
            return
        self.resources.callback(desk.close)
        desk.take_demo_leads()
        worker = SendWorker(desk.outboxes(), context.settings.sending)
        window.attach(desk, worker)
        # Ready to submit. Dialer links come with calls, not in the first moment: their
        # server starts in the next turn of the event loop.
        self._soon(0, self._serve_links)
        if window.result_label.text() == UPDATING_HISTORY:  # done: what was said before
            window.show_result(told_before or HISTORY_UPDATED)
        # Then, while the agent reads: the worker, the ZIP index and the phone formatter.
        self._soon(WORKER_START_MS, worker.start)
        self._soon(ZIPS_WARM_UP_MS, desk.zips.warm_up_in_background)
        self._soon(PHONES_IMPORT_MS, _import_in_background)
        if not self.demo and not destination.url:
            self._soon(PHONES_IMPORT_MS, lambda: _welcome(window))

    def _serve_links(self) -> None:
        """Take dialer links from `leaddesk open`, and fill the one this window started with."""
        from leaddesk.gui.link_inbox import serve_links
        from leaddesk.gui.single_instance import hand_over

        inbox, server = serve_links(self.window, self.window.paths, self.demo)
        self.resources.callback(server.close)  # the socket file goes with the window
        link = self.link
        if link is not None and not server.listening:
            # `leaddesk open` raced another start, whose window listens: that one gets the
            # link, and this one goes, so that the home keeps one window.
            try:
                handed = hand_over(server.name, link)
            except OSError:
                handed = False
            if handed:
                self.status = 0
                self.window.request_quit()
                return
        if link:  # once start-up is done: it may ask about a restored draft
            QTimer.singleShot(0, self.window, lambda: inbox.receive(link))

    def _soon(self, ms: int, action: Callable[[], object]) -> None:
        """Run `action` in `ms` unless the window has been closed by then: a worker started
        after the window closed would go on sending behind a store already closed."""
        window = self.window
        QTimer.singleShot(ms, window, lambda: action() if window.isVisible() else None)

    def _give_up(self, status: int) -> None:
        self.status = status
        self.window.close()


def _import_in_background() -> None:
    """phonenumbers builds its tables at import, which takes a while: on a thread, not at the first
    digit the agent types."""
    threading.Thread(
        target=importlib.import_module, args=("phonenumbers",), name="import", daemon=True
    ).start()


QUIT_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGINT", "SIGHUP") if hasattr(signal, name)
)


@contextmanager
def quit_requests() -> Iterator[QSocketNotifier]:
    """SIGTERM, SIGINT (Ctrl+C) and SIGHUP as a request to quit, told by a notifier that
    is disabled until the window connects to it.

    Python runs a signal handler only between bytecodes, which never happen while Qt waits
    for events; so the handler does nothing itself and the signal's number, written by
    Python's C-level handler to a socket (signal.set_wakeup_fd), wakes the event loop. A
    signal that arrives before the window exists waits in the socket: it cannot kill the
    app half-started.
    """
    reader, writer = socket.socketpair()
    reader.setblocking(False)
    writer.setblocking(False)
    previous_fd = signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    previous = {
        number: signal.signal(number, _noted_by_wakeup_fd)
        for number in QUIT_SIGNALS
        if signal.getsignal(number) is not signal.SIG_IGN  # nohup, `leaddesk &`: stay ignored
    }
    notifier = QSocketNotifier(reader.fileno(), QSocketNotifier.Type.Read)
    notifier.setEnabled(False)
    notifier.activated.connect(lambda: _drain(reader))  # connected first: runs first
    try:
        yield notifier
    finally:
        notifier.setEnabled(False)
        for number, handler in previous.items():
            signal.signal(number, handler)
        signal.set_wakeup_fd(previous_fd)
        reader.close()
        writer.close()


def _readable(notifier: QSocketNotifier) -> bool:
    """Whether the socket under an enabled `notifier` has something to read, without
    reading it."""
    if not notifier.isEnabled():
        return False
    ready, _, _ = select.select([notifier.socket()], [], [], 0)
    return bool(ready)


def _noted_by_wakeup_fd(_number: int, _frame: object) -> None:
    """The wakeup socket tells the event loop; nothing to do between bytecodes."""


def _drain(reader: socket.socket) -> None:
    try:
        while reader.recv(64):
            pass
    except (BlockingIOError, InterruptedError):
        pass


def _load_context(
    demo: bool, parent: QWidget | None = None, paths: Paths | None = None
) -> Context | None:
    """The settings, asking the agent what to do when a config file cannot be used."""
    from leaddesk.app.context import Context

    paths = paths or Paths.from_environment()
    use_site = True
    while True:
        try:
            return Context.from_environment(demo=demo, use_site=use_site, paths=paths)
        except SettingsError as error:
            # Loaded only when a file cannot be used, not on every start.
            from PySide6.QtWidgets import QMessageBox

            from leaddesk.config.config_files import set_aside
            from leaddesk.gui.startup_dialogs import BrokenConfig, ask_about_broken_config

            if error.path is not None and error.path == paths.site_config_file:
                QMessageBox.warning(
                    parent,
                    "Machine-wide settings cannot be read",
                    f"{error}\n\nLeadDesk starts without them; please tell your IT admin.",
                )
                use_site = False
                continue
            path = error.path or paths.config_file
            choice = ask_about_broken_config(str(error), path, parent)
            if choice is BrokenConfig.QUIT:
                return None
            if choice is BrokenConfig.DEFAULTS and path.exists():
                set_aside(path)


def _welcome(window: MainWindow) -> None:
    from PySide6.QtCore import QProcess

    from leaddesk.gui.startup_dialogs import Welcome, welcome

    choice = welcome(window)
    if choice is Welcome.ADD:
        window.open_settings()
    elif choice is Welcome.DEMO:
        # A fresh process in demo mode: its leads and sandbox are kept apart from real ones.
        QProcess.startDetached(sys.executable, [*_own_command(), "--demo"])
        window.close()


def _own_command() -> list[str]:
    """How to start LeadDesk again: the frozen app itself, or this Python with -m."""
    return [] if getattr(sys, "frozen", False) else ["-m", "leaddesk"]
