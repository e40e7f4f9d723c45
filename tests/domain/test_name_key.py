"""The key last names are compared and sorted by: what counts as the same name."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from leaddesk.domain.name_key import name_key


@pytest.mark.parametrize(
    "spellings",
    [
        ("Núñez", "NUNEZ", "Nunez", "nuñez"),
        ("O'Hara", "O’Hara", "o'hara"),  # the curly apostrophe of spreadsheets and phones
        ("Łukasz", "Lukasz"),
        ("Østergaard", "Ostergaard"),
        ("Ðorđević", "Dordevic"),
        ("Æsir", "Aesir"),
        ("Straße", "STRASSE"),
        ("Ａｎｎ", "Ann"),  # full-width letters, as some keyboards type them
        ("Zoë", "Zoe"),
    ],
)
def test_spellings_of_one_name_have_one_key(spellings: tuple[str, ...]) -> None:
    assert len({name_key(spelling) for spelling in spellings}) == 1


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Зуйков", "Зуиков"),  # й and и are different Cyrillic letters
        ("ガトウ", "カトウ"),  # the voicing mark makes another kana
        ("गुप्ता", "गुपता"),  # the virama is part of the word
        ("Smith", "Smyth"),
    ],
)
def test_different_names_keep_different_keys(one: str, other: str) -> None:
    assert name_key(one) != name_key(other)


def test_accented_names_sort_among_the_plain_ones() -> None:
    names = ["Zamora", "Álvarez", "adams", "Ångström", "Łukasiewicz", "Østergaard", "Baker"]
    assert sorted(names, key=name_key) == [
        "adams", "Álvarez", "Ångström", "Baker", "Łukasiewicz", "Østergaard", "Zamora",
    ]  # fmt: skip


@given(st.text())
def test_a_key_is_its_own_key(name: str) -> None:
    assert name_key(name_key(name)) == name_key(name)
