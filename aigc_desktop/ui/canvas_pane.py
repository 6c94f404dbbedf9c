"""The Canvas pane: project layers on a zoomable canvas, and a layer panel (add, import, reorder, hide, opacity)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QDragEnterEvent,
    QDropEvent,
    QPainter,
    QPixmap,
    QResizeEvent,
    QUndoCommand,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsView,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.project import Layer, Project
from aigc_desktop.core.specs import ModelKind
from aigc_desktop.ui.context import AppContext
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.qt_images import pil_to_qimage

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.bmp)"


def _checkerboard() -> QBrush:
    tile = QPixmap(16, 16)
    tile.fill(QColor("#ffffff"))
    p = QPainter(tile)
    p.fillRect(0, 0, 8, 8, QColor("#e6e6e6"))
    p.fillRect(8, 8, 8, 8, QColor("#e6e6e6"))
    p.end()
    return QBrush(tile)


class CanvasView(QGraphicsView):
    """Zoom with Ctrl+wheel; image files dropped on it become layers."""

    files_dropped = Signal(list)

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setObjectName("canvasView")
        self.setAcceptDrops(True)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setBackgroundBrush(QColor("#3a3d42"))
        self.fit_target: QGraphicsRectItem | None = None  # while set, the view keeps the canvas fitted on resize

    def fit(self, target: QGraphicsRectItem) -> None:
        self.fit_target = target
        self.fitInView(target, Qt.AspectRatioMode.KeepAspectRatio)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.fit_target is not None:
            self.fitInView(self.fit_target, Qt.AspectRatioMode.KeepAspectRatio)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.fit_target = None  # the user chose a zoom: keep it
            factor = 1.15 if event.angleDelta().y() > 0 else 1 / 1.15
            self.scale(factor, factor)
        else:
            super().wheelEvent(event)

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


class _LayerCommand(QUndoCommand):
    def __init__(self, pane: CanvasPane, text: str) -> None:
        super().__init__(text)
        self.pane = pane

    @property
    def layers(self) -> list[Layer]:
        return self.pane.project.canvas.layers


class AddLayer(_LayerCommand):
    def __init__(self, pane: CanvasPane, layer: Layer, index: int) -> None:
        super().__init__(pane, f"Add layer {layer.name}")
        self.layer, self.index = layer, index

    def redo(self) -> None:
        self.layers.insert(self.index, self.layer)
        self.pane.refresh(select=self.layer.id)

    def undo(self) -> None:
        self.layers.remove(self.layer)
        self.pane.refresh()


class RemoveLayer(_LayerCommand):
    def __init__(self, pane: CanvasPane, layer: Layer) -> None:
        super().__init__(pane, f"Delete layer {layer.name}")
        self.layer = layer
        self.index = pane.project.canvas.layers.index(layer)

    def redo(self) -> None:
        self.layers.remove(self.layer)
        self.pane.refresh()

    def undo(self) -> None:
        self.layers.insert(self.index, self.layer)
        self.pane.refresh(select=self.layer.id)


class MoveLayer(_LayerCommand):
    def __init__(self, pane: CanvasPane, layer: Layer, delta: int) -> None:
        super().__init__(pane, f"Move layer {layer.name}")
        self.layer, self.delta = layer, delta

    def _move(self, delta: int) -> None:
        i = self.layers.index(self.layer)
        self.layers.insert(i + delta, self.layers.pop(i))
        self.pane.refresh(select=self.layer.id)

    def redo(self) -> None:
        self._move(self.delta)

    def undo(self) -> None:
        self._move(-self.delta)


class SetLayerProperty(_LayerCommand):
    """Visibility or opacity; consecutive opacity changes of one layer merge into one undo step."""

    MERGE_ID = 1

    def __init__(self, pane: CanvasPane, layer: Layer, name: str, value: object) -> None:
        super().__init__(pane, f"Change {name} of {layer.name}")
        self.layer, self.name, self.new, self.old = layer, name, value, getattr(layer, name)

    def id(self) -> int:
        return self.MERGE_ID if self.name == "opacity" else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        if isinstance(other, SetLayerProperty) and other.layer is self.layer and other.name == self.name:
            self.new = other.new
            return True
        return False

    def redo(self) -> None:
        setattr(self.layer, self.name, self.new)
        self.pane.refresh(select=self.layer.id)

    def undo(self) -> None:
        setattr(self.layer, self.name, self.old)
        self.pane.refresh(select=self.layer.id)


class CanvasPane(Pane):
    pane_id = "canvas"
    title = "Canvas"
    model_kinds = (ModelKind.IMAGE,)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.scene = QGraphicsScene(self)
        self.view = CanvasView(self.scene, self)
        self.view.files_dropped.connect(self.import_files)
        self._board = QGraphicsRectItem()
        self._board.setBrush(_checkerboard())
        self._board.setPen(QColor("#202225"))
        self.scene.addItem(self._board)
        self._items: list[QGraphicsPixmapItem] = []

        self.layer_list = QListWidget(self)
        self.layer_list.setObjectName("layerList")
        self.layer_list.itemChanged.connect(self._on_item_changed)
        self.layer_list.currentRowChanged.connect(self._on_current_changed)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity)

        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Layers</b>"))
        side.addWidget(self.layer_list, 1)
        side.addWidget(QLabel("Opacity"))
        side.addWidget(self.opacity)
        buttons = [
            ("New", "A new transparent layer", self.new_layer),
            ("Import…", "Add image files as layers (or drop them on the canvas)", self.choose_import),
            ("Duplicate", "Copy the selected layer", self.duplicate_layer),
            ("Delete", "Delete the selected layer", self.delete_layer),
            ("Up", "Move the selected layer up", lambda: self.move_layer(+1)),
            ("Down", "Move the selected layer down", lambda: self.move_layer(-1)),
            ("Fit", "Zoom to fit the canvas", self.fit_view),
        ]
        grid = QHBoxLayout()
        col: QVBoxLayout | None = None
        for i, (text, tip, slot) in enumerate(buttons):
            if i % 4 == 0:
                col = QVBoxLayout()
                grid.addLayout(col)
            b = QPushButton(text, self)
            b.setToolTip(tip)
            b.setObjectName(f"layer{text.strip('…')}Button")
            b.clicked.connect(slot)
            assert col is not None
            col.addWidget(b)
        side.addLayout(grid)
        panel = QWidget(self)
        panel.setLayout(side)
        panel.setFixedWidth(240)

        row = QHBoxLayout()
        row.addWidget(self.view, 1)
        row.addWidget(panel)
        self.body.addLayout(row, 1)
        self.refresh()

    # -- project

    def bind(self, project: Project) -> None:
        super().bind(project)
        self.refresh()
        self.fit_view()

    def refresh(self, select: str | None = None) -> None:
        """Redraw the scene and the layer list from the project (the single source of truth)."""
        canvas = self.project.canvas
        self._board.setRect(QRectF(0, 0, canvas.width, canvas.height))
        self.scene.setSceneRect(QRectF(-64, -64, canvas.width + 128, canvas.height + 128))
        for item in self._items:
            self.scene.removeItem(item)
        self._items = []
        for z, layer in enumerate(canvas.layers):
            item = QGraphicsPixmapItem(QPixmap.fromImage(pil_to_qimage(layer.image)))
            item.setPos(layer.x, layer.y)
            item.setOpacity(layer.opacity)
            item.setVisible(layer.visible)
            item.setZValue(z + 1)
            self.scene.addItem(item)
            self._items.append(item)
        current = select or self.current_layer_id()
        self.layer_list.blockSignals(True)
        self.layer_list.clear()
        for layer in reversed(canvas.layers):  # top layer first, as in every paint program
            it = QListWidgetItem(layer.name + ("  ✦ AI" if layer.spec_id and self.ctx.settings.show_ai else ""))
            it.setData(Qt.ItemDataRole.UserRole, layer.id)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
            it.setToolTip("Tick to show, untick to hide")
            self.layer_list.addItem(it)
            if layer.id == current:
                self.layer_list.setCurrentItem(it)
        if self.layer_list.currentRow() < 0 and self.layer_list.count():
            self.layer_list.setCurrentRow(0)
        self.layer_list.blockSignals(False)
        self._sync_opacity()

    def current_layer_id(self) -> str | None:
        item = self.layer_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def current_layer(self) -> Layer | None:
        layer_id = self.current_layer_id()
        return None if layer_id is None else self.project.find_layer(layer_id)

    def fit_view(self) -> None:
        self.view.fit(self._board)

    # -- actions (each one undoable)

    def add_layer(self, layer: Layer) -> None:
        current = self.current_layer()
        index = self.project.canvas.layers.index(current) + 1 if current else len(self.project.canvas.layers)
        self.undo_stack.push(AddLayer(self, layer, index))

    def new_layer(self) -> None:
        c = self.project.canvas
        n = len(c.layers) + 1
        self.add_layer(Layer(f"Layer {n}", Image.new("RGBA", (c.width, c.height), (0, 0, 0, 0))))

    def duplicate_layer(self) -> None:
        layer = self.current_layer()
        if layer is not None:
            self.add_layer(
                Layer(
                    f"{layer.name} copy",
                    layer.image.copy(),
                    visible=layer.visible,
                    opacity=layer.opacity,
                    x=layer.x,
                    y=layer.y,
                    spec_id=layer.spec_id,
                )
            )

    def delete_layer(self) -> None:
        layer = self.current_layer()
        if layer is not None:
            self.undo_stack.push(RemoveLayer(self, layer))

    def move_layer(self, delta: int) -> None:
        layer = self.current_layer()
        if layer is None:
            return
        i = self.project.canvas.layers.index(layer)
        if 0 <= i + delta < len(self.project.canvas.layers):
            self.undo_stack.push(MoveLayer(self, layer, delta))

    def choose_import(self) -> None:
        files, _ = QFileDialog.getOpenFileNames(self, "Import images as layers", "", IMAGE_FILTER)
        self.import_files([Path(f) for f in files])

    def import_files(self, paths: list[Path]) -> None:
        self.import_each(paths, lambda path: self.add_layer(Layer(path.stem, read_image_file(path))))

    # -- list and slider feedback

    def _on_item_changed(self, item: QListWidgetItem) -> None:
        layer = self.project.find_layer(str(item.data(Qt.ItemDataRole.UserRole)))
        visible = item.checkState() == Qt.CheckState.Checked
        if layer is not None and layer.visible != visible:
            self.undo_stack.push(SetLayerProperty(self, layer, "visible", visible))

    def _on_current_changed(self, _row: int) -> None:
        self._sync_opacity()

    def _sync_opacity(self) -> None:
        layer = self.current_layer()
        self.opacity.blockSignals(True)
        self.opacity.setEnabled(layer is not None)
        self.opacity.setValue(round((layer.opacity if layer else 1.0) * 100))
        self.opacity.blockSignals(False)

    def _on_opacity(self, value: int) -> None:
        layer = self.current_layer()
        if layer is not None and abs(layer.opacity - value / 100) > 1e-6:
            self.undo_stack.push(SetLayerProperty(self, layer, "opacity", value / 100))
