"""The window: PySide6 widgets over the Qt-free core (the one package that imports Qt)."""
