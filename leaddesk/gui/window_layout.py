"""Where the main window's parts sit in its central area, top to bottom: the demo banner,
the no-destination warning, the destination picker, the editing banner, the form (which
scrolls), the notices (below the form: a notice never moves a field) and the buttons.
The window builds the parts; this module only places them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

NO_DESTINATION_TEXT = (
    "No destination is set, so leads cannot be sent. Add one in Settings (Ctrl+,), "
    "start LeadDesk with --url and --source-id, or try --demo."
)


def lay_out_central(
    window: QMainWindow,
    *,
    demo: bool,
    above_form: tuple[QWidget, ...],
    form: QWidget,
    below_form: QWidget,
    buttons: tuple[QPushButton, QPushButton],
) -> QLabel:
    """The central area, set on `window`; its no-destination warning, hidden until the
    settings say (the window's attach). `above_form` go under that warning; `buttons`
    are the one on the left and the one on the right."""
    central = QWidget(window)
    layout = QVBoxLayout(central)
    if demo:
        banner = QLabel(
            "Demo mode: leads go to a built-in sandbox, not to a dealer, "
            "and are kept apart from real ones.",
            central,
        )
        banner.setObjectName("demo_banner")
        banner.setWordWrap(True)
        layout.addWidget(banner)
    no_destination = QLabel(NO_DESTINATION_TEXT, central)
    no_destination.setObjectName("no_destination")
    no_destination.setWordWrap(True)
    no_destination.hide()
    layout.addWidget(no_destination)
    for widget in above_form:
        layout.addWidget(widget)
    scroll = QScrollArea(central)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes from field to field, not here
    scroll.setWidget(form)
    layout.addWidget(scroll, 1)
    layout.addWidget(below_form)
    left, right = buttons
    row = QHBoxLayout()
    row.addWidget(left)
    row.addStretch(1)
    row.addWidget(right)
    layout.addLayout(row)
    window.setCentralWidget(central)
    return no_destination
