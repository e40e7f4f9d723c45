"""One input widget per SecurityTrax field, chosen by the field's kind.

Every input's objectName is the field name, so tests and automation can find it; each
offers `text()`/`set_text()` through FieldInput, whatever the widget underneath.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, QObject, QRegularExpression, Qt, Signal, Slot
from PySide6.QtGui import QFocusEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QComboBox, QCompleter, QLineEdit, QPlainTextEdit, QWidget

from leaddesk.domain.fields import FieldSpec, Kind
from leaddesk.domain.us_states import STATE_NAMES

_STATE_ITEM = re.compile(r".*\(([A-Z]{2})\)\s*$")


class FieldInput(QObject):
    """A field's widget with one interface: text in, text out, and an `edited` signal."""

    edited = Signal(str)  # field name; emitted on every change a person makes
    left = Signal(str)  # field name; focus moved away from the field

    def __init__(self, spec: FieldSpec, parent: QWidget) -> None:
        super().__init__(parent)
        self.spec = spec
        self.widget = _make_widget(spec, parent)
        self.widget.setObjectName(spec.name)
        # Qt has no "required" state to expose: the name says it, as the label's "*" does.
        self.widget.setAccessibleName(accessible_name(spec))
        self.widget.setToolTip(spec.help)
        self.widget.setAccessibleDescription(spec.help)
        self._formatter_busy = False
        self._connect_edits()
        if isinstance(self.widget, QLineEdit):  # on leaving it, and on Return
            self.widget.editingFinished.connect(lambda: self.left.emit(self.spec.name))
        else:
            self.widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusOut and watched is self.widget:
            reason = event.reason() if isinstance(event, QFocusEvent) else None
            if reason != Qt.FocusReason.PopupFocusReason:  # the completer popup is not leaving
                self.left.emit(self.spec.name)
        return False

    def text(self) -> str:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            return widget.toPlainText()
        if isinstance(widget, QComboBox) and not widget.isEditable():
            return str(widget.currentData() or "")
        if isinstance(widget, QComboBox):
            text = widget.currentText().strip()
            match = _STATE_ITEM.fullmatch(text)
            return match.group(1) if match else text
        assert isinstance(widget, QLineEdit)
        return widget.text()

    def set_text(self, value: str) -> None:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            widget.setPlainText(value)
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            index = widget.findData(value)
            widget.setCurrentIndex(max(index, 0))
        elif isinstance(widget, QComboBox):
            widget.setEditText(value)
        else:
            assert isinstance(widget, QLineEdit)
            if self.spec.kind is Kind.PHONE and len(value) == 10 and value.isdigit():
                value = f"({value[:3]}) {value[3:6]}-{value[6:]}"  # as if typed
            widget.setText(value)

    def _connect_edits(self) -> None:
        widget = self.widget
        if isinstance(widget, QPlainTextEdit):
            widget.textChanged.connect(self._on_edited)
        elif isinstance(widget, QComboBox) and not widget.isEditable():
            widget.currentIndexChanged.connect(self._on_edited)
        elif isinstance(widget, QComboBox):
            widget.editTextChanged.connect(self._on_edited)
        else:
            assert isinstance(widget, QLineEdit)
            widget.textEdited.connect(self._on_edited)
            if self.spec.kind is Kind.PHONE:
                widget.textEdited.connect(self._format_phone)

    @Slot()
    def _on_edited(self) -> None:
        if not self._formatter_busy:
            self.edited.emit(self.spec.name)

    @Slot(str)
    def _format_phone(self, text: str) -> None:
        """Format a North American number as it is typed: (801) 312-7735.

        Only while typing at the end; editing in the middle is left alone so that the
        cursor does not jump under the agent's fingers.
        """
        widget = self.widget
        assert isinstance(widget, QLineEdit)
        if widget.cursorPosition() != len(text) or text.startswith("+"):
            return
        digits = "".join(ch for ch in text if ch.isdigit())
        if not digits or len(digits) > 11:
            return
        import phonenumbers  # loaded after the first paint (see app.py), not before it

        formatter = phonenumbers.AsYouTypeFormatter("US")
        formatted = ""
        for digit in digits:
            formatted = formatter.input_digit(digit)
        if formatted != text and not any(ch.isalpha() for ch in text):
            self._formatter_busy = True
            widget.setText(formatted)
            self._formatter_busy = False


def accessible_name(spec: FieldSpec) -> str:
    """What a screen reader calls the input: its label, never its current value (which
    Qt would read for a combo box without a name), and "required" when it is."""
    return f"{spec.label}, required" if spec.required else spec.label


def _make_widget(spec: FieldSpec, parent: QWidget) -> QWidget:
    if spec.kind is Kind.MULTILINE:
        editor = QPlainTextEdit(parent)
        editor.setTabChangesFocus(True)  # Tab moves on, as in every other input
        editor.setFixedHeight(editor.fontMetrics().lineSpacing() * 3 + 14)
        return editor
    if spec.kind is Kind.CHOICE:
        combo = QComboBox(parent)
        for value, label in spec.choices:
            # Words, not a dash: on Linux a screen reader speaks a combo's current text.
            combo.addItem(label or "Not set", value)
        return combo
    if spec.kind is Kind.STATE:
        return _state_combo(parent)
    line = QLineEdit(parent)
    if spec.max_length is not None:
        line.setMaxLength(spec.max_length)
    if spec.kind is Kind.MONEY:
        money = QRegularExpression(r"^\$?\s*\d{0,5}(,\d{0,3})*(\.\d{0,2})?$")
        line.setValidator(QRegularExpressionValidator(money, line))
        line.setPlaceholderText("no price (e.g. 27.50)")  # never read as a price set
    elif spec.kind is Kind.PHONE:
        if spec.required:  # one example is enough; four would be noise
            line.setPlaceholderText("e.g. (801) 312-7735")
        line.setInputMethodHints(Qt.InputMethodHint.ImhDialableCharactersOnly)
    elif spec.kind is Kind.ZIP:
        line.setPlaceholderText("e.g. 83660")
        line.setMaxLength(10)
    elif spec.kind is Kind.EMAIL:
        line.setInputMethodHints(Qt.InputMethodHint.ImhEmailCharactersOnly)
    return line


def _state_combo(parent: QWidget) -> QComboBox:
    """An editable combo that completes from codes and names: "id", "ID", "Idaho"."""
    combo = QComboBox(parent)
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    combo.addItem("")
    for code, name in sorted(STATE_NAMES.items(), key=lambda item: item[1]):
        combo.addItem(f"{name} ({code})")
    completer = QCompleter([combo.itemText(i) for i in range(1, combo.count())], combo)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setFilterMode(Qt.MatchFlag.MatchContains)
    completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
    combo.setCompleter(completer)
    editor = combo.lineEdit()
    assert editor is not None  # an editable combo always has one
    editor.setPlaceholderText("e.g. ID or Idaho")
    return combo
