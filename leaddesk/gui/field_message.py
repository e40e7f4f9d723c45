"""The message under a field: RESERVED_LINES lines, always, so that a message appearing,
changing or going never moves the fields below it (the one being typed among them).

LeadDesk's own messages are short enough to be shown whole in those lines at the
narrowest width the form has on any screen (tests/gui/test_field_message_fit.py walks
them). A text that is not ours can be longer: a dealer's error placed at its field for
Edit and resend. Such a text is shown as far as the lines allow, ending in "… (F8: whole
text)"; the field's accessible description and this label's accessible name keep it
whole, and `cut` hands it to the window, which puts it whole in the notices list (F8).
The same text can fit again when the form is wider: the label then shows it whole.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, Qt, Signal
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QLabel, QSizePolicy, QWidget

from leaddesk.gui.notifications import OPEN_KEY
from leaddesk.gui.style_property import ERROR_ROLE, LOOK_PROPERTY, apply_look

if TYPE_CHECKING:
    # Loaded when a message is first measured: their names take PySide a while to set up.
    from PySide6.QtGui import QFont, QFontMetrics

    from leaddesk.gui.lead_form import LeadForm
    from leaddesk.gui.notifications import NotificationArea

RESERVED_LINES = 2
CUT_SUFFIX = f" ({OPEN_KEY}: whole text)"
_TALL = 1 << 20  # a height no message reaches: only the width limits the wrapping


class FieldMessage(QLabel):
    cut = Signal(str)  # the whole text when what is shown is cut short; "" when whole again

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Coloured when it first has something to say: thirty empty lines need no colour
        # of their own for the form's first frame.
        self.setProperty("role", ERROR_ROLE)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.setTextFormat(Qt.TextFormat.PlainText)
        # The input above sets the column's width; a long message wraps instead of widening
        # it, and the height is the reserved lines' whatever the text (_keep_height).
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self._whole = ""
        self._cut_whole = ""  # the whole text last reported cut ("" if none is)
        self._keep_height()

    def whole_text(self) -> str:
        """The message as it was given, whether or not all of it is in sight."""
        return self._whole

    def is_cut(self) -> bool:
        return bool(self._cut_whole)

    def setText(self, text: str) -> None:
        if text == self._whole:
            return
        self._whole = text
        if text and not self.property(LOOK_PROPERTY):
            apply_look(self)
        self.setAccessibleName(text)
        self._fit()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._fit()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._keep_height()
            self._fit()

    def _keep_height(self) -> None:
        margins = self.contentsMargins()
        lines = self.fontMetrics().lineSpacing() * RESERVED_LINES
        self.setFixedHeight(lines + margins.top() + margins.bottom() + 2 * self.margin())

    def _room(self) -> int:
        return self.contentsRect().width() - 2 * self.margin()

    def _fit(self) -> None:
        """Show the whole text if it fits its lines at this width, else as much as does.
        A hidden label (a folded section) is measured once it is shown."""
        shown, cut = self._whole, False
        if self._whole and self.isVisible() and self._room() > 0:
            shown, cut = fit_to_lines(self._whole, self.font(), self._room())
        if shown != self.text():
            QLabel.setText(self, shown)
        reported = self._whole if cut else ""
        if reported != self._cut_whole:
            self._cut_whole = reported
            self.cut.emit(reported)


def fits(text: str, metrics: QFontMetrics, width: int, lines: int = RESERVED_LINES) -> bool:
    """Whether a QLabel with word wrap shows `text` whole in `lines` lines of `width`:
    no more lines, and no word wider than the line (a label would cut it at the edge)."""
    bound = metrics.boundingRect(QRect(0, 0, width, _TALL), Qt.TextFlag.TextWordWrap, text)
    return bound.width() <= width and bound.height() <= metrics.lineSpacing() * lines


def fit_to_lines(
    text: str, font: QFont, width: int, lines: int = RESERVED_LINES
) -> tuple[str, bool]:
    """(what to show, whether it is cut short): `text` itself when it fits; else its
    first lines broken by hand (a long word broken anywhere), the last one ending in
    "…" and CUT_SUFFIX, or, when the text fits once its long words are broken, all of it."""
    from PySide6.QtGui import QFontMetrics, QTextLayout

    metrics = QFontMetrics(font)
    if fits(text, metrics, width, lines):
        return text, False
    flat = " ".join(text.split())
    layout = QTextLayout(flat, font)
    option = layout.textOption()
    option.setWrapMode(option.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    kept: list[str] = []
    start = 0
    layout.beginLayout()
    while len(kept) < lines - 1:
        line = layout.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        kept.append(flat[start : start + line.textLength()].rstrip())
        start += line.textLength()
    layout.endLayout()
    rest = flat[start:].lstrip()
    if metrics.horizontalAdvance(rest) <= width:
        return "\n".join([*kept, rest]), False
    room = max(width - metrics.horizontalAdvance(CUT_SUFFIX), 0)
    last = metrics.elidedText(rest, Qt.TextElideMode.ElideRight, room) + CUT_SUFFIX
    return "\n".join([*kept, last]), True


def show_whole_in_notices(form: LeadForm, notices: NotificationArea) -> None:
    """A field message cut short is in the notices list whole (F8), under the field's
    label, until the field's message changes or goes."""

    def on_cut(name: str, whole: str) -> None:
        key = f"field-message:{name}"
        if not whole:
            notices.dismiss(key)
            return
        label = form.inputs[name].spec.label
        named = whole.casefold().startswith((label.casefold(), name))  # "Last name is ..."
        notices.notify(key, whole if named else f"{label}: {whole}", severity="warning")

    form.message_cut.connect(on_cut)
