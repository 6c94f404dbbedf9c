"""Provenance in every exported artifact, File > Export, and drag-out's mime data and temp folders."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QMimeData, QPoint, Qt
from PySide6.QtGui import QDrag, QTextCursor
from PySide6.QtWidgets import QMenu

from aigc_desktop.core.audio import edit as audio_edit
from aigc_desktop.core.project import export, provenance
from aigc_desktop.core.project.model import AiSpan, Clip, HistoryEntry, Layer, Project
from aigc_desktop.core.specs import JobKind, JobSpec
from aigc_desktop.ui import drag_out
from aigc_desktop.ui.main_window import MainWindow

TRAINED_URL = provenance.SOURCE_TYPE_BASE + "trainedAlgorithmicMedia"
COMPOSITE_URL = provenance.SOURCE_TYPE_BASE + "compositeWithTrainedAlgorithmicMedia"


def image_spec() -> JobSpec:
    return JobSpec(
        kind=JobKind.IMAGE,
        model_id="sd-turbo",
        inputs={"prompt": "a red fox in snow, 雪", "negative_prompt": "blurry"},
        params={"steps": 4, "sampler": "Euler a", "guidance_scale": 1.5, "width": 8, "height": 8},
        seed=42,
    )


def make_project() -> Project:
    spec = image_spec()
    text_spec = JobSpec(kind=JobKind.TEXT, model_id="gemma-3", inputs={"prompt": "go on"}, seed=7)
    speech_spec = JobSpec(kind=JobKind.SPEECH, model_id="piper-joe", inputs={"text": "hello there"}, seed=3)
    project = Project(name="story")
    project.history = [
        HistoryEntry(spec, "finished", 0.0, 1.0, output_refs=["ai"]),
        HistoryEntry(text_spec, "finished", 0.0, 1.0, output_refs=["document"]),
        HistoryEntry(speech_spec, "finished", 0.0, 1.0),
    ]
    project.canvas.width = project.canvas.height = 8
    hand = Layer("hand <drawn>", Image.new("RGBA", (8, 8), (0, 0, 255, 255)))
    ai = Layer("fox", Image.new("RGBA", (4, 4), (255, 0, 0, 255)), x=2, y=2, spec_id=spec.id)
    project.canvas.layers = [hand, ai]
    project.document.text = "Hand written * line.\nThe AI wrote this.\nBack to me."
    start = project.document.text.index("The AI")
    project.document.ai_spans = [AiSpan(start, start + len("The AI wrote this."), text_spec.id)]
    tone = (0.3 * np.sin(np.linspace(0, 200, 8000))).astype(np.float32)
    project.clips = [Clip("narration", tone, 16000, spec_id=speech_spec.id)]
    return project


# ---------------------------------------------------------------- core


def test_png_parameters_are_a1111_style() -> None:
    text = provenance.png_parameters(image_spec(), "sd-turbo")
    assert text.splitlines() == [
        "a red fox in snow, 雪",
        "Negative prompt: blurry",
        "Steps: 4, Sampler: Euler a, CFG scale: 1.5, Seed: 42, Size: 8x8, Model: sd-turbo",
    ]
    speech = JobSpec(kind=JobKind.SPEECH, model_id="piper", inputs={"text": "hi"}, seed=1)
    assert provenance.png_parameters(speech, "piper") == "hi\nSeed: 1, Model: piper"  # only what is known


def test_png_round_trips_parameters_and_source_type(tmp_path: Path) -> None:
    image = Image.new("RGBA", (3, 3), (1, 2, 3, 255))
    path = provenance.write_png(tmp_path / "a.png", image, "prompt 雪\nSteps: 4", "trainedAlgorithmicMedia")
    with Image.open(path) as im:
        im.load()
        assert im.text["parameters"] == "prompt 雪\nSteps: 4"  # type: ignore[attr-defined]
        assert TRAINED_URL in im.text[provenance.XMP_KEY]  # type: ignore[attr-defined]
        assert im.getpixel((0, 0)) == (1, 2, 3, 255)
    assert provenance.read_png_provenance(path) == {
        "parameters": "prompt 雪\nSteps: 4",
        "digital_source_type": TRAINED_URL,
    }
    plain = provenance.write_png(tmp_path / "b.png", image, None, None)
    assert provenance.read_png_provenance(plain) == {"parameters": None, "digital_source_type": None}
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files left


def test_source_type_rules() -> None:
    project = make_project()
    hand, ai = project.canvas.layers
    assert provenance.layer_source_type(project, ai) == "trainedAlgorithmicMedia"
    assert provenance.layer_source_type(project, hand) is None
    assert provenance.canvas_source_type(project) == "compositeWithTrainedAlgorithmicMedia"
    hand.visible = False
    assert provenance.canvas_source_type(project) == "trainedAlgorithmicMedia"
    hand.visible, ai.visible = True, False
    assert provenance.canvas_source_type(project) is None
    ai.visible, ai.spec_id = True, "not-in-history"  # a stale id proves nothing
    assert provenance.canvas_source_type(project) is None


def test_flatten_uses_visibility_opacity_and_offsets() -> None:
    project = make_project()
    hand, ai = project.canvas.layers
    flat = export.flatten(project.canvas)
    assert flat.size == (8, 8)
    assert flat.getpixel((0, 0)) == (0, 0, 255, 255) and flat.getpixel((3, 3)) == (255, 0, 0, 255)
    ai.opacity = 0.5
    r, _g, b, a = export.flatten(project.canvas).getpixel((3, 3))
    assert a == 255 and abs(r - 128) <= 1 and abs(b - 127) <= 1
    hand.visible, ai.x = False, -2
    flat = export.flatten(project.canvas)
    assert flat.getpixel((0, 2)) == (255, 0, 0, 128) and flat.getpixel((5, 5))[3] == 0


def test_document_formats_mark_ai_spans() -> None:
    project = make_project()
    doc, models = project.document, export.span_models(project)
    md = export.document_markdown(doc.text, doc.ai_spans, models)
    spec_id = doc.ai_spans[0].spec_id
    assert f'<span data-ai-spec="{spec_id}" class="ai">The AI wrote this.</span>' in md
    assert "Hand written \\* line." in md and "Back to me." in md and "gemma-3" in md
    page = export.document_html(doc.text, doc.ai_spans, models)
    assert f'<p><span data-ai-spec="{spec_id}" class="ai">The AI wrote this.</span></p>' in page
    assert "<p>Hand written * line.</p>" in page and 'class="ai-provenance"' in page and "gemma-3" in page
    text = export.document_text(doc.text, doc.ai_spans, models)
    assert text.startswith(doc.text) and text.rstrip().splitlines()[-1].startswith(
        "AI-assisted: passages written by gemma-3"
    )
    assert export.document_text("mine", [], models) == "mine\n"  # nothing AI-written: no provenance line
    # a span across a paragraph break is cut per paragraph so the markup stays well-formed
    page = export.document_html("ab\ncd", [AiSpan(1, 4, "x")], {})
    assert '<p>a<span data-ai-spec="x" class="ai">b</span></p>' in page
    assert '<p><span data-ai-spec="x" class="ai">c</span>d</p>' in page
    part, spans = export.slice_document(doc.text, doc.ai_spans, doc.ai_spans[0].start + 7, len(doc.text))
    assert part.startswith("wrote this.") and spans == [AiSpan(0, len("wrote this."), spec_id)]


# Qt's toHtml() of: an H1 "Fox & me", a paragraph with bold, italic and AI text (bold inside it) and a line break,
# an empty paragraph, then an H2. Written out by QTextEdit 6.11; the reader must take exactly this dialect.
QT_HTML = (
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.0//EN" "http://www.w3.org/TR/REC-html40/strict.dtd">\n'
    '<html><head><meta name="qrichtext" content="1" /><meta charset="utf-8" /><style type="text/css">\n'
    "p, li { white-space: pre-wrap; }\n</style></head>"
    "<body style=\" font-family:'Sans Serif'; font-size:12pt; font-weight:400; font-style:normal;\">\n"
    '<h1 style=" margin-top:0px;"><span style=" font-size:22pt; font-weight:700;">Fox &amp; me</span></h1>\n'
    '<p style=" margin-top:0px;">I <span style=" font-weight:700;">ran</span>, '
    '<span style=" font-style:italic;">fast</span>. The fox <span style=" font-weight:700;">said</span> no.'
    "<br />-- end</p>\n"
    '<p style="-qt-paragraph-type:empty; margin-top:0px;"><br /></p>\n'
    '<h2 style=" margin-top:0px;"><span style=" font-size:17pt; font-weight:700;">Next</span></h2></body></html>'
)
QT_TEXT = "Fox & me\nI ran, fast. The fox said no.\n-- end\n\nNext"


def qt_spans() -> list[AiSpan]:
    start = QT_TEXT.index("The fox")
    return [AiSpan(start, start + len("The fox said no."), "spec-fox")]


def test_markdown_export_keeps_headings_bold_italic_and_ai_marks() -> None:
    md = export.document_markdown(QT_TEXT, qt_spans(), {"spec-fox": "gemma-3"}, html=QT_HTML)
    lines = md.splitlines()
    assert lines[0] == "# Fox & me"  # headings are bold by nature: no ** inside them
    assert lines[2] == (
        'I **ran**, *fast*. <span data-ai-spec="spec-fox" class="ai">The fox **said** no.</span>\\'
    )  # bold inside AI text nests inside its span; the line break is a hard break
    assert lines[3] == "\\-- end"  # would otherwise start a list item
    assert "## Next" in lines and "gemma-3" in md
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert "<h1>Fox &amp; me</h1>" in rendered and "<h2>Next</h2>" in rendered
    assert "I <strong>ran</strong>, <em>fast</em>. " in rendered
    assert '<span data-ai-spec="spec-fox" class="ai">The fox <strong>said</strong> no.</span><br />' in rendered
    assert "-- end</p>" in rendered


def test_html_export_keeps_headings_bold_italic_and_ai_marks() -> None:
    page = export.document_html(QT_TEXT, qt_spans(), {"spec-fox": "gemma-3"}, title="t", html=QT_HTML)
    assert "<h1>Fox &amp; me</h1>" in page and "<h2>Next</h2>" in page and "<p></p>" in page
    assert (
        '<p>I <strong>ran</strong>, <em>fast</em>. <span data-ai-spec="spec-fox" class="ai">The fox '
        "<strong>said</strong> no.</span><br>-- end</p>"
    ) in page


def test_emphasis_never_starts_or_ends_on_whitespace_and_nests_in_spans() -> None:
    html = (
        '<body style=" font-weight:400;"><p><span style=" font-weight:700;">bold </span>x'
        '<span style=" font-weight:700; font-style:italic;"> both</span>'
        '<span style=" font-style:italic;">it</span></p></body>'
    )
    text = "bold x bothit"
    md = export.document_markdown(text, [AiSpan(2, 9, "s")], {}, html=html)
    first = md.splitlines()[0]
    # "bold " splits at the span edge; each part trims its edge whitespace out of the ** markers
    assert first == '**bo**<span data-ai-spec="s" class="ai">**ld** x ***bo***</span>***th****it*'
    markdown_it = pytest.importorskip("markdown_it")
    rendered = markdown_it.MarkdownIt("commonmark").render(md)
    assert rendered.startswith(
        '<p><strong>bo</strong><span data-ai-spec="s" class="ai"><strong>ld</strong> x <em><strong>bo</strong></em>'
        "</span><em><strong>th</strong></em><em>it</em></p>"
    )


def test_html_that_does_not_hold_the_text_costs_the_formatting_not_the_marks() -> None:
    stale = QT_HTML.replace("ran", "walked")  # e.g. HTML from before an edit: its positions would be wrong
    md = export.document_markdown(QT_TEXT, qt_spans(), {}, html=stale)
    assert "**" not in md.split("---")[0] and md.startswith("Fox & me\n\nI ran, fast. <span")
    for broken in ("<p>unclosed <b>bold", "<<<>>>", "not html at all"):
        assert "<span" in export.document_markdown(QT_TEXT, qt_spans(), {}, html=broken)
        assert "<span" in export.document_html(QT_TEXT, qt_spans(), {}, html=broken)
    # text that would read as Markdown structure at a line start stays text
    md = export.document_markdown("---\n1) one\n=== \n~~~\n+ x", [], {})
    assert md.splitlines()[::2] == ["\\---", "1\\) one", "\\=== ", "\\~~~", "\\+ x"]


def test_editor_formatting_reaches_every_export_and_the_selection_drag(window: MainWindow, tmp_path: Path) -> None:
    """Through the real editor: its heading and bold/italic buttons, AI text as Continue inserts it, File > Export
    and a drag of a selection."""
    from aigc_desktop.state.ai_marks import ai_format

    project = make_project()
    project.document.text, project.document.ai_spans, project.document.html = "", [], ""
    window.show_project(project, None)
    pane = window.document_pane
    editor = pane.editor
    editor.setPlainText("Chapter\nIt was cold. ")
    cursor = editor.textCursor()
    cursor.setPosition(0)
    editor.setTextCursor(cursor)
    pane.set_heading(1)
    start = editor.toPlainText().index("cold")
    cursor.setPosition(start)
    cursor.setPosition(start + 4, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    pane.toggle_bold()
    cursor.movePosition(QTextCursor.MoveOperation.End)
    text_spec_id = project.history[1].spec.id
    cursor.insertText("The fox ran.", ai_format(text_spec_id))
    start = editor.toPlainText().index("fox")
    cursor.setPosition(start)
    cursor.setPosition(start + 3, QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    pane.toggle_italic()

    assert window.export_to("md", tmp_path / "doc.md")
    md = (tmp_path / "doc.md").read_text(encoding="utf-8")
    assert md.startswith(
        f'# Chapter\n\nIt was **cold**. <span data-ai-spec="{text_spec_id}" class="ai">The *fox* ran.</span>\n'
    )
    assert "gemma-3" in md
    assert window.export_to("html", tmp_path / "doc.html")
    page = (tmp_path / "doc.html").read_text(encoding="utf-8")
    assert "<h1>Chapter</h1>" in page
    assert f'<p>It was <strong>cold</strong>. <span data-ai-spec="{text_spec_id}" class="ai">The <em>fox</em>' in page
    assert window.export_to("txt", tmp_path / "doc.txt")
    assert (tmp_path / "doc.txt").read_text(encoding="utf-8").startswith("Chapter\nIt was cold. The fox ran.\n")

    start = editor.toPlainText().index("cold")  # a selection from inside the bold word into the AI text
    cursor.setPosition(start + 2)
    cursor.setPosition(editor.toPlainText().index("ran"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    mime = window.drag_out.document_mime()
    (dragged,) = urls(mime)
    assert dragged.read_text(encoding="utf-8").startswith(
        f'**ld**. <span data-ai-spec="{text_spec_id}" class="ai">The *fox* </span>\n'
    )
    assert f'<p><strong>ld</strong>. <span data-ai-spec="{text_spec_id}" class="ai">The <em>fox</em> </span></p>' in (
        mime.html()
    )


# ---------------------------------------------------------------- File > Export in the window


def test_file_export_menu_and_every_kind(window: MainWindow, tmp_path: Path) -> None:
    menus = {a.text().replace("&", ""): a.menu() for a in window.menuBar().actions()}
    export_menu = menus["File"].findChild(QMenu, "exportMenu")
    assert [a.text() for a in export_menu.actions()] == [text for text, _ in EXPORT_TEXTS]
    project = make_project()
    window.show_project(project, None)
    window.canvas_model.set_current(project.canvas.layers[1].id)

    assert window.export_to("canvas", tmp_path / "canvas.png")
    meta = provenance.read_png_provenance(tmp_path / "canvas.png")
    assert meta["digital_source_type"] == COMPOSITE_URL and "a red fox" in str(meta["parameters"])
    assert window.export_to("layer", tmp_path / "layer.png")
    meta = provenance.read_png_provenance(tmp_path / "layer.png")
    assert meta["digital_source_type"] == TRAINED_URL and "Seed: 42" in str(meta["parameters"])
    with Image.open(tmp_path / "layer.png") as im:
        assert im.size == (4, 4)

    for fmt in ("wav", "flac"):
        assert window.export_to(fmt, tmp_path / f"clip.{fmt}")
        tags = audio_edit.read_tags(tmp_path / f"clip.{fmt}")
        assert tags["title"] == "narration" and "AI-generated with piper-joe" in tags["comment"]
        assert "hello there" in tags["comment"]

    for kind in ("md", "html", "txt"):
        assert window.export_to(kind, tmp_path / f"doc.{kind}")
        content = (tmp_path / f"doc.{kind}").read_text(encoding="utf-8")
        assert "The AI wrote this." in content and "Back to me." in content and "gemma-3" in content
    assert 'data-ai-spec="' in (tmp_path / "doc.md").read_text(encoding="utf-8")
    assert 'class="ai"' in (tmp_path / "doc.html").read_text(encoding="utf-8")


EXPORT_TEXTS = [
    ("Document as Markdown…", "md"),
    ("Document as HTML…", "html"),
    ("Document as plain text…", "txt"),
    ("Canvas as PNG…", "canvas"),
    ("Selected layer as PNG…", "layer"),
    ("Selected clip as WAV…", "wav"),
    ("Selected clip as FLAC…", "flac"),
]


def test_export_dialog_wrapper(window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    window.show_project(make_project(), None)
    monkeypatch.setattr(
        "aigc_desktop.ui.window_files.QFileDialog.getSaveFileName", lambda *a, **k: (str(tmp_path / "out"), "")
    )
    assert window.choose_export("html")
    assert "The AI wrote this." in (tmp_path / "out.html").read_text(encoding="utf-8")


# ---------------------------------------------------------------- drag out


def urls(mime: QMimeData) -> list[Path]:
    assert mime.hasUrls()
    paths = [Path(u.toLocalFile()) for u in mime.urls()]
    assert all(u.isLocalFile() for u in mime.urls()) and all(p.is_file() for p in paths)
    return paths


def test_mime_builders_write_files_with_metadata(window: MainWindow, qtbot) -> None:  # type: ignore[no-untyped-def]
    project = make_project()
    window.show_project(project, None)
    session = window.drag_out.session
    (layer_png,) = urls(drag_out.mime_for_layer(session, project, project.canvas.layers[1]))
    assert layer_png.name == "fox.png" and layer_png.is_relative_to(session.folder)
    assert provenance.read_png_provenance(layer_png)["digital_source_type"] == TRAINED_URL
    (hand_png,) = urls(drag_out.mime_for_layer(session, project, project.canvas.layers[0]))
    assert hand_png.name == "hand _drawn_.png"  # characters file systems refuse are replaced
    (canvas_png,) = urls(drag_out.mime_for_canvas(session, project))
    assert provenance.read_png_provenance(canvas_png)["digital_source_type"] == COMPOSITE_URL
    clip = project.clips[0]
    (wav,) = urls(drag_out.mime_for_clip(session, clip, window.audio_model.clip_tags(clip)))
    assert wav.suffix == ".wav" and "AI-generated" in audio_edit.read_tags(wav)["comment"]
    mime = drag_out.mime_for_document(session, project)
    (md,) = urls(mime)
    assert md.suffix == ".md" and 'class="ai">The AI wrote this.</span>' in md.read_text(encoding="utf-8")
    assert "AI-assisted" in mime.text() and 'data-ai-spec="' in mime.html()


def test_drags_carry_pixels_other_processes_can_read_and_show_what_is_carried(window: MainWindow) -> None:
    from PySide6.QtGui import QImage

    project = make_project()
    window.show_project(project, None)
    session = window.drag_out.session
    layer = drag_out.mime_for_layer(session, project, project.canvas.layers[1])
    pixels = layer.imageData()
    # a QImage, which Qt turns into image/png for other processes (a PIL image would reach them as nothing)
    assert isinstance(pixels, QImage) and (pixels.width(), pixels.height()) == (4, 4)
    assert pixels.pixelColor(0, 0).getRgb() == (255, 0, 0, 255)
    thumb = drag_out.drag_pixmap(layer)
    assert thumb is not None and max(thumb.width(), thumb.height()) == drag_out.DRAG_THUMB_PX
    label = drag_out.drag_pixmap(drag_out.mime_for_clip(session, project.clips[0]))
    assert label is not None and label.width() > label.height() > 0  # a label with the file name
    assert drag_out.drag_pixmap(QMimeData()) is None


def test_document_drag_uses_the_selection(window: MainWindow) -> None:
    window.show_project(make_project(), None)
    editor = window.document_pane.editor
    cursor = editor.textCursor()
    start = editor.toPlainText().index("AI wrote")
    cursor.setPosition(start)
    cursor.setPosition(start + len("AI wrote"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    mime = window.drag_out.document_mime()
    (md,) = urls(mime)
    assert mime.text().startswith("AI wrote\n") and "Hand written" not in mime.text()
    assert 'class="ai">AI wrote</span>' in md.read_text(encoding="utf-8")


def test_real_drags_from_lists_canvas_and_handle(
    window: MainWindow,
    qtbot,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    dragged: list[QMimeData] = []

    def fake_exec(self: QDrag, *_args: object) -> Qt.DropAction:
        dragged.append(self.mimeData())
        return Qt.DropAction.CopyAction

    monkeypatch.setattr(QDrag, "exec", fake_exec)
    window.show_project(make_project(), None)
    window.show_pane(window.canvas_pane)
    layers = window.canvas_pane.layer_list
    rect = layers.visualItemRect(layers.item(0))  # the top layer: "fox"
    qtbot.mousePress(layers.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseMove(layers.viewport(), rect.center() + QPoint(0, 30))
    assert len(dragged) == 1
    (png,) = urls(dragged[-1])
    assert png.name == "fox.png" and provenance.read_png_provenance(png)["digital_source_type"] == TRAINED_URL

    # QTest.mouseMove sends no buttons, so the move half of these drags goes through the starter directly
    assert window.drag_out.canvas_drag.run(QPoint(5, 5)) == Qt.DropAction.CopyAction
    (flat,) = urls(dragged[-1])
    assert provenance.read_png_provenance(flat)["digital_source_type"] == COMPOSITE_URL

    window.show_pane(window.audio_pane)
    clips = window.audio_pane.clip_list
    assert window.drag_out.clip_drag.run(clips.visualItemRect(clips.item(0)).center()) == Qt.DropAction.CopyAction
    (wav,) = urls(dragged[-1])
    assert audio_edit.read_tags(wav)["title"] == "narration"

    window.show_pane(window.document_pane)
    window.drag_out.document_handle.starter.run(QPoint(1, 1))  # type: ignore[attr-defined]
    (md,) = urls(dragged[-1])
    assert md.suffix == ".md"
    assert len(dragged) == 4
    assert all(p.exists() for p in (png, flat, wav, md))  # kept after the drop: targets may read them later


def test_files_dropped_in_become_layers_and_clips(window: MainWindow, tmp_path: Path) -> None:
    """Drag and drop in: an image onto the canvas, a sound onto the audio pane (text files onto the document are in
    test_document_pane.py). Delivered as the drop events a file manager's drag ends in."""
    from media_files import write_png, write_wav
    from PySide6.QtCore import QPointF, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent
    from PySide6.QtWidgets import QApplication, QWidget

    def drop(widget: QWidget, path: Path) -> bool:
        mime = QMimeData()
        mime.setUrls([QUrl.fromLocalFile(str(path))])
        buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
        enter = QDragEnterEvent(widget.rect().center(), Qt.DropAction.CopyAction, mime, buttons, mods)
        QApplication.sendEvent(widget, enter)
        if enter.isAccepted():
            dropped = QDropEvent(QPointF(widget.rect().center()), Qt.DropAction.CopyAction, mime, buttons, mods)
            QApplication.sendEvent(widget, dropped)
        return enter.isAccepted()

    window.show_pane(window.canvas_pane)
    assert drop(window.canvas_pane.view.viewport(), write_png(tmp_path / "sketch.png"))
    assert [layer.name for layer in window.session.project.canvas.layers] == ["sketch"]
    window.show_pane(window.audio_pane)
    assert drop(window.audio_pane, write_wav(tmp_path / "voice.wav"))
    assert [clip.name for clip in window.session.project.clips] == ["voice"] and window.session.dirty


def test_drag_folders_cleaned_for_dead_sessions_and_at_exit(window: MainWindow, tmp_path: Path) -> None:
    from lock_holder import hold_in_child, kill

    cache = tmp_path / "cache"
    dead, alive, crashed = (drag_out.drag_root(cache) / name for name in ("deadbeef", "cafecafe", "0badf00d"))
    for folder in (dead, alive, crashed):
        (folder / "x").mkdir(parents=True)
        (folder / "x" / "f.png").write_bytes(b"png")
    holder = hold_in_child(alive.with_name("cafecafe.lock"))  # a running session elsewhere
    crasher = hold_in_child(crashed.with_name("0badf00d.lock"))
    kill(crasher)  # a session that crashed: its lock went with it
    try:
        assert drag_out.cleanup_dead_sessions(cache) == [crashed, dead]
        assert not dead.exists() and not crashed.exists() and alive.exists()
    finally:
        kill(holder)

    window.show_project(make_project(), None)
    session = window.drag_out.session
    urls(drag_out.mime_for_canvas(session, window.session.project))
    assert session.folder.is_dir()
    window.session.dirty = False
    window.close()
    assert not session.folder.exists()
