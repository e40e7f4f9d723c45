"""Which file a window keeps its typed lead in, so that two windows of one LeadDesk home (a
second `leaddesk` started beside the first) never share one: sharing, each window's
autosave overwrote the other's lead, a Submit in one removed the other's, and a crash then
lost a lead; a window also started showing the lead typed in the other, one press away from
sending it twice.

Each window takes the first free slot (draft.json, then draft-2.json, ...) and holds it by
a lock file until it closes; a slot left holding a lead (a crash, a close) is taken before
an empty one, so that the lead comes back in the next window.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QLockFile

from leaddesk.config.draft import Draft

MAX_WINDOWS = 8  # past this many windows of one home, the last slot is shared as before


def slot_paths(first: Path) -> list[Path]:
    """The draft files of one home, the first window's first."""
    others = (first.with_name(f"{first.stem}-{n}{first.suffix}") for n in range(2, MAX_WINDOWS + 1))
    return [first, *others]


class DraftSlot:
    """The draft file this window keeps (`draft`), held as its own until `release`."""

    def __init__(self, home_draft: Draft) -> None:
        self.draft = home_draft
        self._lock: QLockFile | None = None
        try:
            home_draft.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        except OSError:
            return  # no folder to keep a lock in: the draft's own saves say what is wrong
        free: list[tuple[Path, QLockFile]] = []
        for path in slot_paths(home_draft.path):
            lock = QLockFile(f"{path}.lock")
            lock.setStaleLockTime(0)  # stale only when its process is gone: a window runs for days
            if lock.tryLock(0):
                free.append((path, lock))
            elif lock.error() is not QLockFile.LockError.LockFailedError:
                break  # a folder that cannot be written: no slot is anyone's
        if not free:
            return  # every slot taken, or none can be: the home's file, shared as before
        holding = [slot for slot in free if _holds_a_lead(slot[0])]
        chosen_path, chosen_lock = (holding or free)[0]
        for _, lock in free:
            if lock is not chosen_lock:
                lock.unlock()
        self.draft, self._lock = Draft(chosen_path), chosen_lock

    def release(self) -> None:
        """The window has closed, its lead saved: the next window may take this slot."""
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None


def _holds_a_lead(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:
        return False
