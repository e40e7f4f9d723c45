"""Settings tables as frozen dataclasses whose fields say how a value read from a file is
checked: the type TOML must give, the bounds, and a function that normalises it.

Every problem in a file is found at once and named by where it is ("sending.batch_size",
"destinations.0.url"), so that a config file or the settings dialog shows them all. This
small checker replaces pydantic for LeadDesk's few flat tables: loading pydantic and
building its models took a third of the window's start-up, on every start.

A table is built from a file's data with `check` (unknown keys are problems), directly with
its constructor (each value is checked all the same), and changed with `replace`.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Self

Where = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    where: Where
    message: str

    def at(self, *outer: str | int) -> Problem:
        return Problem((*outer, *self.where), self.message)

    @property
    def key(self) -> str:
        """Where, as a dotted key: "destinations.0.url"; "" for the whole file."""
        return ".".join(str(part) for part in self.where)


class SettingsInvalid(ValueError):
    """Settings that cannot be used; `problems` says each, where it is."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.key or '(the file)'}: {p.message}" for p in problems))


# --- what a field accepts ----------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How one field's value is checked: `accept` returns the value to keep or raises
    ValueError with a message for people."""

    accept: Callable[[object], object]


_KIND_NAMES = {bool: "true or false", int: "a whole number", float: "a number", str: "text"}


def _kind_name(value: object) -> str:
    """What a value is, in a file's words."""
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, list | tuple):
        return "a list"
    return _KIND_NAMES.get(type(value), "nothing" if value is None else type(value).__name__)


def text(
    min_length: int = 0, max_length: int | None = None, clean: Callable[[str], str] | None = None
) -> Rule:
    def accept(value: object) -> str:
        if not isinstance(value, str):
            raise ValueError(f"must be text, not {_kind_name(value)}")
        if len(value) < min_length:
            raise ValueError(f"must be at least {min_length} character{'s' * (min_length > 1)}")
        if max_length is not None and len(value) > max_length:
            raise ValueError(f"must be at most {max_length} characters (it has {len(value)})")
        return clean(value) if clean is not None else value

    return Rule(accept)


def flag() -> Rule:
    def accept(value: object) -> bool:
        if not isinstance(value, bool):
            raise ValueError(f"must be true or false, not {_kind_name(value)}")
        return value

    return Rule(accept)


def whole(ge: int | None = None, le: int | None = None) -> Rule:
    """A whole number (`true` is not one, nor "10")."""

    def accept(value: object) -> int:
        if type(value) is not int:
            raise ValueError(f"must be a whole number, not {_kind_name(value)}")
        _within(value, ge, None, le)
        return value

    return Rule(accept)


def number(ge: float | None = None, gt: float | None = None, le: float | None = None) -> Rule:
    """A number; a whole number is one too (`30` for 30.0), `true` and "30" are not."""

    def accept(value: object) -> float:
        if type(value) not in (int, float):
            raise ValueError(f"must be a number, not {_kind_name(value)}")
        assert isinstance(value, int | float)
        if not math.isfinite(value):  # TOML has nan and inf; no wait or timeout is either
            raise ValueError("must be a number, not nan or inf")
        _within(value, ge, gt, le)
        return float(value)

    return Rule(accept)


def _within(value: float, ge: float | None, gt: float | None, le: float | None) -> None:
    if ge is not None and value < ge:
        raise ValueError(f"must be at least {ge:g}")
    if gt is not None and value <= gt:
        raise ValueError(f"must be more than {gt:g}")
    if le is not None and value > le:
        raise ValueError(f"must be at most {le:g}")


def setting(default: Any, rule: Rule) -> Any:
    """A field of a Checked table: its default and its rule."""
    return dataclasses.field(default=default, metadata={"rule": rule})


def table(kind: type[Checked]) -> Any:
    """A field holding a nested table ([sending] in the file), by default its defaults."""
    return dataclasses.field(default_factory=kind, metadata={"rule": Rule(kind.check)})


def tables_of(kind: type[Checked]) -> Rule:
    """An array of tables ([[destinations]] in the file), kept as a tuple."""

    def accept(value: object) -> tuple[Checked, ...]:
        if isinstance(value, tuple) and all(isinstance(item, kind) for item in value):
            return value
        if not isinstance(value, list | tuple):
            raise ValueError(f"must be a list of tables, not {_kind_name(value)}")
        items: list[Checked] = []
        problems: list[Problem] = []
        for index, item in enumerate(value):
            try:
                items.append(kind.check(item))
            except SettingsInvalid as error:
                problems.extend(problem.at(index) for problem in error.problems)
        if problems:
            raise SettingsInvalid(problems)
        return tuple(items)

    return Rule(accept)


# --- the tables ----------------------------------------------------------------------------


class Checked:
    """A frozen dataclass of settings whose fields are made with `setting`. Subclasses
    may check the whole table in `check_whole` (raising ValueError)."""

    def __post_init__(self) -> None:
        values, problems = _checked(type(self), self.as_dict(shallow=True))
        if problems:
            raise SettingsInvalid(problems)
        for name, value in values.items():
            object.__setattr__(self, name, value)
        try:
            self.check_whole()
        except ValueError as error:
            raise SettingsInvalid([Problem((), str(error))]) from None

    def check_whole(self) -> None:
        """Checks across fields; raise ValueError with a message for people."""

    @classmethod
    def check(cls, data: object) -> Self:
        """The table of a file's (or a form's) data; SettingsInvalid names every problem."""
        if isinstance(data, cls):
            return data
        if not isinstance(data, Mapping):
            raise SettingsInvalid([Problem((), f"must be a table, not {_kind_name(data)}")])
        known = {field.name for field in dataclasses.fields(cls)}  # type: ignore[arg-type]
        unknown = [
            Problem((str(key),), "is not a setting LeadDesk knows (a typing mistake?)")
            for key in data
            if key not in known
        ]
        try:  # the constructor checks and normalises each value given (__post_init__)
            table = cls(**{key: value for key, value in data.items() if key in known})
        except SettingsInvalid as error:
            raise SettingsInvalid([*error.problems, *unknown]) from None
        if unknown:
            raise SettingsInvalid(unknown)
        return table

    def replace(self, **changes: Any) -> Self:
        """This table with some values changed (checked as any other)."""
        return dataclasses.replace(self, **changes)  # type: ignore[type-var]

    def as_dict(self, shallow: bool = False) -> dict[str, Any]:
        """Field name to value; nested tables as dicts unless `shallow`."""
        values = {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]
        return values if shallow else {name: _plain(value) for name, value in values.items()}


def _checked(
    kind: type[Checked], data: Mapping[Any, object]
) -> tuple[dict[str, Any], list[Problem]]:
    values: dict[str, Any] = {}
    problems: list[Problem] = []
    for field in dataclasses.fields(kind):  # type: ignore[arg-type]
        if field.name not in data:
            continue
        rule: Rule = field.metadata["rule"]
        try:
            values[field.name] = rule.accept(data[field.name])
        except SettingsInvalid as error:
            problems.extend(problem.at(field.name) for problem in error.problems)
        except ValueError as error:
            problems.append(Problem((field.name,), str(error)))
    return values, problems


def _plain(value: object) -> object:
    if isinstance(value, Checked):
        return value.as_dict()
    if isinstance(value, tuple):
        return tuple(_plain(item) for item in value)
    return value
