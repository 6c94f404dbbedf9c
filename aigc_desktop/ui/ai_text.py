"""Marking AI-written text in a QTextDocument, and reading the marks back as the project's AiSpans.

A character format property carries the spec id, so marks move with the text through any edit. Qt's HTML does not
keep custom properties, so the project stores the spans and `apply_spans` puts them back after loading.
"""

from __future__ import annotations

from PySide6.QtGui import QColor, QTextCharFormat, QTextCursor, QTextDocument, QTextFormat

from aigc_desktop.core.project import AiSpan

AI_SPEC_PROPERTY = int(QTextFormat.Property.UserProperty) + 1
AI_BACKGROUND = QColor("#e4edfb")  # subtle: visible without shouting over the text


def ai_format(spec_id: str) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setBackground(AI_BACKGROUND)
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
