"""What a history row's cells say and look like: the words, the time, the phone, the
destination, the state's icon and colour, and the tooltips."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from PySide6.QtGui import QBrush, QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication, QStyle

from leaddesk.app.times import TimeStyle, format_time
from leaddesk.domain.contrast import READABLE, readable_on
from leaddesk.domain.fields import format_phone
from leaddesk.domain.state_words import STATE_LOOKS
from leaddesk.domain.states import State
from leaddesk.history.history_query import Column, Row
from leaddesk.history.store import StoredLead

STATE_LABELS = {state: look.label for state, look in STATE_LOOKS.items()}

# The icon named for each state in leaddesk.state_words.
STATE_ICONS = {
    "retry": QStyle.StandardPixmap.SP_BrowserReload,
    "upload": QStyle.StandardPixmap.SP_ArrowUp,
    "done": QStyle.StandardPixmap.SP_DialogApplyButton,
    "refused": QStyle.StandardPixmap.SP_MessageBoxCritical,
    "failed": QStyle.StandardPixmap.SP_DialogCancelButton,
    "unsure": QStyle.StandardPixmap.SP_MessageBoxWarning,
}


class StateIcons:
    """Each state's icon from the application's style, made once: asked for every state
    cell painted."""

    def __init__(self) -> None:
        self._icons: dict[State, QIcon] = {}

    def of(self, state: State) -> QIcon:
        if state not in self._icons:
            style = QApplication.style()
            self._icons[state] = style.standardIcon(STATE_ICONS[STATE_LOOKS[state].icon])
        return self._icons[state]


class StateBrushes:
    """Each state's colour on the application's palette as it is now (state_brush): worked
    out once per state and palette, not for every state cell painted."""

    _KEPT = 64  # a few palettes' worth; more only after many palette changes

    def __init__(self) -> None:
        self._brushes: dict[tuple[State, int], QBrush | None] = {}

    def of(self, state: State) -> QBrush | None:
        palette = QGuiApplication.palette()
        key = (state, palette.cacheKey())
        if key not in self._brushes:
            if len(self._brushes) >= self._KEPT:  # palettes gone by
                self._brushes.clear()
            self._brushes[key] = state_brush(state, palette)
        return self._brushes[key]


def state_brush(state: State, palette: QPalette | None = None) -> QBrush | None:
    """The state's colour that reads on this palette's rows (the application's when none
    is given), at 4.5:1 or more on both the plain and the alternating row; None (the
    palette's own text colour) for a state without colour, or when neither of the
    state's colours reads on this palette."""
    palette = palette if palette is not None else QGuiApplication.palette()
    rows = (
        palette.color(QPalette.ColorRole.Base).name(),
        palette.color(QPalette.ColorRole.AlternateBase).name(),
    )
    colour = _readable_colour(state, rows)
    return None if colour is None else QBrush(QColor(colour))


@functools.lru_cache(maxsize=64)
def _readable_colour(state: State, rows: tuple[str, ...]) -> str | None:
    """Asked for every state cell painted: worked out once per state and palette."""
    look = STATE_LOOKS[state]
    if look.light is None or look.dark is None:
        return None
    best = max((look.light, look.dark), key=lambda colour: readable_on(colour, rows))
    return best if readable_on(best, rows) >= READABLE else None


def row_from(lead: StoredLead) -> Row:
    return Row(
        lead.id,
        lead.created_at,
        lead.lead.fname,
        lead.lead.lname,
        lead.lead.phone1,
        lead.destination,
        lead.state,
        lead.customer_id,
        lead.errors[0] if lead.errors else "",
        lead.destination_name,
        lead.tries,
        lead.due_at,
    )


def missing_row(lead_id: int) -> Row:
    """The row of a lead purged while its block was read: its place kept, shown empty."""
    return Row(lead_id, 0.0, "", "(deleted)", "", "", State.FAILED, "", "")


def display(row: Row, column: Column) -> str:
    if column is Column.TIME:
        return format_time(row.created_at, TimeStyle.RECENT)
    if column is Column.NAME:
        return row.name
    if column is Column.PHONE:
        return format_phone(row.phone1)
    if column is Column.DESTINATION:
        return row.destination_name or urlsplit(row.destination).hostname or row.destination
    if column is Column.STATE:
        return STATE_LABELS[row.state]
    if column is Column.CUSTOMER:
        return row.customer_id
    return row.first_error


def tooltip(row: Row, column: Column) -> str | None:
    if column is Column.DESTINATION:
        return row.destination
    if column is Column.ERROR and row.first_error:
        return row.first_error
    if column is Column.TIME:
        return format_time(row.created_at, TimeStyle.FULL)
    return None
