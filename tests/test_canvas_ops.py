"""core.canvas_ops without Qt: strokes, fill, paste, clear, selection masks and canvas geometry."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.image import canvas_ops as ops

RED = (255, 0, 0, 255)


def blank(w: int = 64, h: int = 48, fill: tuple[int, int, int, int] = (0, 0, 0, 0)) -> Image.Image:
    return Image.new("RGBA", (w, h), fill)


def disk_distances(w: int, h: int, cx: float, cy: float) -> np.ndarray:
    ys, xs = np.mgrid[0:h, 0:w]
    return np.hypot(xs + 0.5 - cx, ys + 0.5 - cy)


def test_hard_dab_is_a_disk_of_the_brush_diameter() -> None:
    img = blank()
    ops.Stroke(img, ops.StrokeMode.PAINT, size=20, hardness=1.0, colour=RED).add((30.0, 24.0))
    a = np.asarray(img)[..., 3]
    d = disk_distances(64, 48, 30.0, 24.0)
    assert (a[d <= 9.5] == 255).all()
    assert (a[d >= 10.5] == 0).all()
    assert (np.asarray(img)[d <= 9.5][:, :3] == (255, 0, 0)).all()


def test_soft_brush_fades_towards_the_rim() -> None:
    img = blank()
    ops.Stroke(img, ops.StrokeMode.PAINT, size=40, hardness=0.0, colour=RED).add((32.0, 24.0))
    a = np.asarray(img)[..., 3].astype(int)
    assert a[23, 31] > 240  # the middle is (almost) full
    assert 0 < a[23, 31 + 14] < a[23, 31 + 6] < a[23, 31]  # and it falls off smoothly
    assert a[23, 31 + 21] == 0


def test_stroke_segment_is_continuous_and_patch_holds_only_its_box() -> None:
    img = blank(200, 100)
    stroke = ops.Stroke(img, ops.StrokeMode.PAINT, size=10, hardness=1.0, colour=RED)
    for x in range(20, 181, 40):  # a fast drag: 40 px between events
        stroke.add((float(x), 50.0))
    a = np.asarray(img)[..., 3]
    assert (a[50, 20:181] == 255).all()  # no gaps between the events
    assert (a[40, :] == 0).all() and (a[60, :] == 0).all()
    patch = stroke.finish()
    assert patch is not None
    x, y, w, h = patch.box
    assert x <= 15 and x + w >= 185 and 44 <= y <= 45 and h <= 12  # the stroke's box, not the image
    assert patch.before.size == patch.after.size == (w, h)
    patch.apply(img, after=False)
    assert img.getbbox() is None
    patch.apply(img)
    assert np.asarray(img)[50, 100, 3] == 255


def test_one_stroke_is_one_coat_where_it_crosses_itself() -> None:
    img = blank()
    stroke = ops.Stroke(img, ops.StrokeMode.PAINT, size=10, colour=(0, 0, 255, 128))
    for p in ((10.0, 24.0), (50.0, 24.0), (30.0, 10.0), (30.0, 40.0)):
        stroke.add(p)
    alphas = set(np.asarray(img)[..., 3].ravel().tolist())
    assert max(alphas) == 128  # crossing does not stack 50 % + 50 %


def test_eraser_lowers_alpha_and_leaves_colour() -> None:
    img = blank(fill=(10, 200, 30, 255))
    ops.Stroke(img, ops.StrokeMode.ERASE, size=12, hardness=1.0).add((20.0, 20.0))
    assert img.getpixel((20, 20)) == (10, 200, 30, 0)
    assert img.getpixel((40, 20)) == (10, 200, 30, 255)


def test_mask_strokes_paint_and_unpaint_an_l_mask() -> None:
    mask = Image.new("L", (64, 48), 0)
    ops.Stroke(mask, ops.StrokeMode.MASK, size=16).add((32.0, 24.0))
    assert mask.getpixel((32, 24)) == 255 and mask.getpixel((5, 5)) == 0
    ops.Stroke(mask, ops.StrokeMode.UNMASK, size=4).add((32.0, 24.0))
    assert mask.getpixel((32, 24)) == 0 and mask.getpixel((32, 17)) == 255
    with pytest.raises(ValueError):
        ops.Stroke(blank(), ops.StrokeMode.MASK, size=4)


def test_clip_keeps_the_stroke_inside_the_selection() -> None:
    img = blank()
    clip = ops.rect_mask(img.size, (0, 0, 32, 48))
    stroke = ops.Stroke(img, ops.StrokeMode.PAINT, size=8, colour=RED, clip=clip)
    stroke.add((10.0, 24.0))
    stroke.add((60.0, 24.0))
    a = np.asarray(img)[..., 3]
    assert (a[24, 10:32] == 255).all() and (a[:, 32:] == 0).all()


def test_a_stroke_entirely_outside_changes_nothing() -> None:
    img = blank()
    stroke = ops.Stroke(img, ops.StrokeMode.PAINT, size=8, colour=RED, clip=ops.rect_mask(img.size, (0, 0, 5, 5)))
    stroke.add((40.0, 40.0))
    assert stroke.finish() is None and img.getbbox() is None
    off = ops.Stroke(img, ops.StrokeMode.PAINT, size=8, colour=RED)
    assert off.add((-50.0, -50.0)) is None and off.finish() is None


def two_tone() -> Image.Image:
    """Left half grey 100, right half grey 110, a black wall at x=48."""
    img = blank(64, 32, (100, 100, 100, 255))
    img.paste((110, 110, 110, 255), (24, 0, 64, 32))
    img.paste((0, 0, 0, 255), (48, 0, 50, 32))
    return img


def test_flood_region_follows_tolerance_and_stops_at_walls() -> None:
    img = two_tone()
    tight = ops.flood_region(img, 2, 2, tolerance=5)
    assert tight[:, :24].all() and not tight[:, 24:].any()
    loose = ops.flood_region(img, 2, 2, tolerance=20)
    assert loose[:, :48].all() and not loose[:, 48:].any()  # the wall (and what is behind it) stays
    with pytest.raises(UserError):
        ops.flood_region(img, 64, 0, 5)


def test_flood_region_follows_a_winding_path() -> None:
    arr = np.zeros((40, 40, 4), dtype=np.uint8)
    arr[..., 3] = 255
    for x in range(2, 38, 6):  # a serpentine corridor of transparent pixels
        arr[2:38, x : x + 2] = 0
        arr[2 if (x // 6) % 2 else 36 : 4 if (x // 6) % 2 else 38, x : x + 8] = 0
    img = Image.fromarray(arr)
    region = ops.flood_region(img, 2, 2, tolerance=0)
    expected = arr[..., 3] == 0
    assert (region == expected).all()


def test_transparent_pixels_match_whatever_their_hidden_colour() -> None:
    img = blank(8, 8)
    img.putpixel((4, 4), (200, 10, 10, 0))
    assert ops.flood_region(img, 0, 0, 0).all()


def test_flood_fill_colours_the_region_and_respects_the_clip() -> None:
    img = two_tone()
    patch = ops.flood_fill(img, 2, 2, RED, 5, clip=ops.rect_mask(img.size, (0, 0, 64, 16)))
    assert patch is not None and patch.box == (0, 0, 24, 16)
    assert img.getpixel((2, 2)) == RED and img.getpixel((2, 20)) == (100, 100, 100, 255)
    assert img.getpixel((30, 2)) == (110, 110, 110, 255)
    patch.apply(img, after=False)
    assert img.getpixel((2, 2)) == (100, 100, 100, 255)


def test_paste_over_composites_clips_and_drops_what_falls_outside() -> None:
    img = blank(32, 32, (0, 0, 255, 255))
    stamp = blank(10, 10, (255, 0, 0, 255))
    patch = ops.paste_over(img, stamp, 26, 4)
    assert patch is not None and patch.box == (26, 4, 6, 10)
    assert img.getpixel((27, 5)) == RED and img.getpixel((25, 5)) == (0, 0, 255, 255)
    half = blank(4, 4, (255, 255, 255, 128))
    ops.paste_over(img, half, 0, 0, clip=ops.rect_mask(img.size, (0, 0, 2, 4)))
    r, _g, b, a = img.getpixel((0, 0))
    assert a == 255 and 120 <= r <= 136 and b == 255  # half white over blue
    assert img.getpixel((3, 0)) == (0, 0, 255, 255)  # outside the clip
    assert ops.paste_over(img, stamp, 100, 100) is None


def test_clear_masked_makes_the_selection_transparent() -> None:
    img = blank(20, 20, (9, 9, 9, 255))
    patch = ops.clear_masked(img, ops.rect_mask(img.size, (5, 5, 4, 4)))
    assert patch is not None and patch.box == (5, 5, 4, 4)
    assert img.getpixel((6, 6))[3] == 0 and img.getpixel((4, 4))[3] == 255
    assert ops.clear_masked(img, Image.new("L", (20, 20), 0)) is None


def test_selection_masks_combine_and_invert() -> None:
    size = (40, 30)
    a = ops.rect_mask(size, (0, 0, 20, 30))
    b = ops.rect_mask(size, (10, 0, 20, 30))
    assert ops.mask_bounds(ops.combine_masks(a, b, "add")) == (0, 0, 30, 30)
    assert ops.mask_bounds(ops.combine_masks(a, b, "subtract")) == (0, 0, 10, 30)
    assert ops.combine_masks(a, b, "replace") is b
    assert ops.mask_bounds(ops.invert_mask(a)) == (20, 0, 20, 30)
    tri = ops.polygon_mask(size, [(0, 0), (39, 0), (0, 29)])
    assert tri.getpixel((2, 2)) == 255 and tri.getpixel((37, 27)) == 0
    assert ops.mask_bounds(ops.rect_mask(size, (-5, -5, 10, 10))) == (0, 0, 5, 5)


def test_mask_for_an_offset_layer() -> None:
    mask = ops.rect_mask((40, 30), (10, 10, 5, 5))
    local = ops.mask_for_layer(mask, 8, 6, (20, 20))
    assert local.size == (20, 20) and ops.mask_bounds(local) == (2, 4, 5, 5)
    assert ops.mask_for_layer(mask, 0, 0, (40, 30)) is mask


def test_canvas_geometry_helpers() -> None:
    layer = blank(10, 10, RED)
    cropped = ops.crop_layer(layer, 5, 5, (10, 10, 10, 10))  # the layer's bottom-right quarter lands at 0,0
    assert cropped.size == (10, 10) and cropped.getpixel((0, 0)) == RED and cropped.getpixel((6, 6))[3] == 0
    scaled, x, y = ops.scale_layer(layer, 4, 6, 0.5, 0.5)
    assert scaled.size == (5, 5) and (x, y) == (2, 3)
    moved = ops.place_mask(ops.rect_mask((10, 10), (0, 0, 10, 10)), (20, 16), 3, 4)
    assert ops.mask_bounds(moved) == (3, 4, 10, 10)
    with pytest.raises(UserError):
        ops.check_canvas_size(0, 10)
    with pytest.raises(UserError):
        ops.check_canvas_size(ops.MAX_CANVAS_SIDE + 1, 10)


def test_scaling_does_not_bleed_hidden_colour_into_edges() -> None:
    img = blank(16, 16, (0, 255, 0, 0))  # transparent, but "green" underneath
    img.paste((255, 0, 0, 255), (0, 0, 8, 16))
    small = ops.scale_image(img, 7, 7)
    r, g, _b, a = small.getpixel((3, 3))  # the edge pixel
    assert a > 0 and g < 40 and r > 200  # premultiplied resize: no green fringe
