"""The canvas on screen: the scene that draws the CanvasModel (layer images that repaint only their changed
rectangles, the inpaint-mask overlay, the generation preview, marching ants) from its signals, and the QGraphicsView
that zooms around the cursor, pans and hands mouse input to the current tool."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from PIL import Image
from PySide6.QtCore import QObject, QPoint, QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QImage,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPen,
    QPixmap,
    QResizeEvent,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.ui.drops import local_files
from aigc_desktop.ui.qt_images import pil_to_qimage

if TYPE_CHECKING:
    from aigc_desktop.ui.canvas.tools import Tool
MIN_ZOOM, MAX_ZOOM = 0.02, 64.0
MASK_RGB = (255, 32, 32)
MASK_OPACITY = 0.45  # translucent enough to see what is under the mask
# Stacking order on the scene: layers take 1…n.
Z_MASK, Z_PREVIEW, Z_SELECTION = 50_000, 60_000, 80_000


def checkerboard() -> QBrush:
    tile = QPixmap(16, 16)
    tile.fill(QColor("#ffffff"))
    p = QPainter(tile)
    p.fillRect(0, 0, 8, 8, QColor("#e6e6e6"))
    p.fillRect(8, 8, 8, 8, QColor("#e6e6e6"))
    p.end()
    return QBrush(tile)


def premultiplied(image: Image.Image) -> QImage:
    """The pixel format Qt draws fastest; converting once here keeps every repaint cheap."""
    return pil_to_qimage(image).convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def mask_overlay(mask: Image.Image) -> QImage:
    """An L mask as translucent red, for drawing over the layers."""
    m = np.asarray(mask, dtype=np.float32)
    rgba = np.empty((*m.shape, 4), dtype=np.uint8)
    rgba[..., 0], rgba[..., 1], rgba[..., 2] = MASK_RGB
    rgba[..., 3] = np.rint(m * MASK_OPACITY).astype(np.uint8)
    return premultiplied(Image.fromarray(rgba))


class ImageItem(QGraphicsItem):
    """A QImage on the scene that draws only the part being exposed and can replace one rectangle of itself, so a
    brush dab on a 1024² layer converts and repaints a few hundred pixels, not a million."""

    def __init__(self, image: QImage) -> None:
        super().__init__()
        self.image = image
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption)

    def boundingRect(self) -> QRectF:
        return QRectF(0, 0, self.image.width(), self.image.height())

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        area = option.exposedRect.toAlignedRect().intersected(self.image.rect())
        if not area.isEmpty():
            painter.drawImage(QRectF(area), self.image, QRectF(area))

    def set_image(self, image: QImage) -> None:
        if image.size() != self.image.size():
            self.prepareGeometryChange()
        self.image = image
        self.update()

    def put(self, region: QImage, x: int, y: int) -> None:
        """Replace the rectangle at (x, y) with `region` and repaint just that."""
        p = QPainter(self.image)
        p.setCompositionMode(QPainter.CompositionMode.CompositionMode_Source)
        p.drawImage(x, y, region)
        p.end()
        self.update(QRectF(x, y, region.width(), region.height()))


class OutlineItem(QGraphicsItem):
    """A path drawn black-dashed over white, one screen pixel wide at any zoom: visible on any picture. With
    `march()` the dashes move (marching ants)."""

    def __init__(self, path: QPainterPath | None = None) -> None:
        super().__init__()
        self.path = path or QPainterPath()
        self.offset = 0.0

    def set_path(self, path: QPainterPath) -> None:
        self.prepareGeometryChange()
        self.path = path
        self.update()

    def march(self) -> None:
        self.offset = (self.offset + 1) % 8
        self.update()

    def boundingRect(self) -> QRectF:
        view_scale = 1.0
        scene = self.scene()
        if scene is not None and scene.views():
            view_scale = max(1e-3, scene.views()[0].transform().m11())
        margin = 2.0 / view_scale  # the pen is a screen pixel wide: a scene pixel or less when zoomed in
        return self.path.boundingRect().adjusted(-margin, -margin, margin, margin)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None) -> None:
        white = QPen(QColor("#ffffff"), 0)
        painter.setPen(white)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(self.path)
        black = QPen(QColor("#000000"), 0)
        black.setDashPattern([4.0, 4.0])
        black.setDashOffset(self.offset)
        painter.setPen(black)
        painter.drawPath(self.path)


class CanvasView(QGraphicsView):
    """Wheel zooms around the cursor; middle drag, Space+drag or the hand tool pans; the left button goes to the
    current tool; image files dropped on it become layers."""

    files_dropped = Signal(list)
    zoom_changed = Signal(float)
    cursor_moved = Signal(QPointF)  # scene position, for the status line

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("canvasView")
        self.setAcceptDrops(True)
        self.setDragMode(QGraphicsView.DragMode.NoDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.MinimalViewportUpdate)
        self.setBackgroundBrush(QColor("#2b2d31"))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.fit_target: QGraphicsRectItem | None = None  # while set, the view keeps the canvas fitted on resize
        self.tool: Tool | None = None
        self._tool_down = False
        self._pan_from: QPoint | None = None
        self._space = False

    # -- zoom

    def zoom(self) -> float:
        return self.transform().m11()

    def _after_zoom(self) -> None:
        z = self.zoom()
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform, z < 2.0)  # zoomed in: show real pixels
        self.zoom_changed.emit(z)

    def fit(self, target: QGraphicsRectItem) -> None:
        self.fit_target = target
        r = target.rect()
        pad = max(r.width(), r.height()) * 0.03
        self.fitInView(r.adjusted(-pad, -pad, pad, pad), Qt.AspectRatioMode.KeepAspectRatio)
        self._after_zoom()

    def set_zoom(self, z: float, anchor: QPoint | None = None) -> None:
        """Zoom to `z` keeping the scene point under `anchor` (default: the viewport centre) where it is."""
        z = min(MAX_ZOOM, max(MIN_ZOOM, z))
        anchor = anchor if anchor is not None else self.viewport().rect().center()
        fixed = self.mapToScene(anchor)
        self.fit_target = None  # the user chose a zoom: keep it when the window resizes
        factor = z / self.zoom()
        self.scale(factor, factor)
        moved = self.mapFromScene(fixed) - anchor
        self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() + moved.x())
        self.verticalScrollBar().setValue(self.verticalScrollBar().value() + moved.y())
        self._after_zoom()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_target is not None:
            self.fit(self.fit_target)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ShiftModifier:
            super().wheelEvent(event)  # Shift+wheel scrolls, as in other image editors
            return
        steps = event.angleDelta().y() / 120.0
        if steps:
            self.set_zoom(self.zoom() * 1.2**steps, event.position().toPoint())
        event.accept()

    # -- mouse: pan or tool

    def _scene_pos(self, event: QMouseEvent) -> QPointF:
        return self.mapToScene(event.position().toPoint())

    def _pans(self, event: QMouseEvent) -> bool:
        if event.button() == Qt.MouseButton.MiddleButton:
            return True
        return event.button() == Qt.MouseButton.LeftButton and (
            self._space or (self.tool is not None and self.tool.pans)
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._pans(event):
            self._pan_from = event.position().toPoint()
            self.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            event.accept()
            return
        left = event.button() == Qt.MouseButton.LeftButton
        if left and self.tool is not None and self.tool.press(self._scene_pos(event), event.modifiers()):
            self._tool_down = True
            event.accept()
            return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = self._scene_pos(event)
        self.cursor_moved.emit(pos)
        if self._pan_from is not None:
            now = event.position().toPoint()
            delta = now - self._pan_from
            self._pan_from = now
            self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - delta.x())
            self.verticalScrollBar().setValue(self.verticalScrollBar().value() - delta.y())
            event.accept()
            return
        if self.tool is not None:
            if self._tool_down:
                self.tool.move(pos, event.modifiers())
                event.accept()
                return
            self.tool.hover(pos)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._pan_from is not None and event.button() in (Qt.MouseButton.MiddleButton, Qt.MouseButton.LeftButton):
            self._pan_from = None
            self.update_cursor()
            event.accept()
            return
        if self._tool_down and event.button() == Qt.MouseButton.LeftButton and self.tool is not None:
            self._tool_down = False
            self.tool.release(self._scene_pos(event), event.modifiers())
            event.accept()
            return
        super().mouseReleaseEvent(event)

    def leaveEvent(self, event: object) -> None:
        if self.tool is not None:
            self.tool.hover(None)
        super().leaveEvent(event)  # type: ignore[arg-type]

    def update_cursor(self) -> None:
        if self._space or (self.tool is not None and self.tool.pans):
            self.viewport().setCursor(Qt.CursorShape.OpenHandCursor)
        elif self.tool is not None:
            self.viewport().setCursor(self.tool.cursor)
        else:
            self.viewport().unsetCursor()

    # -- keys: Space pans while held, Escape cancels what the tool is doing

    def _typing(self) -> bool:
        scene = self.scene()
        return scene is not None and scene.focusItem() is not None  # the text tool's editor has the keys

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not self._typing():
            if event.key() == Qt.Key.Key_Space:
                if not event.isAutoRepeat():
                    self._space = True
                    self.update_cursor()
                event.accept()
                return
            if event.key() == Qt.Key.Key_Escape and self.tool is not None:
                self.tool.cancel()
                event.accept()
                return
        super().keyPressEvent(event)

    def keyReleaseEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Space and not event.isAutoRepeat() and self._space:
            self._space = False
            self.update_cursor()
            event.accept()
            return
        super().keyReleaseEvent(event)

    def focusOutEvent(self, event: object) -> None:
        if self._space:  # the Space release went elsewhere: do not stay stuck in pan mode
            self._space = False
            self.update_cursor()
        super().focusOutEvent(event)  # type: ignore[arg-type]

    # -- files dropped in

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dragMoveEvent(self, event: QDragEnterEvent) -> None:  # type: ignore[override]
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_files(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


class Ants(QTimer):
    """Moves the selection's dashes a step every 150 ms while the canvas is on screen."""

    def __init__(self, outline: OutlineItem, scene: QGraphicsScene) -> None:
        super().__init__(scene)
        self.outline, self.scene = outline, scene
        self.setInterval(150)
        self.timeout.connect(self._tick)

    def _tick(self) -> None:
        if self.outline.isVisible() and any(view.isVisible() for view in self.scene.views()):
            self.outline.march()


class CanvasScene(QGraphicsScene):
    """The model drawn: the checkerboard board at canvas size, one ImageItem per layer, the mask overlay, the
    generation preview and the selection's ants, each kept up to date from the model's signals."""

    def __init__(self, model: CanvasModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.board = QGraphicsRectItem()
        self.board.setBrush(checkerboard())
        self.board.setPen(QPen(QColor("#111214"), 0))
        self.addItem(self.board)
        self.layer_items: dict[str, ImageItem] = {}
        self.mask_item = ImageItem(premultiplied(Image.new("RGBA", (1, 1))))
        self.mask_item.setZValue(Z_MASK)
        self.mask_item.hide()
        self.addItem(self.mask_item)
        self.preview_item = QGraphicsPixmapItem()
        self.preview_item.setZValue(Z_PREVIEW)
        self.preview_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.preview_item.hide()
        self.addItem(self.preview_item)
        self.ants_item = OutlineItem()
        self.ants_item.setZValue(Z_SELECTION)
        self.ants_item.hide()
        self.addItem(self.ants_item)
        self.ants = Ants(self.ants_item, self)
        model.geometry_changed.connect(self._show_geometry)
        model.layers_changed.connect(self._show_layers)
        model.layer_changed.connect(self._show_layer)
        model.layer_pixels_changed.connect(self._show_pixels)
        model.mask_changed.connect(self._show_mask)
        model.mask_pixels_changed.connect(self._show_mask_pixels)
        model.selection_changed.connect(self._show_selection)
        model.preview_changed.connect(self._show_preview)
        self._show_geometry()
        self._show_layers()
        self._show_mask()
        self._show_selection()
        self._show_preview()

    def _show_geometry(self) -> None:
        w, h = self.model.canvas_size()
        self.board.setRect(QRectF(0, 0, w, h))
        margin = 2 * max(w, h) + 256  # room to pan the picture's edges to the middle
        self.setSceneRect(QRectF(-margin, -margin, w + 2 * margin, h + 2 * margin))

    def _show_layers(self) -> None:
        for item in self.layer_items.values():
            self.removeItem(item)
        self.layer_items = {}
        for z, layer in enumerate(self.model.layers):
            item = ImageItem(premultiplied(layer.image))
            item.setPos(layer.x, layer.y)
            item.setOpacity(layer.opacity)
            item.setVisible(layer.visible)
            item.setZValue(z + 1)
            self.addItem(item)
            self.layer_items[layer.id] = item

    def _show_layer(self, layer_id: str) -> None:
        item, layer = self.layer_items.get(layer_id), self.model.find_layer(layer_id)
        if item is not None and layer is not None:
            item.setOpacity(layer.opacity)
            item.setVisible(layer.visible)

    def _show_pixels(self, layer_id: str, box: tuple[int, int, int, int]) -> None:
        """Repaint the box (layer pixels) of one layer after its image changed there."""
        item, layer = self.layer_items.get(layer_id), self.model.find_layer(layer_id)
        if item is None or layer is None:
            return
        if item.image.size().toTuple() != layer.image.size:
            item.set_image(premultiplied(layer.image))
            return
        x, y, w, h = box
        item.put(premultiplied(layer.image.crop((x, y, x + w, y + h))), x, y)

    def _show_mask(self) -> None:
        mask = self.model.mask
        if mask is None:
            self.mask_item.hide()
            return
        self.mask_item.set_image(mask_overlay(mask))
        self.mask_item.show()

    def _show_mask_pixels(self, box: tuple[int, int, int, int]) -> None:
        mask = self.model.mask
        if mask is None:
            return
        x, y, w, h = box
        self.mask_item.put(mask_overlay(mask.crop((x, y, x + w, y + h))), x, y)
        self.mask_item.show()

    def _show_selection(self) -> None:
        selection = self.model.selection
        if selection is None:
            self.ants_item.hide()
            self.ants.stop()
            return
        self.ants_item.set_path(selection.path)
        self.ants_item.show()
        self.ants.start()

    def _show_preview(self) -> None:
        preview = self.model.preview
        if preview is None:
            self.preview_item.hide()
            self.preview_item.setPixmap(QPixmap())
            return
        image, (x, y, w, h) = preview.image, preview.rect
        self.preview_item.setPixmap(QPixmap.fromImage(pil_to_qimage(image)))
        self.preview_item.setTransform(QTransform.fromScale(w / image.width, h / image.height))
        self.preview_item.setPos(x, y)
        self.preview_item.show()
