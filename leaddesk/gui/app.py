"""QApplication set-up and the GUI's main()."""

from __future__ import annotations

import signal
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from string import Template

from PySide6.QtCore import QProcess, QSocketNotifier, QTimer
from PySide6.QtGui import QIcon, QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from leaddesk import __version__, resources
from leaddesk.cli_context import Context
from leaddesk.config_files import set_aside
from leaddesk.desk import Desk
from leaddesk.draft import Draft
from leaddesk.errors import SettingsError, StoreError, UsageError
from leaddesk.gui.main_window import MainWindow
from leaddesk.gui.startup_dialogs import BrokenConfig, Welcome, ask_about_broken_config, welcome
from leaddesk.gui.worker import SendWorker
from leaddesk.paths import Paths
from leaddesk.settings import Destination
from leaddesk.zip_lookup import ZipDirectory


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("LeadDesk")
    app.setOrganizationName("LeadDesk")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(stylesheet(app.palette()))
    app.setWindowIcon(application_icon())
    app.setDesktopFileName("leaddesk")  # Wayland and docks match the window to its icon
    # Follow the system switching between light and dark while LeadDesk runs.
    app.styleHints().colorSchemeChanged.connect(
        lambda _scheme: app.setStyleSheet(stylesheet(app.palette()))
    )
    return app


def stylesheet(palette: QPalette) -> str:
    """The stylesheet, with colours that read on the system's light or dark palette."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    colours = {
        "error": "#ff8a80" if dark else "#c62828",
        "notice": "#4a1f1f" if dark else "#fdecea",
        "warning": "#4a3b12" if dark else "#fff4d6",
    }
    return Template(resources.read_text("style.qss")).substitute(colours)


def application_icon() -> QIcon:
    icon = QIcon()
    for path in resources.icon_files():
        icon.addFile(str(path))
    return icon


def run_gui(demo: bool = False, url: str | None = None, source_id: str | None = None) -> int:
    app = create_application()
    with quit_requests() as requested:
        return _run(app, requested, demo, url, source_id)


def _run(
    app: QApplication,
    requested: QSocketNotifier,
    demo: bool,
    url: str | None,
    source_id: str | None,
) -> int:
    context = _load_context(demo)
    if context is None:
        return 2
    with context:
        try:
            destination = context.destination(url, source_id)
        except UsageError:
            if url is not None or source_id is not None:
                raise
            destination = Destination()  # none configured yet: the window says how to add one
        try:
            store = context.open_store()
        except StoreError as error:
            QMessageBox.critical(None, "LeadDesk cannot open its history", str(error))
            return 2
        with store:
            if demo:
                store.retarget_queued(destination.url)
            zips = ZipDirectory(context.paths.cache_dir)
            desk = Desk(
                paths=context.paths,
                settings=context.settings,
                destination=destination,
                store=store,
                draft=Draft(context.paths.data_dir / ("demo-draft.json" if demo else "draft.json")),
                zips=zips,
                demo=demo,
                loaded=None if demo else context.loaded,
            )
            worker = SendWorker(
                store.path, context.settings.sending, context.paths.data_dir / "senders"
            )
            window = MainWindow(desk, worker)
            # A quit request that came while starting waits in the socket until now.
            requested.activated.connect(window.request_quit)
            requested.setEnabled(True)
            window.show()
            # After the first paint: the worker and the ZIP index load while the agent reads.
            QTimer.singleShot(100, worker.start)
            QTimer.singleShot(200, zips.warm_up_in_background)
            if not demo and not destination.url:
                QTimer.singleShot(300, lambda: _welcome(window))
            return app.exec()


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


def _noted_by_wakeup_fd(_number: int, _frame: object) -> None:
    """The wakeup socket tells the event loop; nothing to do between bytecodes."""


def _drain(reader: socket.socket) -> None:
    try:
        while reader.recv(64):
            pass
    except (BlockingIOError, InterruptedError):
        pass


def _load_context(demo: bool) -> Context | None:
    """The settings, asking the agent what to do when a config file cannot be used."""
    use_site = True
    while True:
        try:
            return Context.from_environment(demo=demo, use_site=use_site)
        except SettingsError as error:
            paths = Paths.from_environment()
            if error.path is not None and error.path == paths.site_config_file:
                QMessageBox.warning(
                    None,
                    "Machine-wide settings cannot be read",
                    f"{error}\n\nLeadDesk starts without them; please tell your IT admin.",
                )
                use_site = False
                continue
            path = error.path or paths.config_file
            choice = ask_about_broken_config(str(error), path)
            if choice is BrokenConfig.QUIT:
                return None
            if choice is BrokenConfig.DEFAULTS and path.exists():
                set_aside(path)


def _welcome(window: MainWindow) -> None:
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
