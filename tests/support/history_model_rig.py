"""Reading the history model as a view does, and answering its queued leads as the send
loop does."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QModelIndex

from leaddesk.config.settings import Sending
from leaddesk.domain.outcomes import LeadResult, Outcome, PostResult
from leaddesk.gui.history.model import (
    LEAD_ID_ROLE,
    HistoryModel,
)
from leaddesk.history.history_query import COLUMNS, Column
from leaddesk.history.store import Store
from leaddesk.wire.formats import everywhere
from leaddesk.wire.securitytrax_xml import SECURITYTRAX_XML
from tests.support.history_data import (
    FAILED_ERROR,
    OWNER,
    REJECTED_ERROR,
    UNCONFIRMED_ERROR,
    URL,
)

SMALL_PAGE = 10  # rows a page for the history's paging tests: a few pages of a few dozen


def column(name: Column) -> int:
    return COLUMNS.index(name)


def shown_ids(model: HistoryModel) -> list[int]:
    return [model.data(model.index(row, 0), LEAD_ID_ROLE) for row in range(model.rowCount())]


def answer(store: Store, outcomes: Sequence[tuple[int, Outcome]]) -> None:
    """One post for these queued leads (due now), with these outcomes: the send loop's turn."""
    claim = store.claim(OWNER, len(outcomes), everywhere(SECURITYTRAX_XML))
    assert claim is not None
    wanted = dict(outcomes)
    assert [lead.id for lead in claim.leads] == list(wanted)
    errors = {
        Outcome.REJECTED: (REJECTED_ERROR,),
        Outcome.UNCONFIRMED: (UNCONFIRMED_ERROR,),
        Outcome.NOT_SENT: (FAILED_ERROR,),
    }
    results = tuple(
        LeadResult(lead.lead, wanted[lead.id], "777" if wanted[lead.id] is Outcome.ACCEPTED else "",
                   errors.get(wanted[lead.id], ()))
        for lead in claim.leads
    )  # fmt: skip
    post = PostResult(URL, claim.request, 200, b"<root/>", 0.01, results)
    store.record(OWNER, claim, post, Sending(retry_limit=1))


def fetch_all(model: HistoryModel) -> None:
    """Load every page of ids, as a view scrolled to the end does."""
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
