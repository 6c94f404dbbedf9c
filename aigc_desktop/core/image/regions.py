"""Where on the canvas a generation works and how its result goes back: pure PIL, no Qt.

Inpainting a small mask on a big canvas should not diffuse the whole canvas (slow on a CPU, and it would repaint what
the user did not mask): like Krita AI Diffusion, the app works on the mask's bounding box plus some context, and the
result layer is opaque only where the mask was, so every unmasked pixel stays exactly as it was.
"""

from __future__ import annotations

from PIL import Image, ImageFilter

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image.job import MAX_SIDE, MIN_SIDE, SIZE_MULTIPLE

Box = tuple[int, int, int, int]  # x, y, width, height in canvas pixels

CONTEXT_PX = 48  # pixels around the mask the model sees, so the repaint matches its surroundings
FEATHER_PX = 4  # soft edge where the result meets the original


def round_side(n: int) -> int:
    """A side the models accept: the nearest multiple of 8 within [MIN_SIDE, MAX_SIDE]."""
    return max(MIN_SIDE, min(MAX_SIDE, int(n / SIZE_MULTIPLE + 0.5) * SIZE_MULTIPLE))


def generation_size(width: int, height: int) -> tuple[int, int]:
    """The size to generate at for an image of `width`×`height`: aspect kept, each side a valid model side."""
    scale = min(1.0, MAX_SIDE / max(width, height))
    return round_side(int(width * scale)), round_side(int(height * scale))


def mask_region(mask: Image.Image, canvas_size: tuple[int, int], context: int = CONTEXT_PX) -> Box:
    """The box to inpaint: the mask's bounds plus `context`, grown to multiples of 8 (at least 64), inside the canvas
    where the canvas allows it."""
    bounds = mask.convert("L").point(lambda v: 255 if v >= 128 else 0).getbbox()
    if bounds is None:
        raise UserError(
            QT_TRANSLATE_NOOP("ImageRegions", "The mask is empty: paint over the part of the picture to repaint first.")
        )
    cw, ch = canvas_size
    if cw < MIN_SIDE or ch < MIN_SIDE:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageRegions", "The canvas is smaller than {side}×{side} pixels; make it bigger to inpaint."
            ).format(side=MIN_SIDE)
        )
    x0, y0, x1, y1 = bounds
    x0, y0, x1, y1 = max(0, x0 - context), max(0, y0 - context), min(cw, x1 + context), min(ch, y1 + context)
    x, w = _grow_to_multiple(x0, x1, cw)
    y, h = _grow_to_multiple(y0, y1, ch)
    return x, y, w, h


def _grow_to_multiple(lo: int, hi: int, limit: int) -> tuple[int, int]:
    """(start, length) covering [lo, hi), length a valid side, kept inside [0, limit) when it fits."""
    length = max(MIN_SIDE, -(-(hi - lo) // SIZE_MULTIPLE) * SIZE_MULTIPLE)
    fitting = limit - limit % SIZE_MULTIPLE
    length = min(length, max(fitting, MIN_SIDE), MAX_SIDE)
    centre = (lo + hi) // 2
    start = max(0, min(centre - length // 2, limit - length))
    return start, length


def crop(image: Image.Image, box: Box) -> Image.Image:
    x, y, w, h = box
    return image.crop((x, y, x + w, y + h))


def result_layer(generated: Image.Image, mask: Image.Image, feather: int = FEATHER_PX) -> Image.Image:
    """The generated pixels as an RGBA layer that covers only the (softened) mask: unmasked pixels stay transparent,
    so the picture below shows through unchanged."""
    rgba = generated.convert("RGBA")
    if rgba.size != mask.size:
        rgba = rgba.resize(mask.size, Image.Resampling.LANCZOS)
    alpha = mask.convert("L")
    if feather > 0:
        alpha = alpha.filter(ImageFilter.GaussianBlur(feather))
    rgba.putalpha(alpha)
    return rgba
