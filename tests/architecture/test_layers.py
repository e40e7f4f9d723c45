"""The layers, the rule that the core imports no Qt and the sandbox's short reach are
contracts lint-imports checks (pyproject.toml, run by .ci/run), and these tests keep them
honest: the Qt contract names every package outside leaddesk.gui, and each contract fails when
the code breaks it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import leaddesk

PACKAGE = Path(leaddesk.__file__).parent
PROJECT = PACKAGE.parent
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
NO_QT = "The core imports no Qt: only leaddesk.gui may use PySide6"
LAYERS = "Layers: each imports only the ones below it"
SANDBOX = "The sandbox uses only leaddesk.domain and leaddesk.wire"


def contracts() -> list[dict[str, object]]:
    settings = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))
    found = settings["tool"]["importlinter"]["contracts"]
    assert isinstance(found, list)
    return found


def contract(name: str) -> dict[str, object]:
    [found] = [each for each in contracts() if each["name"] == name]
    return found


def test_the_contract_names_every_module_outside_the_gui() -> None:
    """A new core module is covered from its first commit, or this test says which."""
    modules = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    modules |= {
        path.name
        for path in PACKAGE.iterdir()
        if (path / "__init__.py").exists() and path.name != "gui"
    }
    sources = contract(NO_QT)["source_modules"]
    assert isinstance(sources, list)
    assert {str(name).removeprefix("leaddesk.") for name in sources} == modules


def lint_imports(tree: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--config", str(tree / "pyproject.toml")],
        cwd=tree,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the project's package and its pyproject.toml, to break on purpose."""
    if not LINT_IMPORTS.exists():
        pytest.skip("lint-imports is not installed (pip install -e '.[test]')")
    copy = tmp_path / "project"
    shutil.copytree(PACKAGE, copy / "leaddesk", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(PROJECT / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_the_contract_holds_for_the_code_as_it_is(tree: Path) -> None:
    result = lint_imports(tree)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{len(contracts())} kept, 0 broken" in result.stdout
    for each in contracts():
        assert f"{each['name']} KEPT" in result.stdout


def break_with(tree: Path, module: str, line: str) -> subprocess.CompletedProcess[str]:
    """lint-imports over the copy, with `line` added to the module of this dotted name."""
    path = tree / Path(*module.split(".")).with_suffix(".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")
    return lint_imports(tree)


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("leaddesk.wire.securitytrax_xml", "from PySide6.QtCore import QObject"),
        ("leaddesk.history.store", "def later() -> None:\n    import PySide6.QtWidgets"),
        ("leaddesk.sending.outbox", "from leaddesk.gui import worker"),  # Qt by way of gui
    ],
)
def test_a_core_module_that_imports_qt_breaks_the_contract(
    tree: Path, module: str, line: str
) -> None:
    result = break_with(tree, module, line)
    assert result.returncode != 0, result.stdout
    assert f"{NO_QT} BROKEN" in result.stdout
    assert f"{module} ->" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("leaddesk.domain.lead", "from leaddesk.history import store"),
        ("leaddesk.wire.securitytrax_xml", "from leaddesk.config import settings"),
        ("leaddesk.history.store", "from leaddesk.app import desk"),
        # Reading a lead file never sends: sources and sending are independent.
        ("leaddesk.sources.field_names", "from leaddesk.sending import outbox"),
        ("leaddesk.sending.outbox", "from leaddesk.sources import field_names"),
    ],
)
def test_an_import_up_the_layers_breaks_the_contract(tree: Path, module: str, line: str) -> None:
    result = break_with(tree, module, line)
    assert result.returncode != 0, result.stdout
    assert f"{LAYERS} BROKEN" in result.stdout
    assert f"{module} ->" in result.stdout


def test_the_sandbox_contract_forbids_every_package_but_domain_and_wire() -> None:
    """A new package is kept out of the sandbox's reach from its first commit."""
    modules = {path.stem for path in PACKAGE.glob("*.py") if path.stem != "__init__"}
    modules |= {path.name for path in PACKAGE.iterdir() if (path / "__init__.py").exists()}
    forbidden = contract(SANDBOX)["forbidden_modules"]
    assert isinstance(forbidden, list)
    allowed = {"sandbox", "domain", "wire"}
    assert {str(name).removeprefix("leaddesk.") for name in forbidden} == modules - allowed


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("leaddesk.sandbox.checks", "from leaddesk.config import settings"),
        ("leaddesk.sandbox.server", "def later() -> None:\n    from leaddesk.history import store"),
        ("leaddesk.sandbox.run", "from leaddesk.sending import poster"),
        ("leaddesk.sandbox.replies", "from leaddesk.app import desk"),
    ],
)
def test_a_sandbox_import_beyond_domain_and_wire_breaks_the_contract(
    tree: Path, module: str, line: str
) -> None:
    result = break_with(tree, module, line)
    assert result.returncode != 0, result.stdout
    assert f"{SANDBOX} BROKEN" in result.stdout
    assert f"{module} ->" in result.stdout


def test_the_sandbox_may_use_the_wire_format(tree: Path) -> None:
    """The contract allows what the issue allows: domain and wire."""
    result = break_with(
        tree, "leaddesk.sandbox.checks", "from leaddesk.wire import securitytrax_xml"
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{SANDBOX} KEPT" in result.stdout


@pytest.mark.parametrize(
    ("module", "line"),
    [
        ("leaddesk.history.store", "from leaddesk.wire.securitytrax_xml import build_document"),
        ("leaddesk.history.export", "def later() -> None:\n    import leaddesk.wire.formats"),
    ],
)
def test_a_history_module_that_makes_or_reads_documents_breaks_the_contract(
    tree: Path, module: str, line: str
) -> None:
    """The history keeps request bytes and a format's tag; a wire format is never its business."""
    result = break_with(tree, module, line)
    assert result.returncode != 0, result.stdout
    assert "The history never makes or reads a document BROKEN" in result.stdout
    assert f"{module} ->" in result.stdout
