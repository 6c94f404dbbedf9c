"""The Canvas pane's tools in the real window, driven by simulated mouse and key events on the view; what they do is
read back from the CanvasModel they edit (tests/test_canvas_model.py drives the model with no widget at all)."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.image import canvas_ops as ops
from aigc_desktop.core.project.model import Layer
from aigc_desktop.state.canvas import CanvasModel
from aigc_desktop.ui.canvas.pane import CanvasPane
from aigc_desktop.ui.main_window import MainWindow

W, H = 200, 150
RED = (255, 0, 0, 255)
NO = Qt.KeyboardModifier.NoModifier
LEFT = Qt.MouseButton.LeftButton


class Canvas:
    """The window's Canvas pane on a 200×150 canvas at 100 % zoom, with helpers that click and drag in canvas pixels."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.pane: CanvasPane = window.canvas_pane
        self.model: CanvasModel = window.canvas_model
        assert self.pane.model is self.model
        window.show_pane(self.pane)
        canvas = window.session.project.canvas
        canvas.width, canvas.height = W, H
        self.model.reload()
        self.view = self.pane.view
        self.vp = self.view.viewport()
        self.view.set_zoom(1.0)
        self.view.centerOn(W / 2, H / 2)
        QApplication.processEvents()

    def layer(self, image: Image.Image | None = None, name: str = "paint") -> Layer:
        layer = Layer(name, image if image is not None else Image.new("RGBA", (W, H), (0, 0, 0, 0)))
        self.model.add_layer(layer)
        return layer

    def at(self, x: float, y: float) -> QPoint:
        return self.view.mapFromScene(QPointF(x, y))

    def drag(self, points: list[tuple[float, float]], mods: Qt.KeyboardModifier = NO) -> None:
        QTest.mousePress(self.vp, LEFT, mods, self.at(*points[0]))
        for p in points[1:]:
            QTest.mouseMove(self.vp, self.at(*p))
        QTest.mouseRelease(self.vp, LEFT, mods, self.at(*points[-1]))

    def click(self, x: float, y: float, mods: Qt.KeyboardModifier = NO) -> None:
        QTest.mouseClick(self.vp, LEFT, mods, self.at(x, y))

    def brush(self, tool: str, size: int, colour: tuple[int, int, int, int] = RED, hardness: float = 1.0) -> None:
        self.pane.set_tool(tool)
        self.pane.settings.sizes[tool] = size
        self.pane.settings.hardness = hardness
        self.pane.set_colour(colour)


@pytest.fixture
def canvas(window: MainWindow) -> Canvas:
    return Canvas(window)


def segment_distance(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    """Distance of every pixel centre of the canvas to the segment (x0, y0)–(x1, y1)."""
    ys, xs = np.mgrid[0:H, 0:W].astype(np.float64) + 0.5
    dx, dy = x1 - x0, y1 - y0
    t = np.clip(((xs - x0) * dx + (ys - y0) * dy) / max(dx * dx + dy * dy, 1e-9), 0, 1)
    return np.hypot(xs - (x0 + t * dx), ys - (y0 + t * dy))


# ---------------------------------------------------------------- brush, eraser, fill, text


def test_brush_stroke_paints_the_right_pixels_and_is_one_undo_step(canvas: Canvas) -> None:
    layer = canvas.layer()
    canvas.brush("brush", 10)
    steps = canvas.model.undo_stack.count()
    canvas.drag([(40, 50)] + [(x, 50) for x in range(45, 121, 5)])
    px = np.asarray(layer.image)
    d = segment_distance(40, 50, 120, 50)
    assert (px[d <= 4.5] == RED).all()
    assert (px[d >= 5.5][:, 3] == 0).all()
    assert canvas.model.undo_stack.count() == steps + 1
    painted = px.copy()
    canvas.window.action_undo.trigger()  # the Edit menu routes to the canvas
    assert layer.image.getbbox() is None
    canvas.window.action_redo.trigger()
    assert np.array_equal(np.asarray(layer.image), painted)


def test_the_view_shows_the_stroke(canvas: Canvas) -> None:
    canvas.layer()
    canvas.brush("brush", 16, (0, 0, 255, 255))
    canvas.drag([(60, 60), (140, 60)])
    shot = canvas.vp.grab().toImage()
    assert shot.pixelColor(canvas.at(100, 60)).getRgb()[:3] == (0, 0, 255)
    assert shot.pixelColor(canvas.at(100, 100)).getRgb()[:3] != (0, 0, 255)


def test_eraser_makes_pixels_transparent(canvas: Canvas) -> None:
    layer = canvas.layer(Image.new("RGBA", (W, H), (10, 200, 30, 255)))
    canvas.brush("eraser", 20)
    canvas.drag([(100, 20), (100, 130)])
    a = np.asarray(layer.image)[..., 3]
    d = segment_distance(100, 20, 100, 130)
    assert (a[d <= 9.5] == 0).all() and (a[d >= 10.5] == 255).all()
    canvas.pane.undo()
    assert (np.asarray(layer.image)[..., 3] == 255).all()


def test_fill_follows_the_tolerance(canvas: Canvas) -> None:
    image = Image.new("RGBA", (W, H), (100, 100, 100, 255))
    image.paste((112, 112, 112, 255), (100, 0, W, H))
    layer = canvas.layer(image)
    canvas.pane.set_tool("fill")
    canvas.pane.set_colour(RED)
    canvas.pane.settings.tolerance = 5
    canvas.click(20, 20)
    px = np.asarray(layer.image)
    assert (px[:, :100] == RED).all() and (px[:, 100:, 0] == 112).all()
    canvas.pane.undo()
    canvas.pane.settings.tolerance = 20
    canvas.click(20, 20)
    assert (np.asarray(layer.image) == RED).all()


def test_text_tool_rasterises_what_was_typed(canvas: Canvas) -> None:
    layer = canvas.layer()
    canvas.pane.set_tool("text")
    canvas.pane.settings.font_size = 32
    canvas.pane.set_colour((0, 0, 255, 255))
    steps = canvas.model.undo_stack.count()
    canvas.click(20, 40)
    QTest.keyClicks(canvas.view, "Hi Bob")  # B, E, … are tool shortcuts: while typing they are letters
    assert canvas.pane.tool.name == "text"
    assert canvas.pane.tools["text"].editor.toPlainText() == "Hi Bob"  # type: ignore[attr-defined]
    assert layer.image.getbbox() is None  # nothing is placed until Enter
    QTest.keyClick(canvas.view, Qt.Key.Key_Return)
    box = layer.image.getbbox()
    assert box is not None
    x0, y0, x1, y1 = box
    assert 20 <= x0 <= 26 and 40 <= y0 <= 52 and x1 > x0 + 60 and y1 <= 40 + 40
    px = np.asarray(layer.image)
    solid = px[px[..., 3] == 255]
    assert len(solid) > 50 and (solid[:, :3] == (0, 0, 255)).all()
    assert canvas.model.undo_stack.count() == steps + 1
    assert not [i for i in canvas.pane.scene.items() if i is canvas.pane.tools["text"].editor]  # type: ignore[attr-defined]


def test_escape_drops_the_text_and_switching_tools_keeps_it(canvas: Canvas) -> None:
    layer = canvas.layer()
    canvas.pane.set_tool("text")
    canvas.click(10, 10)
    QTest.keyClicks(canvas.view, "gone")
    QTest.keyClick(canvas.view, Qt.Key.Key_Escape)
    assert layer.image.getbbox() is None and canvas.pane.tools["text"].editor is None  # type: ignore[attr-defined]
    canvas.click(10, 10)
    QTest.keyClicks(canvas.view, "kept")
    canvas.pane.set_tool("brush")
    assert layer.image.getbbox() is not None


# ---------------------------------------------------------------- selection


def test_rectangle_selection_adds_subtracts_and_a_click_deselects(canvas: Canvas) -> None:
    pane = canvas.pane
    pane.set_tool("rect_select")
    canvas.drag([(10, 10), (30, 20), (60, 40)])
    assert canvas.model.selection_bounds() == (10, 10, 50, 30)
    mask = canvas.model.selection_mask()
    assert mask is not None and mask.mode == "L" and mask.size == (W, H)
    assert np.array_equal(np.asarray(mask), np.asarray(ops.rect_mask((W, H), (10, 10, 50, 30))))
    canvas.drag([(100, 100), (120, 130)], Qt.KeyboardModifier.ShiftModifier)
    assert canvas.model.selection_bounds() == (10, 10, 110, 120)
    canvas.drag([(0, 0), (200, 60)], Qt.KeyboardModifier.ControlModifier)
    assert canvas.model.selection_bounds() == (100, 100, 20, 30)
    canvas.click(150, 20)
    assert canvas.model.selection_mask() is None and canvas.model.selection_bounds() is None


def test_lasso_selection_is_the_drawn_polygon(canvas: Canvas) -> None:
    pane = canvas.pane
    pane.set_tool("lasso")
    corners = [(20, 20), (120, 20), (20, 120)]
    points = [corners[0]] + [(x, 20) for x in range(30, 121, 10)] + [(120 - t, 20 + t) for t in range(10, 101, 10)]
    canvas.drag(points)
    mask = canvas.model.selection_mask()
    assert mask is not None
    expected = np.asarray(ops.polygon_mask((W, H), corners)) > 0
    got = np.asarray(mask) > 0
    assert (got != expected).sum() < 150  # the same triangle, give or take its edge pixels
    assert got[30, 30] and not got[110, 110]
    x, y, w, h = canvas.model.selection_bounds()  # type: ignore[misc]
    assert abs(x - 20) <= 1 and abs(y - 20) <= 1 and abs(w - 100) <= 2 and abs(h - 100) <= 2
    pane.canvas_actions["invert_selection"].trigger()
    assert np.asarray(canvas.model.selection_mask())[110, 110] == 255
    pane.canvas_actions["select_all"].trigger()
    assert canvas.model.selection_bounds() == (0, 0, W, H)
    pane.canvas_actions["deselect"].trigger()
    assert canvas.model.selection_bounds() is None


def test_painting_and_filling_are_clipped_to_the_selection(canvas: Canvas) -> None:
    layer = canvas.layer()
    pane = canvas.pane
    pane.set_tool("rect_select")
    canvas.drag([(50, 0), (100, 150)])
    canvas.brush("brush", 12)
    canvas.drag([(20, 40), (180, 40)])
    a = np.asarray(layer.image)[..., 3]
    assert (a[40, 50:100] == 255).all()
    assert (a[:, :50] == 0).all() and (a[:, 100:] == 0).all()
    pane.set_tool("fill")
    pane.set_colour((0, 255, 0, 255))
    canvas.click(150, 120)  # outside the selection: nothing to fill there
    assert (np.asarray(layer.image)[:, 100:, 3] == 0).all()
    canvas.click(60, 120)
    px = np.asarray(layer.image)
    assert tuple(px[120, 75]) == (0, 255, 0, 255) and px[120, 120, 3] == 0


def test_delete_clears_the_selection_on_the_current_layer(canvas: Canvas) -> None:
    layer = canvas.layer(Image.new("RGBA", (W, H), (9, 9, 9, 255)))
    pane = canvas.pane
    pane.canvas_actions["clear_selection"].trigger()
    assert "Nothing is selected" in pane.status_label.text()
    pane.set_tool("rect_select")
    canvas.drag([(10, 10), (40, 30)])
    pane.canvas_actions["clear_selection"].trigger()
    a = np.asarray(layer.image)[..., 3]
    assert (a[10:30, 10:40] == 0).all() and a[5, 5] == 255 and a[30, 40] == 255
    pane.undo()
    assert (np.asarray(layer.image)[..., 3] == 255).all()


# ---------------------------------------------------------------- canvas geometry


def dot_layer(canvas: Canvas, x: int, y: int) -> Layer:
    image = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    image.putpixel((x, y), RED)
    return canvas.layer(image)


def test_crop_to_selection_and_undo(canvas: Canvas) -> None:
    layer = dot_layer(canvas, 70, 40)
    pane = canvas.pane
    pane.canvas_actions["crop"].trigger()
    assert "Select the area" in pane.status_label.text()
    pane.set_tool("rect_select")
    canvas.drag([(50, 30), (110, 70)])
    pane.canvas_actions["crop"].trigger()
    c = canvas.window.session.project.canvas
    assert (c.width, c.height) == (60, 40) and layer.image.size == (60, 40) and (layer.x, layer.y) == (0, 0)
    assert layer.image.getpixel((20, 10)) == RED and canvas.model.flattened().size == (60, 40)
    assert canvas.model.selection_bounds() is None
    pane.undo()
    assert (c.width, c.height) == (W, H) and layer.image.getpixel((70, 40)) == RED
    assert canvas.model.selection_bounds() == (50, 30, 60, 40)  # the selection comes back with the undo


def test_resize_image_scales_every_layer_and_undoes(canvas: Canvas) -> None:
    image = Image.new("RGBA", (W, H), (0, 0, 0, 0))
    image.paste(RED, (100, 0, W, H))
    layer = canvas.layer(image)
    pane = canvas.pane
    canvas.model.resize_canvas(100, 75)
    c = canvas.window.session.project.canvas
    assert (c.width, c.height) == (100, 75) and layer.image.size == (100, 75)
    assert layer.image.getpixel((80, 40)) == RED and layer.image.getpixel((20, 40))[3] == 0
    with pytest.raises(UserError):
        canvas.model.resize_canvas(0, 10)
    pane.undo()
    assert (c.width, c.height) == (W, H) and layer.image.size == (W, H)


def test_extend_canvas_moves_layers_mask_and_selection_and_is_undoable(canvas: Canvas) -> None:
    layer = dot_layer(canvas, 5, 5)
    pane = canvas.pane
    canvas.brush("mask", 10)
    canvas.click(50, 50)
    pane.set_tool("rect_select")
    canvas.drag([(0, 0), (20, 20)])
    steps = canvas.model.undo_stack.count()
    canvas.model.extend_canvas(10, 20, 30, 40)
    c = canvas.window.session.project.canvas
    assert (c.width, c.height) == (W + 40, H + 60) and (layer.x, layer.y) == (10, 20)
    assert layer.image.size == (W, H)  # pixels kept: only the offset moved
    flat = canvas.model.flattened()
    assert flat.size == (W + 40, H + 60) and flat.getpixel((15, 25)) == RED
    assert flat.getpixel((5, 5))[3] == 0  # the new margin is transparent (what outpainting fills)
    mask = canvas.model.mask_image()
    assert mask is not None and mask.size == (W + 40, H + 60) and mask.getpixel((60, 70)) == 255
    assert canvas.model.selection_bounds() == (10, 20, 20, 20)
    assert canvas.model.undo_stack.count() == steps + 1
    pane.undo()
    assert (c.width, c.height) == (W, H) and (layer.x, layer.y) == (0, 0)
    assert canvas.model.mask_image().getpixel((50, 50)) == 255  # type: ignore[union-attr]
    pane.redo()
    assert (c.width, c.height) == (W + 40, H + 60)
    with pytest.raises(UserError):
        canvas.model.extend_canvas(-1, 0, 0, 0)
    with pytest.raises(UserError):
        canvas.model.extend_canvas(0, 0, ops.MAX_CANVAS_SIDE, 0)


# ---------------------------------------------------------------- the inpaint mask


def test_mask_painting_produces_the_right_mask(canvas: Canvas) -> None:
    layer = dot_layer(canvas, 1, 1)
    pane = canvas.pane
    assert canvas.model.mask_image() is None
    canvas.brush("mask", 30)
    canvas.click(100, 75)
    mask = canvas.model.mask_image()
    assert mask is not None and mask.mode == "L" and mask.size == (W, H)
    m = np.asarray(mask)
    d = segment_distance(100, 75, 100, 75)
    assert (m[d <= 14.5] == 255).all() and (m[d >= 15.5] == 0).all()
    canvas.drag([(20, 20), (60, 20)])  # a capsule
    m = np.asarray(canvas.model.mask_image())
    d2 = segment_distance(20, 20, 60, 20)
    assert (m[d2 <= 14.5] == 255).all() and (m[(d2 >= 15.5) & (d >= 15.5)] == 0).all()
    # the mask is not a layer: the picture and the layer list are untouched
    assert len(canvas.window.session.project.canvas.layers) == 1 and layer.image.getbbox() == (1, 1, 2, 2)
    assert canvas.model.flattened().getbbox() == (1, 1, 2, 2)

    canvas.pane.settings.mask_erase = True
    canvas.click(100, 75)
    assert np.asarray(canvas.model.mask_image())[75, 100] == 0
    pane.undo()
    assert np.asarray(canvas.model.mask_image())[75, 100] == 255
    canvas.pane.settings.mask_erase = False

    pane.canvas_actions["invert_mask"].trigger()
    inv = np.asarray(canvas.model.mask_image())
    assert inv[75, 100] == 0 and inv[140, 190] == 255
    pane.undo()
    canvas.model.clear_mask()
    assert canvas.model.mask_image() is None
    pane.undo()
    assert np.asarray(canvas.model.mask_image())[75, 100] == 255


def test_mask_falls_back_to_the_selection(canvas: Canvas) -> None:
    pane = canvas.pane
    pane.set_tool("rect_select")
    canvas.drag([(30, 40), (90, 100)])
    expected = np.asarray(ops.rect_mask((W, H), (30, 40, 60, 60)))
    assert np.array_equal(np.asarray(canvas.model.mask_image()), expected)
    canvas.brush("mask", 10)
    canvas.click(150, 20)
    painted = np.asarray(canvas.model.mask_image())
    assert painted[20, 150] == 255 and painted[70, 60] == 0  # a painted mask wins over the selection


def test_mask_overlay_is_drawn_in_translucent_red(canvas: Canvas) -> None:
    canvas.layer(Image.new("RGBA", (W, H), (255, 255, 255, 255)))
    canvas.brush("mask", 40)
    canvas.click(100, 75)
    shot = canvas.vp.grab().toImage()
    r, g, b, _ = shot.pixelColor(canvas.at(100, 75)).getRgb()
    assert r > 230 and 100 < g < 200 and 100 < b < 200  # red over white, the picture still showing
    assert shot.pixelColor(canvas.at(20, 20)).getRgb()[:3] == (255, 255, 255)


# ---------------------------------------------------------------- preview, feedback, zoom and pan


def test_preview_shows_above_the_layers_and_hides(canvas: Canvas) -> None:
    canvas.layer(Image.new("RGBA", (W, H), RED))
    model, item = canvas.model, canvas.pane.scene.preview_item
    model.set_preview(Image.new("RGB", (64, 64), (0, 255, 0)), (20, 30, 100, 50))
    assert item.isVisible()
    assert item.sceneBoundingRect() == QRectF(20, 30, 100, 50)
    shot = canvas.vp.grab().toImage()
    assert shot.pixelColor(canvas.at(70, 55)).getRgb()[:3] == (0, 255, 0)
    assert shot.pixelColor(canvas.at(150, 120)).getRgb()[:3] == (255, 0, 0)
    model.set_preview(Image.new("RGB", (32, 24), (0, 0, 255)))
    assert item.sceneBoundingRect() == QRectF(0, 0, W, H)
    model.set_preview(None)
    assert not item.isVisible()
    assert canvas.vp.grab().toImage().pixelColor(canvas.at(70, 55)).getRgb()[:3] == (255, 0, 0)


def test_painting_with_no_layer_or_a_hidden_one_says_why(canvas: Canvas) -> None:
    pane = canvas.pane
    canvas.brush("brush", 10)
    steps = canvas.model.undo_stack.count()
    canvas.drag([(50, 50), (80, 50)])
    assert "no layer" in pane.status_label.text()
    layer = canvas.layer()
    pane.layer_list.currentItem().setCheckState(Qt.CheckState.Unchecked)
    steps = canvas.model.undo_stack.count()
    pane.set_tool("fill")
    canvas.click(50, 50)
    assert "hidden" in pane.status_label.text() and layer.image.getbbox() is None
    assert canvas.model.undo_stack.count() == steps


def wheel(canvas: Canvas, pos: QPoint, notches: int) -> None:
    event = QWheelEvent(
        QPointF(pos),
        QPointF(canvas.vp.mapToGlobal(pos)),
        QPoint(0, 0),
        QPoint(0, 120 * notches),
        Qt.MouseButton.NoButton,
        NO,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(canvas.vp, event)


def test_wheel_zooms_around_the_cursor_and_buttons_fit(canvas: Canvas) -> None:
    pane, view = canvas.pane, canvas.view
    pos = canvas.at(150, 40)
    wheel(canvas, pos, 3)
    assert view.zoom() == pytest.approx(1.2**3)
    under = view.mapToScene(pos)
    assert abs(under.x() - 150) <= 1 and abs(under.y() - 40) <= 1
    assert pane.tool_bar.zoom_label.text() == "173%"
    wheel(canvas, pos, -6)
    assert view.zoom() == pytest.approx(1.2**-3)
    pane.canvas_actions["fit"].trigger()
    rect = view.mapFromScene(QRectF(0, 0, W, H)).boundingRect()
    assert canvas.vp.rect().contains(rect)
    assert max(rect.width() / canvas.vp.width(), rect.height() / canvas.vp.height()) > 0.9


def test_middle_drag_and_space_drag_pan_without_painting(canvas: Canvas) -> None:
    layer = canvas.layer()
    view, vp = canvas.view, canvas.vp
    view.set_zoom(4.0)  # zoomed in, so there is room to pan
    start = QPoint(200, 150)
    before = view.mapToScene(start)
    QTest.mousePress(vp, Qt.MouseButton.MiddleButton, NO, start)
    QTest.mouseMove(vp, start + QPoint(40, 20))
    QTest.mouseRelease(vp, Qt.MouseButton.MiddleButton, NO, start + QPoint(40, 20))
    after = view.mapToScene(start)
    assert after.x() == pytest.approx(before.x() - 10, abs=0.5) and after.y() == pytest.approx(before.y() - 5, abs=0.5)
    canvas.brush("brush", 10)
    view.setFocus()
    QTest.keyPress(view, Qt.Key.Key_Space)
    QTest.mousePress(vp, LEFT, NO, start)
    QTest.mouseMove(vp, start + QPoint(-40, 0))
    QTest.mouseRelease(vp, LEFT, NO, start + QPoint(-40, 0))
    QTest.keyRelease(view, Qt.Key.Key_Space)
    assert view.mapToScene(start).x() == pytest.approx(after.x() + 10, abs=0.5)
    assert layer.image.getbbox() is None  # Space+drag panned; it did not paint


def test_tool_shortcuts_and_toolbar(canvas: Canvas) -> None:
    pane = canvas.pane
    canvas.window.activateWindow()
    canvas.view.setFocus()
    for key, name in (
        (Qt.Key.Key_E, "eraser"),
        (Qt.Key.Key_G, "fill"),
        (Qt.Key.Key_M, "rect_select"),
        (Qt.Key.Key_Q, "mask"),
    ):
        QTest.keyClick(canvas.view, key)
        assert pane.tool.name == name
        assert pane.tool_bar.buttons[name].isChecked()
    pane.tool_bar.buttons["lasso"].click()
    assert pane.tool.name == "lasso" and pane.tool_options.groups["selection"].isVisibleTo(pane)
    pane.set_tool("brush")
    assert pane.tool_options.groups["colour"].isVisibleTo(pane)
    assert not pane.tool_options.groups["selection"].isVisibleTo(pane)
    pane.tool_options.size_spin.setValue(33)
    assert pane.settings.sizes["brush"] == 33
    pane.canvas_actions["size_up"].trigger()
    assert pane.settings.sizes["brush"] == 41 and pane.tool_options.size_spin.value() == 41


def test_side_tabs_hold_the_layers_panel_first(canvas: Canvas) -> None:
    tabs = canvas.pane.side_tabs
    assert tabs.tabText(0) == "Layers" and tabs.widget(0).isAncestorOf(canvas.pane.layer_list)


def test_the_layer_list_marks_ai_layers_and_follows_the_setting_by_itself(canvas: Canvas) -> None:
    canvas.layer(name="hand")
    canvas.model.add_layer(Layer("made", Image.new("RGBA", (W, H), RED), spec_id="spec-1"))
    rows = canvas.pane.layer_list
    assert [rows.item(i).text() for i in range(rows.count())] == ["made  ✦ AI", "hand"]
    canvas.window.action_show_ai.trigger()  # View > Show AI-generated: off
    assert not canvas.window.ctx.settings.values.show_ai
    assert [rows.item(i).text() for i in range(rows.count())] == ["made", "hand"]
    canvas.window.ctx.settings.set("show_ai", True)  # the setting alone, without the window's menu
    assert rows.item(0).text() == "made  ✦ AI" and rows.currentItem().text() == "made  ✦ AI"
