"""PySide6 asks of every module imported after it whether it uses PySide; LeadDesk answers
from the module's namespace instead of PySide6 reading the module's source. The answers
stay right, PySide6 really asks LeadDesk, and the answer never breaks an import."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

import leaddesk.gui  # noqa: F401  (installs the answer)
from leaddesk.gui import pyside_import_hook
from leaddesk.gui.pyside_import_hook import uses_pyside


def feature_module() -> ModuleType:
    return sys.modules["shibokensupport.feature"]


def import_probe(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str, source: str) -> int:
    """Import a module of this source as an import statement does (through PySide6's
    hook), and say what PySide6 recorded for it: 0 uses PySide, -1 ignored."""
    (tmp_path / f"{name}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, name, raising=False)
    __import__(name)
    return int(feature_module().pyside_feature_dict[name])


def test_modules_imported_afterwards_are_told_apart(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plain = "import json\nVALUE = json.dumps(1)\n"
    qt = "from PySide6.QtCore import QObject\n\nclass Probe(QObject):\n    pass\n"
    assert import_probe(tmp_path, monkeypatch, "hook_probe_plain", plain) == -1
    assert import_probe(tmp_path, monkeypatch, "hook_probe_qt", qt) == 0


def test_pyside_asks_leaddesk_not_the_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PySide6's own scan finds the word in a comment and says 0; LeadDesk's answer reads
    what the module holds, so -1 here proves that PySide6 asked LeadDesk."""
    source = "# Nothing here uses PySide6.\nVALUE = 1\n"
    assert import_probe(tmp_path, monkeypatch, "hook_probe_comment", source) == -1


class Awkward:
    """An object whose every attribute lookup fails, as some proxies' do."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(name)

    def __getattribute__(self, name: str) -> object:
        raise RuntimeError(name)


def test_the_answer_never_raises_and_loads_nothing_lazy(tmp_path: Path) -> None:
    odd = ModuleType("hook_probe_odd")
    nameless = ModuleType("nameless")
    del nameless.__name__
    odd.nameless = nameless  # type: ignore[attr-defined]
    odd.awkward = Awkward()  # type: ignore[attr-defined]
    assert uses_pyside(odd) is False
    # A module loaded lazily stays unloaded when a module holding it is looked at.
    (tmp_path / "hook_probe_lazy.py").write_text("raise RuntimeError('loaded')\n")
    spec = importlib.util.spec_from_file_location(
        "hook_probe_lazy", tmp_path / "hook_probe_lazy.py"
    )
    assert spec is not None and spec.loader is not None
    spec.loader = importlib.util.LazyLoader(spec.loader)
    lazy = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lazy)
    holder = ModuleType("hook_probe_holder")
    holder.lazy = lazy  # type: ignore[attr-defined]
    assert uses_pyside(holder) is False
    assert type(lazy).__name__ == "_LazyModule"  # not loaded: its RuntimeError never ran


def test_a_different_pyside_is_left_as_it_is(monkeypatch: pytest.MonkeyPatch) -> None:
    changed = ModuleType("shibokensupport.feature")
    changed._mod_uses_pyside = lambda module, cache: True  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "shibokensupport.feature", changed)
    assert pyside_import_hook.install() is False
    assert changed._mod_uses_pyside(None, None) is True


def test_the_answer_for_leaddesk_s_own_modules() -> None:
    import leaddesk.domain.fields
    import leaddesk.gui.main_window

    assert uses_pyside(leaddesk.gui.main_window)
    assert not uses_pyside(leaddesk.domain.fields)
    assert not uses_pyside(sys)
