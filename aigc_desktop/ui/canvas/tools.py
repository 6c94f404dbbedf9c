"""The Canvas pane's tools. Each one turns presses and drags (in canvas pixels) into an operation of
core.canvas_ops on the CanvasModel and one undo step; the view only decides whether the mouse pans or goes to the
tool. Tools draw only their own feedback (brush outline, live selection, the text being typed) on the scene.

A tool's name and hint are marked at import time (QT_TRANSLATE_NOOP) and shown translated by the bars; its status
messages and undo-step names are marked `Msg`s. The Text tool's font lists Simplified-Chinese faces after the chosen
family (ui/canvas/fonts.py), so Chinese typed on the canvas (an input method's commits arrive as text, like keys) is
drawn with Chinese glyph forms, never a Japanese fallback face, whatever the system's language.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QImage,
    QKeyEvent,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QGraphicsTextItem, QStyleOptionGraphicsItem, QWidget

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.project.model import Layer
from aigc_desktop.state.canvas_commands import BRUSH_STROKE, ERASE, ERASE_MASK, FILL, PAINT_MASK, TEXT
from aigc_desktop.ui.canvas.view import OutlineItem
from aigc_desktop.ui.fonts import with_chinese_faces
from aigc_desktop.ui.qt_images import qimage_to_pil

if TYPE_CHECKING:
    from aigc_desktop.ui.canvas.pane import CanvasPane


@dataclass
class ToolSettings:
    """What the options bar edits; sizes are per tool, as in most paint programs (a fine brush, a big eraser)."""

    colour: ops.RGBA = (20, 20, 20, 255)
    sizes: dict[str, int] = field(default_factory=lambda: {"brush": 12, "eraser": 40, "mask": 64})
    hardness: float = 0.8
    tolerance: int = 32
    font_size: int = 48
    font_family: str = ""  # "" = the application font
    mask_erase: bool = False  # the mask brush removes mask instead of adding it


def selection_mode(mods: Qt.KeyboardModifier) -> str:
    """Shift adds to the selection, Ctrl takes away from it (Alt belongs to drag-out on this canvas)."""
    if mods & Qt.KeyboardModifier.ShiftModifier:
        return "add"
    if mods & Qt.KeyboardModifier.ControlModifier:
        return "subtract"
    return "replace"


class Tool:
    name = ""
    label = Msg("", "")  # the tool's name and hint: marked, shown with tr_msg
    shortcut = ""
    tip = Msg("", "")
    cursor = Qt.CursorShape.CrossCursor
    options: tuple[str, ...] = ()  # option groups the options bar shows for this tool
    pans = False  # the hand tool: the view pans on a left drag

    def __init__(self, pane: CanvasPane) -> None:
        self.pane = pane
        self.model = pane.model

    @property
    def settings(self) -> ToolSettings:
        return self.pane.settings

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        """A left press at `pos` (canvas pixels). False leaves the event to the scene (the text editor)."""
        return False

    def move(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        """A drag after a press this tool took."""

    def release(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        """The end of a drag this tool took."""

    def hover(self, pos: QPointF | None) -> None:
        """The mouse moves with no button (None: it left the canvas)."""

    def activate(self) -> None:
        """This tool became the current one."""

    def deactivate(self) -> None:
        """Another tool is chosen: finish or drop anything half done."""
        self.cancel()

    def cancel(self) -> None:
        """Escape: drop what is in progress."""


# ---------------------------------------------------------------- brushes


class StrokeTool(Tool):
    """A brush-like tool: a round outline follows the mouse; press-drag-release is one stroke and one undo step.
    Shift+click draws a straight line from where the last stroke ended."""

    options: tuple[str, ...] = ("size",)
    cursor = Qt.CursorShape.BlankCursor  # the round outline is the cursor
    stroke_label = BRUSH_STROKE  # the undo step's name

    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self._stroke: ops.Stroke | None = None
        self._offset = (0, 0)
        self._last: QPointF | None = None
        self._outline = OutlineItem()
        self._outline.setZValue(10_000)
        self._outline.hide()

    @property
    def size(self) -> int:
        return self.settings.sizes[self.name]

    def _begin(self) -> ops.Stroke | None:
        """The stroke on its target, or None (after telling the user why) when there is nothing to paint on."""
        raise NotImplementedError

    def _changed(self, box: ops.Box) -> None:
        raise NotImplementedError

    def _commit(self, patch: ops.Patch) -> None:
        raise NotImplementedError

    def _local(self, pos: QPointF) -> ops.Point:
        return pos.x() - self._offset[0], pos.y() - self._offset[1]

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        self._stroke = self._begin()
        if self._stroke is None:
            return True
        if mods & Qt.KeyboardModifier.ShiftModifier and self._last is not None:
            self._stroke.add(self._local(self._last))
        self._add(pos)
        return True

    def _add(self, pos: QPointF) -> None:
        assert self._stroke is not None
        box = self._stroke.add(self._local(pos))
        if box is not None:
            self._changed(box)

    def move(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        self.hover(pos)
        if self._stroke is not None:
            self._add(pos)

    def release(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        stroke, self._stroke = self._stroke, None
        if stroke is None:
            return
        self._last = pos
        patch = stroke.finish()
        if patch is not None:
            self._commit(patch)
        elif self.model.selection is not None:
            self.pane.status_message(
                QT_TRANSLATE_NOOP(
                    "CanvasTools", "Nothing painted: painting stays inside the selection (Ctrl+D deselects)."
                )
            )

    def cancel(self) -> None:
        stroke, self._stroke = self._stroke, None
        patch = stroke.finish() if stroke is not None else None
        if patch is not None:  # Escape mid-stroke: put the pixels back
            self._restore(patch)

    def _restore(self, patch: ops.Patch) -> None:
        raise NotImplementedError

    def hover(self, pos: QPointF | None) -> None:
        if self._outline.scene() is None:
            self.pane.scene.addItem(self._outline)
        if pos is None:
            self._outline.hide()
            return
        r = self.size / 2
        path = QPainterPath()
        path.addEllipse(QRectF(pos.x() - r, pos.y() - r, 2 * r, 2 * r))
        self._outline.set_path(path)
        self._outline.show()

    def deactivate(self) -> None:
        super().deactivate()
        self._outline.hide()


class LayerStrokeTool(StrokeTool):
    mode = ops.StrokeMode.PAINT

    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self._layer: Layer | None = None

    def _begin(self) -> ops.Stroke | None:
        layer = self.model.paintable_layer()
        if layer is None:
            return None
        self._layer, self._offset = layer, (layer.x, layer.y)
        return ops.Stroke(
            layer.image,
            self.mode,
            self.size,
            self.settings.hardness,
            self.settings.colour,
            clip=self.model.selection_for(layer),
        )

    def _changed(self, box: ops.Box) -> None:
        assert self._layer is not None
        self.model.layer_pixels_edited(self._layer, box)

    def _commit(self, patch: ops.Patch) -> None:
        assert self._layer is not None
        self.model.commit_patch(self._layer, patch, self.stroke_label)

    def _restore(self, patch: ops.Patch) -> None:
        assert self._layer is not None
        patch.apply(self._layer.image, after=False)
        self.model.layer_pixels_edited(self._layer, patch.box)


class BrushTool(LayerStrokeTool):
    name, label, shortcut = "brush", QT_TRANSLATE_NOOP("CanvasTools", "Brush"), "B"
    tip = QT_TRANSLATE_NOOP("CanvasTools", "Paint on the current layer (Shift+click: straight line; [ and ]: size)")
    options = ("size", "hardness", "colour")
    stroke_label = BRUSH_STROKE


class EraserTool(LayerStrokeTool):
    name, label, shortcut = "eraser", QT_TRANSLATE_NOOP("CanvasTools", "Eraser"), "E"
    tip = QT_TRANSLATE_NOOP("CanvasTools", "Erase the current layer to transparency")
    options = ("size", "hardness")
    mode = ops.StrokeMode.ERASE
    stroke_label = ERASE


class MaskTool(StrokeTool):
    name, label, shortcut = "mask", QT_TRANSLATE_NOOP("CanvasTools", "Mask"), "Q"
    tip = QT_TRANSLATE_NOOP(
        "CanvasTools", "Paint the inpaint mask: the red area is what a generation repaints (not a layer, not saved)"
    )
    options = ("size", "mask")
    stroke_label = PAINT_MASK

    def _begin(self) -> ops.Stroke | None:
        self._offset = (0, 0)
        mode = ops.StrokeMode.UNMASK if self.settings.mask_erase else ops.StrokeMode.MASK
        return ops.Stroke(self.model.editable_mask(), mode, self.size, hardness=1.0)

    def _changed(self, box: ops.Box) -> None:
        self.model.mask_pixels_edited(box)

    def _commit(self, patch: ops.Patch) -> None:
        self.model.commit_mask_patch(patch, ERASE_MASK if self.settings.mask_erase else PAINT_MASK)

    def _restore(self, patch: ops.Patch) -> None:
        patch.apply(self.model.editable_mask(), after=False)
        self.model.mask_pixels_edited(patch.box)


# ---------------------------------------------------------------- fill, picker, hand


def _pixel(pos: QPointF) -> tuple[int, int]:
    return math.floor(pos.x()), math.floor(pos.y())


class FillTool(Tool):
    name, label, shortcut = "fill", QT_TRANSLATE_NOOP("CanvasTools", "Fill"), "G"
    tip = QT_TRANSLATE_NOOP(
        "CanvasTools", "Fill the area of similar colour on the current layer (tolerance: how similar)"
    )
    options = ("tolerance", "colour")

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        layer = self.model.paintable_layer()
        if layer is None:
            return True
        x, y = _pixel(pos)
        x, y = x - layer.x, y - layer.y
        if not (0 <= x < layer.image.width and 0 <= y < layer.image.height):
            self.pane.status_message(
                QT_TRANSLATE_NOOP("CanvasTools", "Click on the layer “{name}” to fill it.").format(name=layer.name)
            )
            return True
        patch = ops.flood_fill(
            layer.image, x, y, self.settings.colour, self.settings.tolerance, self.model.selection_for(layer)
        )
        if patch is None:
            self.pane.status_message(
                QT_TRANSLATE_NOOP("CanvasTools", "Nothing to fill here (the fill stays inside the selection).")
            )
        else:
            self.model.commit_patch(layer, patch, FILL)
        return True


class PickerTool(Tool):
    name, label, shortcut = "picker", QT_TRANSLATE_NOOP("CanvasTools", "Picker"), "I"
    tip = QT_TRANSLATE_NOOP("CanvasTools", "Pick the brush colour from the canvas")
    options = ("colour",)

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        self._pick(pos)
        return True

    def move(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        self._pick(pos)

    def _pick(self, pos: QPointF) -> None:
        x, y = _pixel(pos)
        c = self.model.canvas
        if 0 <= x < c.width and 0 <= y < c.height:
            r, g, b, a = self.model.pixel_at(x, y)
            if a:
                self.pane.set_colour((r, g, b, 255))


class HandTool(Tool):
    name, label, shortcut = "hand", QT_TRANSLATE_NOOP("CanvasTools", "Hand"), "H"
    tip = QT_TRANSLATE_NOOP(
        "CanvasTools", "Drag to move around (also: Space+drag or the middle button; the wheel zooms)"
    )
    cursor = Qt.CursorShape.OpenHandCursor
    pans = True


# ---------------------------------------------------------------- selections


class _SelectTool(Tool):
    options = ("selection",)

    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self._live = OutlineItem()
        self._live.setZValue(9_000)
        self._how = "replace"
        self._active = False

    def _show(self, path: QPainterPath) -> None:
        if self._live.scene() is None:
            self.pane.scene.addItem(self._live)
        self._live.set_path(path)
        self._live.show()

    def cancel(self) -> None:
        self._active = False
        self._live.hide()


class RectSelectTool(_SelectTool):
    name, label, shortcut = "rect_select", QT_TRANSLATE_NOOP("CanvasTools", "Rectangle"), "M"
    tip = QT_TRANSLATE_NOOP("CanvasTools", "Select a rectangle (Shift adds, Ctrl subtracts; a click deselects)")

    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self._start = QPointF()

    def _rect(self, pos: QPointF) -> QRectF:
        c = self.model.canvas
        r = QRectF(self._start, pos).normalized()
        # whole pixels, inside the canvas
        x0, y0 = max(0, round(r.left())), max(0, round(r.top()))
        x1, y1 = min(c.width, round(r.right())), min(c.height, round(r.bottom()))
        return QRectF(x0, y0, max(0, x1 - x0), max(0, y1 - y0))

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        self._start, self._how, self._active = pos, selection_mode(mods), True
        return True

    def move(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        if self._active:
            path = QPainterPath()
            path.addRect(self._rect(pos))
            self._show(path)

    def release(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        if not self._active:
            return
        self.cancel()
        r = self._rect(pos)
        if r.width() < 1 or r.height() < 1:
            if self._how == "replace":
                self.model.deselect()
            return
        path = QPainterPath()
        path.addRect(r)
        box = (int(r.x()), int(r.y()), int(r.width()), int(r.height()))
        self.model.select_shape(ops.rect_mask(self.model.canvas_size(), box), path, self._how)


class LassoTool(_SelectTool):
    name, label, shortcut = "lasso", QT_TRANSLATE_NOOP("CanvasTools", "Lasso"), "L"
    tip = QT_TRANSLATE_NOOP("CanvasTools", "Select a free-hand area (Shift adds, Ctrl subtracts)")

    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self._points: list[QPointF] = []

    def _path(self, close: bool) -> QPainterPath:
        path = QPainterPath(self._points[0])
        for p in self._points[1:]:
            path.lineTo(p)
        if close:
            path.closeSubpath()
        return path

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        self._points, self._how, self._active = [pos], selection_mode(mods), True
        return True

    def move(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        if self._active and (pos - self._points[-1]).manhattanLength() >= 1.0:
            self._points.append(pos)
            self._show(self._path(close=False))

    def release(self, pos: QPointF, mods: Qt.KeyboardModifier) -> None:
        if not self._active:
            return
        self.move(pos, mods)
        self.cancel()
        if len(self._points) < 3:
            if self._how == "replace":
                self.model.deselect()
            return
        mask = ops.polygon_mask(self.model.canvas_size(), [(p.x(), p.y()) for p in self._points])
        if ops.mask_bounds(mask) is None:
            if self._how == "replace":
                self.model.deselect()
            return
        self.model.select_shape(mask, self._path(close=True), self._how)


# ---------------------------------------------------------------- text


class TextEditor(QGraphicsTextItem):
    """The text being typed on the canvas: Enter places it, Shift+Enter starts a new line, Escape drops it."""

    def __init__(self, tool: TextTool) -> None:
        super().__init__()
        self.tool = tool
        self.document().setDocumentMargin(0)  # the click point is the text's top-left corner
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextEditorInteraction)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
            event.modifiers() & Qt.KeyboardModifier.ShiftModifier
        ):
            self.tool.commit()
            return
        if event.key() == Qt.Key.Key_Escape:
            self.tool.cancel()
            return
        super().keyPressEvent(event)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        super().paint(painter, option, widget)  # type: ignore[arg-type]
        frame = QPen(QColor("#3d8bfd"), 0)
        frame.setDashPattern([3.0, 3.0])
        painter.setPen(frame)
        painter.drawRect(self.boundingRect())


def rasterise_text(document_item: QGraphicsTextItem, colour: QColor) -> Image.Image:
    """The editor's text as an RGBA image, drawn by the same layout the user saw while typing."""
    rect = document_item.boundingRect()
    image = QImage(
        max(1, math.ceil(rect.width())), max(1, math.ceil(rect.height())), QImage.Format.Format_ARGB32_Premultiplied
    )
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    context = QAbstractTextDocumentLayout.PaintContext()
    context.palette.setColor(QPalette.ColorRole.Text, colour)
    document_item.document().documentLayout().draw(painter, context)
    painter.end()
    return qimage_to_pil(image)


class TextTool(Tool):
    name, label, shortcut = "text", QT_TRANSLATE_NOOP("CanvasTools", "Text"), "T"
    tip = QT_TRANSLATE_NOOP("CanvasTools", "Click and type; Enter places the text on the current layer, Escape cancels")
    cursor = Qt.CursorShape.IBeamCursor
    options = ("font", "colour")

    def __init__(self, pane: CanvasPane) -> None:
        super().__init__(pane)
        self.editor: TextEditor | None = None

    def font(self) -> QFont:
        """The chosen family (or the application's), with Simplified-Chinese faces for the Han it lacks."""
        font = with_chinese_faces(QFont(self.settings.font_family) if self.settings.font_family else QFont())
        font.setPixelSize(max(1, self.settings.font_size))  # canvas pixels, whatever the zoom
        return font

    def press(self, pos: QPointF, mods: Qt.KeyboardModifier) -> bool:
        if self.editor is not None:
            if self.editor.sceneBoundingRect().contains(pos):
                return False  # a click inside the text moves its cursor: the scene handles it
            self.commit()
            return True
        if self.model.paintable_layer() is None:
            return True
        self.start(QPointF(round(pos.x()), round(pos.y())))
        return True

    def start(self, pos: QPointF) -> TextEditor:
        editor = TextEditor(self)
        editor.setFont(self.font())
        editor.setDefaultTextColor(QColor(*self.settings.colour))
        editor.setPos(pos)
        editor.setZValue(9_500)
        self.pane.scene.addItem(editor)
        editor.setFocus()
        self.pane.view.setFocus()
        self.editor = editor
        return editor

    def restyle(self) -> None:
        """The options changed while typing: the text follows them."""
        if self.editor is not None:
            self.editor.setFont(self.font())
            self.editor.setDefaultTextColor(QColor(*self.settings.colour))

    def commit(self) -> None:
        editor, self.editor = self.editor, None
        if editor is None:
            return
        self.pane.scene.removeItem(editor)
        if not editor.toPlainText().strip():
            return
        layer = self.model.paintable_layer()
        if layer is None:
            return
        image = rasterise_text(editor, editor.defaultTextColor())
        x, y = round(editor.pos().x()) - layer.x, round(editor.pos().y()) - layer.y
        patch = ops.paste_over(layer.image, image, x, y, self.model.selection_for(layer))
        if patch is None:
            self.pane.status_message(
                QT_TRANSLATE_NOOP("CanvasTools", "The text fell outside the layer or the selection.")
            )
            return
        self.model.commit_patch(layer, patch, TEXT)

    def cancel(self) -> None:
        editor, self.editor = self.editor, None
        if editor is not None:
            self.pane.scene.removeItem(editor)

    def deactivate(self) -> None:
        self.commit()  # switching tools keeps what was typed, as in other editors


TOOL_CLASSES: tuple[type[Tool], ...] = (
    BrushTool,
    EraserTool,
    FillTool,
    TextTool,
    RectSelectTool,
    LassoTool,
    MaskTool,
    PickerTool,
    HandTool,
)
