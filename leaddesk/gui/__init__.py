"""The window: PySide6 widgets over the Qt-free core (the one package that imports Qt)."""

from leaddesk.gui import pyside_import_hook

pyside_import_hook.install()  # before any other module here: each one pays PySide6's scan
