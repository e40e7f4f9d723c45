"""Files in the layouts call floors already have, written from their published column
lists (VICIdial's list_download.php, Facebook Lead Ads' CSV, Google Ads' lead form
columns, LeadConduit's and boberdoo's field names), for sending to the sandbox."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from pathlib import Path

# As the issue and VICIdial's list_download.php give them.
_VICIDIAL_LIST = (
    "lead_id entry_date modify_date status user vendor_lead_code source_id list_id "
    "gmt_offset_now called_since_last_reset phone_code phone_number title first_name "
    "middle_initial last_name address1 address2 address3 city state province postal_code "
    "country_code gender date_of_birth alt_phone email security_phrase comments called_count "
    "last_local_call_time rank owner entry_list_id"
)
VICIDIAL_COLUMNS = tuple(_VICIDIAL_LIST.split())
FACEBOOK_COLUMNS = (
    "id", "created_time", "ad_id", "ad_name", "adset_id", "adset_name", "campaign_id",
    "campaign_name", "form_id", "form_name", "is_organic", "platform",
    "do_you_own_your_home?", "email", "full_name", "phone_number", "zip_code", "lead_status",
)  # fmt: skip
GOOGLE_ADS_COLUMNS = (
    "lead_id", "gcl_id", "form_id", "campaign_id", "is_test", "FULL_NAME", "PHONE_NUMBER",
    "EMAIL", "POSTAL_CODE", "CITY", "REGION", "STREET_ADDRESS",
)  # fmt: skip
LEADCONDUIT_COLUMNS = (
    "first_name", "last_name", "phone_1", "email", "postal_code", "trustedform_cert_url",
    "leadid_token",
)  # fmt: skip
BOBERDOO_COLUMNS = (
    "First_Name", "Last_Name", "Address", "City", "State", "Primary_Phone", "Email",
    "IP_Address", "Trusted_Form_URL", "Disclaimer",
)  # fmt: skip

# Other systems' ids that share SecurityTrax's names: never the dealer's.
FOREIGN_SOURCE = "VICISRC9"
FOREIGN_LIST = "1000"
FOREIGN_CAMPAIGN = "c:120208888888"


def vicidial_row(i: int) -> dict[str, str]:
    return {
        "lead_id": str(5000 + i), "entry_date": "2026-11-30 09:12:01",
        "modify_date": "2026-12-01 10:00:00", "status": "NEW", "user": "agent007",
        "vendor_lead_code": f"VL-{i}", "source_id": FOREIGN_SOURCE, "list_id": FOREIGN_LIST,
        "gmt_offset_now": "-7.00", "called_since_last_reset": "N", "phone_code": "1",
        "phone_number": f"208555{i:04d}", "title": "Ms", "first_name": f"Ann{i}",
        "middle_initial": "Q", "last_name": f"O'Brien{i}", "address1": "12 Elm St",
        "city": "Boise", "state": "ID", "postal_code": "83702", "country_code": "USA",
        "alt_phone": "2085550199", "email": f"ann{i}@example.com",
        "comments": 'gate code 44!Nsays "call after 5"', "called_count": "2",
        "entry_list_id": FOREIGN_LIST,
    }  # fmt: skip


def facebook_row(i: int) -> dict[str, str]:
    return {
        "id": f"l:{880000 + i}", "created_time": "2026-12-01T10:11:12-07:00",
        "ad_id": "ag:1202", "ad_name": "Winter promo", "adset_id": "as:1203",
        "adset_name": "Idaho homeowners", "campaign_id": FOREIGN_CAMPAIGN,
        "campaign_name": "Security Q4", "form_id": "f:1204", "form_name": "Free quote",
        "is_organic": "false", "platform": "fb", "do_you_own_your_home?": "yes",
        "email": f"bo{i}@example.com", "full_name": f"Mary van der Berg{i}",
        "phone_number": f"p:+1208555{i:04d}", "zip_code": "z:83702", "lead_status": "CREATED",
    }  # fmt: skip


def google_row(i: int) -> dict[str, str]:
    return {
        "lead_id": f"TeSter-{i}", "gcl_id": "Cj0KCQiA", "form_id": "777", "campaign_id": "555",
        "is_test": "false", "FULL_NAME": f"Dr. Cy Lee{i} Jr.", "PHONE_NUMBER": f"+1208555{i:04d}",
        "EMAIL": f"cy{i}@example.com", "POSTAL_CODE": "83702", "CITY": "Boise",
        "REGION": "Idaho", "STREET_ADDRESS": "1 Main St",
    }  # fmt: skip


def leadconduit_row(i: int) -> dict[str, str]:
    return {
        "first_name": f"Dee{i}", "last_name": f"Núñez{i}", "phone_1": f"(208) 555-{i:04d}",
        "email": f"dee{i}@example.com", "postal_code": "83702",
        "trustedform_cert_url": "https://cert.trustedform.com/abc", "leadid_token": "ABC-123",
    }  # fmt: skip


def boberdoo_row(i: int) -> dict[str, str]:
    return {
        "First_Name": f"Éva{i}", "Last_Name": f"Zoë{i}", "Address": "9 Oak Ave",
        "City": "Nampa", "State": "ID", "Primary_Phone": f"208-555-{i:04d}",
        "Email": f"eva{i}@example.com", "IP_Address": "203.0.113.7",
        "Trusted_Form_URL": "https://cert.trustedform.com/xyz", "Disclaimer": "I agree",
    }  # fmt: skip


def write_table(
    path: Path,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, str]],
    delimiter: str = ",",
    encoding: str = "utf-8",
    quote_all: bool = False,
) -> Path:
    text = io.StringIO(newline="")
    writer = csv.writer(
        text, delimiter=delimiter, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL
    )
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(column, "") for column in columns])
    path.write_bytes(text.getvalue().encode(encoding))
    return path


def write_vicidial(folder: Path, rows: Sequence[Mapping[str, str]]) -> Path:
    """As list_download.php writes it: tab-separated, nothing quoted, LIST_<id>_<time>.txt."""
    lines = ["\t".join(VICIDIAL_COLUMNS)]
    lines += ["\t".join(row.get(column, "") for column in VICIDIAL_COLUMNS) for row in rows]
    path = folder / f"LIST_{FOREIGN_LIST}_20261201101112.txt"
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


# As VICIdial's VICIDIAL_IN_new_leads_file.pl reads it: pipes, no header row, this order.
_VICIDIAL_IMPORT = (
    "vendor_lead_code|source_id|list_id|phone_code|phone_number|title|first_name|middle|"
    "last_name|address1|address2|address3|city|state|province|postal_code|country|gender|"
    "date_of_birth|alt_phone|email|security_phrase|COMMENTS"
)
VICIDIAL_IMPORT_ORDER = tuple(_VICIDIAL_IMPORT.split("|"))
# The list export's names for the import's columns, where they differ.
_IMPORT_AS_EXPORT = {"middle": "middle_initial", "country": "country_code", "COMMENTS": "comments"}


def write_vicidial_import(
    path: Path, rows: Sequence[Mapping[str, str]], quote_text: bool = False
) -> Path:
    """Rows of vicidial_row()'s kind as a standard import file (comments without !N: the
    import takes one line per lead). `quote_text`: each cell that is not all digits in
    quotes, as spreadsheets save text cells (VICIdial's loader takes the quotes off)."""

    def cell(row: Mapping[str, str], column: str) -> str:
        value = row.get(_IMPORT_AS_EXPORT.get(column, column), "").replace("!N", " ")
        if quote_text and value and not value.isdigit():
            return '"' + value.replace('"', '""') + '"'
        return value

    lines = ["|".join(cell(row, column) for column in VICIDIAL_IMPORT_ORDER) for row in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path
