"""The document editor: a QTextEdit whose copied, cut or dragged selections keep their AI marks when pasted or
dropped within the app (the marks themselves are state/ai_marks.py)."""

from __future__ import annotations

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QTextEdit

from aigc_desktop.state.ai_marks import (
    AI_SPANS_MIME,
    ai_format,
    plain_text,
    read_spans_payload,
    spans_between,
    spans_payload,
    unmark,
)


class AiTextEdit(QTextEdit):
    """A QTextEdit whose copied, cut or dragged selections keep their AI marks when pasted or dropped in the app."""

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
