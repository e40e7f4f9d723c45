"""The Lead model: a validated, normalised lead, exactly as it will be sent.

Its fields, their metadata and how each is checked are in leaddesk.domain.fields; the model
applies them to a whole lead with pydantic.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator
from pydantic_core import PydanticCustomError

from leaddesk.domain.fields import (
    FIELD_NAMES,
    FieldProblem,
    LeadInvalid,
    clean_field,
    in_field_order,
)


class Lead(BaseModel):
    """A validated, normalised lead, exactly as it will be sent.

    The attributes repeat the names in FIELDS so that type checkers know them; the module
    refuses to load if the two ever differ (below). Every value is checked by clean_field.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

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

    @field_validator("*", mode="before")
    @classmethod
    def _normalise(cls, value: object, info: Any) -> str:
        try:
            return clean_field(info.field_name, value)
        except FieldProblem as problem:
            raise PydanticCustomError("lead_field", str(problem)) from None

    @classmethod
    def parse(cls, data: Mapping[str, object]) -> Lead:
        """Normalise and validate raw input; every problem is reported at once in LeadInvalid.

        Missing fields count as blank, so a required one that is missing is a problem too.
        """
        unknown = [name for name in data if name not in FIELD_NAMES]
        values = {name: data.get(name, "") for name in FIELD_NAMES}
        try:
            lead = cls.model_validate(values)
        except ValidationError as error:
            problems = {str(e["loc"][0]): e["msg"] for e in error.errors()}
            problems.update({name: f"{name} is not a SecurityTrax field." for name in unknown})
            raise LeadInvalid(in_field_order(problems)) from None
        if unknown:
            raise LeadInvalid({name: f"{name} is not a SecurityTrax field." for name in unknown})
        return lead

    def values(self) -> dict[str, str]:
        """The 30 fields by name, in spec order, as they are sent."""
        return {name: getattr(self, name) for name in FIELD_NAMES}

    def with_unique_id(self) -> Lead:
        """This lead with lead_company_unique_id filled in, if it was blank.

        The ID goes with every resend of the lead so that the dealer can spot a duplicate.
        """
        if self.lead_company_unique_id:
            return self
        return self.model_copy(update={"lead_company_unique_id": new_unique_id()})


def new_unique_id() -> str:
    """LeadDesk's own ID for a lead: short, unique across desks, safe in any system."""
    return "LD" + uuid.uuid4().hex[:20].upper()


if tuple(Lead.model_fields) != FIELD_NAMES:  # pragma: no cover - a mistake in this file
    raise ImportError("Lead's attributes must be FIELD_NAMES, in the same order")
