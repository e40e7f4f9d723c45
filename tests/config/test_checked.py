"""The settings checker (leaddesk.config.checked) on its own: every problem at once, each
where it is; values built any way are checked alike; no input makes it fail otherwise."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from leaddesk.config.checked import SettingsInvalid
from leaddesk.config.settings import Destination, Sending, Settings
from leaddesk.config.team_settings import Team

URL = "https://acme.example/leadpostxml.php"


def problems_of(data: object) -> dict[str, str]:
    with pytest.raises(SettingsInvalid) as refused:
        Settings.check(data)
    return {problem.key: problem.message for problem in refused.value.problems}


def test_every_problem_is_named_at_once_where_it_is() -> None:
    found = problems_of(
        {
            "agent_name": 7,
            "sending": {"batch_size": 0, "read_timeout": True, "batchsize": 5},
            "destinations": [{"name": "Acme", "url": "http://acme.example/x"}, {"name": ""}],
            "team": {"database": "mysql://floor"},
        }
    )
    assert found == {
        "agent_name": "must be text, not a whole number",
        "sending.batch_size": "must be at least 1",
        "sending.read_timeout": "must be a number, not true or false",
        "sending.batchsize": "is not a setting LeadDesk knows (a typing mistake?)",
        "destinations.0.url": found["destinations.0.url"],
        "destinations.1.name": "must be at least 1 character",
        "team.database": "the team database is a postgresql:// address",
    }
    assert "https" in found["destinations.0.url"]


def test_values_are_normalised_as_a_file_gives_them() -> None:
    settings = Settings.check(
        {
            "destinations": [{"name": "  North   Shore ", "url": URL, "source_id": " N1 "}],
            "sending": {"connect_timeout": 5},
            "history": {"retention_days": 0},
        }
    )
    (north,) = settings.destinations
    assert (north.name, north.source_id) == ("North Shore", "N1")
    assert settings.sending.connect_timeout == 5.0
    assert isinstance(settings.sending.connect_timeout, float)
    assert settings.history.retention_days is None  # 0 in a file: kept for ever


def test_built_directly_or_changed_a_table_is_checked_the_same() -> None:
    with pytest.raises(SettingsInvalid) as refused:
        Sending(batch_size=1000)
    assert [p.key for p in refused.value.problems] == ["batch_size"]
    acme = Destination(name="Acme", url=URL)
    with pytest.raises(SettingsInvalid):
        acme.replace(url="ftp://acme.example/")
    assert acme.replace(name=" Acme  East ").name == "Acme East"
    with pytest.raises(SettingsInvalid) as twice:
        Settings(destinations=(acme, acme.replace(name="ACME")))
    assert [p.message for p in twice.value.problems] == ['two destinations are named "ACME"']


def test_nested_tables_are_made_fresh_not_shared() -> None:
    assert Settings().sending == Sending()
    assert Settings().team == Team()
    assert Settings().sending is not Settings().sending


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**6), max_value=10**6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
)
_KEYS = st.sampled_from(
    [
        "agent_name",
        "sending",
        "history",
        "team",
        "destinations",
        "name",
        "url",
        "batch_size",
        "retention_days",
        "database",
        "locked",
        "x",
    ]
)
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(_KEYS, inner, max_size=4)),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_DATA)
def test_any_data_is_either_settings_or_named_problems(data: Any) -> None:
    """Whatever a file or a form holds: settings, or SettingsInvalid; never a crash."""
    try:
        checked = Settings.check(data)
    except SettingsInvalid as error:
        assert error.problems
        assert all(problem.message for problem in error.problems)
        return
    # What was accepted is accepted again, unchanged: normalising twice changes nothing.
    assert Settings.check(checked.as_dict()) == checked
