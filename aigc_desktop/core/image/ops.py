"""Pixel work around diffusion that needs no model: flattening layers, masks, outpaint borders, Lanczos upscaling, the
style recipe's colour transfer and the cheap latent preview. Pure PIL + numpy (no torch, no Qt), so the Canvas pane,
the CLI and the engine share it and tests check it without a model.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from PIL import Image, ImageFilter

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP

WHITE = (255, 255, 255)
# Latent → RGB, a linear map fitted to each VAE family (the factors ComfyUI and A1111 use for their cheap previews).
# They apply to the latents the pipelines denoise (already multiplied by the VAE's scaling factor) and give roughly
# -1..1 per channel. Rows are the 4 latent channels, columns R, G, B.
LATENT_RGB_FACTORS: dict[str, tuple[Sequence[Sequence[float]], Sequence[float]]] = {
    "sd": (  # SD 1.x and 2.x share their VAE
        ((0.3512, 0.2297, 0.3227), (0.3250, 0.4974, 0.2350), (-0.2829, 0.1762, 0.2721), (-0.2120, -0.2616, -0.7177)),
        (0.0, 0.0, 0.0),
    ),
    "sdxl": (
        ((0.3651, 0.4232, 0.4341), (-0.2533, -0.0042, 0.1068), (0.1076, 0.1111, -0.0362), (-0.3165, -0.2492, -0.2188)),
        (0.1084, -0.0175, -0.0011),
    ),
}
# Outpainting redraws this many pixels of the known picture along the new border, so the seam is painted over too,
# and blends the result back over a soft edge of the same width.
OUTPAINT_SEAM_PX = 8


def flatten(image: Image.Image, background: tuple[int, int, int] = WHITE) -> Image.Image:
    """RGB with any transparency composited over `background` (a layer's empty pixels read as blank paper)."""
    if image.mode == "RGB":
        return image
    rgba = image.convert("RGBA")
    base = Image.new("RGBA", rgba.size, (*background, 255))
    base.alpha_composite(rgba)
    return base.convert("RGB")


def fit(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """`image` at exactly `size`, resampled with Lanczos when it differs (aspect ratio follows the asked size)."""
    return image if image.size == size else image.resize(size, Image.Resampling.LANCZOS)


def lanczos_upscale(image: Image.Image, factor: int) -> Image.Image:
    if factor < 1:
        raise UserError(QT_TRANSLATE_NOOP("ImageOps", "The upscale factor must be at least 1."))
    return image.resize((image.width * factor, image.height * factor), Image.Resampling.LANCZOS)


def mask_from(image: Image.Image) -> Image.Image:
    """A repaint mask (L, white = repaint) from a mask file: its grey level, and where it has transparency, only its
    opaque strokes (a mask painted on a transparent layer)."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        grey = np.asarray(rgba.convert("L"), dtype=np.uint16)
        alpha = np.asarray(rgba.getchannel("A"), dtype=np.uint16)
        return Image.fromarray(((grey * alpha + 127) // 255).astype(np.uint8), "L")
    return image.convert("L")


def check_mask_size(mask: Image.Image, image: Image.Image) -> None:
    if mask.size != image.size:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageOps",
                "The mask is {mask_width}×{mask_height} pixels but the image is {width}×{height}; "
                "they must be the same size.",
            ).format(mask_width=mask.width, mask_height=mask.height, width=image.width, height=image.height)
        )


def keep_unmasked(original: Image.Image, generated: Image.Image, mask: Image.Image) -> Image.Image:
    """`generated` where the mask is white, `original` exactly where it is black, blended in between: what lies
    outside the mask stays the user's own pixels instead of their round trip through the VAE."""
    return Image.composite(generated.convert("RGB"), original.convert("RGB"), mask.convert("L"))


# ---------------------------------------------------------------- outpainting


def outpaint_mask(image: Image.Image) -> Image.Image:
    """What outpainting repaints: the not-fully-opaque pixels (the extended canvas's new border) grown
    OUTPAINT_SEAM_PX into the picture so the seam is repainted too. The Canvas uses it to place the job, the engine
    to run it: one rule for both."""
    return _with_seam(_outpaint_hole(image))


def _with_seam(hole: Image.Image) -> Image.Image:
    return hole.filter(ImageFilter.MaxFilter(2 * OUTPAINT_SEAM_PX + 1))


def _outpaint_hole(image: Image.Image) -> Image.Image:
    alpha = np.asarray(image.convert("RGBA").getchannel("A"))
    unknown = alpha < 255
    if not unknown.any():
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageOps",
                "Nothing to outpaint: extend the canvas first; its new transparent border is what gets painted.",
            )
        )
    if unknown.all():
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageOps", "Nothing to outpaint from: the image is fully transparent (use text-to-image instead)."
            )
        )
    return Image.fromarray(np.where(unknown, 255, 0).astype(np.uint8), "L")


def outpaint_inputs(image: Image.Image) -> tuple[Image.Image, Image.Image, Image.Image]:
    """From an extended canvas whose new border is transparent: (the picture with the border filled, the repaint mask,
    the blend mask for putting the known pixels back).

    The border is filled by push-pull (`fill_transparent`): each empty pixel takes the average colour of the known
    pixels nearest to it, smoothly, so img2img-style denoising starts from colours that continue the picture instead
    of a flat background. The repaint mask is `outpaint_mask`; the blend mask fades over its seam.
    """
    rgba = image.convert("RGBA")
    hole = _outpaint_hole(rgba)
    filled = fill_transparent(rgba)
    mask = _with_seam(hole)
    blend = mask.filter(ImageFilter.GaussianBlur(OUTPAINT_SEAM_PX / 2))
    blend = Image.fromarray(np.maximum(np.asarray(blend), np.asarray(hole)), "L")  # the hole itself stays all new
    return filled, mask, blend


def fill_transparent(image: Image.Image) -> Image.Image:
    """RGB where transparent pixels get the smooth average colour of the nearby opaque ones (push-pull: average down
    a pyramid weighted by alpha, then fill each level's gaps from the coarser one); opaque pixels are unchanged."""
    rgba = np.asarray(image.convert("RGBA"), dtype=np.float32) / 255.0
    weight = rgba[..., 3]
    colour = _push_pull(rgba[..., :3] * weight[..., None], weight)
    out = np.where(weight[..., None] >= 1.0, rgba[..., :3], colour)
    return Image.fromarray(np.clip(out * 255.0 + 0.5, 0, 255).astype(np.uint8), "RGB")


def _push_pull(premultiplied: np.ndarray, weight: np.ndarray) -> np.ndarray:
    h, w = weight.shape
    own: np.ndarray = premultiplied / np.maximum(weight, 1e-6)[..., None]
    if weight.min() >= 1.0:
        return own
    blend: np.ndarray = np.clip(weight, 0.0, 1.0)[..., None]
    if min(h, w) <= 1:  # the top of the pyramid: gaps take the mean colour of everything known
        mean = premultiplied.sum(axis=(0, 1)) / max(float(weight.sum()), 1e-6)
        top: np.ndarray = blend * own + (1.0 - blend) * mean
        return top
    # Down one level: 2×2 sums (odd edges padded with empty pixels, which weigh nothing).
    ph, pw = h + h % 2, w + w % 2
    prem = np.zeros((ph, pw, 3), np.float32)
    wt = np.zeros((ph, pw), np.float32)
    prem[:h, :w], wt[:h, :w] = premultiplied, weight
    small_prem = prem.reshape(ph // 2, 2, pw // 2, 2, 3).sum(axis=(1, 3))
    small_w = wt.reshape(ph // 2, 2, pw // 2, 2).sum(axis=(1, 3))
    # The coarse level keeps each cell's mean colour and counts a cell with one opaque pixel's worth as known.
    capped = np.minimum(small_w, 1.0)
    coarse = _push_pull(small_prem / np.maximum(small_w, 1e-6)[..., None] * capped[..., None], capped)
    up = np.stack(
        [
            np.asarray(Image.fromarray(coarse[..., c], "F").resize((pw, ph), Image.Resampling.BILINEAR))
            for c in range(3)
        ],
        axis=-1,
    )[:h, :w]
    filled: np.ndarray = blend * own + (1.0 - blend) * up
    return filled


# ---------------------------------------------------------------- style recipe


def transfer_colour(image: Image.Image, style: Image.Image) -> Image.Image:
    """`image` with the colour statistics of `style` (Reinhard-style transfer in YCbCr): per channel, shift and scale
    so mean and standard deviation match the style image's. Brightness, contrast and palette move towards the style;
    shapes stay. Step one of the style recipe (then img2img repaints it with the prompt)."""
    src = np.asarray(flatten(image).convert("YCbCr"), dtype=np.float32)
    ref = np.asarray(flatten(style).convert("YCbCr"), dtype=np.float32)
    src_mean, src_std = src.mean(axis=(0, 1)), src.std(axis=(0, 1))
    ref_mean, ref_std = ref.mean(axis=(0, 1)), ref.std(axis=(0, 1))
    out = (src - src_mean) / np.maximum(src_std, 1.0) * ref_std + ref_mean
    return Image.fromarray(np.clip(out + 0.5, 0, 255).astype(np.uint8), "YCbCr").convert("RGB")


# ---------------------------------------------------------------- previews


def latent_preview(latents: np.ndarray, family: str = "sd") -> Image.Image:
    """A cheap RGB look at (4, h, w) latents: one small matrix product per pixel, no VAE. The image is latent-sized
    (1/8 of the output per side); the view scales it."""
    factors, bias = LATENT_RGB_FACTORS.get(family, LATENT_RGB_FACTORS["sd"])
    if latents.ndim != 3 or latents.shape[0] != len(factors):
        raise ValueError(f"latent previews need ({len(factors)}, h, w) latents, got {latents.shape}")
    rgb = np.einsum("chw,cr->hwr", latents.astype(np.float32), np.asarray(factors, np.float32))
    rgb += np.asarray(bias, np.float32)
    return Image.fromarray(np.clip((rgb + 1.0) * 127.5 + 0.5, 0, 255).astype(np.uint8), "RGB")
