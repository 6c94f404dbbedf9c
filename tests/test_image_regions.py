"""Where inpaint/outpaint work on the canvas and how results go back (core/image_regions.py)."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.image import ops as image_ops
from aigc_desktop.core.image import regions as regions


def _disk_mask(size: tuple[int, int], centre: tuple[int, int], r: int) -> Image.Image:
    mask = Image.new("L", size, 0)
    ImageDraw.Draw(mask).ellipse((centre[0] - r, centre[1] - r, centre[0] + r, centre[1] + r), fill=255)
    return mask


def test_mask_region_covers_the_mask_with_context_in_valid_sides() -> None:
    mask = _disk_mask((1000, 700), (500, 300), 40)
    x, y, w, h = regions.mask_region(mask, (1000, 700))
    assert w % 8 == 0 and h % 8 == 0 and w >= 64 and h >= 64
    assert x <= 500 - 40 - regions.CONTEXT_PX and x + w >= 500 + 40 + regions.CONTEXT_PX
    assert y <= 300 - 40 - regions.CONTEXT_PX and y + h >= 300 + 40 + regions.CONTEXT_PX
    assert w < 1000 and h < 700  # a small mask does not diffuse the whole canvas


def test_mask_region_at_the_edge_stays_inside_the_canvas() -> None:
    mask = _disk_mask((300, 200), (295, 195), 10)
    x, y, w, h = regions.mask_region(mask, (300, 200))
    assert x >= 0 and y >= 0 and x + w <= 300 and y + h <= 200
    assert x + w >= 300 - 8 and y + h >= 200 - 8  # reaches the mask in the corner


def test_tiny_mask_gets_the_minimum_side() -> None:
    x, y, w, h = regions.mask_region(_disk_mask((512, 512), (256, 256), 2), (512, 512), context=0)
    assert (w, h) == (64, 64) and x <= 254 and x + w >= 258 and y <= 254


def test_empty_mask_and_tiny_canvas_are_refused() -> None:
    with pytest.raises(UserError, match="empty"):
        regions.mask_region(Image.new("L", (128, 128)), (128, 128))
    with pytest.raises(UserError, match="smaller"):
        regions.mask_region(_disk_mask((40, 40), (20, 20), 5), (40, 40))


def test_generation_size_rounds_and_caps() -> None:
    assert regions.generation_size(500, 333) == (504, 336)
    w, h = regions.generation_size(4096, 1024)
    assert w == 2048 and h == 512
    assert regions.generation_size(10, 10) == (64, 64)


def test_outpaint_mask_is_the_transparent_border_plus_a_seam() -> None:
    picture = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    picture.paste(Image.new("RGBA", (100, 100), (200, 30, 30, 255)), (0, 0))
    mask = image_ops.outpaint_mask(picture)
    assert mask.getpixel((150, 50)) == 255  # the new border
    assert mask.getpixel((100 - image_ops.OUTPAINT_SEAM_PX, 50)) == 255  # the seam, inside the old picture
    assert mask.getpixel((50, 50)) == 0  # the old picture
    with pytest.raises(UserError, match="extend the canvas first"):
        image_ops.outpaint_mask(Image.new("RGBA", (64, 64), (1, 2, 3, 255)))


def test_result_layer_covers_only_the_mask() -> None:
    mask = _disk_mask((128, 128), (64, 64), 30)
    generated = Image.new("RGB", (128, 128), (10, 200, 10))
    layer = regions.result_layer(generated, mask, feather=3)
    alpha = layer.getchannel("A")
    assert alpha.getpixel((64, 64)) == 255
    assert alpha.getpixel((5, 5)) == 0  # outside: the picture below shows unchanged
    assert 0 < alpha.getpixel((64 + 30, 64)) < 255  # the feathered edge
    assert layer.getpixel((64, 64))[:3] == (10, 200, 10)
