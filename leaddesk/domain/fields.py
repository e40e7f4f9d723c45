"""SecurityTrax's 30 lead fields: their metadata, and normalising and checking one field.

This is the one list of fields. The Lead model, the XML, the CSV reader, the form and the
history all derive theirs from `FIELDS`; nothing else spells the field list out again.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any

from leaddesk.domain.email_problems import email_problem
from leaddesk.domain.us_states import state_code


class Kind(StrEnum):
    """What sort of input a field takes; the form picks its widget from this."""

    TEXT = "text"
    MULTILINE = "multiline"
    PHONE = "phone"
    ZIP = "zip"
    STATE = "state"
    EMAIL = "email"
    MONEY = "money"
    CHOICE = "choice"


class Section(StrEnum):
    """Where a field belongs in the flow of a call."""

    CALL = "call"  # what the agent asks the customer
    EXTRA = "extra"  # custom fields and notes, below the call fields
    DESTINATION = "destination"  # per-dealer values, usually prefilled from settings


@dataclass(frozen=True)
class FieldSpec:
    """One SecurityTrax lead field: its element name and what the form and checks need."""

    name: str
    label: str
    help: str
    kind: Kind = Kind.TEXT
    required: bool = False
    max_length: int | None = None
    choices: tuple[tuple[str, str], ...] = ()  # (value sent, label shown)
    section: Section = Section.CALL


class FieldProblem(ValueError):
    """One field's value cannot be sent; the message is fit to show next to the field."""


class LeadInvalid(ValueError):
    """A lead has problems; `problems` maps field name to message, in field order."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        self.problems = dict(problems)
        super().__init__("; ".join(self.problems.values()))


# Free text is capped so that a paste of a whole document into one field is caught at the
# field rather than by the dealer's server. SecurityTrax states a limit only for contact_time.
_TEXT_LIMIT = 255
_NOTE_LIMIT = 4000

_OWNERSHIP = (("", ""), ("own", "Own"), ("rent", "Rent"), ("lease", "Lease"), ("other", "Other"))
_LEAD_TYPES = (("", "Default"), ("2", "Pending"), ("3", "Queue"))


def _field(name: str, label: str, help: str, **kwargs: Any) -> FieldSpec:
    kwargs.setdefault("max_length", _TEXT_LIMIT)
    return FieldSpec(name=name, label=label, help=help, **kwargs)


_D = Section.DESTINATION
_X = Section.EXTRA

# In the order of the spec's sample request; the XML is written in this order.
FIELDS: tuple[FieldSpec, ...] = (
    _field(
        "source_id",
        "Source ID",
        "The ID SecurityTrax assigns to your company as a lead source.",
        required=True,
        section=_D,
    ),
    _field("campaign_id", "Campaign ID", "Sub ID to the source ID.", section=_D),
    _field(
        "lead_type_id",
        "Lead type",
        "Overrides the dealer's default handling: Pending or Queue.",
        kind=Kind.CHOICE,
        choices=_LEAD_TYPES,
        section=_D,
    ),
    _field(
        "lead_purchase_price",
        "Price",
        "What the dealer pays for the lead, e.g. 27.50.",
        kind=Kind.MONEY,
        section=_D,
    ),
    _field("fname", "First name", "The lead's first name.", required=True),
    _field("lname", "Last name", "The lead's last name.", required=True),
    _field("address1", "Address", "First line of the lead's address."),
    _field("address2", "Address line 2", "Second line of the lead's address."),
    _field("city", "City", "City of the lead.", required=True),
    _field(
        "state",
        "State",
        "Two-letter code or name of a US state or territory.",
        kind=Kind.STATE,
        required=True,
    ),
    _field("zip", "ZIP", "5-digit ZIP code, or ZIP+4.", kind=Kind.ZIP),
    _field("phone1", "Phone 1", "The lead's primary phone number.", kind=Kind.PHONE, required=True),
    _field("phone2", "Cell phone", "The lead's cell phone number.", kind=Kind.PHONE),
    _field("phone3", "Work phone", "The lead's work phone number.", kind=Kind.PHONE),
    _field("phone4", "Other phone", "Another phone number for the lead.", kind=Kind.PHONE),
    _field("email", "Email", "The lead's email address.", kind=Kind.EMAIL),
    _field(
        "lead_comments",
        "Comments",
        "Comments from the lead.",
        kind=Kind.MULTILINE,
        max_length=_NOTE_LIMIT,
    ),
    _field(
        "contact_time",
        "Best time to call",
        "When to contact the lead, e.g. Noon (50 characters at most).",
        max_length=50,
    ),
    _field(
        "lead_source_info", "Source info", "Where the lead came from, e.g. Cold Call.", section=_D
    ),
    _field(
        "lead_company_unique_id",
        "Your lead ID",
        "This lead's ID in your system; LeadDesk fills it when blank.",
        section=_X,
    ),
    _field(
        "lead_home_ownership",
        "Home ownership",
        "Whether the lead owns, rents or leases the home.",
        kind=Kind.CHOICE,
        choices=_OWNERSHIP,
    ),
    _field(
        "lead_callcenter_rep",
        "Call-center rep",
        "Your name or ID as the rep who generated the lead.",
        section=_D,
    ),
    _field(
        "lead_callcenter_notes",
        "Notes for the dealer",
        "Notes about this lead from the call center.",
        kind=Kind.MULTILINE,
        max_length=_NOTE_LIMIT,
        section=_X,
    ),
    _field(
        "lead_promo_code",
        "Promo code",
        "The promotion code used to generate this lead.",
        section=_D,
    ),
    _field("lead_custom1", "Custom 1", "Custom text field.", section=_X),
    _field("lead_custom2", "Custom 2", "Custom text field.", section=_X),
    _field("lead_custom3", "Custom 3", "Custom text field.", section=_X),
    _field("lead_custom4", "Custom 4", "Custom text field.", section=_X),
    _field("spouse", "Spouse", "Name of the lead's spouse."),
    _field(
        "lead_rep_id",
        "Dealer rep ID",
        "The dealer's rep to assign the lead to automatically.",
        section=_X,
    ),
)
FIELD_NAMES: tuple[str, ...] = tuple(spec.name for spec in FIELDS)
FIELD_BY_NAME: Mapping[str, FieldSpec] = {spec.name: spec for spec in FIELDS}
REQUIRED_FIELDS: tuple[str, ...] = tuple(spec.name for spec in FIELDS if spec.required)


def in_field_order(problems: Mapping[str, str]) -> dict[str, str]:
    order = {name: i for i, name in enumerate(FIELD_NAMES)}
    return dict(sorted(problems.items(), key=lambda item: order.get(item[0], len(order))))


# --- normalising and checking one field ------------------------------------------------

# Characters XML 1.0 cannot carry: C0 controls other than tab, newline and carriage return,
# surrogates, and U+FFFE/U+FFFF. They arrive pasted from other programs.
NOT_XML_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Characters that show nothing and mean nothing in a name or a number, pasted with text
# from web pages and documents: soft hyphen, zero-width space, the marks of writing
# direction, word joiner, byte order mark. Left in, "Stall\u00adman" would not be the
# "Stallman" sent yesterday to the duplicate guard. (Zero-width joiners stay: some
# scripts spell with them.)
_INVISIBLE = re.compile("[\u00ad\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\ufeff]")
_LINE_BREAKS = re.compile(r"\r\n?")
_BLANK_RUNS = re.compile(r"\s+")
_ZIP = re.compile(r"([0-9]{5})(?:-?([0-9]{4}))?")  # 9 plain digits: our own sent form
_PRICE_LIMIT = Decimal("100000")
# The +1 regions whose homes SecurityTrax dealers serve: the US with its territories, and
# Canada. The Caribbean shares +1 but is neither.
_NANP_REGIONS_SERVED = frozenset({"US", "CA", "PR", "VI", "GU", "AS", "MP"})


def clean_field(name: str, value: object) -> str:
    """The value of one field as it will be sent, or FieldProblem saying what is wrong.

    Used by the model for whole leads, and by the form to check a field as it is typed.
    """
    spec = FIELD_BY_NAME[name]
    text = _as_text(spec, value)
    bad = NOT_XML_CHARACTER.search(text)
    if bad:
        raise FieldProblem(
            f"{spec.label} has a hidden character (U+{ord(bad.group()):04X}) "
            f"at position {bad.start() + 1}: retype it."
        )
    if spec.kind is Kind.TEXT:  # names, addresses; an email says what it cannot carry
        text = _INVISIBLE.sub("", text)
    text = _LINE_BREAKS.sub("\n", text).strip()
    if spec.kind is not Kind.MULTILINE:
        text = _BLANK_RUNS.sub(" ", text)
    if not text:
        if spec.required:
            raise FieldProblem(f"{spec.label} is required.")
        return ""
    text = _NORMALISERS.get(spec.kind, _keep)(spec, text)
    if spec.max_length is not None and len(text) > spec.max_length:
        raise FieldProblem(
            f"{spec.label} must be at most {spec.max_length} characters (it has {len(text)})."
        )
    return text


def _as_text(spec: FieldSpec, value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    raise FieldProblem(f"{spec.label} must be text.")


def _keep(spec: FieldSpec, text: str) -> str:
    return text


def _phone(spec: FieldSpec, text: str) -> str:
    # Imported on first use: building its metadata tables takes long enough that the
    # window's first paint should not wait for it.
    import phonenumbers

    message = f"{spec.label} must be a 10-digit US or Canadian number."
    try:
        number = phonenumbers.parse(text, "US")
    except phonenumbers.NumberParseException:
        raise FieldProblem(message) from None
    if number.country_code != 1 or number.extension or not phonenumbers.is_valid_number(number):
        raise FieldProblem(message)
    if phonenumbers.region_code_for_number(number) not in _NANP_REGIONS_SERVED:
        raise FieldProblem(message)
    return phonenumbers.national_significant_number(number)


def _zip(spec: FieldSpec, text: str) -> str:
    match = _ZIP.fullmatch(text)
    if not match:
        raise FieldProblem(f"{spec.label} must be 5 digits, or ZIP+4 like 83660-1234.")
    return match.group(1) + (match.group(2) or "")


def _state(spec: FieldSpec, text: str) -> str:
    code = state_code(text)
    if code is None:
        raise FieldProblem(
            f"{spec.label} must be a US state, DC or territory: a code (ID) or name (Idaho)."
        )
    return code


def _email(spec: FieldSpec, text: str) -> str:
    # Imported on first use: email_validator compiles its patterns at import, not cheaply.
    from email_validator import EmailNotValidError, validate_email

    try:
        checked = validate_email(text, check_deliverability=False)
    except EmailNotValidError as error:
        # Its words are long and may quote the input: ours fit the line under the field.
        raise FieldProblem(email_problem(spec.label, text, str(error))) from None
    return str(checked.normalized)


def _money(spec: FieldSpec, text: str) -> str:
    message = f"{spec.label} must be an amount like 27.50."
    digits = text.removeprefix("$").replace(",", "").strip()
    if digits.startswith("-"):
        raise FieldProblem(f"{spec.label} cannot be negative.")
    try:
        amount = Decimal(digits)
    except InvalidOperation:
        raise FieldProblem(message) from None
    if not amount.is_finite() or not re.fullmatch(r"[0-9]+(\.[0-9]*)?|\.[0-9]+", digits):
        raise FieldProblem(message)
    # The limit first: quantize raises InvalidOperation for an amount of more digits than
    # the decimal context holds (27 or so), which no message would then explain.
    if amount >= _PRICE_LIMIT:
        raise FieldProblem(f"{spec.label} must be less than {_PRICE_LIMIT:,}.")
    if amount != amount.quantize(Decimal("0.01")):
        raise FieldProblem(f"{spec.label} cannot have fractions of a cent.")
    return f"{amount:.2f}"


def _choice(spec: FieldSpec, text: str) -> str:
    key = text.casefold()
    for value, label in spec.choices:
        if key in (value.casefold(), label.casefold()):
            return value
    allowed = ", ".join(label for value, label in spec.choices if value)
    raise FieldProblem(f"{spec.label} must be one of: {allowed}.")


_NORMALISERS: Mapping[Kind, Callable[[FieldSpec, str], str]] = {
    Kind.PHONE: _phone,
    Kind.ZIP: _zip,
    Kind.STATE: _state,
    Kind.EMAIL: _email,
    Kind.MONEY: _money,
    Kind.CHOICE: _choice,
}


def format_phone(digits: str) -> str:
    """A stored phone (10 digits) as people read it: (208) 555-0134; anything else as is."""
    if len(digits) == 10 and digits.isdigit():
        return f"({digits[:3]}) {digits[3:6]}-{digits[6:]}"
    return digits
