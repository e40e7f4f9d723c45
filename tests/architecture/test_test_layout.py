"""The tests' own layout: no test module imports another; what they share is in
tests/support/ (helpers) or a conftest.py (fixtures)."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).parents[1]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def is_test_module(name: str) -> bool:
    return name.startswith("tests.") and name.rsplit(".", 1)[-1].startswith("test_")


def test_no_test_module_imports_another_test_module() -> None:
    offenders = {
        str(path.relative_to(TESTS)): sorted(filter(is_test_module, imported_modules(path)))
        for path in sorted(TESTS.rglob("*.py"))
    }
    assert {path: names for path, names in offenders.items() if names} == {}


def test_the_scan_sees_an_import_of_a_test_module(tmp_path: Path) -> None:
    module = tmp_path / "test_example.py"
    module.write_text("from tests.test_cli import row\nimport tests.gui.test_startup\n")
    assert sorted(filter(is_test_module, imported_modules(module))) == [
        "tests.gui.test_startup",
        "tests.test_cli",
    ]


def test_tests_mirror_the_packages() -> None:
    """Each folder of tests is named after the package it tests (tests/gui/history tests
    leaddesk/gui/history), so a package's tests are found where the package is."""
    import leaddesk

    package = Path(leaddesk.__file__).parent
    shared = {"support", "architecture"}  # helpers, and the tests of the layout itself
    folders = [
        path.relative_to(TESTS)
        for path in TESTS.rglob("*")
        if path.is_dir()
        and path.name != "__pycache__"
        and path.parts[len(TESTS.parts)] not in shared
    ]
    assert folders, "no test folders found"
    assert [str(f) for f in folders if not (package / f).is_dir()] == []
    loose = sorted(p.name for p in TESTS.glob("test_*.py"))
    assert loose == [], "test modules belong in the folder of the package they test"
