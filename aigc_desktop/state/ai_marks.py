"""Marking AI-written text in a QTextDocument, and reading the marks back as the project's AiSpans.

A character format property carries the spec id, so marks move with the text through any edit. Qt's HTML does not
keep custom properties, so the project stores the spans and `apply_spans` puts them back after loading.

The tint is not part of the text's format: an `AiHighlighter` paints it over the marked fragments. A highlighter's
formats live in the layout only, so switching "Show AI-generated" never adds an undo step, never marks the document
modified, and the saved HTML stays free of it. The "Written by AI" tooltip is no part of the format either: the
editor shows it over marked text, in the interface language of the moment (ui/document/editor.py).

Copy, cut and drag of a selection carry its marks in the clipboard under AI_SPANS_MIME (beside Qt's plain text,
HTML and Markdown, which cannot hold them); the editor (ui/document/editor.py) puts them back on paste or drop.
Anything pasted without them (from another app, or text whose marks do not match) is the author's and is never
marked.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QMimeData
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

from aigc_desktop.core.project.model import AiSpan

AI_SPEC_PROPERTY = int(QTextFormat.Property.UserProperty) + 1
AI_SPANS_MIME = "application/x-aigc-desktop-ai-spans"  # {"text": the copied text, "spans": [[start, end, spec id]]}
AI_BACKGROUND = QColor("#e4edfb")  # subtle: visible without shouting over the text


def ai_format(spec_id: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setProperty(AI_SPEC_PROPERTY, spec_id)
    return fmt


def is_ai(fmt: QTextCharFormat) -> bool:
    return bool(fmt.property(AI_SPEC_PROPERTY))


def plain_format(fmt: QTextCharFormat) -> QTextCharFormat:
    """`fmt` without the AI mark: what the author's own typing next to AI text gets."""
    clean = QTextCharFormat(fmt)
    clean.clearProperty(AI_SPEC_PROPERTY)
    clean.clearBackground()
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
    # Loading blocks the document's signals, so the highlighter never heard of this text: paint the tint now.
    highlighter = doc.findChild(AiHighlighter, "aiHighlighter")
    if isinstance(highlighter, AiHighlighter) and highlighter.enabled:
        highlighter.rehighlight()


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


# ---------------------------------------------------------------- copy and paste with the marks


def plain_text(doc: QTextDocument, start: int, end: int) -> str:
    cursor = QTextCursor(doc)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    return cursor.selection().toPlainText()


def spans_between(doc: QTextDocument, start: int, end: int) -> list[AiSpan]:
    """The AI spans inside [start, end), cut to it and counted from `start`."""
    return [
        AiSpan(max(s.start, start) - start, min(s.end, end) - start, s.spec_id)
        for s in collect_spans(doc)
        if s.end > start and s.start < end
    ]


def spans_payload(text: str, spans: list[AiSpan]) -> bytes:
    return json.dumps({"text": text, "spans": [[s.start, s.end, s.spec_id] for s in spans]}).encode()


def read_spans_payload(mime: QMimeData) -> tuple[str, list[AiSpan]] | None:
    """(copied text, its spans) from `mime`, or None when it carries no valid marks."""
    if not mime.hasFormat(AI_SPANS_MIME):
        return None
    try:
        data = json.loads(bytes(mime.data(AI_SPANS_MIME).data()).decode())
        text = data["text"]
        spans = [AiSpan(int(s), int(e), str(i)) for s, e, i in data["spans"]]
    except (ValueError, TypeError, KeyError, UnicodeDecodeError):
        return None
    if not isinstance(text, str) or any(not 0 <= s.start < s.end <= len(text) or not s.spec_id for s in spans):
        return None
    return text, spans


def unmark(doc: QTextDocument, start: int, end: int) -> None:
    """Remove the AI mark from [start, end), keeping every other format."""
    marked: list[tuple[int, int, QTextCharFormat]] = []  # collected first: formatting while iterating splits fragments
    block = doc.findBlock(start)
    while block.isValid() and block.position() < end:
        for it in block:  # type: ignore[attr-defined]
            frag = it.fragment()
            s, e = max(frag.position(), start), min(frag.position() + frag.length(), end)
            if s < e and is_ai(frag.charFormat()):
                marked.append((s, e, plain_format(frag.charFormat())))
        block = block.next()
    for s, e, fmt in marked:
        cursor = QTextCursor(doc)
        cursor.setPosition(s)
        cursor.setPosition(e, QTextCursor.MoveMode.KeepAnchor)
        cursor.setCharFormat(fmt)
