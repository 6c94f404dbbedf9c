"""The canvas on screen: layer images that repaint only their changed rectangles, the inpaint-mask overlay, marching
ants, the brush outline, and the QGraphicsView that zooms around the cursor, pans and hands mouse input to the tool."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QRect, QRectF, Qt, QTimer, Signal
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
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QStyleOptionGraphicsItem,
    QWidget,
)

from aigc_desktop.ui.qt_images import pil_to_qimage

if TYPE_CHECKING:
    from aigc_desktop.ui.canvas_tools import Tool
MIN_ZOOM, MAX_ZOOM = 0.02, 64.0
MASK_RGB = (255, 32, 32)
MASK_OPACITY = 0.45  # translucent enough to see what is under the mask


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
        area = option.exposedRect.toAlignedRect().intersected(self.image.rect())  # type: ignore[attr-defined]
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


@dataclass
class Selection:
    """The selected area: a canvas-sized L mask (what operations use) and its outline (what the ants march on)."""

    mask: Image.Image
    path: QPainterPath


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
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.files_dropped.emit(paths)


class Ants(QTimer):
    """Moves the selection's dashes a step every 150 ms while the canvas is on screen."""

    def __init__(self, outline: OutlineItem, view: CanvasView) -> None:
        super().__init__(view)
        self.outline, self.view = outline, view
        self.setInterval(150)
        self.timeout.connect(self._tick)

    def _tick(self) -> None:
        if self.view.isVisible() and self.outline.isVisible():
            self.outline.march()


def box_rect(box: tuple[int, int, int, int]) -> QRect:
    return QRect(box[0], box[1], box[2], box[3])
