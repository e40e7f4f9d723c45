"""Other tools' names for lead values, as the file reader and the dialer link read them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.domain.fields import FIELD_NAMES
from leaddesk.sources.field_names import (
    SHARED_ID_FIELDS,
    lead_field_for,
    securitytrax_field,
    spelling_key,
)

VICIDIAL_WEB_FORM = {
    "first_name": "fname",
    "last_name": "lname",
    "phone_number": "phone1",
    "alt_phone": "phone4",
    "address1": "address1",
    "address2": "address2",
    "city": "city",
    "state": "state",
    "postal_code": "zip",
    "email": "email",
    "comments": "lead_comments",
    "vendor_lead_code": "lead_company_unique_id",
    "vendor_id": "lead_company_unique_id",
}


@pytest.mark.parametrize(("name", "field"), VICIDIAL_WEB_FORM.items())
def test_vicidial_web_form_variables_name_lead_fields(name: str, field: str) -> None:
    assert lead_field_for(name) == field


@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("Phone1", "phone1"),
        ("PHONE_NUMBER", "phone1"),
        ("phone_1", "phone1"),
        ("First_Name", "fname"),
        ("First Name", "fname"),
        ("first-name", "fname"),
        ("POSTAL_CODE", "zip"),
        ("Zip Code", "zip"),
        ("STREET_ADDRESS", "address1"),
        ("REGION", "state"),
        ("Lead Comments", "lead_comments"),
    ],
)
def test_case_spaces_dashes_and_underscores_do_not_matter(name: str, field: str) -> None:
    assert lead_field_for(name) == field


@pytest.mark.parametrize(
    "name",
    ["source_id", "campaign_id", "Campaign ID", "list_id", "lead_id", "fullname", "full_name",
     "pass", "phone_pass", "user", "gmt_offset_now", ""],
)  # fmt: skip
def test_foreign_ids_agent_names_and_secrets_name_no_field(name: str) -> None:
    assert lead_field_for(name) is None


def test_securitytrax_names_are_theirs_when_the_caller_says_so() -> None:
    assert securitytrax_field("Source ID") == "source_id"
    assert securitytrax_field("campaign-id") == "campaign_id"
    assert securitytrax_field("first_name") == "fname"
    assert securitytrax_field("list_id") is None


def test_every_field_name_names_itself_but_the_shared_ids() -> None:
    for name in FIELD_NAMES:
        expected = None if name in SHARED_ID_FIELDS else name
        assert lead_field_for(name) == expected
        assert lead_field_for(name.upper().replace("_", " ")) == expected


@given(st.sampled_from(sorted(VICIDIAL_WEB_FORM)), st.lists(st.sampled_from(" -_."), max_size=3))
def test_separators_anywhere_are_ignored(name: str, noise: list[str]) -> None:
    spelt = "".join(noise) + name.replace("_", "".join(noise) or "_").title() + "".join(noise)
    assert spelling_key(spelt) == spelling_key(name)
    assert lead_field_for(spelt) == VICIDIAL_WEB_FORM[name]
