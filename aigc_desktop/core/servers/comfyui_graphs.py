"""ComfyUI graphs ("API format" prompts) for our image modes, built from the server's own core nodes only, and which
of those modes a server can run, decided from its `/object_info`.

The node names and inputs are ComfyUI's (nodes.py; comfy_extras/nodes_upscale_model.py):
- text-to-image: CheckpointLoaderSimple → CLIPTextEncode ×2 → EmptyLatentImage → KSampler → VAEDecode → SaveImage
- img2img: LoadImage → VAEEncode → KSampler (denoise = strength)
- inpaint: + LoadImageMask (red channel: our mask is uploaded as RGB, white = repaint) → SetLatentNoiseMask, so an
  ordinary checkpoint repaints only under the mask with `strength`; the pixels outside it are put back exactly
  afterwards, as the local engine does
- outpaint: inpaint of the extended picture, its border first filled from the picture's own colours (image/ops.py)
- upscale: LoadImage → UpscaleModelLoader + ImageUpscaleWithModel → ImageScale (to exactly ×2 or ×4) → SaveImage,
  offered only when the server has an upscale model (models/upscale_models)

Our sampler names map to ComfyUI's (comfy/samplers.py KSAMPLER_NAMES / SCHEDULER_NAMES): "Model default" is
ComfyUI's own default (euler, normal); PNDM, which ComfyUI lacks, maps to its improved variant iPNDM.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aigc_desktop.core.errors import UserError
from aigc_desktop.core.i18n import QT_TRANSLATE_NOOP, Msg
from aigc_desktop.core.image.job import ImageMode, ImageParams
from aigc_desktop.core.paths import AppPaths
from aigc_desktop.core.servers.config import ServerStore
from aigc_desktop.core.servers.entries import parse_model_id

SAVE_NODE = "9"  # the SaveImage node of every graph: its outputs in /history are the results
FILENAME_PREFIX = "aigc-desktop"

# Our scheduler key → (ComfyUI sampler_name, scheduler).
SAMPLERS: dict[str, tuple[str, str]] = {
    "default": ("euler", "normal"),
    "euler": ("euler", "normal"),
    "euler_a": ("euler_ancestral", "normal"),
    "dpmpp_2m": ("dpmpp_2m", "normal"),
    "dpmpp_2m_karras": ("dpmpp_2m", "karras"),
    "ddim": ("ddim", "ddim_uniform"),
    "pndm": ("ipndm", "normal"),
    "unipc": ("uni_pc", "normal"),
}

_DIFFUSION = ("CheckpointLoaderSimple", "CLIPTextEncode", "KSampler", "VAEDecode", "SaveImage")
NODES_FOR: dict[ImageMode, tuple[str, ...]] = {
    ImageMode.TXT2IMG: (*_DIFFUSION, "EmptyLatentImage"),
    ImageMode.IMG2IMG: (*_DIFFUSION, "LoadImage", "VAEEncode"),
    ImageMode.INPAINT: (*_DIFFUSION, "LoadImage", "VAEEncode", "LoadImageMask", "SetLatentNoiseMask"),
    ImageMode.OUTPAINT: (*_DIFFUSION, "LoadImage", "VAEEncode", "LoadImageMask", "SetLatentNoiseMask"),
    ImageMode.UPSCALE: ("LoadImage", "UpscaleModelLoader", "ImageUpscaleWithModel", "ImageScale", "SaveImage"),
}
MODE_NAMES: dict[ImageMode, Msg] = {
    ImageMode.TXT2IMG: QT_TRANSLATE_NOOP("ComfyUI", "text to image"),
    ImageMode.IMG2IMG: QT_TRANSLATE_NOOP("ComfyUI", "img2img"),
    ImageMode.INPAINT: QT_TRANSLATE_NOOP("ComfyUI", "inpaint"),
    ImageMode.OUTPAINT: QT_TRANSLATE_NOOP("ComfyUI", "outpaint"),
    ImageMode.UPSCALE: QT_TRANSLATE_NOOP("ComfyUI", "upscale"),
}


def choices(object_info: dict[str, Any], node: str, field: str) -> list[str]:
    """The options of a combo input as /object_info lists them: `[[...], {...}]`, or the newer
    `["COMBO", {"options": [...]}]`."""
    info = object_info.get(node)
    if not isinstance(info, dict):
        return []
    inputs = info.get("input")
    for group in ("required", "optional"):
        listed = inputs.get(group) if isinstance(inputs, dict) else None
        spec = listed.get(field) if isinstance(listed, dict) else None
        if not isinstance(spec, list) or not spec:
            continue
        if isinstance(spec[0], list):
            return [str(x) for x in spec[0]]
        if spec[0] == "COMBO" and len(spec) > 1 and isinstance(spec[1], dict):
            return [str(x) for x in spec[1].get("options") or []]
    return []


@dataclass(frozen=True)
class ServerModes:
    checkpoints: list[str]
    upscale_models: list[str]
    modes: frozenset[ImageMode]
    notes: list[Msg]  # one per mode not offered: why


def server_modes(object_info: dict[str, Any]) -> ServerModes:
    """Which of our modes the server's nodes and models allow, and why not the others."""
    checkpoints = choices(object_info, "CheckpointLoaderSimple", "ckpt_name")
    upscalers = choices(object_info, "UpscaleModelLoader", "model_name")
    modes: set[ImageMode] = set()
    notes: list[Msg] = []
    for mode, nodes in NODES_FOR.items():
        missing = [n for n in nodes if n not in object_info]
        if missing:
            notes.append(
                QT_TRANSLATE_NOOP("ComfyUI", "No {mode}: the server lacks the node(s) {nodes}.").format(
                    mode=MODE_NAMES[mode], nodes=", ".join(missing)
                )
            )
        elif mode is ImageMode.UPSCALE and not upscalers:
            notes.append(
                QT_TRANSLATE_NOOP(
                    "ComfyUI",
                    "No upscale: the server has no upscale model (put one such as 4x-UltraSharp into ComfyUI's "
                    "models/upscale_models folder, then test again).",
                )
            )
        elif mode is not ImageMode.UPSCALE and not checkpoints:
            notes.append(
                QT_TRANSLATE_NOOP(
                    "ComfyUI", "No {mode}: the server has no checkpoint (put one into ComfyUI's models/checkpoints)."
                ).format(mode=MODE_NAMES[mode])
            )
        else:
            modes.add(mode)
    return ServerModes(checkpoints, upscalers, frozenset(modes), notes)


def modes_from_features(features: tuple[str, ...]) -> frozenset[ImageMode]:
    """The modes a server's last test found (ServerConfig.features); text-to-image for a server not tested yet."""
    found = frozenset(ImageMode(f) for f in features if f in ImageMode.__members__.values())
    return found or frozenset({ImageMode.TXT2IMG})


def modes_of_model(paths: AppPaths, model_id: str) -> frozenset[ImageMode]:
    """The modes a ComfyUI model (a "server:NAME/CKPT" id) offers, from its server's last test; no network."""
    ref = parse_model_id(model_id)
    if ref is None:
        return frozenset()
    try:
        server = ServerStore(paths).get(ref[0])
    except UserError:
        return frozenset()
    return modes_from_features(server.features)


def pick_upscaler(models: list[str], factor: int) -> str:
    """An upscale model of the asked factor by its name ("4x-UltraSharp", "RealESRGAN_x2"), else the first."""
    for model in models:
        lowered = model.lower()
        if f"{factor}x" in lowered or f"x{factor}" in lowered:
            return model
    return models[0]


# ---------------------------------------------------------------- graphs


def diffusion_graph(
    mode: ImageMode,
    checkpoint: str,
    prompt: str,
    negative: str,
    params: ImageParams,
    seed: int,
    *,
    image: str | None = None,
    mask: str | None = None,
) -> dict[str, Any]:
    """A text-to-image, img2img or inpaint graph (`image` and `mask` are names /upload/image returned)."""
    sampler, scheduler = SAMPLERS[params.scheduler]
    graph: dict[str, Any] = {
        "1": {"class_type": "CheckpointLoaderSimple", "inputs": {"ckpt_name": checkpoint}},
        "2": {"class_type": "CLIPTextEncode", "inputs": {"text": prompt, "clip": ["1", 1]}},
        "3": {"class_type": "CLIPTextEncode", "inputs": {"text": negative, "clip": ["1", 1]}},
    }
    if mode is ImageMode.TXT2IMG:
        graph["4"] = {
            "class_type": "EmptyLatentImage",
            "inputs": {"width": params.width, "height": params.height, "batch_size": 1},
        }
        denoise = 1.0
    else:
        graph["5"] = {"class_type": "LoadImage", "inputs": {"image": image}}
        graph["4"] = {"class_type": "VAEEncode", "inputs": {"pixels": ["5", 0], "vae": ["1", 2]}}
        denoise = params.strength
        if mode in (ImageMode.INPAINT, ImageMode.OUTPAINT):
            graph["6"] = {"class_type": "LoadImageMask", "inputs": {"image": mask, "channel": "red"}}
            graph["7"] = {"class_type": "SetLatentNoiseMask", "inputs": {"samples": ["4", 0], "mask": ["6", 0]}}
    latent = ["7", 0] if "7" in graph else ["4", 0]
    graph["8"] = {
        "class_type": "KSampler",
        "inputs": {
            "model": ["1", 0],
            "seed": seed,
            "steps": params.steps,
            "cfg": params.guidance,
            "sampler_name": sampler,
            "scheduler": scheduler,
            "positive": ["2", 0],
            "negative": ["3", 0],
            "latent_image": latent,
            "denoise": denoise,
        },
    }
    graph["10"] = {"class_type": "VAEDecode", "inputs": {"samples": ["8", 0], "vae": ["1", 2]}}
    graph[SAVE_NODE] = {"class_type": "SaveImage", "inputs": {"images": ["10", 0], "filename_prefix": FILENAME_PREFIX}}
    return graph


def upscale_graph(image: str, model: str, width: int, height: int) -> dict[str, Any]:
    """Upscale with the server's model, then to exactly `width`×`height` (a ×4 model asked for ×2)."""
    return {
        "1": {"class_type": "LoadImage", "inputs": {"image": image}},
        "2": {"class_type": "UpscaleModelLoader", "inputs": {"model_name": model}},
        "3": {"class_type": "ImageUpscaleWithModel", "inputs": {"upscale_model": ["2", 0], "image": ["1", 0]}},
        "4": {
            "class_type": "ImageScale",
            "inputs": {
                "image": ["3", 0],
                "upscale_method": "lanczos",
                "width": width,
                "height": height,
                "crop": "disabled",
            },
        },
        SAVE_NODE: {"class_type": "SaveImage", "inputs": {"images": ["4", 0], "filename_prefix": FILENAME_PREFIX}},
    }
