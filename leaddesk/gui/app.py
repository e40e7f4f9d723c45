"""QApplication set-up and the GUI's main()."""

from __future__ import annotations

import sys

from PySide6.QtCore import QTimer
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QMessageBox

from leaddesk import __version__
from leaddesk.cli_context import Context, UsageError
from leaddesk.draft import Draft
from leaddesk.gui.main_window import Desk, MainWindow
from leaddesk.gui.worker import SendWorker
from leaddesk.settings import Destination, SettingsError
from leaddesk.store import StoreError
from leaddesk.zip_lookup import ZipDirectory


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication(argv or sys.argv[:1])
    app.setApplicationName("LeadDesk")
    app.setOrganizationName("LeadDesk")
    app.setApplicationVersion(__version__)
    app.setStyleSheet(stylesheet(app.palette()))
    # Follow the system switching between light and dark while LeadDesk runs.
    app.styleHints().colorSchemeChanged.connect(
        lambda _scheme: app.setStyleSheet(stylesheet(app.palette()))
    )
    return app


def stylesheet(palette: QPalette) -> str:
    """Field errors in a red that reads on the system's light or dark palette."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    error = "#ff8a80" if dark else "#c62828"
    notice = "#4a1f1f" if dark else "#fdecea"
    warning = "#4a3b12" if dark else "#fff4d6"
    return f"""
        QLabel[role="field-error"], FieldMessage {{ color: {error}; }}
        QLineEdit[invalid="true"], QComboBox[invalid="true"], QPlainTextEdit[invalid="true"] {{
            border: 1px solid {error}; border-radius: 3px; padding: 1px;
        }}
        QFrame#notice[severity="error"] {{ background: {notice}; border: 1px solid {error};
            border-radius: 4px; }}
        QFrame#notice[severity="warning"] {{ background: {warning}; border-radius: 4px; }}
        QLabel#demo_banner, QLabel#no_destination {{ background: {warning}; padding: 6px;
            border-radius: 4px; }}
    """


def run_gui(demo: bool = False, url: str | None = None, source_id: str | None = None) -> int:
    app = create_application()
    try:
        context = Context.from_environment(demo=demo)
    except SettingsError as error:
        QMessageBox.critical(None, "LeadDesk cannot start", str(error))
        return 2
    with context:
        try:
            destination = context.destination(url, source_id)
        except UsageError:
            if url is not None or source_id is not None:
                raise
            destination = Destination()  # the window says how to set one
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
            )
            worker = SendWorker(
                store.path, context.settings.sending, context.paths.data_dir / "senders"
            )
            window = MainWindow(desk, worker)
            window.show()
            # After the first paint: the worker and the ZIP index load while the agent reads.
            QTimer.singleShot(100, worker.start)
            QTimer.singleShot(200, zips.warm_up_in_background)
            return app.exec()
