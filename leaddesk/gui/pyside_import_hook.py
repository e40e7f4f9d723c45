"""A cheaper answer to PySide6's question about every module imported after it.

PySide6 replaces `__import__`, and for each newly imported module asks whether it uses
PySide (shibokensupport.feature._mod_uses_pyside) by reading the module's whole source
with `inspect.getsource`. The answer only matters to `from __feature__ import …`
(snake_case, true_property), which LeadDesk never uses; reading the source of the 200-odd
modules the desk imports after the first frame took about 30 ms of every start.

The replacement answers from what the module has already imported, which is free: a
module that names a PySide6 or shiboken6 module, class or function in its namespace uses
PySide. If PySide6's internals change, nothing is replaced and start-up is only slower.
"""

from __future__ import annotations

import sys
from types import ModuleType

import PySide6  # noqa: F401  (loads shibokensupport.feature, the module patched below)

_QT_PACKAGES = ("PySide6", "shiboken6")


def uses_pyside(module: ModuleType) -> bool:
    """Whether `module` has a PySide6 (or shiboken6) module or object in its namespace."""
    try:
        values = list(vars(module).values())
    except TypeError:  # no __dict__: a builtin
        return False
    for value in values:
        owner: object
        if isinstance(value, ModuleType):
            owner = value.__name__
        else:
            try:
                owner = getattr(value, "__module__", None)
            except Exception:  # an object whose attribute lookup itself fails
                continue
        if isinstance(owner, str) and owner.startswith(_QT_PACKAGES):
            return True
    return False


def install() -> bool:
    """Replace PySide6's source scan with `uses_pyside`; False if PySide6 has none."""
    feature = sys.modules.get("shibokensupport.feature")
    if feature is None or not callable(getattr(feature, "_mod_uses_pyside", None)):
        return False
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True
