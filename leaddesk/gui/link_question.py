"""The question a dialer's link asks when it comes while the agent types another lead:
keep typing, replace the form's lead, or hold the link (leaddesk/gui/link_inbox.py)."""

from __future__ import annotations

from enum import Enum

from PySide6.QtWidgets import QMessageBox, QWidget


class Busy(Enum):
    KEEP_TYPING = "keep"  # the link is not used
    REPLACE = "replace"  # the form's lead is dropped for the link's
    HOLD = "hold"  # the link waits in the Leads menu


def ask_when_busy(parent: QWidget, from_menu: bool = False) -> Busy:
    """What to do with a link that comes while the agent types a lead (`from_menu`: a held
    one the agent took, which Keep typing puts back). Esc and closing the question hold
    the link: nothing is lost either way."""
    box = QMessageBox(
        QMessageBox.Icon.Question,
        "A link from the dialer",
        "The dialer sent a lead while you are typing another one.",
        parent=parent,
    )
    box.setObjectName("dialer_link_question")
    keep_typing = (
        "Keep typing: the link goes back under Leads > Dialer links waiting."
        if from_menu
        else "Keep typing: the dialer's link is not used."
    )
    box.setInformativeText(
        f"{keep_typing} Replace: the form gets the dialer's lead, and what you typed is "
        "lost. Hold: the link waits under Leads > Dialer links waiting."
    )
    keep = box.addButton("&Keep typing", QMessageBox.ButtonRole.RejectRole)
    replace = box.addButton("&Replace", QMessageBox.ButtonRole.DestructiveRole)
    hold = box.addButton("&Hold the link", QMessageBox.ButtonRole.ActionRole)
    # Return while typing (the question takes the focus) must drop neither lead: the
    # agent's stays in the form, the dialer's waits in the menu.
    box.setDefaultButton(hold)
    box.setEscapeButton(hold)
    box.exec()
    clicked = box.clickedButton()
    if clicked is replace:
        return Busy.REPLACE
    return Busy.KEEP_TYPING if clicked is keep else Busy.HOLD
