"""What an image model on disk is, read from small files only (no torch): the pipeline class a diffusers folder
declares, the Stable Diffusion family of a single-file checkpoint (from its tensor names and shapes), the diffusers
folder whose configuration a single file can borrow offline, and which modes a model offers.

Single-file checkpoints (A1111/ComfyUI style, original CompVis key names) carry weights but no configuration; diffusers
would fetch one from the Hub. Offline, the configuration comes from an installed diffusers folder of the same shape.
Refusals are marked for translation (core/i18n.py); family names ("Stable Diffusion 1.x") are names, kept as they are.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP
from aigc_desktop.core.image.job import ImageMode
from aigc_desktop.core.models.detect import DIFFUSERS_INDEX, read_json
from aigc_desktop.core.models.entry import ModelEntry
from aigc_desktop.core.models.headers import safetensors_shapes

UNET_PREFIX = "model.diffusion_model."
CONV_IN = UNET_PREFIX + "input_blocks.0.0.weight"
SDXL_MARKER = "conditioner.embedders."
SD2_TEXT_MARKER = "cond_stage_model.model."
# IP-Adapter weight files in the h94/IP-Adapter layout: SD 1.x/2.x under models/, SDXL under sdxl_models/, each
# with its image_encoder/ folder beside the weights.
IP_ADAPTER_SUBFOLDERS = {False: "models", True: "sdxl_models"}

# The pipelines this app runs, by what each is for. Any other model_index.json class is refused with its name.
TEXT2IMG_CLASSES = frozenset({"StableDiffusionPipeline", "StableDiffusionXLPipeline"})
IMG2IMG_CLASSES = frozenset({"StableDiffusionImg2ImgPipeline", "StableDiffusionXLImg2ImgPipeline"})
INPAINT_CLASSES = frozenset({"StableDiffusionInpaintPipeline", "StableDiffusionXLInpaintPipeline"})
UPSCALER_CLASSES = frozenset({"StableDiffusionUpscalePipeline"})
SUPPORTED_CLASSES = TEXT2IMG_CLASSES | IMG2IMG_CLASSES | INPAINT_CLASSES | UPSCALER_CLASSES
DIFFUSION_MODES = frozenset(set(ImageMode) - {ImageMode.INTERPOLATE})


def pipeline_class_name(folder: Path) -> str:
    """The `_class_name` of a diffusers folder's model_index.json ("" when unreadable)."""
    index = read_json(Path(folder) / DIFFUSERS_INDEX)
    name = index.get("_class_name") if index else None
    return name if isinstance(name, str) else ""


def is_xl(class_name: str) -> bool:
    return "XL" in class_name


def supported_modes(entry: ModelEntry) -> frozenset[ImageMode]:
    """The modes the diffusers engine offers for `entry`: an x4 upscaler only upscales; Stable Diffusion models do
    everything but interpolation (upscale is Lanczos for them, said in the output). Empty for other backends."""
    if entry.backend == "diffusers":
        name = pipeline_class_name(entry.path)
        if name in UPSCALER_CLASSES:
            return frozenset({ImageMode.UPSCALE})
        return DIFFUSION_MODES if name in SUPPORTED_CLASSES else frozenset()
    if entry.backend == "diffusers-single-file":
        return DIFFUSION_MODES
    return frozenset()


# ---------------------------------------------------------------- the shape of a Stable Diffusion UNet


@dataclass(frozen=True)
class UNetShape:
    """What must agree between a single-file checkpoint and the diffusers folder lending it a configuration."""

    xl: bool
    in_channels: int  # 4 text-to-image, 9 inpainting
    model_channels: int  # width of the first UNet level (320 for SD 1.x/2.x/XL)
    context_dim: int  # width of the text embedding (768 SD 1.x, 1024 SD 2.x, 2048 SDXL, 1280 SDXL refiner)

    @property
    def family(self) -> str:
        if self.xl:
            name = "SDXL refiner" if self.context_dim == 1280 else "SDXL"
        else:
            name = {768: "Stable Diffusion 1.x", 1024: "Stable Diffusion 2.x"}.get(
                self.context_dim, f"Stable Diffusion-style (text width {self.context_dim})"
            )
        return name + (" inpainting" if self.in_channels == 9 else "")

    @property
    def example(self) -> str:
        """A public diffusers repository of this family, to name in advice."""
        if self.xl:
            base = "stable-diffusion-xl-refiner-1.0" if self.context_dim == 1280 else "stable-diffusion-xl-base-1.0"
            return "stable-diffusion-xl-1.0-inpainting-0.1" if self.in_channels == 9 else base
        if self.context_dim == 1024:
            return "stable-diffusion-2-inpainting" if self.in_channels == 9 else "stable-diffusion-2-1"
        return "stable-diffusion-inpainting" if self.in_channels == 9 else "stable-diffusion-v1-5"


def checkpoint_shape(name: str, shapes: Mapping[str, Sequence[int]]) -> UNetShape:
    """The UNet shape of an original-format checkpoint, from its tensor names and shapes alone."""
    conv_in = shapes.get(CONV_IN)
    if conv_in is None or len(conv_in) != 4:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageModels",
                "{name} holds no Stable Diffusion UNet (no {tensor}): it may be a LoRA, a VAE or an embedding, which "
                "cannot generate images on its own.",
            ).format(name=name, tensor=CONV_IN)
        )
    context = next(
        (
            int(shape[1])
            for key, shape in sorted(shapes.items())
            if key.startswith(UNET_PREFIX) and key.endswith("attn2.to_k.weight") and len(shape) == 2
        ),
        None,
    )
    if context is None:
        raise UserError(
            QT_TRANSLATE_NOOP(
                "ImageModels", "{name} has a UNet without cross-attention, which is not a Stable Diffusion model."
            ).format(name=name)
        )
    xl = any(key.startswith(SDXL_MARKER) for key in shapes)
    return UNetShape(xl=xl, in_channels=int(conv_in[1]), model_channels=int(conv_in[0]), context_dim=context)


def folder_shape(folder: Path) -> UNetShape | None:
    """The UNet shape of a diffusers folder, from model_index.json and unet/config.json (None if not an SD pipeline)."""
    class_name = pipeline_class_name(folder)
    if class_name not in SUPPORTED_CLASSES - UPSCALER_CLASSES:
        return None
    config = read_json(Path(folder) / "unet" / "config.json")
    if config is None:
        return None
    try:
        context = config.get("cross_attention_dim")
        if isinstance(context, list):
            context = context[0]
        return UNetShape(
            xl=is_xl(class_name),
            in_channels=int(config.get("in_channels", 4)),
            model_channels=int(config.get("block_out_channels", [320])[0]),
            context_dim=int(context if context is not None else 1280),
        )
    except (TypeError, ValueError, IndexError):
        return None


def find_config_folder(shape: UNetShape, candidates: Iterable[Path]) -> Path | None:
    """The first diffusers folder (in sorted path order) whose UNet has exactly this shape."""
    for folder in sorted({Path(c) for c in candidates}, key=lambda p: str(p)):
        if folder_shape(folder) == shape:
            return folder
    return None


def missing_config_message(name: str, shape: UNetShape, models_dir: Path) -> str:
    """Why a single-file checkpoint cannot load offline, and what to install (a marked Msg)."""
    return QT_TRANSLATE_NOOP(
        "ImageModels",
        "{name} is a single-file {family} checkpoint, which carries no configuration; to load it offline, install a "
        "{family} model in diffusers format (a folder with model_index.json, e.g. {example}) in {folder} and it will "
        "be used for the configuration.",
    ).format(name=name, family=shape.family, example=shape.example, folder=models_dir)


# ---------------------------------------------------------------- what else is installed beside a model


def without_safety_checker(folder: Path) -> dict[str, Any]:
    """Skip the NSFW safety checker (a second CLIP model) of SD 1.x/2.x folders: a local tool for the user's own
    pictures, and the checker would blank images without saying why. XL pipelines have none to skip."""
    index = read_json(Path(folder) / DIFFUSERS_INDEX) or {}
    if "safety_checker" in index:
        return {"safety_checker": None, "requires_safety_checker": False}
    return {}


def weights_variant(folder: Path) -> str | None:
    """The variant "fp16" for folders with only half-precision weights (unet/diffusion_pytorch_model.fp16.*)."""
    unet = Path(folder) / "unet"
    if not unet.is_dir():
        return None
    names = {p.name for p in unet.iterdir()}
    plain = any(n.startswith("diffusion_pytorch_model.") and n.count(".") == 1 for n in names)
    half = any(n.startswith("diffusion_pytorch_model.fp16.") for n in names)
    return "fp16" if half and not plain else None


def config_candidates(beside: Path, installed: list[ModelEntry]) -> list[Path]:
    """Diffusers folders a single file may borrow a configuration from: the `installed` image models that are
    folders, and those next to the file (a checkpoint opened from elsewhere with its config folder beside it)."""
    found = [e.path for e in installed if e.backend == "diffusers"]
    with contextlib.suppress(OSError):  # an unreadable folder beside the file offers nothing
        found += [p for p in beside.iterdir() if p.is_dir() and (p / DIFFUSERS_INDEX).is_file()]
    return found


def find_ip_adapter(model_path: Path, models_dir: Path, xl: bool, cross_attention_dim: int | None) -> Path | None:
    """An IP-Adapter weight file for this model, or None.

    Looked for in folders named "IP-Adapter"/"ip_adapter"… (the h94/IP-Adapter layout: models/ for SD 1.x/2.x,
    sdxl_models/ for SDXL, each with its image_encoder/ folder) inside the model folder, beside it, or in the models
    dir. Only a .safetensors adapter whose projections take this UNet's text width counts.
    """
    roots = [model_path if model_path.is_dir() else model_path.parent, model_path.parent, models_dir]
    subfolder = IP_ADAPTER_SUBFOLDERS[xl]
    seen: set[Path] = set()
    for root in roots:
        try:
            folders = sorted(p for p in root.iterdir() if p.is_dir() and _is_ip_adapter_name(p.name))
        except OSError:
            continue
        for folder in folders:
            weights_dir = folder / subfolder
            if weights_dir in seen or not (weights_dir / "image_encoder" / "config.json").is_file():
                continue
            seen.add(weights_dir)
            for weights in sorted(weights_dir.glob("ip-adapter*.safetensors")):
                if _ip_adapter_fits(weights, cross_attention_dim):
                    return weights
    return None


def _is_ip_adapter_name(name: str) -> bool:
    return name.lower().replace("_", "-").startswith("ip-adapter")


def _ip_adapter_fits(weights: Path, cross_attention_dim: int | None) -> bool:
    try:
        shapes = safetensors_shapes(weights)
    except UserError:
        return False
    to_k = next((s for k, s in shapes.items() if k.startswith("ip_adapter.") and k.endswith("to_k_ip.weight")), None)
    return to_k is not None and len(to_k) == 2 and (cross_attention_dim is None or to_k[1] == cross_attention_dim)
