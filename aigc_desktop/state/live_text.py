"""The document's plain text and its word count, kept up to date edit by edit.

QTextDocument.toPlainText copies the whole text, and counting it runs four regular expressions over all of it: about
a millisecond and twelve milliseconds for a 24k-token book, on every keystroke (the word count) and again whenever
typing pauses (reading ahead, the language of the Actions). That is a visible stall while typing. Instead, every
`contentsChange` splices the changed characters into a copy of the text and counts only the words around the edit
(core/text/counting.py `recount`).

The copy equals toPlainText() character for character (the same separators and no-break spaces translated). Where
Qt's report does not add up (setPlainText and setHtml report only the clearing), the text is read whole again.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QTextCursor, QTextDocument

from aigc_desktop.core.text.counting import count_text, recount

log = logging.getLogger(__name__)

# What toPlainText writes for Qt's paragraph, line and frame separators and for a no-break space.
_AS_PLAIN = {0x2029: "\n", 0x2028: "\n", 0xFDD0: "\n", 0xFDD1: "\n", 0xA0: " "}


class LiveText(QObject):
    def __init__(self, document: QTextDocument, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.text = ""
        self.count = count_text("")
        # Connected before anyone else hears of the change: listeners of contentsChanged (emitted after it) read
        # the new text here.
        document.contentsChange.connect(self._changed)
        document.contentsChanged.connect(self._check)
        document.documentLayout()  # Qt reports contentsChange only for a document that has a layout
        self.reread()

    def reread(self) -> None:
        """Read the whole text again (after changes made with the document's signals blocked)."""
        self.text = self.document.toPlainText()
        self.count = count_text(self.text)

    def _changed(self, position: int, removed: int, added: int) -> None:
        old = self.text
        length = self.document.characterCount() - 1  # the document's last paragraph separator is not text
        # Qt counts that last separator when the whole text is replaced: clamp to the text.
        position = min(position, len(old))
        removed = min(removed, len(old) - position)
        added = min(added, length - position)
        if len(old) - removed + added != length:
            log.debug("contentsChange(%d, %d, %d) does not add up; reading the text again", position, removed, added)
            self.reread()
            return
        cursor = QTextCursor(self.document)
        cursor.setPosition(position)
        cursor.setPosition(position + added, QTextCursor.MoveMode.KeepAnchor)
        piece = cursor.selectedText().translate(_AS_PLAIN)
        new = old[:position] + piece + old[position + removed :]
        self.count = recount(self.count, old, new, position, removed, added)
        self.text = new

    def _check(self) -> None:
        # setPlainText and setHtml report only the clearing of the old text, not the new text.
        if len(self.text) != self.document.characterCount() - 1:
            self.reread()
