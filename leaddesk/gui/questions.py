"""The few questions the window asks: each names what is at stake and defaults to the
choice that loses nothing."""

from __future__ import annotations

from enum import Enum
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from leaddesk.app.times import TimeStyle, format_time

if TYPE_CHECKING:
    from leaddesk.history.store import StoredLead


class Duplicate(Enum):
    SEND = "send"
    KEEP = "keep"  # don't send; the lead stays in the form
    SHOW = "show"  # don't send; show the earlier lead in the history


def send_despite_duplicate(parent: QWidget, earlier: StoredLead) -> Duplicate:
    when = format_time(earlier.created_at, TimeStyle.DAY_AT)
    box = QMessageBox(parent)
    box.setObjectName("duplicate_question")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Likely duplicate")
    box.setText(
        f"Lead {earlier.id} has the same phone and last name "
        f"({earlier.lead.fname} {earlier.lead.lname}, {earlier.state.value}, {when})."
    )
    box.setInformativeText("Send this one anyway? If not, it stays in the form.")
    send = box.addButton("Send &anyway", QMessageBox.ButtonRole.AcceptRole)
    show = box.addButton(f"Show &lead {earlier.id}", QMessageBox.ButtonRole.ActionRole)
    keep = box.addButton("&Don't send", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Return on a busy call must not send a duplicate
    box.exec()
    clicked = box.clickedButton()
    if clicked is send:
        return Duplicate.SEND
    return Duplicate.SHOW if clicked is show else Duplicate.KEEP


def send_despite_floor_duplicate(parent: QWidget, held: str) -> bool:
    """Team mode: the same household at another desk of the floor (`held`: its floor ID,
    state, agent and desk, never that agent's customer). Don't send is the default."""
    box = QMessageBox(parent)
    box.setObjectName("floor_duplicate_question")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Likely duplicate on the floor")
    box.setText(f"This lead is {held}: the same phone and last name.")
    box.setInformativeText("Send this one anyway? If not, it stays in the form.")
    send = box.addButton("Send &anyway", QMessageBox.ButtonRole.AcceptRole)
    keep = box.addButton("&Don't send", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)  # Return on a busy call must not send a duplicate
    box.exec()
    return box.clickedButton() is send


def discard_typed_lead(parent: QWidget, what: str, editing: int | None = None) -> bool:
    """Whether the agent lets the form's lead go: for a new lead, or (`editing`) to load
    that lead from the history for a fix. Cancel is the default: Return keeps the lead."""
    if editing is None:
        title, question = "Start a new lead?", "Discard it and start a new one?"
    else:
        title, question = f"Edit lead {editing}?", f"Discard it and edit lead {editing}?"
    box = QMessageBox(QMessageBox.Icon.Question, title, f"{what} {question}", parent=parent)
    discard = box.addButton(QMessageBox.StandardButton.Discard)
    discard.setText("&Discard")  # Alt+D, as every other answer has its letter
    box.addButton(QMessageBox.StandardButton.Cancel)
    box.setDefaultButton(QMessageBox.StandardButton.Cancel)
    box.exec()
    return box.clickedButton() is discard


class Closing(Enum):
    WAIT = "wait"
    QUIT = "quit"
    CANCEL = "cancel"


def close_with_pending(parent: QWidget, pending: int) -> Closing:
    box = QMessageBox(parent)
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
        return Closing.WAIT
    if clicked is quit_now:
        return Closing.QUIT
    return Closing.CANCEL


def resend_unconfirmed(parent: QWidget, count: int) -> bool:
    """Whether to resend leads that may already be with the dealer (default: no)."""
    box = QMessageBox(parent)
    box.setObjectName("unconfirmed_question")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Resend unconfirmed leads?")
    one = count == 1
    box.setText(
        f"{count} of the selected leads {'is' if one else 'are'} unconfirmed: "
        f"{'it' if one else 'they'} may already be with the dealer."
    )
    box.setInformativeText(
        "Resending may create a duplicate lead at the dealer. Resend only after checking "
        "with the dealer that it did not arrive."
    )
    resend = box.addButton("&Resend anyway", QMessageBox.ButtonRole.AcceptRole)
    skip = box.addButton("&Skip them", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(skip)  # Return must not risk a duplicate
    box.exec()
    return box.clickedButton() is resend


def dismiss_open_dialog() -> bool:
    """Answer the open question or dialog, if any, with its safe choice (as Esc does);
    whether one was open. Its own event loop ends after this returns."""
    modal = QApplication.activeModalWidget()
    if modal is None:
        return False
    if isinstance(modal, QDialog):
        modal.reject()
    else:
        modal.close()
    return True
