"""Writing leads to a CSV file: the history view an agent or supervisor is looking at."""

from __future__ import annotations

import csv
import errno
import os
import stat
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.history.formula_guard import guarded
from leaddesk.history.store import Store
from leaddesk.history.store_file import is_history_file

# "lead_state" (delivery) keeps clear of SecurityTrax's own "state" field (the US state).
HEADER = (
    "id",
    "created_at",
    "lead_state",
    "customer_id",
    "errors",
    "destination",
    *FIELD_NAMES,
)


def export_csv(store: Store, ids: Sequence[int], path: Path) -> int:
    """Write these leads, in this order, with every field; the number written.

    UTF-8 with a BOM, so that Excel opens names with accents correctly; the field columns
    use SecurityTrax's names, so that the file can be sent again with `leaddesk send`
    after the extra columns are removed. Text that a spreadsheet would run as a formula
    is written guarded (see formula_guard).
    """
    if is_history_file(path, store.path):  # emptied first by O_TRUNC: every lead gone
        raise OSError(errno.EINVAL, "that is LeadDesk's own history, not a file to export to")
    written = 0
    # Readable by its owner only, like the history it comes from: it holds personal data.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        if stat.S_ISREG(os.fstat(fd).st_mode):  # an existing file is tightened too
            os.fchmod(fd, 0o600)
        file = os.fdopen(fd, "w", encoding="utf-8-sig", newline="")
    except BaseException:
        os.close(fd)
        raise
    with file:
        out = csv.writer(file)
        out.writerow(HEADER)
        for start in range(0, len(ids), 500):
            for lead in store.get_many(ids[start : start + 500]):
                created = datetime.fromtimestamp(lead.created_at).astimezone()
                texts = (
                    created.isoformat(timespec="seconds"),
                    lead.state.value,
                    lead.customer_id,
                    " | ".join(lead.errors),
                    lead.destination,
                    *lead.lead.values().values(),
                )
                out.writerow((lead.id, *map(guarded, texts)))
                written += 1
    return written
