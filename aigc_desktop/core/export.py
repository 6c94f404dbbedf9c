"""Exports without Qt: the flattened canvas and the document as Markdown, HTML or plain text with its AI spans marked.

The document exports work from the plain text and the project's AiSpans rather than from QTextDocument.toMarkdown /
toHtml: span positions are plain-text positions (each paragraph break counts one character, as in QTextDocument), so
marking them on the plain text is exact, while Qt's Markdown/HTML writers drop the custom property that marks AI text
and would need a second, fragile mapping of positions. The price is that bold/italic/headings are not exported yet.
"""

from __future__ import annotations

import html
import os
import re
import uuid
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from aigc_desktop.core import provenance
from aigc_desktop.core.audio_edit import check_writable
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.project import AiSpan, Canvas, Layer, Project

AI_CLASS = "ai"


# ---------------------------------------------------------------- canvas


def flatten(canvas: Canvas) -> Image.Image:
    """The visible layers composited bottom first, with their opacity and offsets, on a transparent canvas."""
    out = Image.new("RGBA", (canvas.width, canvas.height), (0, 0, 0, 0))
    for layer in canvas.layers:
        if not layer.visible or layer.opacity <= 0:
            continue
        image = layer.image.convert("RGBA")
        if layer.opacity < 1:
            lut = [round(a * layer.opacity) for a in range(256)]  # a lookup table: evaluated now, not per pixel later
            alpha = image.getchannel("A").point(lut)
            image.putalpha(alpha)
        # Pasting onto a canvas-sized sheet first: alpha_composite refuses negative offsets, paste clips them.
        sheet = Image.new("RGBA", out.size, (0, 0, 0, 0))
        sheet.paste(image, (layer.x, layer.y))
        out = Image.alpha_composite(out, sheet)
    return out


# ---------------------------------------------------------------- document


@dataclass(frozen=True)
class _Piece:
    text: str
    spec_id: str | None


def span_models(project: Project) -> dict[str, str]:
    """spec id → model id for every generation in the history (what the provenance lines name)."""
    return {entry.spec.id: entry.spec.model_id for entry in project.history}


def slice_document(text: str, spans: Sequence[AiSpan], start: int, end: int) -> tuple[str, list[AiSpan]]:
    """The text from start to end with the spans cut to it and shifted to its start (for exporting a selection)."""
    start, end = max(0, start), min(len(text), end)
    cut = [
        AiSpan(max(s.start, start) - start, min(s.end, end) - start, s.spec_id)
        for s in spans
        if s.end > start and s.start < end
    ]
    return text[start:end], cut


def _paragraphs(text: str, spans: Sequence[AiSpan]) -> Iterator[list[_Piece]]:
    """Each paragraph as pieces of text, AI pieces carrying their spec id. Spans are cut at paragraph breaks, so a
    marker never straddles two paragraphs (that would be broken HTML and broken Markdown)."""
    ordered = sorted(spans, key=lambda s: s.start)
    offset = 0
    for line in text.split("\n"):
        line_start, line_end = offset, offset + len(line)
        pieces: list[_Piece] = []
        pos = line_start
        for span in ordered:
            s, e = max(span.start, pos), min(span.end, line_end)
            if s >= e:
                continue
            if s > pos:
                pieces.append(_Piece(text[pos:s], None))
            pieces.append(_Piece(text[s:e], span.spec_id))
            pos = e
        if pos < line_end:
            pieces.append(_Piece(text[pos:line_end], None))
        yield pieces
        offset = line_end + 1  # the paragraph break is one character, as in QTextDocument


def _models_used(spans: Sequence[AiSpan], models: Mapping[str, str] | None) -> list[str]:
    names: list[str] = []
    for span in spans:
        name = (models or {}).get(span.spec_id, "an unrecorded model")
        if name not in names:
            names.append(name)
    return names


def provenance_line(spans: Sequence[AiSpan], models: Mapping[str, str] | None = None) -> str:
    """'AI-assisted: …' naming the models and the character ranges they wrote ('' when no text is AI-written)."""
    real = [s for s in spans if s.end > s.start]
    if not real:
        return ""
    ranges = ", ".join(f"{s.start}–{s.end}" for s in sorted(real, key=lambda s: s.start))
    return f"AI-assisted: passages written by {', '.join(_models_used(real, models))} (characters {ranges})."


def _attr_span(spec_id: str, inner: str) -> str:
    return f'<span data-ai-spec="{html.escape(spec_id, quote=True)}" class="{AI_CLASS}">{inner}</span>'


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
_MD_LINE_START = re.compile(r"^(\s*)([#>+\-]|\d+\.)(?=\s|$)")


def _md_escape(text: str) -> str:
    # Plain text, not Markdown: characters that would turn into emphasis, links, HTML or list/heading markers are
    # escaped so the reader sees exactly what was written.
    return _MD_SPECIAL.sub(r"\\\1", text)


def document_markdown(text: str, spans: Sequence[AiSpan], models: Mapping[str, str] | None = None) -> str:
    """Paragraphs separated by blank lines; AI pieces as inline HTML spans (CommonMark keeps inline HTML), and a
    closing provenance paragraph plus a machine-readable comment."""
    out: list[str] = []
    for pieces in _paragraphs(text, spans):
        line = "".join(_attr_span(p.spec_id, _md_escape(p.text)) if p.spec_id else _md_escape(p.text) for p in pieces)
        if pieces and pieces[0].spec_id is None:
            line = _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line, count=1)
        out.append(line)
    body = "\n\n".join(out).strip("\n")
    note = provenance_line(spans, models)
    if note:
        body += f"\n\n---\n\n*{_md_escape(note)}*\n\n<!-- aigc-desktop provenance: {html.escape(note)} -->"
    return body + "\n"


def document_html(
    text: str, spans: Sequence[AiSpan], models: Mapping[str, str] | None = None, title: str = "Document"
) -> str:
    """A standalone HTML page: one <p> per paragraph, AI pieces in <span data-ai-spec class="ai">, a footer naming
    the models (visible, and as a comment for tools)."""
    paragraphs = []
    for pieces in _paragraphs(text, spans):
        inner = "".join(
            _attr_span(p.spec_id, html.escape(p.text)) if p.spec_id else html.escape(p.text) for p in pieces
        )
        paragraphs.append(f"<p>{inner}</p>")
    note = provenance_line(spans, models)
    footer = ""
    if note:
        safe = html.escape(note)
        footer = f'\n<!-- aigc-desktop provenance: {safe} -->\n<footer class="ai-provenance">{safe}</footer>'
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="AIGC Desktop">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>span.ai { background: #e4edfb; }</style>\n</head>\n<body>\n"
        + "\n".join(paragraphs)
        + footer
        + "\n</body>\n</html>\n"
    )


def document_text(text: str, spans: Sequence[AiSpan], models: Mapping[str, str] | None = None) -> str:
    """The plain text, then a blank line and the 'AI-assisted: …' line when any of it was AI-written."""
    body = text if text.endswith("\n") or not text else text + "\n"
    note = provenance_line(spans, models)
    return f"{body}\n{note}\n" if note else body


# ---------------------------------------------------------------- files (shared by File > Export and drag-out)

DOCUMENT_FORMATS = ("md", "html", "txt")


def write_text_atomic(path: str | os.PathLike[str], content: str) -> Path:
    """UTF-8 text written to a hidden temp file, then renamed over `path`: never a half-written export."""
    target = check_writable(path)
    temp = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    try:
        temp.write_text(content, encoding="utf-8", newline="\n")
        os.replace(temp, target)
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise UserError(f"Could not save {target}: {exc}") from exc
    return target


def render_document(fmt: str, text: str, spans: Sequence[AiSpan], models: Mapping[str, str], title: str) -> str:
    if fmt == "html":
        return document_html(text, spans, models, title=title)
    if fmt == "md":
        return document_markdown(text, spans, models)
    if fmt == "txt":
        return document_text(text, spans, models)
    raise UserError(f"Documents can be exported as Markdown, HTML or plain text, not '{fmt}'.")


def write_document(
    path: str | os.PathLike[str],
    fmt: str,
    project: Project,
    text: str | None = None,
    spans: Sequence[AiSpan] | None = None,
) -> Path:
    """The project's document (or the given text and spans, e.g. a selection) as .md, .html or .txt."""
    body = project.document.text if text is None else text
    marks = project.document.ai_spans if spans is None else spans
    return write_text_atomic(path, render_document(fmt, body, marks, span_models(project), project.name))


def write_layer_png(project: Project, layer: Layer, path: str | os.PathLike[str]) -> Path:
    return provenance.write_png(
        path, layer.image, provenance.layer_parameters(project, layer), provenance.layer_source_type(project, layer)
    )


def write_canvas_png(project: Project, path: str | os.PathLike[str]) -> Path:
    return provenance.write_png(
        path, flatten(project.canvas), provenance.canvas_parameters(project), provenance.canvas_source_type(project)
    )
