"""The Canvas pane's undo steps: layer list changes, pixel patches (strokes, fills, text, clears), mask edits and
canvas geometry (crop, resize, extend). Each redo/undo changes the project and tells the pane what to redraw."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtGui import QUndoCommand

from aigc_desktop.core.image.canvas_ops import Patch
from aigc_desktop.core.project.model import Layer

if TYPE_CHECKING:
    from aigc_desktop.ui.canvas_pane import CanvasPane
    from aigc_desktop.ui.canvas_view import Selection


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


class PatchLayer(_LayerCommand):
    """A stroke, fill, text or clear on one layer: only the changed rectangle is kept and redrawn."""

    def __init__(self, pane: CanvasPane, layer: Layer, patch: Patch, text: str) -> None:
        super().__init__(pane, f"{text} on {layer.name}")
        self.layer, self.patch = layer, patch

    def _apply(self, after: bool) -> None:
        self.patch.apply(self.layer.image, after)
        self.pane.update_layer_region(self.layer, self.patch.box)
        self.pane.update_thumbnail(self.layer)

    def redo(self) -> None:
        self._apply(True)  # the first redo repeats what the tool already did: cheap, and keeps one code path

    def undo(self) -> None:
        self._apply(False)


class PatchMask(QUndoCommand):
    """A stroke of the inpaint-mask brush (the mask is not part of the project, but losing one to a slip hurts)."""

    def __init__(self, pane: CanvasPane, patch: Patch, text: str = "Paint mask") -> None:
        super().__init__(text)
        self.pane, self.patch = pane, patch

    def _apply(self, after: bool) -> None:
        mask = self.pane.mask_layer()
        self.patch.apply(mask, after)
        self.pane.update_mask_region(self.patch.box)

    def redo(self) -> None:
        self._apply(True)

    def undo(self) -> None:
        self._apply(False)


class ReplaceMask(QUndoCommand):
    """Clear or invert the whole inpaint mask."""

    def __init__(self, pane: CanvasPane, before: Image.Image | None, after: Image.Image | None, text: str) -> None:
        super().__init__(text)
        self.pane, self.before, self.after = pane, before, after

    def redo(self) -> None:
        self.pane.set_mask(self.after)

    def undo(self) -> None:
        self.pane.set_mask(self.before)


@dataclass
class CanvasState:
    """What a geometry change touches: canvas size, each layer's pixels and offset, the mask and the selection."""

    width: int
    height: int
    layers: list[tuple[Layer, Image.Image, int, int]]
    mask: Image.Image | None
    selection: Selection | None


class ChangeCanvas(QUndoCommand):
    """Crop, resize or extend the canvas. The states hold image references, so extending (which only moves layers)
    stores no pixels at all."""

    def __init__(self, pane: CanvasPane, before: CanvasState, after: CanvasState, text: str) -> None:
        super().__init__(text)
        self.pane, self.before, self.after = pane, before, after

    def redo(self) -> None:
        self.pane.restore_state(self.after)

    def undo(self) -> None:
        self.pane.restore_state(self.before)
