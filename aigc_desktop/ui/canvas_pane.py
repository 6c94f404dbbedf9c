"""The Canvas pane: a paint program on the project's layers (tools, selection, inpaint mask, canvas geometry) with
a side panel of tabs — "Layers" here; the Generate panel adds its own tab and talks to the pane through the public
methods below (flattened, mask_image, selection_mask, selection_bounds, clear_mask, extend_canvas, show_preview,
status_message, current_layer, add_layer)."""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image
from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QTimer
from PySide6.QtGui import QAction, QColor, QIcon, QKeySequence, QPainter, QPainterPath, QPen, QPixmap, QTransform
from PySide6.QtWidgets import (
    QFileDialog,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSlider,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.media import read_image_file
from aigc_desktop.core.project.export import flatten
from aigc_desktop.core.project.model import Canvas, HistoryEntry, Layer
from aigc_desktop.core.specs import JobKind, JobSpec, ModelKind
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.session import ProjectSession
from aigc_desktop.ui.canvas_commands import (
    AddLayer,
    CanvasState,
    ChangeCanvas,
    MoveLayer,
    PatchLayer,
    RemoveLayer,
    ReplaceMask,
    SetLayerProperty,
)
from aigc_desktop.ui.canvas_dialogs import CanvasSizeDialog, ResizeImageDialog
from aigc_desktop.ui.canvas_toolbar import ToolBar, ToolOptions
from aigc_desktop.ui.canvas_tools import TOOL_CLASSES, TextTool, Tool, ToolSettings
from aigc_desktop.ui.canvas_view import (
    Ants,
    CanvasView,
    ImageItem,
    OutlineItem,
    Selection,
    checkerboard,
    mask_overlay,
    premultiplied,
)
from aigc_desktop.ui.dialogs import show_error
from aigc_desktop.ui.image_panel import ImagePanel
from aigc_desktop.ui.pane import Pane
from aigc_desktop.ui.qt_images import pil_to_qimage
from aigc_desktop.workers.jobs import Job

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.webp *.bmp)"
STATUS_MS = 6000
THUMB_PX = 36

# Stacking order on the scene: layers take 1…n.
Z_MASK, Z_PREVIEW, Z_SELECTION = 50_000, 60_000, 80_000

__all__ = ["IMAGE_FILTER", "CanvasPane", "CanvasView"]


class CanvasPane(Pane):
    pane_id = "canvas"
    title = "Canvas"
    model_kinds = (ModelKind.IMAGE,)
    job_kinds = (JobKind.IMAGE,)

    def __init__(self, ctx: AppContext, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(ctx, session, parent)
        self.settings = ToolSettings()
        self.selection: Selection | None = None
        self._mask: Image.Image | None = None  # the inpaint mask: canvas-sized L, not a layer, not saved

        self.scene = QGraphicsScene(self)
        self.view = CanvasView(self.scene, self)
        self.view.files_dropped.connect(self.import_files)
        self._board = QGraphicsRectItem()
        self._board.setBrush(checkerboard())
        self._board.setPen(QPen(QColor("#111214"), 0))
        self.scene.addItem(self._board)
        self._items: dict[str, ImageItem] = {}
        self._mask_item = ImageItem(premultiplied(Image.new("RGBA", (1, 1))))
        self._mask_item.setZValue(Z_MASK)
        self._mask_item.hide()
        self.scene.addItem(self._mask_item)
        self._preview_item = QGraphicsPixmapItem()
        self._preview_item.setZValue(Z_PREVIEW)
        self._preview_item.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._preview_item.hide()
        self.scene.addItem(self._preview_item)
        self._ants_item = OutlineItem()
        self._ants_item.setZValue(Z_SELECTION)
        self._ants_item.hide()
        self.scene.addItem(self._ants_item)
        self._ants = Ants(self._ants_item, self.view)

        self.canvas_actions = self._build_actions()
        self.tools: dict[str, Tool] = {cls.name: cls(self) for cls in TOOL_CLASSES}
        self.tool_bar = ToolBar(self, list(self.tools.values()), self)
        self.tool_bar.tool_chosen.connect(self.set_tool)
        self.tool_options = ToolOptions(self, self.settings, self)
        self.tool_options.changed.connect(self._options_changed)
        self.view.zoom_changed.connect(self.tool_bar.set_zoom)
        self.view.cursor_moved.connect(self._show_cursor)

        self.side_tabs = QTabWidget(self)
        self.side_tabs.setObjectName("canvasSideTabs")
        self.side_tabs.addTab(self._build_layer_panel(), "Layers")
        self.image_panel = ImagePanel(self)
        self.side_tabs.addTab(self.image_panel, "Generate")
        self.side_tabs.setMinimumWidth(250)
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.setObjectName("canvasSplitter")
        split.addWidget(self.view)
        split.addWidget(self.side_tabs)
        split.setStretchFactor(0, 1)
        split.setStretchFactor(1, 0)
        split.setCollapsible(0, False)
        split.setSizes([880, 330])

        self.status_label = QLabel(self)
        self.status_label.setObjectName("canvasStatus")
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("canvasHint")
        self.hint_label.setStyleSheet("color: palette(mid);")
        self.position_label = QLabel(self)
        self.position_label.setObjectName("canvasPosition")
        # Fixed width, and updated at most every 50 ms: repainting a label costs 1.5-3 ms here, more than a brush
        # dab, so doing it on every mouse move would halve the painting rate.
        self.position_label.setFixedWidth(self.position_label.fontMetrics().horizontalAdvance("00000, 00000"))
        self.position_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.size_label = QLabel(self)
        self.size_label.setObjectName("canvasSize")
        status = QHBoxLayout()
        status.setContentsMargins(2, 0, 2, 0)
        status.addWidget(self.status_label)
        status.addStretch(1)
        status.addWidget(self.hint_label)
        status.addSpacing(16)
        status.addWidget(self.position_label)
        status.addSpacing(16)
        status.addWidget(self.size_label)
        self._cursor_pos = QPointF()
        self._position_timer = QTimer(self)
        self._position_timer.setSingleShot(True)
        self._position_timer.setInterval(50)
        self._position_timer.timeout.connect(self._show_position)
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.timeout.connect(self.status_label.clear)

        self.body.addWidget(self.tool_bar)
        self.body.addWidget(self.tool_options)
        self.body.addWidget(split, 1)
        self.body.addLayout(status)
        self.tool: Tool = self.tools["brush"]
        self.set_tool("brush")
        self.refresh()

    # ------------------------------------------------------------ building

    def _action(
        self, key: str, text: str, tip: str, shortcut: str | QKeySequence.StandardKey | None, slot: object
    ) -> QAction:
        action = QAction(text, self)
        action.setObjectName(f"canvas_{key}")
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            tip = f"{tip} ({action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)})"
        action.setToolTip(tip)
        action.setStatusTip(tip)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)  # only while the canvas pane has focus
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _build_actions(self) -> dict[str, QAction]:
        a = self._action
        actions = {
            "select_all": a("select_all", "Select all", "Select the whole canvas", "Ctrl+A", self.select_all),
            "deselect": a("deselect", "Deselect", "Drop the selection", "Ctrl+D", self.deselect),
            "invert_selection": a(
                "invert_selection", "Invert", "Select what is not selected", "Ctrl+Shift+I", self.invert_selection
            ),
            "crop": a(
                "crop", "Crop to selection", "Cut the canvas to the selection's bounds", None, self.crop_to_selection
            ),
            "clear_selection": a(
                "clear_selection",
                "Clear",
                "Erase the selected pixels of the current layer",
                "Del",
                self.clear_selection,
            ),
            "resize_image": a(
                "resize_image",
                "Resize image…",
                "Scale the whole picture to a new size",
                "Ctrl+Alt+I",
                self.choose_resize,
            ),
            "canvas_size": a(
                "canvas_size",
                "Canvas size…",
                "Add margins around the picture (for outpainting)",
                "Ctrl+Alt+C",
                self.choose_canvas_size,
            ),
            "clear_mask": a("clear_mask", "Clear mask", "Remove the whole inpaint mask", None, self.clear_mask),
            "invert_mask": a(
                "invert_mask", "Invert mask", "Mask what is not masked, and the other way round", None, self.invert_mask
            ),
            "zoom_in": a(
                "zoom_in",
                "+",
                "Zoom in",
                QKeySequence.StandardKey.ZoomIn,
                lambda: self.view.set_zoom(self.view.zoom() * 1.25),
            ),
            "zoom_out": a(
                "zoom_out",
                "−",
                "Zoom out",
                QKeySequence.StandardKey.ZoomOut,
                lambda: self.view.set_zoom(self.view.zoom() / 1.25),
            ),
            "fit": a("fit", "Fit", "Zoom to fit the canvas", "Ctrl+0", self.fit_view),
            "actual_size": a(
                "actual_size", "1:1", "Show the picture at its real size", "Ctrl+1", lambda: self.view.set_zoom(1.0)
            ),
            "size_down": a("size_down", "Smaller brush", "Smaller brush", "[", lambda: self._step_size(1 / 1.25)),
            "size_up": a("size_up", "Bigger brush", "Bigger brush", "]", lambda: self._step_size(1.25)),
        }
        for cls in TOOL_CLASSES:
            actions[f"tool_{cls.name}"] = a(
                f"tool_{cls.name}", cls.label, cls.tip, cls.shortcut, lambda _c=False, n=cls.name: self.set_tool(n)
            )
        return actions

    def _build_layer_panel(self) -> QWidget:
        self.layer_list = QListWidget(self)
        self.layer_list.setObjectName("layerList")
        self.layer_list.setIconSize(QSize(THUMB_PX, THUMB_PX))
        self.layer_list.itemChanged.connect(self._on_item_changed)
        self.layer_list.currentRowChanged.connect(self._on_current_changed)
        self.opacity = QSlider(Qt.Orientation.Horizontal, self)
        self.opacity.setRange(0, 100)
        self.opacity.valueChanged.connect(self._on_opacity)

        side = QVBoxLayout()
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
        ]
        grid = QHBoxLayout()
        col: QVBoxLayout | None = None
        for i, (text, tip, slot) in enumerate(buttons):
            if i % 3 == 0:
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
        panel.setObjectName("layersTab")
        panel.setLayout(side)
        return panel

    # ------------------------------------------------------------ project

    def refresh_models(self) -> None:
        super().refresh_models()
        self.image_panel.sync_controls()

    def bind(self) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.cancel()  # what was being typed belongs to the project being replaced
        super().bind()
        self.selection = None
        self._mask = None
        self._preview_item.hide()
        self.refresh()
        self._sync_mask_item()
        self._sync_selection()
        self.fit_view()

    def show_output(self, ref: str, spec_id: str) -> None:
        self.refresh(select=ref)

    def load_spec(self, spec: JobSpec) -> None:
        self.image_panel.load_spec(spec)
        self.side_tabs.setCurrentWidget(self.image_panel)

    def regenerate(self, entry: HistoryEntry) -> Job | None:
        return self.image_panel.regenerate(entry)

    def flush(self) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.commit()  # text still being typed goes into the layer before a save

    def refresh(self, select: str | None = None) -> None:
        """Redraw the scene and the layer list from the project (the single source of truth)."""
        canvas = self.project.canvas
        self._board.setRect(QRectF(0, 0, canvas.width, canvas.height))
        margin = 2 * max(canvas.width, canvas.height) + 256  # room to pan the picture's edges to the middle
        self.scene.setSceneRect(QRectF(-margin, -margin, canvas.width + 2 * margin, canvas.height + 2 * margin))
        for item in self._items.values():
            self.scene.removeItem(item)
        self._items = {}
        for z, layer in enumerate(canvas.layers):
            item = ImageItem(premultiplied(layer.image))
            item.setPos(layer.x, layer.y)
            item.setOpacity(layer.opacity)
            item.setVisible(layer.visible)
            item.setZValue(z + 1)
            self.scene.addItem(item)
            self._items[layer.id] = item
        current = select or self.current_layer_id()
        self.layer_list.blockSignals(True)
        self.layer_list.clear()
        for layer in reversed(canvas.layers):  # top layer first, as in every paint program
            it = QListWidgetItem(layer.name + ("  ✦ AI" if layer.spec_id and self.ctx.settings.values.show_ai else ""))
            it.setData(Qt.ItemDataRole.UserRole, layer.id)
            it.setFlags(it.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            it.setCheckState(Qt.CheckState.Checked if layer.visible else Qt.CheckState.Unchecked)
            it.setToolTip("Tick to show, untick to hide")
            it.setIcon(self._thumbnail(layer))
            self.layer_list.addItem(it)
            if layer.id == current:
                self.layer_list.setCurrentItem(it)
        if self.layer_list.currentRow() < 0 and self.layer_list.count():
            self.layer_list.setCurrentRow(0)
        self.layer_list.blockSignals(False)
        self._sync_opacity()
        self.size_label.setText(f"{canvas.width} × {canvas.height} px")

    def _thumbnail(self, layer: Layer) -> QIcon:
        """The layer's picture on a checkerboard, as a list icon."""
        w, h = layer.image.size
        scale = THUMB_PX / max(w, h)
        size = (max(1, round(w * scale)), max(1, round(h * scale)))
        small = layer.image.resize(size, Image.Resampling.BILINEAR, reducing_gap=2.0)  # reduce() first: no full copy
        pixmap = QPixmap(THUMB_PX, THUMB_PX)
        pixmap.fill(QColor("#ffffff"))
        p = QPainter(pixmap)
        p.fillRect(0, 0, THUMB_PX, THUMB_PX, checkerboard())
        p.drawImage((THUMB_PX - small.width) // 2, (THUMB_PX - small.height) // 2, pil_to_qimage(small))
        p.setPen(QColor("#888888"))
        p.drawRect(0, 0, THUMB_PX - 1, THUMB_PX - 1)
        p.end()
        return QIcon(pixmap)

    def update_thumbnail(self, layer: Layer) -> None:
        for row in range(self.layer_list.count()):
            it = self.layer_list.item(row)
            if it.data(Qt.ItemDataRole.UserRole) == layer.id:
                it.setIcon(self._thumbnail(layer))

    def current_layer_id(self) -> str | None:
        item = self.layer_list.currentItem()
        return None if item is None else str(item.data(Qt.ItemDataRole.UserRole))

    def current_layer(self) -> Layer | None:
        layer_id = self.current_layer_id()
        return None if layer_id is None else self.project.find_layer(layer_id)

    def fit_view(self) -> None:
        self.view.fit(self._board)

    def canvas_size(self) -> tuple[int, int]:
        return self.project.canvas.width, self.project.canvas.height

    # ------------------------------------------------------------ public API for the Generate panel

    def flattened(self) -> Image.Image:
        """The visible canvas composited: RGBA at canvas size."""
        return flatten(self.project.canvas)

    def pixel_at(self, x: int, y: int) -> tuple[int, int, int, int]:
        """One pixel of the flattened canvas, composited exactly as `flattened` does, without flattening it all."""
        c = self.project.canvas
        one = Canvas(1, 1)
        for layer in c.layers:
            if layer.visible:
                dot = ops.crop_layer(layer.image, layer.x, layer.y, (x, y, 1, 1))
                one.layers.append(Layer(layer.name, dot, opacity=layer.opacity))
        r, g, b, a = flatten(one).getpixel((0, 0))  # type: ignore[misc]
        return r, g, b, a

    def mask_image(self) -> Image.Image | None:
        """The painted inpaint mask as an L image at canvas size (255 = repaint); the selection when no mask is
        painted; None when there is neither."""
        if self._mask is not None and self._mask.size == self.canvas_size() and self._mask.getbbox() is not None:
            return self._mask.copy()
        return self.selection_mask()

    def selection_mask(self) -> Image.Image | None:
        return None if self.selection is None else self.selection.mask.copy()

    def selection_bounds(self) -> tuple[int, int, int, int] | None:
        """(x, y, width, height) of the selection in canvas pixels, or None."""
        return None if self.selection is None else ops.mask_bounds(self.selection.mask)

    def clear_mask(self) -> None:
        """Remove the painted inpaint mask (one undo step; nothing happens when there is none)."""
        if self._mask is not None and self._mask.getbbox() is not None:
            self.undo_stack.push(ReplaceMask(self, self._mask, None, "Clear mask"))

    def extend_canvas(self, left: int, top: int, right: int, bottom: int) -> None:
        """Grow the canvas by margins on each side (undoable); layers, mask and selection move with the picture."""
        margins = (left, top, right, bottom)
        if any(m < 0 for m in margins):
            raise UserError("Canvas margins cannot be negative; use Crop to selection to make the canvas smaller.")
        if not any(margins):
            return
        w, h = self.canvas_size()
        new_w, new_h = w + left + right, h + top + bottom
        ops.check_canvas_size(new_w, new_h)
        before = self.capture_state()
        selection = None
        if self.selection is not None:
            selection = Selection(
                ops.place_mask(self.selection.mask, (new_w, new_h), left, top),
                self.selection.path.translated(left, top),
            )
        after = CanvasState(
            new_w,
            new_h,
            [(layer, image, x + left, y + top) for layer, image, x, y in before.layers],
            None if before.mask is None else ops.place_mask(before.mask, (new_w, new_h), left, top),
            selection,
        )
        self.undo_stack.push(ChangeCanvas(self, before, after, f"Canvas size {w}×{h} → {new_w}×{new_h}"))

    def show_preview(self, image: Image.Image | None, rect: tuple[int, int, int, int] | None = None) -> None:
        """Show a generation preview scaled into `rect` (x, y, w, h; default the whole canvas) above every layer;
        None removes it."""
        if image is None:
            self._preview_item.hide()
            self._preview_item.setPixmap(QPixmap())
            return
        x, y, w, h = rect if rect is not None else (0, 0, *self.canvas_size())
        self._preview_item.setPixmap(QPixmap.fromImage(pil_to_qimage(image)))
        self._preview_item.setTransform(QTransform.fromScale(w / image.width, h / image.height))
        self._preview_item.setPos(x, y)
        self._preview_item.show()

    def preview_visible(self) -> bool:
        return self._preview_item.isVisible()

    def status_message(self, text: str) -> None:
        """A short message under the canvas (why a click did nothing, what just happened)."""
        self.status_label.setText(text)
        self._status_timer.start(STATUS_MS)

    # ------------------------------------------------------------ what the tools use

    def set_tool(self, name: str) -> None:
        if getattr(self, "tool", None) is not None and self.tool.name != name:
            self.tool.deactivate()
        self.tool = self.tools[name]
        self.view.tool = self.tool
        self.tool_bar.set_tool(name)
        self.tool_options.show_for(self.tool)
        self.hint_label.setText(self.tool.tip)
        self.view.update_cursor()
        self.tool.activate()

    def paintable_layer(self) -> Layer | None:
        """The current layer if it can be painted on; otherwise None, after saying why under the canvas."""
        layer = self.current_layer()
        if layer is None:
            self.status_message("There is no layer to paint on: add one with New in the Layers tab.")
            return None
        if not layer.visible:
            self.status_message(f"“{layer.name}” is hidden: tick it in the Layers tab to paint on it.")
            return None
        return layer

    def selection_for(self, layer: Layer) -> Image.Image | None:
        """The selection in the layer's own pixels (what clips painting), or None when nothing is selected."""
        if self.selection is None:
            return None
        return ops.mask_for_layer(self.selection.mask, layer.x, layer.y, layer.image.size)

    def update_layer_region(self, layer: Layer, box: ops.Box) -> None:
        """Repaint the box (layer pixels) of one layer after its image changed there."""
        item = self._items.get(layer.id)
        if item is None:
            return
        if item.image.size().toTuple() != layer.image.size:  # type: ignore[attr-defined]
            item.set_image(premultiplied(layer.image))
            return
        x, y, w, h = box
        item.put(premultiplied(layer.image.crop((x, y, x + w, y + h))), x, y)

    def set_colour(self, rgba: tuple[int, int, int, int]) -> None:
        self.settings.colour = rgba
        self.tool_options.colour_button.set_colour(rgba)
        if isinstance(self.tool, TextTool):
            self.tool.restyle()

    def _options_changed(self) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.restyle()

    def _step_size(self, factor: float) -> None:
        if self.tool.name in self.settings.sizes:
            size = self.settings.sizes[self.tool.name]
            new = max(1, min(ops.MAX_BRUSH, round(size * factor) if factor > 1 else int(size * factor)))
            self.settings.sizes[self.tool.name] = new if new != size else max(1, size + (1 if factor > 1 else -1))
            self.tool_options.show_for(self.tool)

    def _show_cursor(self, pos: QPointF) -> None:
        self._cursor_pos = pos
        if not self._position_timer.isActive():
            self._position_timer.start()

    def _show_position(self) -> None:
        pos = self._cursor_pos
        self.position_label.setText(f"{math.floor(pos.x())}, {math.floor(pos.y())}")

    # -- the inpaint mask

    def mask_layer(self) -> Image.Image:
        """The mask image the mask brush paints on (made empty, at canvas size, when there is none)."""
        if self._mask is None or self._mask.size != self.canvas_size():
            self._mask = Image.new("L", self.canvas_size(), 0)
            self._sync_mask_item()
        return self._mask

    def set_mask(self, mask: Image.Image | None) -> None:
        self._mask = mask
        self._sync_mask_item()

    def update_mask_region(self, box: ops.Box) -> None:
        if self._mask is None:
            return
        x, y, w, h = box
        self._mask_item.put(mask_overlay(self._mask.crop((x, y, x + w, y + h))), x, y)
        self._mask_item.show()

    def _sync_mask_item(self) -> None:
        if self._mask is None:
            self._mask_item.hide()
            return
        self._mask_item.set_image(mask_overlay(self._mask))
        self._mask_item.show()

    def invert_mask(self) -> None:
        mask = self.mask_layer()
        self.undo_stack.push(ReplaceMask(self, mask, ops.invert_mask(mask), "Invert mask"))

    # -- selection (not undoable: cheap to make again, and the ants show it)

    def select_shape(self, mask: Image.Image, path: QPainterPath, how: str = "replace") -> None:
        """Select `mask` (canvas-sized L) outlined by `path`, replacing, adding to or subtracting from the selection."""
        old = self.selection
        combined = ops.combine_masks(old.mask if old else None, mask, how)
        if ops.mask_bounds(combined) is None:
            self.deselect()
            return
        if old is not None and how == "add":
            path = old.path.united(path)
        elif old is not None and how == "subtract":
            path = old.path.subtracted(path)
        self.selection = Selection(combined, path)
        self._sync_selection()

    def select_all(self) -> None:
        path = QPainterPath()
        path.addRect(QRectF(0, 0, *self.canvas_size()))
        self.select_shape(ops.rect_mask(self.canvas_size(), (0, 0, *self.canvas_size())), path)

    def deselect(self) -> None:
        self.selection = None
        self._sync_selection()

    def invert_selection(self) -> None:
        if self.selection is None:
            self.select_all()
            return
        everything = QPainterPath()
        everything.addRect(QRectF(0, 0, *self.canvas_size()))
        self.select_shape(ops.invert_mask(self.selection.mask), everything.subtracted(self.selection.path))

    def _sync_selection(self) -> None:
        if self.selection is None:
            self._ants_item.hide()
            self._ants.stop()
            return
        self._ants_item.set_path(self.selection.path)
        self._ants_item.show()
        self._ants.start()

    def clear_selection(self) -> None:
        """Delete: the selected pixels of the current layer become transparent."""
        if self.selection is None:
            self.status_message("Nothing is selected: select an area first (M or L), then press Delete.")
            return
        layer = self.paintable_layer()
        if layer is None:
            return
        mask = self.selection_for(layer)
        assert mask is not None
        patch = ops.clear_masked(layer.image, mask)
        if patch is not None:
            self.undo_stack.push(PatchLayer(self, layer, patch, "Clear selection"))

    # ------------------------------------------------------------ canvas geometry (undoable)

    def capture_state(self) -> CanvasState:
        c = self.project.canvas
        return CanvasState(
            c.width,
            c.height,
            [(layer, layer.image, layer.x, layer.y) for layer in c.layers],
            self._mask,
            self.selection,
        )

    def restore_state(self, state: CanvasState) -> None:
        if isinstance(self.tool, TextTool):
            self.tool.cancel()
        c = self.project.canvas
        c.width, c.height = state.width, state.height
        for layer, image, x, y in state.layers:
            layer.image, layer.x, layer.y = image, x, y
        self._mask = state.mask
        self.selection = state.selection
        self.show_preview(None)  # its rectangle belonged to the old geometry
        self.refresh()
        self._sync_mask_item()
        self._sync_selection()
        if self.view.fit_target is not None:
            self.fit_view()

    def crop_to_selection(self) -> None:
        box = self.selection_bounds()
        if box is None:
            self.status_message("Select the area to keep first (M or L), then crop.")
            return
        before = self.capture_state()
        after = CanvasState(
            box[2],
            box[3],
            [(layer, ops.crop_layer(image, x, y, box), 0, 0) for layer, image, x, y in before.layers],
            None if before.mask is None else before.mask.crop((box[0], box[1], box[0] + box[2], box[1] + box[3])),
            None,
        )
        self.undo_stack.push(ChangeCanvas(self, before, after, f"Crop to {box[2]}×{box[3]}"))

    def resize_canvas(self, width: int, height: int) -> None:
        """Scale the whole picture (every layer, the mask) to width×height; one undo step."""
        ops.check_canvas_size(width, height)
        w, h = self.canvas_size()
        if (width, height) == (w, h):
            return
        sx, sy = width / w, height / h
        before = self.capture_state()
        layers = []
        for layer, image, x, y in before.layers:
            scaled, nx, ny = ops.scale_layer(image, x, y, sx, sy)
            layers.append((layer, scaled, nx, ny))
        mask = None if before.mask is None else ops.scale_image(before.mask, width, height)
        after = CanvasState(width, height, layers, mask, None)
        self.undo_stack.push(ChangeCanvas(self, before, after, f"Resize image {w}×{h} → {width}×{height}"))

    def choose_resize(self) -> None:
        dialog = ResizeImageDialog(*self.canvas_size(), parent=self)
        if dialog.exec():
            self._guarded(lambda: self.resize_canvas(*dialog.size()))

    def choose_canvas_size(self) -> None:
        dialog = CanvasSizeDialog(*self.canvas_size(), parent=self)
        if dialog.exec():
            self._guarded(lambda: self.extend_canvas(*dialog.margins()))

    def _guarded(self, action: object) -> None:
        try:
            action()  # type: ignore[operator]
        except UserError as exc:
            show_error(self, "Canvas", str(exc))

    # ------------------------------------------------------------ layer actions (each one undoable)

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

    # ------------------------------------------------------------ list and slider feedback

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
