"""The window reaches the history through leaddesk.app (HistoryAccess, the use cases),
never the Store itself: no module under leaddesk/gui/ names `Store`, not even for a type
under TYPE_CHECKING or in a string annotation."""

from __future__ import annotations

import ast
from contextlib import suppress
from pathlib import Path

import leaddesk.gui

GUI = Path(leaddesk.gui.__file__).parent
FORBIDDEN = "Store"


def names_of(source: str) -> set[str]:
    """Every identifier a module's code names: imports (and their aliases), names,
    attributes, and the names inside string annotations."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.alias):
            found.add(node.name.rsplit(".", 1)[-1])
            if node.asname:
                found.add(node.asname)
        elif isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            with suppress(SyntaxError):  # a string annotation; other strings do not parse
                found |= names_of(node.value) if node.value.isprintable() else set()
    return found


def test_no_gui_module_names_the_store() -> None:
    offenders = [
        str(path.relative_to(GUI.parent))
        for path in sorted(GUI.rglob("*.py"))
        if FORBIDDEN in names_of(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []


def test_the_scan_finds_the_store_however_it_is_named() -> None:
    for source in (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from leaddesk.history.store import Store\n",
        "from leaddesk.history import store\nx = store.Store\n",
        "def f(s: 'Store | None') -> None: ...\n",
        "from leaddesk.history.store import Store as S\n",
    ):
        assert FORBIDDEN in names_of(source), source
    assert FORBIDDEN not in names_of("from leaddesk.domain.errors import StoreError\n")
    assert FORBIDDEN not in names_of("text = 'Store the lead'\n")
