"""One full name (Facebook's `full_name`, Google's `FULL_NAME`) as a first and a last name.

nameparser knows titles (Dr., Mrs.), suffixes (Jr., III), "Last, First" and particles
("van der Berg"): a last name split at the last space would send "Berg" with "Mary van
der" as her first name.
"""

from __future__ import annotations


def split_full_name(full_name: str) -> dict[str, str]:
    """{"fname": ..., "lname": ...}; a single word is the first name."""
    from nameparser import HumanName  # only files with a full-name column pay for it

    name = HumanName(" ".join(full_name.split()))
    first = " ".join(part for part in (name.first, name.middle) if part)
    last = " ".join(part for part in (name.last, name.suffix) if part)
    if not first and not last:
        return {"fname": full_name.strip()}
    return {"fname": first, "lname": last}
