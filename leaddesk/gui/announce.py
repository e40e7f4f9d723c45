"""Words said to a screen reader without moving focus: a field's problem, a submit's
result, a notice that arrived. Qt 6.8 and later pass a QAccessibleAnnouncementEvent to
the platform (AT-SPI on Linux, UIA on Windows); with no assistive technology running,
Qt drops it at no cost.

Every announcement is also emitted as `Announcer.said`, so that the window (and its
tests) know what a screen reader user was told.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

# QAccessible's Python type is set up when first used, which takes a while: at the first
# announcement, not as the window is built for its first frame.
if TYPE_CHECKING:
    from PySide6.QtGui import QAccessible


def __getattr__(name: str) -> QAccessible.AnnouncementPoliteness:
    """POLITE and ASSERTIVE, looked up when first asked for. Any other name is refused
    before QAccessible is touched: an import statement asks every module for __path__."""
    if name not in ("POLITE", "ASSERTIVE"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from PySide6.QtGui import QAccessible

    levels = QAccessible.AnnouncementPoliteness
    return levels.Polite if name == "POLITE" else levels.Assertive


class Announcer(QObject):
    """The application's one announcer; `announcer()` makes it on first use."""

    said = Signal(str)  # the words, as they were handed to the screen reader

    def announce(
        self,
        source: QObject,
        text: str,
        politeness: QAccessible.AnnouncementPoliteness | None = None,
    ) -> None:
        """Say `text` on behalf of `source` (the widget it is about). Polite by default:
        it waits for what is being read, so that the next keystroke's echo does not cut
        it off, and it does not cut off the agent's own reading."""
        if not text:
            return
        from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent

        event = QAccessibleAnnouncementEvent(source, text)
        polite = QAccessible.AnnouncementPoliteness.Polite
        event.setPoliteness(polite if politeness is None else politeness)
        QAccessible.updateAccessibility(event)
        self.said.emit(text)


_ANNOUNCER: Announcer | None = None


def announcer() -> Announcer:
    global _ANNOUNCER
    if _ANNOUNCER is None:
        _ANNOUNCER = Announcer()
    return _ANNOUNCER


def announce(
    source: QObject, text: str, politeness: QAccessible.AnnouncementPoliteness | None = None
) -> None:
    announcer().announce(source, text, politeness)
