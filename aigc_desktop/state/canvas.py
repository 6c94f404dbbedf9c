"""The session's canvas as an observable model: the project's layers, which one is current, the selection, the inpaint
mask, the canvas size, the undo stack and the generation preview. Tools, the Layers tab and generations change it
through its methods (each edit one undo step, state/canvas_commands.py); the scene, the layer list and the status
line render it from its signals. Other panes read layers through it too.

Notices and undo-step names are marked `Msg`s (core/i18n.py): the status line shows a notice in the interface
language, and `retranslate` names the undo steps again after a language switch. The name a new layer gets ("Layer 3")
is written in the language of the moment: from then on it is the user's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from PIL import Image
from PySide6.QtCore import QCoreApplication, QObject, QRectF, Signal
from PySide6.QtGui import QPainterPath, QUndoStack

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.project.export import flatten
from aigc_desktop.core.project.model import Canvas, Layer
from aigc_desktop.state.canvas_commands import (
    CLEAR_MASK,
    CLEAR_SELECTION,
    INVERT_MASK,
    AddLayer,
    CanvasState,
    ChangeCanvas,
    MoveLayer,
    PatchLayer,
    PatchMask,
    RemoveLayer,
    ReplaceMask,
    SetLayerProperty,
    remember_group_label,
    retranslate_step,
)
from aigc_desktop.state.localized import Number, translated
from aigc_desktop.state.session import ProjectSession

Rect = tuple[int, int, int, int]  # x, y, width, height in canvas pixels


@dataclass
class Selection:
    """The selected area: a canvas-sized L mask (what operations use) and its outline (what the ants march on)."""

    mask: Image.Image
    path: QPainterPath


@dataclass
class Preview:
    """A generation's step preview: a small image shown scaled over `rect` above every layer."""

    image: Image.Image
    rect: Rect


class CanvasModel(QObject):
    layers_changed = Signal()  # layers added, removed or reordered, or a new project: views rebuild
    layer_changed = Signal(str)  # one layer's visibility, opacity or thumbnail (layer id)
    layer_pixels_changed = Signal(str, object)  # layer id, box (x, y, w, h in its pixels): a stroke repaints only that
    current_changed = Signal()
    selection_changed = Signal()
    mask_changed = Signal()  # the whole mask (made, replaced, cleared)
    mask_pixels_changed = Signal(object)  # box in canvas pixels
    geometry_changed = Signal()  # the canvas size (crop, resize, extend, a new project)
    preview_changed = Signal()
    notice = Signal(object)  # why an edit did nothing ("the layer is hidden"), for the status line: a marked Msg

    def __init__(self, session: ProjectSession, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.current_id: str | None = None
        self.selection: Selection | None = None
        self.mask: Image.Image | None = None  # the inpaint mask: canvas-sized L, not a layer, not saved
        self.preview: Preview | None = None
        self.undo_stack = QUndoStack(self)
        self.undo_stack.indexChanged.connect(session.mark_edited)
        session.project_replaced.connect(self._load)
        self._load()

    # ------------------------------------------------------------ the project's canvas

    @property
    def canvas(self) -> Canvas:
        return self.session.project.canvas

    @property
    def layers(self) -> list[Layer]:
        return self.session.project.canvas.layers

    def canvas_size(self) -> tuple[int, int]:
        return self.canvas.width, self.canvas.height

    def find_layer(self, layer_id: str) -> Layer | None:
        return self.session.project.find_layer(layer_id)

    def _load(self) -> None:
        """Show the session's (new, opened or restored) project: undo history, selection, mask and preview start
        afresh; the top layer is current."""
        self.undo_stack.clear()
        self.selection = None
        self.mask = None
        self.current_id = None
        self.reload()
        self.mask_changed.emit()
        self.selection_changed.emit()
        self.set_preview(None)

    def reload(self) -> None:
        """Announce the whole canvas again, after the project's canvas was changed directly (not through this
        model): views redraw everything."""
        self.geometry_changed.emit()
        self.layers_edited()

    def current_layer(self) -> Layer | None:
        return None if self.current_id is None else self.find_layer(self.current_id)

    def set_current(self, layer_id: str | None) -> None:
        """Make `layer_id` the current layer (the one tools paint on); an unknown id picks the top layer."""
        if layer_id is None or self.find_layer(layer_id) is None:
            layer_id = self.layers[-1].id if self.layers else None
        if layer_id != self.current_id:
            self.current_id = layer_id
            self.current_changed.emit()

    # ------------------------------------------------------------ what commands and tools report

    def layers_edited(self, current: str | None = None) -> None:
        """The layer list changed: views rebuild. `current` becomes current (default: the current one stays, or the
        top layer when it is gone)."""
        before = self.current_id
        wanted = current or before
        self.current_id = wanted if wanted is not None and self.find_layer(wanted) is not None else None
        if self.current_id is None and self.layers:
            self.current_id = self.layers[-1].id
        self.layers_changed.emit()  # views read current_id while they rebuild
        if self.current_id != before:
            self.current_changed.emit()

    def layer_edited(self, layer: Layer, current: bool = False) -> None:
        """A property of `layer` (visibility, opacity) or its pixels as a whole changed; `current` makes it current."""
        self.layer_changed.emit(layer.id)
        if current:
            self.set_current(layer.id)

    def layer_pixels_edited(self, layer: Layer, box: ops.Box) -> None:
        """`layer`'s pixels changed inside `box` (its own pixels): a brush dab, a patch."""
        self.layer_pixels_changed.emit(layer.id, box)

    def mask_pixels_edited(self, box: ops.Box) -> None:
        self.mask_pixels_changed.emit(box)

    # ------------------------------------------------------------ reading the picture

    def flattened(self) -> Image.Image:
        """The visible canvas composited: RGBA at canvas size."""
        return flatten(self.canvas)

    def pixel_at(self, x: int, y: int) -> tuple[int, int, int, int]:
        """One pixel of the flattened canvas, composited exactly as `flattened` does, without flattening it all."""
        one = Canvas(1, 1)
        for layer in self.layers:
            if layer.visible:
                dot = ops.crop_layer(layer.image, layer.x, layer.y, (x, y, 1, 1))
                one.layers.append(Layer(layer.name, dot, opacity=layer.opacity))
        r, g, b, a = flatten(one).getpixel((0, 0))  # type: ignore[misc]
        return r, g, b, a

    def paintable_layer(self) -> Layer | None:
        """The current layer if it can be painted on; otherwise None, after a notice saying why."""
        layer = self.current_layer()
        if layer is None:
            self.notice.emit(
                QT_TRANSLATE_NOOP("CanvasModel", "There is no layer to paint on: add one with New in the Layers tab.")
            )
            return None
        if not layer.visible:
            self.notice.emit(
                QT_TRANSLATE_NOOP(
                    "CanvasModel", "“{name}” is hidden: tick it in the Layers tab to paint on it."
                ).format(name=layer.name)
            )
            return None
        return layer

    # ------------------------------------------------------------ layers (each edit one undo step)

    def add_layer(self, layer: Layer) -> None:
        """Add `layer` above the current one (on top when there is none); it becomes current."""
        current = self.current_layer()
        index = self.layers.index(current) + 1 if current else len(self.layers)
        self.undo_stack.push(AddLayer(self, layer, index))

    def new_layer(self) -> None:
        name = QCoreApplication.translate("CanvasModel", "Layer {number}").format(number=len(self.layers) + 1)
        self.add_layer(Layer(name, Image.new("RGBA", self.canvas_size(), (0, 0, 0, 0))))

    def duplicate_layer(self) -> None:
        layer = self.current_layer()
        if layer is not None:
            self.add_layer(
                Layer(
                    QCoreApplication.translate("CanvasModel", "{name} copy").format(name=layer.name),
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
        """Move the current layer up (+1) or down (-1) the stack."""
        layer = self.current_layer()
        if layer is None:
            return
        i = self.layers.index(layer)
        if 0 <= i + delta < len(self.layers):
            self.undo_stack.push(MoveLayer(self, layer, delta))

    def set_visible(self, layer: Layer, visible: bool) -> None:
        if layer.visible != visible:
            self.undo_stack.push(SetLayerProperty(self, layer, "visible", visible))

    def set_opacity(self, layer: Layer, opacity: float) -> None:
        if abs(layer.opacity - opacity) > 1e-6:
            self.undo_stack.push(SetLayerProperty(self, layer, "opacity", opacity))

    def commit_patch(self, layer: Layer, patch: ops.Patch, action: Msg) -> None:
        """A tool's finished edit of `layer` (already applied) as one undo step, named by `action` ("Brush stroke")."""
        self.undo_stack.push(PatchLayer(self, layer, patch, action))

    @contextmanager
    def group(self, label: Msg) -> Iterator[None]:
        """The edits made inside are one undo step named `label`."""
        stack = self.undo_stack
        stack.beginMacro(translated(label))
        try:
            yield
        finally:
            stack.endMacro()
            remember_group_label(stack.command(stack.index() - 1), label)

    def retranslate(self) -> None:
        """The interface language changed: name every undo step in it (Edit ▸ Undo shows them)."""
        for i in range(self.undo_stack.count()):
            retranslate_step(self.undo_stack.command(i))

    # ------------------------------------------------------------ the inpaint mask

    def editable_mask(self) -> Image.Image:
        """The mask image the mask brush paints on (made empty, at canvas size, when there is none)."""
        if self.mask is None or self.mask.size != self.canvas_size():
            self.mask = Image.new("L", self.canvas_size(), 0)
            self.mask_changed.emit()
        return self.mask

    def set_mask(self, mask: Image.Image | None) -> None:
        self.mask = mask
        self.mask_changed.emit()

    def commit_mask_patch(self, patch: ops.Patch, label: Msg) -> None:
        self.undo_stack.push(PatchMask(self, patch, label))

    def mask_image(self) -> Image.Image | None:
        """The painted inpaint mask as an L image at canvas size (255 = repaint); the selection when no mask is
        painted; None when there is neither."""
        if self.mask is not None and self.mask.size == self.canvas_size() and self.mask.getbbox() is not None:
            return self.mask.copy()
        return self.selection_mask()

    def clear_mask(self) -> None:
        """Remove the painted inpaint mask (one undo step; nothing happens when there is none)."""
        if self.mask is not None and self.mask.getbbox() is not None:
            self.undo_stack.push(ReplaceMask(self, self.mask, None, CLEAR_MASK))

    def invert_mask(self) -> None:
        mask = self.editable_mask()
        self.undo_stack.push(ReplaceMask(self, mask, ops.invert_mask(mask), INVERT_MASK))

    # ------------------------------------------------------------ selection (not undoable: cheap to make again)

    def selection_mask(self) -> Image.Image | None:
        return None if self.selection is None else self.selection.mask.copy()

    def selection_bounds(self) -> Rect | None:
        """(x, y, width, height) of the selection in canvas pixels, or None."""
        return None if self.selection is None else ops.mask_bounds(self.selection.mask)

    def selection_for(self, layer: Layer) -> Image.Image | None:
        """The selection in the layer's own pixels (what clips painting), or None when nothing is selected."""
        if self.selection is None:
            return None
        return ops.mask_for_layer(self.selection.mask, layer.x, layer.y, layer.image.size)

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
        self.selection_changed.emit()

    def _everything(self) -> QPainterPath:
        path = QPainterPath()
        path.addRect(QRectF(0, 0, *self.canvas_size()))
        return path

    def select_all(self) -> None:
        self.select_shape(ops.rect_mask(self.canvas_size(), (0, 0, *self.canvas_size())), self._everything())

    def deselect(self) -> None:
        self.selection = None
        self.selection_changed.emit()

    def invert_selection(self) -> None:
        if self.selection is None:
            self.select_all()
            return
        self.select_shape(ops.invert_mask(self.selection.mask), self._everything().subtracted(self.selection.path))

    def clear_selection(self) -> None:
        """Delete: the selected pixels of the current layer become transparent."""
        if self.selection is None:
            self.notice.emit(
                QT_TRANSLATE_NOOP(
                    "CanvasModel", "Nothing is selected: select an area first (M or L), then press Delete."
                )
            )
            return
        layer = self.paintable_layer()
        if layer is None:
            return
        mask = self.selection_for(layer)
        assert mask is not None
        patch = ops.clear_masked(layer.image, mask)
        if patch is not None:
            self.commit_patch(layer, patch, CLEAR_SELECTION)

    # ------------------------------------------------------------ canvas geometry (undoable)

    def capture_state(self) -> CanvasState:
        c = self.canvas
        return CanvasState(
            c.width, c.height, [(layer, layer.image, layer.x, layer.y) for layer in c.layers], self.mask, self.selection
        )

    def restore_state(self, state: CanvasState) -> None:
        c = self.canvas
        c.width, c.height = state.width, state.height
        for layer, image, x, y in state.layers:
            layer.image, layer.x, layer.y = image, x, y
        self.mask = state.mask
        self.selection = state.selection
        self.set_preview(None)  # its rectangle belonged to the old geometry
        self.geometry_changed.emit()
        self.layers_edited()
        self.mask_changed.emit()
        self.selection_changed.emit()

    def crop_to_selection(self) -> None:
        box = self.selection_bounds()
        if box is None:
            self.notice.emit(QT_TRANSLATE_NOOP("CanvasModel", "Select the area to keep first (M or L), then crop."))
            return
        before = self.capture_state()
        after = CanvasState(
            box[2],
            box[3],
            [(layer, ops.crop_layer(image, x, y, box), 0, 0) for layer, image, x, y in before.layers],
            None if before.mask is None else before.mask.crop((box[0], box[1], box[0] + box[2], box[1] + box[3])),
            None,
        )
        label = QT_TRANSLATE_NOOP("CanvasCommands", "Crop to {width}×{height}")
        self.undo_stack.push(
            ChangeCanvas(self, before, after, label.format(width=Number(box[2]), height=Number(box[3])))
        )

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
        label = QT_TRANSLATE_NOOP("CanvasCommands", "Resize image {width}×{height} → {new_width}×{new_height}")
        sizes = {"width": Number(w), "height": Number(h), "new_width": Number(width), "new_height": Number(height)}
        self.undo_stack.push(ChangeCanvas(self, before, after, label.format(**sizes)))

    def extend_canvas(self, left: int, top: int, right: int, bottom: int) -> None:
        """Grow the canvas by margins on each side (undoable); layers, mask and selection move with the picture."""
        margins = (left, top, right, bottom)
        if any(m < 0 for m in margins):
            raise UserError(
                QT_TRANSLATE_NOOP(
                    "CanvasModel",
                    "Canvas margins cannot be negative; use Crop to selection to make the canvas smaller.",
                )
            )
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
        label = QT_TRANSLATE_NOOP("CanvasCommands", "Canvas size {width}×{height} → {new_width}×{new_height}")
        sizes = {"width": Number(w), "height": Number(h), "new_width": Number(new_w), "new_height": Number(new_h)}
        self.undo_stack.push(ChangeCanvas(self, before, after, label.format(**sizes)))

    def grow_to(self, x: int, y: int, size: tuple[int, int]) -> None:
        """Extend the canvas right and down so an image of `size` at (x, y) fits (an upscaled layer)."""
        right, bottom = max(0, x + size[0] - self.canvas.width), max(0, y + size[1] - self.canvas.height)
        if right or bottom:
            self.extend_canvas(0, 0, right, bottom)

    # ------------------------------------------------------------ the generation preview

    def set_preview(self, image: Image.Image | None, rect: Rect | None = None) -> None:
        """Show a generation preview scaled into `rect` (default the whole canvas) above every layer; None removes
        it."""
        if image is None:
            if self.preview is None:
                return
            self.preview = None
        else:
            self.preview = Preview(image, rect if rect is not None else (0, 0, *self.canvas_size()))
        self.preview_changed.emit()
