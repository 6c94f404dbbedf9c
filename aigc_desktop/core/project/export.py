"""Exports without Qt: the flattened canvas and the document as Markdown, HTML or plain text with its AI spans marked.

The document exports work from the plain text and the project's AiSpans rather than from QTextDocument.toMarkdown /
toHtml: span positions are plain-text positions (each paragraph break counts one character, as in QTextDocument), so
marking them on the plain text is exact, while Qt's Markdown/HTML writers drop the custom property that marks AI text.
Bold, italic and headings come from the editor's stored HTML, read with html.parser, and are used only when that
HTML holds exactly the same text: then its runs line up with the span positions; otherwise the text is exported
without formatting rather than with marks in the wrong place.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from html import escape as _escape
from html.parser import HTMLParser
from itertools import groupby
from pathlib import Path

from PIL import Image

from aigc_desktop.core import atomic
from aigc_desktop.core.audio.edit import check_writable
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project import provenance
from aigc_desktop.core.project.model import AiSpan, Canvas, Layer, Project

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
class _Run:
    """Text of one character format in a block, as Qt's HTML describes it."""

    text: str
    bold: bool = False
    italic: bool = False


@dataclass
class _Block:
    runs: list[_Run] = field(default_factory=list)
    heading: int = 0  # 1-6 for <h1>-<h6>, 0 for a paragraph

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)


@dataclass(frozen=True)
class _Piece:
    text: str
    spec_id: str | None
    bold: bool = False
    italic: bool = False


@dataclass
class _Paragraph:
    pieces: list[_Piece]
    heading: int = 0


_BLOCK_TAGS = {"p", "li", "pre", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6"}
_VOID_TAGS = {"br", "img", "hr", "meta", "link", "col", "input"}


def _style(attrs: list[tuple[str, str | None]]) -> dict[str, str]:
    style = dict(attrs).get("style") or ""
    out: dict[str, str] = {}
    for decl in style.split(";"):
        key, sep, value = decl.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip().lower()
    return out


class _QtHtmlReader(HTMLParser):
    """Reads the blocks and bold/italic runs of the HTML QTextDocument.toHtml writes (or its fragments' toHtml):
    one block element per paragraph, character formats as <span style="font-weight:700; font-style:italic">, a
    line separator as <br />, an empty paragraph as -qt-paragraph-type:empty with a placeholder <br />."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[_Block] = []
        self._block: _Block | None = None
        self._empty_block = False
        self._stack: list[tuple[str, bool, bool]] = [("", False, False)]  # (tag, bold, italic) inherited inwards

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        style = _style(attrs)
        if tag in _BLOCK_TAGS:
            heading = int(tag[1]) if tag[0] == "h" and tag[1:].isdigit() else 0
            self._block = _Block(heading=heading)
            self.blocks.append(self._block)
            self._empty_block = style.get("-qt-paragraph-type") == "empty"
        if tag == "br":
            if self._block is not None and not self._empty_block:
                self._block.runs.append(_Run("\n", *self._stack[-1][1:]))
            return
        if tag in _VOID_TAGS:
            return
        _parent, bold, italic = self._stack[-1]
        weight = style.get("font-weight")
        if tag in ("b", "strong") or weight in ("bold", "bolder"):
            bold = True
        elif weight is not None:
            bold = weight.isdigit() and int(weight) >= 600  # Qt writes 700 for bold, 400 for normal
        if tag in ("i", "em") or style.get("font-style") == "italic":
            italic = True
        elif "font-style" in style:
            italic = False
        self._stack.append((tag, bold, italic))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in _VOID_TAGS:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _VOID_TAGS:
            return
        for i in range(len(self._stack) - 1, 0, -1):  # close up to the matching tag (HTML lets some go unclosed)
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break
        if tag in _BLOCK_TAGS:
            self._block = None

    def handle_data(self, data: str) -> None:
        if self._block is not None and data:
            _tag, bold, italic = self._stack[-1]
            self._block.runs.append(_Run(data.replace("\xa0", " "), bold, italic))  # as toPlainText does


def _formatted_blocks(text: str, html: str) -> list[_Block]:
    """The blocks of `html` when they hold exactly `text` (so the AI spans' plain-text positions apply to them),
    else `text` as unformatted paragraphs: HTML that does not match (none, older, images or tables Qt lays out
    differently) costs the formatting, never a wrong position."""
    if html:
        reader = _QtHtmlReader()
        try:
            reader.feed(html)
            reader.close()
        except (AssertionError, ValueError):  # html.parser's complaints about badly broken markup
            reader.blocks = []
        if reader.blocks and "\n".join(b.text for b in reader.blocks) == text:
            return reader.blocks
    return [_Block([_Run(line)]) for line in text.split("\n")]


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


def _paragraphs(text: str, spans: Sequence[AiSpan], html: str = "") -> Iterator[_Paragraph]:
    """Each paragraph as pieces of one format, AI pieces carrying their spec id. Spans are cut at paragraph breaks,
    so a marker never straddles two paragraphs (that would be broken HTML and broken Markdown)."""
    ordered = sorted(spans, key=lambda s: s.start)
    offset = 0
    for block in _formatted_blocks(text, html):
        pieces: list[_Piece] = []
        for run in block.runs:
            run_start, run_end = offset, offset + len(run.text)
            pos = run_start
            for span in ordered:
                s, e = max(span.start, pos), min(span.end, run_end)
                if s >= e:
                    continue
                if s > pos:
                    pieces.append(_Piece(text[pos:s], None, run.bold, run.italic))
                pieces.append(_Piece(text[s:e], span.spec_id, run.bold, run.italic))
                pos = e
            if pos < run_end:
                pieces.append(_Piece(text[pos:run_end], None, run.bold, run.italic))
            offset = run_end
        yield _Paragraph(pieces, block.heading)
        offset += 1  # the paragraph break is one character, as in QTextDocument


_Char = tuple[str, str | None, bool, bool]  # (character, AI spec id, bold, italic)
_BOLD, _ITALIC = 2, 3


def _trim_emphasis(chars: list[_Char], attr: int) -> None:
    """Emphasis never starts or ends on whitespace (Markdown does not read `** bold**` as bold): edge whitespace
    of each bold (or italic) run loses the attribute. A run ends where its enclosing AI span (and, for italic, its
    bold) changes, since emphasis is nested inside those."""
    i = 0
    while i < len(chars):
        if not chars[i][attr]:
            i += 1
            continue
        scope, j = chars[i][1:attr], i
        while j < len(chars) and chars[j][attr] and chars[j][1:attr] == scope:
            j += 1
        k, m = i, j
        while k < m and chars[k][0].isspace():
            k += 1
        while m > k and chars[m - 1][0].isspace():
            m -= 1
        for n in (*range(i, k), *range(m, j)):
            ch, spec_id, bold, italic = chars[n]
            chars[n] = (ch, spec_id, False, italic) if attr == _BOLD else (ch, spec_id, bold, False)
        i = j


def _inline(
    para: _Paragraph,
    leaf: Callable[[str], str],
    bold: Callable[[str], str],
    italic: Callable[[str], str],
) -> str:
    """The paragraph's inline markup, nested AI span > bold > italic so every element closes inside its parent.
    Headings are bold by nature: their bold is not repeated."""
    chars: list[_Char] = [(ch, p.spec_id, p.bold and not para.heading, p.italic) for p in para.pieces for ch in p.text]
    _trim_emphasis(chars, _BOLD)
    _trim_emphasis(chars, _ITALIC)
    out: list[str] = []
    for spec_id, by_spec in groupby(chars, key=lambda c: c[1]):
        inner: list[str] = []
        for is_bold, by_bold in groupby(by_spec, key=lambda c: c[_BOLD]):
            parts: list[str] = []
            for is_italic, by_italic in groupby(by_bold, key=lambda c: c[_ITALIC]):
                text = leaf("".join(c[0] for c in by_italic))
                parts.append(italic(text) if is_italic else text)
            inner.append(bold("".join(parts)) if is_bold else "".join(parts))
        out.append(_attr_span(spec_id, "".join(inner)) if spec_id else "".join(inner))
    return "".join(out)


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
    return f'<span data-ai-spec="{_escape(spec_id, quote=True)}" class="{AI_CLASS}">{inner}</span>'


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>])")
# What would start a heading, quote, list, rule, setext underline or code fence at the start of a line.
_MD_LINE_START = re.compile(r"^([ \t]*)([#>+\-=~]|\d+[.)])", re.MULTILINE)


def _md_escape_line_starts(text: str) -> str:
    # The backslash goes before the punctuation: "1\." (a backslash before a digit would be shown as it is).
    return _MD_LINE_START.sub(lambda m: m.group(1) + m.group(2)[:-1] + "\\" + m.group(2)[-1], text)


def _md_escape(text: str) -> str:
    # Plain text, not Markdown: characters that would turn into emphasis, links, HTML or list/heading markers are
    # escaped so the reader sees exactly what was written.
    return _MD_SPECIAL.sub(r"\\\1", text)


def _md_leaf(text: str) -> str:
    return _md_escape(text).replace("\n", "\\\n")  # a line break inside a paragraph: CommonMark's hard break


def document_markdown(
    text: str, spans: Sequence[AiSpan], models: Mapping[str, str] | None = None, html: str = ""
) -> str:
    """Paragraphs separated by blank lines, `#`/`##` headings, `**bold**` and `*italic*` (from `html`, the editor's
    HTML of this same text); AI pieces as inline HTML spans (CommonMark keeps inline HTML), and a closing provenance
    paragraph plus a machine-readable comment."""
    out: list[str] = []
    for para in _paragraphs(text, spans, html):
        line = _inline(para, _md_leaf, lambda s: f"**{s}**", lambda s: f"*{s}*")
        line = _md_escape_line_starts(line)
        if para.heading and line.strip():
            if line.endswith("#"):
                line = line[:-1] + "\\#"  # a trailing # would read as the heading's closing sequence
            line = "#" * min(para.heading, 6) + " " + line.replace("\\\n", " ")  # a heading is one line
        out.append(line)
    body = "\n\n".join(out).strip("\n")
    note = provenance_line(spans, models)
    if note:
        body += f"\n\n---\n\n*{_md_escape(note)}*\n\n<!-- aigc-desktop provenance: {_escape(note)} -->"
    return body + "\n"


def document_html(
    text: str,
    spans: Sequence[AiSpan],
    models: Mapping[str, str] | None = None,
    title: str = "Document",
    html: str = "",
) -> str:
    """A standalone HTML page: one <p> or <h1>… per paragraph with <strong>/<em> (from `html`, the editor's HTML of
    this same text), AI pieces in <span data-ai-spec class="ai">, a footer naming the models (visible, and as a
    comment for tools)."""
    paragraphs = []
    for para in _paragraphs(text, spans, html):
        inner = _inline(
            para,
            lambda t: _escape(t).replace("\n", "<br>"),
            lambda s: f"<strong>{s}</strong>",
            lambda s: f"<em>{s}</em>",
        )
        tag = f"h{min(para.heading, 6)}" if para.heading else "p"
        paragraphs.append(f"<{tag}>{inner}</{tag}>")
    note = provenance_line(spans, models)
    footer = ""
    if note:
        safe = _escape(note)
        footer = f'\n<!-- aigc-desktop provenance: {safe} -->\n<footer class="ai-provenance">{safe}</footer>'
    return (
        '<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<meta name="generator" content="AIGC Desktop">\n'
        f"<title>{_escape(title)}</title>\n"
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
    try:
        atomic.write_text(target, content)
    except OSError as exc:
        raise UserError(
            QT_TRANSLATE_NOOP("ProjectExport", "Could not save {path}: {reason}").format(
                path=str(target), reason=str(exc)
            )
        ) from exc
    return target


def render_document(
    fmt: str, text: str, spans: Sequence[AiSpan], models: Mapping[str, str], title: str, html: str = ""
) -> str:
    """`html`: the editor's HTML of this same text, for bold/italic/headings (Markdown and HTML only)."""
    if fmt == "html":
        return document_html(text, spans, models, title=title, html=html)
    if fmt == "md":
        return document_markdown(text, spans, models, html=html)
    if fmt == "txt":
        return document_text(text, spans, models)
    raise UserError(
        QT_TRANSLATE_NOOP(
            "ProjectExport", "Documents can be exported as Markdown, HTML or plain text, not '{format}'."
        ).format(format=fmt)
    )


def write_document(
    path: str | os.PathLike[str],
    fmt: str,
    project: Project,
    text: str | None = None,
    spans: Sequence[AiSpan] | None = None,
    html: str = "",
) -> Path:
    """The project's document (or the given text, spans and HTML, e.g. of a selection) as .md, .html or .txt."""
    if text is None:
        text, html = project.document.text, project.document.html
    marks = project.document.ai_spans if spans is None else spans
    return write_text_atomic(path, render_document(fmt, text, marks, span_models(project), project.name, html))


def write_layer_png(project: Project, layer: Layer, path: str | os.PathLike[str]) -> Path:
    return provenance.write_png(
        path, layer.image, provenance.layer_parameters(project, layer), provenance.layer_source_type(project, layer)
    )


def write_canvas_png(project: Project, path: str | os.PathLike[str]) -> Path:
    return provenance.write_png(
        path, flatten(project.canvas), provenance.canvas_parameters(project), provenance.canvas_source_type(project)
    )
