"""Frames of a story, composed with Pillow and numpy: each scene's picture fitted to the video, its motion, the
cross-fade between scenes and the captions.

Frames are packed yuv420p arrays, the layout the H.264 encoder takes, so no colour conversion runs per frame: a
picture is converted to limited-range BT.709 Y/U/V once per scene. Motion without jitter: a moving frame is
resampled from the scene's prepared planes (fitted once, larger than the video by the motion's margin) through a
sub-pixel box (`Image.resize(box=...)` takes floats), so the view moves by fractions of a pixel per frame instead of
snapping to whole pixels; its colour planes are prepared at half size, as the frame has them, so each frame
resamples about as many pixels as it shows. A still scene's frame is computed once and reused. Captions are drawn
once per cue with a CJK-capable font (core.story.fonts) and blended into the bottom of the frame.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageDraw

from aigc_desktop.core.project.export import flatten
from aigc_desktop.core.project.model import Project
from aigc_desktop.core.story.board import Motion, PictureSource, Scene
from aigc_desktop.core.story.fonts import caption_font

BACKGROUND = (18, 18, 24)
CARD_TEXT = (240, 240, 240)
MOTION_MARGIN = 1.12  # a moving picture is prepared this much larger than the video: the room it moves in
CAPTION_LINES = 3


def scene_picture(project: Project, scene: Scene) -> Image.Image | None:
    """The RGBA picture a scene shows, or None for a title card. The timeline has checked that references resolve."""
    if scene.picture is PictureSource.LAYER:
        layer = project.find_layer(scene.picture_ref)
        return None if layer is None else layer.image
    if scene.picture is PictureSource.CANVAS:
        return flatten(project.canvas)
    if scene.picture is PictureSource.PICTURE:
        picture = project.story.find_picture(scene.picture_ref)
        return None if picture is None else picture.image
    return None


def cover(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` on the background, scaled to cover `size` and centred (the overflow cropped), as RGB."""
    rgba = image.convert("RGBA")
    flat = Image.new("RGBA", rgba.size, (*BACKGROUND, 255))
    flat.alpha_composite(rgba)
    w, h = size
    scale = max(w / flat.width, h / flat.height)
    cw, ch = w / scale, h / scale  # the part of the source that shows, in source pixels
    box = ((flat.width - cw) / 2, (flat.height - ch) / 2, (flat.width + cw) / 2, (flat.height + ch) / 2)
    return flat.convert("RGB").resize(size, Image.Resampling.LANCZOS, box=box)


def _wrap(draw: ImageDraw.ImageDraw, text: str, font: object, width: float) -> list[str]:
    """Lines no wider than `width`: breaks at spaces, and anywhere in text written without them (Chinese)."""
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        line = ""
        for token in _tokens(paragraph):
            trial = line + token
            if line and draw.textlength(trial, font=font) > width:  # type: ignore[arg-type]
                lines.append(line.rstrip())
                line = token.lstrip()
            else:
                line = trial
        if line.strip():
            lines.append(line.rstrip())
    return lines


def _tokens(text: str) -> list[str]:
    """Words with their following space for Latin text, single characters for CJK (which may break anywhere)."""
    tokens: list[str] = []
    word = ""
    for ch in text:
        if ord(ch) >= 0x2E80:  # CJK and full-width: a break is allowed before and after
            if word:
                tokens.append(word)
                word = ""
            tokens.append(ch)
        elif ch == " ":
            tokens.append(word + ch)
            word = ""
        else:
            word += ch
    if word:
        tokens.append(word)
    return tokens


# BT.709, limited ("TV") range: what HD video players assume, and what the encoder tags the stream with.
_KR, _KB = 0.2126, 0.0722
_KG = 1.0 - _KR - _KB
_YUV = np.array(
    [
        [_KR * 219 / 255, _KG * 219 / 255, _KB * 219 / 255],
        [-_KR / (2 * (1 - _KB)) * 224 / 255, -_KG / (2 * (1 - _KB)) * 224 / 255, 0.5 * 224 / 255],
        [0.5 * 224 / 255, -_KG / (2 * (1 - _KR)) * 224 / 255, -_KB / (2 * (1 - _KR)) * 224 / 255],
    ],
    dtype=np.float32,
)
_YUV_OFFSET = np.array([16.0, 128.0, 128.0], dtype=np.float32)


def yuv_planes(rgb: np.ndarray) -> np.ndarray:
    """(h, w, 3) RGB uint8 → (3, h, w) float32 Y, U, V at full resolution (limited-range BT.709)."""
    r, g, b = (rgb[:, :, c].astype(np.float32) for c in range(3))
    out = np.empty((3, rgb.shape[0], rgb.shape[1]), dtype=np.float32)
    for n in range(3):  # channel by channel: a (N, 3) @ (3, 3) matmul is several times slower than this
        m = _YUV[n]
        np.multiply(r, m[0], out=out[n])
        out[n] += g * m[1]
        out[n] += b * m[2]
        out[n] += _YUV_OFFSET[n]
    return out


def _l_image(plane: np.ndarray) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(plane), 0, 255).astype(np.uint8), mode="L")


def planes_of(frame: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Views of the Y, U and V planes of a packed yuv420p frame: (h*3/2, w) as PyAV lays it out."""
    w, h = size
    quarter = (h // 2) * (w // 2)
    flat = frame.reshape(-1)
    y = flat[: w * h].reshape(h, w)
    u = flat[w * h : w * h + quarter].reshape(h // 2, w // 2)
    v = flat[w * h + quarter : w * h + 2 * quarter].reshape(h // 2, w // 2)
    return y, u, v


def pack(y: Image.Image, u: Image.Image, v: Image.Image) -> np.ndarray:
    w, h = y.size
    return np.concatenate([np.asarray(y).reshape(-1), np.asarray(u).reshape(-1), np.asarray(v).reshape(-1)]).reshape(
        h * 3 // 2, w
    )


def rgb_to_frame(image: Image.Image) -> np.ndarray:
    """An RGB picture of the video's size as a packed yuv420p frame (chroma averaged over 2×2 pixels)."""
    w, h = image.size
    yuv = yuv_planes(np.asarray(image.convert("RGB")))
    chroma = [_l_image(c.reshape(h // 2, 2, w // 2, 2).mean(axis=(1, 3))) for c in yuv[1:]]
    return pack(_l_image(yuv[0]), chroma[0], chroma[1])


def frame_to_rgb(frame: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """A packed yuv420p frame back as RGB (previews and tests; the encoder never needs it)."""
    y, u, v = planes_of(frame, size)
    up = np.stack([y, u.repeat(2, 0).repeat(2, 1), v.repeat(2, 0).repeat(2, 1)]).astype(np.float32)
    rgb = np.linalg.inv(_YUV) @ (up.reshape(3, -1) - _YUV_OFFSET[:, None])
    return np.clip(np.rint(rgb.T.reshape(size[1], size[0], 3)), 0, 255).astype(np.uint8)


@dataclass(frozen=True)
class Overlay:
    """A caption drawn once, as premultiplied Y/U/V and alpha per plane (uint16 for the blend), at an even (x, y)."""

    planes: tuple[np.ndarray, np.ndarray, np.ndarray]  # premultiplied values, Y full size, U and V half
    alphas: tuple[np.ndarray, np.ndarray]  # 0..255: Y's, and the chroma planes' (2×2 mean)
    x: int
    y: int
    size: tuple[int, int]

    def blend_into(self, frame: np.ndarray, *, copy: bool = True) -> np.ndarray:
        """`frame` with the caption over it: a new frame, or `frame` itself changed when copy is False (a frame made
        for this moment only, not a scene's still that later frames reuse)."""
        out = frame.copy() if copy else frame
        for n, plane in enumerate(planes_of(out, self.size)):
            alpha = self.alphas[0 if n == 0 else 1]
            scale = 1 if n == 0 else 2
            x, y = self.x // scale, self.y // scale
            h, w = alpha.shape
            region = plane[y : y + h, x : x + w].astype(np.uint16)
            plane[y : y + h, x : x + w] = ((region * (255 - alpha) + 127) // 255 + self.planes[n]).astype(np.uint8)
        return out


def _text_block(text: str, size: tuple[int, int], font_px: int, max_lines: int) -> tuple[Image.Image, list[str]]:
    """Text wrapped to 86 % of the width, shrunk until it fits `max_lines` (cut with an ellipsis past a floor)."""
    w, _h = size
    face = caption_font()
    probe = ImageDraw.Draw(Image.new("L", (1, 1)))
    px = font_px
    while True:
        font = face.at(px)
        lines = _wrap(probe, " ".join(text.split("\n")).strip(), font, w * 0.86)
        if len(lines) <= max_lines or px <= font_px * 0.6:
            break
        px = int(px * 0.9)
    if len(lines) > max_lines:
        lines = [*lines[: max_lines - 1], lines[max_lines - 1].rstrip() + "…"]
    stroke = max(2, px // 12)
    line_h = int(px * 1.3)
    block_w = int(max((probe.textlength(line, font=font) for line in lines), default=0)) + 2 * stroke + 4
    image = Image.new("RGBA", (max(block_w, 1), line_h * max(len(lines), 1) + 2 * stroke + 4), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    for n, line in enumerate(lines):
        lw = draw.textlength(line, font=font)
        draw.text(
            ((image.width - lw) / 2, stroke + 2 + n * line_h),
            line,
            font=font,
            fill=(255, 255, 255, 255),
            stroke_width=stroke,
            stroke_fill=(0, 0, 0, 235),
        )
    return image, lines


def caption_overlay(text: str, size: tuple[int, int]) -> Overlay | None:
    """A caption centred near the bottom of a frame of `size`, or None for blank text."""
    if not text.strip():
        return None
    w, h = size
    image, _lines = _text_block(text, size, max(14, round(min(w, h) * 0.05)), CAPTION_LINES)
    image = image.crop((0, 0, min(image.width, w) // 2 * 2, min(image.height, h) // 2 * 2))
    arr = np.asarray(image, dtype=np.float32)
    alpha = arr[:, :, 3] / 255.0
    yuv = yuv_planes(arr[:, :, :3].astype(np.uint8))
    ih, iw = alpha.shape
    half_alpha = alpha.reshape(ih // 2, 2, iw // 2, 2).mean(axis=(1, 3))
    half_yuv = yuv[1:].reshape(2, ih // 2, 2, iw // 2, 2)
    # Chroma of the premultiplied colour, averaged over each 2×2 block: the alpha-weighted mean of the block.
    pre_uv = (half_yuv * alpha.reshape(ih // 2, 2, iw // 2, 2)).mean(axis=(2, 4))
    planes = (
        np.rint(yuv[0] * alpha).astype(np.uint16),
        np.rint(pre_uv[0]).astype(np.uint16),
        np.rint(pre_uv[1]).astype(np.uint16),
    )
    alphas = (np.rint(alpha * 255).astype(np.uint16), np.rint(half_alpha * 255).astype(np.uint16))
    x = (w - iw) // 4 * 2
    y = max(0, h - ih - round(h * 0.06)) // 2 * 2
    return Overlay(planes, alphas, x, y, size)


def title_card(text: str, size: tuple[int, int]) -> Image.Image:
    """A scene without a picture: its text, large and centred, on the plain background."""
    card = Image.new("RGB", size, BACKGROUND)
    if text.strip():
        block, _lines = _text_block(text, size, max(18, round(min(size) * 0.075)), 6)
        card.paste(block, ((size[0] - block.width) // 2, (size[1] - block.height) // 2), block)
    return card


@dataclass
class SceneFrames:
    """One scene's frames (packed yuv420p): the picture prepared once, then a frame for any point of its motion."""

    size: tuple[int, int]
    motion: Motion
    planes: tuple[Image.Image, Image.Image, Image.Image]  # Y, U, V of the prepared picture (U and V at half size)
    _still: np.ndarray | None = field(default=None, repr=False)
    _rows: tuple[Image.Image, Image.Image, Image.Image] | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if self.motion is Motion.PAN and self._still is None:
            # A pan moves sideways only: the rows it shows and their vertical scale never change, so that half of
            # the resampling is done once here and each frame only resamples along the rows.
            pw, ph = self.planes[0].size
            h = self.size[1]
            ch = ph / MOTION_MARGIN
            y0 = (ph - ch) / 2
            bilinear = Image.Resampling.BILINEAR
            y = self.planes[0].resize((pw, h), bilinear, box=(0, y0, pw, y0 + ch))
            u, v = (
                plane.resize((pw // 2, h // 2), bilinear, box=(0, y0 / 2, pw // 2, (y0 + ch) / 2))
                for plane in self.planes[1:]
            )
            self._rows = (y, u, v)

    @classmethod
    def build(cls, project: Project, scene: Scene, size: tuple[int, int]) -> SceneFrames:
        picture = scene_picture(project, scene)
        source = title_card(scene.text, size) if picture is None else picture
        if scene.motion is Motion.NONE:
            still = rgb_to_frame(cover(source, size))
            y, u, v = planes_of(still, size)
            return cls(size, scene.motion, (_l_image(y), _l_image(u), _l_image(v)), still)
        # Even, so the chroma planes are prepared at exactly half size, once: each frame then resamples them at about
        # 1:1 instead of shrinking full-size planes by half (twice the work). Halved with the same bilinear filter a
        # frame used to apply, so colour edges stay as soft and move as evenly as before.
        big = (math.ceil(size[0] * MOTION_MARGIN / 2) * 2, math.ceil(size[1] * MOTION_MARGIN / 2) * 2)
        yuv = yuv_planes(np.asarray(cover(source, big)))
        half = (big[0] // 2, big[1] // 2)
        chroma = [_l_image(c).resize(half, Image.Resampling.BILINEAR) for c in yuv[1:]]
        return cls(size, scene.motion, (_l_image(yuv[0]), chroma[0], chroma[1]))

    def frame(self, progress: float) -> np.ndarray:
        """The frame at `progress` (0 at the scene's first frame, 1 at its last), packed yuv420p."""
        if self._still is not None:
            return self._still
        p = min(1.0, max(0.0, progress))
        pw, ph = self.planes[0].size
        w, h = self.size
        if self.motion is Motion.ZOOM:
            # From the whole prepared picture to its centre at video scale: the view narrows smoothly.
            zoom = 1.0 + (MOTION_MARGIN - 1.0) * p
            cw, ch = pw / zoom, ph / zoom
            box = ((pw - cw) / 2, (ph - ch) / 2, (pw + cw) / 2, (ph + ch) / 2)
        else:
            cw, ch = pw / MOTION_MARGIN, ph / MOTION_MARGIN
            x0 = (pw - cw) * p
            y0 = (ph - ch) / 2
            box = (x0, y0, x0 + cw, y0 + ch)
        bilinear = Image.Resampling.BILINEAR
        if self._rows is not None:
            x0, x1 = box[0], box[2]
            y = self._rows[0].resize((w, h), bilinear, box=(x0, 0, x1, h))
            u, v = (rows.resize((w // 2, h // 2), bilinear, box=(x0 / 2, 0, x1 / 2, h // 2)) for rows in self._rows[1:])
            return pack(y, u, v)
        y = self.planes[0].resize((w, h), bilinear, box=box)
        half = (box[0] / 2, box[1] / 2, box[2] / 2, box[3] / 2)  # the same view in the half-size chroma planes
        u, v = (plane.resize((w // 2, h // 2), bilinear, box=half) for plane in self.planes[1:])
        return pack(y, u, v)


def crossfade(a: np.ndarray, b: np.ndarray, weight_b: float) -> np.ndarray:
    """`a` faded into `b` (packed frames: the blend is linear, so it is the same on YUV as on RGB)."""
    k = round(min(1.0, max(0.0, weight_b)) * 256)
    return ((a.astype(np.uint16) * (256 - k) + b.astype(np.uint16) * k) >> 8).astype(np.uint8)
