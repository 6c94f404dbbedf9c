"""The Document pane: a rich-text editor that is the project's document."""

from __future__ import annotations

from PySide6.QtGui import QAction, QFont, QKeySequence, QTextBlockFormat, QTextCharFormat
from PySide6.QtWidgets import QLabel, QTextEdit, QToolButton, QWidget

from aigc_desktop.core.project import Project
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.ui.context import AppContext
from aigc_desktop.ui.pane import Pane

BODY_POINTS = 12.0
HEADING_POINTS = {1: 22.0, 2: 17.0}


class DocumentPane(Pane):
    pane_id = "document"
    title = "Document"
    model_kinds = (ModelKind.TEXT,)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.editor = QTextEdit(self)
        self.editor.setObjectName("documentEditor")
        self.editor.setAcceptRichText(True)
        self.editor.setPlaceholderText("Start writing…")
        font = QFont(self.editor.font())
        font.setPointSizeF(BODY_POINTS)
        self.editor.document().setDefaultFont(font)
        self.editor.document().setDocumentMargin(24)
        self.body.addWidget(self.editor, 1)
        self.word_count = QLabel(self)
        self.word_count.setObjectName("wordCount")
        self.body.addWidget(self.word_count)
        self._add_format_buttons()
        doc = self.editor.document()
        doc.contentsChanged.connect(self._on_contents_changed)
        doc.undoAvailable.connect(self.undo_state_changed)
        doc.redoAvailable.connect(self.undo_state_changed)
        self._update_word_count()

    def _add_format_buttons(self) -> None:
        def button(text: str, tip: str, shortcut: QKeySequence.StandardKey | None, slot: object) -> None:
            action = QAction(text, self)
            action.setToolTip(tip)
            if shortcut is not None:
                action.setShortcut(shortcut)
            action.triggered.connect(slot)
            self.addAction(action)
            b = QToolButton(self)
            b.setDefaultAction(action)
            self.toolbar.insertWidget(self.toolbar.count() - 1, b)

        button("B", "Bold (Ctrl+B)", QKeySequence.StandardKey.Bold, self.toggle_bold)
        button("I", "Italic (Ctrl+I)", QKeySequence.StandardKey.Italic, self.toggle_italic)
        button("H1", "Heading 1", None, lambda: self.set_heading(1))
        button("H2", "Heading 2", None, lambda: self.set_heading(2))
        button("¶", "Body text", None, lambda: self.set_heading(0))

    # -- formatting

    def toggle_bold(self) -> None:
        fmt = QTextCharFormat()
        bold = self.editor.fontWeight() != QFont.Weight.Bold
        fmt.setFontWeight(QFont.Weight.Bold if bold else QFont.Weight.Normal)
        self.editor.mergeCurrentCharFormat(fmt)

    def toggle_italic(self) -> None:
        fmt = QTextCharFormat()
        fmt.setFontItalic(not self.editor.fontItalic())
        self.editor.mergeCurrentCharFormat(fmt)

    def set_heading(self, level: int) -> None:
        cursor = self.editor.textCursor()
        cursor.beginEditBlock()
        block = QTextBlockFormat()
        block.setHeadingLevel(level)
        cursor.mergeBlockFormat(block)
        cursor.select(cursor.SelectionType.BlockUnderCursor)
        char = QTextCharFormat()
        char.setFontPointSize(HEADING_POINTS.get(level, BODY_POINTS))
        char.setFontWeight(QFont.Weight.Bold if level else QFont.Weight.Normal)
        cursor.mergeCharFormat(char)
        cursor.endEditBlock()

    # -- project

    def bind(self, project: Project) -> None:
        super().bind(project)
        doc = self.editor.document()
        doc.blockSignals(True)
        if project.document.html:
            self.editor.setHtml(project.document.html)
        else:
            self.editor.setPlainText(project.document.text)
        doc.blockSignals(False)
        doc.clearUndoRedoStacks()
        doc.setModified(False)
        self._update_word_count()
        self.undo_state_changed.emit()

    def flush(self) -> None:
        self.project.document.html = self.editor.toHtml()
        self.project.document.text = self.editor.toPlainText()

    def _on_contents_changed(self) -> None:
        self._update_word_count()
        self.changed.emit()

    def _update_word_count(self) -> None:
        text = self.editor.toPlainText()
        # CJK text has no spaces: count each CJK character as a word, as word processors do.
        cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff")
        latin = len(
            "".join(
                ch if not ("\u4e00" <= ch <= "\u9fff" or "\u3040" <= ch <= "\u30ff") else " " for ch in text
            ).split()
        )
        self.word_count.setText(f"{latin + cjk} words · {len(text)} characters")

    # -- undo: the editor keeps its own history (typing merges into sensible steps)

    def undo(self) -> None:
        self.editor.undo()

    def redo(self) -> None:
        self.editor.redo()

    def can_undo(self) -> bool:
        return self.editor.document().isUndoAvailable()

    def can_redo(self) -> bool:
        return self.editor.document().isRedoAvailable()
