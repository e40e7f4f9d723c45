"""PySide6 asks of every module imported after it whether it uses PySide; LeadDesk answers
from the module's namespace instead of PySide6 reading the module's source, and the
answers stay right."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

import leaddesk.gui  # noqa: F401  (installs the answer)
from leaddesk.gui.pyside_import_hook import uses_pyside


def feature_module() -> ModuleType:
    return sys.modules["shibokensupport.feature"]


def test_pyside_asks_leaddesk_s_question() -> None:
    assert feature_module()._mod_uses_pyside is uses_pyside


def test_modules_imported_afterwards_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "hook_probe_plain.py").write_text("import json\nVALUE = json.dumps(1)\n")
    (tmp_path / "hook_probe_qt.py").write_text(
        "from PySide6.QtCore import QObject\n\nclass Probe(QObject):\n    pass\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    for name in ("hook_probe_plain", "hook_probe_qt"):
        monkeypatch.delitem(sys.modules, name, raising=False)
        __import__(name)  # as an import statement does: through PySide6's hook
    table = feature_module().pyside_feature_dict
    assert table["hook_probe_plain"] == -1  # ignored by PySide's feature switching
    assert table["hook_probe_qt"] == 0  # switched, as a module using PySide is


def test_the_answer_for_leaddesk_s_own_modules() -> None:
    import leaddesk.domain.fields
    import leaddesk.gui.main_window

    assert uses_pyside(leaddesk.gui.main_window)
    assert not uses_pyside(leaddesk.domain.fields)
    assert not uses_pyside(sys)
