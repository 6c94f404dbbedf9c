"""The canvas's undo steps: layer list changes, pixel patches (strokes, fills, text, clears), mask edits and canvas
geometry (crop, resize, extend). Each redo/undo changes the project (or the model's mask) and tells the CanvasModel
what changed; the model's signals tell the views. No widget is involved: they run on a model alone.

A step's name (what Edit ▸ Undo shows) is a marked `Msg` with the layer's name and numbers in its values, set in the
interface language and set again by `retranslate` after a switch (CanvasModel.retranslate walks the stack).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PIL import Image
from PySide6.QtGui import QUndoCommand

from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.image.canvas_ops import Patch
from aigc_desktop.core.project.model import Layer
from aigc_desktop.state.localized import translated

if TYPE_CHECKING:
    from aigc_desktop.state.canvas import CanvasModel, Selection


# The edits tools and the model name their undo steps by (a PatchLayer says which layer).
BRUSH_STROKE = QT_TRANSLATE_NOOP("CanvasCommands", "Brush stroke")
ERASE = QT_TRANSLATE_NOOP("CanvasCommands", "Erase")
FILL = QT_TRANSLATE_NOOP("CanvasCommands", "Fill")
TEXT = QT_TRANSLATE_NOOP("CanvasCommands", "Text")
CLEAR_SELECTION = QT_TRANSLATE_NOOP("CanvasCommands", "Clear selection")
PAINT_MASK = QT_TRANSLATE_NOOP("CanvasCommands", "Paint mask")
ERASE_MASK = QT_TRANSLATE_NOOP("CanvasCommands", "Erase mask")
CLEAR_MASK = QT_TRANSLATE_NOOP("CanvasCommands", "Clear mask")
INVERT_MASK = QT_TRANSLATE_NOOP("CanvasCommands", "Invert mask")
SHOW_LAYER = QT_TRANSLATE_NOOP("CanvasCommands", "Show {name}")
HIDE_LAYER = QT_TRANSLATE_NOOP("CanvasCommands", "Hide {name}")
CHANGE_OPACITY = QT_TRANSLATE_NOOP("CanvasCommands", "Change opacity of {name}")


class _ModelCommand(QUndoCommand):
    """An undo step of the canvas, named by `label` (a marked Msg) in the interface language."""

    def __init__(self, model: CanvasModel, label: Msg) -> None:
        super().__init__()
        self.model = model
        self.label = label
        self.group_label: Msg | None = None  # set on the first step of a group: the group's name (CanvasModel.group)
        self.retranslate()

    def retranslate(self) -> None:
        self.setText(translated(self.label))

    @property
    def layers(self) -> list[Layer]:
        return self.model.layers


class AddLayer(_ModelCommand):
    def __init__(self, model: CanvasModel, layer: Layer, index: int) -> None:
        super().__init__(model, QT_TRANSLATE_NOOP("CanvasCommands", "Add layer {name}").format(name=layer.name))
        self.layer, self.index = layer, index

    def redo(self) -> None:
        self.layers.insert(self.index, self.layer)
        self.model.layers_edited(current=self.layer.id)

    def undo(self) -> None:
        self.layers.remove(self.layer)
        self.model.layers_edited()


class RemoveLayer(_ModelCommand):
    def __init__(self, model: CanvasModel, layer: Layer) -> None:
        super().__init__(model, QT_TRANSLATE_NOOP("CanvasCommands", "Delete layer {name}").format(name=layer.name))
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
        super().__init__(model, QT_TRANSLATE_NOOP("CanvasCommands", "Move layer {name}").format(name=layer.name))
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
        label = CHANGE_OPACITY if name == "opacity" else SHOW_LAYER if value else HIDE_LAYER
        super().__init__(model, label.format(name=layer.name))
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

    def __init__(self, model: CanvasModel, layer: Layer, patch: Patch, action: Msg) -> None:
        super().__init__(
            model, QT_TRANSLATE_NOOP("CanvasCommands", "{action} on {name}").format(action=action, name=layer.name)
        )
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

    def __init__(self, model: CanvasModel, patch: Patch, label: Msg = PAINT_MASK) -> None:
        super().__init__(model, label)
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

    def __init__(self, model: CanvasModel, before: Image.Image | None, after: Image.Image | None, label: Msg) -> None:
        super().__init__(model, label)
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

    def __init__(self, model: CanvasModel, before: CanvasState, after: CanvasState, label: Msg) -> None:
        super().__init__(model, label)
        self.before, self.after = before, after

    def redo(self) -> None:
        self.model.restore_state(self.after)

    def undo(self) -> None:
        self.model.restore_state(self.before)


def remember_group_label(group: QUndoCommand | None, label: Msg) -> None:
    """Keep the name of a group of our steps (a QUndoStack macro: Qt's object, not ours) on its first step, where
    `retranslate_step` finds it."""
    first = group.child(0) if group is not None and group.childCount() else None
    if isinstance(first, _ModelCommand):
        first.group_label = label


def retranslate_step(command: QUndoCommand) -> None:
    """Name an undo step again in the interface language: one of ours, or a group of ours (CanvasModel.group)."""
    if isinstance(command, _ModelCommand):
        command.retranslate()
        return
    first = command.child(0) if command.childCount() else None
    if isinstance(first, _ModelCommand) and first.group_label is not None:
        command.setText(translated(first.group_label))
    for i in range(command.childCount()):
        child = command.child(i)
        if isinstance(child, _ModelCommand):
            child.retranslate()
