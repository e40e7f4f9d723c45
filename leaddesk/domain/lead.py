"""The Lead: a validated, normalised lead, exactly as it will be sent.

Its fields, their metadata and how each is checked are in leaddesk.domain.fields. A lead is
a plain frozen dataclass: every value is a string checked by clean_field, so a validation
library would only apply that one function thirty times, and loading one costs the
window's start-up more than the whole rest of the way to the first submit.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, fields

from leaddesk.domain.fields import (
    FIELD_NAMES,
    FieldProblem,
    LeadInvalid,
    clean_field,
    in_field_order,
)


@dataclass(frozen=True, slots=True)
class Lead:
    """A validated, normalised lead, exactly as it will be sent.

    The attributes repeat the names in FIELDS so that type checkers know them; the module
    refuses to load if the two ever differ (below). Built directly, every value given is
    normalised by clean_field (LeadInvalid names each problem); `parse` checks a whole
    lead, blanks and required fields included.
    """

    source_id: str = ""
    campaign_id: str = ""
    lead_type_id: str = ""
    lead_purchase_price: str = ""
    fname: str = ""
    lname: str = ""
    address1: str = ""
    address2: str = ""
    city: str = ""
    state: str = ""
    zip: str = ""
    phone1: str = ""
    phone2: str = ""
    phone3: str = ""
    phone4: str = ""
    email: str = ""
    lead_comments: str = ""
    contact_time: str = ""
    lead_source_info: str = ""
    lead_company_unique_id: str = ""
    lead_home_ownership: str = ""
    lead_callcenter_rep: str = ""
    lead_callcenter_notes: str = ""
    lead_promo_code: str = ""
    lead_custom1: str = ""
    lead_custom2: str = ""
    lead_custom3: str = ""
    lead_custom4: str = ""
    spouse: str = ""
    lead_rep_id: str = ""

    def __post_init__(self) -> None:
        given = {name: getattr(self, name) for name in FIELD_NAMES}
        cleaned, problems = _cleaned({name: value for name, value in given.items() if value != ""})
        if problems:
            raise LeadInvalid(in_field_order(problems))
        for name, value in cleaned.items():
            object.__setattr__(self, name, value)

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> Lead:
        """Normalise and validate raw input; every problem is reported at once in LeadInvalid.

        Missing fields count as blank, so a required one that is missing is a problem too.
        """
        cleaned, problems = _cleaned({name: data.get(name, "") for name in FIELD_NAMES})
        unknown = (name for name in data if name not in FIELD_NAMES)
        problems.update({name: f"{name} is not a SecurityTrax field." for name in unknown})
        if problems:
            raise LeadInvalid(in_field_order(problems))
        return cls.trusted(cleaned)

    @classmethod
    def trusted(cls, values: Mapping[str, str]) -> Lead:
        """A lead of values already checked, or stored and sent before, taken as they are:
        rules may have tightened since, and a lead in the history must always load. Fields
        not given are blank."""
        lead = object.__new__(cls)
        for name in FIELD_NAMES:
            object.__setattr__(lead, name, values.get(name, ""))
        return lead

    def replace(self, **changes: str) -> Lead:
        """This lead with some fields changed, as given (not checked again, as a stored
        lead's other fields are kept as they were)."""
        unknown = [name for name in changes if name not in FIELD_NAMES]
        if unknown:
            raise TypeError(f"not lead fields: {', '.join(unknown)}")
        return self.trusted(self.values() | changes)

    def values(self) -> dict[str, str]:
        """The 30 fields by name, in spec order, as they are sent."""
        return {name: getattr(self, name) for name in FIELD_NAMES}

    def with_unique_id(self) -> Lead:
        """This lead with lead_company_unique_id filled in, if it was blank.

        The ID goes with every resend of the lead so that the dealer can spot a duplicate.
        """
        if self.lead_company_unique_id:
            return self
        return self.replace(lead_company_unique_id=new_unique_id())


def _cleaned(values: Mapping[str, object]) -> tuple[dict[str, str], dict[str, str]]:
    """Each value as clean_field gives it, and each field's problem."""
    cleaned: dict[str, str] = {}
    problems: dict[str, str] = {}
    for name, value in values.items():
        try:
            cleaned[name] = clean_field(name, value)
        except FieldProblem as problem:
            problems[name] = str(problem)
    return cleaned, problems


def new_unique_id() -> str:
    """LeadDesk's own ID for a lead: short, unique across desks, safe in any system."""
    # 80 random bits from the system's generator (uuid4's source, without loading uuid).
    return "LD" + os.urandom(10).hex().upper()


if tuple(f.name for f in fields(Lead)) != FIELD_NAMES:  # pragma: no cover - a mistake here
    raise ImportError("Lead's attributes must be FIELD_NAMES, in the same order")
