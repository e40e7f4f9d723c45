"""The Leads menu's Import… entry. It is made as the window attaches, without loading the
import dialog and what that uses (the lead file readers, the column mapping): they load
when the agent chooses it, not on the way to a form that is ready to submit."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QWidget

from leaddesk.gui.actions import make_action

if TYPE_CHECKING:
    from leaddesk.app.desk import Desk


def import_action(window: QWidget, desk: Desk, wake: Callable[[], None]) -> QAction:
    """The Leads menu's Import… entry: asks for a file, then shows the import dialog."""

    def choose() -> None:
        from leaddesk.gui.import_dialog import import_leads

        import_leads(window, desk, wake)

    return make_action(window, "&Import…", "import_action", choose)
