"""What the window's first frame loads: the modules run_gui needs to build and show the
form, and no more. The lead model, the store and the sending code load after the
first frame (the window's attach); a module-level import that pulls them in again would
put them back before it. Each check runs in a fresh Python process, as a start does."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Loaded only once the first frame is painted, or when first used.
NOT_BEFORE_THE_FIRST_FRAME = (
    "leaddesk.domain.lead",
    "leaddesk.config.settings",
    "leaddesk.history.store",
    "leaddesk.app.fix",
    "leaddesk.app.desk",
    "leaddesk.sending.outbox",
    "filelock",
    "phonenumbers",
    "leaddesk.gui.invalid_frame",
)
NOT_WHILE_ATTACHING = (
    "filelock",
    "leaddesk.gui.import_dialog",
    "leaddesk.app.lead_import",
    # Loaded where a lead is first posted, on the worker's thread after the window is ready:
    "leaddesk.sending.outbox",
    "leaddesk.wire.formats",
    "leaddesk.wire.securitytrax_xml",
    "defusedxml",
    # The demo dealer starts with the first post; the link server in the turn after ready.
    "leaddesk.sandbox",
    "http.server",
    "PySide6.QtNetwork",
)


def modules_after(statements: str) -> set[str]:
    """The modules a fresh process holds after running these import statements."""
    script = f"{statements}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def test_the_window_s_modules_leave_the_settings_and_history_for_later() -> None:
    loaded = modules_after(
        "from leaddesk.cli.main import main\nfrom leaddesk.gui.app import run_gui"
    )
    assert "leaddesk.gui.main_window" in loaded  # the check looks at the right thing
    assert "PySide6.QtWidgets" in loaded
    assert loaded.isdisjoint(NOT_BEFORE_THE_FIRST_FRAME), sorted(
        loaded.intersection(NOT_BEFORE_THE_FIRST_FRAME)
    )


@pytest.mark.parametrize(
    "statement",
    [
        "import leaddesk.app.desk",
        "import leaddesk.gui.import_menu",
        "import leaddesk.gui.history.pane",
        "import leaddesk.gui.worker",
        "import leaddesk.gui.submit_flow",
        "import leaddesk.gui.queue_watch",
    ],
)
def test_attaching_leaves_the_import_dialog_and_the_lock_to_their_use(statement: str) -> None:
    loaded = modules_after(statement)
    assert statement.split()[-1] in loaded
    assert loaded.isdisjoint(NOT_WHILE_ATTACHING), sorted(loaded.intersection(NOT_WHILE_ATTACHING))
