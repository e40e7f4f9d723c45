"""`leaddesk://new?…` links from a dialer: which lead fields they fill, and nothing else.

A dialer's web form (VICIdial's Web Form or Start Call URL, Five9's connector) opens a
link with the call's values. The link may name them by SecurityTrax's field names or by
VICIdial's web-form variables. Everything else is dropped here, at the first step, and is
never stored, logged or shown: VICIdial's default web form puts the agent's own passwords
in the URL (`pass`, `phone_pass`), with the agent's `user`, VICIdial's `source_id` and
`campaign`, and dozens of call variables that are not the lead's.

Where the dialer's `lead_id` goes: a line of `lead_callcenter_notes` ("Dialer lead ID:
…"). The spec defines those notes as "notes specific to this lead from the sender", sent
with the lead, so the id stays with it in the history and reaches the dealer, who can
quote it back. Not `lead_company_unique_id`: LeadDesk's duplicate guard and the dealer
treat that as the one id of this lead for every resend, and VICIdial's `vendor_lead_code`
(the call floor's own id for the lead) already fills it; a dialer's `lead_id` is unique
only within one VICIdial server and comes back every time the lead is called again. Not a
custom field: `lead_custom1..4` have no meaning in the spec, dealers give them their own,
and a link must not overwrite one the agent or the dealer uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote_plus, urlencode, urlsplit

from leaddesk.domain.errors import UsageError
from leaddesk.domain.fields import FIELD_BY_NAME, FIELD_NAMES, Section
from leaddesk.sources.vicidial_names import VICIDIAL_FIELDS

SCHEME = "leaddesk"
ACTION = "new"
NOTES_FIELD = "lead_callcenter_notes"
LEAD_ID_LINE = "Dialer lead ID: "
# A link is a line in a browser's address bar, not a file: anything longer is no dialer's.
MAX_LINK_CHARACTERS = 16_000
MAX_PARAMETERS = 200

# VICIdial's web-form variables for the lead (its list export's names for the lead's own
# columns), and the field each fills. `vendor_id` is how its default web form spells
# `vendor_lead_code`, the call floor's own id for the lead. Only these: a link drops any
# name it does not know, where a file's reader also knows many more spellings.
VICIDIAL_NAMES: Mapping[str, str] = {**VICIDIAL_FIELDS, "vendor_id": "lead_company_unique_id"}
DIALER_LEAD_ID = "lead_id"

# SecurityTrax's own names, but not the destination's values (source and campaign IDs,
# lead type, price, promo code, rep): those are the dealer's, set in the settings. A dialer
# sends ids of its own under the same names (VICIdial's default form sends its `source_id`),
# which must never reach SecurityTrax as the dealer's.
SECURITYTRAX_NAMES: frozenset[str] = frozenset(
    name for name in FIELD_NAMES if FIELD_BY_NAME[name].section is not Section.DESTINATION
)
LINK_FIELDS: frozenset[str] = SECURITYTRAX_NAMES  # every field a link may fill

# Not a lead field: what `leaddesk open` hands the window, beside a link's values, when it
# could use none of the link (the window says why; a browser shows no terminal).
PROBLEM_KEY = "leaddesk_problem"
NO_KNOWN_FIELD = (
    "The dialer's link names no lead field LeadDesk knows: nothing was filled. Check the "
    "dialer's web form link (see the README, Leads from the dialer)."
)

# A VAR template's placeholder that the dialer left in place (a variable it does not know).
_PLACEHOLDER = re.compile(r"--A--\w+--B--")


@dataclass(frozen=True)
class DialerLink:
    """What a link fills: SecurityTrax field name -> value, only fields with a value."""

    values: dict[str, str]

    @property
    def dialer_lead_id(self) -> str:
        notes = self.values.get(NOTES_FIELD, "")
        lines = [line for line in notes.splitlines() if line.startswith(LEAD_ID_LINE)]
        return lines[-1].removeprefix(LEAD_ID_LINE) if lines else ""


def parse_link(url: str) -> DialerLink:
    """The lead values of a `leaddesk://new?…` link; UsageError when it is none.

    The error never repeats the link: it may hold a password.
    """
    if len(url) > MAX_LINK_CHARACTERS:
        raise UsageError("That link is too long to be a dialer's link to LeadDesk.")
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # its message may quote the host part, where a password can be
        raise UsageError("That link cannot be read as a dialer's link to LeadDesk.") from None
    # leaddesk://new?… (the action as the host) or leaddesk:new?…, a slash allowed after it.
    action = (parts.netloc + parts.path.rstrip("/")) if parts.netloc else parts.path
    if parts.scheme.lower() != SCHEME or action.strip("/").lower() != ACTION:
        raise UsageError("That is not a LeadDesk link: it must start with leaddesk://new?")
    try:
        pairs = parse_qsl(
            parts.query, keep_blank_values=True, errors="replace", max_num_fields=MAX_PARAMETERS
        )
    except ValueError:
        raise UsageError("That link has too many values to be a dialer's link.") from None
    return link_from_pairs(pairs)


def link_from_pairs(pairs: Iterable[tuple[str, str]]) -> DialerLink:
    """The values of a link's name=value pairs: known names only, the first value given
    for a field wins, and the dialer's lead_id becomes a line of the notes."""
    values: dict[str, str] = {}
    lead_id = ""
    for name, raw in pairs:
        key = name.strip().lower()
        value = _PLACEHOLDER.sub("", raw)
        if not value.strip():
            continue
        if key == DIALER_LEAD_ID:
            lead_id = lead_id or value.strip()
            continue
        field = VICIDIAL_NAMES.get(key) or (key if key in SECURITYTRAX_NAMES else None)
        if field is not None and field not in values:
            values[field] = value
    if lead_id:
        notes = values.get(NOTES_FIELD, "")
        values[NOTES_FIELD] = f"{notes}\n{LEAD_ID_LINE}{lead_id}".strip("\n")
    return DialerLink(values)


# What may be shown of a parameter's name: it looks like a name. A value put where a name
# goes (`?8013127735`, a password with no `pass=` before it) is counted, never shown.
_PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]{0,39}")
_NAMES_SHOWN = 30


def what_the_link_named(url: str) -> str:
    """For a link that filled nothing: the names of its parameters and the names LeadDesk
    knows, never a value (a value may be the agent's password or the lead's phone)."""
    try:
        query = urlsplit(url.strip()).query
        parse_qsl(query, keep_blank_values=True, errors="replace", max_num_fields=MAX_PARAMETERS)
    except ValueError:  # parse_link refuses such a link first
        query = ""
    shown: dict[str, str] = {}
    hidden = 0
    for piece in (piece for piece in query.split("&") if piece):
        raw, equals, _value = piece.partition("=")
        name = unquote_plus(raw, errors="replace").strip()
        # With no `=`, it may be a value's tail: a dialer that does not percent-encode
        # leaves what follows a `&` in a password or a comment where a name goes.
        if not _PARAMETER_NAME.fullmatch(name) or not (equals or _known_name(name)):
            hidden += 1
        elif name not in shown:
            shown[name] = _parameter_words(name)
    listed = ", ".join(shown[name] for name in list(shown)[:_NAMES_SHOWN])
    if len(shown) > _NAMES_SHOWN:
        listed += f" and {len(shown) - _NAMES_SHOWN} more"
    if hidden:
        listed += f"{'; and ' if listed else ''}{hidden} more that look like no parameter name"
        listed += " (not shown)"
    saw = f"The link's parameters: {listed}." if listed else "The link has no parameters."
    vicidial = ", ".join([*VICIDIAL_NAMES, DIALER_LEAD_ID])
    securitytrax = ", ".join(name for name in FIELD_NAMES if name in SECURITYTRAX_NAMES)
    return (
        f"{saw}\nLeadDesk knows VICIdial's {vicidial}; and SecurityTrax's {securitytrax} "
        "(any letter case)."
    )


def _known_name(name: str) -> bool:
    key = name.lower()
    return key in VICIDIAL_NAMES or key in FIELD_BY_NAME or key == DIALER_LEAD_ID


def _parameter_words(name: str) -> str:
    key = name.lower()
    if key in VICIDIAL_NAMES or key in SECURITYTRAX_NAMES or key == DIALER_LEAD_ID:
        return f"{name} (empty)"  # had it a value, the link would have filled something
    if key in FIELD_BY_NAME:
        return f"{name} (the destination's, from the settings)"
    return name


def refused(problem: str) -> dict[str, str]:
    """What `leaddesk open` hands the window for a link it could not use: why."""
    return {PROBLEM_KEY: problem}


def problem_of(values: Mapping[str, object]) -> str | None:
    """Why `leaddesk open` could not use a link, if that is what it handed over."""
    problem = values.get(PROBLEM_KEY)
    return problem[:500] if isinstance(problem, str) and problem.strip() else None


def handed_over(message: Mapping[str, object]) -> dict[str, str]:
    """What the window takes of a message from `leaddesk open`: the link fields with text,
    and why a link was not used, if that is what it says."""
    problem = problem_of(message)
    return accepted_values(message) | ({} if problem is None else refused(problem))


def accepted_values(values: Mapping[str, object]) -> dict[str, str]:
    """Of values handed over by another LeadDesk process, the link fields with text: the
    window checks again what it is given, whoever sent it."""
    return {
        name: value
        for name, value in values.items()
        if name in LINK_FIELDS and isinstance(value, str) and value.strip()
    }


def link_for(values: Mapping[str, str]) -> str:
    """A `leaddesk://new?…` link carrying these name=value pairs, percent-encoded."""
    return f"{SCHEME}://{ACTION}?{urlencode(list(values.items()))}"
