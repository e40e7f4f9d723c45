"""Which lead field each column of a file fills, and why: a known layout's column, a
SecurityTrax name, a similar name, the person's own map (`--map FILE.toml`), or none.

A column that cannot be placed is never guessed: it is not sent, and the mapping names it
with the reason. A map file, for any other layout:

    [columns]
    "Customer Name" = "full_name"   # split into first and last name
    "Tel" = "phone1"
    "Our ref" = ""                  # not sent
    [constants]
    lead_source_info = "Spring mailer"
"""

from __future__ import annotations

import difflib
import re
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from leaddesk.domain.errors import CsvError
from leaddesk.domain.fields import FIELD_BY_NAME, FIELD_NAMES
from leaddesk.sources.field_names import (
    SHARED_ID_FIELDS,
    lead_field_for,
    securitytrax_field,
    spelling_key,
)
from leaddesk.sources.layouts import FULL_NAME, Layout

FULL_NAME_KEYS = frozenset({"fullname", "name", "customername", "contactname", "leadname"})
# What a column name looks like; a lead's details mostly do not. A header row that ran
# into the first lead has cells like these, and they are never repeated.
NO_FIELD = "no field has a name like it"
_NAME_LIKE = re.compile(r"[^\W\d][\w .:/()#+?-]{0,39}")


@dataclass(frozen=True)
class Column:
    index: int  # from 0
    header: str
    target: str | None  # a field name, FULL_NAME, or None: not sent
    reason: str

    @property
    def name_like(self) -> bool:
        return bool(_NAME_LIKE.fullmatch(self.header.strip()))

    @property
    def shown(self) -> str:
        """The header as it may be shown: a cell that looks like a lead's details is not."""
        if self.name_like:
            return repr(self.header.strip())
        return f"column {self.index + 1} (its header does not look like a column name)"


@dataclass
class ColumnMapping:
    columns: list[Column]
    layout: Layout | None = None
    constants: dict[str, str] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # about the map file

    @property
    def unplaced(self) -> list[Column]:
        return [column for column in self.columns if column.target is None]

    def targets(self) -> set[str]:
        return {column.target for column in self.columns if column.target is not None}

    def describe(self) -> list[str]:
        """One line a column, then the constants: what the mapping does and why."""
        lines = []
        for column in self.columns:
            where = "not sent" if column.target is None else _target_words(column.target)
            lines.append(f"  {column.shown} -> {where}: {column.reason}")
        lines += [f"  (every row) {name} = {value!r}" for name, value in self.constants.items()]
        return lines


def _target_words(target: str) -> str:
    return "fname + lname (split)" if target == FULL_NAME else target


def suggest(
    headers: Sequence[str], layout: Layout | None, chosen: Mapping[str, str | None] | None = None
) -> ColumnMapping:
    """The mapping of these headers: `chosen` (by header, from a map file or a person)
    first, then what the layout and the names say."""
    chosen = {spelling_key(header): target for header, target in (chosen or {}).items()}
    columns: list[Column] = []
    taken: dict[str, Column] = {}
    for index, header in enumerate(headers):
        key = spelling_key(header)
        if key in chosen:
            target, reason = chosen[key], "as chosen (your mapping)"
        else:
            target, reason = _place(key, header, layout)
        if target is not None and target != FULL_NAME and target in taken:
            reason = f"{target} already comes from {taken[target].shown}"
            target = None
        column = Column(index, header, target, reason)
        if target is not None:
            taken.setdefault(target, column)
        columns.append(column)
    return ColumnMapping(columns, layout)


def _place(key: str, header: str, layout: Layout | None) -> tuple[str | None, str]:
    if not key:
        return None, "a column without a name: not sent"
    if layout is not None:
        if key in layout.own:
            return None, f"{layout.own[key]} ({layout.name})"
        if key in layout.fields:
            return layout.fields[key], f"{layout.name} column"
    found = securitytrax_field(header) if layout is None else lead_field_for(header)
    if found is None and layout is not None and securitytrax_field(header) in SHARED_ID_FIELDS:
        return None, (
            f"another system's id in a {layout.name}, never sent as the dealer's "
            f"{FIELD_BY_NAME[str(securitytrax_field(header))].label}"
        )
    if found is not None:
        label = FIELD_BY_NAME[found].label
        if key == spelling_key(found):
            return found, f"SecurityTrax's name for {label}"
        return found, f"a name for {label}"
    if key in FULL_NAME_KEYS:
        return FULL_NAME, "a full name, split into first and last name"
    keys = {spelling_key(name): name for name in FIELD_NAMES}
    close = difflib.get_close_matches(key, list(keys), 1, 0.8)
    hint = f"; is it {keys[close[0]]}?" if close else ""
    return None, NO_FIELD + " (place it with --map)" + hint


def read_map(path: Path) -> tuple[dict[str, str | None], dict[str, str]]:
    """(column -> target or None, field -> constant) from a map file; CsvError when it
    cannot be used, naming what to change."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CsvError(f"Cannot read the map {path}: {error.strerror or error}.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise CsvError(f"The map {path} is not TOML: {error}.") from None
    unknown = sorted(set(data) - {"columns", "constants"})
    if unknown:
        raise CsvError(f"The map {path} has [{unknown[0]}]; it takes [columns] and [constants].")
    columns: dict[str, str | None] = {}
    for header, target in dict(data.get("columns", {})).items():
        columns[str(header)] = _map_target(path, str(target))
    constants: dict[str, str] = {}
    for name, value in dict(data.get("constants", {})).items():
        found = securitytrax_field(str(name))
        if found is None:
            raise CsvError(f"The map {path}: [constants] {name} is not a SecurityTrax field.")
        constants[found] = str(value)
    return columns, constants


def _map_target(path: Path, target: str) -> str | None:
    if not target.strip():
        return None
    if spelling_key(target) in FULL_NAME_KEYS:
        return FULL_NAME
    found = securitytrax_field(target)
    if found is None:
        raise CsvError(
            f"The map {path}: {target!r} is not a SecurityTrax field (fields: "
            f'{", ".join(FIELD_NAMES)}; full_name splits a name; "" leaves a column out).'
        )
    return found


def write_map(mapping: ColumnMapping, path: Path) -> None:
    """Save a mapping to use again (`--map`, or the window's saved mappings)."""
    import tomli_w

    columns = {
        column.header: "full_name" if column.target == FULL_NAME else (column.target or "")
        for column in mapping.columns
        if column.header.strip()
    }
    document = {"columns": columns, "constants": dict(mapping.constants)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(tomli_w.dumps(document), encoding="utf-8")
