"""The CanvasModel and the ImageGeneration state on their own, with no widget at all: the current layer, the
selection, the mask, geometry and undo work on the model, and every change is announced by a signal the views use."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRectF
from PySide6.QtGui import QPainterPath
from PySide6.QtWidgets import QApplication

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.image.job import ImageMode, ImageParams
from aigc_desktop.core.models.registry import ModelRegistry
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.project.model import Canvas, Layer, Project
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.state.canvas_commands import BRUSH_STROKE, PAINT_MASK
from aigc_desktop.state.context import AppContext
from aigc_desktop.state.image_generation import ImageGeneration, ImageRequest
from aigc_desktop.state.session import ProjectSession

W, H = 40, 30
RED = (255, 0, 0, 255)


class Signals:
    """Every signal of a CanvasModel, recorded as (name, *arguments) in the order they came."""

    NAMES = (
        "layers_changed",
        "layer_changed",
        "layer_pixels_changed",
        "current_changed",
        "selection_changed",
        "mask_changed",
        "mask_pixels_changed",
        "geometry_changed",
        "preview_changed",
        "notice",
    )

    def __init__(self, model: CanvasModel) -> None:
        self.seen: list[tuple[object, ...]] = []
        for name in self.NAMES:
            getattr(model, name).connect(lambda *args, n=name: self.seen.append((n, *args)))

    def names(self) -> list[str]:
        return [str(s[0]) for s in self.seen]

    def take(self) -> list[tuple[object, ...]]:
        seen, self.seen = self.seen, []
        return seen


@pytest.fixture
def session(qapp: QApplication, paths: AppPaths) -> ProjectSession:
    s = ProjectSession(ModelRegistry(paths))
    s.replace(Project(canvas=Canvas(W, H)), None)
    return s


@pytest.fixture
def model(session: ProjectSession) -> Iterator[CanvasModel]:
    m = CanvasModel(session)
    yield m
    m.deleteLater()


def add(model: CanvasModel, name: str, colour: tuple[int, int, int, int] = (0, 0, 0, 0)) -> Layer:
    layer = Layer(name, Image.new("RGBA", (W, H), colour))
    model.add_layer(layer)
    return layer


def names(model: CanvasModel) -> list[str]:
    return [layer.name for layer in model.layers]


def test_new_layers_go_above_the_current_one_and_become_current(model: CanvasModel) -> None:
    signals = Signals(model)
    a = add(model, "a")
    assert model.current_id == a.id and signals.names() == ["layers_changed", "current_changed"]
    c = add(model, "c")
    model.set_current(a.id)
    b = add(model, "b")
    assert names(model) == ["a", "b", "c"] and model.current_layer() is b
    model.set_current("no such layer")
    assert model.current_layer() is c  # an unknown id picks the top layer


def test_the_current_layer_survives_a_reorder_and_an_undo(model: CanvasModel, session: ProjectSession) -> None:
    a, b, c = add(model, "a"), add(model, "b"), add(model, "c")
    model.set_current(b.id)
    signals = Signals(model)
    model.move_layer(+1)
    assert names(model) == ["a", "c", "b"] and model.current_layer() is b
    assert signals.names() == ["layers_changed"]  # the current layer did not change: no current_changed
    model.undo_stack.undo()
    assert names(model) == ["a", "b", "c"] and model.current_layer() is b
    model.set_opacity(c, 0.5)  # editing a layer's property makes it current, as clicking it would
    assert model.current_layer() is c and c.opacity == 0.5
    model.undo_stack.undo()
    assert c.opacity == 1.0 and model.current_layer() is c
    model.set_current(a.id)
    model.delete_layer()
    assert names(model) == ["b", "c"] and model.current_layer() is c  # the current one gone: the top layer
    model.undo_stack.undo()
    assert names(model) == ["a", "b", "c"] and model.current_layer() is a  # it comes back, current again
    assert session.dirty  # undoable edits mark the project changed


def test_visibility_and_opacity_are_one_layer_changes(model: CanvasModel) -> None:
    a, b = add(model, "a"), add(model, "b")
    signals = Signals(model)
    model.set_visible(a, False)
    assert not a.visible and signals.take() == [("layer_changed", a.id), ("current_changed",)]
    model.set_visible(a, False)  # no change, no undo step
    model.set_opacity(b, 0.4)
    model.set_opacity(b, 0.3)
    assert model.undo_stack.count() == 2 + 2  # two adds, visibility, and the opacity moves merged into one
    model.undo_stack.undo()
    assert b.opacity == 1.0 and ("layer_changed", b.id) in signals.take()


def test_a_stroke_committed_on_the_model_is_one_undo_step(model: CanvasModel) -> None:
    layer = add(model, "paint")
    signals = Signals(model)
    stroke = ops.Stroke(layer.image, ops.StrokeMode.PAINT, 6, 1.0, RED, clip=model.selection_for(layer))
    box = stroke.add((10, 10))
    assert box is not None
    model.layer_pixels_edited(layer, box)  # what the brush tool reports per dab
    stroke.add((30, 10))
    patch = stroke.finish()
    assert patch is not None
    painted = layer.image.tobytes()
    steps = model.undo_stack.count()
    model.commit_patch(layer, patch, BRUSH_STROKE)
    assert model.undo_stack.count() == steps + 1 and layer.image.tobytes() == painted
    assert signals.seen[0] == ("layer_pixels_changed", layer.id, box)
    assert signals.seen[-2:] == [("layer_pixels_changed", layer.id, patch.box), ("layer_changed", layer.id)]
    model.undo_stack.undo()
    assert layer.image.getbbox() is None
    model.undo_stack.redo()
    assert layer.image.tobytes() == painted


def test_painting_needs_a_visible_current_layer_and_says_why(model: CanvasModel) -> None:
    signals = Signals(model)
    assert model.paintable_layer() is None
    assert signals.take() == [("notice", "There is no layer to paint on: add one with New in the Layers tab.")]
    layer = add(model, "sky")
    model.set_visible(layer, False)
    signals.take()
    assert model.paintable_layer() is None and "“sky” is hidden" in str(signals.take()[0][1])


def test_selection_changes_are_announced_and_clip_to_the_layer(model: CanvasModel) -> None:
    layer = Layer("offset", Image.new("RGBA", (20, 20), RED), x=10, y=5)
    model.add_layer(layer)
    signals = Signals(model)
    path = QPainterPath()
    path.addRect(QRectF(0, 0, 20, 10))
    model.select_shape(ops.rect_mask((W, H), (0, 0, 20, 10)), path)
    assert signals.take() == [("selection_changed",)] and model.selection_bounds() == (0, 0, 20, 10)
    clip = model.selection_for(layer)
    assert clip is not None and clip.size == (20, 20) and clip.getbbox() == (0, 0, 10, 5)  # in the layer's pixels
    model.invert_selection()
    assert model.selection_bounds() == (0, 0, W, H) and np.asarray(model.selection_mask())[5, 5] == 0
    model.clear_selection()  # the unselected pixels of the layer go
    assert layer.image.getpixel((0, 0)) == RED and layer.image.getpixel((15, 15))[3] == 0
    model.deselect()
    assert model.selection is None and signals.names().count("selection_changed") == 2
    model.clear_selection()
    assert signals.seen[-1] == ("notice", "Nothing is selected: select an area first (M or L), then press Delete.")


def test_mask_edits_are_announced_and_undoable(model: CanvasModel) -> None:
    signals = Signals(model)
    assert model.mask_image() is None
    mask = model.editable_mask()
    assert mask.size == (W, H) and signals.take() == [("mask_changed",)]
    stroke = ops.Stroke(mask, ops.StrokeMode.MASK, 10, hardness=1.0)
    stroke.add((20, 15))
    patch = stroke.finish()
    assert patch is not None
    model.commit_mask_patch(patch, PAINT_MASK)
    assert signals.take() == [("mask_pixels_changed", patch.box)]
    assert model.mask_image().getpixel((20, 15)) == 255  # type: ignore[union-attr]
    model.clear_mask()
    assert model.mask is None and model.mask_image() is None and signals.take() == [("mask_changed",)]
    model.undo_stack.undo()
    assert model.mask_image().getpixel((20, 15)) == 255  # type: ignore[union-attr]
    model.invert_mask()
    assert model.mask_image().getpixel((0, 0)) == 255  # type: ignore[union-attr]


def test_geometry_changes_move_everything_and_undo(model: CanvasModel) -> None:
    layer = add(model, "a", RED)
    model.editable_mask().putpixel((1, 1), 255)
    model.select_all()
    model.set_preview(Image.new("RGB", (8, 8)))
    assert model.preview is not None and model.preview.rect == (0, 0, W, H)
    signals = Signals(model)
    model.extend_canvas(5, 0, 0, 10)
    assert model.canvas_size() == (W + 5, H + 10) and (layer.x, layer.y) == (5, 0)
    assert model.mask is not None and model.mask.getpixel((6, 1)) == 255
    assert model.selection_bounds() == (5, 0, W, H)
    assert model.preview is None  # its rectangle belonged to the old geometry
    assert {"geometry_changed", "layers_changed", "mask_changed", "selection_changed", "preview_changed"} <= set(
        signals.names()
    )
    model.crop_to_selection()
    assert model.canvas_size() == (W, H) and (layer.x, layer.y) == (0, 0) and model.selection is None
    model.undo_stack.undo()
    model.undo_stack.undo()
    assert model.canvas_size() == (W, H) and (layer.x, layer.y) == (0, 0) and model.selection_bounds() == (0, 0, W, H)
    with pytest.raises(UserError):
        model.extend_canvas(-1, 0, 0, 0)
    model.grow_to(30, 20, (20, 20))
    assert model.canvas_size() == (50, 40)


def test_a_new_project_starts_afresh(model: CanvasModel, session: ProjectSession) -> None:
    add(model, "old")
    model.select_all()
    model.editable_mask()
    signals = Signals(model)
    top = Layer("top", Image.new("RGBA", (8, 8)))
    session.replace(Project(canvas=Canvas(8, 8, [Layer("bottom", Image.new("RGBA", (8, 8))), top])), None)
    assert model.layers is session.project.canvas.layers and model.canvas_size() == (8, 8)
    assert model.current_layer() is top and model.selection is None and model.mask is None
    assert model.undo_stack.count() == 0 and not session.dirty
    assert {"geometry_changed", "layers_changed", "current_changed", "selection_changed", "mask_changed"} <= set(
        signals.names()
    )


def test_generation_state_works_on_the_model_without_widgets(model: CanvasModel, paths: AppPaths) -> None:
    ctx = AppContext.start(paths)
    try:
        generation = ImageGeneration(ctx, model)
        statuses: list[str] = []
        generation.status_changed.connect(statuses.append)
        img2img = ImageRequest(ImageMode.IMG2IMG, "image/any", ImageParams(mode="img2img"))
        with pytest.raises(UserError, match="Select a layer"):
            generation.generate(img2img, "Variations")
        layer = add(model, "small", RED)
        upscale = ImageRequest(ImageMode.UPSCALE, None, ImageParams(mode="upscale", upscale_factor=2))
        assert generation.generate(upscale, "Upscale") is None  # no model: Lanczos, at once
        big = model.layers[-1]
        assert big.name == "small ×2 (Lanczos)" and big.image.size == (2 * W, 2 * H) and big.spec_id is None
        assert model.canvas_size() == (2 * W, 2 * H) and model.current_layer() is big and layer in model.layers
        assert "Lanczos" in statuses[-1] and not generation.running and ctx.queue.idle()
    finally:
        ctx.queue.shutdown()
