"""The files call floors already have, by their published column lists: which columns
tell a layout apart, what its columns mean, which of its ids are its own, and how its
values are written.

A layout's own ids are never taken for SecurityTrax's: VICIdial's `source_id` and `list_id`
name VICIdial's lists and vendors, Facebook's and Google's `campaign_id` their ad campaigns.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

from leaddesk.sources.field_names import spelling_key
from leaddesk.sources.vicidial_names import VICIDIAL_FIELDS

FULL_NAME = "full name"  # not a field: a column split into fname and lname


@dataclass(frozen=True)
class Layout:
    name: str
    signature: frozenset[str]  # spelling keys found in this layout's files and few others
    needed: int  # how many of the signature a header must have
    fields: Mapping[str, str] = field(default_factory=dict)  # key -> field or FULL_NAME
    own: Mapping[str, str] = field(default_factory=dict)  # key -> why it is not sent
    clean: Callable[[str, str], str] | None = None  # (field, value) -> value as meant
    quoted: bool = True  # False: a quote in a cell is a character (the file quotes nothing)
    own_delimiter: str | None = None  # what the layout's own unquoted files are split by
    # The spelling key of a column holding the phones' country calling code, if any.
    country_code_column: str | None = None
    # Empty cells past the last column are dropped: the format's loader ignores them (a
    # line ending in the delimiter is not one column too many).
    trailing_empty_ignored: bool = False

    def reads_quotes(self, delimiter: str) -> bool:
        """Whether quotes wrap cells in a file of this layout split by `delimiter`: yes but
        in the layout's own unquoted files. A spreadsheet that saved one with another
        delimiter (a VICIdial export opened in Excel, saved as CSV) quotes the cells that
        hold it or a quote."""
        return self.quoted or delimiter != self.own_delimiter


def _keys(*names: str) -> frozenset[str]:
    return frozenset(spelling_key(name) for name in names)


def _vicidial_value(field_name: str, value: str) -> str:
    # VICIdial writes a line break inside a cell as !N (its list export is tab-separated
    # with no quoting).
    return value.replace("!N", "\n")


_PREFIXED = re.compile(r"(?:p|z):(.*)", re.DOTALL)


def _facebook_value(field_name: str, value: str) -> str:
    # Facebook prefixes phones "p:" and ZIPs "z:" so that spreadsheets keep them as text.
    if field_name in ("phone1", "phone2", "phone3", "phone4", "zip"):
        match = _PREFIXED.fullmatch(value.strip())
        if match:
            return match.group(1)
    return value


_VICIDIAL_OWN = "VICIdial's own"
VICIDIAL = Layout(
    name="VICIdial list export",
    signature=_keys(
        "lead_id",
        "vendor_lead_code",
        "source_id",
        "list_id",
        "gmt_offset_now",
        "called_since_last_reset",
        "phone_code",
        "security_phrase",
        "called_count",
        "last_local_call_time",
        "entry_list_id",
        "modify_date",
        "entry_date",
    ),
    needed=4,
    fields={spelling_key(name): field for name, field in VICIDIAL_FIELDS.items()},
    own={
        spelling_key("source_id"): f"{_VICIDIAL_OWN} source id, not the dealer's Source ID",
        spelling_key("list_id"): f"{_VICIDIAL_OWN} list id",
        spelling_key("entry_list_id"): f"{_VICIDIAL_OWN} list id",
        spelling_key("lead_id"): f"{_VICIDIAL_OWN} lead id",
        spelling_key("user"): "the VICIdial agent, not the lead",
        spelling_key("owner"): "the VICIdial owner, not the lead",
        **{
            spelling_key(name): f"{_VICIDIAL_OWN} dialing detail"
            for name in (
                "entry_date",
                "modify_date",
                "status",
                "gmt_offset_now",
                "called_since_last_reset",
                "phone_code",
                "called_count",
                "last_local_call_time",
                "rank",
                "security_phrase",
            )
        },
        **{
            spelling_key(name): "no SecurityTrax field for it"
            for name in (
                "title",
                "middle_initial",
                "address3",
                "province",
                "country_code",
                "gender",
                "date_of_birth",
            )
        },
    },
    clean=_vicidial_value,
    quoted=False,  # its export quotes nothing: a quote in a comment is a character
    own_delimiter="\t",
    country_code_column=spelling_key("phone_code"),
)

# VICIdial's standard import file (VICIDIAL_IN_new_leads_file.pl): pipes, no header row,
# these columns in this order. Its own names are `middle`, `country` and `COMMENTS`; they
# are spelt here as its list export spells them, so that one layout reads both files.
VICIDIAL_IMPORT_COLUMNS = (
    "vendor_lead_code", "source_id", "list_id", "phone_code", "phone_number", "title",
    "first_name", "middle_initial", "last_name", "address1", "address2", "address3", "city",
    "state", "province", "postal_code", "country_code", "gender", "date_of_birth", "alt_phone",
    "email", "security_phrase", "comments",
)  # fmt: skip


def _vicidial_import_value(field_name: str, value: str) -> str:
    # The import is written by the floor's own tools, spreadsheets among them, which quote
    # text cells ("Ann", a quote inside doubled); VICIdial's loader takes quotes off. A
    # quote that does not wrap the whole cell is a character, as in the export.
    inner = value.strip()
    if len(inner) >= 2 and inner[0] == inner[-1] == '"':
        value = inner[1:-1].replace('""', '"')
    return _vicidial_value(field_name, value)


VICIDIAL_IMPORT = replace(
    VICIDIAL,
    name="VICIdial standard import (no header row)",
    clean=_vicidial_import_value,
    trailing_empty_ignored=True,
    own_delimiter="|",
)


_IMPORT_PHONE = VICIDIAL_IMPORT_COLUMNS.index("phone_number")
# VICIdial keeps a phone's digits and skips a lead with fewer than seven: so digits, or a
# US number written with its usual marks. A date or a word is no phone number.
_PHONE_NUMBER = re.compile(r"\+?\d{7,15}|(?:\+?1[ .-]?)?\(?\d{3}\)?[ .-]?\d{3}[ .-]?\d{4}")


def headerless_layout(first_row: Sequence[str], delimiter: str) -> bool:
    """Whether a file whose first row is this reads as VICIdial's standard import: as many
    pipe-separated cells as it has columns, and a phone number where the format has it. A
    header row has no phone number in it, whatever words it has: a header of this width in
    words LeadDesk does not know (another language) is refused, not sent by position; a
    first lead whose values happen to be names of fields (a city of Mobile, a surname of
    Street) is still a lead."""
    cells = without_trailing_empty(first_row, len(VICIDIAL_IMPORT_COLUMNS))
    return (
        delimiter == "|"
        and len(cells) == len(VICIDIAL_IMPORT_COLUMNS)
        and _PHONE_NUMBER.fullmatch(cells[_IMPORT_PHONE].strip()) is not None
    )


def without_trailing_empty(cells: Sequence[str], width: int) -> Sequence[str]:
    """A standard import's line may end in a `|` (VICIdial's loader ignores it): one empty
    cell past the last column is no cell."""
    return cells[:width] if len(cells) == width + 1 and not cells[-1].strip() else cells


def dialled_abroad(country_code: str) -> str | None:
    """Why a lead's phone is not sent when the dialer keeps its country calling code
    apart (VICIdial's phone_code): the code of another country than the US and Canada,
    whose ten digits may still read as a US number. None for 1 (+1, 001) or none."""
    code = country_code.strip().removeprefix("+").lstrip("0")
    if code in ("", "1"):
        return None
    return (
        f"the dialer's country code {code} (phone_code) makes it no US or Canadian number;"
        " LeadDesk sends those only"
    )


_FACEBOOK_OWN = "Facebook's own"
_FACEBOOK_AD_DETAILS = (
    "created_time",
    "ad_id",
    "ad_name",
    "adset_id",
    "adset_name",
    "form_id",
    "form_name",
    "is_organic",
    "platform",
    "lead_status",
)
FACEBOOK = Layout(
    name="Facebook Lead Ads export",
    signature=_keys(*_FACEBOOK_AD_DETAILS, "campaign_name"),
    needed=4,
    fields={
        spelling_key("full_name"): FULL_NAME,
        spelling_key("phone_number"): "phone1",
        spelling_key("zip_code"): "zip",
        spelling_key("post_code"): "zip",
        spelling_key("email"): "email",
    },
    own={
        spelling_key("id"): f"{_FACEBOOK_OWN} lead id",
        spelling_key("campaign_id"): f"{_FACEBOOK_OWN} ad campaign, not the dealer's Campaign ID",
        spelling_key("campaign_name"): f"{_FACEBOOK_OWN} ad campaign",
        **{spelling_key(name): f"{_FACEBOOK_OWN} ad detail" for name in _FACEBOOK_AD_DETAILS},
    },
    clean=_facebook_value,
)

_GOOGLE_OWN = "Google Ads' own"
GOOGLE_ADS = Layout(
    name="Google Ads lead form",
    signature=_keys("gcl_id", "gclid", "is_test", "form_id", "lead_id", "user_column_data"),
    needed=2,
    fields={
        spelling_key("FULL_NAME"): FULL_NAME,
        spelling_key("PHONE_NUMBER"): "phone1",
        spelling_key("REGION"): "state",
        spelling_key("STREET_ADDRESS"): "address1",
    },
    own={
        spelling_key("lead_id"): f"{_GOOGLE_OWN} lead id",
        spelling_key("gcl_id"): f"{_GOOGLE_OWN} click id",
        spelling_key("gclid"): f"{_GOOGLE_OWN} click id",
        spelling_key("form_id"): f"{_GOOGLE_OWN} form id",
        spelling_key("campaign_id"): f"{_GOOGLE_OWN} ad campaign, not the dealer's Campaign ID",
        spelling_key("adgroup_id"): f"{_GOOGLE_OWN} ad group",
        spelling_key("creative_id"): f"{_GOOGLE_OWN} ad",
        spelling_key("is_test"): f"{_GOOGLE_OWN} test flag",
        spelling_key("api_version"): f"{_GOOGLE_OWN} detail",
        spelling_key("COUNTRY"): "no SecurityTrax field for it",
    },
)

_CONSENT = "consent evidence: no SecurityTrax field for it"
LEAD_PLATFORM = Layout(
    name="LeadConduit / boberdoo lead",
    # Not phone_1: it is spelt as SecurityTrax's phone1, in LeadDesk's own files too.
    signature=_keys(
        "trustedform_cert_url",
        "leadid_token",
        "trusted_form_url",
        "ip_address",
        "disclaimer",
        "tcpa_consent",
        "jornaya_lead_id",
    ),
    needed=1,
    fields={spelling_key("phone_1"): "phone1", spelling_key("phone_2"): "phone2"},
    own={
        spelling_key("trustedform_cert_url"): _CONSENT,
        spelling_key("trusted_form_url"): _CONSENT,
        spelling_key("leadid_token"): _CONSENT,
        spelling_key("jornaya_lead_id"): _CONSENT,
        spelling_key("tcpa_consent"): _CONSENT,
        spelling_key("disclaimer"): _CONSENT,
        spelling_key("ip_address"): "the lead's IP address: no SecurityTrax field for it",
    },
)

LAYOUTS: tuple[Layout, ...] = (VICIDIAL, FACEBOOK, GOOGLE_ADS, LEAD_PLATFORM)
_VICIDIAL_FILE = re.compile(r"LIST_\d+_\d+\.txt", re.IGNORECASE)


def recognise(headers: Collection[str], file_name: str = "") -> Layout | None:
    """The known layout whose columns these are, or None."""
    keys = {spelling_key(header) for header in headers}
    if _VICIDIAL_FILE.fullmatch(file_name) and len(keys & VICIDIAL.signature) >= 2:
        return VICIDIAL
    found = [(len(keys & layout.signature), layout) for layout in LAYOUTS]
    found = [(hits, layout) for hits, layout in found if hits >= layout.needed]
    return max(found, key=lambda each: each[0])[1] if found else None
