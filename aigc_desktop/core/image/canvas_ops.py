"""The Canvas pane's pixel operations on PIL images and numpy arrays: brush and mask strokes, flood fill, pasting,
clearing, selection masks and canvas geometry. No Qt here, so each operation is tested on its own.

Every operation that changes an image returns a Patch (the changed rectangle before and after), which is what an
undo step keeps: a brush stroke across a 1024² layer costs its bounding box, not two whole-image copies.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from PIL import Image, ImageDraw

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

Box = tuple[int, int, int, int]  # x, y, width, height in pixels
Point = tuple[float, float]
RGBA = tuple[int, int, int, int]

MAX_CANVAS_SIDE = 8192  # 8192² RGBA is 256 MB per layer: beyond that a desktop runs out of memory, not patience
MAX_BRUSH = 1000


@dataclass
class Patch:
    """A rectangle of an image before and after a change: undo pastes `before`, redo pastes `after`."""

    box: Box
    before: Image.Image
    after: Image.Image

    def apply(self, image: Image.Image, after: bool = True) -> None:
        image.paste(self.after if after else self.before, (self.box[0], self.box[1]))


def union(a: Box | None, b: Box | None) -> Box | None:
    if a is None:
        return b
    if b is None:
        return a
    x0, y0 = min(a[0], b[0]), min(a[1], b[1])
    x1, y1 = max(a[0] + a[2], b[0] + b[2]), max(a[1] + a[3], b[1] + b[3])
    return x0, y0, x1 - x0, y1 - y0


def clip_box(box: Box, width: int, height: int) -> Box | None:
    """`box` cut to an image of width×height; None when nothing of it is inside."""
    x0, y0 = max(0, box[0]), max(0, box[1])
    x1, y1 = min(width, box[0] + box[2]), min(height, box[1] + box[3])
    return None if x1 <= x0 or y1 <= y0 else (x0, y0, x1 - x0, y1 - y0)


def _bbox_to_box(bbox: tuple[int, int, int, int] | None) -> Box | None:
    return None if bbox is None else (bbox[0], bbox[1], bbox[2] - bbox[0], bbox[3] - bbox[1])


def _pil_box(box: Box) -> tuple[int, int, int, int]:
    return box[0], box[1], box[0] + box[2], box[1] + box[3]


def _slices(box: Box) -> tuple[slice, slice]:
    return slice(box[1], box[1] + box[3]), slice(box[0], box[0] + box[2])


def mask_bounds(mask: Image.Image | None) -> Box | None:
    """The bounding box of a mask's non-zero pixels (x, y, w, h), or None when it is empty."""
    return None if mask is None else _bbox_to_box(mask.getbbox())


# ---------------------------------------------------------------- compositing


def _over(dst: np.ndarray, src_rgb: np.ndarray, src_a: np.ndarray) -> np.ndarray:
    """Straight-alpha `src` over `dst` (uint8 H×W×4); src_rgb float 0..255 (broadcastable), src_a float 0..1.

    Pixels the source does not touch (alpha 0) come back bit-identical, so an undo patch never records noise."""
    d = dst.astype(np.float32)
    da = d[..., 3] / 255.0
    out_a = src_a + da * (1.0 - src_a)
    weight_src = np.divide(src_a, out_a, out=np.zeros_like(out_a), where=out_a > 0)[..., None]
    rgb = src_rgb * weight_src + d[..., :3] * (1.0 - weight_src)
    out = np.empty_like(dst)
    out[..., :3] = np.clip(np.rint(rgb), 0, 255)
    out[..., 3] = np.clip(np.rint(out_a * 255.0), 0, 255)
    untouched = src_a <= 0
    out[untouched] = dst[untouched]
    return out


def _patch_from(image: Image.Image, box: Box, before: np.ndarray, after: np.ndarray) -> Patch | None:
    """Write `after` into `box` of `image`; the patch, or None when no pixel changed."""
    if np.array_equal(before, after):
        return None
    image.paste(Image.fromarray(after), (box[0], box[1]))
    return Patch(box, Image.fromarray(before), Image.fromarray(after))


# ---------------------------------------------------------------- brush strokes


class StrokeMode(StrEnum):
    PAINT = "paint"  # colour over an RGBA layer
    ERASE = "erase"  # lower an RGBA layer's alpha
    MASK = "mask"  # raise an L mask towards 255
    UNMASK = "unmask"  # lower an L mask towards 0


def segment_coverage(
    p0: Point, p1: Point, size: float, hardness: float, width: int, height: int
) -> tuple[Box, np.ndarray] | None:
    """How much a round brush of diameter `size` dragged from p0 to p1 covers each pixel (0..1), in the box it touches.

    The whole segment is one capsule (distance to the segment), not a row of dabs, so a fast stroke has no beads and
    no gaps. `hardness` 1 is a disk with a one-pixel antialiased rim; lower values fade from radius·hardness out."""
    r = max(0.5, size / 2.0)
    pad = r + 1.0
    x0 = math.floor(min(p0[0], p1[0]) - pad)
    y0 = math.floor(min(p0[1], p1[1]) - pad)
    x1 = math.ceil(max(p0[0], p1[0]) + pad)
    y1 = math.ceil(max(p0[1], p1[1]) + pad)
    box = clip_box((x0, y0, x1 - x0, y1 - y0), width, height)
    if box is None:
        return None
    bx, by, bw, bh = box
    ys = np.arange(by, by + bh, dtype=np.float32)[:, None] + 0.5  # pixel centres
    xs = np.arange(bx, bx + bw, dtype=np.float32)[None, :] + 0.5
    dx, dy = p1[0] - p0[0], p1[1] - p0[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        d = np.hypot(xs - p0[0], ys - p0[1])
    else:
        t = np.clip(((xs - p0[0]) * dx + (ys - p0[1]) * dy) / length2, 0.0, 1.0)
        d = np.hypot(xs - (p0[0] + t * dx), ys - (p0[1] + t * dy))
    cov = np.clip(r - d + 0.5, 0.0, 1.0)  # the antialiased rim
    soft = r * (1.0 - min(1.0, max(0.0, hardness)))
    if soft >= 1.0:
        s = np.clip((r - d) / soft, 0.0, 1.0)
        cov = np.minimum(cov, s * s * (3.0 - 2.0 * s))  # smoothstep: a soft edge without a visible ring
    return box, cov.astype(np.float32)


class Stroke:
    """One press-drag-release of a brush, eraser or mask brush on one image.

    Coverage is kept per stroke and the image is recomputed from its pre-stroke pixels, so crossing your own stroke
    does not darken it (one stroke is one coat, as in every paint program). `add` changes only the pixels near the
    new segment and returns that box, so the view repaints only it."""

    def __init__(
        self,
        image: Image.Image,
        mode: StrokeMode,
        size: float,
        hardness: float = 1.0,
        colour: RGBA = (0, 0, 0, 255),
        clip: Image.Image | None = None,
    ) -> None:
        wants = "L" if mode in (StrokeMode.MASK, StrokeMode.UNMASK) else "RGBA"
        if image.mode != wants:
            raise ValueError(f"a {mode.value} stroke needs an {wants} image, not {image.mode}")
        if clip is not None and clip.size != image.size:
            raise ValueError("the clip mask must be the size of the image")
        self.image, self.mode = image, mode
        self.size = float(min(MAX_BRUSH, max(1.0, size)))
        self.hardness = hardness
        self.colour = np.array(colour[:3], dtype=np.float32)
        self.alpha = colour[3] / 255.0
        self._original = np.array(image)  # one copy per stroke, to recompute from and to cut the undo patch out of
        self._coverage = np.zeros(image.size[::-1], dtype=np.float32)
        self._clip = None if clip is None else np.asarray(clip, dtype=np.float32) / 255.0
        self._last: Point | None = None
        self.bounds: Box | None = None

    def add(self, point: Point) -> Box | None:
        """Extend the stroke to `point` (the first call paints one dab). Returns the box of pixels that changed."""
        start = self._last if self._last is not None else point
        self._last = point
        hit = segment_coverage(start, point, self.size, self.hardness, self.image.width, self.image.height)
        if hit is None:
            return None
        box, cov = hit
        ys, xs = _slices(box)
        if self._clip is not None:
            cov = cov * self._clip[ys, xs]
        region = self._coverage[ys, xs]
        np.maximum(region, cov, out=region)
        self.image.paste(Image.fromarray(self._render(box)), (box[0], box[1]))
        self.bounds = union(self.bounds, box)
        return box

    def _render(self, box: Box) -> np.ndarray:
        ys, xs = _slices(box)
        cov = self._coverage[ys, xs]
        orig = self._original[ys, xs]
        if self.mode == StrokeMode.PAINT:
            return _over(orig, self.colour, cov * self.alpha)
        if self.mode == StrokeMode.ERASE:
            out = orig.copy()
            out[..., 3] = np.rint(orig[..., 3] * (1.0 - cov)).astype(np.uint8)
            return out
        if self.mode == StrokeMode.MASK:
            out = np.maximum(orig, np.rint(cov * 255.0 * self.alpha).astype(np.uint8))
        else:
            out = np.rint(orig * (1.0 - cov)).astype(np.uint8)
        return np.asarray(out, dtype=np.uint8)

    def finish(self) -> Patch | None:
        """The stroke as one undo patch (None when it changed nothing, e.g. entirely outside the selection)."""
        if self.bounds is None:
            return None
        ys, xs = _slices(self.bounds)
        before = self._original[ys, xs]
        after = np.asarray(self.image.crop(_pil_box(self.bounds)))
        if np.array_equal(before, after):
            return None
        return Patch(self.bounds, Image.fromarray(before), Image.fromarray(np.ascontiguousarray(after)))


# ---------------------------------------------------------------- fill, paste, clear


def flood_region(image: Image.Image, x: int, y: int, tolerance: int) -> np.ndarray:
    """The pixels connected to (x, y) (4-neighbours) whose RGBA differs from its by at most `tolerance` in every
    channel, as a bool array. Fully transparent pixels count as one colour whatever their hidden RGB is.

    A scanline fill over numpy rows: each span is found with array operations, so a 1024² region takes tens of
    milliseconds in Python rather than the seconds a pixel-by-pixel fill would."""
    px = np.array(image.convert("RGBA"), dtype=np.int16)
    h, w = px.shape[:2]
    if not (0 <= x < w and 0 <= y < h):
        raise UserError(QT_TRANSLATE_NOOP("CanvasOps", "Click inside the layer to fill."))
    px[px[..., 3] == 0] = 0
    match = np.abs(px - px[y, x]).max(axis=2) <= max(0, min(255, tolerance))
    filled = np.zeros((h, w), dtype=bool)
    stack = [(x, y)]
    while stack:
        sx, sy = stack.pop()
        if filled[sy, sx]:
            continue
        row = match[sy]
        left_gap = np.flatnonzero(~row[:sx][::-1])
        left = sx - int(left_gap[0]) if left_gap.size else 0
        right_gap = np.flatnonzero(~row[sx:])
        right = sx + int(right_gap[0]) if right_gap.size else w
        filled[sy, left:right] = True
        for ny in (sy - 1, sy + 1):
            if 0 <= ny < h:
                open_ = match[ny, left:right] & ~filled[ny, left:right]
                if open_.any():
                    starts = np.flatnonzero(np.diff(open_.astype(np.int8), prepend=0) == 1) + left
                    stack.extend((int(s), ny) for s in starts)
    return filled


def flood_fill(
    image: Image.Image, x: int, y: int, colour: RGBA, tolerance: int, clip: Image.Image | None = None
) -> Patch | None:
    """Fill the region around (x, y) with `colour` (composited over it), limited to `clip` when given."""
    region = flood_region(image, x, y, tolerance)
    cov = region.astype(np.float32)
    if clip is not None:
        cov *= np.asarray(clip, dtype=np.float32) / 255.0
    ys_any, xs_any = np.nonzero(cov)
    if ys_any.size == 0:
        return None
    box = (
        int(xs_any.min()),
        int(ys_any.min()),
        int(xs_any.max() - xs_any.min() + 1),
        int(ys_any.max() - ys_any.min() + 1),
    )
    ys, xs = _slices(box)
    before = np.array(image.crop(_pil_box(box)))
    after = _over(before, np.array(colour[:3], dtype=np.float32), cov[ys, xs] * (colour[3] / 255.0))
    return _patch_from(image, box, before, after)


def paste_over(
    image: Image.Image, overlay: Image.Image, x: int, y: int, clip: Image.Image | None = None
) -> Patch | None:
    """Composite `overlay` (RGBA) onto `image` with its top-left at (x, y) — rasterised text, a stamp — limited to
    `clip` (an L mask the size of `image`) when given. Whatever falls outside the image is dropped."""
    box = clip_box((x, y, overlay.width, overlay.height), image.width, image.height)
    if box is None:
        return None
    ys, xs = _slices(box)
    src = np.asarray(overlay.convert("RGBA"), dtype=np.float32)[
        box[1] - y : box[1] - y + box[3], box[0] - x : box[0] - x + box[2]
    ]
    alpha = src[..., 3] / 255.0
    if clip is not None:
        alpha = alpha * (np.asarray(clip, dtype=np.float32)[ys, xs] / 255.0)
    before = np.array(image.crop(_pil_box(box)))
    return _patch_from(image, box, before, _over(before, src[..., :3], alpha))


def clear_masked(image: Image.Image, mask: Image.Image) -> Patch | None:
    """Make `image` transparent where `mask` (L, same size) is set: Delete with a selection."""
    box = mask_bounds(mask)
    if box is None:
        return None
    before = np.array(image.crop(_pil_box(box)))
    m = np.asarray(mask.crop(_pil_box(box)), dtype=np.float32) / 255.0
    after = before.copy()
    after[..., 3] = np.rint(before[..., 3] * (1.0 - m)).astype(np.uint8)
    return _patch_from(image, box, before, after)


def region_patch(image: Image.Image, box: Box, after: Image.Image) -> Patch | None:
    """Replace a box of `image` with `after` (same size as the box); the patch, or None when nothing changed."""
    before = np.array(image.crop(_pil_box(box)))
    return _patch_from(image, box, before, np.array(after.convert(image.mode)))


# ---------------------------------------------------------------- selection masks


def rect_mask(size: tuple[int, int], box: Box) -> Image.Image:
    """An L mask of `size`, 255 inside `box` (clipped to the mask)."""
    mask = Image.new("L", size, 0)
    inside = clip_box(box, *size)
    if inside is not None:
        mask.paste(255, _pil_box(inside))
    return mask


def polygon_mask(size: tuple[int, int], points: Sequence[Point]) -> Image.Image:
    """An L mask of `size`, 255 inside the closed polygon through `points` (a lasso)."""
    mask = Image.new("L", size, 0)
    if len(points) >= 3:
        ImageDraw.Draw(mask).polygon([(float(px), float(py)) for px, py in points], fill=255)
    return mask


def combine_masks(old: Image.Image | None, new: Image.Image, how: str) -> Image.Image:
    """ "replace", "add" (union) or "subtract" a new selection mask from the old one."""
    if old is None or how == "replace":
        return new
    a, b = np.asarray(old), np.asarray(new)
    if how == "add":
        return Image.fromarray(np.maximum(a, b))
    if how == "subtract":
        return Image.fromarray(np.minimum(a, 255 - b))
    raise ValueError(f"unknown selection combination {how!r}")


def invert_mask(mask: Image.Image) -> Image.Image:
    return Image.fromarray(255 - np.asarray(mask))


def mask_for_layer(mask: Image.Image, layer_x: int, layer_y: int, layer_size: tuple[int, int]) -> Image.Image:
    """A canvas-coordinates mask cut to a layer's pixels (layers may be offset or a different size than the canvas);
    parts of the layer outside the canvas get 0."""
    if (layer_x, layer_y) == (0, 0) and mask.size == layer_size:
        return mask
    return mask.crop((layer_x, layer_y, layer_x + layer_size[0], layer_y + layer_size[1]))


# ---------------------------------------------------------------- canvas geometry


def check_canvas_size(width: int, height: int) -> None:
    if width < 1 or height < 1:
        raise UserError(QT_TRANSLATE_NOOP("CanvasOps", "The canvas must be at least 1×1 pixel."))
    if width > MAX_CANVAS_SIDE or height > MAX_CANVAS_SIDE:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "CanvasOps", "The canvas can be at most {side}×{side} pixels (asked {width}×{height})."
            ).format(side=MAX_CANVAS_SIDE, width=width, height=height)
        )


def crop_layer(image: Image.Image, x: int, y: int, box: Box) -> Image.Image:
    """A layer at (x, y) cut to the canvas box; the result sits at (0, 0) of the cropped canvas, transparent where
    the layer did not reach."""
    return image.crop((box[0] - x, box[1] - y, box[0] - x + box[2], box[1] - y + box[3]))


def scale_image(image: Image.Image, width: int, height: int) -> Image.Image:
    """Resize with Lanczos on premultiplied alpha, so transparent pixels' hidden colours do not bleed into edges."""
    if image.size == (width, height):
        return image.copy()
    if image.mode == "RGBA":
        return image.convert("RGBa").resize((width, height), Image.Resampling.LANCZOS).convert("RGBA")
    return image.resize((width, height), Image.Resampling.LANCZOS)


def scale_layer(image: Image.Image, x: int, y: int, sx: float, sy: float) -> tuple[Image.Image, int, int]:
    """A layer scaled with the canvas by (sx, sy): its pixels and its offset."""
    w, h = max(1, round(image.width * sx)), max(1, round(image.height * sy))
    return scale_image(image, w, h), round(x * sx), round(y * sy)


def place_mask(mask: Image.Image, size: tuple[int, int], dx: int, dy: int) -> Image.Image:
    """`mask` moved by (dx, dy) onto a new mask of `size` (extending or cropping the canvas)."""
    out = Image.new("L", size, 0)
    out.paste(mask, (dx, dy))
    return out
