"""The image-generation contract shared by the diffusion engine, the Canvas pane and `aigc image`.

An image job is a JobSpec of kind IMAGE. `inputs` holds what the user gave: "prompt", "negative_prompt" and, by mode,
"init_image" (img2img, inpaint, outpaint, upscale, style, interpolate), "mask_image" (inpaint/outpaint: white =
repaint), "style_image" (style) and "end_image" (interpolate) — each a path to an image file, so a spec stays JSON and
Regenerate can replay it. `params` is an ImageParams. A prompt may be empty (unconditional diffusion; trained GAN/VAE
models take none). Engines send ImagePreview partials (one per step when previews are on) and return an ImageOutput.
Batch image i uses seed `spec.seed + i`, so any one image of a batch can be regenerated alone. Refusals and the
labels of the choices are marked for translation (core/i18n.py): the CLI prints the English, the window translates.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import Any

from PIL import Image

from aigc_desktop.core import atomic
from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.specs import MAX_SEED, JobKind, JobSpec, params_from_spec

MAX_STEPS = 150
MAX_BATCH = 8
MIN_SIDE = 64
MAX_SIDE = 2048
SIZE_MULTIPLE = 8  # the VAE downsamples by 8: other sizes are refused rather than silently cropped


class ImageMode(StrEnum):
    TXT2IMG = "txt2img"
    IMG2IMG = "img2img"  # also "variations": the selected layer with a strength
    INPAINT = "inpaint"  # init_image + mask_image (painted on the canvas or taken from the selection)
    OUTPAINT = "outpaint"  # init_image on an extended canvas; the new border (transparent pixels) is the mask
    UPSCALE = "upscale"  # a diffusion upscaler when the model is one, Lanczos otherwise (said in the output)
    STYLE = "style"  # img2img guided by style_image's look (IP-Adapter when installed, else the documented recipe)
    INTERPOLATE = "interpolate"  # trained VAE models: `batch` frames from init_image to end_image through latent space


NEEDS_INIT = frozenset(set(ImageMode) - {ImageMode.TXT2IMG})

# Scheduler choices shown to the user; "default" keeps the one the model ships with. The samplers' own names are the
# library's (not translated: users find them so on the web).
SCHEDULERS: dict[str, str] = {
    "default": QT_TRANSLATE_NOOP("ImageJob", "Model default"),
    "euler": "Euler",
    "euler_a": "Euler a",
    "dpmpp_2m": "DPM++ 2M",
    "dpmpp_2m_karras": "DPM++ 2M Karras",
    "ddim": "DDIM",
    "pndm": "PNDM",
    "unipc": "UniPC",
}

# GPU memory savers for small GPUs (applied on CUDA only): "auto" picks from the GPU's memory and the model's size.
MEMORY_MODES: dict[str, str] = {
    "auto": QT_TRANSLATE_NOOP("ImageJob", "Automatic"),
    "none": QT_TRANSLATE_NOOP("ImageJob", "Fastest (whole model on the GPU)"),
    "attention_slicing": QT_TRANSLATE_NOOP("ImageJob", "Attention slicing (less memory, a little slower)"),
    "cpu_offload": QT_TRANSLATE_NOOP("ImageJob", "Model CPU offload (least memory, slower)"),
}


@dataclass(frozen=True)
class ImageParams:
    mode: str = ImageMode.TXT2IMG.value
    steps: int = 20
    guidance: float = 7.0  # classifier-free guidance scale (CFG)
    width: int = 512
    height: int = 512
    batch: int = 1  # images made one after another with seeds seed, seed+1, ...
    scheduler: str = "default"
    strength: float = 0.75  # img2img / inpaint / style: how much of the init image is repainted
    upscale_factor: int = 2
    previews: bool = True  # a cheap latent preview after every step
    memory: str = "auto"  # GPU memory savers (one of MEMORY_MODES); CPUs ignore it

    def __post_init__(self) -> None:
        problems: list[Msg] = []
        try:
            ImageMode(self.mode)
        except ValueError:
            problems.append(
                QT_TRANSLATE_NOOP("ImageJob", "Unknown mode '{mode}' (one of {modes}).").format(
                    mode=self.mode, modes=", ".join(m.value for m in ImageMode)
                )
            )
        if not 1 <= self.steps <= MAX_STEPS:
            problems.append(QT_TRANSLATE_NOOP("ImageJob", "Steps must be between 1 and {high}.").format(high=MAX_STEPS))
        if not 0 <= self.guidance <= 30:
            problems.append(QT_TRANSLATE_NOOP("ImageJob", "Guidance must be between 0 and 30."))
        sides = {
            QT_TRANSLATE_NOOP("ImageJob", "Width must be a multiple of {multiple} from {low} to {high}."): self.width,
            QT_TRANSLATE_NOOP("ImageJob", "Height must be a multiple of {multiple} from {low} to {high}."): self.height,
        }
        for problem, side in sides.items():
            if not MIN_SIDE <= side <= MAX_SIDE or side % SIZE_MULTIPLE:
                problems.append(problem.format(multiple=SIZE_MULTIPLE, low=MIN_SIDE, high=MAX_SIDE))
        if not 1 <= self.batch <= MAX_BATCH:
            problems.append(
                QT_TRANSLATE_NOOP("ImageJob", "The batch count must be between 1 and {high}.").format(high=MAX_BATCH)
            )
        if self.scheduler not in SCHEDULERS:
            problems.append(
                QT_TRANSLATE_NOOP("ImageJob", "Unknown scheduler '{name}' (one of {names}).").format(
                    name=self.scheduler, names=", ".join(SCHEDULERS)
                )
            )
        if not 0 < self.strength <= 1:
            problems.append(QT_TRANSLATE_NOOP("ImageJob", "Strength must be more than 0 and at most 1."))
        if self.upscale_factor not in (2, 4):
            problems.append(QT_TRANSLATE_NOOP("ImageJob", "The upscale factor must be 2 or 4."))
        if self.memory not in MEMORY_MODES:
            problems.append(
                QT_TRANSLATE_NOOP("ImageJob", "Unknown memory setting '{name}' (one of {names}).").format(
                    name=self.memory, names=", ".join(MEMORY_MODES)
                )
            )
        if problems:
            raise UserError(sentences(problems))

    @property
    def image_mode(self) -> ImageMode:
        return ImageMode(self.mode)

    def to_params(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_spec(cls, spec: JobSpec) -> ImageParams:
        return params_from_spec(cls, spec, QT_TRANSLATE_NOOP("ImageJob", "Bad image parameters: {reason}"))


def image_spec(
    model_id: str,
    prompt: str,
    params: ImageParams,
    seed: int | None = None,
    *,
    negative_prompt: str = "",
    init_image: str | None = None,
    mask_image: str | None = None,
    style_image: str | None = None,
    end_image: str | None = None,
) -> JobSpec:
    """A validated image JobSpec: the inputs a mode needs must be there."""
    mode = params.image_mode
    if mode in NEEDS_INIT and not init_image:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageJob", "{mode} needs an image to start from (select a layer, or pass --init)."
            ).format(mode=mode.value)
        )
    if mode == ImageMode.INPAINT and not mask_image:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageJob", "Inpainting needs a mask: paint one on the canvas, make a selection, or pass --mask."
            )
        )
    if mode == ImageMode.STYLE and not style_image:
        raise UserError(QT_TRANSLATE_NOOP("ImageJob", "Style transfer needs a reference image for the style."))
    if mode == ImageMode.INTERPOLATE and not (init_image and end_image):
        raise UserError(
            QT_TRANSLATE_NOOP("ImageJob", "Interpolation needs two images: where to start and where to end.")
        )
    if seed is not None and not 0 <= seed <= MAX_SEED:
        raise UserError(
            QT_TRANSLATE_NOOP("ImageJob", "The seed must be a whole number from 0 to {high}.").format(high=MAX_SEED)
        )
    inputs: dict[str, Any] = {"prompt": prompt, "negative_prompt": negative_prompt}
    for key, value in (
        ("init_image", init_image),
        ("mask_image", mask_image),
        ("style_image", style_image),
        ("end_image", end_image),
    ):
        if value:
            inputs[key] = str(value)
    return JobSpec(kind=JobKind.IMAGE, model_id=model_id, inputs=inputs, params=params.to_params(), seed=seed)


def sentences(parts: list[Msg]) -> Msg:
    """Several marked sentences as one message that is still translated part by part (a plain join would not be)."""
    joined = parts[-1]
    for first in reversed(parts[:-1]):
        joined = QT_TRANSLATE_NOOP("ImageJob", "{first} {rest}").format(first=first, rest=joined)
    return joined


def batch_seed(seed: int, index: int) -> int:
    """The seed of image `index` of a batch (wraps so it stays a valid seed)."""
    return (seed + index) % (MAX_SEED + 1)


def stash_image(image: Image.Image, folder: Path) -> Path:
    """Save an input image (init, mask, style) under a name made of its content, so the spec that names it replays
    exactly and the same pixels are stored once. Written via a temporary file, never half-written."""
    rgba = image if image.mode in ("RGBA", "RGB", "L") else image.convert("RGBA")
    digest = hashlib.sha256(rgba.mode.encode() + repr(rgba.size).encode() + rgba.tobytes()).hexdigest()[:32]
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{digest}.png"
    if not target.exists():
        with atomic.replacing(target) as temp:
            rgba.save(temp, format="PNG")
    return target


@dataclass(frozen=True)
class ImagePreview:
    """A cheap look at image `index` of the batch after `step` of `total_steps` (small; the view scales it)."""

    index: int
    step: int
    total_steps: int
    image: Image.Image

    @property
    def fraction(self) -> float:
        return self.step / self.total_steps if self.total_steps else 0.0


@dataclass(frozen=True)
class ImageOutput:
    images: list[Image.Image]  # RGB or RGBA, one per batch item, in order
    seeds: list[int]  # the seed of each image
    mode: str
    steps: int  # denoising steps actually run per image (img2img runs fewer than asked: steps × strength)
    seconds_per_step: float
    # What made it, honestly: "diffusers StableDiffusionPipeline", "Lanczos (no upscaler model)"... The method and
    # the notes are marked Msgs where they are words (the window shows them translated; str() is the English).
    method: str = ""
    notes: list[str] = field(default_factory=list)  # e.g. "style: img2img recipe (no IP-Adapter installed)"
