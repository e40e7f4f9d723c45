"""Links from the dialer, in the window: they fill the form and never send.

A link fills the form and puts the focus on the first required field it left empty; the
agent checks the lead and submits it as any other. When the agent is in the middle of
another lead, the window asks: keep typing (the link is not used), replace the form's lead,
or hold the link. Held links wait under Leads > Dialer links waiting (N) until the agent
takes one; they are kept on disk (config/held_links.py), so that a quit or a crash loses
none, and come back when LeadDesk starts again.
"""

from __future__ import annotations

import errno
import logging
import os
from typing import TYPE_CHECKING

from PySide6.QtCore import QLockFile, QObject, Qt, Slot
from PySide6.QtWidgets import QApplication, QMenu

from leaddesk.app.dialer_link import accepted_values, problem_of
from leaddesk.config.held_links import HeldLinks, held_links_for
from leaddesk.config.paths import Paths
from leaddesk.domain.fields import FIELD_BY_NAME
from leaddesk.gui.lead_form import CALL_ROWS
from leaddesk.gui.link_question import Busy, ask_when_busy
from leaddesk.gui.single_instance import LinkServer, server_name

if TYPE_CHECKING:
    from leaddesk.gui.main_window import MainWindow

log = logging.getLogger(__name__)

FILLED = "Filled from the dialer's link: check the lead, then submit it."
HELD_MENU = "Dialer links &waiting ({count})"
HELD_NOTICE_KEY = "held-links"


class LinkInbox(QObject):
    """The window's dialer links: filled in, asked about, or held. `kept`: where held
    links are saved (None: only while the window is open, for a window that does not take
    this home's links)."""

    def __init__(self, window: MainWindow, kept: HeldLinks | None = None) -> None:
        super().__init__(window)
        self._window = window
        self._kept = kept
        self.held: list[dict[str, str]] = []
        # Links the agent is being asked about (new, or taken from the menu): in neither
        # the form nor the menu, and saved all the same, so that a crash loses none.
        self._asked: list[dict[str, str]] = []
        # The link in the form while its draft could not be saved: kept on disk until its
        # lead is safe (the draft saved, or the lead queued or let go: window.drafts'
        # `settled`). Not sooner, or a crash loses it; not later, or the next start holds
        # a lead already sent.
        self._in_form: dict[str, str] | None = None
        window.drafts.settled.connect(self._lead_safe)
        self.held_menu = QMenu(HELD_MENU.format(count=0), window)
        self.held_menu.setObjectName("held_links")
        leads_menu = _leads_menu(window)
        self._held_action = leads_menu.addMenu(self.held_menu)
        self._held_action.setObjectName("held_links_action")
        self._held_action.setVisible(False)
        if kept is not None:
            self._take_back(kept)

    def _take_back(self, kept: HeldLinks) -> None:
        """The links held when LeadDesk last closed (or crashed), back in the menu."""
        # Checked again as a link from another process is: the file may have been edited.
        # A notice, not the status line: that says what start-up did (a restored lead).
        saved = kept.read()
        self.held = [values for values in map(accepted_values, saved.links) if values]
        aside = "" if saved.whole else self._set_aside(kept)
        if self.held:
            self._show_held()
        if aside:  # not a notice: the file's name is to be read now
            self._window.show_result(aside)

    def _set_aside(self, kept: HeldLinks) -> str:
        """A held-links file this version cannot read whole, kept aside rather than
        overwritten by the next save (what it could read is saved again at once); what
        to tell the agent."""
        try:
            aside = kept.set_aside()
        except OSError as error:
            log.warning("Could not set aside the held dialer links file: %s", error.strerror)
            self._kept = None  # saving would overwrite the leads in it
            return (
                "The held dialer links file could not be read, nor set aside "
                f"({error.strerror or error}): links held now are not saved."
            )
        log.warning("The held dialer links file could not be read; kept as %s", aside.name)
        problem = self._save() if self.held else None
        unsaved = "" if problem is None else f" (and the links read are not saved: {problem})"
        return (
            f"The held dialer links file could not be read whole: it is kept as {aside.name} "
            f"in LeadDesk's data folder{unsaved}."
        )

    @Slot(dict)
    def receive(
        self, values: dict[str, str], from_menu: bool = False, back_at: int | None = None
    ) -> None:
        """A link's fields: into the form, or asked about when the agent is busy; or why
        `leaddesk open` could not use a link, told with the window brought up. `from_menu`:
        a held link the agent took, which Keep typing puts back (at `back_at`, where it
        was among the held links) rather than drops."""
        problem = problem_of(values)
        values = accepted_values(values)
        window = self._window
        if window.isMinimized():
            window.showNormal()
        else:
            window.show()
        window.raise_()
        window.activateWindow()
        if problem is not None:
            self._window.show_result(problem)
        if not values:  # `leaddesk open` without a link (or a refused one): the window
            return
        if QApplication.activeModalWidget() is not None:
            # A question or dialog is open (maybe about the previous link): not another
            # on top of it; the link waits in the menu.
            self._hold(values, back_at)
            return
        if not window.form.has_call_data(window.desk.lead_defaults()):
            self._fill_and_save(values, on_disk=from_menu)
            return
        # Saved while the agent is asked (`leaddesk open` has been told "ok"): a crash
        # before the answer loses no link.
        self._asked.append(values)
        unsaved = self._save()
        if unsaved is not None:  # said now, while it matters: the answer's words follow
            told = (
                f"The dialer's link could not be saved to disk ({unsaved}): a crash "
                "before you answer loses it."
            )
            window.show_result(told if problem is None else f"{problem} {told}")
        choice = ask_when_busy(window, from_menu)
        self._asked.remove(values)
        if choice is Busy.REPLACE:
            self._fill_and_save(values, on_disk=True)
        elif choice is Busy.HOLD or from_menu:
            self._hold(values, back_at)
        else:
            window.show_result("Kept your lead; the dialer's link was not used.")
            self._save_without_it()

    def fill(self, values: dict[str, str]) -> str | None:
        """The form gets the link's lead (the lead being typed is dropped), unsent. None
        when its draft is saved, else why not."""
        window = self._window
        form = window.form
        defaults = window.desk.lead_defaults()
        window.draft.clear()
        window.edit_session.end()
        form.clear_call(defaults)
        form.set_values(values | _place(window, values))
        form.check_filled()
        window.show_result(FILLED)  # first: a draft that cannot be saved says so after it
        problem = window.save_draft()  # a crash keeps the dialer's lead as a typed one
        empty = first_empty_required(form.values())
        if empty is None:
            form.focus_first()
            return problem
        form.reveal(empty)
        form.inputs[empty].widget.setFocus(Qt.FocusReason.OtherFocusReason)
        return problem

    def _fill_and_save(self, values: dict[str, str], on_disk: bool) -> None:
        """Fill the form with a link's lead; the held links saved without it once the
        draft keeps the lead, else with it (`on_disk`: it was saved there before)."""
        draft_problem = self.fill(values)
        self._in_form = None if draft_problem is None else values
        if draft_problem is None:
            if on_disk:
                self._save_without_it()
            return
        problem = "this window keeps no held links" if self._kept is None else self._save()
        if problem is None:
            # Whole in the status line at 1024 px: the menu it comes back in goes unsaid.
            told = "the dialer's link stays on disk until this lead is submitted or cleared."
        else:
            told = f"nor the dialer's link ({problem}): submit this lead before LeadDesk closes."
        self._window.show_result(f"Could not save the form's draft ({draft_problem}); {told}")

    @Slot()
    def _lead_safe(self) -> None:
        """The form's lead is in its draft, queued or let go: a link kept for it goes."""
        if self._in_form is None:
            return
        self._in_form = None
        problem = self._save()
        if problem is not None:  # a notice: the status line is about to say "Queued"
            self._window.notifications.notify(
                HELD_NOTICE_KEY + "-stale",
                f"The dialer's link could not be removed from the disk ({problem}): it "
                "will be back under Leads > Dialer links waiting when LeadDesk starts "
                "again, though its lead is in the form or sent.",
                severity="warning",
            )

    def _hold(self, values: dict[str, str], at: int | None = None) -> None:
        """`at`: where a link taken from the held ones goes back (the oldest stays oldest);
        None for a new link, held last."""
        self.held.insert(len(self.held) if at is None else at, values)
        self._show_held()
        waits = f"The dialer's link waits under Leads > Dialer links waiting ({len(self.held)})"
        if self._kept is None:  # another window keeps the home's file (or none can listen)
            self._window.show_result(
                f"{waits}, but this window does not keep held links: it is not saved to "
                "disk, so take it before closing this window."
            )
            return
        problem = self._save()
        if problem is None:
            self._window.show_result(f"{waits}.")
        else:
            self._window.show_result(
                f"{waits}, but it could not be saved to disk ({problem}): "
                "take it before LeadDesk closes."
            )

    def _take(self, values: dict[str, str]) -> None:
        if values not in self.held:  # taken already (a menu entry or notice gone stale)
            return
        position = self.held.index(values)
        del self.held[position]
        self._show_held()
        # Saves the list once it is in the form; Keep typing puts it back where it was.
        self.receive(values, from_menu=True, back_at=position)

    def _save_without_it(self) -> None:
        """Save the held links once a link left them for the form, or was let go."""
        problem = self._save()
        if problem is not None:  # after what was said of the link: this must be seen
            self._window.show_result(
                f"The dialer's link could not be removed from the disk ({problem}): "
                "it will be back in the menu when LeadDesk starts again."
            )

    def _save(self) -> str | None:
        """Save the held links; None when saved, else why not (a full or read-only disk)."""
        if self._kept is None:
            return None
        try:
            in_form = [] if self._in_form is None else [self._in_form]
            self._kept.save([*in_form, *self._asked, *self.held])
        except OSError as error:
            log.warning("Could not save the held dialer links: %s", error.strerror or error)
            return error.strerror or str(error)
        return None

    def _show_held(self) -> None:
        self.held_menu.clear()
        for values in self.held:
            action = self.held_menu.addAction(_title(values))
            action.triggered.connect(lambda _checked=False, v=values: self._take(v))
        self.held_menu.setTitle(HELD_MENU.format(count=len(self.held)))
        self._held_action.setVisible(bool(self.held))
        notifications = self._window.notifications
        if not self.held:
            notifications.dismiss(HELD_NOTICE_KEY)
            return
        count = len(self.held)
        notifications.notify(
            HELD_NOTICE_KEY,
            f"{count} dialer link{'s' if count > 1 else ''} "
            f"{'wait' if count > 1 else 'waits'} under Leads > Dialer links waiting.",
            severity="warning",
            actions=[("Take the oldest", lambda: self._take(self.held[0]))],
        )


def first_empty_required(values: dict[str, str]) -> str | None:
    """The first required field, in the form's order, that has no value."""
    call = [name for row in CALL_ROWS for name in row]
    rest = [name for name in FIELD_BY_NAME if name not in call]
    for name in call + rest:
        if FIELD_BY_NAME[name].required and not values.get(name, "").strip():
            return name
    return None


def serve_links(window: MainWindow, paths: Paths, demo: bool) -> tuple[LinkInbox, LinkServer]:
    """The window's inbox, and the socket that `leaddesk open` hands links to (listening
    unless another window of this home already does). Only the window that listens keeps
    the home's held links: two windows saving one list would lose each other's changes."""
    server = LinkServer(server_name(paths, demo), window)
    kept = held_links_for(paths.data_dir, demo) if server.listen() else None
    unkept = ""
    try:
        if kept is not None and not _lock_while_listening(kept, server):
            log.info("Another LeadDesk window keeps the held dialer links of this home.")
            kept = None
    except OSError as error:  # no data folder, or one not writable: links held in memory
        log.warning("Cannot keep held dialer links on disk: %s", error.strerror or error)
        unkept = _not_kept(kept, error) if kept is not None else ""
        kept = None
    inbox = LinkInbox(window, kept)
    if unkept:  # a notice: it holds as long as the window, and start-up has its own words
        window.notifications.notify(HELD_NOTICE_KEY + "-unkept", unkept, severity="warning")
    server.received.connect(inbox.receive)
    return inbox, server


def _lock_while_listening(kept: HeldLinks, server: LinkServer) -> bool:
    """The held links' lock, held until `server` closes; False when another window (of
    any process) has it. Listening alone does not make a window the only one: two starts
    at once each ask before the other listens, and a socket file removed under a window
    (a cleaned runtime folder) lets the next one listen too."""
    kept.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    lock = QLockFile(f"{kept.path}.lock")
    lock.setStaleLockTime(0)  # stale only when its process is gone: a window runs for days
    if lock.tryLock(0):
        server.closed.connect(lambda: lock.unlock())  # the lambda keeps the lock alive
        return True
    if lock.error() is QLockFile.LockError.LockFailedError:
        return False
    # Not another window's: the folder is read-only (or full, or broken). OSError, as a
    # folder that cannot be made.
    denied = lock.error() is QLockFile.LockError.PermissionError
    code = errno.EACCES if denied else errno.EIO
    raise OSError(code, os.strerror(code), f"{kept.path}.lock")


def _not_kept(kept: HeldLinks, error: OSError) -> str:
    """What the window says when it cannot keep the held links on disk."""
    try:
        held_before = kept.path.is_file()
    except OSError:  # a folder that cannot be read: nothing to say of what it holds
        held_before = False
    before = f" Links held before are still in {kept.path.name} there." if held_before else ""
    return (
        "Dialer links held now will not be saved: LeadDesk's data folder cannot be "
        f"written ({error.strerror or error}).{before}"
    )


def _place(window: MainWindow, values: dict[str, str]) -> dict[str, str]:
    """City and state from the link's ZIP, when the link has neither."""
    if values.get("city") or values.get("state") or not values.get("zip"):
        return {}
    place = window.zips.lookup(values["zip"])
    return {} if place is None else {"city": place.city, "state": place.state}


# A menu entry, not the lead: a name or phone of thousands of characters (a link or an
# edited file may carry one) is cut, and tabs and line breaks (a tab starts the
# shortcut's column) are spaces.
TITLE_PART_CHARACTERS = 60


def _title(values: dict[str, str]) -> str:
    name = _short(" ".join(values.get(part, "") for part in ("fname", "lname")))
    phone = _short(values.get("phone1", ""))
    return f"{name or 'No name'}, {phone or 'no phone'}".replace("&", "&&")


def _short(text: str) -> str:
    plain = " ".join(text.split())
    if len(plain) <= TITLE_PART_CHARACTERS:
        return plain
    return plain[: TITLE_PART_CHARACTERS - 1] + "…"


def _leads_menu(window: MainWindow) -> QMenu:
    """The menu bar's Leads menu (WindowMenus makes it)."""
    for action in window.menuBar().actions():
        menu = action.menu()
        if isinstance(menu, QMenu) and menu.title().replace("&", "") == "Leads":
            return menu
    return window.menuBar().addMenu("Lea&ds")
