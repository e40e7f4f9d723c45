"""The history table's model: a window onto the store, never the whole history in memory.

It loads the ids of the leads its query matches a page at a time, as the view scrolls
(canFetchMore/fetchMore), and the rows of a block of them when the view first shows one;
a few blocks stay cached. Changes reported by the send worker update rows in place.
What each cell says and looks like is cells.py's.
"""

from __future__ import annotations

from array import array
from collections import OrderedDict
from collections.abc import Collection, Iterable
from dataclasses import replace
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from leaddesk.app.history_access import HistoryAccess
from leaddesk.app.queue_notes import QueueNotes
from leaddesk.domain.errors import StoreError
from leaddesk.gui.history.cells import (
    StateBrushes,
    StateIcons,
    display,
    missing_row,
    row_from,
    tooltip,
)
from leaddesk.history.history_query import (
    COLUMNS,
    Column,
    Cursor,
    Filter,
    Query,
    Row,
    matches,
)
from leaddesk.history.store import StoredLead

# Sized for the first screen, which reads one page of ids and the blocks of rows it
# shows: the history's dock at first start shows about 15 rows, one block (a tall window
# about 50, two). Larger ones only made the first screen and each filter slower
# (bench/history_pane.py measures it): each row read is made into a Row and its note in
# Python, whether it is shown or not. A page or block more as the agent scrolls costs
# next to nothing.
PAGE_ROWS = 200  # ids loaded at a time, as the view scrolls towards the end
BLOCK_ROWS = 25  # rows read from the store at a time, as the view shows them
CACHED_BLOCKS = 32

LEAD_ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATE_ROLE = Qt.ItemDataRole.UserRole + 2
_SERVED_ROLES = frozenset(
    {
        Qt.ItemDataRole.DisplayRole,
        Qt.ItemDataRole.ToolTipRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.ForegroundRole,
        LEAD_ID_ROLE,
        STATE_ROLE,
    }
)
_DISPLAY = Qt.ItemDataRole.DisplayRole.value
_TOOLTIP = Qt.ItemDataRole.ToolTipRole.value
_DECORATION = Qt.ItemDataRole.DecorationRole.value
_FOREGROUND = Qt.ItemDataRole.ForegroundRole.value
_STATE_ONLY_ROLES = frozenset({_DECORATION, _FOREGROUND})
_TEXT_ROLES = (_DISPLAY, _TOOLTIP)
_STATE_COLUMN = COLUMNS.index(Column.STATE)
_NOTED = frozenset({Column.STATE, Column.ERROR})  # where a queued lead's note shows
_HEADER_LABELS = tuple(column.label for column in COLUMNS)

ModelIndex = QModelIndex | QPersistentModelIndex


class HistoryModel(QAbstractTableModel):
    query_failed = Signal(str)  # a sort the history could not read: what went wrong

    def __init__(self, history: HistoryAccess, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._history = history
        self._blocks: OrderedDict[int, list[Row]] = OrderedDict()
        self._icons = StateIcons()
        self._brushes = StateBrushes()
        self._unplaced: set[int] = set()  # leads of a report whose rows are not placed yet
        self.notes = QueueNotes()  # a queued lead's next retry, or its destination's hold
        # The first page now: a lazy model shows an empty first frame otherwise.
        self._take_first_page(Query(), *history.page(Query(), None, PAGE_ROWS))

    # --- the query ----------------------------------------------------------------

    @property
    def query(self) -> Query:
        return self._query

    def set_query(self, query: Query) -> None:
        # The first page is read before the reset begins: a history that cannot be read
        # (StoreError) leaves the view as it was, not a reset begun and never ended.
        first_page = self._history.page(query, None, PAGE_ROWS)
        self.beginResetModel()
        self._take_first_page(query, *first_page)
        self.endResetModel()

    def _take_first_page(self, query: Query, ids: list[int], cursor: Cursor | None) -> None:
        self._query = query
        self._ids: array[int] = array("q", ids)
        self._loaded: set[int] = set(ids)  # the same ids, for "is it here?" in constant time
        self._cursor: Cursor | None = cursor
        self._complete = cursor is None
        self._blocks.clear()
        self.notes.clear()

    def reveal(self, lead_id: int) -> int | None:
        """The row of a lead in the view, the pages before it loaded if need be (a lead
        selected before a new sort may now be far down); None if the query leaves it out."""
        if lead_id not in self._loaded:
            if self._complete or self._history.sort_key(self._query, lead_id) is None:
                return None
            limit = PAGE_ROWS
            while lead_id not in self._loaded and not self._complete:
                self._fetch(limit)
                limit *= 2  # the 100,000th lead in 10 reads, not 500
        return self.row_of(lead_id)

    def rows_of(self, lead_ids: Collection[int]) -> dict[int, int]:
        """The rows of these leads that the view holds, the pages before them loaded if need
        be; one pass over the rows, not one search for each lead."""
        for lead_id in lead_ids:
            if lead_id not in self._loaded and not self._complete:
                self.reveal(lead_id)
        wanted = self._loaded.intersection(lead_ids)
        return {lead_id: row for row, lead_id in enumerate(self._ids) if lead_id in wanted}

    def canFetchMore(self, parent: ModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._complete

    def fetchMore(self, parent: ModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._fetch(PAGE_ROWS)

    def _fetch(self, limit: int) -> None:
        if self._complete:
            return
        page, cursor = self._history.page(self._query, self._cursor, limit)
        self._cursor, self._complete = cursor, cursor is None
        # A lead moved past the cursor by an update in place is here already: once only.
        ids = [lead_id for lead_id in page if lead_id not in self._loaded]
        if ids:
            start = len(self._ids)
            self.beginInsertRows(QModelIndex(), start, start + len(ids) - 1)
            self._ids.extend(ids)
            self._loaded.update(ids)
            # Its block may have been read short (a view may read rows while told they
            # are coming): read it again.
            self._blocks.pop(start // BLOCK_ROWS, None)
            self.endInsertRows()

    def reload(self) -> None:
        self.set_query(self._query)

    def lead_id(self, row: int) -> int:
        return self._ids[row]

    def row_of(self, lead_id: int) -> int | None:
        if lead_id not in self._loaded:
            return None
        return self._ids.index(lead_id)

    # --- Qt's model interface -----------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        # Asked for each section and role as the header is sized and painted: the role,
        # an int, first (the orientation comes as an enum, slower to compare).
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return _HEADER_LABELS[section]
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A view asks each cell for seven roles as it paints it; most have nothing here,
        # and the icon and colour only the state's column: no row looked up for those.
        if role not in _SERVED_ROLES:
            return None
        column = index.column()
        if role in _STATE_ONLY_ROLES and column != _STATE_COLUMN:
            return None
        position = index.row()  # -1 for an invalid index
        if not 0 <= position < len(self._ids):
            return None
        row = self._row(position)
        return None if row is None else self._value(row, COLUMNS[column], role)

    def _value(self, row: Row, column: Column, role: int) -> Any:
        # Asked as each cell is painted: the roles compared as plain ints, the most asked
        # first (a decoration or colour only ever reaches here for the state's column).
        if role in _TEXT_ROLES:
            note = self.notes.get(row.id) if column in _NOTED else None
            if note is not None:
                if column is Column.STATE:
                    return note.text if role == _DISPLAY else note.tip
                if not row.first_error:  # a held lead not tried yet: why it waits
                    return note.reason or None
            return display(row, column) if role == _DISPLAY else tooltip(row, column)
        if role == _DECORATION:
            return self._icons.of(row.state)
        if role == _FOREGROUND:
            return self._brushes.of(row.state)
        if role == LEAD_ID_ROLE:
            return row.id
        return row.state.value  # STATE_ROLE, the last role served

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        descending = order == Qt.SortOrder.DescendingOrder
        query = replace(self._query, sort=COLUMNS[column], descending=descending)
        if query == self._query:  # the view asks once as sorting is turned on: nothing changed
            return
        try:
            self.set_query(query)
        except StoreError as error:  # asked by the view's header: told, not raised into Qt
            self.query_failed.emit(str(error))

    # --- live changes ---------------------------------------------------------------

    def update_leads(
        self, leads: Iterable[StoredLead], follow: Collection[int] = frozenset()
    ) -> None:
        """Show new states in place; put leads that enter the view, or whose sort key
        changed, where they belong; drop rows that left the filter. Selection and scroll
        position stay: no reset. A lead in `follow` (the agent's selected or current
        leads) whose new place is past the rows loaded is followed there (the pages up to
        it loaded), rather than dropped to come with its page."""
        batch = list(leads)
        self.notes.take([row_from(lead) for lead in batch], self._history)
        # A report holds many leads whose keys all changed in the store at once: until a
        # lead's row is placed, its old place says nothing, and the searches skip it.
        self._unplaced = {lead.id for lead in batch}
        try:
            for lead in batch:
                self._unplaced.discard(lead.id)
                self._update_one(lead, follow)
        finally:
            self._unplaced = set()

    def _update_one(self, lead: StoredLead, follow: Collection[int]) -> None:
        fresh = row_from(lead)
        position = self.row_of(lead.id)
        if position is None:
            if matches(self._query, fresh):
                self._insert(lead.id)
            return
        if not matches(self._query, fresh):
            self._remove(position)
            return
        if self._query.sort is not Column.TIME and not self._in_order(position):
            self._move(position, lead.id, lead.id in follow)  # to where it now belongs
            return
        block = self._blocks.get(position // BLOCK_ROWS)
        if block is not None:
            block[position % BLOCK_ROWS] = fresh
        first, last = self.index(position, 0), self.index(position, len(COLUMNS) - 1)
        self.dataChanged.emit(first, last)

    def _remove(self, position: int) -> None:
        self.beginRemoveRows(QModelIndex(), position, position)
        self._loaded.discard(self._ids.pop(position))
        self._blocks.clear()  # positions after it moved
        self.endRemoveRows()

    def _insert(self, lead_id: int) -> None:
        """A lead that now belongs in the view (new, or its state entered the filter), put
        in its place among the rows loaded, found by a binary search on the sort key."""
        key = self._history.sort_key(self._query, lead_id)
        if key is None:
            return  # not a match after all (the search)
        place = self._place_of(key)
        if place is None:
            return  # it belongs to a page not loaded yet, and comes with it
        self.beginInsertRows(QModelIndex(), place, place)
        self._ids.insert(place, lead_id)
        self._loaded.add(lead_id)
        self._blocks.clear()
        self.endInsertRows()

    def _move(self, position: int, lead_id: int, follow: bool) -> None:
        """Move a row whose sort key changed to its new place, as a move: the view keeps it
        selected and current. One whose place is on a page not loaded yet leaves, to come
        with that page, unless it is followed: then the pages up to it are loaded."""
        key = self._history.sort_key(self._query, lead_id)
        if key is None:
            self._remove(position)  # not a match any more (the search)
            return
        place = self._place_of(key, skip=position)
        while place is None and follow:
            self._fetch(PAGE_ROWS)
            place = self._place_of(key, skip=position)
        if place is None:
            self._remove(position)
            return
        if place in (position, position + 1):  # in its place after all
            self._blocks.pop(position // BLOCK_ROWS, None)  # its row is read afresh
            first, last = self.index(position, 0), self.index(position, len(COLUMNS) - 1)
            self.dataChanged.emit(first, last)
            return
        self.beginMoveRows(QModelIndex(), position, position, QModelIndex(), place)
        row = place if place < position else place - 1  # its row once moved
        self._ids.insert(row, self._ids.pop(position))
        self._blocks.clear()  # the rows between moved
        self.endMoveRows()
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))

    def _place_of(self, key: Cursor, skip: int | None = None) -> int | None:
        """Where a lead with this sort key goes among the rows loaded: before the first
        placed row that does not come before it (`skip`, its own row, and the rows of
        the report not placed yet do not count). None if it belongs to a page not loaded
        yet."""
        low, high = 0, len(self._ids)
        while low < high:
            probe = (low + high) // 2
            while probe < high and self._unsettled(probe, skip):
                probe += 1
            if probe == high:
                high = (low + high) // 2  # only unplaced rows from the middle on
                continue
            if self._before(self._key_at(probe), key):
                low = probe + 1
            else:
                high = probe
        at_the_end = all(self._unsettled(i, skip) for i in range(low, len(self._ids)))
        later_page = self._cursor is not None and self._before(self._cursor, key)
        if at_the_end and not self._complete and later_page:
            return None
        return low

    def _unsettled(self, position: int, skip: int | None) -> bool:
        return position == skip or self._ids[position] in self._unplaced

    def _in_order(self, position: int) -> bool:
        """Whether a row is still between its placed neighbours (and, the last row loaded,
        still before the next page)."""
        key = self._key_at(position)
        previous = position - 1
        while previous >= 0 and self._unsettled(previous, position):
            previous -= 1
        following = position + 1
        while following < len(self._ids) and self._unsettled(following, position):
            following += 1
        after_previous = previous < 0 or self._before(self._key_at(previous), key)
        if following < len(self._ids):
            return after_previous and self._before(key, self._key_at(following))
        next_page = self._complete or self._cursor is None or self._before(key, self._cursor)
        return after_previous and next_page

    def _key_at(self, position: int) -> Cursor:
        anywhere = replace(self._query, filter=Filter.ALL, search="")
        return self._history.sort_key(anywhere, self._ids[position]) or ()

    def _before(self, first: Cursor, second: Cursor) -> bool:
        """Whether a lead with key `first` comes before one with key `second` in the view."""
        return first > second if self._query.descending else first < second

    # --- fetching -------------------------------------------------------------------

    def _row(self, position: int) -> Row | None:
        number = position // BLOCK_ROWS
        block = self._blocks.get(number)
        if block is None:
            start = number * BLOCK_ROWS
            ids = self._ids[start : start + BLOCK_ROWS]
            found = self._history.rows(ids)
            block = [found[i] for i in ids if i in found]
            if len(block) != len(ids):  # purged meanwhile: keep positions, show the gap empty
                block = [found.get(i) or missing_row(i) for i in ids]
            self.notes.take(block, self._history)
            self._blocks[number] = block
            while len(self._blocks) > CACHED_BLOCKS:
                self._blocks.popitem(last=False)
        else:
            self._blocks.move_to_end(number)
        return block[position % BLOCK_ROWS]
