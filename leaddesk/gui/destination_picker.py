"""Which dealer the lead goes to: a dropdown of the configured destinations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

if TYPE_CHECKING:
    from leaddesk.config.settings import Destination


class DestinationPicker(QWidget):
    chosen = Signal(object)  # Destination

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._destinations: list[Destination] = []
        self._locked = False
        self.combo = QComboBox(self)
        self.combo.setObjectName("destination")
        self.combo.setAccessibleName("Destination")
        self.combo.setToolTip(
            "The dealer this lead goes to; its values fill the lead source fields"
        )
        self.combo.setMinimumContentsLength(18)
        self.note = QLabel(self)
        self.note.setObjectName("destination_note")
        label = QLabel("Sendin&g to", self)
        label.setBuddy(self.combo)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(label)
        layout.addWidget(self.combo)
        layout.addWidget(self.note, 1)
        self.combo.currentIndexChanged.connect(self._on_index)

    def set_destinations(self, destinations: Sequence[Destination], current: str) -> None:
        """Offer these; select the one named `current` (or the first) and announce it."""
        self._destinations = list(destinations)
        self.combo.blockSignals(True)
        self.combo.clear()
        for destination in self._destinations:
            self.combo.addItem(destination.name + (" (locked)" if destination.locked else ""))
        names = [d.name.casefold() for d in self._destinations]
        index = names.index(current.casefold()) if current.casefold() in names else 0
        self.combo.setCurrentIndex(index if self._destinations else -1)
        self.combo.blockSignals(False)
        self._update_enabled()
        self._on_index(self.combo.currentIndex())

    def set_locked(self, locked: bool) -> None:
        """No switching while the form fixes a lead of one particular destination."""
        self._locked = locked
        self._update_enabled()

    def _update_enabled(self) -> None:
        self.combo.setEnabled(len(self._destinations) > 1 and not self._locked)

    def select(self, name: str) -> bool:
        """Show the destination of this name, if offered (announcing it)."""
        names = [d.name.casefold() for d in self._destinations]
        if name.casefold() not in names:
            return False
        self.combo.setCurrentIndex(names.index(name.casefold()))
        return True

    def current(self) -> Destination | None:
        index = self.combo.currentIndex()
        return self._destinations[index] if 0 <= index < len(self._destinations) else None

    @Slot(int)
    def _on_index(self, index: int) -> None:
        destination = self.current()
        if destination is None:
            self.note.setText("No destination yet: add one in Settings (Ctrl+,)")
            return
        problems = destination.problems()
        if problems:
            self.note.setText("Cannot send yet: " + ", ".join(problems) + ". See Settings.")
        else:
            self.note.setText(f"source ID {destination.source_id}")
        self.chosen.emit(destination)
