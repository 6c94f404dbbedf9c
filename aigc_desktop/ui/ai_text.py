"""Marking AI-written text in a QTextDocument, and reading the marks back as the project's AiSpans.

A character format property carries the spec id, so marks move with the text through any edit. Qt's HTML does not
keep custom properties, so the project stores the spans and `apply_spans` puts them back after loading.

The tint is not part of the text's format: an `AiHighlighter` paints it over the marked fragments. A highlighter's
formats live in the layout only, so switching "Show AI-generated" never adds an undo step, never marks the document
modified, and the saved HTML stays free of it.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

from aigc_desktop.core.project import AiSpan

AI_SPEC_PROPERTY = int(QTextFormat.Property.UserProperty) + 1
AI_BACKGROUND = QColor("#e4edfb")  # subtle: visible without shouting over the text


def ai_format(spec_id: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setProperty(AI_SPEC_PROPERTY, spec_id)
    fmt.setToolTip("Written by AI")
    return fmt


def is_ai(fmt: QTextCharFormat) -> bool:
    return bool(fmt.property(AI_SPEC_PROPERTY))


def plain_format(fmt: QTextCharFormat) -> QTextCharFormat:
    """`fmt` without the AI mark: what the author's own typing next to AI text gets."""
    clean = QTextCharFormat(fmt)
    clean.clearProperty(AI_SPEC_PROPERTY)
    clean.clearBackground()
    clean.setToolTip("")
    return clean


def collect_spans(doc: QTextDocument) -> list[AiSpan]:
    spans: list[AiSpan] = []
    block = doc.begin()
    while block.isValid():
        for it in block:  # type: ignore[attr-defined]
            frag = it.fragment()
            spec_id = frag.charFormat().property(AI_SPEC_PROPERTY)
            if not spec_id:
                continue
            start, end = frag.position(), frag.position() + frag.length()
            last = spans[-1] if spans else None
            # fragments of one span split by formatting (bold inside AI text) or by a paragraph break join up again
            if last is not None and last.spec_id == spec_id and start - last.end <= 1:
                last.end = end
            else:
                spans.append(AiSpan(start, end, str(spec_id)))
        block = block.next()
    return spans


def apply_spans(doc: QTextDocument, spans: list[AiSpan]) -> None:
    length = doc.characterCount() - 1
    for span in spans:
        start, end = max(0, span.start), min(span.end, length)
        if start >= end:
            continue
        cursor = QTextCursor(doc)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.mergeCharFormat(ai_format(span.spec_id))
    _drop_saved_tint(doc)


def _drop_saved_tint(doc: QTextDocument) -> None:
    """Projects saved before the highlighter kept the tint in their HTML; remove it so the toggle can hide it.

    Called while loading, before the undo stacks are cleared, so the clean-up is never an undo step of its own.
    """
    tinted: list[tuple[int, int, QTextCharFormat]] = []  # collected first: formatting while iterating splits fragments
    block = doc.begin()
    while block.isValid():
        for it in block:  # type: ignore[attr-defined]
            frag = it.fragment()
            fmt = frag.charFormat()
            tint = fmt.hasProperty(QTextFormat.Property.BackgroundBrush) and fmt.background().color() == AI_BACKGROUND
            if is_ai(fmt) and tint:
                clean = QTextCharFormat(fmt)
                clean.clearBackground()
                tinted.append((frag.position(), frag.position() + frag.length(), clean))
        block = block.next()
    for start, end, clean in tinted:
        cursor = QTextCursor(doc)
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(clean)


class AiHighlighter(QSyntaxHighlighter):
    """Paints the AI tint behind every fragment carrying the AI mark, while `enabled`."""

    def __init__(self, doc: QTextDocument) -> None:
        super().__init__(doc)
        self.setObjectName("aiHighlighter")
        self.enabled = True
        self._tint = QTextCharFormat()
        self._tint.setBackground(AI_BACKGROUND)

    def highlightBlock(self, text: str) -> None:
        if not self.enabled:
            return
        block = self.currentBlock()
        for it in block:  # type: ignore[attr-defined]
            frag = it.fragment()
            if is_ai(frag.charFormat()):
                self.setFormat(frag.position() - block.position(), frag.length(), self._tint)


def ai_highlighter(doc: QTextDocument) -> AiHighlighter:
    """The document's highlighter, created on first use (one per document, owned by it)."""
    found = doc.findChild(AiHighlighter, "aiHighlighter")
    return found if isinstance(found, AiHighlighter) else AiHighlighter(doc)


def set_ai_highlight(doc: QTextDocument, on: bool) -> None:
    """Show or hide the AI tint. Only the layout is repainted: the marks, the undo stack and the HTML are untouched."""
    highlighter = ai_highlighter(doc)
    if highlighter.enabled != on:
        highlighter.enabled = on
        highlighter.rehighlight()
