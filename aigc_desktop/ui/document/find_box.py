"""Find in the document: a box in the pane's status row (Ctrl+F). Enter selects the next match, Shift+Enter the
previous one, wrapping around at the ends; any text the editor holds (Chinese included) is found as typed. When
there is no match the box says so through `not_found`, a marked Msg for the pane's status line."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextCursor, QTextDocument
from PySide6.QtWidgets import QLineEdit, QTextEdit, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.ui.i18n import Retranslating, translate


class FindBox(Retranslating, QLineEdit):
    not_found = Signal(object)  # a Msg: "“…” is not in the document"

    def __init__(self, editor: QTextEdit, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = editor
        self.setObjectName("findBox")
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(220)  # its placeholder says how to use it: keep it readable
        self.setMaximumWidth(260)
        self.returnPressed.connect(self.find_next)
        self.retranslate()

    def retranslate(self) -> None:
        self.setPlaceholderText(translate("FindBox", "Find (Ctrl+F), Enter for next"))
        self.setToolTip(translate("FindBox", "Enter: next match · Shift+Enter: previous match"))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        shift = event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and shift:
            self.find_next(backwards=True)
            return
        super().keyPressEvent(event)

    def focus_and_select(self) -> None:
        self.setFocus()
        self.selectAll()

    def find_next(self, backwards: bool = False) -> bool:
        """Select the next match of the box's text (wrapping around); say so when there is none."""
        needle = self.text()
        if not needle:
            return False
        flags = QTextDocument.FindFlag.FindBackward if backwards else QTextDocument.FindFlag(0)
        if self.editor.find(needle, flags):
            return True
        cursor = self.editor.textCursor()
        cursor.movePosition(QTextCursor.MoveOperation.End if backwards else QTextCursor.MoveOperation.Start)
        self.editor.setTextCursor(cursor)
        if self.editor.find(needle, flags):
            return True
        self.not_found.emit(QT_TRANSLATE_NOOP("FindBox", "“{text}” is not in the document").format(text=needle))
        return False
