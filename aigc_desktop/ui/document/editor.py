"""The document editor: a QTextEdit whose copied, cut or dragged selections keep their AI marks when pasted or
dropped within the app (the marks themselves are state/ai_marks.py), and that says "Written by AI" over marked text.

Typing through an input method (pinyin…) is Qt's own: the text being composed is shown in the layout only, and
only the committed text enters the document, its undo stack and the word count.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QHelpEvent, QTextCursor
from PySide6.QtWidgets import QTextEdit, QToolTip

from aigc_desktop.state.ai_marks import (
    AI_SPANS_MIME,
    ai_format,
    is_ai,
    plain_text,
    read_spans_payload,
    spans_between,
    spans_payload,
    unmark,
)
from aigc_desktop.ui.i18n import translate


class AiTextEdit(QTextEdit):
    """A QTextEdit whose copied, cut or dragged selections keep their AI marks when pasted or dropped in the app."""

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent) and self.is_ai_at(event.pos()):
            QToolTip.showText(event.globalPos(), translate("AiTextEdit", "Written by AI"), self.viewport())
            return True
        return super().viewportEvent(event)

    def is_ai_at(self, point: QPoint) -> bool:
        """Whether the character under `point` (viewport coordinates) is AI-written."""
        offset = QPointF(self.horizontalScrollBar().value(), self.verticalScrollBar().value())
        layout = self.document().documentLayout()
        position = layout.hitTest(QPointF(point) + offset, Qt.HitTestAccuracy.ExactHit)
        if position < 0:
            return False
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter, QTextCursor.MoveMode.KeepAnchor)
        return is_ai(cursor.charFormat())  # the format of the character before the cursor's end: the one hovered

    def createMimeDataFromSelection(self) -> QMimeData:
        source = super().createMimeDataFromSelection()  # Qt's plain text, HTML, Markdown and ODF of the selection
        mime = QMimeData()
        for fmt in source.formats():
            mime.setData(fmt, source.data(fmt))
        source.deleteLater()  # ours to free: the clipboard takes the copy returned here
        cursor = self.textCursor()
        start, end = cursor.selectionStart(), cursor.selectionEnd()
        spans = spans_between(self.document(), start, end)
        if spans:
            mime.setData(AI_SPANS_MIME, spans_payload(plain_text(self.document(), start, end), spans))
        return mime

    def insertFromMimeData(self, source: QMimeData) -> None:
        """Qt inserts the text (with its bold, headings…); then the inserted range gets exactly the copied marks,
        or none. All in one undo step."""
        doc = self.document()
        cursor = self.textCursor()
        start = cursor.selectionStart()
        kept = doc.characterCount() - (cursor.selectionEnd() - start)  # the length once the selection is replaced
        cursor.beginEditBlock()  # edit blocks belong to the document: Qt's insertion joins this one
        super().insertFromMimeData(source)
        end = start + doc.characterCount() - kept
        unmark(doc, start, end)  # plain text takes the format at the cursor, which may be AI
        copied = read_spans_payload(source)
        if copied is not None and copied[0] == plain_text(doc, start, end):
            for span in copied[1]:
                marker = QTextCursor(doc)
                marker.setPosition(start + span.start)
                marker.setPosition(start + span.end, QTextCursor.MoveMode.KeepAnchor)
                marker.mergeCharFormat(ai_format(span.spec_id))
        cursor.endEditBlock()
