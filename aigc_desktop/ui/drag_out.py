"""Drag out: layers, the flattened canvas, clips and the document leave the app as real files with their provenance.

Each drag writes its file into this session's folder under cache_dir/drag/<pid>-<token>/ and offers it as a file URL.
The file is NOT removed after the drag: QDrag.exec returns when the drop happens, but the target (a file manager
copying lazily, a browser uploading) may read it much later. Folders are removed at clean exit, and at start for
sessions whose process is gone (a crash).

The mime_for_* functions build the QMimeData (and write the file) apart from QDrag.exec, so tests need no real drag.
"""

from __future__ import annotations

import logging
import re
import shutil
import uuid
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QMimeData, QObject, QPoint, QRect, Qt, QUrl
from PySide6.QtGui import QColor, QDrag, QFontMetrics, QImage, QMouseEvent, QPainter, QPixmap
from PySide6.QtWidgets import QAbstractItemView, QApplication, QListWidget, QPushButton, QWidget

from aigc_desktop.core import locks
from aigc_desktop.core.audio import edit as audio_edit
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.project import export
from aigc_desktop.core.project.model import AiSpan, Clip, Layer, Project
from aigc_desktop.ui.i18n import Retranslating, tr_msg
from aigc_desktop.ui.qt_images import pil_to_qimage

if TYPE_CHECKING:
    from aigc_desktop.ui.main_window import MainWindow
log = logging.getLogger(__name__)
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


# ---------------------------------------------------------------- the per-session temp folder


def drag_root(cache_dir: Path) -> Path:
    return cache_dir / "drag"


def _lock_path(folder: Path) -> Path:
    return folder.with_name(folder.name + ".lock")


def cleanup_dead_sessions(cache_dir: Path) -> list[Path]:
    """Removes the drag folders of sessions that are over: nobody holds the folder's lock (core/locks.py: the
    kernel lets go of it when the process ends, however it ends); returns what was removed."""
    removed: list[Path] = []
    root = drag_root(cache_dir)
    if not root.is_dir():
        return removed
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or locks.is_held(_lock_path(folder)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        _lock_path(folder).unlink(missing_ok=True)
        removed.append(folder)
    return removed


class DragSession:
    """This process's drag folder, created on the first drag and removed by cleanup(); its lock says it is in use."""

    def __init__(self, cache_dir: Path) -> None:
        self.folder = drag_root(cache_dir) / uuid.uuid4().hex[:12]
        self.folder.parent.mkdir(parents=True, exist_ok=True)
        self._lock = locks.take(_lock_path(self.folder))

    def new_file(self, name: str, suffix: str) -> Path:
        """A path named after the thing dragged (the target shows that name), in a fresh subfolder so two drags of
        things with the same name never overwrite a file a target may still be reading."""
        stem = _UNSAFE.sub("_", name).strip(" .") or "untitled"
        slot = self.folder / uuid.uuid4().hex[:8]
        slot.mkdir(parents=True, exist_ok=True)
        return slot / f"{stem[:80]}{suffix}"

    def cleanup(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
        if self._lock is not None:
            self._lock.release(remove=True)


# ---------------------------------------------------------------- mime data


def _file_mime(path: Path) -> QMimeData:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(path))])
    return mime


def mime_for_layer(session: DragSession, project: Project, layer: Layer) -> QMimeData:
    path = export.write_layer_png(project, layer, session.new_file(layer.name, ".png"))
    mime = _file_mime(path)
    # Apps that take pixels, not files (chat boxes), get the image too. A QImage: Qt converts only that to image/png
    # for other processes (a PIL image would reach them as nothing).
    mime.setImageData(pil_to_qimage(layer.image))
    return mime


def mime_for_canvas(session: DragSession, project: Project) -> QMimeData:
    return _file_mime(export.write_canvas_png(project, session.new_file(project.name or "canvas", ".png")))


def mime_for_clip(
    session: DragSession, clip: Clip, tags: Mapping[str, str] | None = None, fmt: str = "wav"
) -> QMimeData:
    path = session.new_file(clip.name, f".{fmt}")
    audio_edit.write_audio(path, clip.samples, clip.sample_rate, fmt=fmt, tags=tags)
    return _file_mime(path)


def mime_for_document(
    session: DragSession,
    project: Project,
    text: str | None = None,
    spans: Sequence[AiSpan] | None = None,
    html: str = "",
) -> QMimeData:
    """A .md file of the document (or of the given selection: its text, spans and the editor's HTML of it) plus
    text/plain and text/html, so a text editor or a mail composer gets the words and a file manager gets the file."""
    if text is None:
        text, html = project.document.text, project.document.html
    marks = project.document.ai_spans if spans is None else spans
    name = session.new_file(project.name or "document", ".md")
    path = export.write_document(name, "md", project, text, marks, html)
    mime = _file_mime(path)
    models = export.span_models(project)
    mime.setText(export.document_text(text, marks, models))
    mime.setHtml(export.document_html(text, marks, models, title=project.name, html=html))
    return mime


DRAG_THUMB_PX = 96


def drag_pixmap(mime: QMimeData) -> QPixmap | None:
    """What follows the pointer: a thumbnail of a dragged PNG, else a label with the file's name (without one, a
    file drag shows only the cursor and nothing says what is being carried)."""
    urls = mime.urls()
    if not urls:
        return None
    path = Path(urls[0].toLocalFile())
    if path.suffix.lower() == ".png":
        image = mime.imageData() if mime.hasImage() else QImage(str(path))
        if isinstance(image, QImage) and not image.isNull():
            return QPixmap.fromImage(
                image.scaled(
                    DRAG_THUMB_PX,
                    DRAG_THUMB_PX,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
    metrics = QFontMetrics(QApplication.font())
    text = metrics.elidedText(path.name, Qt.TextElideMode.ElideMiddle, 260)
    pixmap = QPixmap(metrics.horizontalAdvance(text) + 20, metrics.height() + 12)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setPen(QColor("#7a8ca8"))
    painter.setBrush(QColor("#eef3fb"))
    painter.drawRoundedRect(pixmap.rect().adjusted(0, 0, -1, -1), 6, 6)
    painter.setPen(QColor("#1d2a3a"))
    painter.drawText(QRect(0, 0, pixmap.width(), pixmap.height()), Qt.AlignmentFlag.AlignCenter, text)
    painter.end()
    return pixmap


def start_drag(source: QWidget, mime: QMimeData) -> Qt.DropAction:
    drag = QDrag(source)
    drag.setMimeData(mime)
    pixmap = drag_pixmap(mime)
    if pixmap is not None:
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(-12, -12))  # beside the pointer, not under it: the drop target stays visible
    return drag.exec(Qt.DropAction.CopyAction)


# ---------------------------------------------------------------- starting drags from widgets


class DragStarter(QObject):
    """Starts a drag when the left button is pressed on `widget` and moved past the drag distance.

    An event filter rather than widget subclasses, so the panes stay as they are. `make(pos)` returns the mime data
    (None: nothing to drag there). With `modifier`, only a press holding it starts a drag (Alt on the canvas, where a
    plain drag scrolls), and that press is kept from the widget.
    """

    def __init__(
        self,
        widget: QWidget,
        make: Callable[[QPoint], QMimeData | None],
        modifier: Qt.KeyboardModifier | None = None,
        source: QWidget | None = None,
    ) -> None:
        super().__init__(widget)
        self.widget, self.make, self.modifier = widget, make, modifier
        self.source = source or widget
        self._pressed_at: QPoint | None = None
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not isinstance(event, QMouseEvent):
            return False
        if event.type() == QEvent.Type.MouseButtonPress and event.button() == Qt.MouseButton.LeftButton:
            if self.modifier is not None and not event.modifiers() & self.modifier:
                return False
            self._pressed_at = event.position().toPoint()
            return self.modifier is not None
        if event.type() == QEvent.Type.MouseButtonRelease:
            self._pressed_at = None
            return False
        if event.type() == QEvent.Type.MouseMove and self._pressed_at is not None:
            if not event.buttons() & Qt.MouseButton.LeftButton:
                self._pressed_at = None
                return False
            if (event.position().toPoint() - self._pressed_at).manhattanLength() < QApplication.startDragDistance():
                return self.modifier is not None
            pos, self._pressed_at = self._pressed_at, None
            self.run(pos)
            return True
        return False

    def run(self, pos: QPoint) -> Qt.DropAction:
        try:
            mime = self.make(pos)
        except UserError as exc:
            log.warning("drag out failed: %s", exc)
            return Qt.DropAction.IgnoreAction
        if mime is None:
            return Qt.DropAction.IgnoreAction
        return start_drag(self.source, mime)


class DragHandle(Retranslating, QPushButton):
    """A button to drag something out by: "⇲ Drag canvas", its text and tooltip marked Msgs shown translated."""

    def __init__(self, text: str, tip: str, parent: QWidget) -> None:
        super().__init__(parent)
        self._text, self._tip = text, tip
        self.starter: DragStarter | None = None
        self.setCursor(Qt.CursorShape.OpenHandCursor)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(f"⇲ {tr_msg(self._text)}")
        self.setToolTip(tr_msg(self._tip))


def _item_id(view: QListWidget, pos: QPoint) -> str | None:
    item = view.itemAt(pos)
    return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))


class DragOut(QObject):
    """Wires drag-out into the main window's panes: layer list, canvas view (Alt+drag), clip list, two handles."""

    def __init__(self, window: MainWindow, cache_dir: Path) -> None:
        super().__init__(window)
        cleanup_dead_sessions(cache_dir)  # what crashed sessions left behind
        self.session = DragSession(cache_dir)
        self.win = window
        canvas, audio, document = window.canvas_pane, window.audio_pane, window.document_pane
        for view in (canvas.layer_list, audio.clip_list):
            view.setDragDropMode(QAbstractItemView.DragDropMode.NoDragDrop)  # our filter, not Qt's item drag
        self.layer_drag = DragStarter(canvas.layer_list.viewport(), self._layer_mime, source=canvas.layer_list)
        self.clip_drag = DragStarter(audio.clip_list.viewport(), self._clip_mime, source=audio.clip_list)
        self.canvas_drag = DragStarter(
            canvas.view.viewport(), lambda _pos: self.canvas_mime(), Qt.KeyboardModifier.AltModifier, canvas.view
        )
        self.canvas_handle = self._handle(
            canvas,
            "dragCanvasButton",
            QT_TRANSLATE_NOOP("DragOut", "Drag canvas"),
            QT_TRANSLATE_NOOP("DragOut", "Drag the flattened canvas out as a PNG (or Alt+drag on the canvas)"),
            self.canvas_mime,
        )
        self.document_handle = self._handle(
            document,
            "dragDocumentButton",
            QT_TRANSLATE_NOOP("DragOut", "Drag document"),
            QT_TRANSLATE_NOOP("DragOut", "Drag the document (or the selected text) out as a Markdown file"),
            self.document_mime,
        )

    def _handle(
        self, pane: QWidget, name: str, text: str, tip: str, make: Callable[[], QMimeData | None]
    ) -> QPushButton:
        button = DragHandle(text, tip, pane)
        button.setObjectName(name)
        toolbar = getattr(pane, "toolbar")  # noqa: B009 - every Pane has one; typed on the base class
        toolbar.addWidget(button)
        button.show()  # now, not at Qt's queued show: the window's minimum width counts it when the window is refitted
        button.starter = DragStarter(button, lambda _pos: make(), source=button)
        return button

    def _layer_mime(self, pos: QPoint) -> QMimeData | None:
        layer_id = _item_id(self.win.canvas_pane.layer_list, pos)
        layer = self.win.session.project.find_layer(layer_id) if layer_id else None
        return None if layer is None else mime_for_layer(self.session, self.win.session.project, layer)

    def _clip_mime(self, pos: QPoint) -> QMimeData | None:
        clip_id = _item_id(self.win.audio_pane.clip_list, pos)
        clip = self.win.session.project.find_clip(clip_id) if clip_id else None
        return None if clip is None else mime_for_clip(self.session, clip, self.win.audio_model.clip_tags(clip))

    def canvas_mime(self) -> QMimeData | None:
        return (
            mime_for_canvas(self.session, self.win.session.project) if self.win.session.project.canvas.layers else None
        )

    def document_mime(self) -> QMimeData:
        """The selection when there is one, else the whole document."""
        pane = self.win.document_pane
        pane.flush()
        doc = self.win.session.project.document
        cursor = pane.editor.textCursor()
        if cursor.hasSelection():
            text, spans = export.slice_document(doc.text, doc.ai_spans, cursor.selectionStart(), cursor.selectionEnd())
            return mime_for_document(self.session, self.win.session.project, text, spans, cursor.selection().toHtml())
        return mime_for_document(self.session, self.win.session.project)

    def cleanup(self) -> None:
        self.session.cleanup()
