"""Leads for tests: the spec's sample lead with the fewest fields a valid lead needs, and
numbered leads that differ in last name and phone."""

from __future__ import annotations

from leaddesk.domain.lead import Lead

# From the spec's sample request: what a valid lead needs and no more.
MINIMAL: dict[str, object] = {
    "source_id": "Partner ID",
    "fname": "Sue",
    "lname": "Stallman",
    "city": "Notus",
    "state": "ID",
    "phone1": "8013127735",
}


def sample_lead(**fields: str) -> Lead:
    """The minimal lead, with these fields changed or added."""
    return Lead.parse(MINIMAL | fields)


def make_lead(i: int, **fields: str) -> Lead:
    """Lead number i: its own last name and phone (for i under 10,000), so that no two
    look like duplicates of each other."""
    values = {
        "source_id": "SRC1",
        "fname": "Ann",
        "lname": f"Smith{i}",
        "city": "Boise",
        "state": "ID",
        "phone1": f"801312{i % 10000:04d}",
    }
    return Lead.parse(values | fields)
