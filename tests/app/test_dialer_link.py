"""`leaddesk://new?…` links: the lead fields they fill, and that nothing else gets through."""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.app.dialer_link import (
    LINK_FIELDS,
    VICIDIAL_NAMES,
    accepted_values,
    link_for,
    parse_link,
    what_the_link_named,
)
from leaddesk.domain.errors import UsageError

# VICIdial's default web form (no VAR): values not percent-encoded, spaces as `+`, the
# agent's passwords and dozens of call variables in the same URL.
VICIDIAL_DEFAULT = (
    "leaddesk://new?lead_id=104211&vendor_id=VL-77&list_id=1001&gmt_offset_now=-7.00"
    "&phone_code=1&phone_number=8013127735&title=&first_name=Mary+Ann&middle_initial="
    "&last_name=OBrien&address1=12+Main+St&address2=&address3=Unit+B&city=Parma&state=ID"
    "&province=&postal_code=83660&country_code=USA&gender=U&date_of_birth=&alt_phone="
    "&email=mary@example.com&security_phrase=&comments=call+after+5&user=6666"
    "&pass=s3cretAgentPw&campaign=SOLAR&phone_login=gs102&phone_pass=phoneS3cret"
    "&fronter=6666&closer=&group=SOLAR&source_id=VICI-SRC&rank=0&owner=&fullname=Agent+Ann"
)


def test_vicidial_default_web_form_fills_the_lead_fields() -> None:
    link = parse_link(VICIDIAL_DEFAULT)
    assert link.values == {
        "lead_company_unique_id": "VL-77",
        "phone1": "8013127735",
        "fname": "Mary Ann",
        "lname": "OBrien",
        "address1": "12 Main St",
        "city": "Parma",
        "state": "ID",
        "zip": "83660",
        "email": "mary@example.com",
        "lead_comments": "call after 5",
        "lead_callcenter_notes": "Dialer lead ID: 104211",
    }
    assert link.dialer_lead_id == "104211"


def test_passwords_and_the_dialers_own_ids_are_dropped() -> None:
    text = repr(parse_link(VICIDIAL_DEFAULT))
    for secret in ("s3cretAgentPw", "phoneS3cret", "VICI-SRC", "SOLAR", "6666", "Agent Ann"):
        assert secret not in text
    assert "source_id" not in parse_link(VICIDIAL_DEFAULT).values


def test_securitytrax_names_fill_their_fields_but_not_the_destinations() -> None:
    link = parse_link(
        "leaddesk://new?fname=Ann&lname=Smith&phone1=8013127735&zip=83660&spouse=Bob"
        "&source_id=NOT-THE-DEALERS&campaign_id=7&lead_purchase_price=99&lead_custom2=x"
    )
    assert link.values == {
        "fname": "Ann",
        "lname": "Smith",
        "phone1": "8013127735",
        "zip": "83660",
        "spouse": "Bob",
        "lead_custom2": "x",
    }


def test_a_var_template_with_percent_encoding_and_unreplaced_placeholders() -> None:
    link = parse_link(
        "leaddesk://new?first_name=Ren%C3%A9e&last_name=O%27Brien&phone_number=801-312-7735"
        "&alt_phone=--A--alt_phone--B--&comments=a%26b%3Dc%0Anext+line%2B1&lead_id=9"
        "&lead_callcenter_notes=hot+lead"
    )
    assert link.values == {
        "fname": "Renée",
        "lname": "O'Brien",
        "phone1": "801-312-7735",
        "lead_comments": "a&b=c\nnext line+1",
        "lead_callcenter_notes": "hot lead\nDialer lead ID: 9",
    }


@pytest.mark.parametrize(
    "url",
    [
        "https://new?first_name=Ann",
        "leaddesk://edit?first_name=Ann",
        "leaddesk://new/../x?first_name=Ann",
        "first_name=Ann",
        "leaddesk://new?" + "a=1&" * 300,
        "leaddesk://new?comments=" + "x" * 20_000,
    ],
)
def test_what_is_no_leaddesk_link_is_refused_without_repeating_it(url: str) -> None:
    with pytest.raises(UsageError) as refused:
        parse_link(url + "&pass=s3cret")
    assert "s3cret" not in str(refused.value)


@pytest.mark.parametrize(
    "url",
    [
        "leaddesk://agent:s3cret\uff03@new?first_name=Ann",  # NFKC: urllib quotes the netloc
        "leaddesk://[new?first_name=Ann&pass=s3cret",  # an IPv6 bracket never closed
    ],
)
def test_a_link_urllib_cannot_split_is_refused_without_repeating_it(url: str) -> None:
    """urllib's own ValueError is no UsageError (a traceback) and may quote the link's
    host part, where a password can be."""
    with pytest.raises(UsageError) as refused:
        parse_link(url)
    assert "s3cret" not in str(refused.value)


def test_the_scheme_and_action_in_any_case_and_with_a_slash() -> None:
    assert parse_link("LeadDesk://NEW/?first_name=Ann").values == {"fname": "Ann"}
    assert parse_link("leaddesk:new?first_name=Ann").values == {"fname": "Ann"}


def test_values_handed_over_are_checked_again() -> None:
    handed = {"fname": "Ann", "pass": "s3cret", "source_id": "X", "lname": 3, "city": " "}
    assert accepted_values(handed) == {"fname": "Ann"}


# Text as a dialer may carry it: any character a URL can encode (no lone surrogates).
TEXT = st.text(st.characters(codec="utf-8"), min_size=1).filter(
    lambda text: text.strip() and "--A--" not in text
)


@given(value=TEXT, name=st.sampled_from(sorted(VICIDIAL_NAMES)))
def test_any_text_survives_the_links_encoding(value: str, name: str) -> None:
    link = parse_link(link_for({name: value}))
    assert link.values == {VICIDIAL_NAMES[name]: value}


@given(value=TEXT)
def test_any_text_survives_encoding_with_spaces_written_as_plus(value: str) -> None:
    # VICIdial writes spaces as `+`; quote() leaves them as %20 and `+` as %2B.
    url = "leaddesk://new?last_name=" + quote(value, safe="").replace("%20", "+")
    assert parse_link(url).values == {"lname": value}


KNOWN_NAMES = {*VICIDIAL_NAMES, *LINK_FIELDS, "lead_id"}
UNKNOWN_NAME = st.text(min_size=1).filter(lambda name: name.strip().lower() not in KNOWN_NAMES)
SECRET = "pw:"  # marks the unknown names' values


@given(
    known=st.dictionaries(
        st.sampled_from(sorted(VICIDIAL_NAMES)), TEXT.filter(lambda t: SECRET not in t), max_size=5
    ),
    unknown=st.dictionaries(UNKNOWN_NAME, TEXT, min_size=1, max_size=5),
)
def test_unknown_names_never_reach_the_result(
    known: dict[str, str], unknown: dict[str, str]
) -> None:
    pairs = [(name, SECRET + value) for name, value in unknown.items()] + list(known.items())
    link = parse_link("leaddesk://new?" + urlencode(pairs))
    assert set(link.values) <= LINK_FIELDS
    assert not any(SECRET in kept for kept in link.values.values())
    assert SECRET not in repr(link)


def test_a_link_that_filled_nothing_is_told_by_its_parameter_names_only() -> None:
    """Names that look like a parameter's are shown, each once; what looks like a value
    put where a name goes (a phone, an address with spaces) is counted, not shown."""
    told = what_the_link_named(
        "leaddesk://new?user=6666&pass=s3cret&pass=again&8013127735&12+Main+St=1"
        "&source_id=VICI-SRC&phone_number=--A--phone_number--B--&email="
    )
    assert "s3cret" not in told and "6666" not in told and "VICI-SRC" not in told
    assert "8013127735" not in told and "Main" not in told
    assert "user, pass" in told and told.count("pass") == 1 + told.count("phone_pass")
    assert "2 more that look like no parameter name" in told
    assert "source_id (the destination's, from the settings)" in told
    assert "phone_number (empty)" in told and "email (empty)" in told
    for known in (*VICIDIAL_NAMES, "lead_id", "fname", "phone1", "zip"):
        assert known in told


def test_a_value_cut_off_by_an_ampersand_is_never_shown_as_a_name() -> None:
    """A dialer's web form does not percent-encode values: a password or a comment with a
    `&` in it leaves its tail where a name goes, with no `=` ("pass=ab&Kx9vQ2"). Shown as
    a name, the agent's password (or a lead's name) reached the terminal."""
    told = what_the_link_named(
        "leaddesk://new?user=6666&pass=ab&Kx9vQ2&notes=call+Tom&Mary&Phone_Numbr=8013127735"
        "&first_name"
    )
    assert "Kx9vQ2" not in told and "Mary" not in told
    assert "user, pass, notes, Phone_Numbr, first_name (empty)" in told
    assert "2 more that look like no parameter name" in told
