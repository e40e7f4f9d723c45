"""A cheaper answer to PySide6's question about every module imported after it.

PySide6 replaces `__import__`, and for each newly imported module asks whether it uses
PySide (shibokensupport.feature._mod_uses_pyside) by reading the module's whole source
with `inspect.getsource`. The answer only matters to `from __feature__ import …`
(snake_case, true_property), which LeadDesk never uses; reading the source of the 200-odd
modules the desk imports after the first frame took about 30 ms of every start.

The replacement answers from what the module has already imported, which is free: a
module that names a PySide6 or shiboken6 module, class or function in its namespace uses
PySide. It never raises (an exception would come out of the importing statement) and reads
attributes without running a module's or an object's own attribute hooks (a lazily loaded
module stays unloaded). If PySide6's internals change, nothing is replaced and start-up is
only slower.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping
from types import BuiltinFunctionType, FunctionType, ModuleType

import PySide6  # noqa: F401  (loads shibokensupport.feature, the module patched below)

_QT_PACKAGES = ("PySide6", "shiboken6")


def uses_pyside(module: object, *_args: object, **_kwargs: object) -> bool:
    """Whether `module` has a PySide6 (or shiboken6) module or object in its namespace."""
    try:
        return any(_is_qt(value) for value in _namespace(module).values())
    except Exception:  # never out of an import statement
        return False


def install() -> bool:
    """Replace PySide6's source scan with `uses_pyside`; False, leaving PySide6 as it is,
    if its scan is not the one-argument function this was written against."""
    feature = sys.modules.get("shibokensupport.feature")
    original = getattr(feature, "_mod_uses_pyside", None)
    code = getattr(original, "__code__", None)
    if feature is None or code is None or code.co_argcount != 1:
        return False
    feature._mod_uses_pyside = uses_pyside  # type: ignore[attr-defined]
    return True


def _namespace(value: object) -> Mapping[str, object]:
    """`value`'s own attributes, read past any attribute hook of its class."""
    namespace = object.__getattribute__(value, "__dict__")
    return namespace if isinstance(namespace, Mapping) else {}


def _is_qt(value: object) -> bool:
    owner: object
    try:
        if isinstance(value, ModuleType):
            owner = _namespace(value).get("__name__")
        elif isinstance(value, type):
            owner = _namespace(value).get("__module__")
        elif isinstance(value, FunctionType | BuiltinFunctionType):
            owner = value.__module__
        else:  # an instance: where its class was defined
            owner = _namespace(type(value)).get("__module__")
    except Exception:  # one odd value does not decide for the whole module
        return False
    return isinstance(owner, str) and owner.startswith(_QT_PACKAGES)
