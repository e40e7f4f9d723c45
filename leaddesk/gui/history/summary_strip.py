"""The strip above the history's rows: today's figures and this view's, counted in the
background, and what the history could not do."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import QLabel, QWidget

from leaddesk.gui.history.totals import OpenHistory, TotalsCounter
from leaddesk.gui.line_breaks import breakable
from leaddesk.history.history_query import Filter, Query, ReadOnlyHistory, Summary, Totals

TOTALS_DELAY_MS = 500  # coalesce the totals' refresh while leads are being sent
COUNTING = "…"  # in the strip while its figures are being counted
TODAY = "Today: "  # the strip's first line: today's leads, whatever the view
THIS_VIEW = "This view: "  # its second: those of the view shown


class SummaryStrip(QLabel):
    attention_counted = Signal(int)  # how many leads need attention, newly counted

    def __init__(
        self,
        database: Path,
        query_of: Callable[[], Query],
        parent: QWidget | None = None,
        open_history: OpenHistory = ReadOnlyHistory,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("history_summary")
        self.setWordWrap(True)
        # Plain text: a label that may hold rich text lays it out as a document, a cost
        # the history's first screen pays; and a failure message is shown as written,
        # never read as markup.
        self.setTextFormat(Qt.TextFormat.PlainText)
        self._query_of = query_of  # the view the figures are for: the one shown
        self._today = COUNTING  # the strip's two figures, as shown
        self._view = COUNTING
        self._show_figures()
        self._totals_timer = QTimer(self)
        self._totals_timer.setSingleShot(True)
        self._totals_timer.setInterval(TOTALS_DELAY_MS)
        self._totals_timer.timeout.connect(self.refresh)
        # Totals read every lead's state: counted on a thread of their own, never holding
        # up the rows. Only the newest request's figures are shown.
        self._counter = TotalsCounter(database, self, open_history)
        self._counter.counted.connect(self._on_counted)
        self._counting = 0  # the newest request's number
        self._counting_view: tuple[Filter, str] | None = None  # its filter and search
        self._counted_view: tuple[Filter, str] | None = None  # those of the figure shown

    def show_message(self, message: str) -> None:
        """What the history did (an export) or could not do, where the agent looks (the
        next figures counted replace it). Wrapped within the strip however long its
        words: a Windows path or one long run of text would otherwise widen the history
        past the screen."""
        self.setText(breakable(message))
        self.setAccessibleName(message)  # read as written, without the break marks

    def refresh_soon(self) -> None:
        """Count again after a short while: leads change in bursts as they are sent."""
        self._totals_timer.start()

    @Slot()
    def refresh(self) -> None:
        """Count the figures again, in the background. A view whose filter or search
        changed shows a placeholder meanwhile, never the figure of another view."""
        self._totals_timer.stop()
        query = self._query_of()
        self._counting = self._counter.request(query)
        self._counting_view = (query.filter, query.search)  # the order changes no figure
        if self._counting_view != self._counted_view:
            self._view = COUNTING
            self._show_figures()

    def count_first(self) -> None:
        """The first count, unless a new view has asked for one already."""
        if self._counting == 0:
            self.refresh()

    def stop(self) -> None:
        """Nothing more is to be counted; the counting thread is done when this returns."""
        self._totals_timer.stop()
        self._counter.stop()

    @Slot(int, object)
    def _on_counted(self, number: int, result: Summary | str) -> None:
        if number != self._counting:
            return  # counted for an older view or an older state of the history
        if isinstance(result, str):  # the history could not be read
            self.show_message(result)
            return
        self._today, self._view = _describe(result.today), _describe(result.view)
        self._counted_view = self._counting_view
        self._show_figures()
        self.attention_counted.emit(result.attention)

    def _show_figures(self) -> None:
        self.setText(f"{TODAY}{self._today}\n{THIS_VIEW}{self._view}")
        self.setAccessibleName("")  # the text itself


def _describe(figures: Totals) -> str:
    """The figures in words. `sent` counts every lead, whatever became of it: a lead still
    queued was never sent, so it is shown as queued and the whole as leads."""
    money = f"${figures.accepted_cents / 100:,.2f}"
    # The states part the leads: what is neither accepted nor to check is queued or sending.
    waiting = figures.sent - figures.accepted - figures.needs_attention
    return (
        f"{figures.sent} lead{'' if figures.sent == 1 else 's'} · {waiting} queued · "
        f"{figures.accepted} accepted · {figures.rejected} rejected · "
        f"{figures.needs_attention} to check · {money} accepted"
    )
