"""An email address refused by email-validator is explained in a short sentence of our
own that says where the problem is, never the library's long text nor the input
repeated (gui/field_message.py shows it whole in two lines; tests/gui/
test_messages_at_screens.py measures them)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.domain.fields import FieldProblem, clean_field

EXPECTED = {
    "joe": "Email needs an @, as in name@example.com.",
    "joe@": "Email needs a domain after the @, as in name@example.com.",
    "@example.com": "Email needs a name before the @, as in name@example.com.",
    "a@b@example.com": "Email has more than one @.",
    "jo e@example.com": "Email cannot contain spaces.",
    "Joe Rogers <joe@example.com>": "Email must be the address alone, as in name@example.com.",
    "joe@example": "Email needs a dot in the domain, as in name@example.com.",
    "joe..x@example.com": "Email cannot have two dots in a row.",
    ".joe@example.com": "Email cannot have a dot at the start, at the end or beside the @.",
    "joe.@example.com": "Email cannot have a dot at the start, at the end or beside the @.",
    "joe@-example.com": "Email cannot have a hyphen at the start, at the end or beside the @.",
    "joe@example-.com": "Email has a dot next to a hyphen.",
    "joe@ab--c.com": "Email cannot have two hyphens in a row in the domain.",
    "joe@example.123": "Email must end in a real domain ending such as .com.",
    "joe@x.local": "Email has a reserved domain (such as .local) that takes no mail.",
    "joe,x@example.com": "Email cannot have “,” before the @.",
    "joe@exa_mple.com": "Email cannot have “_” in the domain.",
    "joe\u200b@example.com": "Email has an invisible or unusual character: retype it.",
    "joe@" + "a" * 70 + ".com": "Email is too long (254 characters at most, 63 between dots).",
}


def problem(address: str) -> str | None:
    try:
        clean_field("email", address)
    except FieldProblem as refused:
        return str(refused)
    return None


@pytest.mark.parametrize(("address", "expected"), EXPECTED.items())
def test_each_problem_is_said_in_our_own_words(address: str, expected: str) -> None:
    assert problem(address) == expected


def test_good_addresses_pass_as_before() -> None:
    assert problem("joe@example.com") is None
    assert problem("jöe@exämple.com") is None


@given(st.text(alphabet=st.sampled_from(list('aé9@.-_ ,<>"[]\u200b')), max_size=300))
def test_a_message_never_repeats_more_than_one_character_of_the_input(address: str) -> None:
    said = problem(address)
    if said is not None:
        assert len(said) <= 80, said
        assert "@-sign" not in said, "the library's own words"
