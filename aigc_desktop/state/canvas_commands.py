"""The canvas's undo steps: layer list changes, pixel patches (strokes, fills, text, clears), mask edits and canvas
geometry (crop, resize, extend). Each redo/undo changes the project (or the model's mask) and tells the CanvasModel
what changed; the model's signals tell the views. No widget is involved: they run on a model alone."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtGui import QUndoCommand

from aigc_desktop.core.image.canvas_ops import Patch
from aigc_desktop.core.project.model import Layer

if TYPE_CHECKING:
    from aigc_desktop.state.canvas import CanvasModel, Selection


class _ModelCommand(QUndoCommand):
    def __init__(self, model: CanvasModel, text: str) -> None:
        super().__init__(text)
        self.model = model

    @property
    def layers(self) -> list[Layer]:
        return self.model.layers


class AddLayer(_ModelCommand):
    def __init__(self, model: CanvasModel, layer: Layer, index: int) -> None:
        super().__init__(model, f"Add layer {layer.name}")
        self.layer, self.index = layer, index

    def redo(self) -> None:
        self.layers.insert(self.index, self.layer)
        self.model.layers_edited(current=self.layer.id)

    def undo(self) -> None:
        self.layers.remove(self.layer)
        self.model.layers_edited()


class RemoveLayer(_ModelCommand):
    def __init__(self, model: CanvasModel, layer: Layer) -> None:
        super().__init__(model, f"Delete layer {layer.name}")
        self.layer = layer
        self.index = model.layers.index(layer)

    def redo(self) -> None:
        self.layers.remove(self.layer)
        self.model.layers_edited()

    def undo(self) -> None:
        self.layers.insert(self.index, self.layer)
        self.model.layers_edited(current=self.layer.id)


class MoveLayer(_ModelCommand):
    def __init__(self, model: CanvasModel, layer: Layer, delta: int) -> None:
        super().__init__(model, f"Move layer {layer.name}")
        self.layer, self.delta = layer, delta

    def _move(self, delta: int) -> None:
        i = self.layers.index(self.layer)
        self.layers.insert(i + delta, self.layers.pop(i))
        self.model.layers_edited(current=self.layer.id)

    def redo(self) -> None:
        self._move(self.delta)

    def undo(self) -> None:
        self._move(-self.delta)


class SetLayerProperty(_ModelCommand):
    """Visibility or opacity; consecutive opacity changes of one layer merge into one undo step."""

    MERGE_ID = 1

    def __init__(self, model: CanvasModel, layer: Layer, name: str, value: object) -> None:
        super().__init__(model, f"Change {name} of {layer.name}")
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
        self.model.layer_edited(self.layer, current=True)

    def undo(self) -> None:
        setattr(self.layer, self.name, self.old)
        self.model.layer_edited(self.layer, current=True)


class PatchLayer(_ModelCommand):
    """A stroke, fill, text or clear on one layer: only the changed rectangle is kept and redrawn."""

    def __init__(self, model: CanvasModel, layer: Layer, patch: Patch, text: str) -> None:
        super().__init__(model, f"{text} on {layer.name}")
        self.layer, self.patch = layer, patch

    def _apply(self, after: bool) -> None:
        self.patch.apply(self.layer.image, after)
        self.model.layer_pixels_edited(self.layer, self.patch.box)
        self.model.layer_edited(self.layer)  # its thumbnail

    def redo(self) -> None:
        self._apply(True)  # the first redo repeats what the tool already did: cheap, and keeps one code path

    def undo(self) -> None:
        self._apply(False)


class PatchMask(_ModelCommand):
    """A stroke of the inpaint-mask brush (the mask is not part of the project, but losing one to a slip hurts)."""

    def __init__(self, model: CanvasModel, patch: Patch, text: str = "Paint mask") -> None:
        super().__init__(model, text)
        self.patch = patch

    def _apply(self, after: bool) -> None:
        self.patch.apply(self.model.editable_mask(), after)
        self.model.mask_pixels_edited(self.patch.box)

    def redo(self) -> None:
        self._apply(True)

    def undo(self) -> None:
        self._apply(False)


class ReplaceMask(_ModelCommand):
    """Clear or invert the whole inpaint mask."""

    def __init__(self, model: CanvasModel, before: Image.Image | None, after: Image.Image | None, text: str) -> None:
        super().__init__(model, text)
        self.before, self.after = before, after

    def redo(self) -> None:
        self.model.set_mask(self.after)

    def undo(self) -> None:
        self.model.set_mask(self.before)


@dataclass
class CanvasState:
    """What a geometry change touches: canvas size, each layer's pixels and offset, the mask and the selection."""

    width: int
    height: int
    layers: list[tuple[Layer, Image.Image, int, int]]
    mask: Image.Image | None
    selection: Selection | None


class ChangeCanvas(_ModelCommand):
    """Crop, resize or extend the canvas. The states hold image references, so extending (which only moves layers)
    stores no pixels at all."""

    def __init__(self, model: CanvasModel, before: CanvasState, after: CanvasState, text: str) -> None:
        super().__init__(model, text)
        self.before, self.after = before, after

    def redo(self) -> None:
        self.model.restore_state(self.after)

    def undo(self) -> None:
        self.model.restore_state(self.before)
