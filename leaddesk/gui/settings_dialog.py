"""Settings: destinations (add, edit, duplicate, remove or archive), the agent, sending and
history. Every value is checked by the same models that read the config file, and a
problem is shown next to its field; nothing is saved until all of them are right.

Made for the keyboard: with no destination yet (the first start's "Add a destination…")
it opens on a new one, its name selected to be typed over, as Add does; each Alt+letter
is used once in the dialog. In demo mode it is shown read-only (`read_only`, from
settings_flow.py): the sandbox destination can be seen, not changed."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from leaddesk.app.history_access import HistoryAccess
from leaddesk.config import config_files
from leaddesk.config.checked import SettingsInvalid
from leaddesk.config.config_files import Loaded
from leaddesk.config.paths import Paths
from leaddesk.config.settings import Settings
from leaddesk.domain.errors import StoreError
from leaddesk.domain.fields import FIELD_BY_NAME
from leaddesk.gui.style_property import ERROR_ROLE, set_style_property

_TEXT_FIELDS = ("name", "url", "source_id", "campaign_id", "lead_purchase_price",
                "lead_source_info", "lead_promo_code")  # fmt: skip
_LABELS = {"name": "&Name", "url": "UR&L (leadpostxml.php)"} | {
    name: FIELD_BY_NAME[name].label for name in (*_TEXT_FIELDS[2:], "lead_type_id")
}
# Spin boxes for the numbers: (key, label, minimum, maximum, decimals or None for whole)
_NUMBERS: tuple[tuple[str, str, float, float, int | None], ...] = (
    ("sending.batch_size", "Leads per post", 1, 100, None),
    ("sending.retry_limit", "Tries before failed", 1, 100, None),
    ("sending.duplicate_days", "Duplicate guard (days, 0 = off)", 0, 3650, None),
    ("sending.connect_timeout", "Connect timeout (s)", 1, 300, 1),
    ("sending.read_timeout", "Answer timeout (s)", 1, 600, 1),
    ("sending.deadline", "Whole post at most (s)", 1, 900, 1),
    ("history.retention_days", "Keep history (days, 0 = for ever)", 0, 36500, None),
)


LOCKED_NOTE = "Set by your IT admin for every agent: it cannot be changed here."
DEMO_NOTE = (
    "Demo mode: leads go to this built-in sandbox, which cannot be changed. Start LeadDesk "
    "without --demo to add your dealer's destination."
)


class SettingsDialog(QDialog):
    def __init__(
        self,
        paths: Paths,
        loaded: Loaded,
        history: HistoryAccess,
        parent: QWidget | None = None,
        read_only: str = "",
    ) -> None:
        """`read_only`: why nothing can be changed (demo mode); "" to edit and save."""
        super().__init__(parent)
        self.setObjectName("settings_dialog")
        self.setWindowTitle("LeadDesk settings")
        self.saved: Loaded | None = None
        self._paths = paths
        self._loaded = loaded
        self._history = history
        settings = loaded.settings
        self._destinations: list[dict[str, Any]] = [d.as_dict() for d in settings.destinations]
        self._default = settings.default_destination
        self._shown = -1
        self._errors: dict[str, QLabel] = {}
        self._read_only = read_only

        self.tabs = tabs = QTabWidget(self)
        tabs.addTab(self._destinations_tab(), "&Destinations")
        tabs.addTab(self._general_tab(settings), "A&gent and sending")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Close
            if read_only
            else QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel,
            self,
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        self.problem = QLabel(self)
        self.problem.setObjectName("settings_problem")
        set_style_property(self.problem, "role", ERROR_ROLE)
        self.problem.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        if read_only:
            self._make_read_only()
        self._refresh_list(0)
        self.resize(720, 480)
        if not self._destinations and not read_only:
            self.add_destination()  # nothing to see without one: start on a new one
        elif self._destinations:
            self.list.setFocus()

    def _make_read_only(self) -> None:
        for button in self._list_buttons:
            button.setEnabled(False)
        self.agent.setReadOnly(True)
        for box in self.numbers.values():
            box.setReadOnly(True)

    # --- building -------------------------------------------------------------------

    def _destinations_tab(self) -> QWidget:
        tab = QWidget(self)
        self.list = QListWidget(tab)
        self.list.setObjectName("destination_list")
        self.list.currentRowChanged.connect(self._show_destination)
        add = QPushButton("&Add", tab)
        add.setObjectName("add_destination")
        add.clicked.connect(self.add_destination)
        duplicate = QPushButton("Du&plicate", tab)
        duplicate.setObjectName("duplicate_destination")
        duplicate.clicked.connect(self.duplicate_destination)
        self.remove = QPushButton("&Remove", tab)
        self.remove.setObjectName("remove_destination")
        self.remove.clicked.connect(self.remove_destination)
        self.make_default = QPushButton("Use &first", tab)
        self.make_default.setObjectName("default_destination")
        self.make_default.setToolTip("Start new leads with this destination")
        self.make_default.clicked.connect(self._set_default)
        left = QVBoxLayout()
        left.addWidget(self.list, 1)
        self._list_buttons = (add, duplicate, self.remove, self.make_default)
        for button in self._list_buttons:
            left.addWidget(button)

        self.editor = QWidget(tab)
        form = QFormLayout(self.editor)
        self.inputs: dict[str, QLineEdit | QComboBox] = {}
        for name in _TEXT_FIELDS:
            line = QLineEdit(self.editor)
            line.setObjectName(f"destination_{name}")
            self.inputs[name] = line
            if name == "name":
                line.textEdited.connect(self._rename_shown)
            self._add_row(form, _LABELS[name], line, f"destinations.{name}")
        kinds = QComboBox(self.editor)
        kinds.setObjectName("destination_lead_type_id")
        for value, label in FIELD_BY_NAME["lead_type_id"].choices:
            kinds.addItem(label, value)
        self.inputs["lead_type_id"] = kinds
        self._add_row(form, _LABELS["lead_type_id"], kinds, "destinations.lead_type_id")
        self.lock_note = QLabel(self._read_only or LOCKED_NOTE)
        self.lock_note.setWordWrap(True)
        form.addRow(self.lock_note)
        layout = QHBoxLayout(tab)
        layout.addLayout(left, 1)
        layout.addWidget(self.editor, 2)
        return tab

    def _general_tab(self, settings: Settings) -> QWidget:
        tab = QWidget(self)
        form = QFormLayout(tab)
        self.agent = QLineEdit(settings.agent_name, tab)
        self.agent.setObjectName("agent_name")
        self.agent.setToolTip("Sent with every lead as the call-center rep")
        self._add_row(form, "Your na&me (rep)", self.agent, "agent_name")
        self.numbers: dict[str, QSpinBox | QDoubleSpinBox] = {}
        for key, label, low, high, decimals in _NUMBERS:
            table, name = key.split(".")
            value = getattr(getattr(settings, table), name) or 0
            box: QSpinBox | QDoubleSpinBox
            if decimals is None:
                box = QSpinBox(tab)
                box.setRange(int(low), int(high))
                box.setValue(int(value))
            else:
                box = QDoubleSpinBox(tab)
                box.setDecimals(decimals)
                box.setRange(low, high)
                box.setValue(float(value))
            box.setObjectName(key.replace(".", "_"))
            self.numbers[key] = box
            self._add_row(form, label, box, key)
        return tab

    def _add_row(self, form: QFormLayout, label: str, widget: QWidget, key: str) -> None:
        error = QLabel(widget.parentWidget())
        error.setObjectName(f"{key.replace('.', '_')}_error")
        set_style_property(error, "role", ERROR_ROLE)
        error.setWordWrap(True)
        error.hide()
        self._errors[key] = error
        box = QVBoxLayout()
        box.setSpacing(0)
        box.addWidget(widget)
        box.addWidget(error)
        caption = QLabel(label, widget.parentWidget())
        caption.setBuddy(widget)
        form.addRow(caption, box)

    # --- the destination list -------------------------------------------------------

    def _item_text(self, entry: dict[str, Any]) -> str:
        text = str(entry["name"])
        if text.casefold() == self._default.casefold():
            text += " (first)"
        if entry.get("archived"):
            text += " (archived)"
        if entry.get("locked"):
            text += " (locked)"
        return text

    @Slot(str)
    def _rename_shown(self, name: str) -> None:
        """The list follows the name as it is typed."""
        item = self.list.item(self._shown)
        if item is not None:
            item.setText(self._item_text({**self._destinations[self._shown], "name": name}))

    def _refresh_list(self, select: int) -> None:
        self.list.blockSignals(True)
        self.list.clear()
        for entry in self._destinations:
            self.list.addItem(self._item_text(entry))
        self.list.blockSignals(False)
        self._shown = -1
        self.list.setCurrentRow(min(select, len(self._destinations) - 1))
        self._show_destination(self.list.currentRow())

    @Slot(int)
    def _show_destination(self, row: int) -> None:
        self._keep_editor()
        if row != self._shown:  # another destination's messages do not belong here
            for key, label in self._errors.items():
                if key.startswith("destinations."):
                    label.hide()
        self._shown = row
        entry = self._destinations[row] if 0 <= row < len(self._destinations) else None
        self.editor.setEnabled(entry is not None)
        locked = bool(entry and entry.get("locked"))
        self.lock_note.setVisible(locked)
        for name, widget in self.inputs.items():
            value = str(entry.get(name, "")) if entry else ""
            if isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(widget.findData(value), 0))
            else:
                widget.setText(value)
            if isinstance(widget, QLineEdit) and self._read_only:
                widget.setReadOnly(True)  # readable and selectable, not greyed out
            else:
                widget.setEnabled(not locked)
        self.remove.setEnabled(entry is not None and not locked and not self._read_only)
        archived = bool(entry and entry.get("archived"))
        self.remove.setText("&Restore" if archived else "&Remove")

    def _keep_editor(self) -> None:
        """Copy what the editor shows into the working list (checked only on Save)."""
        if not 0 <= self._shown < len(self._destinations):
            return
        entry = self._destinations[self._shown]
        if entry.get("locked"):
            return
        for name, widget in self.inputs.items():
            entry[name] = widget.currentData() if isinstance(widget, QComboBox) else widget.text()

    @Slot()
    def add_destination(self) -> None:
        self._keep_editor()
        self._destinations.append({"name": self._free_name("New destination")})
        self._refresh_list(len(self._destinations) - 1)
        name = self.inputs["name"]
        assert isinstance(name, QLineEdit)
        name.setFocus(Qt.FocusReason.OtherFocusReason)
        name.selectAll()  # typing replaces "New destination"

    @Slot()
    def duplicate_destination(self) -> None:
        self._keep_editor()
        row = self.list.currentRow()
        if not 0 <= row < len(self._destinations):
            return
        copy = {**self._destinations[row], "locked": False, "archived": False}
        copy["name"] = self._free_name(f"{copy['name']} (copy)")
        self._destinations.append(copy)
        self._refresh_list(len(self._destinations) - 1)

    @Slot()
    def remove_destination(self) -> None:
        """Delete it; or archive it when leads in the history went to it (they keep their
        destination), and restore an archived one."""
        self._keep_editor()
        row = self.list.currentRow()
        if not 0 <= row < len(self._destinations):
            return
        entry = self._destinations[row]
        if entry.get("archived"):
            entry["archived"] = False
        else:
            try:
                used = entry["name"] in self._history.destination_names()
            except StoreError:
                used = True  # when in doubt, keep it
            if used:
                entry["archived"] = True
            else:
                del self._destinations[row]
        self._refresh_list(row)

    @Slot()
    def _set_default(self) -> None:
        self._keep_editor()
        row = self.list.currentRow()
        if 0 <= row < len(self._destinations):
            self._default = self._destinations[row]["name"]
            self._refresh_list(row)

    def _free_name(self, wanted: str) -> str:
        taken = {str(d["name"]).casefold() for d in self._destinations}
        name, number = wanted, 2
        while name.casefold() in taken:
            name, number = f"{wanted} {number}", number + 1
        return name

    # --- saving -----------------------------------------------------------------------

    def values(self) -> dict[str, Any]:
        self._keep_editor()
        data: dict[str, Any] = {
            "agent_name": self.agent.text(),
            "default_destination": self._default,
            "destinations": self._destinations,
            "sending": self._loaded.settings.sending.as_dict(),
            # Not shown in the dialog: kept as loaded, so that saving leaves the floor's
            # database (usually the site file's) and the agent's own [team] values alone.
            "team": self._loaded.settings.team.as_dict(),
            "history": {},
        }
        for key, box in self.numbers.items():
            table, name = key.split(".")
            value = box.value()
            if key == "history.retention_days":
                data["history"][name] = int(value) or None
            else:
                data[table][name] = value
        return data

    @Slot()
    def save(self) -> None:
        for label in self._errors.values():
            label.hide()
        self.problem.clear()
        try:
            settings = Settings.check(self.values())
        except SettingsInvalid as error:
            self._show_problems(error)
            return
        try:
            config_files.save_user(self._paths, settings, self._loaded)
            self.saved = config_files.load(self._paths)
        except OSError as error:
            QMessageBox.warning(
                self, "Settings not saved", f"Could not write the settings: {error}"
            )
            return
        self.accept()

    def _show_problems(self, error: SettingsInvalid) -> None:
        """Each message at its field, with the first problem's destination and tab shown."""
        rows = [
            int(problem.where[1])
            for problem in error.problems
            if problem.where[:1] == ("destinations",) and len(problem.where) >= 3
        ]
        if rows:  # select first: selecting a destination clears the messages shown
            self.list.setCurrentRow(rows[0])
        self.tabs.setCurrentIndex(0 if rows else 1)
        general = []
        for problem in error.problems:
            location = [str(part) for part in problem.where]
            message = problem.message
            if location[:1] == ["destinations"] and len(location) >= 3:
                row, key = int(location[1]), f"destinations.{location[2]}"
                if row != rows[0]:
                    name = self._destinations[row].get("name", "")
                    general.append(f'"{name}": {location[2]}: {message}')
                    continue
            else:
                key = ".".join(location)
            label = self._errors.get(key)
            if label is None:
                general.append(message)
            else:
                label.setText(message)
                label.show()
        self.problem.setText(" ".join(general) or "Fix the fields marked, then save.")
        self.problem.setAlignment(Qt.AlignmentFlag.AlignLeft)
