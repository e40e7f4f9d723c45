"""The bare arm of bench/import_throughput.py: the csv module and the Lead model over the
same rows, and nothing else (no mapping, no detection, no progress, no output per row).

    python bench/import_bare.py FILE.csv SOURCE_ID

Prints "<valid> <invalid>". Kept apart so that it pays for none of the bench's imports.
"""

from __future__ import annotations

import csv
import sys

from leaddesk.domain.fields import LeadInvalid
from leaddesk.domain.lead import Lead


def main() -> None:
    valid = invalid = 0
    with open(sys.argv[1], encoding="utf-8", newline="") as file:  # noqa: PTH123
        for row in csv.DictReader(file):
            row["source_id"] = sys.argv[2]
            try:
                Lead.parse(row)
            except LeadInvalid:
                invalid += 1
            else:
                valid += 1
    print(valid, invalid)


if __name__ == "__main__":
    main()
