"""A lead file read as `leaddesk send` reads it, whole, for tests of what it holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from leaddesk.domain.lead import Lead
from leaddesk.sources.rows import LeadFile, SourceRow


@dataclass
class ReadFile:
    leads: list[tuple[int, Lead]] = field(default_factory=list)  # (row, lead)
    problems: list[SourceRow] = field(default_factory=list)


def read_lead_file(path: Path) -> ReadFile:
    read = ReadFile()
    with LeadFile(path) as lead_file:
        for row in lead_file.rows():
            if row.lead is None:
                read.problems.append(row)
            else:
                read.leads.append((row.row, row.lead))
    return read
